/* core/pure/rules.h: the rules that turn plain facts about CryptSvc into the rows the user sees. */
#ifndef CSD_RULES_H
#define CSD_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "pure/diag.h"

/*
 * Facts in, rows out. The facts structs hold only numbers and UTF-8 text, so every rule
 * runs and is tested on any host. The Windows checks (core/win/checks.h) fill them.
 *
 * Error fields hold a Win32 error (or an HRESULT/SECURITY_STATUS where the field says so):
 * 0 means the call worked. A field documented as "RULES_NOT_RUN" was never attempted.
 * Where a fact cannot be known (Wine lacks the store, a remote machine, a stub API), the
 * rules say "could not check: <reason>" and never guess a state.
 */

#define RULES_NOT_RUN 0xFFFFFFFFu        /* an error field: the check was not attempted */
#define RULES_TIMED_OUT 0x000005B4u      /* ERROR_TIMEOUT (1460): a call did not return in time */
#define RULES_NO_ANSWER 0xFFFFFFFEu      /* a call gave neither a result nor an error (a stub: Wine's EvtQuery) */

#define RULES_TEXT_LENGTH 520            /* paths and command lines, UTF-8 */
#define RULES_NAME_LENGTH 260

/* Windows version as RtlGetVersion reports it; all zero when unknown. */
struct rules_version {
    uint32_t major, minor, build;
};

/* 1 when version >= major.minor.build; an unknown version (0.0.0) counts as "new enough",
 * so a failed version query never hides a check. */
int rules_version_at_least(const struct rules_version *version, uint32_t major, uint32_t minor, uint32_t build);
/* "Windows 10 (build 19045)", "Windows 7 SP1-era (6.1.7601)", "unknown Windows". */
void rules_version_name(const struct rules_version *version, char *out, size_t size);

/* ---- the table of recommended values --------------------------------------------------- */

enum rules_value_id {
    RULES_START_TYPE,          /* Automatic (2), not delayed */
    RULES_STATE,               /* Running (4) */
    RULES_IMAGE_PATH,          /* svchost.exe -k NetworkService [-p] / -k netsvcs on XP */
    RULES_ACCOUNT,             /* NT Authority\NetworkService (LocalSystem on XP) */
    RULES_DEPENDS_ON,          /* DependOnService contains RpcSs */
    RULES_SERVICE_DLL,         /* Parameters\ServiceDll = %SystemRoot%\system32\cryptsvc.dll */
    RULES_FAILURE_ACTIONS,     /* first failure: restart after 60 000 ms; reset after 86 400 s */
    RULES_SERVICE_SID_TYPE,    /* 1, unrestricted */
    RULES_WINTRUST_STATE,      /* 0x23c00 (0x23e00 also valid) */
    RULES_ROOT_LIST_MAX_AGE,   /* days since the root list's own date before it counts as stale */
    RULES_ROOT_SYNC_MAX_AGE,   /* days since the last sync before we mention it */
    RULES_APPID_EXISTS,        /* Application Identity depends on CryptSvc: Windows 7 and later */
    RULES_ROOT_UPDATE_EXISTS,  /* Automatic Root Certificate Update: Vista and later */
    RULES_VALUE_COUNT
};

/* One recommended value, for the Windows versions in [min, max). max 0.0.0 = no upper bound. */
struct rules_recommended {
    enum rules_value_id id;
    struct rules_version min, max;
    uint32_t number;           /* the value when it is a number (start type 2, 60000 ms ...) */
    const char *text;          /* the value as text, %SystemRoot% unexpanded; NULL when numeric */
    const char *also_text;     /* a second accepted text (the "-p" form), or NULL */
    const char *source;        /* where the value comes from */
};

/* The table entry for `id` on `version` (the first whose range holds it), or NULL. */
const struct rules_recommended *rules_recommended(enum rules_value_id id, const struct rules_version *version);
/* The whole table, for docs and tests. */
const struct rules_recommended *rules_recommended_table(size_t *count);

/* Case-insensitive comparison of two command lines or paths after replacing %SystemRoot%
 * and %windir% by `windows_dir`, surrounding quotes removed and runs of spaces collapsed.
 * 1 when equal. */
int rules_same_command(const char *a, const char *b, const char *windows_dir);

/* ---- Group Policy ---------------------------------------------------------------------- */

/*
 * "Security Settings > System Services" in a GPO is kept in the GPO's GptTmpl.inf, section
 * [Service General Setting], one line per service: "CryptSvc",2,"D:AR(...)" (MS-GPSB 2.2.8;
 * StartupMode 2 Automatic, 3 Manual, 4 Disabled). The Security client-side extension copies
 * each applied GPO's template to %SystemRoot%\security\templates\policies\gptNNNNN.inf/.dom
 * before applying it, and re-applies it at every refresh (every 16 hours at the latest).
 * Finds `service` in one template's text (UTF-8). Returns 1 and *startup_mode when found.
 */
