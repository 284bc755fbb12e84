/* tests/native/test_rules_service.c: the recommended-value table, Group Policy templates and the service row rules. */
#include "harness/test.h"
#include "pure/rules.h"
#include "pure/svc_names.h"

#include <string.h>

static const struct rules_version xp = { 5, 1, 2600 }, vista = { 6, 0, 6002 }, win7 = { 6, 1, 7601 },
                                  win10_1607 = { 10, 0, 14393 }, win10 = { 10, 0, 19045 }, win11 = { 10, 0, 22631 },
                                  unknown = { 0, 0, 0 };

static int has_evidence(const struct diag_row *row, const char *text)
{
    for (unsigned i = 0; i < row->evidence_count; i++)
        if (strstr(row->evidence[i], text)) return 1;
    return 0;
}

static void dump(const struct diag_row *row)
{
    trace("row %s: %s / %s sev %d repair %d \"%s\"\n", row->name, row->current, row->recommended, row->severity,
          row->repair, row->headline);
    for (unsigned i = 0; i < row->evidence_count; i++) trace("  - %s\n", row->evidence[i]);
}

/* ---- the table --------------------------------------------------------------------------- */

static void test_table(void)
{
    const struct rules_recommended *r, *table;
    size_t count;

    table = rules_recommended_table(&count);
    ok(count >= RULES_VALUE_COUNT, "table has %u lines\n", (unsigned)count);
    for (size_t i = 0; i < count; i++)
        ok(table[i].source && strlen(table[i].source) > 10, "line %u cites a source\n", (unsigned)i);
    for (int id = 0; id < RULES_VALUE_COUNT; id++)
        ok(rules_recommended((enum rules_value_id)id, &win10) != NULL, "value %d has a Windows 10 line\n", id);

    r = rules_recommended(RULES_START_TYPE, &win10);
    ok(r && r->number == SVC_START_AUTO && !strcmp(r->text, "Automatic"), "start type Automatic\n");
    ok(r && strstr(r->source, "source article"), "start type cites the source article\n");
    r = rules_recommended(RULES_START_TYPE, &xp);
    ok(r && r->number == SVC_START_AUTO, "Automatic on XP too\n");
    r = rules_recommended(RULES_STATE, &win7);
    ok(r && r->number == SVC_STATE_RUNNING && !strcmp(r->text, "Running"), "state Running\n");

    r = rules_recommended(RULES_IMAGE_PATH, &xp);
    ok(r && !strcmp(r->text, "%SystemRoot%\\system32\\svchost.exe -k netsvcs"), "XP: -k netsvcs\n");
    r = rules_recommended(RULES_IMAGE_PATH, &vista);
    ok(r && !strcmp(r->text, "%SystemRoot%\\system32\\svchost.exe -k NetworkService") && !r->also_text, "Vista: -k NetworkService\n");
    r = rules_recommended(RULES_IMAGE_PATH, &win7);
    ok(r && !strcmp(r->text, "%SystemRoot%\\system32\\svchost.exe -k NetworkService"), "Win7: -k NetworkService\n");
    r = rules_recommended(RULES_IMAGE_PATH, &win10_1607);
    ok(r && !strstr(r->text, "-p"), "Win10 1607: no -p yet\n");
    r = rules_recommended(RULES_IMAGE_PATH, &win10);
    ok(r && !strcmp(r->text, "%SystemRoot%\\system32\\svchost.exe -k NetworkService -p") && r->also_text,
       "Win10 22H2: -p, the plain form accepted\n");
    r = rules_recommended(RULES_IMAGE_PATH, &win11);
    ok(r && strstr(r->text, "-p"), "Win11: -p\n");
    r = rules_recommended(RULES_IMAGE_PATH, &unknown);
    ok(r && strstr(r->text, "-p"), "unknown version: newest line\n");

    r = rules_recommended(RULES_ACCOUNT, &win10);
    ok(r && !strcmp(r->text, "NT Authority\\NetworkService"), "account NetworkService\n");
    r = rules_recommended(RULES_ACCOUNT, &xp);
    ok(r && !strcmp(r->text, "LocalSystem"), "XP account LocalSystem\n");
    r = rules_recommended(RULES_DEPENDS_ON, &win10);
    ok(r && !strcmp(r->text, "RpcSs"), "depends on RpcSs\n");
    r = rules_recommended(RULES_SERVICE_DLL, &win10);
    ok(r && !strcmp(r->text, "%SystemRoot%\\system32\\cryptsvc.dll"), "service DLL\n");
    r = rules_recommended(RULES_FAILURE_ACTIONS, &win10);
    ok(r && r->number == 60000, "failure action: restart after 60 s\n");
    ok(rules_recommended(RULES_FAILURE_ACTIONS, &xp) == NULL, "failure actions not compared on XP\n");
    r = rules_recommended(RULES_SERVICE_SID_TYPE, &win10);
    ok(r && r->number == 1, "SID type unrestricted\n");
    r = rules_recommended(RULES_WINTRUST_STATE, &win10);
    ok(r && r->number == 0x23c00 && strstr(r->source, "KB2715304"), "WinTrust State 0x23c00 (KB2715304)\n");
    ok(rules_recommended(RULES_APPID_EXISTS, &vista) == NULL, "no AppIDSvc on Vista\n");
    ok(rules_recommended(RULES_APPID_EXISTS, &win7) != NULL, "AppIDSvc on Win7\n");
    ok(rules_recommended(RULES_ROOT_UPDATE_EXISTS, &xp) == NULL, "no root update on XP\n");
    ok(rules_recommended(RULES_ROOT_UPDATE_EXISTS, &vista) != NULL, "root update on Vista\n");
    ok(rules_recommended(RULES_ROOT_LIST_MAX_AGE, &win10)->number == 180, "root list age 180 days\n");
}

