/* tests/wine/test_checks.c: every row's check run through the real APIs under Wine, against the stand-in CryptSvc. */
#include "harness/test.h"
#include "win/checks.h"
#include "win/seam.h"
#include "pure/svc_names.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

static WCHAR standin_path[MAX_PATH];

static int has_evidence(const struct diag_row *row, const char *text)
{
    for (unsigned i = 0; i < row->evidence_count; i++)
        if (strstr(row->evidence[i], text)) return 1;
    return 0;
}

static void dump(const struct diag_row *row)
{
    trace("%s: \"%s\" / \"%s\" [%s] repair %s; %s\n", row->name, row->current, row->recommended,
          diag_severity_id(row->severity), diag_repair_id(row->repair), row->headline);
    for (unsigned i = 0; i < row->evidence_count; i++) trace("    %s\n", row->evidence[i]);
}

/* ---- the whole diagnosis of the fixture's machine ----------------------------------------- */

static void test_environment(void)
{
    struct checks_env env;

    checks_env_init(NULL, NULL, &env);
    ok(env.wine == 1, "the checks know they run under Wine\n");
    ok(env.version.major == 10, "the fixture prefix is Windows 10: %u.%u.%u\n", env.version.major, env.version.minor,
       env.version.build);
    ok(!_wcsicmp(env.windows_dir, L"C:\\windows"), "Windows folder %ls\n", env.windows_dir);
    ok(!env.remote && !wcscmp(env.service_name, L"CryptSvc"), "local CryptSvc by default\n");
    ok(env.options.query_timeout_ms == 15000 && env.options.event_days == 30, "defaults filled in\n");
}

static void test_diagnosis(void)
{
    static const enum diag_component order[] = {
        DIAG_SERVICE, DIAG_CATALOG_DB, DIAG_PROTECTED_ROOT, DIAG_KEY_SERVICE, DIAG_ROOT_UPDATE,
        DIAG_DEPENDENCY_RPCSS, DIAG_SUPPORTED_APPID, DIAG_SUPPORTED_WUAUSERV,
    };
    struct diagnosis *d = malloc(sizeof(*d));
    const struct diag_row *row;
    ULONGLONG start = GetTickCount64();
    DWORD error = diag_run(NULL, NULL, d);

    trace("diag_run took %llu ms\n", GetTickCount64() - start);
    ok(error == 0, "diag_run: %lu\n", error);
    ok(d->row_count == 8, "rows: %u\n", d->row_count);
    for (unsigned i = 0; i < d->row_count && i < 8; i++) {
        dump(&d->rows[i]);
        ok(d->rows[i].component == order[i], "row %u is component %d\n", i, order[i]);
        ok(d->rows[i].name[0] && d->rows[i].current[0] && d->rows[i].recommended[0], "row %u filled in\n", i);
        ok(d->rows[i].evidence_count > 0, "row %u has evidence\n", i);
    }
    trace("summary: %s\n", d->summary);
    ok(d->summary[0] != 0, "a summary\n");

    /* The stand-in: running, automatic, own process (not svchost), no ServiceDll. */
    row = diag_find(d, DIAG_SERVICE);
    ok(row && !strcmp(row->current, "Running, Automatic"), "service current: %s\n", row ? row->current : "");
    ok(row && !strcmp(row->recommended, "Running, Automatic"), "service recommended\n");
    ok(row && row->severity == DIAG_WARNING, "the stand-in is not svchost: warning (%d)\n", row ? (int)row->severity : -1);
    ok(row && has_evidence(row, "csd-standin.exe") && has_evidence(row, "svchost.exe -k NetworkService -p"),
       "says what runs and what Windows runs\n");
    ok(row && has_evidence(row, "process ID"), "host process and PID\n");
    ok(row && has_evidence(row, "could not check its recovery actions"), "Wine: failure actions could not be checked\n");
    ok(row && has_evidence(row, "No applied Group Policy"), "no Group Policy templates in the prefix\n");
    ok(row && row->repair == REPAIR_NONE, "no repair for a foreign binary\n");

    row = diag_find(d, DIAG_DEPENDENCY_RPCSS);
    ok(row && row->severity != DIAG_NOT_CHECKED && strstr(row->current, "Manual"), "RpcSs read: %s\n", row ? row->current : "");
    row = diag_find(d, DIAG_SUPPORTED_APPID);
    ok(row && !strcmp(row->current, "Not installed") && row->severity == DIAG_INFO, "Wine has no AppIDSvc\n");
    row = diag_find(d, DIAG_SUPPORTED_WUAUSERV);
    ok(row && row->severity != DIAG_NOT_CHECKED, "wuauserv read: %s\n", row ? row->current : "");

    /* What Wine cannot do reads "could not check", never a state. */
    row = diag_find(d, DIAG_CATALOG_DB);
    ok(row && has_evidence(row, "could not check the catalog lookup: Wine has no catalogs"), "catalog API under Wine\n");
    ok(row && has_evidence(row, "could not check the Application log"), "event log under Wine\n");
    ok(row && row->severity != DIAG_PROBLEM, "no invented catalog problem\n");
    row = diag_find(d, DIAG_PROTECTED_ROOT);
    ok(row && row->severity == DIAG_OK, "roots ok\n");
    ok(row && has_evidence(row, "All 4 Microsoft roots"), "Wine's crypt32 has the Microsoft roots\n");
    ok(row && has_evidence(row, "could not check the protected root list: Wine"), "ProtectedRoots under Wine\n");
    row = diag_find(d, DIAG_KEY_SERVICE);
    ok(row && row->severity == DIAG_OK, "key service ok\n");
    ok(row && has_evidence(row, "RSA and AES provider opens"), "CAPI provider really opened\n");
    ok(row && has_evidence(row, "Key Storage Provider opens"), "CNG provider really opened\n");
    ok(row && has_evidence(row, "Wine keeps machine keys in the registry"), "MachineKeys under Wine\n");
    row = diag_find(d, DIAG_ROOT_UPDATE);
    ok(row && has_evidence(row, "Wine has no automatic root update"), "AuthRoot under Wine\n");
    ok(row && has_evidence(row, "No policy turns it off"), "policy key read\n");
    ok(row && has_evidence(row, "Windows uses its default"), "WinTrust State absent: default\n");
    free(d);
}

