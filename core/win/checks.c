/* core/win/checks.c: the machine's environment, shared helpers of the checks, and diag_run. */
#include "win/checks_internal.h"
#include "win/seam.h"

#include <stdlib.h>
#include <wchar.h>

#define CURRENT_VERSION_KEY L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"

void checks_utf8(const WCHAR *text, char *out, size_t size)
{
    char buffer[2048];
    int length;

    if (!size) return;
    length = WideCharToMultiByte(CP_UTF8, 0, text ? text : L"", -1, buffer, sizeof(buffer), NULL, NULL);
    if (length <= 0) {
        /* Longer than the buffer: convert what fits, character by character is not needed;
         * the tail is simply left out. */
        size_t count = wcslen(text);
        length = WideCharToMultiByte(CP_UTF8, 0, text, (int)(count > 600 ? 600 : count), buffer,
                                     sizeof(buffer) - 1, NULL, NULL);
        buffer[length > 0 ? length : 0] = 0;
    }
    diag_copy(out, size, buffer);
}

/* ---- a worker with a bound ------------------------------------------------------------- */

struct bounded_job {
    volatile LONG references;     /* the caller's and the worker's */
    void (*work)(void *context);
    void (*release)(void *context);
    void *context;
};

static void drop_reference(struct bounded_job *job, int release_context)
{
    if (InterlockedDecrement(&job->references) == 0) {
        if (release_context) job->release(job->context);
        free(job);
    }
}

static DWORD WINAPI bounded_worker(void *parameter)
{
    struct bounded_job *job = parameter;

    job->work(job->context);
    /* Last one out frees: the caller gave up waiting, so the context is ours to release. */
    drop_reference(job, 1);
    return 0;
}

DWORD checks_run_bounded(void (*work)(void *context), void (*release)(void *context), void *context,
                         DWORD timeout_ms)
{
    struct bounded_job *job = calloc(1, sizeof(*job));
    HANDLE thread;
    DWORD wait;

    if (!job) return ERROR_NOT_ENOUGH_MEMORY;
    job->references = 2;
    job->work = work;
    job->release = release;
    job->context = context;
    thread = seam.CreateThread(NULL, 0, bounded_worker, job, 0, NULL);
    if (!thread) {
        DWORD error = GetLastError();
        free(job);
        return error ? error : ERROR_NOT_ENOUGH_MEMORY;
    }
    wait = seam.WaitForSingleObject(thread, timeout_ms);
    seam.CloseHandle(thread);
    if (wait == WAIT_OBJECT_0) {
        free(job);   /* the worker has dropped its reference; the context is the caller's */
        return ERROR_SUCCESS;
    }
    /* Timed out (or the wait failed): if the worker finished meanwhile, we are last and the
     * context is ours after all. */
    if (InterlockedDecrement(&job->references) == 0) {
        free(job);
        return ERROR_SUCCESS;
    }
    return RULES_TIMED_OUT;
}

/* ---- registry -------------------------------------------------------------------------- */

static DWORD reg_read(HKEY root, const WCHAR *subkey, const WCHAR *name, DWORD want_type, BYTE *data, DWORD *size)
{
    HKEY key;
    DWORD type = 0;
    DWORD error = (DWORD)seam.RegOpenKeyExW(root, subkey, 0, KEY_QUERY_VALUE, &key);

    if (error) return error;
    error = (DWORD)seam.RegQueryValueExW(key, name, NULL, &type, data, size);
    seam.RegCloseKey(key);
    if (!error && want_type != REG_NONE && type != want_type &&
        !(want_type == REG_SZ && type == REG_EXPAND_SZ))
        error = ERROR_INVALID_DATATYPE;
    return error;
}

DWORD checks_reg_dword(HKEY root, const WCHAR *subkey, const WCHAR *name, DWORD *value)
{
    DWORD data = 0, size = sizeof(data);
    DWORD error = reg_read(root, subkey, name, REG_DWORD, (BYTE *)&data, &size);

    if (!error) *value = data;
    return error;
}

DWORD checks_reg_string(HKEY root, const WCHAR *subkey, const WCHAR *name, WCHAR *out, DWORD count)
{
    WCHAR *buffer = calloc(count + 1, sizeof(WCHAR));
    DWORD size = count * sizeof(WCHAR);
    DWORD error;

    if (!buffer) return ERROR_NOT_ENOUGH_MEMORY;
    error = reg_read(root, subkey, name, REG_SZ, (BYTE *)buffer, &size);
    if (!error) {
        buffer[count] = 0;
        wcsncpy(out, buffer, count);
        out[count - 1] = 0;
    }
    free(buffer);
    return error;
}

