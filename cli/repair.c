/* cli/repair.c: `csd repair`, `fix` and `restore`: plan, confirmation, progress, results, exit codes. */
#include "cli.h"
#include "win/checks.h"
#include "win/repair.h"
#include "win/svc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define MAX_REPAIRS 16

struct run_context {
    struct cli *cli;
    struct diag_options diag_options;
    struct diagnosis *after;     /* fix: the machine as it is after the repairs */
    DWORD after_error;
};

static void repair_options_for(struct cli *cli, struct run_context *context, struct repair_options *options)
{
    memset(options, 0, sizeof(*options));
    options->service = cli->service;
    options->windows_dir = cli->windows_dir;
    options->data_dir = cli->data_dir;
    options->lock_name = cli->lock;
    options->machine = cli->computer;   /* the core refuses what cannot run there */
    options->context = context;
}

/* ---- names ---------------------------------------------------------------------------- */

static int repair_from_name(const WCHAR *name, enum diag_repair *out)
{
    char utf8[64];

    if (!WideCharToMultiByte(CP_UTF8, 0, name, -1, utf8, sizeof(utf8), NULL, NULL)) return 0;
    for (int r = REPAIR_NONE + 1; r < REPAIR_COUNT; r++)
        if (!_stricmp(utf8, diag_repair_id((enum diag_repair)r))) {
            *out = (enum diag_repair)r;
            return 1;
        }
    if (!_stricmp(utf8, repair_id(REPAIR_STOP_SERVICE))) {
        *out = REPAIR_STOP_SERVICE;
        return 1;
    }
    return 0;
}

static void known_repairs(WCHAR *out, size_t count)
{
    size_t used = 0;

    out[0] = 0;
    for (int r = REPAIR_NONE + 1; r < REPAIR_COUNT; r++)
        used += (size_t)swprintf(out + used, count - used, L"%hs, ", diag_repair_id((enum diag_repair)r));
    swprintf(out + used, count - used, L"%hs", repair_id(REPAIR_STOP_SERVICE));
}

/* ---- asking ------------------------------------------------------------------------------ */

static BOOL stdin_is_console(void)
{
    DWORD mode;
    return GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mode);
}

/* Reads one answer from the console; TRUE for y / yes (in the string table's words). */
static BOOL ask(struct cli *cli)
{
    WCHAR line[64] = L"", yes[16], yes_long[16];
    DWORD read = 0;
    WCHAR *p;

    if (!ReadConsoleW(GetStdHandle(STD_INPUT_HANDLE), line, ARRAYSIZE(line) - 1, &read, NULL)) return FALSE;
    line[read] = 0;
    for (p = line; *p == L' '; p++) {}
    p[wcscspn(p, L"\r\n ")] = 0;
    text_load(IDS_CONFIRM_YES, yes, ARRAYSIZE(yes));
    text_load(IDS_CONFIRM_YES_LONG, yes_long, ARRAYSIZE(yes_long));
    (void)cli;
    return *p && (!_wcsicmp(p, yes) || !_wcsicmp(p, yes_long));
}

/* Before anything changes: a console asks; anything else needs --yes. Returns -1 to go on. */
static int confirm_plan(struct cli *cli)
{
    if (cli->yes) return -1;
    if (!stdin_is_console()) {
        out_text(&cli->std, IDS_ERR_NOT_CONSOLE);
        return CLI_EXIT_USAGE;
    }
    out_text(&cli->std, IDS_CONFIRM);
    if (ask(cli)) return -1;
    out_text(&cli->std, IDS_CANCELLED);
    return CLI_EXIT_REPAIR_FAILED;
}

static enum repair_answer on_progress(void *context, unsigned index, unsigned count, const WCHAR *text)
{
    struct run_context *run = context;

    /* Progress is for a person watching; JSON and summary output stay clean. */
    if (!run->cli->json && !run->cli->stdout_summary) out_text(&run->cli->std, IDS_PROGRESS, index + 1, count, text);
    return REPAIR_CONTINUE;
}

/* The engine's own questions: a console asks; with --yes a locked file is moved at the next
 * restart (safe: it is journaled and undoable) but a hung service's process is never ended
 * unattended (it may host other services). */
