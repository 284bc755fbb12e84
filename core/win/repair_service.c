/* core/win/repair_service.c: the service steps: start type, stop (dependents first), start, a hung host. */
#include "win/repair_internal.h"
#include "win/seam.h"

#include <stdlib.h>
#include <wchar.h>

#define DEPENDENT_DEPTH 3   /* dependents of dependents of dependents: more is not a real system */

/* ---- reading the service --------------------------------------------------------------- */

static BOOL listed(struct repair_job *job, const WCHAR *name)
{
    for (unsigned i = 0; i < job->dependent_count; i++)
        if (!_wcsicmp(job->dependents[i], name)) return TRUE;
    return FALSE;
}

/* Running dependents of `info`, deepest first, so each stops before what it depends on. */
static DWORD collect_dependents(struct repair_job *job, const struct svc_info *info, int depth)
{
    if (info->dependents_error) return info->dependents_error;   /* not knowing them is not "none" */
    for (DWORD i = 0; i < info->dependents_count; i++) {
        const struct svc_link *link = &info->dependents[i];
        DWORD error;

        if (link->error || link->state == SERVICE_STOPPED || listed(job, link->name)) continue;
        if (depth < DEPENDENT_DEPTH) {
            struct svc_info *inner = calloc(1, sizeof(*inner));
            if (!inner) return ERROR_NOT_ENOUGH_MEMORY;
            error = svc_query(job->machine, link->name, inner);
            if (!error) error = collect_dependents(job, inner, depth + 1);
            free(inner);
            if (error) return error;
        }
        if (job->dependent_count >= REPAIR_MAX_DEPENDENTS) return ERROR_TOO_MANY_NAMES;
        if (!listed(job, link->name)) wcscpy(job->dependents[job->dependent_count++], link->name);
    }
    return ERROR_SUCCESS;
}

DWORD repair_read_service(struct repair_job *job)
{
    struct svc_info *info = calloc(1, sizeof(*info));
    DWORD error;

    if (!info) return ERROR_NOT_ENOUGH_MEMORY;
    error = svc_query(job->machine, job->service, info);
    if (!error) {
        job->state_before = info->state;
        job->start_type_before = info->start_type;
        job->dependent_count = 0;
        error = collect_dependents(job, info, 1);
    }
    free(info);
    return error;
}

/* The SCM of the computer being repaired (job->machine), never this one in its place: the
 * name was resolved by the svc_query that planned the repair. */
SC_HANDLE repair_open_scm(struct repair_job *job, DWORD access)
{
    WCHAR unc[SVC_NAME_CCH + 2];

    return seam.OpenSCManagerW(svc_machine_unc(job->machine, unc, ARRAYSIZE(unc)), NULL, access);
}

DWORD repair_query_status(struct repair_job *job, const WCHAR *name, SERVICE_STATUS_PROCESS *status)
{
    SC_HANDLE scm = repair_open_scm(job, SC_MANAGER_CONNECT), service = NULL;
    DWORD needed, error = ERROR_SUCCESS;

    if (!scm) return GetLastError();
    service = seam.OpenServiceW(scm, name, SERVICE_QUERY_STATUS);
    if (!service) error = GetLastError();
    else if (!seam.QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)status, sizeof(*status), &needed))
        error = GetLastError();
    if (service) seam.CloseServiceHandle(service);
    seam.CloseServiceHandle(scm);
    return error;
}

/* After svc_stop/svc_start failed, the service may still have gone where it was sent (the
 * wait failed, not the control): the state it settles in decides what undo must do. */
static DWORD settled_state(struct repair_job *job, const WCHAR *name)
{
    SERVICE_STATUS_PROCESS status = { 0 };

    if (repair_query_status(job, name, &status)) return 0;
    if (status.dwCurrentState == SERVICE_STOP_PENDING) svc_stop(job->machine, name, &job->wait, NULL);
    else if (status.dwCurrentState == SERVICE_START_PENDING) svc_start(job->machine, name, &job->wait, NULL);
    else return status.dwCurrentState;
    return repair_query_status(job, name, &status) ? 0 : status.dwCurrentState;
}

/* ---- a hung service ---------------------------------------------------------------------- */