DWORD checks_reg_binary(HKEY root, const WCHAR *subkey, const WCHAR *name, BYTE **data, DWORD *size)
{
    DWORD needed = 0;
    DWORD error = reg_read(root, subkey, name, REG_NONE, NULL, &needed);
    BYTE *buffer;

    if (error) return error;
    buffer = malloc(needed ? needed : 1);
    if (!buffer) return ERROR_NOT_ENOUGH_MEMORY;
    error = reg_read(root, subkey, name, REG_NONE, buffer, &needed);
    if (error) {
        free(buffer);
        return error;
    }
    *data = buffer;
    *size = needed;
    return 0;
}

/* ---- the event log --------------------------------------------------------------------- */

static int contains_nocase(const WCHAR *text, const WCHAR *part)
{
    size_t length = wcslen(part);

    for (; *text; text++)
        if (!_wcsnicmp(text, part, length)) return 1;
    return 0;
}

/* The XML of one event, malloc'ed; NULL when it could not be rendered. */
static WCHAR *render_event(EVT_HANDLE event)
{
    DWORD used = 0, properties = 0;
    WCHAR *xml;

    if (seam.EvtRender(NULL, event, EvtRenderEventXml, 0, NULL, &used, &properties) ||
        GetLastError() != ERROR_INSUFFICIENT_BUFFER)
        return NULL;
    xml = malloc(used + sizeof(WCHAR));
    if (!xml) return NULL;
    if (!seam.EvtRender(NULL, event, EvtRenderEventXml, used, xml, &used, &properties)) {
        free(xml);
        return NULL;
    }
    xml[used / sizeof(WCHAR)] = 0;
    return xml;
}

/* Copies `from` up to the first of `stops` (or its end), at most count - 1 characters. No
 * swscanf: it would link mingw's whole scanf with its floating-point parsers (~28 KB). */
static void copy_until(const WCHAR *from, const WCHAR *stops, WCHAR *out, size_t count)
{
    size_t length = wcscspn(from, stops);

    if (length >= count) length = count - 1;
    wmemcpy(out, from, length);
    out[length] = 0;
}

/* "Event 257 from Microsoft-Windows-CAPI2 at 2024-05-01T10:11:12" from the event's XML. */
static void describe_event(const WCHAR *xml, char *out, size_t size)
{
    WCHAR line[160];
    const WCHAR *id = wcsstr(xml, L"<EventID");
    const WCHAR *time = wcsstr(xml, L"SystemTime='");
    const WCHAR *provider = wcsstr(xml, L"Provider Name='");
    unsigned number = 0;
    WCHAR when[20] = L"", who[64] = L"";

    if (id && (id = wcschr(id, L'>')) != NULL) number = (unsigned)wcstoul(id + 1, NULL, 10);
    if (time) copy_until(time + 12, L"'.", when, ARRAYSIZE(when));
    if (provider) copy_until(provider + 15, L"'", who, ARRAYSIZE(who));
    swprintf(line, ARRAYSIZE(line), L"event %u from %ls at %ls UTC.", number, who, when);
    checks_utf8(line, out, size);
}

DWORD checks_count_events(const WCHAR *xpath, DWORD days, const WCHAR *must_contain, unsigned *count,
                          char *newest, size_t newest_size)
{
    WCHAR query[600];
    EVT_HANDLE results;
    unsigned found = 0, seen = 0;
    DWORD error = 0;

    /* xpath is "Provider... and (EventID=...)"; the time clause keeps the read short. */
    swprintf(query, ARRAYSIZE(query), L"*[System[%ls and TimeCreated[timediff(@SystemTime) <= %llu]]]",
             xpath, (unsigned long long)days * 86400000ull);
    SetLastError(0);
    results = seam.EvtQuery(NULL, L"Application", query, EvtQueryChannelPath | EvtQueryReverseDirection);
    if (!results) {
        error = GetLastError();
        return error ? error : RULES_NO_ANSWER;
    }
    /* Newest first; at most 2000 events are looked at, which is far more than a finding needs. */
    while (seen < 2000) {
        EVT_HANDLE events[32];
        DWORD returned = 0;

        if (!seam.EvtNext(results, ARRAYSIZE(events), events, 5000, 0, &returned)) {
            error = GetLastError();
            if (error == ERROR_NO_MORE_ITEMS) error = 0;
            break;
        }
        for (DWORD i = 0; i < returned; i++) {
            WCHAR *xml = (must_contain || (newest && !found)) ? render_event(events[i]) : NULL;
            int match = !must_contain || (xml && contains_nocase(xml, must_contain));
            if (match) {
                if (!found && newest && xml) describe_event(xml, newest, newest_size);
                found++;
            }
            free(xml);
            seam.EvtClose(events[i]);
        }
        seen += returned;
    }
    seam.EvtClose(results);
    if (!error) *count = found;
    return error;
}

