/* core/win/checks_service.c: the facts behind the CryptSvc row (SCM, registry, Group Policy) and the dependency rows. */
#include "win/checks_internal.h"
#include "win/seam.h"
#include "pure/svc_names.h"

#include <stdlib.h>
#include <wchar.h>

#define SERVICES_KEY L"SYSTEM\\CurrentControlSet\\Services\\"
#define TEMPLATE_MAX_BYTES (1024 * 1024)

/* ---- the shared SCM connection ------------------------------------------------------------ */

struct checks_scm {
    volatile LONG references;
    volatile LONG failed;         /* the open failed once: queries open their own (and say why) */
    SC_HANDLE volatile handle;
};

struct checks_scm *checks_scm_create(void)
{
    struct checks_scm *scm = calloc(1, sizeof(*scm));

    if (scm) scm->references = 1;
    return scm;
}

static struct checks_scm *scm_hold(struct checks_scm *scm)
{
    if (scm) InterlockedIncrement(&scm->references);
    return scm;
}

void checks_scm_release(struct checks_scm *scm)
{
    if (!scm || InterlockedDecrement(&scm->references) != 0) return;
    if (scm->handle) seam.CloseServiceHandle(scm->handle);
    free(scm);
}

/* The shared handle, opened on first use; NULL when it cannot be (the caller opens its own). */
static SC_HANDLE scm_handle(struct checks_scm *scm)
{
    SC_HANDLE handle;

    if (!scm || scm->failed) return NULL;
    if (scm->handle) return scm->handle;
    handle = seam.OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    if (!handle) {
        InterlockedExchange(&scm->failed, 1);
        return NULL;
    }
    /* Two queries may race here (one outliving its bound): the first one's handle wins. */
    if (InterlockedCompareExchangePointer((void *volatile *)&scm->handle, handle, NULL) != NULL)
        seam.CloseServiceHandle(handle);
    return scm->handle;
}

/* ---- svc_query with a bound -------------------------------------------------------------- */

struct query_job {
    WCHAR machine[MAX_PATH];
    int has_machine;
    WCHAR name[SVC_NAME_CCH];
    struct checks_scm *scm;       /* a reference of its own, or NULL */
    DWORD error;
    struct svc_info info;
};

static void query_work(void *context)
{
    struct query_job *job = context;
    job->error = svc_query_with(scm_handle(job->scm), job->has_machine ? job->machine : NULL, job->name,
                                &job->info);
}

static void query_release(void *context)
{
    struct query_job *job = context;

    checks_scm_release(job->scm);
    free(job);
}

/* svc_query, but a Service Control Manager that does not answer within the bound gives
 * RULES_TIMED_OUT instead of hanging the diagnosis. */
static DWORD bounded_query(const struct checks_env *env, const WCHAR *name, struct svc_info *info)
{
    struct query_job *job = calloc(1, sizeof(*job));
    DWORD error;

    if (!job) return ERROR_NOT_ENOUGH_MEMORY;
    if (env->machine) {
        wcsncpy(job->machine, env->machine, ARRAYSIZE(job->machine) - 1);
        job->has_machine = 1;
    }
    wcsncpy(job->name, name, ARRAYSIZE(job->name) - 1);
    /* Shared only on this machine: svc_query checks a remote name resolves before it opens. */
    job->scm = env->remote ? NULL : scm_hold(env->scm);
    error = checks_run_bounded(query_work, query_release, job, env->options.query_timeout_ms);
    if (error == RULES_TIMED_OUT) return error;      /* the worker owns and frees the job */
    if (!error) {
        error = job->error;
        if (!error) *info = job->info;
    }
    query_release(job);
    return error;
}

/* A pending service is watched: progress (a new checkpoint or state) means it is alive; the
 * same checkpoint for longer than its wait hint means it is not responding. */
static void watch_pending(const struct checks_env *env, struct svc_info *info, struct rules_service_facts *facts)
{
    ULONGLONG start = seam.GetTickCount64(), still_since = start;
    DWORD state = info->state, checkpoint = info->checkpoint;

    while (svc_state_is_pending(info->state)) {
        ULONGLONG now = seam.GetTickCount64();
        DWORD interval = info->wait_hint / 10;

        facts->pending_still_ms = (uint32_t)(now - still_since);
        if (facts->pending_still_ms > info->wait_hint) break;
        if (now - start > env->options.pending_watch_ms) break;
        if (interval < 100) interval = 100;
        if (interval > 1000) interval = 1000;
        seam.Sleep(interval);
        if (bounded_query(env, env->service_name, info)) break;
        if (info->state != state || info->checkpoint != checkpoint) {
            state = info->state;
            checkpoint = info->checkpoint;
            still_since = seam.GetTickCount64();
            facts->pending_still_ms = 0;
        }
    }
    if (!svc_state_is_pending(info->state)) facts->pending_still_ms = 0;
}