static void test_versions(void)
{
    char name[64];

    ok(rules_version_at_least(&win7, 6, 1, 0), "7 >= 6.1\n");
    ok(!rules_version_at_least(&vista, 6, 1, 0), "vista < 6.1\n");
    ok(rules_version_at_least(&unknown, 99, 0, 0), "unknown counts as new\n");
    rules_version_name(&win11, name, sizeof(name));
    ok(!strcmp(name, "Windows 11 (10.0.22631)"), "name %s\n", name);
    rules_version_name(&unknown, name, sizeof(name));
    ok(!strcmp(name, "unknown Windows"), "name %s\n", name);
    rules_version_name(&xp, name, sizeof(name));
    ok(!strcmp(name, "Windows XP (5.1.2600)"), "name %s\n", name);
}

static void test_same_command(void)
{
    ok(rules_same_command("C:\\WINDOWS\\system32\\svchost.exe -k NetworkService -p",
                          "%SystemRoot%\\system32\\svchost.exe -k NetworkService -p", "C:\\Windows"), "expanded vs not\n");
    ok(rules_same_command("%systemroot%\\System32\\SVCHOST.EXE  -k   networkservice",
                          "%SystemRoot%\\system32\\svchost.exe -k NetworkService", ""), "case and spaces\n");
    ok(rules_same_command("\"%windir%\\system32\\svchost.exe\" -k NetworkService",
                          "%SystemRoot%\\system32\\svchost.exe -k NetworkService", NULL), "quotes and %%windir%%\n");
    ok(!rules_same_command("C:\\evil\\svchost.exe -k NetworkService",
                           "%SystemRoot%\\system32\\svchost.exe -k NetworkService", "C:\\Windows"), "other folder\n");
    ok(!rules_same_command("%SystemRoot%\\system32\\svchost.exe -k netsvcs",
                           "%SystemRoot%\\system32\\svchost.exe -k NetworkService", "C:\\Windows"), "other group\n");
}

static void test_templates(void)
{
    uint32_t mode = 77;
    const char *gpt = "\xEF\xBB\xBF[Unicode]\r\nUnicode=yes\r\n[Service General Setting]\r\n"
                      "\"wuauserv\",4,\"\"\r\n\"CryptSvc\",3,\"D:AR(A;;CCLC;;;BA)\"\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\n";

    ok(rules_template_service_mode(gpt, "cryptsvc", &mode) && mode == 3, "found Manual: %u\n", (unsigned)mode);
    ok(rules_template_service_mode(gpt, "wuauserv", &mode) && mode == 4, "found Disabled\n");
    mode = 77;
    ok(!rules_template_service_mode(gpt, "AppIDSvc", &mode) && mode == 77, "other service not found, untouched\n");
    ok(!rules_template_service_mode("[System Access]\nCryptSvc,2,\"\"\n", "CryptSvc", &mode), "wrong section\n");
    ok(rules_template_service_mode("[service general setting]\n  CryptSvc , 2 ,\"\"\n", "CryptSvc", &mode) && mode == 2,
       "unquoted, spaces, lower-case section\n");
    ok(!rules_template_service_mode("[Service General Setting]\n\"CryptSvcX\",4,\"\"\n", "CryptSvc", &mode),
       "prefix is not a match\n");
    ok(!rules_template_service_mode("", "CryptSvc", &mode), "empty\n");
}

