/* core/win/svc.c: a service as the Service Control Manager sees it, and start/stop with bounded waits. */
#include "win/svc.h"
#include "win/seam.h"

#include <stdlib.h>
#include <wchar.h>

#define SERVICES_KEY L"SYSTEM\\CurrentControlSet\\Services"

enum svc_failure svc_classify(DWORD error)
{
    switch (error) {
    case ERROR_SUCCESS:
        return SVC_FAIL_NONE;
    case ERROR_SERVICE_DOES_NOT_EXIST:
        return SVC_FAIL_NOT_INSTALLED;
    case ERROR_ACCESS_DENIED:
        return SVC_FAIL_ACCESS_DENIED;
    case RPC_S_SERVER_UNAVAILABLE:
    case RPC_S_CALL_FAILED:
    case RPC_S_CALL_FAILED_DNE:
    case RPC_S_INVALID_NET_ADDR:
    case EPT_S_NOT_REGISTERED:
    case ERROR_BAD_NETPATH:
    case ERROR_BAD_NET_NAME:
    case ERROR_NETNAME_DELETED:
    case ERROR_INVALID_COMPUTERNAME:
    case ERROR_NO_NET_OR_BAD_PATH:
    case ERROR_NETWORK_UNREACHABLE:
    case ERROR_HOST_UNREACHABLE:
    case WSAHOST_NOT_FOUND:
    case WSATRY_AGAIN:
    case WSANO_RECOVERY:
    case WSANO_DATA:
        return SVC_FAIL_UNREACHABLE;
    case ERROR_TIMEOUT:
    case ERROR_SERVICE_REQUEST_TIMEOUT:
        return SVC_FAIL_TIMEOUT;
    default:
        return SVC_FAIL_OTHER;
    }
}

const WCHAR *svc_machine_unc(const WCHAR *machine, WCHAR *buffer, size_t count)
{
    if (!machine || !*machine) return NULL;
    while (*machine == L'\\') machine++;
    if (count < 3) return NULL;
    buffer[0] = buffer[1] = L'\\';
    wcsncpy(buffer + 2, machine, count - 3);
    buffer[count - 1] = 0;
    return buffer;
}

static void copy_text(WCHAR *dest, size_t count, const WCHAR *source)
{
    if (!source) source = L"";
    wcsncpy(dest, source, count - 1);
    dest[count - 1] = 0;
}

/* ---- small SCM helpers ---------------------------------------------------------------- */

static int is_this_machine(const WCHAR *machine)
{
    WCHAR own[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD count = ARRAYSIZE(own);

    if (!machine || !*machine) return 1;
    while (*machine == L'\\') machine++;
    if (!_wcsicmp(machine, L".") || !_wcsicmp(machine, L"localhost")) return 1;
    return seam.GetComputerNameW(own, &count) && !_wcsicmp(machine, own);
}

/* An unknown name fails here in milliseconds; the SCM would take RPC's time-outs to say
 * the same. (Wine also answers a remote OpenSCManager from the local SCM, so without this a
 * mistyped name would read as this machine.) */
static DWORD resolve_machine(const WCHAR *machine)
{
    ADDRINFOW hints = { 0 }, *found = NULL;
    WSADATA wsa;
    DWORD error;

    if (is_this_machine(machine)) return ERROR_SUCCESS;
    while (*machine == L'\\') machine++;
    error = (DWORD)seam.WSAStartup(MAKEWORD(2, 2), &wsa);
    if (error) return error;
    hints.ai_family = AF_UNSPEC;
    error = (DWORD)seam.GetAddrInfoW(machine, NULL, &hints, &found);
    if (found) seam.FreeAddrInfoW(found);
    seam.WSACleanup();
    return error;
}

static DWORD open_scm(const WCHAR *machine, SC_HANDLE *scm)
{
    WCHAR unc[SVC_NAME_CCH + 2];
    DWORD error = resolve_machine(machine);

    *scm = NULL;
    if (error) return error;
    *scm = seam.OpenSCManagerW(svc_machine_unc(machine, unc, ARRAYSIZE(unc)), NULL,
                               SC_MANAGER_CONNECT);
    return *scm ? ERROR_SUCCESS : GetLastError();
}

static DWORD query_status(SC_HANDLE service, SERVICE_STATUS_PROCESS *status)
{
    DWORD needed = 0;

    if (!seam.QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)status,
                                   sizeof(*status), &needed))
        return GetLastError();
    return ERROR_SUCCESS;
}