/* How many services live in process `pid`; `names` lists those other than `self`, as "A, B". */
static DWORD services_in_process(struct repair_job *job, DWORD pid, const WCHAR *self, unsigned *count,
                                 WCHAR *names, size_t names_count)
{
    SC_HANDLE scm = repair_open_scm(job, SC_MANAGER_ENUMERATE_SERVICE);
    ENUM_SERVICE_STATUS_PROCESSW *services = NULL;
    DWORD needed = 0, returned = 0, resume = 0, error = ERROR_SUCCESS;

    *count = 0;
    names[0] = 0;
    if (!scm) return GetLastError();
    if (!seam.EnumServicesStatusExW(scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE, NULL, 0, &needed,
                                    &returned, &resume, NULL)) {
        error = GetLastError();
        if (error == ERROR_MORE_DATA) {
            error = ERROR_SUCCESS;
            resume = 0;
            services = malloc(needed);
            if (!services) error = ERROR_NOT_ENOUGH_MEMORY;
            else if (!seam.EnumServicesStatusExW(scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE,
                                                 (BYTE *)services, needed, &needed, &returned, &resume, NULL))
                error = GetLastError();
        }
    }
    for (DWORD i = 0; !error && services && i < returned; i++) {
        if (services[i].ServiceStatusProcess.dwProcessId != pid) continue;
        (*count)++;
        if (!_wcsicmp(services[i].lpServiceName, self)) continue;
        if (names[0]) wcsncat(names, L", ", names_count - wcslen(names) - 1);
        wcsncat(names, services[i].lpServiceName, names_count - wcslen(names) - 1);
    }
    free(services);
    seam.CloseServiceHandle(scm);
    return error;
}

/* A service stuck in STOP_PENDING: its host process may be ended, but only when it hosts
 * nothing else and only when the user says yes. Returns 0 when the service is now stopped. */
static DWORD end_hung_process(struct repair_job *job, struct repair_step *step, const SERVICE_STATUS_PROCESS *hung)
{
    const struct repair_options *o = job->options;
    WCHAR others[512], question[800];
    unsigned count = 0;
    HANDLE process;
    DWORD error;

    if (!hung->dwProcessId || (hung->dwServiceFlags & SERVICE_RUNS_IN_SYSTEM_PROCESS)) return ERROR_TIMEOUT;
    /* The PID is the other computer's: OpenProcess would end a process of this one. */
    if (job->machine) {
        repair_detail(step, L"%ls does not respond (stuck in STOP_PENDING, PID %lu on %ls); a process on another "
                      L"computer is not ended from here.", job->service, hung->dwProcessId, job->machine);
        return ERROR_TIMEOUT;
    }
    if (!o || !o->confirm) return ERROR_TIMEOUT;
    error = services_in_process(job, hung->dwProcessId, job->service, &count, others, ARRAYSIZE(others));
    if (error) return ERROR_TIMEOUT;
    if (count != 1) {
        repair_detail(step, L"%ls does not respond; its process (PID %lu) also runs %ls, so it was not ended.",
                      job->service, hung->dwProcessId, others);
        return ERROR_TIMEOUT;
    }
    swprintf(question, ARRAYSIZE(question),
             L"%ls does not respond to stop (stuck in STOP_PENDING). End its process, PID %lu, which runs "
             L"nothing else?", job->service, hung->dwProcessId);
    if (!o->confirm(o->context, REPAIR_ASK_END_PROCESS, question)) return ERROR_TIMEOUT;
    process = seam.OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, hung->dwProcessId);
    if (!process) return GetLastError();
    if (!seam.TerminateProcess(process, ERROR_SERVICE_REQUEST_TIMEOUT)) error = GetLastError();
    else if (seam.WaitForSingleObject(process, job->wait.overall_ms) != WAIT_OBJECT_0) error = ERROR_TIMEOUT;
    seam.CloseHandle(process);
    repair_log(job, L"ended process %lu of hung service %ls: %lu", hung->dwProcessId, job->service, error);
    if (error) return error;
    {
        /* Windows marks the service stopped when its process ends; Wine's SCM never notices. */
        SERVICE_STATUS_PROCESS now = { 0 };
        ULONGLONG start = seam.GetTickCount64();
        while (!(error = repair_query_status(job, job->service, &now)) && now.dwCurrentState != SERVICE_STOPPED &&
               seam.GetTickCount64() - start < job->wait.grace_ms + 3000)
            seam.Sleep(100);
        if (!error && now.dwCurrentState != SERVICE_STOPPED) {
            repair_detail(step, L"Its process (PID %lu) was ended, but the Service Control Manager still reports "
                          L"it as stopping; nothing was moved.", hung->dwProcessId);
            return ERROR_SERVICE_REQUEST_TIMEOUT;
        }
    }
    return error;
}

