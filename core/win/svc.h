/* core/win/svc.h: a service as the Service Control Manager sees it, and start/stop with bounded waits. */
#ifndef CSD_SVC_H
#define CSD_SVC_H

#include <windows.h>

#define SVC_NAME_CCH 257          /* service names are at most 256 characters */
#define SVC_MAX_LINKS 32          /* dependencies or dependents kept per service */

/* A service that ours depends on, or that depends on ours. */
struct svc_link {
    WCHAR name[SVC_NAME_CCH];
    WCHAR display_name[SVC_NAME_CCH];
    DWORD state;                  /* SERVICE_RUNNING ...; 0 when `error` is set */
    DWORD start_type;
    DWORD error;                  /* 0, or why it could not be queried (1060: not installed) */
};

/* What svc_query found. Fields that could not be read hold 0/empty and their *_error says why. */
struct svc_info {
    WCHAR name[SVC_NAME_CCH];
    WCHAR display_name[SVC_NAME_CCH];

    /* QueryServiceStatusEx */
    DWORD state;
    DWORD controls_accepted;
    DWORD win32_exit_code;
    DWORD service_exit_code;
    DWORD checkpoint;
    DWORD wait_hint;
    DWORD pid;                    /* host process; 0 when not running */
    DWORD service_flags;

    /* QueryServiceConfigW */
    DWORD service_type;
    DWORD start_type;             /* SERVICE_AUTO_START ... */
    int delayed_auto;             /* 1 or 0; -1 when Windows would not say (Wine never does) */
    DWORD error_control;
    WCHAR binary_path[1024];
    WCHAR account[SVC_NAME_CCH];

    /* DependOnService, each with its current state */
    struct svc_link depends_on[SVC_MAX_LINKS];
    DWORD depends_count;
    DWORD depends_error;          /* 0, or why the list could not be read */
    /* services whose DependOnService names ours, each with its current state */
    struct svc_link dependents[SVC_MAX_LINKS];
    DWORD dependents_count;
    DWORD dependents_error;
};

/* How a failed call should read to a person: each kind gets its own words. */
enum svc_failure {
    SVC_FAIL_NONE = 0,
    SVC_FAIL_NOT_INSTALLED,       /* ERROR_SERVICE_DOES_NOT_EXIST */
    SVC_FAIL_ACCESS_DENIED,       /* ERROR_ACCESS_DENIED */
    SVC_FAIL_UNREACHABLE,         /* the remote machine did not answer (RPC, name, network) */
    SVC_FAIL_TIMEOUT,             /* the service made no progress within its wait hint or our bound */
    SVC_FAIL_OTHER
};
enum svc_failure svc_classify(DWORD error);

/* Reads `name` on `machine` (NULL: this machine; else "NAME" or "\\NAME").
 * Returns 0, or the Win32 error of the first call that failed (1060 when not installed,
 * 5 when access is denied, 1722 and friends when the machine cannot be reached);
 * on failure *out is left as it was. Needs no admin rights. */
DWORD svc_query(const WCHAR *machine, const WCHAR *name, struct svc_info *out);
/* svc_query through an SCM connection the caller already holds (NULL: opens its own, as
 * svc_query does); `machine` still names the machine for the registry reads. The caller
 * keeps `scm` open and closes it. */
DWORD svc_query_with(SC_HANDLE scm, const WCHAR *machine, const WCHAR *name, struct svc_info *out);

/* Bounds for the waits in svc_start/svc_stop. No fixed sleeps: the poll interval follows
 * the service's wait hint, and a service whose checkpoint does not move within its wait
 * hint (plus `grace_ms`) has stopped responding. */
struct svc_wait {
    DWORD overall_ms;             /* give up after this long in any case */
    DWORD grace_ms;               /* extra time beyond a wait hint before "not responding" */
};
#define SVC_WAIT_DEFAULT { 60000, 2000 }

/* Start or stop `name` and wait until it is RUNNING or STOPPED.
 * Returns 0, ERROR_SERVICE_ALREADY_RUNNING / ERROR_SERVICE_NOT_ACTIVE when nothing needed
 * doing, ERROR_TIMEOUT when it did not get there within the bounds, or the SCM's error.
 * `final` (may be NULL) receives the last status seen. */
DWORD svc_start(const WCHAR *machine, const WCHAR *name, const struct svc_wait *bounds,
                SERVICE_STATUS_PROCESS *final);
DWORD svc_stop(const WCHAR *machine, const WCHAR *name, const struct svc_wait *bounds,
               SERVICE_STATUS_PROCESS *final);

/* "\\NAME" for a machine name given with or without the backslashes; NULL stays NULL. */
const WCHAR *svc_machine_unc(const WCHAR *machine, WCHAR *buffer, size_t count);

#endif