/* ---- QueryServiceConfig2W ------------------------------------------------------------------ */

static DWORD query_config2(SC_HANDLE service, DWORD level, BYTE **buffer)
{
    DWORD needed = 0;

    *buffer = NULL;
    if (seam.QueryServiceConfig2W(service, level, NULL, 0, &needed) || GetLastError() != ERROR_INSUFFICIENT_BUFFER)
        return GetLastError() ? GetLastError() : ERROR_INVALID_DATA;
    *buffer = malloc(needed);
    if (!*buffer) return ERROR_NOT_ENOUGH_MEMORY;
    if (!seam.QueryServiceConfig2W(service, level, *buffer, needed, &needed)) {
        DWORD error = GetLastError();
        free(*buffer);
        *buffer = NULL;
        return error;
    }
    return 0;
}

static void read_config2(const struct checks_env *env, struct rules_service_facts *facts)
{
    WCHAR unc[MAX_PATH];
    /* The shared connection if the service query already opened it (it answered, so the SCM does). */
    SC_HANDLE shared = (!env->remote && env->scm && !env->scm->failed) ? env->scm->handle : NULL;
    SC_HANDLE scm = shared, service = NULL;
    BYTE *buffer;
    DWORD error;

    if (!scm)
        scm = seam.OpenSCManagerW(svc_machine_unc(env->machine, unc, ARRAYSIZE(unc)), NULL, SC_MANAGER_CONNECT);
    if (scm) service = seam.OpenServiceW(scm, env->service_name, SERVICE_QUERY_CONFIG);
    if (!service) {
        facts->failure_error = facts->sid_error = GetLastError() ? GetLastError() : ERROR_INVALID_HANDLE;
        if (scm && scm != shared) seam.CloseServiceHandle(scm);
        return;
    }
    error = query_config2(service, SERVICE_CONFIG_FAILURE_ACTIONS, &buffer);
    facts->failure_error = error;
    if (!error) {
        const SERVICE_FAILURE_ACTIONSW *actions = (const SERVICE_FAILURE_ACTIONSW *)buffer;
        facts->failure_reset_s = actions->dwResetPeriod;
        facts->failure_count = actions->cActions;
        if (actions->cActions && actions->lpsaActions) {
            facts->failure_first_type = (uint32_t)actions->lpsaActions[0].Type;
            facts->failure_first_delay_ms = actions->lpsaActions[0].Delay;
        }
        free(buffer);
    }
    error = query_config2(service, SERVICE_CONFIG_SERVICE_SID_INFO, &buffer);
    facts->sid_error = error;
    if (!error) {
        facts->sid_type = ((const SERVICE_SID_INFO *)buffer)->dwServiceSidType;
        free(buffer);
    }
    seam.CloseServiceHandle(service);
    if (scm != shared) seam.CloseServiceHandle(scm);
}

/* ---- registry: Parameters\ServiceDll --------------------------------------------------------- */

static void read_service_dll(const struct checks_env *env, struct rules_service_facts *facts)
{
    WCHAR unc[MAX_PATH], subkey[MAX_PATH], dll[MAX_PATH];
    HKEY hklm;
    DWORD error = (DWORD)seam.RegConnectRegistryW(svc_machine_unc(env->machine, unc, ARRAYSIZE(unc)),
                                                  HKEY_LOCAL_MACHINE, &hklm);

    if (error) {
        facts->service_dll_error = error;
        return;
    }
    swprintf(subkey, ARRAYSIZE(subkey), SERVICES_KEY L"%ls\\Parameters", env->service_name);
    error = checks_reg_string(hklm, subkey, L"ServiceDll", dll, ARRAYSIZE(dll));
    facts->service_dll_error = error;
    if (!error) checks_utf8(dll, facts->service_dll, sizeof(facts->service_dll));
    seam.RegCloseKey(hklm);
}

/* ---- Group Policy: the cached security templates -------------------------------------------- */

