/* core/win/repair_plan.c: runs a repair's plan: rights, the machine-wide lock, progress, undo, log, result. */
#include "win/repair_internal.h"
#include "win/seam.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

/* ---- small helpers -------------------------------------------------------------------- */

char *repair_utf8(const WCHAR *text)
{
    int size = WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL);
    char *out;

    if (size <= 0) return NULL;
    out = malloc((size_t)size);
    if (out && WideCharToMultiByte(CP_UTF8, 0, text, -1, out, size, NULL, NULL) <= 0) {
        free(out);
        out = NULL;
    }
    return out;
}

/* "Error 5: Access is denied." keeps the number, so a translated report is still readable. */
void repair_error_text(DWORD error, WCHAR *buffer, size_t count)
{
    WCHAR text[256] = L"";
    DWORD length = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, error, 0,
                                  text, ARRAYSIZE(text), NULL);

    while (length && (text[length - 1] == L'\n' || text[length - 1] == L'\r' || text[length - 1] == L' '))
        text[--length] = 0;
    if (error > 0xffff)
        swprintf(buffer, count, L"error 0x%08lX%ls%ls", error, length ? L": " : L"", text);
    else
        swprintf(buffer, count, L"error %lu%ls%ls", error, length ? L": " : L"", text);
}

struct repair_step *repair_add_step(struct repair_job *job, repair_step_fn run, repair_step_fn undo,
                                    const WCHAR *format, ...)
{
    struct repair_step *step;
    va_list args;

    if (job->count >= REPAIR_MAX_STEPS) return NULL;
    step = &job->steps[job->count++];
    memset(step, 0, sizeof(*step));
    step->run = run;
    step->undo = undo;
    va_start(args, format);
    vswprintf(step->text, ARRAYSIZE(step->text), format, args);
    va_end(args);
    return step;
}

void repair_detail(struct repair_step *step, const WCHAR *format, ...)
{
    va_list args;

    va_start(args, format);
    vswprintf(step->detail, ARRAYSIZE(step->detail), format, args);
    va_end(args);
}

/* ---- the log: one line per event, with the time, in <data>\repair.log ------------------ */

static void write_all(HANDLE file, const char *text, size_t length)
{
    DWORD written;

    if (file && file != INVALID_HANDLE_VALUE && length)
        seam.WriteFile(file, text, (DWORD)length, &written, NULL);
}

void repair_log(struct repair_job *job, const WCHAR *format, ...)
{
    WCHAR line[1200];
    SYSTEMTIME now;
    FILETIME filetime;
    va_list args;
    char *utf8;
    int used;

    if (!job->log || job->log == INVALID_HANDLE_VALUE) return;
    seam.GetSystemTimeAsFileTime(&filetime);
    FileTimeToSystemTime(&filetime, &now);
    used = swprintf(line, ARRAYSIZE(line), L"%04u-%02u-%02uT%02u:%02u:%02u.%03uZ [%hs] ", now.wYear, now.wMonth,
                    now.wDay, now.wHour, now.wMinute, now.wSecond, now.wMilliseconds, repair_id(job->repair));
    if (used < 0) return;
    va_start(args, format);
    vswprintf(line + used, ARRAYSIZE(line) - (size_t)used - 3, format, args);
    va_end(args);
    wcscat(line, L"\r\n");
    utf8 = repair_utf8(line);
    if (utf8) write_all(job->log, utf8, strlen(utf8));
    free(utf8);
}