static void test_facts_under_wine(void)
{
    struct checks_env env;
    struct rules_catalog_facts catalog;
    struct rules_root_facts roots;
    struct rules_key_facts keys;
    struct rules_root_update_facts update;
    struct rules_service_facts *service = malloc(sizeof(*service));
    struct svc_info *info = malloc(sizeof(*info));

    checks_env_init(NULL, NULL, &env);
    ok(checks_service_facts(&env, service, info) == 0, "CryptSvc queried\n");
    ok(service->state == SVC_STATE_RUNNING && service->pid != 0, "running with a pid\n");
    ok(service->failure_error == ERROR_INVALID_LEVEL, "Wine: FAILURE_ACTIONS gives 124 (%u)\n", service->failure_error);
    ok(service->service_dll_error == ERROR_FILE_NOT_FOUND, "no Parameters\\ServiceDll (%u)\n", service->service_dll_error);
    ok(service->depends_count == 1 && !strcmp(service->depends[0], "RpcSs"), "depends on RpcSs (from the registry)\n");
    ok(service->policy_error == 0 && !service->policy_found, "policy folder read, nothing found (%u)\n", service->policy_error);

    checks_catalog_facts(&env, &catalog);
    ok(catalog.api_error == ERROR_FILE_NOT_FOUND, "Wine: no catalog found: %u\n", catalog.api_error);
    ok(!strcmp(catalog.api_step, "CryptCATAdminEnumCatalogFromHash"), "step %s\n", catalog.api_step);
    ok(catalog.hash_bits == 160, "fell back to SHA-1 (Wine's AcquireContext2 is a stub): %u\n", catalog.hash_bits);
    ok(catalog.events_error == RULES_NO_ANSWER, "Wine: EvtQuery answers nothing: %u\n", catalog.events_error);
    ok(catalog.db.verdict != RULES_CATDB_NOT_CHECKED, "the database folder was scanned: %d (%s)\n", catalog.db.verdict,
       catalog.db.reason);

    checks_root_facts(&env, &roots);
    ok(roots.lm_error == 0 && roots.lm_count > 0, "LM Root: %u certificates\n", roots.lm_count);
    ok(roots.cu_error == 0 && roots.cu_count > 0, "CU Root: %u certificates\n", roots.cu_count);
    ok(roots.ms_checked == 4 && roots.ms_found == 4, "Microsoft roots found %u of %u\n", roots.ms_found, roots.ms_checked);
    ok(roots.protected_roots == RULES_ABSENT, "ProtectedRoots absent under Wine\n");

    checks_key_facts(&env, &keys);
    ok(keys.capi_error == 0 && keys.random_error == 0 && keys.cng_error == 0, "providers open\n");
    ok(keys.machine_keys_error == ERROR_FILE_NOT_FOUND || keys.machine_keys_error == ERROR_PATH_NOT_FOUND,
       "no MachineKeys folder under Wine: %u\n", keys.machine_keys_error);
    ok(keys.machine_guid_error == 0, "MachineGuid present\n");

    checks_root_update_facts(&env, &update);
    ok(update.policy_error == ERROR_FILE_NOT_FOUND, "no AuthRoot policy\n");
    ok(update.sync_error == ERROR_FILE_NOT_FOUND && update.ctl_error == ERROR_FILE_NOT_FOUND, "no AuthRoot\\AutoUpdate\n");
    ok(update.events_error == RULES_NO_ANSWER, "event log stub\n");
    ok(update.now > 0, "clock read\n");
    free(service);
    free(info);
}