static BOOL on_confirm(void *context, enum repair_question question, const WCHAR *text)
{
    struct run_context *run = context;

    if (run->cli->yes || !stdin_is_console()) return question == REPAIR_ASK_DELAY_UNTIL_REBOOT && run->cli->yes;
    out_text(&run->cli->std, question == REPAIR_ASK_DELAY_UNTIL_REBOOT ? IDS_ASK_DELAY : IDS_ASK_END_PROCESS, text);
    return ask(run->cli);
}

/* ---- printing ------------------------------------------------------------------------- */

static void print_plan(struct cli *cli, const struct repair_result *plan)
{
    out_text(cli->out, IDS_PLAN_HEADER, plan->message);
    for (unsigned i = 0; i < plan->step_count; i++) out_text(cli->out, IDS_PLAN_STEP, i + 1, plan->steps[i].text);
}

static void print_result(struct cli *cli, const struct repair_result *result)
{
    out_text(cli->out, IDS_RESULT_HEADER, result->message);
    for (unsigned i = 0; i < result->step_count; i++) {
        const struct repair_step_result *step = &result->steps[i];
        WCHAR tail[REPAIR_DETAIL_CCH + 8] = L"";
        if (step->detail[0]) swprintf(tail, ARRAYSIZE(tail), L": %ls", step->detail);
        out_text(cli->out, IDS_RESULT_STEP, repair_step_status_name(step->status), step->text, tail);
    }
    if (result->backup_dir[0]) out_text(cli->out, IDS_RESULT_BACKUP, result->backup_dir);
    if (result->pending_reboot) out_text(cli->out, IDS_RESULT_REBOOT);
    if (result->start_type_not_kept) out_text(cli->out, IDS_RESULT_NOT_KEPT);
}

static const char *step_status_id(enum repair_step_status status)
{
    static const char *const ids[] = { "planned", "done", "skipped", "warning", "pending_reboot",
                                       "failed", "undone", "undo_failed" };
    return (unsigned)status < ARRAYSIZE(ids) ? ids[status] : "unknown";
}

static void json_result(struct json *j, const char *repair, const struct repair_result *r)
{
    json_begin_object(j, NULL);
    json_string(j, "repair", repair);
    json_number(j, "error", r->error);
    json_wstring(j, "message", r->message);
    json_bool(j, "cancelled", r->cancelled);
    json_bool(j, "rolled_back", r->rolled_back);
    json_bool(j, "pending_reboot", r->pending_reboot);
    json_bool(j, "start_type_not_kept", r->start_type_not_kept);
    json_wstring(j, "backup_dir", r->backup_dir);
    json_number(j, "moved", r->moved);
    json_begin_array(j, "steps");
    for (unsigned i = 0; i < r->step_count; i++) {
        json_begin_object(j, NULL);
        json_wstring(j, "text", r->steps[i].text);
        json_string(j, "status", step_status_id(r->steps[i].status));
        json_number(j, "error", r->steps[i].error);
        json_wstring(j, "detail", r->steps[i].detail);
        json_end_object(j);
    }
    json_end_array(j);
    json_end_object(j);
}

/* ---- the shared flow: plan, (dry run | confirm, elevate, run), report ----------------------- */

struct job {
    enum diag_repair repairs[MAX_REPAIRS];
    const char *names[MAX_REPAIRS];
    size_t count;
    const WCHAR *backup;                 /* restore */
    struct repair_result *plans;         /* [count] */
    struct repair_result *results;       /* [count] */
    size_t ran;
};

/* --computer: the remote SCM's answer as check's exit codes; -1 when it is not about reaching it. */
static int remote_exit(const struct cli *cli, DWORD error)
{
    if (!cli->computer || !error) return -1;
    if (error == ERROR_NOT_SUPPORTED) return CLI_EXIT_USAGE;   /* the core refused a file repair */
    switch (svc_classify(error)) {
    case SVC_FAIL_ACCESS_DENIED: return CLI_EXIT_DENIED;
    case SVC_FAIL_UNREACHABLE: return CLI_EXIT_UNREACHABLE;
    default: return -1;
    }
}