/* The text of a template file as UTF-8 (secedit writes UTF-16LE; hand-made ones may be ANSI). */
static char *read_template(const WCHAR *path, DWORD *error)
{
    HANDLE file = seam.CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                                   FILE_ATTRIBUTE_NORMAL, NULL);
    LARGE_INTEGER size;
    BYTE *bytes = NULL;
    char *text = NULL;
    DWORD read = 0;

    if (file == INVALID_HANDLE_VALUE) {
        *error = GetLastError();
        return NULL;
    }
    if (!seam.GetFileSizeEx(file, &size)) *error = GetLastError();
    else if (size.QuadPart > TEMPLATE_MAX_BYTES) *error = ERROR_FILE_TOO_LARGE;
    else if (!(bytes = calloc(1, (size_t)size.QuadPart + 2))) *error = ERROR_NOT_ENOUGH_MEMORY;
    else if (!seam.ReadFile(file, bytes, (DWORD)size.QuadPart, &read, NULL)) *error = GetLastError();
    seam.CloseHandle(file);
    if (*error) {
        free(bytes);
        return NULL;
    }
    if (read >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) {
        int length = WideCharToMultiByte(CP_UTF8, 0, (const WCHAR *)(bytes + 2), (int)(read - 2) / 2, NULL, 0, NULL, NULL);
        text = calloc(1, (size_t)length + 1);
        if (text) WideCharToMultiByte(CP_UTF8, 0, (const WCHAR *)(bytes + 2), (int)(read - 2) / 2, text, length, NULL, NULL);
        free(bytes);
    } else {
        text = (char *)bytes;   /* ASCII is all the section and service names need */
    }
    if (!text) *error = ERROR_NOT_ENOUGH_MEMORY;
    return text;
}

/* The Security client-side extension keeps a copy of every applied GPO's GptTmpl.inf in
 * %SystemRoot%\security\templates\policies (gptNNNNN.inf, or .dom when linked to the domain)
 * and applies them in name order, so the last one naming the service wins. The local
 * security policy (secpol.msc) is kept elsewhere (secedit.sdb) and is not seen here. */
static void read_policy(const struct checks_env *env, struct rules_service_facts *facts)
{
    WCHAR pattern[MAX_PATH], path[MAX_PATH];
    WIN32_FIND_DATAW found;
    HANDLE find;
    char name[RULES_NAME_LENGTH];

    if (env->remote || !env->windows_dir[0]) {
        facts->policy_error = env->remote ? ERROR_NOT_SUPPORTED : env->windows_dir_error;
        return;
    }
    checks_utf8(env->service_name, name, sizeof(name));
    swprintf(pattern, ARRAYSIZE(pattern), L"%ls\\security\\templates\\policies\\gpt*.*", env->windows_dir);
    find = seam.FindFirstFileExW(pattern, FindExInfoBasic, &found, FindExSearchNameMatch, NULL, 0);
    if (find == INVALID_HANDLE_VALUE) {
        DWORD error = GetLastError();
        facts->policy_error = (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) ? 0 : error;
        return;
    }
    facts->policy_error = 0;
    do {
        DWORD error = 0;
        uint32_t mode;
        char *text;

        if (found.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) continue;
        swprintf(path, ARRAYSIZE(path), L"%ls\\security\\templates\\policies\\%ls", env->windows_dir, found.cFileName);
        text = read_template(path, &error);
        if (!text) {
            facts->policy_error = error;
            continue;
        }
        if (rules_template_service_mode(text, name, &mode)) {
            facts->policy_found = 1;
            facts->policy_mode = mode;
            checks_utf8(found.cFileName, facts->policy_file, sizeof(facts->policy_file));
        }
        free(text);
    } while (seam.FindNextFileW(find, &found));
    if (GetLastError() != ERROR_NO_MORE_FILES && !facts->policy_error) facts->policy_error = GetLastError();
    seam.FindClose(find);
    /* A template we could not read matters only if no readable one settled the question. */
    if (facts->policy_found) facts->policy_error = 0;
}

/* ---- the facts ------------------------------------------------------------------------- */

static void take_links(const struct svc_info *info, struct rules_service_facts *facts)
{
    facts->depends_error = info->depends_error;
    for (DWORD i = 0; i < info->depends_count && facts->depends_count < 8; i++)
        checks_utf8(info->depends_on[i].name, facts->depends[facts->depends_count++], RULES_NAME_LENGTH);
    for (DWORD i = 0; i < info->dependents_count && facts->dependents_count < 8; i++) {
        struct rules_link *link = &facts->dependents[facts->dependents_count++];
        checks_utf8(info->dependents[i].name, link->name, sizeof(link->name));
        link->error = info->dependents[i].error;
        link->state = info->dependents[i].state;
        link->start_type = info->dependents[i].start_type;
    }
}

/* The file name of the program a command line starts ("svchost.exe"). */
static void host_image(const WCHAR *command, char *out, size_t size)
{
    WCHAR program[MAX_PATH];
    const WCHAR *p = command, *end, *base;
    size_t length;

    if (*p == L'"') end = wcschr(++p, L'"');
    else end = wcschr(p, L' ');
    length = end ? (size_t)(end - p) : wcslen(p);
    if (length >= ARRAYSIZE(program)) length = ARRAYSIZE(program) - 1;
    wcsncpy(program, p, length);
    program[length] = 0;
    base = wcsrchr(program, L'\\');
    checks_utf8(base ? base + 1 : program, out, size);
}

