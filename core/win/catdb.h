/* core/win/catdb.h: the catalog database folders (catroot2, catroot, security logs) and their verdicts. */
#ifndef CSD_CATDB_H
#define CSD_CATDB_H

#include <windows.h>

#include "pure/ese.h"

/*
 * catdb_scan reads, never writes: every file is opened for reading with the widest
 * sharing, through the seam, and symbolic links and junctions are reported and never
 * followed. What it looks at (docs/catalog-health.md has the details and the numbers):
 *  - System32\catroot2\{F750E6C3-...}\catdb and {127D0A1D-...}\catdb: header (both copies),
 *    and with options->deep every page, streamed in chunks;
 *  - catroot2\edb.chk and every edb*.log / edbtmp.log / edbres*.jrs: the first 4 KiB of each
 *    and its size (so a pile of 100 000 logs stays cheap), judged with ese_judge;
 *  - catroot2\dberr.txt: its last 64 KiB, its error lines;
 *  - %SystemRoot%\security and %SystemRoot%\Security\Database: their Edb*.log;
 *  - System32\catroot\{F750E6C3-...}: how many .cat files (catroot is never touched).
 *
 * In use: a file another process holds open for writing (CryptSvc's ESE keeps both catdb
 * and edb.log open while it runs) is "in use". Its verdict is never healthy: a database
 * whose header could not be read is CATDB_NOT_READABLE with in_use set, and its pages are
 * never checked while it is in use. A deep check therefore needs CryptSvc stopped first;
 * stopping and restarting it is the repair engine's job: it calls catdb_scan again with
 * the service stopped when a database reports in_use.
 */

/* Ordered from best to worst as `overall` ranks them (see catdb_verdict_rank). */
enum catdb_verdict_kind { CATDB_HEALTHY, CATDB_SUSPICIOUS, CATDB_CORRUPT, CATDB_NOT_READABLE, CATDB_MISSING };

#define CATDB_GUID_SYSTEM L"{F750E6C3-38EE-11D1-85E5-00C04FC295EE}"  /* DRIVER_ACTION_VERIFY */
#define CATDB_GUID_DEFAULT L"{127D0A1D-4EF2-11D1-8608-00C04FC295EE}" /* DEF_SUBSYS_ID */

#define CATDB_REASON_LENGTH 200

struct catdb_database {            /* one per catroot2\{GUID}\catdb */
    WCHAR guid[40];
    enum catdb_verdict_kind verdict;
    struct ese_verdict_result judged;   /* from ese_judge: evidence lines, strongest first */
    BOOL in_use;                        /* locked by the running service: honestly "in use", never "healthy" */
    /* added */
    WCHAR path[MAX_PATH];               /* ...\catroot2\{GUID}\catdb */
    BOOL header_read;                   /* the header pages were read (state, page size below valid) */
    BOOL deep_checked;                  /* every page was read and checked */
    BOOL is_reparse;                    /* the GUID folder or catdb is a link: not followed */
    DWORD open_error;                   /* 0, or the Win32 error that kept it from being read */
    char reason[CATDB_REASON_LENGTH];   /* "" or why it was not (fully) read, plain words */
    ULONGLONG size;                     /* bytes */
    uint32_t page_size, db_state;       /* db_state: ESE_DB_CLEAN_SHUTDOWN ... */
    uint64_t pages_total, pages_bad, pages_unused;  /* deep check only */
};

struct catdb_report {
    WCHAR windows_dir[MAX_PATH];
    enum catdb_verdict_kind overall;     /* worst of all databases and the folder checks */
    char summary[256];                   /* one plain-English line (UTF-8) for the row */
    char evidence[16][200]; unsigned evidence_count;   /* plain words, strongest first, e.g. "page 1 872 of 4 096 fails its checksum" */
    struct catdb_database databases[2]; unsigned database_count;
    unsigned log_count; ULONGLONG log_bytes; ULONGLONG edb_log_size;  /* catroot2 Edb*.log */
    unsigned security_log_count; WCHAR security_log_dir[MAX_PATH];      /* %SystemRoot%\security or Security\Database, whichever holds Edb*.log */
    unsigned catroot_cat_count;          /* .cat files in System32\catroot\{F750...}: 0 is a finding */
    BOOL catroot2_missing, catroot2_is_reparse, any_reparse_inside;
    unsigned dberr_error_count; char dberr_tail[8][200]; unsigned dberr_tail_count;
    BOOL logs_only_problem;              /* the light cure (set Edb.log / Edb*.log aside) is enough */
    /* added */
    unsigned evidence_dropped;           /* evidence lines that did not fit */
    unsigned transaction_log_count;      /* edb.log + edbNNNNN.log (what KB977893 counts) */
    unsigned log_headers_read;           /* logs whose header was read (all of them up to a cap) */
    unsigned zero_length_logs, damaged_logs, locked_logs, reserve_logs;
    unsigned leftover_count;             /* files in catroot2 that ESE does not make (e.g. edb.tst) */
    BOOL checkpoint_present;
    BOOL catroot_missing;                /* System32\catroot\{F750...} does not exist */
    BOOL dberr_present, dberr_recent;    /* recent: written in the last 30 days */
    ULONGLONG dberr_size;
    unsigned security_damaged_logs;
    unsigned unreadable_count;           /* files or folders that could not be read */
    double seconds;                      /* how long the scan took */
};

struct catdb_options {
    BOOL deep;                 /* walk every page of each catdb */
    /* added; 0 means the default */
    unsigned log_header_max;   /* read at most this many log headers, newest first (default 4 096) */
    DWORD chunk_bytes;         /* deep check read size (default 1 MiB) */
};

/* windows_dir NULL: the real %SystemRoot% (GetSystemWindowsDirectoryW); tests pass a folder of
 * their own. options NULL: defaults (no deep check). Returns 0 or a Win32 error when the scan
 * could not start at all (then *out untouched): no Windows folder, out of memory. */
DWORD catdb_scan(const WCHAR *windows_dir, const struct catdb_options *options, struct catdb_report *out);
/* "healthy", "suspicious", "corrupt", "not readable", "missing". */
const char *catdb_verdict_name(enum catdb_verdict_kind kind);
/* How bad a verdict is for `overall`: healthy 0 < suspicious 1 < missing 2 < not readable 3 <
 * corrupt 4. A proven corruption outranks an unread file; an unread file outranks a catroot2
 * that Windows rebuilds by itself. */
int catdb_verdict_rank(enum catdb_verdict_kind kind);

#endif