/* ---- the service row ------------------------------------------------------------------- */

/* Windows 10 22H2 with everything as Windows ships it. */
static void healthy_facts(struct rules_service_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->version = win10;
    strcpy(f->windows_dir, "C:\\Windows");
    f->state = SVC_STATE_RUNNING;
    f->start_type = SVC_START_AUTO;
    f->delayed_auto = 0;
    f->pid = 1234;
    f->wait_hint = 0;
    strcpy(f->image_path, "C:\\Windows\\system32\\svchost.exe -k NetworkService -p");
    strcpy(f->account, "NT Authority\\NetworkService");
    strcpy(f->host_image, "svchost.exe");
    f->depends_count = 1;
    strcpy(f->depends[0], "RpcSs");
    f->dependents_count = 1;
    strcpy(f->dependents[0].name, "AppIDSvc");
    f->dependents[0].state = SVC_STATE_STOPPED;
    strcpy(f->service_dll, "%SystemRoot%\\system32\\cryptsvc.dll");
    f->failure_count = 3;
    f->failure_first_type = 1;
    f->failure_first_delay_ms = 60000;
    f->failure_reset_s = 86400;
    f->sid_type = 1;
    f->policy_error = 0;
    f->policy_found = 0;
}

static void row_for(const struct rules_service_facts *f, struct diag_row *row)
{
    memset(row, 0xAB, sizeof(*row));   /* the rule must set every field it leaves meaningful */
    rules_service_row(f, row);
    if (test_verbose > 0) dump(row);
}

static void test_service_healthy(void)
{
    struct rules_service_facts f;
    struct diag_row row;

    healthy_facts(&f);
    row_for(&f, &row);
    ok(row.component == DIAG_SERVICE, "component\n");
    ok(row.severity == DIAG_OK, "healthy service is ok: %d\n", row.severity);
    ok(row.repair == REPAIR_NONE, "no repair\n");
    ok(!strcmp(row.current, "Running, Automatic"), "current %s\n", row.current);
    ok(!strcmp(row.recommended, "Running, Automatic"), "recommended %s\n", row.recommended);
    ok(row.headline[0] == 0, "no headline\n");
    ok(has_evidence(&row, "svchost.exe, process ID 1234"), "host process and PID shown\n");
    ok(has_evidence(&row, "AppIDSvc (Stopped)"), "dependents shown\n");
    ok(has_evidence(&row, "No applied Group Policy"), "policy checked\n");

    /* Windows 7 form of the path, and the path without -p on Windows 10, are fine too. */
    healthy_facts(&f);
    f.version = win7;
    strcpy(f.image_path, "%SystemRoot%\\system32\\svchost.exe -k NetworkService");
    row_for(&f, &row);
    ok(row.severity == DIAG_OK, "Win7 path ok\n");
    healthy_facts(&f);
    strcpy(f.image_path, "%SystemRoot%\\system32\\svchost.exe -k NetworkService");
    row_for(&f, &row);
    ok(row.severity == DIAG_OK, "Win10 path without -p accepted\n");
    /* XP: -k netsvcs as LocalSystem; failure actions and SID not compared. */
    healthy_facts(&f);
    f.version = xp;
    strcpy(f.image_path, "%SystemRoot%\\system32\\svchost.exe -k netsvcs");
    strcpy(f.account, "LocalSystem");
    f.failure_count = 0;
    f.sid_type = 0;
    row_for(&f, &row);
    ok(row.severity == DIAG_OK, "XP configuration ok: %d\n", row.severity);
    /* XP's path on Windows 10 is a finding. */
    healthy_facts(&f);
    strcpy(f.image_path, "%SystemRoot%\\system32\\svchost.exe -k netsvcs");
    row_for(&f, &row);
    ok(row.severity == DIAG_WARNING && has_evidence(&row, "-k NetworkService -p"), "netsvcs on Win10 is a warning\n");
}

