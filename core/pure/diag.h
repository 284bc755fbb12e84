/* core/pure/diag.h: the diagnosis the user sees: one row per component, a severity, evidence and a repair. */
#ifndef CSD_DIAG_H
#define CSD_DIAG_H

#include <stddef.h>
#include <stdint.h>

/*
 * The diagnosis is a plain struct of UTF-8 text and numbers, built by the rules
 * (core/pure/rules.h) from facts the Windows checks gathered (core/win/checks.h).
 * The GUI and the CLI only read it; the repair engine reads `repair` of each row.
 * Every text field is NUL-terminated; text that did not fit is cut at a character
 * boundary, never in the middle of a UTF-8 sequence.
 */

/* Ordered so that a larger value is worse, except DIAG_NOT_CHECKED, which is never
 * "worse" than a finding: it means we do not know (diag_worst ranks it apart). */
enum diag_severity {
    DIAG_OK = 0,        /* as recommended */
    DIAG_INFO,          /* worth knowing, nothing to fix */
    DIAG_WARNING,       /* differs from the recommendation; may cause trouble */
    DIAG_PROBLEM,       /* breaks Windows Update, driver installs or signature checks */
    DIAG_NOT_CHECKED    /* could not check; the evidence says why */
};

/* The rows, in the order the user sees them. Stable numbers: scripts see them in JSON
 * through diag_component_id(). */
enum diag_component {
    DIAG_SERVICE = 0,           /* Cryptographic Services itself */
    DIAG_CATALOG_DB,            /* Catalog Database Service */
    DIAG_PROTECTED_ROOT,        /* Protected Root Service */
    DIAG_KEY_SERVICE,           /* Key Service */
    DIAG_ROOT_UPDATE,           /* Automatic Root Certificate Update (Vista+) */
    DIAG_DEPENDENCY_RPCSS,      /* Remote Procedure Call: CryptSvc depends on it */
    DIAG_SUPPORTED_APPID,       /* Application Identity: depends on CryptSvc (Win7+) */
    DIAG_SUPPORTED_WUAUSERV,    /* Windows Update: needs CryptSvc (the source article) */
    DIAG_COMPONENT_COUNT
};

/*
 * What fixes a row. The repair engine implements each id; what each one does:
 *  REPAIR_SET_AUTOMATIC        set CryptSvc's start type to Automatic (not delayed) and,
 *                              when it is stopped, start it (Windows Update needs it
 *                              running now, not at the next boot)
 *  REPAIR_START_SERVICE        start CryptSvc (it is Automatic but stopped)
 *  REPAIR_RESTART_SERVICE      stop (dependents first) and start CryptSvc again; for a
 *                              service that is not responding
 *  REPAIR_CLEAR_LOGS           stop CryptSvc, move catroot2\Edb*.log and the security
 *                              database's Edb*.log to a backup, start it (source article)
 *  REPAIR_REBUILD_CATALOG      stop CryptSvc, rename catroot2 to a backup, start it,
 *                              verify (KB822798 method 4)
 *  REPAIR_REREGISTER_DLLS      re-register the KB822798 crypto DLLs present on this Windows
 *  REPAIR_REFRESH_ROOT_LIST    clear the cached root list in CryptnetUrlCache for the
 *                              LocalService, NetworkService and LocalSystem profiles so
 *                              Windows fetches it again (KB2328240)
 *  REPAIR_RESET_WINTRUST_STATE set WinTrust `Software Publishing\State` back to 0x23c00
 *                              (KB2715304)
 *  REPAIR_START_DEPENDENCY     start the service the row names (RpcSs)
 */
enum diag_repair {
    REPAIR_NONE = 0,
    REPAIR_SET_AUTOMATIC,
    REPAIR_START_SERVICE,
    REPAIR_RESTART_SERVICE,
    REPAIR_CLEAR_LOGS,
    REPAIR_REBUILD_CATALOG,
    REPAIR_REREGISTER_DLLS,
    REPAIR_REFRESH_ROOT_LIST,
    REPAIR_RESET_WINTRUST_STATE,
    REPAIR_START_DEPENDENCY,
    REPAIR_COUNT
};

