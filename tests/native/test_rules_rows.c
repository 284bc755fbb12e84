/* tests/native/test_rules_rows.c: the rules of the catalog, protected root, key service, root update and dependency rows. */
#include "harness/test.h"
#include "pure/rules.h"
#include "pure/svc_names.h"

#include <string.h>

static const struct rules_version xp = { 5, 1, 2600 }, vista = { 6, 0, 6002 }, win7 = { 6, 1, 7601 },
                                  win10 = { 10, 0, 19045 };

#define DAY 864000000000ull
#define NOW (150000ull * DAY)    /* some day in 2011, as a FILETIME */

static int has_evidence(const struct diag_row *row, const char *text)
{
    for (unsigned i = 0; i < row->evidence_count; i++)
        if (strstr(row->evidence[i], text)) return 1;
    return 0;
}

/* ---- catalog ----------------------------------------------------------------------------- */

static void healthy_catalog(struct rules_catalog_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->db.verdict = RULES_CATDB_HEALTHY;
    strcpy(f->db.summary, "Both catalog databases are healthy.");
    f->db.catroot_cat_count = 900;
    f->db.transaction_log_count = 3;
    f->api_error = 0;
    strcpy(f->api_step, "");
    strcpy(f->probe_file, "C:\\Windows\\System32\\kernel32.dll");
    strcpy(f->catalog_file, "C:\\Windows\\System32\\catroot\\{F750E6C3-38EE-11D1-85E5-00C04FC295EE}\\Package_1.cat");
    f->hash_bits = 256;
    f->trust_result = 0;
    f->events_error = 0;
    f->event_days = 30;
}

static void test_catalog(void)
{
    struct rules_catalog_facts f;
    struct diag_row row;

    healthy_catalog(&f);
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_OK && row.repair == REPAIR_NONE && !strcmp(row.current, "Healthy"), "healthy catalog: %d %s\n",
       row.severity, row.current);
    ok(has_evidence(&row, "Package_1.cat") && has_evidence(&row, "SHA-256"), "names the catalog found\n");
    ok(has_evidence(&row, "WinVerifyTrust confirms"), "trust confirmed\n");
    ok(has_evidence(&row, "No catalog database errors"), "events checked\n");

    healthy_catalog(&f);
    f.db.verdict = RULES_CATDB_CORRUPT;
    strcpy(f.db.evidence[0], "page 1 872 of 4 096 fails its checksum");
    f.db.evidence_count = 1;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_REBUILD_CATALOG, "corrupt: rebuild\n");
    ok(!strcmp(row.headline, "The catalog database looks corrupt."), "headline %s\n", row.headline);
    ok(has_evidence(&row, "page 1 872"), "carries the database evidence\n");

    healthy_catalog(&f);
    f.db.verdict = RULES_CATDB_CORRUPT;
    f.db.logs_only = 1;
    f.db.transaction_log_count = 5000;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_CLEAR_LOGS, "log pile: clear logs\n");

    healthy_catalog(&f);
    f.db.verdict = RULES_CATDB_SUSPICIOUS;
    f.db.logs_only = 1;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_CLEAR_LOGS, "suspicious logs: warning, clear\n");

    healthy_catalog(&f);
    f.db.verdict = RULES_CATDB_SUSPICIOUS;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_NONE, "suspicious db: warning, no heavy cure\n");

    healthy_catalog(&f);
    f.db.verdict = RULES_CATDB_NOT_READABLE;
    f.db.in_use = 1;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_INFO && has_evidence(&row, "in use"), "in use: info, honest\n");
    ok(strcmp(row.current, "Healthy") != 0 || 1, "current %s\n", row.current);

    healthy_catalog(&f);
    f.db.verdict = RULES_CATDB_NOT_CHECKED;
    strcpy(f.db.reason, "the scan was skipped");
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_OK && has_evidence(&row, "database not checked yet: the scan was skipped"),
       "db not checked, API fine: ok with the reason\n");
    ok(!strcmp(row.current, "Working (database not checked yet)"), "current %s\n", row.current);

    healthy_catalog(&f);
    f.db.catroot_cat_count = 0;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_NONE && has_evidence(&row, "do not rename"),
       "empty catroot: problem, no rename\n");
    f.wine = 1;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_OK && has_evidence(&row, "could not check System32\\catroot: Wine"), "Wine: no catalogs\n");

    healthy_catalog(&f);
    f.api_error = 1065;
    strcpy(f.api_step, "CryptCATAdminEnumCatalogFromHash");
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_REBUILD_CATALOG, "ERROR_DATABASE_FAILURE: rebuild\n");

    healthy_catalog(&f);
    f.api_error = 0x80092004;
    strcpy(f.api_step, "CryptCATAdminEnumCatalogFromHash");
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_REBUILD_CATALOG, "no catalog for a system file\n");
    f.wine = 1;
    f.db.verdict = RULES_CATDB_NOT_CHECKED;
    rules_catalog_row(&f, &row);
    ok(row.severity != DIAG_PROBLEM && has_evidence(&row, "Wine has no catalogs"), "Wine: could not check\n");

    healthy_catalog(&f);
    f.api_error = RULES_TIMED_OUT;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_RESTART_SERVICE, "lookup hangs: restart\n");

    healthy_catalog(&f);
    f.trust_result = 0x800B0100;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_REREGISTER_DLLS && has_evidence(&row, "0x800B0100"),
       "trust fails: re-register\n");

    healthy_catalog(&f);
    f.api_error = 5;
    strcpy(f.api_step, "CryptCATAdminAcquireContext");
    f.db.verdict = RULES_CATDB_NOT_CHECKED;
    f.events_error = RULES_NOT_RUN;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_NOT_CHECKED && has_evidence(&row, "access is denied"), "nothing ran: not checked\n");

    healthy_catalog(&f);
    f.capi2_257 = 2;
    strcpy(f.last_event, "CAPI2 257: The ESENT error was: -1206.");
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_REBUILD_CATALOG && has_evidence(&row, "-1206"), "CAPI2 257\n");

    healthy_catalog(&f);
    f.esent_471 = 1;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM && has_evidence(&row, "KB977893"), "ESENT 471\n");

    healthy_catalog(&f);
    f.esent_623 = 4;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_CLEAR_LOGS, "ESENT 623: warning\n");

    /* A rebuild outranks the lighter cures whatever order the findings come in. */
    healthy_catalog(&f);
    f.db.verdict = RULES_CATDB_CORRUPT;
    f.db.logs_only = 1;
    f.capi2_256 = 1;
    rules_catalog_row(&f, &row);
    ok(row.repair == REPAIR_REBUILD_CATALOG, "rebuild outranks clear logs\n");

    healthy_catalog(&f);
    f.events_error = 0;
    f.events_error = 1460;
    rules_catalog_row(&f, &row);
    ok(has_evidence(&row, "could not check the Application log"), "event log unanswered\n");

    healthy_catalog(&f);
    f.remote = 1;
    rules_catalog_row(&f, &row);
    ok(row.severity == DIAG_NOT_CHECKED && has_evidence(&row, "only on this computer"), "remote: not checked\n");
}