static void test_service_states(void)
{
    struct rules_service_facts f;
    struct diag_row row;

    healthy_facts(&f);
    f.state = SVC_STATE_STOPPED;
    f.start_type = SVC_START_DEMAND;
    f.pid = 0;
    row_for(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_SET_AUTOMATIC, "stopped + manual: problem, set automatic\n");
    ok(!strcmp(row.current, "Stopped, Manual"), "current %s\n", row.current);
    ok(!strcmp(row.headline, "Cryptographic Services is stopped and set to Manual."), "headline %s\n", row.headline);

    healthy_facts(&f);
    f.state = SVC_STATE_STOPPED;
    f.start_type = SVC_START_DISABLED;
    f.win32_exit_code = 1067;
    row_for(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_SET_AUTOMATIC, "disabled: set automatic\n");
    ok(has_evidence(&row, "Update.inf"), "disabled cites the Update.inf message\n");
    ok(has_evidence(&row, "error 1067"), "exit code shown\n");

    healthy_facts(&f);
    f.state = SVC_STATE_STOPPED;
    row_for(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_START_SERVICE, "automatic but stopped: start\n");

    healthy_facts(&f);
    f.start_type = SVC_START_DEMAND;
    row_for(&f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_SET_AUTOMATIC, "running but manual: warning\n");

    healthy_facts(&f);
    f.start_type = SVC_START_DISABLED;
    row_for(&f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_SET_AUTOMATIC, "running but disabled: warning\n");

    healthy_facts(&f);
    f.delayed_auto = 1;
    row_for(&f, &row);
    ok(row.severity == DIAG_INFO && row.repair == REPAIR_NONE, "delayed start: info\n");
    ok(!strcmp(row.current, "Running, Automatic (delayed start)"), "current %s\n", row.current);

    healthy_facts(&f);
    f.state = SVC_STATE_PAUSED;
    row_for(&f, &row);
    ok(row.severity == DIAG_WARNING && row.repair == REPAIR_RESTART_SERVICE, "paused: restart\n");
}

static void test_service_not_responding(void)
{
    struct rules_service_facts f;
    struct diag_row row;

    /* Pending longer than its wait hint with no progress. */
    healthy_facts(&f);
    f.state = SVC_STATE_START_PENDING;
    f.wait_hint = 3000;
    f.pending_still_ms = 3500;
    row_for(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_RESTART_SERVICE, "stuck pending: restart\n");
    ok(!strcmp(row.current, "Not responding"), "current %s\n", row.current);
    ok(has_evidence(&row, "Error Disabling Connection"), "cites the source article's message\n");

    /* Pending but within its hint. */
    f.pending_still_ms = 2000;
    row_for(&f, &row);
    ok(row.severity == DIAG_INFO && row.repair == REPAIR_NONE, "pending within hint: info\n");

    /* Stop pending forever. */
    f.state = SVC_STATE_STOP_PENDING;
    f.pending_still_ms = 60000;
    row_for(&f, &row);
    ok(row.severity == DIAG_PROBLEM && strstr(row.headline, "Stop pending"), "stuck stop: %s\n", row.headline);

    /* The status query itself did not answer. */
    healthy_facts(&f);
    f.query_error = RULES_TIMED_OUT;
    f.query_wait_ms = 15000;
    row_for(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_RESTART_SERVICE, "no answer: restart\n");
    ok(has_evidence(&row, "within 15 seconds"), "says how long\n");

    /* The same on a remote machine is a machine that did not answer, not a service finding. */
    f.remote = 1;
    row_for(&f, &row);
    ok(row.severity == DIAG_NOT_CHECKED && row.repair == REPAIR_NONE, "remote timeout: not checked\n");
    ok(has_evidence(&row, "could not check"), "says could not check\n");
}

static void test_service_query_errors(void)
{
    struct rules_service_facts f;
    struct diag_row row;

    healthy_facts(&f);
    f.query_error = 1060;
    row_for(&f, &row);
    ok(row.severity == DIAG_PROBLEM && !strcmp(row.current, "Not installed"), "not installed\n");
    ok(row.repair == REPAIR_NONE, "no repair we can do\n");

    f.query_error = 5;
    row_for(&f, &row);
    ok(row.severity == DIAG_NOT_CHECKED, "access denied: not checked\n");
    ok(has_evidence(&row, "could not check") && has_evidence(&row, "access is denied"), "reason given\n");
    ok(row.evidence_count == 1, "no invented states: %u lines\n", row.evidence_count);
}