/* ---- services of our own: stopped + manual, and hung in START_PENDING ---------------------- */

static BOOL find_standin(void)
{
    WCHAR *slash;

    GetModuleFileNameW(NULL, standin_path, ARRAYSIZE(standin_path));
    slash = wcsrchr(standin_path, L'\\');
    if (!slash) return FALSE;
    wcscpy(slash + 1, L"csd-standin.exe");
    return GetFileAttributesW(standin_path) != INVALID_FILE_ATTRIBUTES;
}

static SC_HANDLE create_service(const WCHAR *name, const WCHAR *mode, DWORD start_type)
{
    WCHAR binary[MAX_PATH * 2];
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    SC_HANDLE service = OpenServiceW(scm, name, SERVICE_ALL_ACCESS);

    if (service) {   /* left over from a crashed run */
        DeleteService(service);
        CloseServiceHandle(service);
    }
    swprintf(binary, ARRAYSIZE(binary), L"\"%ls\" service --name %ls --mode %ls", standin_path, name, mode);
    service = CreateServiceW(scm, name, name, SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS, start_type,
                             SERVICE_ERROR_NORMAL, binary, NULL, NULL, L"RpcSs\0", L"NT AUTHORITY\\NetworkService", NULL);
    ok(service != NULL, "CreateServiceW %ls: %lu\n", name, GetLastError());
    CloseServiceHandle(scm);
    return service;
}

static void destroy_service(SC_HANDLE service)
{
    SERVICE_STATUS_PROCESS status;
    DWORD needed;

    if (QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)&status, sizeof(status), &needed) &&
        status.dwCurrentState != SERVICE_STOPPED && status.dwProcessId) {
        HANDLE process = OpenProcess(PROCESS_TERMINATE, FALSE, status.dwProcessId);
        if (process) {
            TerminateProcess(process, 1);
            CloseHandle(process);
        }
    }
    DeleteService(service);
    CloseServiceHandle(service);
}

/* A Group Policy template cache in a folder of our own, as secedit writes it (UTF-16LE). */
static void write_policy(const WCHAR *root, const WCHAR *service, int mode)
{
    WCHAR path[MAX_PATH], text[512];
    HANDLE file;
    DWORD written;
    static const WCHAR bom = 0xFEFF;

    swprintf(path, ARRAYSIZE(path), L"%ls\\security", root);
    CreateDirectoryW(root, NULL);
    CreateDirectoryW(path, NULL);
    wcscat(path, L"\\templates");
    CreateDirectoryW(path, NULL);
    wcscat(path, L"\\policies");
    CreateDirectoryW(path, NULL);
    wcscat(path, L"\\gpt00000.dom");
    swprintf(text, ARRAYSIZE(text), L"[Unicode]\r\nUnicode=yes\r\n[Service General Setting]\r\n\"%ls\",%d,\"\"\r\n"
             L"[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n", service, mode);
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    ok(file != INVALID_HANDLE_VALUE, "template written\n");
    WriteFile(file, &bom, sizeof(bom), &written, NULL);
    WriteFile(file, text, (DWORD)(wcslen(text) * sizeof(WCHAR)), &written, NULL);
    CloseHandle(file);
}