/* QueryServiceConfigW, buffer sized in two passes; the caller frees *config. */
static DWORD query_config(SC_HANDLE service, QUERY_SERVICE_CONFIGW **config)
{
    DWORD needed = 0;

    *config = NULL;
    if (seam.QueryServiceConfigW(service, NULL, 0, &needed) || GetLastError() != ERROR_INSUFFICIENT_BUFFER)
        return GetLastError() ? GetLastError() : ERROR_INVALID_DATA;
    *config = malloc(needed);
    if (!*config) return ERROR_NOT_ENOUGH_MEMORY;
    if (!seam.QueryServiceConfigW(service, *config, needed, &needed)) {
        DWORD error = GetLastError();
        free(*config);
        *config = NULL;
        return error;
    }
    return ERROR_SUCCESS;
}

/* 1 or 0, or -1 when the SCM cannot tell (Windows before Vista, and Wine). */
static int query_delayed_auto(SC_HANDLE service)
{
    SERVICE_DELAYED_AUTO_START_INFO delayed = { 0 };
    DWORD needed = 0;

    if (!seam.QueryServiceConfig2W(service, SERVICE_CONFIG_DELAYED_AUTO_START_INFO,
                                   (BYTE *)&delayed, sizeof(delayed), &needed))
        return -1;
    return delayed.fDelayedAutostart ? 1 : 0;
}

/* Fills one dependency or dependent with its current state and start type. */
static void query_link(SC_HANDLE scm, const WCHAR *name, struct svc_link *link)
{
    SERVICE_STATUS_PROCESS status;
    QUERY_SERVICE_CONFIGW *config = NULL;
    SC_HANDLE service;

    memset(link, 0, sizeof(*link));
    copy_text(link->name, ARRAYSIZE(link->name), name);
    service = seam.OpenServiceW(scm, name, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG);
    if (!service) {
        link->error = GetLastError();
        return;
    }
    link->error = query_status(service, &status);
    if (!link->error) link->state = status.dwCurrentState;
    if (!query_config(service, &config)) {
        link->start_type = config->dwStartType;
        copy_text(link->display_name, ARRAYSIZE(link->display_name), config->lpDisplayName);
        free(config);
    }
    seam.CloseServiceHandle(service);
}

static int has_link(const struct svc_link *links, DWORD count, const WCHAR *name)
{
    for (DWORD i = 0; i < count; i++)
        if (!_wcsicmp(links[i].name, name)) return 1;
    return 0;
}

/* Adds `name` unless already listed; group entries ("+Group") are not services. */
static void add_link(SC_HANDLE scm, struct svc_link *links, DWORD *count, const WCHAR *name)
{
    if (!*name || *name == SC_GROUP_IDENTIFIERW) return;
    if (*count >= SVC_MAX_LINKS || has_link(links, *count, name)) return;
    query_link(scm, name, &links[*count]);
    (*count)++;
}

/* ---- registry ------------------------------------------------------------------------- */

/* Reads REG_MULTI_SZ `value` of Services\<service> into a malloc'ed, double-NUL-ended list. */
static DWORD read_multi_sz(HKEY services, const WCHAR *service, const WCHAR *value, WCHAR **list)
{
    HKEY key;
    DWORD type = 0, size = 0;
    DWORD error;

    *list = NULL;
    error = seam.RegOpenKeyExW(services, service, 0, KEY_QUERY_VALUE, &key);
    if (error) return error;
    error = seam.RegQueryValueExW(key, value, NULL, &type, NULL, &size);
    if (!error && type != REG_MULTI_SZ) error = ERROR_INVALID_DATATYPE;
    if (!error) {
        /* Room for two terminators even if the stored value lacks them. */
        *list = calloc(1, size + 2 * sizeof(WCHAR));
        if (!*list) error = ERROR_NOT_ENOUGH_MEMORY;
    }
    if (!error) error = seam.RegQueryValueExW(key, value, NULL, &type, (BYTE *)*list, &size);
    seam.RegCloseKey(key);
    if (error) {
        free(*list);
        *list = NULL;
    }
    return error;
}

