/* cli/strings.h: ids of csd.exe's user-visible text, kept in the STRINGTABLE of cli/csd.rc. */
#ifndef CSD_CLI_STRINGS_H
#define CSD_CLI_STRINGS_H

/* Help and usage errors */
#define IDS_USAGE                 100
#define IDS_ERR_UNKNOWN_OPTION    101
#define IDS_ERR_MISSING_VALUE     102
#define IDS_ERR_UNKNOWN_COMMAND   103
#define IDS_ERR_UNKNOWN_REPAIR    104
#define IDS_ERR_CONFLICT          105
#define IDS_ERR_NEEDS_ARGUMENT    106
#define IDS_ERR_TOO_MANY          107
#define IDS_ERR_NOT_CONSOLE       109
#define IDS_ERR_NOT_ELEVATED      110
#define IDS_ERR_BUSY              111
#define IDS_ERR_REPORT_FILE       112
#define IDS_ERR_OUT_OF_MEMORY     113
#define IDS_ERR_BAD_NUMBER        114
#define IDS_ERR_NO_ARGUMENTS      115
#define IDS_HINT_HELP             116

/* Error words */
#define IDS_ERROR_TEXT            130
#define IDS_ERROR_NO_TEXT         131

/* check */
#define IDS_CHECK_HEADER          200
#define IDS_THIS_COMPUTER         201
#define IDS_COL_STATUS            202
#define IDS_COL_COMPONENT         203
#define IDS_COL_CURRENT           204
#define IDS_COL_RECOMMENDED       205
#define IDS_CHECK_SUMMARY         206
#define IDS_CHECK_FINDINGS        207
#define IDS_CHECK_DETAILS         208
#define IDS_CHECK_ROW_TITLE       209
#define IDS_CHECK_EVIDENCE        210
#define IDS_CHECK_DROPPED         211
#define IDS_CHECK_REPAIR          212
#define IDS_CHECK_PLAN            213
#define IDS_CHECK_NOTHING_TO_FIX  214
#define IDS_CHECK_FAILED          215

/* --computer */
#define IDS_REMOTE_UNREACHABLE    300
#define IDS_REMOTE_DENIED         301
#define IDS_REMOTE_NO_SHARE       302
#define IDS_REMOTE_TIMEOUT        303
#define IDS_REMOTE_SHARE_OK       304
#define IDS_REMOTE_LOCAL_ONLY     305

/* repair, fix, restore */
#define IDS_PLAN_HEADER           400
#define IDS_PLAN_STEP             401
#define IDS_PLAN_DRY_RUN          402
#define IDS_CONFIRM               403
#define IDS_CONFIRM_YES           404
#define IDS_CANCELLED             405
#define IDS_PROGRESS              406
#define IDS_RESULT_HEADER         407
#define IDS_RESULT_STEP           408
#define IDS_RESULT_BACKUP         409
#define IDS_RESULT_REBOOT         410
#define IDS_RESULT_NOT_KEPT       411
#define IDS_ASK_DELAY             412
#define IDS_ASK_END_PROCESS       413
#define IDS_FIX_NOTHING           414
#define IDS_FIX_AFTER             415
#define IDS_RESTORE_HEADER        416
#define IDS_PLAN_FAILED           417
#define IDS_CONFIRM_YES_LONG      418

/* list-backups */
#define IDS_BACKUPS_HEADER        500
#define IDS_BACKUPS_NONE          501
#define IDS_BACKUPS_ROW           502
#define IDS_BACKUPS_UNREADABLE    503

/* symptom */
#define IDS_SYMPTOM_TITLE         600
#define IDS_SYMPTOM_OURS          601
#define IDS_SYMPTOM_NOT_OURS      602
#define IDS_SYMPTOM_EXPLAIN       603
#define IDS_SYMPTOM_SOURCE        604
#define IDS_SYMPTOM_NONE          605
#define IDS_SYMPTOM_MORE          606

/* --summary: one line for Intune (2048 characters) and ConfigMgr (4 KB) */
#define IDS_SUMMARY_LINE          700
#define IDS_SUMMARY_PLAN          701
#define IDS_STATUS_BASE           710   /* + exit code 0..9 */
#define IDS_STATUS_DONE           720
#define IDS_STATUS_FOUND          721
#define IDS_STATUS_NOT_FOUND      722
#define IDS_STATUS_DRY_RUN        723

#endif