static void open_log(struct repair_job *job)
{
    WCHAR path[MAX_PATH];

    swprintf(path, ARRAYSIZE(path), L"%ls\\repair.log", job->data);
    /* Appending only: FILE_APPEND_DATA without FILE_WRITE_DATA never overwrites old lines. */
    job->log = seam.CreateFileW(path, FILE_APPEND_DATA | SYNCHRONIZE, FILE_SHARE_READ, NULL, OPEN_ALWAYS,
                                FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (job->log == INVALID_HANDLE_VALUE) job->log = NULL;
}

/* ---- the manifest: written ahead of every move ---------------------------------------- */

DWORD repair_manifest_flush(struct repair_job *job)
{
    if (!job->manifest) return ERROR_INVALID_HANDLE;
    if (!job->manifest_unflushed) return ERROR_SUCCESS;
    if (!seam.FlushFileBuffers(job->manifest)) return GetLastError();
    job->manifest_unflushed = 0;
    return ERROR_SUCCESS;
}

DWORD repair_manifest_line(struct repair_job *job, const char *line, size_t length, BOOL flush)
{
    DWORD written = 0;

    if (!job->manifest) return ERROR_INVALID_HANDLE;
    if (!length) return ERROR_FILENAME_EXCED_RANGE;   /* a field did not fit the line */
    if (!seam.WriteFile(job->manifest, line, (DWORD)length, &written, NULL)) return GetLastError();
    if (written != length) return ERROR_WRITE_FAULT;
    job->manifest_unflushed++;
    return flush ? repair_manifest_flush(job) : ERROR_SUCCESS;
}

/* ---- rights and the lock --------------------------------------------------------------- */

DWORD repair_is_elevated(BOOL *elevated)
{
    TOKEN_ELEVATION elevation = { 0 };
    HANDLE token;
    DWORD needed = 0, error = ERROR_SUCCESS;

    if (!seam.OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return GetLastError();
    if (!seam.GetTokenInformation(token, TokenElevation, &elevation, sizeof(elevation), &needed))
        error = GetLastError();
    seam.CloseHandle(token);
    if (!error) *elevated = elevation.TokenIsElevated != 0;
    return error;
}

/* Held for the whole run. A mutex left by a crashed repair comes back WAIT_ABANDONED: ours now. */
static DWORD take_lock(const WCHAR *name, HANDLE *lock)
{
    HANDLE mutex = seam.CreateMutexW(NULL, FALSE, name);
    DWORD wait;

    *lock = NULL;
    if (!mutex) return GetLastError();
    wait = seam.WaitForSingleObject(mutex, 0);
    if (wait == WAIT_OBJECT_0 || wait == WAIT_ABANDONED) {
        *lock = mutex;
        return ERROR_SUCCESS;
    }
    seam.CloseHandle(mutex);
    return wait == WAIT_TIMEOUT ? ERROR_BUSY : (wait == WAIT_FAILED ? GetLastError() : ERROR_BUSY);
}

static void drop_lock(HANDLE lock)
{
    if (!lock) return;
    seam.ReleaseMutex(lock);
    seam.CloseHandle(lock);
}

/* ---- another computer ------------------------------------------------------------------- */

BOOL repair_runs_remotely(enum diag_repair repair)
{
    switch ((int)repair) {
    case REPAIR_SET_AUTOMATIC:
    case REPAIR_START_SERVICE:
    case REPAIR_RESTART_SERVICE:
    case REPAIR_STOP_SERVICE:
    case REPAIR_START_DEPENDENCY:
        return TRUE;
    default:
        return FALSE;
    }
}

/* NULL when `machine` names this computer (as svc.c reads it), so a repair of "this computer
 * by name" keeps every local rule: the elevation check, and the file repairs. */
static const WCHAR *remote_name(const WCHAR *machine)
{
    WCHAR own[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD count = ARRAYSIZE(own);

    if (!machine) return NULL;
    while (*machine == L'\\') machine++;
    if (!*machine || !_wcsicmp(machine, L".") || !_wcsicmp(machine, L"localhost")) return NULL;
    if (seam.GetComputerNameW(own, &count) && !_wcsicmp(machine, own)) return NULL;
    return machine;
}

/* ---- names ------------------------------------------------------------------------------ */

const char *repair_id(enum diag_repair repair)
{
    if (repair == REPAIR_STOP_SERVICE) return "stop_service";
    if (repair == REPAIR_RESTORE) return "restore";
    return diag_repair_id(repair) ? diag_repair_id(repair) : "unknown";
}

const WCHAR *repair_step_status_name(enum repair_step_status status)
{
    static const WCHAR *const names[] = { L"planned", L"done", L"skipped", L"done with a warning",
                                          L"pending restart", L"failed", L"undone", L"undo failed" };
    return (unsigned)status < ARRAYSIZE(names) ? names[status] : L"unknown";
}

/* ---- the job ---------------------------------------------------------------------------- */

static DWORD resolve_dirs(struct repair_job *job)
{
    const struct repair_options *o = job->options;
    const WCHAR *service = o && o->service ? o->service : L"CryptSvc";

    wcsncpy(job->service, service, ARRAYSIZE(job->service) - 1);
    if (o && o->windows_dir) {
        if (wcslen(o->windows_dir) >= ARRAYSIZE(job->windows) - 64) return ERROR_FILENAME_EXCED_RANGE;
        wcscpy(job->windows, o->windows_dir);
    } else {
        UINT length = seam.GetSystemWindowsDirectoryW(job->windows, ARRAYSIZE(job->windows));
        if (!length) return GetLastError();
        if (length >= ARRAYSIZE(job->windows) - 64) return ERROR_FILENAME_EXCED_RANGE;
    }
    if (o && o->data_dir) {
        if (wcslen(o->data_dir) >= ARRAYSIZE(job->data) - 80) return ERROR_FILENAME_EXCED_RANGE;
        wcscpy(job->data, o->data_dir);
    } else {
        DWORD length = seam.ExpandEnvironmentStringsW(L"%ProgramData%\\CryptSvcDoctor", job->data,
                                                      ARRAYSIZE(job->data) - 80);
        if (!length) return GetLastError();
        if (length > ARRAYSIZE(job->data) - 80 || wcschr(job->data, L'%')) return ERROR_ENVVAR_NOT_FOUND;
    }
    /* A trailing backslash would double up in every path built from these. */
    for (WCHAR *dir = job->windows; dir; dir = dir == job->windows ? job->data : NULL) {
        size_t length = wcslen(dir);
        while (length > 3 && dir[length - 1] == L'\\') dir[--length] = 0;
    }
    if (o && (o->wait.overall_ms || o->wait.grace_ms)) {
        job->wait = o->wait;
    } else {
        struct svc_wait bounds = SVC_WAIT_DEFAULT;
        job->wait = bounds;
    }
    return ERROR_SUCCESS;
}

static DWORD build_plan(struct repair_job *job)
{
    DWORD error;

    switch ((int)job->repair) {
    case REPAIR_SET_AUTOMATIC:
        error = repair_read_service(job);
        if (error) return error;
        repair_add_step(job, repair_step_set_automatic, repair_undo_set_automatic,
                        L"Set the start type of %ls to Automatic", job->service);
        if (job->state_before != SERVICE_RUNNING) repair_add_start_steps(job);
        return ERROR_SUCCESS;
    case REPAIR_START_SERVICE:
        error = repair_read_service(job);
        if (error) return error;
        repair_add_start_steps(job);
        return ERROR_SUCCESS;
    case REPAIR_STOP_SERVICE:
        error = repair_read_service(job);
        if (error) return error;
        repair_add_stop_steps(job);
        return ERROR_SUCCESS;
    case REPAIR_RESTART_SERVICE:
        error = repair_read_service(job);
        if (error) return error;
        repair_add_stop_steps(job);
        repair_add_start_steps(job);
        return ERROR_SUCCESS;
    case REPAIR_START_DEPENDENCY: {
        struct repair_step *step;
        /* Remote: reach the computer while planning, so an unknown name fails before the lock. */
        if (job->machine && (error = repair_read_service(job))) return error;
        step = repair_add_step(job, repair_step_start_dependency, NULL,
                                                   L"Start %ls", job->options && job->options->dependency
                                                   ? job->options->dependency : L"the services it depends on");
        if (step && job->options && job->options->dependency)
            wcsncpy(step->path, job->options->dependency, ARRAYSIZE(step->path) - 1);
        return ERROR_SUCCESS;
    }
    case REPAIR_CLEAR_LOGS:
        return repair_build_clear_logs(job);
    case REPAIR_REBUILD_CATALOG:
        return repair_build_rebuild(job);
    case REPAIR_REREGISTER_DLLS:
        return repair_build_dlls(job);
    case REPAIR_REFRESH_ROOT_LIST:
        return repair_build_root_list(job);
    case REPAIR_RESET_WINTRUST_STATE:
        return repair_build_wintrust(job);
    case REPAIR_RESTORE:
        return repair_build_restore(job);
    default:
        return ERROR_INVALID_PARAMETER;
    }
}

static void copy_steps_to_result(struct repair_job *job)
{
    struct repair_result *r = job->result;

    r->step_count = job->count;
    for (unsigned i = 0; i < job->count; i++) {
        struct repair_step_result *out = &r->steps[i];
        wcscpy(out->text, job->steps[i].text);
        out->status = job->steps[i].status;
        out->error = job->steps[i].error;
        wcscpy(out->detail, job->steps[i].detail);
    }
    wcsncpy(r->backup_dir, job->backup, ARRAYSIZE(r->backup_dir) - 1);
    r->moved = 0;
    for (size_t i = 0; i < job->move_count; i++)
        if (!job->moves[i].undone && !(job->moves[i].flags & MOVE_RESTORING)) r->moved++;
    r->state_before = job->state_before;
}

static void message(struct repair_job *job, const WCHAR *format, ...)
{
    va_list args;

    va_start(args, format);
    vswprintf(job->result->message, ARRAYSIZE(job->result->message), format, args);
    va_end(args);
}

/* Undoes steps `last` down to 0 in reverse; the failed step itself too, since it may have
 * done part of its work (some files moved) before it failed. */
static BOOL roll_back(struct repair_job *job, unsigned last)
{
    BOOL all = TRUE;

    for (unsigned i = last + 1; i-- > 0;) {
        struct repair_step *step = &job->steps[i];
        DWORD error;

        if (!step->undo || step->status == REPAIR_STEP_PLANNED || step->status == REPAIR_STEP_SKIPPED) continue;
        error = step->undo(job, step);
        if (error) {
            WCHAR why[160];
            repair_error_text(error, why, ARRAYSIZE(why));
            step->status = REPAIR_STEP_UNDO_FAILED;
            step->error = error;
            repair_detail(step, L"could not be undone (%ls)%ls%ls", why, step->detail[0] ? L"; " : L"",
                          step->detail);
            all = FALSE;
        } else if (step->status != REPAIR_STEP_FAILED) {
            step->status = REPAIR_STEP_UNDONE;
        }
        repair_log(job, L"undo %u/%u %ls: %ls", i + 1, job->count, step->text,
                   error ? L"FAILED" : L"undone");
    }
    return all;
}

static BOOL ends_sentence(const WCHAR *text)
{
    size_t length = wcslen(text);
    return !length || text[length - 1] == L'.';
}

static void finish_result(struct repair_job *job, DWORD error, unsigned failed_step, BOOL undo_ok)
{
    struct repair_result *r = job->result;
    WCHAR why[200];

    r->error = error;
    if (!error) {
        message(job, L"%hs finished%ls%ls", repair_id(job->repair),
                r->pending_reboot ? L"; some files are in use and will be moved at the next restart" : L"",
                r->start_type_not_kept ? L"; the start type did not stay Automatic (a policy may set it)" : L".");
        return;
    }
    repair_error_text(error, why, ARRAYSIZE(why));
    if (r->cancelled)
        message(job, L"Cancelled before \"%ls\"; %ls", job->steps[failed_step].text,
                undo_ok ? L"everything done so far was undone." : L"some steps could not be undone: see the steps.");
    else
        message(job, L"\"%ls\" failed (%ls). %ls%ls%ls", job->steps[failed_step].text, why,
                job->steps[failed_step].detail, ends_sentence(job->steps[failed_step].detail) ? L"" : L".",
                undo_ok ? L" Everything done before it was undone."
                        : L" Some steps could not be undone: see the steps and the backup's manifest.");
}

static DWORD prepare(struct repair_job *job, HANDLE *lock)
{
    BOOL elevated = FALSE;
    /* Another computer's SCM judges our rights there; this token's elevation says nothing. */
    DWORD error = job->machine ? ERROR_SUCCESS : repair_is_elevated(&elevated);

    if (job->machine) elevated = TRUE;
    if (!error && !elevated) error = ERROR_ELEVATION_REQUIRED;
    if (error) {
        message(job, L"This repair needs administrator rights%ls. Nothing was changed.",
                error == ERROR_ELEVATION_REQUIRED ? L": run CryptSvc Doctor as administrator" : L"");
        return error;
    }
    error = take_lock(job->options && job->options->lock_name ? job->options->lock_name : REPAIR_DEFAULT_LOCK,
                      lock);
    if (error) {
        message(job, error == ERROR_BUSY ? L"Another repair is running. Nothing was changed."
                                         : L"Could not take the repair lock. Nothing was changed.");
        return error;
    }
    error = repair_make_data_dir(job->data);
    if (error && job->machine) return ERROR_SUCCESS;   /* only the local log is lost: no backup is made */
    if (error) {
        WCHAR why[160];
        repair_error_text(error, why, ARRAYSIZE(why));
        /* Also when it exists but its owner could not be set to Administrators: a folder
         * someone else owns could have its permissions changed back, so it is not used. */
        message(job, L"Could not create %ls, or make it owned and writable by Administrators only (%ls). "
                L"Nothing was changed.", job->data, why);
        drop_lock(*lock);
        *lock = NULL;
    }
    return error;
}

static DWORD run_steps(struct repair_job *job)
{
    struct repair_result *r = job->result;
    const struct repair_options *o = job->options;

    for (unsigned i = 0; i < job->count; i++) {
        struct repair_step *step = &job->steps[i];
        DWORD error;

        if (o && o->progress && o->progress(o->context, i, job->count, step->text) == REPAIR_CANCEL) {
            r->cancelled = TRUE;
            repair_log(job, L"cancelled before step %u/%u %ls", i + 1, job->count, step->text);
            r->rolled_back = TRUE;
            finish_result(job, ERROR_CANCELLED, i, i ? roll_back(job, i - 1) : TRUE);
            return ERROR_CANCELLED;
        }
        error = step->run(job, step);
        if (!error && step->status == REPAIR_STEP_PLANNED) step->status = REPAIR_STEP_DONE;
        if (step->status == REPAIR_STEP_PENDING_REBOOT) r->pending_reboot = TRUE;
        if (error) {
            step->status = REPAIR_STEP_FAILED;
            step->error = error;
            if (!step->detail[0]) repair_error_text(error, step->detail, ARRAYSIZE(step->detail));
        }
        repair_log(job, L"step %u/%u %ls: %ls (%lu) %ls", i + 1, job->count, step->text,
                   repair_step_status_name(step->status), error, step->detail);
        if (error && !step->optional) {
            r->rolled_back = TRUE;
            finish_result(job, error, i, roll_back(job, i));
            return error;
        }
    }
    finish_result(job, ERROR_SUCCESS, 0, TRUE);
    for (unsigned i = 0; i < job->count; i++)
        if (job->steps[i].status == REPAIR_STEP_FAILED) {   /* an optional step failed */
            r->error = job->steps[i].error;
            message(job, L"%hs finished, but \"%ls\" failed: %ls", repair_id(job->repair), job->steps[i].text,
                    job->steps[i].detail);
            break;
        }
    return r->error;
}

static DWORD query_state_after(struct repair_job *job)
{
    SERVICE_STATUS_PROCESS status = { 0 };

    if (repair_query_status(job, job->service, &status)) return 0;
    return status.dwCurrentState;
}

static void free_job(struct repair_job *job)
{
    for (size_t i = 0; i < job->move_count; i++) {
        free(job->moves[i].was);
        free(job->moves[i].now);
        free(job->moves[i].entry_from);
        free(job->moves[i].entry_to);
    }
    free(job->moves);
    manifest_free(&job->restore_manifest);
    if (job->manifest) seam.CloseHandle(job->manifest);
    if (job->log) seam.CloseHandle(job->log);
}

static DWORD go(enum diag_repair repair, const WCHAR *restore_from, const struct repair_options *options,
                struct repair_result *out, BOOL dry_run)
{
    struct repair_job *job = calloc(1, sizeof(*job));
    HANDLE lock = NULL;
    DWORD error;

    memset(out, 0, sizeof(*out));
    if (!job) return out->error = ERROR_NOT_ENOUGH_MEMORY;
    job->repair = repair;
    job->options = options;
    job->result = out;
    job->dry_run = dry_run;
    job->machine = remote_name(options ? options->machine : NULL);
    if (job->machine && !repair_runs_remotely(repair)) {
        /* Refused before anything is read: these change files and the registry there, and
         * every path below would be this computer's. */
        message(job, L"%hs changes the files and registry of %ls, so it runs only there: run csd on that computer "
                L"(Intune, ConfigMgr or Invoke-Command). Nothing was changed.", repair_id(repair), job->machine);
        out->error = ERROR_NOT_SUPPORTED;
        free(job);
        return out->error;
    }
    if (restore_from) {
        size_t length;
        wcsncpy(job->restore_from, restore_from, ARRAYSIZE(job->restore_from) - 1);
        length = wcslen(job->restore_from);
        while (length > 3 && job->restore_from[length - 1] == L'\\') job->restore_from[--length] = 0;
    }
    error = resolve_dirs(job);
    if (!error) error = build_plan(job);
    if (error) {
        WCHAR why[200];
        repair_error_text(error, why, ARRAYSIZE(why));
        if (!out->message[0])   /* a plan that refused says why itself */
            message(job, L"Could not plan %hs (%ls). Nothing was changed.", repair_id(repair), why);
        out->error = error;
    } else if (dry_run) {
        message(job, L"%hs would run %u steps.", repair_id(repair), job->count);
    } else if (!(error = prepare(job, &lock))) {
        open_log(job);
        if (job->machine)
            repair_log(job, L"begin: service %ls on %ls (remote SCM), %u steps", job->service, job->machine,
                       job->count);
        else
            repair_log(job, L"begin: service %ls, Windows folder %ls, %u steps", job->service, job->windows,
                       job->count);
        error = run_steps(job);
        out->state_after = query_state_after(job);
        repair_log(job, L"end: %ls", out->message);
    } else {
        out->error = error;
    }
    copy_steps_to_result(job);
    free_job(job);
    drop_lock(lock);
    return out->error;
}

DWORD repair_describe(enum diag_repair repair, const struct repair_options *options, struct repair_result *out)
{
    return go(repair, NULL, options, out, TRUE);
}

DWORD repair_run(enum diag_repair repair, const struct repair_options *options, struct repair_result *out)
{
    if (repair == REPAIR_RESTORE) {
        memset(out, 0, sizeof(*out));
        return out->error = ERROR_INVALID_PARAMETER;   /* restore needs its folder: repair_restore */
    }
    return go(repair, NULL, options, out, FALSE);
}

DWORD repair_restore(const WCHAR *backup_dir, const struct repair_options *options, struct repair_result *out)
{
    return go(REPAIR_RESTORE, backup_dir, options, out, FALSE);
}

DWORD repair_describe_restore(const WCHAR *backup_dir, const struct repair_options *options,
                              struct repair_result *out)
{
    return go(REPAIR_RESTORE, backup_dir, options, out, TRUE);
}

/* "Start the dependency": the one its row names; with several rows (two stopped dependencies),
 * none, so the repair starts every stopped dependency rather than only the last row's. With
 * no such row the options' choice stays. */
static void start_dependency_target(enum diag_repair repair, const struct diagnosis *diagnosis,
                                    struct repair_options *these, WCHAR *buffer, size_t count)
{
    unsigned matches = 0;
    const char *target = NULL;

    for (unsigned r = 0; diagnosis && repair == REPAIR_START_DEPENDENCY && r < diagnosis->row_count; r++)
        if (diagnosis->rows[r].repair == REPAIR_START_DEPENDENCY) {
            matches++;
            target = diagnosis->rows[r].repair_target;
        }
    if (matches > 1) these->dependency = NULL;
    else if (matches == 1 && target[0] && MultiByteToWideChar(CP_UTF8, 0, target, -1, buffer, (int)count))
        these->dependency = buffer;
}

static DWORD fix(const enum diag_repair *repairs, size_t count, const struct diagnosis *diagnosis,
                 const struct repair_options *options, repair_rediagnose_fn rediagnose,
                 struct repair_result *results, size_t *ran)
{
    struct repair_result *one = results ? NULL : malloc(sizeof(*one));
    DWORD error = ERROR_SUCCESS;
    size_t done = 0;

    if (!results && !one) return ERROR_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; i < count && !error; i++) {
        struct repair_options these;
        WCHAR dependency[SVC_NAME_CCH] = L"";

        if (repairs[i] == REPAIR_NONE) continue;
        if (options) these = *options;
        else memset(&these, 0, sizeof(these));
        /* "Start the dependency": the row names which one. */
        start_dependency_target(repairs[i], diagnosis, &these, dependency, ARRAYSIZE(dependency));
        error = repair_run(repairs[i], &these, results ? &results[i] : one);
        /* Another computer: a repair that must run there was refused untouched (its result
         * says so); the service-state ones after it still run. */
        if (error == ERROR_NOT_SUPPORTED && these.machine && !repair_runs_remotely(repairs[i])) error = ERROR_SUCCESS;
        done = i + 1;
    }
    free(one);
    if (ran) *ran = done;
    if (rediagnose) {
        DWORD again = rediagnose(options ? options->context : NULL);
        if (!error) error = again;
    }
    return error;
}

DWORD repair_fix_all(const enum diag_repair *repairs, size_t count, const struct repair_options *options,
                     repair_rediagnose_fn rediagnose, struct repair_result *results, size_t *ran)
{
    return fix(repairs, count, NULL, options, rediagnose, results, ran);
}

DWORD repair_fix_diagnosis(const struct diagnosis *diagnosis, const struct repair_options *options,
                           repair_rediagnose_fn rediagnose, struct repair_result *results, size_t max, size_t *ran)
{
    enum diag_repair repairs[REPAIR_COUNT];
    size_t count = diag_plan(diagnosis, repairs, ARRAYSIZE(repairs));

    if (results && count > max) count = max;
    return fix(repairs, count, diagnosis, options, rediagnose, results, ran);
}