static int list_contains(const WCHAR *list, const WCHAR *name)
{
    for (const WCHAR *item = list; *item; item += wcslen(item) + 1)
        if (!_wcsicmp(item, name)) return 1;
    return 0;
}

static DWORD open_services_key(const WCHAR *machine, HKEY *hklm, HKEY *services)
{
    WCHAR unc[SVC_NAME_CCH + 2];
    DWORD error;

    error = seam.RegConnectRegistryW(svc_machine_unc(machine, unc, ARRAYSIZE(unc)),
                                     HKEY_LOCAL_MACHINE, hklm);
    if (error) return error;
    error = seam.RegOpenKeyExW(*hklm, SERVICES_KEY, 0, KEY_ENUMERATE_SUB_KEYS, services);
    if (error) seam.RegCloseKey(*hklm);
    return error;
}

/* Every service whose DependOnService names ours. EnumDependentServices answers this on
 * Windows; Wine's is a stub that always says "none", so the registry is asked too. */
static DWORD scan_registry_dependents(const WCHAR *machine, SC_HANDLE scm, struct svc_info *info)
{
    HKEY hklm, services;
    WCHAR subkey[SVC_NAME_CCH];
    DWORD error = open_services_key(machine, &hklm, &services);

    if (error) return error;
    for (DWORD index = 0;; index++) {
        DWORD count = ARRAYSIZE(subkey);
        WCHAR *list;

        error = seam.RegEnumKeyExW(services, index, subkey, &count, NULL, NULL, NULL, NULL);
        if (error == ERROR_NO_MORE_ITEMS) {
            error = ERROR_SUCCESS;
            break;
        }
        if (error == ERROR_MORE_DATA) continue;   /* a key name longer than any service name */
        if (error) break;
        if (read_multi_sz(services, subkey, L"DependOnService", &list)) continue;
        if (list_contains(list, info->name))
            add_link(scm, info->dependents, &info->dependents_count, subkey);
        free(list);
    }
    seam.RegCloseKey(services);
    seam.RegCloseKey(hklm);
    return error;
}

static DWORD read_registry_depends(const WCHAR *machine, const WCHAR *name, WCHAR **list)
{
    HKEY hklm, services;
    DWORD error = open_services_key(machine, &hklm, &services);

    if (error) return error;
    error = read_multi_sz(services, name, L"DependOnService", list);
    seam.RegCloseKey(services);
    seam.RegCloseKey(hklm);
    return error;
}

/* ---- dependencies and dependents ------------------------------------------------------ */

static void query_depends_on(const WCHAR *machine, SC_HANDLE scm, const QUERY_SERVICE_CONFIGW *config,
                             struct svc_info *info)
{
    WCHAR *from_registry = NULL;
    const WCHAR *list = config->lpDependencies;

    /* Wine leaves lpDependencies empty even when DependOnService is set: ask the registry. */
    if (!list || !*list) {
        DWORD error = read_registry_depends(machine, info->name, &from_registry);
        if (error && error != ERROR_FILE_NOT_FOUND) info->depends_error = error;
        list = from_registry;
    }
    for (const WCHAR *item = list; item && *item; item += wcslen(item) + 1)
        add_link(scm, info->depends_on, &info->depends_count, item);
    free(from_registry);
}

static DWORD enum_dependents(SC_HANDLE service, SC_HANDLE scm, struct svc_info *info)
{
    ENUM_SERVICE_STATUSW *services;
    DWORD needed = 0, count = 0, error;

    if (seam.EnumDependentServicesW(service, SERVICE_STATE_ALL, NULL, 0, &needed, &count))
        return ERROR_SUCCESS;   /* none */
    error = GetLastError();
    if (error != ERROR_MORE_DATA) return error;
    services = malloc(needed);
    if (!services) return ERROR_NOT_ENOUGH_MEMORY;
    if (seam.EnumDependentServicesW(service, SERVICE_STATE_ALL, services, needed, &needed, &count)) {
        for (DWORD i = 0; i < count; i++)
            add_link(scm, info->dependents, &info->dependents_count, services[i].lpServiceName);
        error = ERROR_SUCCESS;
    } else {
        error = GetLastError();
    }
    free(services);
    return error;
}