#define DIAG_NAME_LENGTH 80
#define DIAG_VALUE_LENGTH 160
#define DIAG_HEADLINE_LENGTH 160
#define DIAG_EVIDENCE_MAX 12
#define DIAG_EVIDENCE_LENGTH 200
#define DIAG_ROWS_MAX 16
#define DIAG_SUMMARY_LENGTH 300

struct diag_row {
    enum diag_component component;
    char name[DIAG_NAME_LENGTH];               /* "Cryptographic Services (CryptSvc)" */
    char current[DIAG_VALUE_LENGTH];           /* "Stopped, Manual" */
    char recommended[DIAG_VALUE_LENGTH];       /* "Running, Automatic" */
    enum diag_severity severity;
    char headline[DIAG_HEADLINE_LENGTH];       /* one sentence for the summary; "" when ok */
    char evidence[DIAG_EVIDENCE_MAX][DIAG_EVIDENCE_LENGTH]; /* plain words, most important first */
    unsigned evidence_count;
    unsigned evidence_dropped;                 /* lines that did not fit */
    enum diag_repair repair;                   /* REPAIR_NONE when nothing to do or nothing we can do */
    char repair_target[DIAG_NAME_LENGTH];      /* the service REPAIR_START_DEPENDENCY starts; else "" */
};

struct diagnosis {
    struct diag_row rows[DIAG_ROWS_MAX];
    unsigned row_count;
    char summary[DIAG_SUMMARY_LENGTH];         /* plain words, built from the rows by diag_summarize */
    enum diag_severity worst;                  /* set by diag_summarize */
};

/* An empty diagnosis. */
void diag_init(struct diagnosis *diagnosis);

/* Appends a row (severity DIAG_NOT_CHECKED, no evidence) and returns it, or NULL when full. */
struct diag_row *diag_add_row(struct diagnosis *diagnosis, enum diag_component component, const char *name);

/* The first row of `component`, or NULL. */
const struct diag_row *diag_find(const struct diagnosis *diagnosis, enum diag_component component);

/* Copies `source` into `dest` (capacity `size` bytes), cut at a UTF-8 character boundary. */
void diag_copy(char *dest, size_t size, const char *source);

/* printf into `dest`, cut at a UTF-8 character boundary. */
void diag_format(char *dest, size_t size, const char *format, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Adds an evidence line (printf style). Returns 1, or 0 when the row was full (counted). */
int diag_evidence(struct diag_row *row, const char *format, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Sets the row's severity to `severity` if that ranks higher (diag_severity_rank). A new row
 * starts as DIAG_NOT_CHECKED: a rule that has its facts sets DIAG_OK first, then raises. */
void diag_raise(struct diag_row *row, enum diag_severity severity);

/* Order used to compare severities: ok 0 < info 1 < not checked 2 < warning 3 < problem 4. */
int diag_severity_rank(enum diag_severity severity);

/* Stable lower-case ids for JSON and logs: "ok", "info", "warning", "problem", "not_checked";
 * "service", "catalog_db", ...; "none", "set_automatic", .... NULL for an unknown value. */
const char *diag_severity_id(enum diag_severity severity);
const char *diag_component_id(enum diag_component component);
const char *diag_repair_id(enum diag_repair repair);

/* Plain words for a person: "Not checked"; "Set Cryptographic Services to Automatic". */
const char *diag_severity_name(enum diag_severity severity);
const char *diag_repair_title(enum diag_repair repair);

/* Fills diagnosis->summary and ->worst from the rows: the headlines of the problem rows,
 * then of the warning rows, as many as fit; "Cryptographic Services and its four parts
 * look healthy." when nothing is wrong; a count of the checks that could not run. */
void diag_summarize(struct diagnosis *diagnosis);

/*
 * The distinct repairs the rows recommend, in the order "Fix all" should run them:
 * dependency first, then start type, the catalog cures (logs before rebuild; a rebuild
 * makes clearing logs needless), registrations and settings, and a start or restart last
 * (a catalog cure already ends by starting the service, so it drops START/RESTART).
 * Returns how many were written to `out` (at most `max`).
 */
size_t diag_plan(const struct diagnosis *diagnosis, enum diag_repair *out, size_t max);

#endif