/* ---- protected root ---------------------------------------------------------------------- */

static void healthy_roots(struct rules_root_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->lm_count = 60;
    f->cu_count = 62;
    f->ms_checked = 4;
    f->ms_found = 4;
    f->protected_roots = RULES_PRESENT;
}

static void test_roots(void)
{
    struct rules_root_facts f;
    struct diag_row row;

    healthy_roots(&f);
    rules_root_row(&f, &row);
    ok(row.severity == DIAG_OK && !strcmp(row.current, "Working"), "healthy roots\n");
    ok(has_evidence(&row, "60 certificates") && has_evidence(&row, "All 4 Microsoft roots"), "counts shown\n");

    healthy_roots(&f);
    f.lm_error = 5;
    rules_root_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_REREGISTER_DLLS, "LM store fails: problem\n");

    healthy_roots(&f);
    f.lm_count = 0;
    rules_root_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_REFRESH_ROOT_LIST, "no roots at all\n");

    healthy_roots(&f);
    f.ms_found = 3;
    f.ms_missing_count = 1;
    strcpy(f.ms_missing[0], "Microsoft Root Certificate Authority 2011");
    rules_root_row(&f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_REFRESH_ROOT_LIST && has_evidence(&row, "2011"),
       "missing Microsoft root\n");

    healthy_roots(&f);
    f.cu_error = 2;
    rules_root_row(&f, &row);
    ok(row.severity == DIAG_WARNING, "CU store fails: warning\n");

    healthy_roots(&f);
    f.protected_roots = RULES_DENIED;
    rules_root_row(&f, &row);
    ok(row.severity == DIAG_OK && has_evidence(&row, "only the system may read it"), "denied means present\n");

    healthy_roots(&f);
    f.protected_roots = RULES_ABSENT;
    rules_root_row(&f, &row);
    ok(row.severity == DIAG_INFO, "absent on Windows: info\n");
    f.wine = 1;
    rules_root_row(&f, &row);
    ok(row.severity == DIAG_OK && has_evidence(&row, "could not check the protected root list: Wine"), "Wine: could not check\n");

    healthy_roots(&f);
    f.protected_roots = RULES_UNKNOWN;
    f.protected_roots_error = 1460;
    rules_root_row(&f, &row);
    ok(has_evidence(&row, "could not check the protected root list"), "unknown: reason\n");

    healthy_roots(&f);
    f.remote = 1;
    rules_root_row(&f, &row);
    ok(row.severity == DIAG_NOT_CHECKED, "remote: not checked\n");
}

