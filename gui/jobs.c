/* gui/jobs.c: the worker thread: it calls the core through gui_core and posts what it found to the dialog. */
#include "jobs.h"

#include <stdlib.h>
#include <wchar.h>

/* The repairs the dialog's buttons offer; their plans are described with every check. */
static const enum diag_repair button_repairs[] = {
    REPAIR_SET_AUTOMATIC, REPAIR_RESTART_SERVICE, REPAIR_CLEAR_LOGS, REPAIR_REBUILD_CATALOG,
    REPAIR_REREGISTER_DLLS,
};

struct gui_job *job_new(enum gui_job_kind kind, HWND dialog, const struct gui_options *options)
{
    struct gui_job *job = calloc(1, sizeof(*job));

    if (!job) return NULL;
    job->kind = kind;
    job->dialog = dialog;
    job->options = *options;
    return job;
}

void snapshot_free(struct gui_snapshot *snapshot)
{
    free(snapshot);
}

void job_free(struct gui_job *job)
{
    if (!job) return;
    if (job->process) CloseHandle(job->process);
    free(job->results);
    snapshot_free(job->snapshot);
    free(job);
}

void job_repair_options(const struct gui_options *options, struct repair_options *out)
{
    memset(out, 0, sizeof(*out));
    out->service = options->service[0] ? options->service : NULL;
    out->windows_dir = options->windows_dir[0] ? options->windows_dir : NULL;
    out->data_dir = options->data_dir[0] ? options->data_dir : NULL;
}

static void describe_plan(const struct gui_options *options, enum diag_repair repair, const char *target,
                          struct gui_plan *plan)
{
    struct repair_options repair_options;
    struct repair_result *result;
    WCHAR dependency[DIAG_NAME_LENGTH];

    if (plan->described || repair <= REPAIR_NONE || repair >= REPAIR_COUNT) return;
    result = calloc(1, sizeof(*result));
    if (!result) return;   /* the details pane then says the plan is unknown */
    job_repair_options(options, &repair_options);
    if (repair == REPAIR_START_DEPENDENCY && target && target[0]) {
        text_from_utf8(target, dependency, DIAG_NAME_LENGTH);
        repair_options.dependency = dependency;
    }
    plan->error = gui_core.describe(repair, &repair_options, result);
    plan->count = result->step_count <= REPAIR_MAX_STEPS ? result->step_count : REPAIR_MAX_STEPS;
    for (unsigned i = 0; i < plan->count; i++)
        lstrcpynW(plan->steps[i], result->steps[i].text, REPAIR_TEXT_CCH);
    plan->described = TRUE;
    free(result);
}

/* A fresh diagnosis; NULL only when out of memory. */
static struct gui_snapshot *diagnose_only(const struct gui_options *options)
{
    struct gui_snapshot *snapshot = calloc(1, sizeof(*snapshot));
    struct diag_options diag_options = DIAG_OPTIONS_DEFAULT;

    if (!snapshot) return NULL;
    diag_options.service_name = options->service[0] ? options->service : NULL;
    diag_options.windows_dir = options->windows_dir[0] ? options->windows_dir : NULL;
    diag_options.skip_catalog_scan = options->quick;
    snapshot->error = gui_core.diagnose(options->machine[0] ? options->machine : NULL, &diag_options,
                                        &snapshot->diagnosis);
    GetLocalTime(&snapshot->checked);
    return snapshot;
}

/* The plans of the rows' repairs and of the buttons' repairs (dry runs: read only). */
static void describe_plans(const struct gui_options *options, struct gui_snapshot *snapshot)
{
    /* Repairs work on this computer only (the repair engine takes no machine name). */
    if (!snapshot->error && !options->machine[0]) {
        for (unsigned i = 0; i < snapshot->diagnosis.row_count && i < DIAG_ROWS_MAX; i++) {
            const struct diag_row *row = &snapshot->diagnosis.rows[i];
            describe_plan(options, row->repair, row->repair_target, &snapshot->plans[row->repair % REPAIR_COUNT]);
        }
        for (size_t i = 0; i < sizeof(button_repairs) / sizeof(button_repairs[0]); i++)
            describe_plan(options, button_repairs[i], NULL, &snapshot->plans[button_repairs[i]]);
    }
}

static struct gui_snapshot *take_snapshot(const struct gui_options *options)
{
    struct gui_snapshot *snapshot = diagnose_only(options);

    if (snapshot) describe_plans(options, snapshot);
    return snapshot;
}

/* A check shows its rows as soon as the diagnosis is there (a copy without plans), and
 * the plans follow with WM_APP_CHECK_DONE: describing eight repairs takes longer than the
 * diagnosis itself, and the list should not wait for it. */