int rules_template_service_mode(const char *template_text, const char *service, uint32_t *startup_mode);

/* ---- the service row ------------------------------------------------------------------- */

struct rules_link {
    char name[RULES_NAME_LENGTH];
    uint32_t error;             /* 0; 1060 not installed; other: could not be queried */
    uint32_t state;             /* SERVICE_RUNNING ... */
    uint32_t start_type;
};

struct rules_service_facts {
    int remote;                 /* 1 when diagnosing another machine */
    struct rules_version version;
    uint32_t version_error;     /* 0, or why the version is unknown */
    char windows_dir[RULES_NAME_LENGTH];   /* the machine's %SystemRoot%, "" if unknown */

    uint32_t query_error;       /* svc_query: 0, RULES_TIMED_OUT (no answer in time), or its error */
    uint32_t query_wait_ms;     /* how long we waited for it, for the timed-out message */
    uint32_t state, start_type;
    int delayed_auto;           /* 1, 0, or -1 when Windows would not say */
    uint32_t win32_exit_code, service_exit_code;
    uint32_t pid;
    uint32_t checkpoint, wait_hint;
    /* A pending state watched for progress: how long it stayed in the same state with the
     * same checkpoint (0 when not pending). Longer than wait_hint: not responding. */
    uint32_t pending_still_ms;
    char image_path[RULES_TEXT_LENGTH];
    char account[RULES_NAME_LENGTH];
    char host_image[RULES_TEXT_LENGTH];    /* the host process's image, when running, "" unknown */

    uint32_t depends_error;     /* reading DependOnService */
    unsigned depends_count;
    char depends[8][RULES_NAME_LENGTH];
    unsigned dependents_count;
    struct rules_link dependents[8];

    uint32_t service_dll_error; /* Parameters\ServiceDll; 2 absent */
    char service_dll[RULES_TEXT_LENGTH];

    uint32_t failure_error;     /* QueryServiceConfig2W(FAILURE_ACTIONS); 124 on Wine */
    uint32_t failure_reset_s, failure_count, failure_first_type, failure_first_delay_ms;

    uint32_t sid_error;         /* QueryServiceConfig2W(SERVICE_SID_INFO) */
    uint32_t sid_type;

    /* Group Policy "System Services": RULES_NOT_RUN, 0 read, or the error reading the cache
     * of applied templates (5: needs admin). */
    uint32_t policy_error;
    int policy_found;           /* a template in the cache sets CryptSvc's start mode */
    uint32_t policy_mode;       /* 2, 3 or 4 */
    char policy_file[RULES_NAME_LENGTH];
};

/* The Cryptographic Services row. */
void rules_service_row(const struct rules_service_facts *facts, struct diag_row *row);

/* ---- the catalog database row ---------------------------------------------------------- */

enum rules_catdb_verdict {
    RULES_CATDB_NOT_CHECKED = 0, RULES_CATDB_HEALTHY, RULES_CATDB_SUSPICIOUS, RULES_CATDB_CORRUPT,
    RULES_CATDB_NOT_READABLE, RULES_CATDB_MISSING
};

/* The catalog-database folder verdict (core/win/catdb.h catdb_report, carried over). */
struct rules_catdb_facts {
    enum rules_catdb_verdict verdict;
    char reason[200];           /* why not checked ("" otherwise) */
    char summary[256];
    unsigned evidence_count;
    char evidence[8][200];
    int in_use;                 /* the database was locked by the running service */
    int logs_only;              /* setting the Edb*.log files aside is the whole cure */
    unsigned transaction_log_count;
    unsigned catroot_cat_count;
    int catroot_missing;
};

struct rules_catalog_facts {
    int remote, wine;
    struct rules_catdb_facts db;

    /* The catalog API on a signed system file (KB813442's concern). */
    uint32_t api_error;         /* RULES_NOT_RUN, 0, RULES_TIMED_OUT, or the failing step's error */
    char api_step[64];          /* "CryptCATAdminEnumCatalogFromHash" ... */
    char probe_file[RULES_TEXT_LENGTH];
    char catalog_file[RULES_TEXT_LENGTH];
    unsigned hash_bits;         /* 160 SHA-1, 256 SHA-256 */
    uint32_t trust_result;      /* WinVerifyTrust's HRESULT; RULES_NOT_RUN if not reached */