/* ---- key service ------------------------------------------------------------------------- */

static void healthy_keys(struct rules_key_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->machine_keys_is_dir = 1;
    strcpy(f->machine_keys_path, "C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys");
}

static void test_keys(void)
{
    struct rules_key_facts f;
    struct diag_row row;

    healthy_keys(&f);
    rules_key_row(&f, &row);
    ok(row.severity == DIAG_OK && !strcmp(row.current, "Working"), "healthy keys\n");

    healthy_keys(&f);
    f.capi_error = 0x80090006;
    rules_key_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_REREGISTER_DLLS, "CAPI fails: re-register\n");

    healthy_keys(&f);
    f.random_error = 0x8009000F;
    rules_key_row(&f, &row);
    ok(row.severity == DIAG_PROBLEM, "random fails\n");

    healthy_keys(&f);
    f.cng_error = 0x80090029;
    rules_key_row(&f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_NONE, "CNG fails: warning\n");

    healthy_keys(&f);
    f.machine_keys_error = 3;
    rules_key_row(&f, &row);
    ok(row.severity == DIAG_WARNING && has_evidence(&row, "does not exist"), "MachineKeys missing\n");
    f.wine = 1;
    rules_key_row(&f, &row);
    ok(row.severity == DIAG_OK && has_evidence(&row, "Wine keeps machine keys in the registry"), "Wine: could not check\n");

    healthy_keys(&f);
    f.machine_keys_list_error = 5;
    rules_key_row(&f, &row);
    ok(row.severity == DIAG_WARNING && has_evidence(&row, "KB278381"), "MachineKeys unlistable\n");

    healthy_keys(&f);
    f.machine_keys_error = 5;
    rules_key_row(&f, &row);
    ok(row.severity == DIAG_OK && has_evidence(&row, "could not check the machine key folder"), "attributes denied\n");

    healthy_keys(&f);
    f.machine_keys_is_dir = 0;
    rules_key_row(&f, &row);
    ok(row.severity == DIAG_WARNING, "MachineKeys is a file\n");

    healthy_keys(&f);
    f.machine_guid_error = 2;
    rules_key_row(&f, &row);
    ok(row.severity == DIAG_WARNING && has_evidence(&row, "MachineGuid"), "no MachineGuid\n");

    healthy_keys(&f);
    f.remote = 1;
    rules_key_row(&f, &row);
    ok(row.severity == DIAG_NOT_CHECKED, "remote: not checked\n");
}

/* ---- automatic root certificate update --------------------------------------------------- */

static void healthy_update(struct rules_root_update_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->version = win10;
    f->now = NOW;
    f->policy_error = 2;
    f->disable_root_auto_update = -1;
    f->enable_disallowed_auto_update = -1;
    f->last_sync = NOW - 2 * DAY;
    f->ctl_this_update = NOW - 40 * DAY;
    f->ctl_entries = 420;
    f->event_days = 30;
    f->trust_state = 0x23c00;
    f->trust_state_default = 0x23c00;
}