static void check_in_two_steps(struct gui_job *job)
{
    struct gui_snapshot *early;

    job->snapshot = diagnose_only(&job->options);
    if (!job->snapshot) return;
    early = malloc(sizeof(*early));
    if (early) {
        memcpy(early, job->snapshot, sizeof(*early));
        if (!PostMessageW(job->dialog, WM_APP_DIAGNOSED, 0, (LPARAM)early)) free(early);
    }
    describe_plans(&job->options, job->snapshot);
}

static DWORD rediagnose(void *context)
{
    struct gui_job *job = context;

    snapshot_free(job->snapshot);
    job->snapshot = take_snapshot(&job->options);
    return job->snapshot ? job->snapshot->error : ERROR_NOT_ENOUGH_MEMORY;
}

/* Called by the core before each step, on the worker. A step index that starts again at 0
 * means "Fix all" moved on to its next repair. */
static enum repair_answer on_progress(void *context, unsigned index, unsigned count, const WCHAR *text)
{
    struct gui_job *job = context;
    struct gui_progress *progress;

    if (index == 0 && job->progress_seen) job->progress_repair++;
    job->progress_seen = TRUE;
    if (job->options.step_delay_ms && !job->cancel) Sleep(job->options.step_delay_ms);
    if (InterlockedCompareExchange(&job->cancel, 0, 0)) return REPAIR_CANCEL;

    progress = calloc(1, sizeof(*progress));
    if (progress) {
        if (job->kind == JOB_FIX_ALL) {
            unsigned number = job->progress_repair < job->plan_count ? job->progress_repair : 0;
            progress->repair_number = number + 1;
            progress->repair_count = (unsigned)job->plan_count;
            progress->repair = job->plan[number];
        } else {
            progress->repair_number = progress->repair_count = 1;
            progress->repair = job->repair;
        }
        progress->index = index;
        progress->count = count;
        lstrcpynW(progress->text, text ? text : L"", REPAIR_TEXT_CCH);
        if (!PostMessageW(job->dialog, WM_APP_PROGRESS, 0, (LPARAM)progress)) free(progress);
    }
    return REPAIR_CONTINUE;
}

/* The core's questions (a file in use, a hung service) go to the UI thread, which asks the
 * user; SendMessage blocks this worker until the answer is there. */
static BOOL on_confirm(void *context, enum repair_question question, const WCHAR *text)
{
    struct gui_job *job = context;
    return SendMessageW(job->dialog, WM_APP_ASK, (WPARAM)question, (LPARAM)text) != 0;
}

static void run_repair(struct gui_job *job)
{
    struct repair_options options;

    job_repair_options(&job->options, &options);
    options.progress = on_progress;
    options.confirm = on_confirm;
    options.context = job;
    job->results = calloc(job->kind == JOB_FIX_ALL ? (job->plan_count ? job->plan_count : 1) : 1,
                          sizeof(*job->results));
    if (!job->results) {
        job->error = ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    if (job->kind == JOB_FIX_ALL) {
        job->error = gui_core.fix_all(job->plan, job->plan_count, &options, rediagnose, job->results, &job->ran);
        return;
    }
    if (job->repair == REPAIR_RESTORE)
        job->error = gui_core.restore(job->backup, &options, job->results);
    else
        job->error = gui_core.run(job->repair, &options, job->results);
    job->ran = 1;
}

static DWORD WINAPI worker(void *param)
{
    struct gui_job *job = param;
    UINT done = WM_APP_CHECK_DONE;

    switch (job->kind) {
    case JOB_CHECK:
        check_in_two_steps(job);
        break;
    case JOB_REPAIR:
    case JOB_FIX_ALL:
        run_repair(job);
        done = WM_APP_REPAIR_DONE;
        break;
    case JOB_ELEVATED: {
        DWORD code = ERROR_GEN_FAILURE;
        WaitForSingleObject(job->process, INFINITE);
        if (GetExitCodeProcess(job->process, &code)) job->error = code;
        else job->error = GetLastError();
        done = WM_APP_ELEVATED_DONE;
        break;
    }
    }
    /* Fix all diagnosed again already (its rediagnose callback); every other job does it now. */
    if (!job->snapshot) job->snapshot = take_snapshot(&job->options);
    /* Only the UI thread touches the dialog; if it is gone, nobody else will free the job. */
    if (!PostMessageW(job->dialog, done, 0, (LPARAM)job)) job_free(job);
    return 0;
}

DWORD job_start(struct gui_job *job)
{
    HANDLE thread = CreateThread(NULL, 0, worker, job, 0, NULL);

    if (!thread) return GetLastError();
    CloseHandle(thread);
    return 0;
}