static int error_exit(const struct cli *cli, DWORD error)
{
    int remote = remote_exit(cli, error);

    if (remote >= 0) return remote;
    if (error == ERROR_ELEVATION_REQUIRED) return CLI_EXIT_NOT_ELEVATED;
    if (error == ERROR_BUSY) return CLI_EXIT_BUSY;
    return error ? CLI_EXIT_REPAIR_FAILED : CLI_EXIT_HEALTHY;
}

static DWORD rediagnose(void *context)
{
    struct run_context *run = context;

    if (!run->after) run->after = malloc(sizeof(*run->after));
    run->after_error = run->after ? diag_run(run->cli->computer, &run->diag_options, run->after)
                                  : ERROR_NOT_ENOUGH_MEMORY;
    return run->after_error;
}

static void report(struct cli *cli, struct job *job, const char *command, int code, BOOL ran,
                   const struct diagnosis *before, const struct run_context *run)
{
    if (cli->json) {
        struct json j;
        json_init(&j, cli->out);
        json_begin_object(&j, NULL);
        json_header(&j, command);
        json_number(&j, "exit_code", code);
        json_string(&j, "status", cli_status_id(code));
        json_bool(&j, "dry_run", cli->dry_run);
        if (job->backup) json_wstring(&j, "backup", job->backup);
        json_begin_array(&j, "repairs");
        for (size_t i = 0; i < job->count; i++)
            json_result(&j, job->names[i], ran && i < job->ran ? &job->results[i] : &job->plans[i]);
        json_end_array(&j);
        if (before) {
            json_begin_object(&j, "before");
            cli_json_rows(&j, before);
            json_end_object(&j);
        }
        if (run && run->after && !run->after_error) {
            json_begin_object(&j, "after");
            cli_json_rows(&j, run->after);
            json_end_object(&j);
        }
        json_end_object(&j);
    } else if (!cli->summary || cli->out != &cli->std) {
        for (size_t i = 0; i < job->count; i++) {
            if (ran && i < job->ran) print_result(cli, &job->results[i]);
            else if (!ran) print_plan(cli, &job->plans[i]);
        }
        if (cli->dry_run) out_text(cli->out, IDS_PLAN_DRY_RUN);
        if (run && run->after && !run->after_error) {
            out_text(cli->out, IDS_FIX_AFTER);
            cli_print_table(cli, run->after);
        }
    }
    if (cli->stdout_summary) {
        char summary[900] = "", names[300] = "";
        size_t used = 0;
        const struct repair_result *last = NULL;
        for (size_t i = 0; i < job->count; i++)
            used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "", job->names[i]);
        if (ran && job->ran) last = &job->results[job->ran - 1];
        for (size_t i = 0; !ran && code && !last && i < job->count; i++)   /* why it did not run */
            if (job->plans[i].error) last = &job->plans[i];
        if (last) WideCharToMultiByte(CP_UTF8, 0, last->message, -1, summary, sizeof(summary), NULL, NULL);
        if (run && run->after && !run->after_error) {
            size_t length = strlen(summary);
            snprintf(summary + length, sizeof(summary) - length, "%sNow: %s", length ? " " : "", run->after->summary);
        }
        cli_summary_line(cli, code, code ? 0 : cli->dry_run ? IDS_STATUS_DRY_RUN : run && run->after ? 0 : IDS_STATUS_DONE,
                         summary, cli->dry_run || !ran ? names : "");
    }
}

/* Text output: check's words for an unreachable computer or access denied there. */
static void remote_words(struct cli *cli, int code, DWORD error)
{
    WCHAR why[600];

    if (cli->json || (cli->summary && cli->out == &cli->std)) return;
    if (code != CLI_EXIT_UNREACHABLE && code != CLI_EXIT_DENIED) return;
    text_error(error, why, ARRAYSIZE(why));
    out_text(cli->out, code == CLI_EXIT_DENIED ? IDS_REMOTE_DENIED : IDS_REMOTE_UNREACHABLE, cli->computer, why);
}

/* --computer with `repair` or `restore`: a repair that must run on that computer is refused
 * (exit 3) before any other is planned, since planning already reaches the computer. */