static void query_dependents(const WCHAR *machine, SC_HANDLE service, SC_HANDLE scm,
                             struct svc_info *info)
{
    info->dependents_error = enum_dependents(service, scm, info);
    /* A real CryptSvc always has dependents (AppIDSvc), so an empty answer is the Wine
     * stub or a stripped system: the registry settles it either way. */
    if (!info->dependents_error && info->dependents_count == 0)
        info->dependents_error = scan_registry_dependents(machine, scm, info);
}

/* ---- svc_query ------------------------------------------------------------------------ */

static void take_status(struct svc_info *info, const SERVICE_STATUS_PROCESS *status)
{
    info->state = status->dwCurrentState;
    info->controls_accepted = status->dwControlsAccepted;
    info->win32_exit_code = status->dwWin32ExitCode;
    info->service_exit_code = status->dwServiceSpecificExitCode;
    info->checkpoint = status->dwCheckPoint;
    info->wait_hint = status->dwWaitHint;
    info->pid = status->dwProcessId;
    info->service_flags = status->dwServiceFlags;
}

static void take_config(struct svc_info *info, const QUERY_SERVICE_CONFIGW *config)
{
    info->service_type = config->dwServiceType;
    info->start_type = config->dwStartType;
    info->error_control = config->dwErrorControl;
    copy_text(info->binary_path, ARRAYSIZE(info->binary_path), config->lpBinaryPathName);
    copy_text(info->account, ARRAYSIZE(info->account), config->lpServiceStartName);
    copy_text(info->display_name, ARRAYSIZE(info->display_name), config->lpDisplayName);
}

DWORD svc_query(const WCHAR *machine, const WCHAR *name, struct svc_info *out)
{
    return svc_query_with(NULL, machine, name, out);
}

DWORD svc_query_with(SC_HANDLE shared, const WCHAR *machine, const WCHAR *name, struct svc_info *out)
{
    SC_HANDLE scm = shared, service = NULL;
    QUERY_SERVICE_CONFIGW *config = NULL;
    SERVICE_STATUS_PROCESS status;
    struct svc_info *info = calloc(1, sizeof(*info));
    DWORD error = ERROR_SUCCESS;

    if (!info) return ERROR_NOT_ENOUGH_MEMORY;
    copy_text(info->name, ARRAYSIZE(info->name), name);

    if (!shared) error = open_scm(machine, &scm);
    if (error) goto cleanup;
    service = seam.OpenServiceW(scm, name, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG |
                                SERVICE_ENUMERATE_DEPENDENTS);
    if (!service) {
        error = GetLastError();
        goto cleanup;
    }
    error = query_status(service, &status);
    if (error) goto cleanup;
    take_status(info, &status);
    error = query_config(service, &config);
    if (error) goto cleanup;
    take_config(info, config);
    info->delayed_auto = query_delayed_auto(service);
    query_depends_on(machine, scm, config, info);
    query_dependents(machine, service, scm, info);
    *out = *info;

cleanup:
    free(config);
    if (service) seam.CloseServiceHandle(service);
    if (scm && !shared) seam.CloseServiceHandle(scm);
    free(info);
    return error;
}

/* ---- start and stop ------------------------------------------------------------------- */

/* A tenth of the wait hint, as Microsoft's sample suggests, kept between 10 ms and 1 s so a
 * quick service is seen quickly and a slow one is not polled needlessly. */
static DWORD poll_interval(DWORD wait_hint)
{
    DWORD interval = wait_hint / 10;
    if (interval < 10) interval = 10;
    if (interval > 1000) interval = 1000;
    return interval;
}

/* Waits while the service is in `pending` until it reaches `target`. A service that leaves
 * `pending` for anything but `target` failed; one whose checkpoint and state stay still for
 * longer than its wait hint (plus grace) is not responding. */