static void test_service_config(void)
{
    struct rules_service_facts f;
    struct diag_row row;

    healthy_facts(&f);
    strcpy(f.account, "LocalSystem");
    row_for(&f, &row);
    ok(row.severity == DIAG_WARNING && has_evidence(&row, "NT Authority\\NetworkService"), "wrong account\n");

    healthy_facts(&f);
    strcpy(f.account, "NT AUTHORITY\\NETWORK SERVICE");
    row_for(&f, &row);
    ok(row.severity == DIAG_OK, "account spelled with a space is the same account\n");

    healthy_facts(&f);
    f.depends_count = 0;
    row_for(&f, &row);
    ok(row.severity == DIAG_WARNING && has_evidence(&row, "RpcSs"), "no RpcSs dependency\n");

    healthy_facts(&f);
    f.depends_error = 5;
    f.depends_count = 0;
    row_for(&f, &row);
    ok(row.severity == DIAG_OK && has_evidence(&row, "could not check what it depends on"), "depends unreadable\n");

    healthy_facts(&f);
    f.service_dll_error = 2;
    row_for(&f, &row);
    ok(row.severity == DIAG_WARNING && has_evidence(&row, "ServiceDll is missing"), "no ServiceDll\n");

    healthy_facts(&f);
    strcpy(f.service_dll, "C:\\temp\\cryptsvc.dll");
    row_for(&f, &row);
    ok(row.severity == DIAG_WARNING, "foreign ServiceDll\n");

    healthy_facts(&f);
    strcpy(f.service_dll, "C:\\WINDOWS\\System32\\CRYPTSVC.DLL");
    row_for(&f, &row);
    ok(row.severity == DIAG_OK, "expanded ServiceDll matches\n");

    healthy_facts(&f);
    f.failure_error = 124;
    f.sid_error = 124;
    row_for(&f, &row);
    ok(row.severity == DIAG_OK && has_evidence(&row, "could not check its recovery actions"), "failure actions unknown\n");
    ok(has_evidence(&row, "could not check its service SID type"), "SID type unknown\n");

    healthy_facts(&f);
    f.failure_count = 0;
    row_for(&f, &row);
    ok(row.severity == DIAG_INFO && has_evidence(&row, "restart after 60 seconds"), "no recovery: info\n");

    healthy_facts(&f);
    f.failure_first_delay_ms = 120000;
    row_for(&f, &row);
    ok(row.severity == DIAG_INFO && has_evidence(&row, "120 s"), "other delay: info\n");

    healthy_facts(&f);
    f.sid_type = 0;
    row_for(&f, &row);
    ok(row.severity == DIAG_INFO, "SID type none: info\n");
}

static void test_service_policy(void)
{
    struct rules_service_facts f;
    struct diag_row row;

    healthy_facts(&f);
    f.policy_found = 1;
    f.policy_mode = 4;
    strcpy(f.policy_file, "gpt00000.dom");
    row_for(&f, &row);
    ok(row.severity == DIAG_WARNING && strstr(row.headline, "Group Policy forces"), "GP forces Disabled\n");
    ok(has_evidence(&row, "gpt00000.dom") && has_evidence(&row, "set back"), "names the template and the refresh\n");

    /* Stopped, manual and forced by policy: the repair is still offered, the evidence says it won't stick. */
    f.state = SVC_STATE_STOPPED;
    f.start_type = SVC_START_DEMAND;
    f.policy_mode = 3;
    row_for(&f, &row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_SET_AUTOMATIC && has_evidence(&row, "Manual"), "policy + stopped\n");

    healthy_facts(&f);
    f.policy_found = 1;
    f.policy_mode = 2;
    strcpy(f.policy_file, "gpt00001.inf");
    row_for(&f, &row);
    ok(row.severity == DIAG_OK && has_evidence(&row, "sets it to Automatic"), "GP sets Automatic: fine\n");

    healthy_facts(&f);
    f.policy_error = 5;
    row_for(&f, &row);
    ok(row.severity == DIAG_OK && has_evidence(&row, "could not check whether Group Policy"), "policy unreadable\n");

    healthy_facts(&f);
    f.policy_error = RULES_NOT_RUN;
    row_for(&f, &row);
    ok(!has_evidence(&row, "Group Policy"), "policy not run: nothing said\n");
}

START_TEST(rules_service)
{
    test_table();
    test_versions();
    test_same_command();
    test_templates();
    test_service_healthy();
    test_service_states();
    test_service_not_responding();
    test_service_query_errors();
    test_service_config();
    test_service_policy();
}