static int refuse_remote(struct cli *cli, struct job *job, const char *command, const struct repair_options *options)
{
    for (size_t i = 0; i < job->count; i++) {
        DWORD error;
        if (!job->backup && repair_runs_remotely(job->repairs[i])) continue;
        error = job->backup ? repair_describe_restore(job->backup, options, &job->plans[i])
                            : repair_describe(job->repairs[i], options, &job->plans[i]);
        if (error == ERROR_NOT_SUPPORTED) {
            /* A usage error: text says it with the hint, as the others do; JSON and the summary
             * line carry the core's words. */
            if (!cli->json && !cli->stdout_summary) {
                out_text(&cli->std, IDS_PLAN_HEADER, job->plans[i].message);
                out_text(&cli->std, IDS_HINT_HELP);
            } else {
                report(cli, job, command, CLI_EXIT_USAGE, FALSE, NULL, NULL);
            }
            return CLI_EXIT_USAGE;
        }
    }
    return -1;
}

static int run_job(struct cli *cli, struct job *job, const char *command, const struct diagnosis *before,
                   struct run_context *run)
{
    struct repair_options options;
    DWORD error = 0;
    int code;
    BOOL elevated = FALSE;

    repair_options_for(cli, run, &options);
    options.progress = on_progress;
    options.confirm = on_confirm;
    job->plans = calloc(job->count ? job->count : 1, sizeof(*job->plans));
    job->results = calloc(job->count ? job->count : 1, sizeof(*job->results));
    if (!job->plans || !job->results) {
        out_text(&cli->std, IDS_ERR_OUT_OF_MEMORY);
        return CLI_EXIT_ERROR;
    }
    if (cli->computer && !before && (code = refuse_remote(cli, job, command, &options)) >= 0) return code;
    for (size_t i = 0; i < job->count; i++) {
        error = job->backup ? repair_describe_restore(job->backup, &options, &job->plans[i])
                            : repair_describe(job->repairs[i], &options, &job->plans[i]);
        /* fix --computer: a repair that must run there stays in the report, refused; the
         * service-state ones still run (the core skips the refused one, repair_fix_all). */
        if (error == ERROR_NOT_SUPPORTED && before && cli->computer && !repair_runs_remotely(job->repairs[i]))
            error = 0;
        if (error) {
            code = error_exit(cli, error);
            remote_words(cli, code, error);
            report(cli, job, command, code, FALSE, before, NULL);
            return code;
        }
    }
    if (cli->dry_run) {
        report(cli, job, command, CLI_EXIT_HEALTHY, FALSE, before, NULL);
        return CLI_EXIT_HEALTHY;
    }
    /* Said before asking: the answer would be wasted on a repair that cannot run. Another
     * computer's SCM judges our rights there instead (exit 7 when it refuses). */
    if (!cli->computer && repair_is_elevated(&elevated) == 0 && !elevated) {
        /* JSON and the summary line carry it as their status; text says it in words. */
        if (!cli->json && !cli->stdout_summary) out_text(&cli->std, IDS_ERR_NOT_ELEVATED);
        report(cli, job, command, CLI_EXIT_NOT_ELEVATED, FALSE, before, NULL);
        return CLI_EXIT_NOT_ELEVATED;
    }
    if (!cli->yes && !cli->json && !cli->stdout_summary)
        for (size_t i = 0; i < job->count; i++) print_plan(cli, &job->plans[i]);
    code = confirm_plan(cli);
    if (code >= 0) return code;
    if (job->backup) {
        error = repair_restore(job->backup, &options, &job->results[0]);
        job->ran = 1;
    } else if (before) {
        error = repair_fix_all(job->repairs, job->count, &options, rediagnose, job->results, &job->ran);
    } else {
        for (job->ran = 0; job->ran < job->count && !error; job->ran++)
            error = repair_run(job->repairs[job->ran], &options, &job->results[job->ran]);
    }
    code = error_exit(cli, error);
    remote_words(cli, code, error);
    if (!error && run->after && !run->after_error) code = cli_diagnosis_exit(run->after);
    report(cli, job, command, code, TRUE, before, run);
    return code;
}

static void free_job(struct job *job)
{
    free(job->plans);
    free(job->results);
}