static DWORD wait_for_state(SC_HANDLE service, DWORD pending, DWORD target,
                            const struct svc_wait *bounds, SERVICE_STATUS_PROCESS *status)
{
    ULONGLONG start = seam.GetTickCount64();
    ULONGLONG last_progress = start;
    DWORD last_checkpoint = status->dwCheckPoint;
    DWORD last_state = status->dwCurrentState;

    for (;;) {
        ULONGLONG now;
        DWORD error = query_status(service, status);

        if (error) return error;
        if (status->dwCurrentState == target) return ERROR_SUCCESS;
        if (status->dwCurrentState != pending) {
            /* It gave up on its own: its exit code says why, if it set one. */
            if (status->dwWin32ExitCode) return status->dwWin32ExitCode;
            return target == SERVICE_RUNNING ? ERROR_PROCESS_ABORTED : ERROR_SERVICE_CANNOT_ACCEPT_CTRL;
        }
        now = seam.GetTickCount64();
        if (status->dwCheckPoint != last_checkpoint || status->dwCurrentState != last_state) {
            last_checkpoint = status->dwCheckPoint;
            last_state = status->dwCurrentState;
            last_progress = now;
        } else if (now - last_progress > (ULONGLONG)status->dwWaitHint + bounds->grace_ms) {
            return ERROR_TIMEOUT;
        }
        if (now - start > bounds->overall_ms) return ERROR_TIMEOUT;
        seam.Sleep(poll_interval(status->dwWaitHint));
    }
}

static DWORD open_service(const WCHAR *machine, const WCHAR *name, DWORD access,
                          SC_HANDLE *scm, SC_HANDLE *service)
{
    DWORD error = open_scm(machine, scm);

    *service = NULL;
    if (error) return error;
    *service = seam.OpenServiceW(*scm, name, access);
    if (*service) return ERROR_SUCCESS;
    error = GetLastError();
    seam.CloseServiceHandle(*scm);
    *scm = NULL;
    return error;
}

static void close_service(SC_HANDLE scm, SC_HANDLE service)
{
    if (service) seam.CloseServiceHandle(service);
    if (scm) seam.CloseServiceHandle(scm);
}

static const struct svc_wait default_wait = SVC_WAIT_DEFAULT;

DWORD svc_start(const WCHAR *machine, const WCHAR *name, const struct svc_wait *bounds,
                SERVICE_STATUS_PROCESS *final)
{
    SERVICE_STATUS_PROCESS status = { 0 };
    SC_HANDLE scm, service;
    DWORD error = open_service(machine, name, SERVICE_START | SERVICE_QUERY_STATUS, &scm, &service);

    if (!bounds) bounds = &default_wait;
    if (error) return error;
    error = query_status(service, &status);
    if (error) goto cleanup;
    if (status.dwCurrentState == SERVICE_RUNNING) {
        error = ERROR_SERVICE_ALREADY_RUNNING;
        goto cleanup;
    }
    if (status.dwCurrentState != SERVICE_START_PENDING) {
        if (!seam.StartServiceW(service, 0, NULL)) {
            error = GetLastError();
            if (error != ERROR_SERVICE_ALREADY_RUNNING) goto cleanup;
        }
        error = query_status(service, &status);
        if (error) goto cleanup;
    }
    error = wait_for_state(service, SERVICE_START_PENDING, SERVICE_RUNNING, bounds, &status);

cleanup:
    if (final) *final = status;
    close_service(scm, service);
    return error;
}

DWORD svc_stop(const WCHAR *machine, const WCHAR *name, const struct svc_wait *bounds,
               SERVICE_STATUS_PROCESS *final)
{
    SERVICE_STATUS_PROCESS status = { 0 };
    SERVICE_STATUS control_status;
    SC_HANDLE scm, service;
    DWORD error = open_service(machine, name, SERVICE_STOP | SERVICE_QUERY_STATUS, &scm, &service);

    if (!bounds) bounds = &default_wait;
    if (error) return error;
    error = query_status(service, &status);
    if (error) goto cleanup;
    if (status.dwCurrentState == SERVICE_STOPPED) {
        error = ERROR_SERVICE_NOT_ACTIVE;
        goto cleanup;
    }
    if (status.dwCurrentState != SERVICE_STOP_PENDING) {
        if (!seam.ControlService(service, SERVICE_CONTROL_STOP, &control_status)) {
            error = GetLastError();
            goto cleanup;
        }
        error = query_status(service, &status);
        if (error) goto cleanup;
    }
    error = wait_for_state(service, SERVICE_STOP_PENDING, SERVICE_STOPPED, bounds, &status);

cleanup:
    if (final) *final = status;
    close_service(scm, service);
    return error;
}
