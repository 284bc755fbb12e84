/* res/resource.h: resource IDs of csd-gui, kept by hand and grouped by kind. */
#ifndef CSD_RESOURCE_H
#define CSD_RESOURCE_H

/*
 * Rules: each kind has its own range so a number never means two things; add new IDs
 * at the end of their group; never reuse a retired number. Buttons send their IDC_
 * id as the command; IDM_ ids are commands that come from menus or accelerators only.
 */

/* Dialogs: IDD_ 100-199 */
#define IDD_MAIN                    100

/* Accelerator tables: IDA_ 200-299 */
#define IDA_MAIN                    200

/* Icons: IDI_ 300-399 (the lowest icon ID is the one Explorer shows for the exe) */
#define IDI_APP                     300

/* Controls: IDC_ 1000-1999 (IDOK 1 and IDCANCEL 2 are Windows' own) */
#define IDC_SUMMARY                 1000
#define IDC_COMPONENTS              1001
#define IDC_REFRESH                 1002

/* Commands: IDM_ 2000-2999 */
#define IDM_REFRESH                 2000

/* Strings: IDS_ 10000-19999, in blocks of 16 so a block is one STRINGTABLE segment. */
/* - program */
#define IDS_APP_TITLE               10000
#define IDS_USAGE                   10001
#define IDS_START_FAILED            10002
/* - ListView columns */
#define IDS_COL_COMPONENT           10016
#define IDS_COL_CURRENT             10017
#define IDS_COL_RECOMMENDED         10018
/* - components (rows) */
#define IDS_ROW_CRYPTSVC            10032
#define IDS_ROW_CATALOG_DB          10033
#define IDS_ROW_PROTECTED_ROOT      10034
#define IDS_ROW_KEY_SERVICE         10035
#define IDS_ROW_AUTO_ROOT_UPDATE    10036
#define IDS_ROW_DEPENDENCY          10037  /* %1 display name */
#define IDS_ROW_DEPENDENT           10038  /* %1 display name */
#define IDS_ROW_DEPENDENCIES        10039
#define IDS_ROW_DEPENDENTS          10040
/* - cell values */
#define IDS_VAL_STATE_START         10048  /* %1 state, %2 start type */
#define IDS_VAL_CHECKING            10049
#define IDS_VAL_NOT_CHECKED         10050
#define IDS_VAL_RECOMMENDED_SVC     10051
#define IDS_VAL_HEALTHY             10052
#define IDS_VAL_WORKING             10053
#define IDS_VAL_ENABLED             10054
#define IDS_VAL_RUNNING             10055
#define IDS_VAL_NOT_REQUIRED        10056
#define IDS_VAL_UNKNOWN_STATE       10057  /* %1 number */
#define IDS_VAL_UNKNOWN_START       10058  /* %1 number */
#define IDS_VAL_LIST_UNREADABLE     10059  /* %1 why */
/* - why a query failed, by enum svc_failure */
#define IDS_FAIL_NOT_INSTALLED      10064
#define IDS_FAIL_ACCESS_DENIED      10065
#define IDS_FAIL_UNREACHABLE        10066
#define IDS_FAIL_TIMEOUT            10067
#define IDS_FAIL_ERROR              10068  /* %1 number, %2 system text */
#define IDS_FAIL_ERROR_NO_TEXT      10069  /* %1 number */
/* - summary line */
#define IDS_SUM_CHECKING            10080  /* %1 machine */
#define IDS_SUM_STATE               10081  /* %1 state (sentence form), %2 start type */
#define IDS_SUM_DEPENDENCY_DOWN     10082  /* %1 display name, %2 state (sentence form) */
#define IDS_SUM_NOT_INSTALLED       10083  /* %1 machine */
#define IDS_SUM_ACCESS_DENIED       10084  /* %1 machine */
#define IDS_SUM_UNREACHABLE         10085  /* %1 machine */
#define IDS_SUM_TIMEOUT             10086  /* %1 machine */
#define IDS_SUM_ERROR               10087  /* %1 machine, %2 error text */
#define IDS_THIS_COMPUTER           10088
/* - service states for table cells, IDS_STATE_BASE + SERVICE_STOPPED (1) ... SERVICE_PAUSED (7) */
#define IDS_STATE_BASE              10096
/* - the same states as they read inside a sentence ("is stopped") */
#define IDS_STATE_SENTENCE_BASE     10112
/* - start types, IDS_START_BASE + SERVICE_BOOT_START (0) ... SERVICE_DISABLED (4) */
#define IDS_START_BASE              10128
#define IDS_START_DELAYED_AUTO      10144

#endif