int cmd_repair(struct cli *cli)
{
    struct job job = { 0 };
    struct run_context run = { 0 };
    int code;

    run.cli = cli;
    for (unsigned i = 0; i < cli->arg_count; i++) {
        enum diag_repair repair;
        if (!repair_from_name(cli->args[i], &repair)) {
            WCHAR known[600];
            known_repairs(known, ARRAYSIZE(known));
            out_text(&cli->std, IDS_ERR_UNKNOWN_REPAIR, cli->args[i], known);
            out_text(&cli->std, IDS_HINT_HELP);
            return CLI_EXIT_USAGE;
        }
        if (job.count < MAX_REPAIRS) {
            job.repairs[job.count] = repair;
            job.names[job.count++] = repair_id(repair);
        }
    }
    code = run_job(cli, &job, "repair", NULL, &run);
    free_job(&job);
    return code;
}

/* fix --computer: the diagnosis of a computer that cannot be reached has nothing to fix, so
 * reaching its SCM comes first (svc_query resolves the name first: an unknown one fails fast). */
static int reach_remote(struct cli *cli)
{
    struct svc_info *info = malloc(sizeof(*info));
    DWORD error;
    int code;

    if (!info) return CLI_EXIT_ERROR;
    error = svc_query(cli->computer, cli->service ? cli->service : L"CryptSvc", info);
    free(info);
    if (!error || error == ERROR_SERVICE_DOES_NOT_EXIST) return -1;   /* its SCM answered */
    code = remote_exit(cli, error);
    if (code < 0) code = CLI_EXIT_UNREACHABLE;
    remote_words(cli, code, error);
    if (cli->json) {
        struct json j;
        json_init(&j, cli->out);
        json_begin_object(&j, NULL);
        json_header(&j, "fix");
        json_number(&j, "exit_code", code);
        json_string(&j, "status", cli_status_id(code));
        json_bool(&j, "dry_run", cli->dry_run);
        json_begin_array(&j, "repairs");
        json_end_array(&j);
        json_end_object(&j);
    }
    if (cli->stdout_summary) cli_summary_line(cli, code, 0, "", "");
    return code;
}

int cmd_fix(struct cli *cli)
{
    struct job job = { 0 };
    struct run_context run = { 0 };
    struct diag_options defaults = DIAG_OPTIONS_DEFAULT;
    struct diagnosis *before = malloc(sizeof(*before));
    int code;

    run.cli = cli;
    run.diag_options = defaults;
    run.diag_options.service_name = cli->service;
    run.diag_options.windows_dir = cli->windows_dir;
    run.diag_options.skip_catalog_scan = cli->quick;
    run.diag_options.deep_catalog_scan = cli->deep;
    if (cli->computer && (code = reach_remote(cli)) >= 0) {
        free(before);
        return code;
    }
    if (!before || diag_run(cli->computer, &run.diag_options, before)) {
        free(before);
        out_text(&cli->std, IDS_ERR_OUT_OF_MEMORY);
        return CLI_EXIT_ERROR;
    }
    job.count = diag_plan(before, job.repairs, MAX_REPAIRS);
    for (size_t i = 0; i < job.count; i++) job.names[i] = repair_id(job.repairs[i]);
    if (!job.count) {
        code = cli_diagnosis_exit(before);
        if (!cli->json && (!cli->summary || cli->out != &cli->std)) {
            out_text(cli->out, IDS_FIX_NOTHING);
            cli_print_table(cli, before);
        }
        report(cli, &job, "fix", code, FALSE, before, NULL);
        free(before);
        return code;
    }
    code = run_job(cli, &job, "fix", before, &run);
    free_job(&job);
    free(run.after);
    free(before);
    return code;
}

int cmd_restore(struct cli *cli)
{
    struct job job = { 0 };
    struct run_context run = { 0 };
    int code;

    run.cli = cli;
    job.count = 1;
    job.repairs[0] = REPAIR_RESTORE;
    job.names[0] = repair_id(REPAIR_RESTORE);
    job.backup = cli->args[0];
    code = run_job(cli, &job, "restore", NULL, &run);
    free_job(&job);
    return code;
}