    /* Application log, last `event_days` days. events_error: RULES_NOT_RUN, 0, or why not. */
    uint32_t events_error;
    unsigned event_days;
    unsigned capi2_256, capi2_257, esent_471, esent_623;
    char last_event[200];       /* newest matching event, plain words */
};

void rules_catalog_row(const struct rules_catalog_facts *facts, struct diag_row *row);

/* ---- the protected root row ------------------------------------------------------------ */

enum rules_presence { RULES_UNKNOWN = 0, RULES_PRESENT, RULES_ABSENT, RULES_DENIED };

struct rules_root_facts {
    int remote, wine;
    uint32_t lm_error, cu_error;         /* opening LocalMachine\Root / CurrentUser\Root */
    uint32_t lm_count, cu_count;
    unsigned ms_checked, ms_found;       /* Microsoft roots looked for by thumbprint in LM\Root */
    uint32_t ms_error;                   /* 0, or why the search failed (not "not found") */
    char ms_missing[4][80];              /* names of required ones not found */
    unsigned ms_missing_count;
    enum rules_presence protected_roots; /* HKCU\...\Root\ProtectedRoots\Certificates */
    uint32_t protected_roots_error;
};

void rules_root_row(const struct rules_root_facts *facts, struct diag_row *row);

/* ---- the key service row --------------------------------------------------------------- */

struct rules_key_facts {
    int remote, wine;
    uint32_t capi_error;                 /* CryptAcquireContextW(PROV_RSA_AES, VERIFYCONTEXT) */
    uint32_t random_error;               /* CryptGenRandom */
    uint32_t cng_error;                  /* NCryptOpenStorageProvider(MS_KEY_STORAGE_PROVIDER), SECURITY_STATUS */
    uint32_t machine_keys_error;         /* GetFileAttributesW of ...\Crypto\RSA\MachineKeys */
    int machine_keys_is_dir;
    uint32_t machine_keys_list_error;    /* listing it */
    char machine_keys_path[RULES_TEXT_LENGTH];
    uint32_t machine_guid_error;         /* HKLM\SOFTWARE\Microsoft\Cryptography\MachineGuid */
};

void rules_key_row(const struct rules_key_facts *facts, struct diag_row *row);

/* ---- the automatic root certificate update row ----------------------------------------- */

struct rules_root_update_facts {
    int remote, wine;
    struct rules_version version;
    uint64_t now;                        /* FILETIME, 100 ns since 1601 */

    uint32_t policy_error;               /* opening the AuthRoot policy key; 2 = no policy */
    int disable_root_auto_update;        /* -1 not set, else the value */
    int enable_disallowed_auto_update;   /* -1 not set, else the value */

    uint32_t sync_error;                 /* AuthRoot\AutoUpdate\LastSyncTime */
    uint64_t last_sync;
    uint32_t ctl_error;                  /* EncodedCtl read + CertCreateCTLContext */
    uint64_t ctl_this_update;
    uint32_t ctl_entries;

    uint32_t events_error;               /* CAPI2 4107 / 11 in the Application log */
    unsigned event_days;
    unsigned capi2_4107, capi2_11;

    /* WinTrust Software Publishing\State (KB2715304), this user and .DEFAULT (services). */
    uint32_t trust_state_error, trust_state_default_error;   /* 2 = absent: Windows uses its default */
    uint32_t trust_state, trust_state_default;
};

void rules_root_update_row(const struct rules_root_update_facts *facts, struct diag_row *row);

/* ---- dependencies and dependents ------------------------------------------------------- */

struct rules_dependency_facts {
    int remote;
    struct rules_version version;
    uint32_t query_error;        /* svc_query of the service; 1060 not installed */
    uint32_t state, start_type;
    int delayed_auto;
    int listed;                  /* RpcSs: named in CryptSvc's DependOnService (-1 unknown);
                                    AppIDSvc: names CryptSvc in its own (-1 unknown) */
};

/* `component`: DIAG_DEPENDENCY_RPCSS, DIAG_SUPPORTED_APPID or DIAG_SUPPORTED_WUAUSERV. */
void rules_dependency_row(enum diag_component component, const struct rules_dependency_facts *facts,
                          struct diag_row *row);

/* ---- helpers shared with the checks ---------------------------------------------------- */

/* Plain words for an error number the checks meet: "access is denied" (5), "not found" (2),
 * "did not answer in time" (RULES_TIMED_OUT) ...; "error N" (as "error 0x8009000F" for
 * HRESULTs) otherwise. Written into `out`. */
void rules_error_words(uint32_t error, char *out, size_t size);

/* The row's display name for a component: "Cryptographic Services (CryptSvc)", ... */
const char *rules_component_name(enum diag_component component);

#endif