DWORD checks_service_facts(const struct checks_env *env, struct rules_service_facts *facts, struct svc_info *info_out)
{
    struct svc_info *info = calloc(1, sizeof(*info));
    DWORD error;

    memset(facts, 0, sizeof(*facts));
    facts->remote = env->remote;
    facts->version = env->version;
    facts->version_error = env->version_error;
    diag_copy(facts->windows_dir, sizeof(facts->windows_dir), env->windows_dir_utf8);
    facts->query_wait_ms = env->options.query_timeout_ms;
    facts->failure_error = facts->sid_error = facts->service_dll_error = facts->policy_error = RULES_NOT_RUN;
    if (!info) {
        facts->query_error = ERROR_NOT_ENOUGH_MEMORY;
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    error = bounded_query(env, env->service_name, info);
    facts->query_error = error;
    if (!error) {
        if (svc_state_is_pending(info->state)) watch_pending(env, info, facts);
        facts->state = info->state;
        facts->start_type = info->start_type;
        facts->delayed_auto = info->delayed_auto;
        facts->win32_exit_code = info->win32_exit_code;
        facts->service_exit_code = info->service_exit_code;
        facts->pid = info->pid;
        facts->checkpoint = info->checkpoint;
        facts->wait_hint = info->wait_hint;
        checks_utf8(info->binary_path, facts->image_path, sizeof(facts->image_path));
        checks_utf8(info->account, facts->account, sizeof(facts->account));
        if (info->pid) host_image(info->binary_path, facts->host_image, sizeof(facts->host_image));
        take_links(info, facts);
        read_config2(env, facts);
        read_service_dll(env, facts);
        read_policy(env, facts);
        if (info_out) *info_out = *info;
    }
    free(info);
    return error;
}

void checks_service_row(const struct checks_env *env, struct diag_row *row, struct svc_info *info, DWORD *error)
{
    struct rules_service_facts *facts = malloc(sizeof(*facts));
    DWORD result;

    if (!facts) {
        diag_copy(row->current, sizeof(row->current), "Not checked");
        diag_evidence(row, "could not check: out of memory.");
        if (error) *error = ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    result = checks_service_facts(env, facts, info);
    rules_service_row(facts, row);
    if (error) *error = result;
    free(facts);
}

/* ---- dependencies and dependents -------------------------------------------------------- */

static const WCHAR *dependency_name(enum diag_component component)
{
    switch (component) {
    case DIAG_DEPENDENCY_RPCSS: return L"RpcSs";
    case DIAG_SUPPORTED_APPID: return L"AppIDSvc";
    case DIAG_SUPPORTED_WUAUSERV: return L"wuauserv";
    default: return NULL;
    }
}

static int has_name(const struct svc_link *links, DWORD count, const WCHAR *name)
{
    for (DWORD i = 0; i < count; i++)
        if (!_wcsicmp(links[i].name, name)) return 1;
    return 0;
}

void checks_dependency_facts(const struct checks_env *env, enum diag_component component,
                             const struct svc_info *crypt, struct rules_dependency_facts *facts)
{
    struct svc_info *info = calloc(1, sizeof(*info));
    const WCHAR *name = dependency_name(component);

    memset(facts, 0, sizeof(*facts));
    facts->remote = env->remote;
    facts->version = env->version;
    facts->listed = -1;
    if (!info || !name) {
        facts->query_error = info ? ERROR_INVALID_PARAMETER : ERROR_NOT_ENOUGH_MEMORY;
        free(info);
        return;
    }
    facts->query_error = bounded_query(env, name, info);
    if (!facts->query_error) {
        facts->state = info->state;
        facts->start_type = info->start_type;
        facts->delayed_auto = info->delayed_auto;
    }
    if (crypt && component == DIAG_DEPENDENCY_RPCSS && !crypt->depends_error)
        facts->listed = has_name(crypt->depends_on, crypt->depends_count, name);
    if (crypt && component == DIAG_SUPPORTED_APPID && !crypt->dependents_error)
        facts->listed = has_name(crypt->dependents, crypt->dependents_count, name);
    free(info);
}

void checks_dependency_row(const struct checks_env *env, enum diag_component component,
                           const struct svc_info *crypt, struct diag_row *row)
{
    struct rules_dependency_facts facts;

    checks_dependency_facts(env, component, crypt, &facts);
    rules_dependency_row(component, &facts, row);
}