/* ---- stop -------------------------------------------------------------------------------- */

static void describe_stop_failure(struct repair_job *job, struct repair_step *step, const WCHAR *name,
                                  DWORD error, const SERVICE_STATUS_PROCESS *final)
{
    WCHAR why[200];

    if (step->detail[0]) return;
    repair_error_text(error, why, ARRAYSIZE(why));
    if (error == ERROR_TIMEOUT)
        repair_detail(step, L"%ls did not stop in time (state %lu, wait hint %lu ms, bound %lu ms); "
                      L"nothing was moved.", name, final->dwCurrentState, final->dwWaitHint, job->wait.overall_ms);
    else if (error == ERROR_INVALID_SERVICE_CONTROL || error == ERROR_SERVICE_CANNOT_ACCEPT_CTRL)
        repair_detail(step, L"%ls refuses to stop (%ls); nothing was moved.", name, why);
    else if (error == ERROR_DEPENDENT_SERVICES_RUNNING)
        repair_detail(step, L"Services that depend on %ls are still running; nothing was moved.", name);
    else
        repair_detail(step, L"%ls could not be stopped (%ls); nothing was moved.", name, why);
}

static DWORD step_stop_service(struct repair_job *job, struct repair_step *step)
{
    SERVICE_STATUS_PROCESS final = { 0 };
    DWORD error = svc_stop(job->machine, job->service, &job->wait, &final);

    if (error == ERROR_SERVICE_NOT_ACTIVE) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"%ls was not running", job->service);
        return ERROR_SUCCESS;
    }
    if (error == ERROR_TIMEOUT && final.dwCurrentState == SERVICE_STOP_PENDING)
        error = end_hung_process(job, step, &final);
    else if (error && settled_state(job, job->service) == SERVICE_STOPPED)
        job->stopped_service = TRUE;   /* it stopped after all: undo starts it again */
    if (error) {
        describe_stop_failure(job, step, job->service, error, &final);
        return error;
    }
    job->stopped_service = TRUE;
    return ERROR_SUCCESS;
}

static DWORD undo_stop_service(struct repair_job *job, struct repair_step *step)
{
    DWORD error;

    (void)step;
    if (!job->stopped_service) return ERROR_SUCCESS;
    svc_stop(job->machine, job->service, &job->wait, NULL);   /* a stop still pending must finish first */
    error = svc_start(job->machine, job->service, &job->wait, NULL);
    if (error == ERROR_SERVICE_ALREADY_RUNNING) error = ERROR_SUCCESS;
    if (!error) job->stopped_service = FALSE;
    return error;
}

static DWORD step_stop_dependents(struct repair_job *job, struct repair_step *step)
{
    for (unsigned i = 0; i < job->dependent_count; i++) {
        SERVICE_STATUS_PROCESS final = { 0 };
        DWORD error = svc_stop(job->machine, job->dependents[i], &job->wait, &final);

        if (error == ERROR_SERVICE_NOT_ACTIVE) continue;
        if (error && !(error == ERROR_TIMEOUT && final.dwCurrentState == SERVICE_STOP_PENDING) &&
            settled_state(job, job->dependents[i]) == SERVICE_STOPPED)
            wcscpy(job->stopped_dependents[job->stopped_dependent_count++], job->dependents[i]);
        if (error) {
            describe_stop_failure(job, step, job->dependents[i], error, &final);
            return error;
        }
        wcscpy(job->stopped_dependents[job->stopped_dependent_count++], job->dependents[i]);
    }
    if (!job->stopped_dependent_count) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"none was running any more");
    }
    return ERROR_SUCCESS;
}