static void test_stopped_manual_with_policy(void)
{
    WCHAR name[64], root[MAX_PATH], temp[MAX_PATH];
    struct diag_options options = DIAG_OPTIONS_DEFAULT;
    struct checks_env env;
    struct diag_row row;
    SC_HANDLE service;

    swprintf(name, ARRAYSIZE(name), L"csd_chk_stop_%lu", GetCurrentProcessId());
    service = create_service(name, L"normal", SERVICE_DEMAND_START);
    if (!service) return;
    options.service_name = name;
    checks_env_init(NULL, &options, &env);
    memset(&row, 0, sizeof(row));
    checks_service_row(&env, &row, NULL, NULL);
    dump(&row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_SET_AUTOMATIC, "stopped + manual: problem, set automatic\n");
    ok(!strcmp(row.current, "Stopped, Manual"), "current %s\n", row.current);

    /* The same with a cached Group Policy template forcing it to Disabled. */
    GetTempPathW(ARRAYSIZE(temp), temp);
    swprintf(root, ARRAYSIZE(root), L"%lscsd_chk_%lu", temp, GetCurrentProcessId());
    write_policy(root, name, 4);
    options.windows_dir = root;
    options.skip_catalog_scan = TRUE;
    checks_env_init(NULL, &options, &env);
    checks_service_row(&env, &row, NULL, NULL);
    dump(&row);
    ok(has_evidence(&row, "gpt00000.dom.") && has_evidence(&row, "set back at the next policy refresh"),
       "Group Policy forcing Disabled is reported\n");
    ok(row.repair == REPAIR_SET_AUTOMATIC, "the repair is still offered, with the warning\n");
    destroy_service(service);
}

static void test_hung_service(void)
{
    WCHAR name[64];
    struct diag_options options = DIAG_OPTIONS_DEFAULT;
    struct rules_service_facts facts;
    struct checks_env env;
    struct diag_row row;
    SC_HANDLE service;
    ULONGLONG start;

    swprintf(name, ARRAYSIZE(name), L"csd_chk_hang_%lu", GetCurrentProcessId());
    service = create_service(name, L"hangstart", SERVICE_DEMAND_START);
    if (!service) return;
    ok(StartServiceW(service, 0, NULL), "StartServiceW: %lu\n", GetLastError());
    options.service_name = name;
    options.pending_watch_ms = 6000;
    checks_env_init(NULL, &options, &env);
    start = GetTickCount64();
    checks_service_facts(&env, &facts, NULL);
    trace("watched a hung service for %llu ms (wait hint %u ms)\n", GetTickCount64() - start, facts.wait_hint);
    ok(facts.state == SVC_STATE_START_PENDING, "still start pending: %u\n", facts.state);
    ok(facts.pending_still_ms > facts.wait_hint, "no progress for %u ms, hint %u ms\n", facts.pending_still_ms,
       facts.wait_hint);
    ok(GetTickCount64() - start < 6000, "stopped watching once the wait hint had passed\n");
    rules_service_row(&facts, &row);
    dump(&row);
    ok(row.severity == DIAG_PROBLEM && row.repair == REPAIR_RESTART_SERVICE, "not responding: restart\n");
    ok(!strcmp(row.current, "Not responding"), "current %s\n", row.current);
    destroy_service(service);
}

START_TEST(checks)
{
    if (!find_standin()) {
        skip("csd-standin.exe not beside the test\n");
        return;
    }
    test_environment();
    test_diagnosis();
    test_facts_under_wine();
    test_stopped_manual_with_policy();
    test_hung_service();
}