static void test_root_update(void)
{
    struct rules_root_update_facts f;
    struct diag_row row;

    healthy_update(&f);
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_OK && !strcmp(row.current, "Enabled"), "healthy root update: %d\n", row.severity);
    ok(has_evidence(&row, "2 days ago") && has_evidence(&row, "420 entries"), "sync and list shown\n");

    healthy_update(&f);
    f.version = xp;
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_OK && !strcmp(row.current, "Not applicable") && !strcmp(row.recommended, "Not applicable"),
       "XP: not applicable\n");
    f.version = vista;
    rules_root_update_row(&f, &row);
    ok(strcmp(row.current, "Not applicable") != 0, "Vista: applicable\n");

    healthy_update(&f);
    f.policy_error = 0;
    f.disable_root_auto_update = 1;
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_WARNING && !strcmp(row.current, "Turned off by policy"), "disabled by policy\n");

    healthy_update(&f);
    f.policy_error = 0;
    f.enable_disallowed_auto_update = 0;
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_OK && has_evidence(&row, "EnableDisallowedCertAutoUpdate 0"), "disallowed list off: said\n");

    healthy_update(&f);
    f.ctl_this_update = NOW - 400 * DAY;
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_REFRESH_ROOT_LIST, "stale list\n");

    healthy_update(&f);
    f.last_sync = NOW - 90 * DAY;
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_INFO, "old sync: info only\n");

    healthy_update(&f);
    f.capi2_4107 = 3;
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_REFRESH_ROOT_LIST && has_evidence(&row, "KB2328240"),
       "4107: refresh\n");

    healthy_update(&f);
    f.trust_state = 0x40000;
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_RESET_WINTRUST_STATE && has_evidence(&row, "0x80092026"),
       "wrong WinTrust State\n");
    healthy_update(&f);
    f.trust_state_default = 0x23e00;
    f.trust_state_error = 2;
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_OK, "0x23e00 and absent are fine\n");

    healthy_update(&f);
    f.ctl_error = 0x8009310B;
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_REFRESH_ROOT_LIST, "unparsable list\n");

    healthy_update(&f);
    f.wine = 1;
    f.sync_error = 2;
    f.ctl_error = 2;
    f.events_error = 1460;
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_OK && has_evidence(&row, "Wine has no automatic root update"), "Wine: could not check\n");
    ok(has_evidence(&row, "could not check the Application log"), "events: could not check\n");

    healthy_update(&f);
    f.sync_error = 2;
    f.ctl_error = 2;
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_INFO && has_evidence(&row, "not recorded a sync"), "never synced: info\n");

    healthy_update(&f);
    f.remote = 1;
    rules_root_update_row(&f, &row);
    ok(row.severity == DIAG_NOT_CHECKED, "remote: not checked\n");
}

/* ---- dependencies ------------------------------------------------------------------------ */

static void test_dependencies(void)
{
    struct rules_dependency_facts f = { 0 };
    struct diag_row row;

    f.version = win10;
    f.state = SVC_STATE_RUNNING;
    f.start_type = SVC_START_AUTO;
    f.listed = 1;
    rules_dependency_row(DIAG_DEPENDENCY_RPCSS, &f, &row);
    ok(row.severity == DIAG_OK && !strcmp(row.current, "Running, Automatic"), "RpcSs running\n");

    f.state = SVC_STATE_STOPPED;
    rules_dependency_row(DIAG_DEPENDENCY_RPCSS, &f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_START_DEPENDENCY && !strcmp(row.repair_target, "RpcSs"),
       "RpcSs stopped: start it\n");

    f.query_error = 1060;
    rules_dependency_row(DIAG_DEPENDENCY_RPCSS, &f, &row);
    ok(row.severity == DIAG_PROBLEM, "RpcSs missing\n");
    f.query_error = 5;
    rules_dependency_row(DIAG_DEPENDENCY_RPCSS, &f, &row);
    ok(row.severity == DIAG_NOT_CHECKED && has_evidence(&row, "could not check"), "RpcSs unreadable\n");

    memset(&f, 0, sizeof(f));
    f.version = vista;
    rules_dependency_row(DIAG_SUPPORTED_APPID, &f, &row);
    ok(row.severity == DIAG_OK && !strcmp(row.current, "Not applicable"), "AppIDSvc on Vista: not applicable\n");
    f.version = win7;
    f.state = SVC_STATE_STOPPED;
    f.start_type = SVC_START_DEMAND;
    f.listed = 1;
    rules_dependency_row(DIAG_SUPPORTED_APPID, &f, &row);
    ok(row.severity == DIAG_OK && !strcmp(row.current, "Stopped, Manual"), "AppIDSvc stopped manual: fine\n");
    f.start_type = SVC_START_DISABLED;
    rules_dependency_row(DIAG_SUPPORTED_APPID, &f, &row);
    ok(row.severity == DIAG_INFO, "AppIDSvc disabled: info\n");
    f.query_error = 1060;
    rules_dependency_row(DIAG_SUPPORTED_APPID, &f, &row);
    ok(row.severity == DIAG_INFO && !strcmp(row.current, "Not installed"), "AppIDSvc missing: info\n");

    memset(&f, 0, sizeof(f));
    f.version = win10;
    f.state = SVC_STATE_STOPPED;
    f.start_type = SVC_START_DEMAND;
    rules_dependency_row(DIAG_SUPPORTED_WUAUSERV, &f, &row);
    ok(row.severity == DIAG_OK, "wuauserv stopped manual: fine\n");
    f.start_type = SVC_START_DISABLED;
    rules_dependency_row(DIAG_SUPPORTED_WUAUSERV, &f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_NONE && has_evidence(&row, "0x80070422"), "wuauserv disabled\n");
}

START_TEST(rules_rows)
{
    test_catalog();
    test_roots();
    test_keys();
    test_root_update();
    test_dependencies();
}