/* Starts what this job stopped, last stopped first (what they depend on comes up first). */
static DWORD start_stopped_dependents(struct repair_job *job, struct repair_step *step)
{
    DWORD first_error = ERROR_SUCCESS;

    for (unsigned i = job->stopped_dependent_count; i-- > 0;) {
        DWORD error = svc_start(job->machine, job->stopped_dependents[i], &job->wait, NULL);
        if (error == ERROR_SERVICE_ALREADY_RUNNING) error = ERROR_SUCCESS;
        if (error && settled_state(job, job->stopped_dependents[i]) == SERVICE_RUNNING) error = ERROR_SUCCESS;
        if (error && !first_error) {
            WCHAR why[200];
            repair_error_text(error, why, ARRAYSIZE(why));
            repair_detail(step, L"%ls did not start again (%ls)", job->stopped_dependents[i], why);
            first_error = error;
        }
    }
    return first_error;
}

static DWORD undo_stop_dependents(struct repair_job *job, struct repair_step *step)
{
    DWORD error = start_stopped_dependents(job, step);
    if (!error) job->stopped_dependent_count = 0;
    return error;
}

static DWORD step_start_dependents(struct repair_job *job, struct repair_step *step)
{
    if (!job->stopped_dependent_count) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"none was stopped");
        return ERROR_SUCCESS;
    }
    step->changed = TRUE;
    return start_stopped_dependents(job, step);
}

static DWORD undo_start_dependents(struct repair_job *job, struct repair_step *step)
{
    if (!step->changed) return ERROR_SUCCESS;
    for (unsigned i = 0; i < job->stopped_dependent_count; i++) {
        DWORD error = svc_stop(job->machine, job->stopped_dependents[i], &job->wait, NULL);
        if (error && error != ERROR_SERVICE_NOT_ACTIVE) return error;
    }
    step->changed = FALSE;
    return ERROR_SUCCESS;
}

static void list_names(struct repair_job *job, WCHAR *out, size_t count)
{
    out[0] = 0;
    for (unsigned i = 0; i < job->dependent_count; i++) {
        if (i) wcsncat(out, L", ", count - wcslen(out) - 1);
        wcsncat(out, job->dependents[i], count - wcslen(out) - 1);
    }
}

void repair_add_stop_steps(struct repair_job *job)
{
    WCHAR names[REPAIR_TEXT_CCH - 60];

    list_names(job, names, ARRAYSIZE(names));
    if (job->dependent_count)
        repair_add_step(job, step_stop_dependents, undo_stop_dependents,
                        L"Stop the services that depend on %ls: %ls", job->service, names);
    repair_add_step(job, step_stop_service, undo_stop_service, L"Stop %ls", job->service);
}

/* ---- start --------------------------------------------------------------------------------- */

DWORD repair_step_start_service(struct repair_job *job, struct repair_step *step)
{
    SERVICE_STATUS_PROCESS final = { 0 };
    DWORD error = svc_start(job->machine, job->service, &job->wait, &final);
    WCHAR why[200];

    if (error == ERROR_SERVICE_ALREADY_RUNNING) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"%ls was already running", job->service);
        return ERROR_SUCCESS;
    }
    if (!error) {
        job->started_service = TRUE;
        step->changed = TRUE;
        repair_detail(step, L"running, process %lu", final.dwProcessId);
        return ERROR_SUCCESS;
    }
    /* A start that timed out or failed in the waiting may still come up: then undo stops it. */
    {
        DWORD settled = settled_state(job, job->service);
        if (settled == SERVICE_RUNNING || (error == ERROR_TIMEOUT && settled == SERVICE_START_PENDING)) {
            job->started_service = TRUE;
            step->changed = TRUE;
        }
    }
    repair_error_text(error, why, ARRAYSIZE(why));
    if (error == ERROR_TIMEOUT)
        repair_detail(step, L"%ls did not finish starting in time (state %lu, wait hint %lu ms)", job->service,
                      final.dwCurrentState, final.dwWaitHint);
    else if (error == ERROR_SERVICE_SPECIFIC_ERROR)
        repair_detail(step, L"%ls stopped while starting with its own error %lu", job->service,
                      final.dwServiceSpecificExitCode);
    else
        repair_detail(step, L"%ls did not start (%ls)", job->service, why);
    return error;
}

DWORD repair_undo_start_service(struct repair_job *job, struct repair_step *step)
{
    DWORD error;

    if (!step->changed) return ERROR_SUCCESS;
    error = svc_stop(job->machine, job->service, &job->wait, NULL);
    if (error == ERROR_SERVICE_NOT_ACTIVE) error = ERROR_SUCCESS;
    if (!error) {
        step->changed = FALSE;
        job->started_service = FALSE;
    }
    return error;
}