/* ---- the environment -------------------------------------------------------------------- */

typedef LONG (WINAPI *rtl_get_version_fn)(RTL_OSVERSIONINFOW *info);

static void local_version(struct checks_env *env)
{
    HMODULE ntdll = seam.LoadLibraryExW(L"ntdll.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    rtl_get_version_fn get_version;
    RTL_OSVERSIONINFOW info = { 0 };

    info.dwOSVersionInfoSize = sizeof(info);
    if (!ntdll) {
        env->version_error = GetLastError();
        return;
    }
    /* GetVersionEx lies to programs without a manifest entry for the newest Windows;
     * RtlGetVersion does not. */
    get_version = (rtl_get_version_fn)(void *)seam.GetProcAddress(ntdll, "RtlGetVersion");
    if (!get_version) env->version_error = GetLastError() ? GetLastError() : ERROR_PROC_NOT_FOUND;
    else if (get_version(&info) != 0) env->version_error = ERROR_INVALID_FUNCTION;
    else {
        env->version.major = info.dwMajorVersion;
        env->version.minor = info.dwMinorVersion;
        env->version.build = info.dwBuildNumber;
    }
    env->wine = seam.GetProcAddress(ntdll, "wine_get_version") != NULL;
    seam.FreeLibrary(ntdll);
}

/* Another machine's version and Windows folder, from its registry. */
static void remote_version(struct checks_env *env, HKEY hklm)
{
    DWORD major = 0, minor = 0;
    WCHAR text[32];

    if (!checks_reg_dword(hklm, CURRENT_VERSION_KEY, L"CurrentMajorVersionNumber", &major)) {
        checks_reg_dword(hklm, CURRENT_VERSION_KEY, L"CurrentMinorVersionNumber", &minor);
    } else if (!(env->version_error = checks_reg_string(hklm, CURRENT_VERSION_KEY, L"CurrentVersion", text,
                                                        ARRAYSIZE(text)))) {
        WCHAR *end;
        major = wcstoul(text, &end, 10);   /* "6.1" */
        if (*end == L'.') minor = wcstoul(end + 1, NULL, 10);
    }
    if (major) {
        env->version.major = major;
        env->version.minor = minor;
        if (!checks_reg_string(hklm, CURRENT_VERSION_KEY, L"CurrentBuildNumber", text, ARRAYSIZE(text)))
            env->version.build = (uint32_t)wcstoul(text, NULL, 10);
    }
}

void checks_env_init(const WCHAR *machine, const struct diag_options *options, struct checks_env *env)
{
    static const struct diag_options defaults = DIAG_OPTIONS_DEFAULT;
    WCHAR unc[MAX_PATH];
    HKEY hklm = NULL;

    memset(env, 0, sizeof(*env));
    env->options = options ? *options : defaults;
    if (!env->options.query_timeout_ms) env->options.query_timeout_ms = defaults.query_timeout_ms;
    if (!env->options.catalog_timeout_ms) env->options.catalog_timeout_ms = defaults.catalog_timeout_ms;
    if (!env->options.event_days) env->options.event_days = defaults.event_days;
    env->service_name = env->options.service_name ? env->options.service_name : L"CryptSvc";
    env->machine = (machine && *machine) ? machine : NULL;
    env->remote = env->machine != NULL;

    if (!env->remote) {
        local_version(env);
        if (!seam.GetSystemWindowsDirectoryW(env->windows_dir, ARRAYSIZE(env->windows_dir))) {
            env->windows_dir_error = GetLastError() ? GetLastError() : ERROR_PATH_NOT_FOUND;
            env->windows_dir[0] = 0;
        }
    } else if (!(env->windows_dir_error = (DWORD)seam.RegConnectRegistryW(
                     svc_machine_unc(env->machine, unc, ARRAYSIZE(unc)), HKEY_LOCAL_MACHINE, &hklm))) {
        remote_version(env, hklm);
        env->windows_dir_error = checks_reg_string(hklm, CURRENT_VERSION_KEY, L"SystemRoot", env->windows_dir,
                                                   ARRAYSIZE(env->windows_dir));
        if (env->windows_dir_error) env->windows_dir[0] = 0;
        seam.RegCloseKey(hklm);
    } else {
        env->version_error = env->windows_dir_error;
    }
    if (env->options.windows_dir) {
        env->windows_dir_error = 0;
        wcsncpy(env->windows_dir, env->options.windows_dir, ARRAYSIZE(env->windows_dir) - 1);
        env->windows_dir[ARRAYSIZE(env->windows_dir) - 1] = 0;
    }
    checks_utf8(env->windows_dir, env->windows_dir_utf8, sizeof(env->windows_dir_utf8));
}

/* ---- diag_run -------------------------------------------------------------------------- */

/* One row that does not need the service rows' answers, run on a worker of its own. */
struct row_job {
    const struct checks_env *env;
    struct diag_row *row;
    void (*check)(const struct checks_env *env, struct diag_row *row);
    HANDLE thread;
};

static DWORD WINAPI row_worker(void *parameter)
{
    struct row_job *job = parameter;

    job->check(job->env, job->row);
    return 0;
}

/* Starts the row on a worker; when no worker can start, the row is run here and now. */
static void start_row(struct row_job *job)
{
    job->thread = seam.CreateThread(NULL, 0, row_worker, job, 0, NULL);
    if (!job->thread) job->check(job->env, job->row);
}

/* Waits for the row's worker to end. Each check bounds its own slow calls, so this ends.
 * The wait is the real one, not the seam's: joining our own worker is not a fact about the
 * machine, and a fault injected into the seam's wait must not let diag_run return while a
 * worker still writes its row. */
static void join_row(struct row_job *job)
{
    if (!job->thread) return;
    WaitForSingleObject(job->thread, INFINITE);
    seam.CloseHandle(job->thread);
    job->thread = NULL;
}

DWORD diag_run(const WCHAR *machine, const struct diag_options *options, struct diagnosis *out)
{
    struct diagnosis *result = malloc(sizeof(*result));
    struct checks_env *env = malloc(sizeof(*env));
    struct svc_info *info = malloc(sizeof(*info));
    static const enum diag_component dependencies[] = {
        DIAG_DEPENDENCY_RPCSS, DIAG_SUPPORTED_APPID, DIAG_SUPPORTED_WUAUSERV,
    };
    /* The slow, independent rows (the root stores, the catalog API and event log, the key
     * providers) run side by side while the service rows run here. */
    struct row_job jobs[] = {
        { NULL, NULL, checks_catalog_row, NULL },
        { NULL, NULL, checks_root_row, NULL },
        { NULL, NULL, checks_key_row, NULL },
        { NULL, NULL, checks_root_update_row, NULL },
    };
    static const enum diag_component job_rows[] = {
        DIAG_CATALOG_DB, DIAG_PROTECTED_ROOT, DIAG_KEY_SERVICE, DIAG_ROOT_UPDATE,
    };
    struct diag_row *service_row, *dependency_rows[ARRAYSIZE(dependencies)];
    DWORD service_error = 0;

    if (!result || !env || !info) {
        free(result);
        free(env);
        free(info);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    diag_init(result);
    checks_env_init(machine, options, env);
    if (!env->remote) env->scm = checks_scm_create();   /* none (no memory): each query opens its own */

    /* The rows are added first, in the order the user sees them; each worker fills its own. */
    service_row = diag_add_row(result, DIAG_SERVICE, "");
    for (size_t i = 0; i < ARRAYSIZE(jobs); i++) {
        jobs[i].env = env;
        jobs[i].row = diag_add_row(result, job_rows[i], "");
    }
    for (size_t i = 0; i < ARRAYSIZE(dependencies); i++)
        dependency_rows[i] = diag_add_row(result, dependencies[i], "");

    for (size_t i = 0; i < ARRAYSIZE(jobs); i++) start_row(&jobs[i]);
    checks_service_row(env, service_row, info, &service_error);
    for (size_t i = 0; i < ARRAYSIZE(dependencies); i++)
        checks_dependency_row(env, dependencies[i], service_error ? NULL : info, dependency_rows[i]);
    for (size_t i = 0; i < ARRAYSIZE(jobs); i++) join_row(&jobs[i]);
    checks_scm_release(env->scm);
    diag_summarize(result);

    *out = *result;
    free(result);
    free(env);
    free(info);
    return ERROR_SUCCESS;
}
