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
#define IDD_SYMPTOMS                101
#define IDD_RESTORE                 102

/* Accelerator tables: IDA_ 200-299 */
#define IDA_MAIN                    200

/* Icons: IDI_ 300-399 (the lowest icon ID is the one Explorer shows for the exe) */
#define IDI_APP                     300
/* status icons of the ListView rows, in the order of enum diag_severity */
#define IDI_STATUS_OK               301
#define IDI_STATUS_INFO             302
#define IDI_STATUS_WARNING          303
#define IDI_STATUS_PROBLEM          304
#define IDI_STATUS_NOT_CHECKED      305

/* Controls: IDC_ 1000-1999 (IDOK 1 and IDCANCEL 2 are Windows' own) */
#define IDC_SUMMARY                 1000
#define IDC_COMPONENTS              1001
#define IDC_REFRESH                 1002
#define IDC_FIX_ALL                 1003
#define IDC_SET_AUTOMATIC           1004
#define IDC_RESTART                 1005
#define IDC_CLEAR_LOGS              1006
#define IDC_REBUILD                 1007
#define IDC_REREGISTER              1008
#define IDC_RESTORE                 1009
#define IDC_DETAILS                 1010
#define IDC_DETAILS_LABEL           1011
#define IDC_PROGRESS                1012
#define IDC_STEP                    1013
#define IDC_CANCEL_WORK             1014
#define IDC_COPY_REPORT             1015
#define IDC_SAVE_REPORT             1016
#define IDC_OPEN_CATROOT2           1017
#define IDC_OPEN_LOG                1018
#define IDC_SYMPTOMS                1019
#define IDC_STATUSBAR               1020
#define IDC_REPAIRS_LABEL           1021
#define IDC_COMPONENTS_LABEL        1022
/* the symptom finder */
#define IDC_SYM_LABEL               1100
#define IDC_SYM_INPUT               1101
#define IDC_SYM_LIST                1102
#define IDC_SYM_EXPLAIN             1103
/* the backup chooser */
#define IDC_BACKUP_LABEL            1200
#define IDC_BACKUP_LIST             1201

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
#define IDS_COL_STATUS              10019
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
/* - main dialog: severities, IDS_SEVERITY_BASE + enum diag_severity */
#define IDS_SEVERITY_BASE           10160
/* - details pane */
#define IDS_DET_HEADER              10176  /* %1 component, %2 severity */
#define IDS_DET_EVIDENCE            10177
#define IDS_DET_EVIDENCE_DROPPED    10178  /* %1 count */
#define IDS_DET_REPAIR              10179  /* %1 repair title */
#define IDS_DET_STEPS               10180
#define IDS_DET_STEP                10181  /* %1 number, %2 step text */
#define IDS_DET_NO_REPAIR           10182
#define IDS_DET_PLAN_FAILED         10183  /* %1 error text */
#define IDS_DET_SELECT_ROW          10184
#define IDS_DET_RESULT              10185  /* %1 repair title, %2 message */
#define IDS_DET_STEP_RESULT         10186  /* %1 number, %2 step, %3 status, %4 detail */
#define IDS_DET_BACKUP              10187  /* %1 folder */
/* - progress and results */
#define IDS_PROG_CHECKING           10192
#define IDS_PROG_STEP               10193  /* %1 step number, %2 step count, %3 step text */
#define IDS_PROG_FIX_STEP           10194  /* %1 repair number, %2 repair count, %3 repair title, %4 step number, %5 step count, %6 step text */
#define IDS_PROG_CANCELLING         10195
#define IDS_PROG_ELEVATED_WAIT      10196  /* %1 repair title */
#define IDS_RES_DONE                10197  /* %1 repair title, %2 core's message */
#define IDS_RES_FAILED              10198  /* %1 repair title, %2 error text, %3 core's message */
#define IDS_RES_CANCELLED           10199  /* %1 repair title, %2 core's message */
#define IDS_RES_ELEVATED_DONE       10200  /* %1 repair title */
#define IDS_RES_ELEVATED_FAILED     10201  /* %1 repair title, %2 error text */
#define IDS_RES_NOT_LAUNCHED        10202  /* %1 error text */
#define IDS_RES_NOTHING_TO_FIX      10203
#define IDS_RES_READY               10204
#define IDS_PROG_STARTING           10205  /* %1 repair title */
/* - confirmation and questions */
#define IDS_CONFIRM_TITLE           10208
#define IDS_CONFIRM_INTRO           10209  /* %1 repair title */
#define IDS_CONFIRM_BACKUP          10210  /* %1 folder */
#define IDS_CONFIRM_STEP            10211  /* %1 number, %2 step text */
#define IDS_CONFIRM_REPAIR          10212  /* %1 repair title (a heading inside "Fix all") */
#define IDS_CONFIRM_CLOSE_BUSY      10213
#define IDS_ASK_DELAY               10214  /* %1 core's text */
#define IDS_ASK_END_PROCESS         10215  /* %1 core's text */
#define IDS_CONFIRM_END             10216
/* - status bar */
#define IDS_SB_MACHINE              10224  /* %1 machine */
#define IDS_SB_WINDOWS              10225  /* %1 major, %2 minor, %3 build */
#define IDS_SB_ELEVATED             10226
#define IDS_SB_NOT_ELEVATED         10227
#define IDS_SB_CHECKED              10228  /* %1 time */
#define IDS_SB_NOT_CHECKED          10229
#define IDS_SB_WINDOWS_UNKNOWN      10230
#define IDS_SB_WINE                 10231  /* %1 Windows words, %2 Wine version */
/* - report */
#define IDS_REP_TITLE               10240  /* %1 version */
#define IDS_REP_MACHINE             10241  /* %1 machine */
#define IDS_REP_WINDOWS             10242  /* %1 status bar text */
#define IDS_REP_CHECKED             10243  /* %1 time */
#define IDS_REP_SUMMARY             10244  /* %1 summary */
#define IDS_REP_ROW                 10245  /* %1 name, %2 severity */
#define IDS_REP_CURRENT             10246  /* %1 value */
#define IDS_REP_RECOMMENDED         10247  /* %1 value */
#define IDS_REP_LAST_REPAIR         10248
#define IDS_REP_SAVE_FILTER         10249
#define IDS_REP_SAVE_NAME           10250
#define IDS_REP_SAVE_FAILED         10251  /* %1 error text */
#define IDS_REP_COPIED              10252
#define IDS_REP_SAVED               10253  /* %1 path */
#define IDS_REP_COPY_FAILED         10254
#define IDS_REP_LAST_CHECK_NONE     10255
/* - repair titles of the buttons' repairs, IDS_REPAIR_BASE + enum diag_repair */
#define IDS_REPAIR_BASE             10256
#define IDS_REPAIR_RESTORE          10272
#define IDS_REPAIR_FIX_ALL          10273
/* - symptom finder and backup chooser */
#define IDS_SYM_COL_CODE            10288
#define IDS_SYM_COL_MESSAGE         10289
#define IDS_SYM_NOT_OURS            10290  /* %1 explanation */
#define IDS_SYM_OURS                10291  /* %1 explanation, %2 component, %3 repair */
#define IDS_SYM_OURS_NO_REPAIR      10292  /* %1 explanation, %2 component */
#define IDS_SYM_NONE                10293
#define IDS_BAK_COL_DATE            10294
#define IDS_BAK_COL_REPAIR          10295
#define IDS_BAK_COL_FOLDER          10296
#define IDS_BAK_NONE                10297  /* %1 folder */
#define IDS_BAK_DATE                10298  /* %1 y %2 m %3 d %4 h %5 min %6 s */
#define IDS_REMOTE_NO_REPAIR        10299
#define IDS_OPEN_FAILED             10300  /* %1 what, %2 error text */
#define IDS_USAGE_RUN_REPAIR        10301  /* %1 argument */
/* - component names for the symptom finder, IDS_COMP_BASE + enum diag_component */
#define IDS_COMP_BASE               10304

#endif