void repair_add_start_steps(struct repair_job *job)
{
    WCHAR names[REPAIR_TEXT_CCH - 60];

    repair_add_step(job, repair_step_start_service, repair_undo_start_service, L"Start %ls", job->service);
    list_names(job, names, ARRAYSIZE(names));
    if (job->dependent_count)
        repair_add_step(job, step_start_dependents, undo_start_dependents, L"Start again: %ls", names);
}

DWORD repair_step_start_dependency(struct repair_job *job, struct repair_step *step)
{
    struct svc_info *info;
    unsigned started = 0;
    DWORD error;

    if (step->path[0]) {
        error = svc_start(job->machine, step->path, &job->wait, NULL);
        if (error == ERROR_SERVICE_ALREADY_RUNNING) {
            step->status = REPAIR_STEP_SKIPPED;
            repair_detail(step, L"%ls was already running", step->path);
            return ERROR_SUCCESS;
        }
        return error;
    }
    info = calloc(1, sizeof(*info));
    if (!info) return ERROR_NOT_ENOUGH_MEMORY;
    error = svc_query(job->machine, job->service, info);
    for (DWORD i = 0; !error && i < info->depends_count; i++) {
        if (info->depends_on[i].error || info->depends_on[i].state == SERVICE_RUNNING) continue;
        error = svc_start(job->machine, info->depends_on[i].name, &job->wait, NULL);
        if (error == ERROR_SERVICE_ALREADY_RUNNING) error = ERROR_SUCCESS;
        if (!error) started++;
        else repair_detail(step, L"%ls did not start", info->depends_on[i].name);
    }
    free(info);
    if (!error && !started) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"every service %ls depends on is running", job->service);
    }
    return error;
}

/* ---- start type ---------------------------------------------------------------------------- */

static DWORD change_start_type(struct repair_job *job, const WCHAR *name, DWORD start_type)
{
    SC_HANDLE scm = repair_open_scm(job, SC_MANAGER_CONNECT), service;
    DWORD error = ERROR_SUCCESS;

    if (!scm) return GetLastError();
    service = seam.OpenServiceW(scm, name, SERVICE_CHANGE_CONFIG);
    if (!service) error = GetLastError();
    else if (!seam.ChangeServiceConfigW(service, SERVICE_NO_CHANGE, start_type, SERVICE_NO_CHANGE, NULL, NULL, NULL,
                                        NULL, NULL, NULL, NULL))
        error = GetLastError();
    if (service) seam.CloseServiceHandle(service);
    seam.CloseServiceHandle(scm);
    return error;
}

DWORD repair_step_set_automatic(struct repair_job *job, struct repair_step *step)
{
    struct svc_info *info = calloc(1, sizeof(*info));
    DWORD error;

    if (!info) return ERROR_NOT_ENOUGH_MEMORY;
    error = svc_query(job->machine, job->service, info);
    if (!error && info->start_type == SERVICE_AUTO_START) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"already Automatic");
    } else if (!error) {
        step->saved = info->start_type;
        error = change_start_type(job, job->service, SERVICE_AUTO_START);
        if (!error) {
            step->changed = TRUE;
            /* Read it back: Group Policy (System Services) or another tool may hold it elsewhere. */
            error = svc_query(job->machine, job->service, info);
            if (!error && info->start_type != SERVICE_AUTO_START) {
                step->status = REPAIR_STEP_WARNING;
                job->result->start_type_not_kept = TRUE;
                repair_detail(step, L"set, but the service now reports start type %lu: a policy may set it",
                              info->start_type);
            } else if (!error) {
                repair_detail(step, L"was %ls, now Automatic", step->saved == SERVICE_DISABLED ? L"Disabled"
                              : step->saved == SERVICE_DEMAND_START ? L"Manual" : L"another type");
            }
        }
    }
    free(info);
    return error;
}

DWORD repair_undo_set_automatic(struct repair_job *job, struct repair_step *step)
{
    DWORD error;

    if (!step->changed) return ERROR_SUCCESS;
    error = change_start_type(job, job->service, step->saved);
    if (!error) {
        step->changed = FALSE;
        repair_detail(step, L"start type put back to %ls", step->saved == SERVICE_DISABLED ? L"Disabled"
                      : step->saved == SERVICE_DEMAND_START ? L"Manual" : L"what it was");
    }
    return error;
}
