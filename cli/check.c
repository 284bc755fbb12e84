/* cli/check.c: `csd check`: the diagnosis as aligned text, JSON or one summary line; --computer. */
#include "cli.h"
#include "win/checks.h"
#include "win/svc.h"
#include "win/seam.h"
#include "csd_version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* What we learned about another computer before diagnosing it. */
struct remote {
    const WCHAR *machine;
    const WCHAR *service;
    DWORD scm_error;            /* svc_query's answer: 0, or why the SCM could not be asked */
    BOOL scm_timed_out;
    DWORD share_error;          /* 0 when \\NAME\ADMIN$ answers */
    BOOL share_checked;
};

static DWORD WINAPI remote_probe(void *parameter)
{
    struct remote *remote = parameter;
    struct svc_info *info = malloc(sizeof(*info));
    WCHAR share[400];
    const WCHAR *name = remote->machine;
    DWORD error;

    if (!info) {
        remote->scm_error = ERROR_NOT_ENOUGH_MEMORY;
        return 0;
    }
    /* svc_query resolves the name first, so an unknown name fails in milliseconds. A
     * service that is not installed still proves the SCM answered. */
    error = svc_query(remote->machine, remote->service, info);
    free(info);
    remote->scm_error = error == ERROR_SERVICE_DOES_NOT_EXIST ? 0 : error;
    if (remote->scm_error) return 0;
    while (*name == L'\\') name++;
    swprintf(share, ARRAYSIZE(share), L"\\\\%ls\\ADMIN$\\", name);
    SetLastError(0);
    /* Through the seam, like the core's calls, so a test can give the share any answer. */
    if (seam.GetFileAttributesW(share) == INVALID_FILE_ATTRIBUTES)
        remote->share_error = GetLastError() ? GetLastError() : ERROR_BAD_NETPATH;
    remote->share_checked = TRUE;
    return 0;
}

/* Runs the probe with a bound: RPC to a machine that resolves but does not answer can take
 * far longer than a fleet script should wait. On time-out the thread is left behind; the
 * process ends soon after, which ends it. */
static void probe_remote(const struct cli *cli, struct remote *remote)
{
    struct remote *shared = malloc(sizeof(*shared));
    HANDLE thread;

    memset(remote, 0, sizeof(*remote));
    remote->machine = cli->computer;
    remote->service = cli->service ? cli->service : L"CryptSvc";
    if (!shared) {
        remote->scm_error = ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    *shared = *remote;
    thread = CreateThread(NULL, 0, remote_probe, shared, 0, NULL);
    if (!thread) {
        remote->scm_error = GetLastError();
        free(shared);
        return;
    }
    if (WaitForSingleObject(thread, cli->timeout_ms) != WAIT_OBJECT_0) {
        remote->scm_error = ERROR_TIMEOUT;
        remote->scm_timed_out = TRUE;
        CloseHandle(thread);
        return;   /* `shared` stays with the thread that may still write to it */
    }
    CloseHandle(thread);
    *remote = *shared;
    free(shared);
}

static int remote_exit(const struct remote *remote)
{
    if (remote->scm_timed_out) return CLI_EXIT_UNREACHABLE;
    switch (svc_classify(remote->scm_error)) {
    case SVC_FAIL_NONE: return remote->share_checked && remote->share_error ? CLI_EXIT_NO_ADMIN_SHARE : -1;
    case SVC_FAIL_ACCESS_DENIED: return CLI_EXIT_DENIED;
    case SVC_FAIL_UNREACHABLE:
    case SVC_FAIL_TIMEOUT: return CLI_EXIT_UNREACHABLE;
    default: return remote->scm_error == ERROR_NOT_ENOUGH_MEMORY ? CLI_EXIT_ERROR : CLI_EXIT_UNREACHABLE;
    }
}

static void remote_words(const struct cli *cli, const struct remote *remote, int exit_code, WCHAR *out, size_t count)
{
    WCHAR why[600];

    out[0] = 0;
    if (remote->scm_timed_out) text_format(why, ARRAYSIZE(why), IDS_REMOTE_TIMEOUT, (unsigned)(cli->timeout_ms / 1000));
    else text_error(exit_code == CLI_EXIT_NO_ADMIN_SHARE ? remote->share_error : remote->scm_error, why, ARRAYSIZE(why));
    switch (exit_code) {
    case CLI_EXIT_UNREACHABLE: text_format(out, count, IDS_REMOTE_UNREACHABLE, remote->machine, why); break;
    case CLI_EXIT_DENIED: text_format(out, count, IDS_REMOTE_DENIED, remote->machine, why); break;
    case CLI_EXIT_NO_ADMIN_SHARE: text_format(out, count, IDS_REMOTE_NO_SHARE, remote->machine, why); break;
    default:
        if (remote->share_checked) text_format(out, count, IDS_REMOTE_SHARE_OK, remote->machine);
        break;
    }
}

/* ---- the diagnosis --------------------------------------------------------------------- */

/* 1 when the diagnosis found a problem, or something a repair fixes; warnings with nothing to
 * do (a service binary we do not know) and checks that could not run do not count. */
int cli_diagnosis_exit(const struct diagnosis *d)
{
    enum diag_repair plan[REPAIR_COUNT];

    if (diag_plan(d, plan, ARRAYSIZE(plan))) return CLI_EXIT_PROBLEMS;
    for (unsigned i = 0; i < d->row_count; i++)
        if (d->rows[i].severity == DIAG_PROBLEM) return CLI_EXIT_PROBLEMS;
    return CLI_EXIT_HEALTHY;
}

/* "set_automatic clear_logs": the plan as repair ids, separated by `separator`. */
static void plan_ids(const struct diagnosis *d, char *out, size_t size, const char *separator)
{
    enum diag_repair plan[REPAIR_COUNT];
    size_t count = diag_plan(d, plan, ARRAYSIZE(plan)), used = 0;

    out[0] = 0;
    for (size_t i = 0; i < count && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? separator : "", diag_repair_id(plan[i]));
}

static size_t utf8_columns(const char *text)
{
    size_t columns = 0;

    /* A character per lead byte: close enough for the Latin, Cyrillic and Greek text we show. */
    for (; *text; text++)
        if (((unsigned char)*text & 0xC0) != 0x80) columns++;
    return columns;
}

static void cell(struct cli_out *out, const char *utf8, size_t width)
{
    out_utf8(out, utf8);
    out_pad(out, utf8_columns(utf8), width);
}

void cli_print_table(struct cli *cli, const struct diagnosis *d)
{
    static const UINT titles[4] = { IDS_COL_STATUS, IDS_COL_COMPONENT, IDS_COL_CURRENT, IDS_COL_RECOMMENDED };
    WCHAR title[4][64];
    size_t width[3] = { 0, 0, 0 };

    for (int c = 0; c < 4; c++) {
        text_load(titles[c], title[c], ARRAYSIZE(title[c]));
        if (c < 3) width[c] = wcslen(title[c]);
    }
    for (unsigned i = 0; i < d->row_count; i++) {
        const struct diag_row *row = &d->rows[i];
        size_t w0 = utf8_columns(diag_severity_name(row->severity));
        size_t w1 = utf8_columns(row->name), w2 = utf8_columns(row->current);
        if (w0 > width[0]) width[0] = w0;
        if (w1 > width[1]) width[1] = w1;
        if (w2 > width[2]) width[2] = w2 > 40 ? 40 : w2;   /* a longer value overflows its cell */
    }
    for (int c = 0; c < 4; c++) {
        out_wide(cli->out, title[c]);
        if (c < 3) out_pad(cli->out, wcslen(title[c]), width[c] + 2);
    }
    out_wide(cli->out, L"\r\n");
    for (unsigned i = 0; i < d->row_count; i++) {
        const struct diag_row *row = &d->rows[i];
        cell(cli->out, diag_severity_name(row->severity), width[0] + 2);
        cell(cli->out, row->name, width[1] + 2);
        cell(cli->out, row->current, width[2] + 2);
        out_utf8(cli->out, row->recommended);
        out_wide(cli->out, L"\r\n");
    }
}

static void print_row_details(struct cli *cli, const struct diag_row *row)
{
    WCHAR *severity = text_wide(diag_severity_name(row->severity));
    WCHAR *name = text_wide(row->name);
    WCHAR *headline = text_wide(row->headline[0] ? row->headline : "");
    WCHAR separator[4] = L"";

    if (!severity || !name || !headline) goto done;
    if (row->headline[0]) wcscpy(separator, L": ");
    {
        /* "name: headline" as one insert keeps the table string simple for translators. */
        size_t length = wcslen(name) + wcslen(separator) + wcslen(headline) + 1;
        WCHAR *title = malloc(length * sizeof(WCHAR));
        if (!title) goto done;
        swprintf(title, length, L"%ls%ls%ls", name, separator, headline);
        out_text(cli->out, IDS_CHECK_ROW_TITLE, severity, title, L"");
        free(title);
    }
    for (unsigned e = 0; e < row->evidence_count; e++) {
        WCHAR *line = text_wide(row->evidence[e]);
        if (line) out_text(cli->out, IDS_CHECK_EVIDENCE, line);
        free(line);
    }
    if (row->evidence_dropped) out_text(cli->out, IDS_CHECK_DROPPED, row->evidence_dropped);
    if (row->repair != REPAIR_NONE) {
        WCHAR *id = text_wide(diag_repair_id(row->repair)), *words = text_wide(diag_repair_title(row->repair));
        if (id && words) out_text(cli->out, IDS_CHECK_REPAIR, id, words);
        free(id);
        free(words);
    }
done:
    free(severity);
    free(name);
    free(headline);
}

static void print_text(struct cli *cli, const struct diagnosis *d, const WCHAR *remote_note)
{
    WCHAR machine[300];
    char plan[400];
    BOOL any = FALSE;

    out_text(cli->out, IDS_CHECK_HEADER, CSD_VERSION_WSTR, cli_machine_words(cli, machine, ARRAYSIZE(machine)));
    if (remote_note && *remote_note) out_wide(cli->out, remote_note);
    if (!d) return;
    cli_print_table(cli, d);
    {
        WCHAR *summary = text_wide(d->summary);
        if (summary) out_text(cli->out, IDS_CHECK_SUMMARY, summary);
        free(summary);
    }
    for (unsigned i = 0; i < d->row_count; i++) {
        const struct diag_row *row = &d->rows[i];
        if (!cli->verbose && (row->severity == DIAG_OK || row->severity == DIAG_INFO)) continue;
        if (!any) out_text(cli->out, cli->verbose ? IDS_CHECK_DETAILS : IDS_CHECK_FINDINGS);
        any = TRUE;
        print_row_details(cli, row);
    }
    plan_ids(d, plan, sizeof(plan), " ");
    if (plan[0]) {
        WCHAR *wide = text_wide(plan);
        if (wide) out_text(cli->out, IDS_CHECK_PLAN, wide);
        free(wide);
    } else {
        out_text(cli->out, IDS_CHECK_NOTHING_TO_FIX);
    }
}

void cli_json_rows(struct json *j, const struct diagnosis *d)
{
    char plan[400];

    json_begin_array(j, "rows");
    for (unsigned i = 0; d && i < d->row_count; i++) {
        const struct diag_row *row = &d->rows[i];
        json_begin_object(j, NULL);
        json_string(j, "component", diag_component_id(row->component));
        json_string(j, "name", row->name);
        json_string(j, "current", row->current);
        json_string(j, "recommended", row->recommended);
        json_string(j, "severity", diag_severity_id(row->severity));
        json_string(j, "headline", row->headline);
        json_begin_array(j, "evidence");
        for (unsigned e = 0; e < row->evidence_count; e++) json_string(j, NULL, row->evidence[e]);
        json_end_array(j);
        json_number(j, "evidence_dropped", row->evidence_dropped);
        json_string(j, "repair", diag_repair_id(row->repair));
        json_string(j, "repair_target", row->repair_target);
        json_end_object(j);
    }
    json_end_array(j);
    json_string(j, "summary", d ? d->summary : "");
    json_string(j, "worst", d ? diag_severity_id(d->worst) : "not_checked");
    json_begin_array(j, "plan");
    if (d) {
        plan_ids(d, plan, sizeof(plan), " ");
        for (char *word = strtok(plan, " "); word; word = strtok(NULL, " ")) json_string(j, NULL, word);
    }
    json_end_array(j);
}

static void print_json(struct cli *cli, const struct diagnosis *d, const struct remote *remote, int exit_code,
                       const WCHAR *remote_note)
{
    struct json j;
    WCHAR own[MAX_COMPUTERNAME_LENGTH + 1] = L"";
    DWORD own_count = ARRAYSIZE(own);

    json_init(&j, cli->out);
    json_begin_object(&j, NULL);
    json_header(&j, "check");
    json_number(&j, "exit_code", exit_code);
    json_string(&j, "status", cli_status_id(exit_code));
    if (cli->computer) json_wstring(&j, "computer", cli->computer);
    else if (GetComputerNameW(own, &own_count)) json_wstring(&j, "computer", own);
    else json_null(&j, "computer");
    json_bool(&j, "remote", cli->computer != NULL);
    if (remote) {
        json_begin_object(&j, "connection");
        json_number(&j, "scm_error", remote->scm_error);
        json_bool(&j, "scm_timed_out", remote->scm_timed_out);
        if (remote->share_checked) json_number(&j, "admin_share_error", remote->share_error);
        else json_null(&j, "admin_share_error");
        {
            WCHAR *message = _wcsdup(remote_note ? remote_note : L"");
            size_t length = message ? wcslen(message) : 0;
            while (length && (message[length - 1] == L'\n' || message[length - 1] == L'\r')) message[--length] = 0;
            json_wstring(&j, "message", message ? message : L"");
            free(message);
        }
        json_end_object(&j);
    } else {
        json_null(&j, "connection");
    }
    cli_json_rows(&j, d);
    json_end_object(&j);
}

int cmd_check(struct cli *cli)
{
    struct diag_options options = DIAG_OPTIONS_DEFAULT;
    struct diagnosis *d = NULL;
    struct remote remote;
    WCHAR note[1200] = L"";
    int code = -1;
    char plan[400] = "";

    options.service_name = cli->service;
    options.windows_dir = cli->windows_dir;
    options.skip_catalog_scan = cli->quick;
    options.deep_catalog_scan = cli->deep;
    if (cli->computer) {
        probe_remote(cli, &remote);
        code = remote_exit(&remote);
        remote_words(cli, &remote, code, note, ARRAYSIZE(note));
    }
    /* With no SCM to ask there is nothing to diagnose; a missing admin share still lets the
     * service rows be read. */
    if (code < 0 || code == CLI_EXIT_NO_ADMIN_SHARE) {
        d = malloc(sizeof(*d));
        if (!d || diag_run(cli->computer, &options, d)) {
            out_text(&cli->std, IDS_ERR_OUT_OF_MEMORY);
            free(d);
            return CLI_EXIT_ERROR;
        }
        if (code < 0) code = cli_diagnosis_exit(d);
        plan_ids(d, plan, sizeof(plan), ", ");
    }
    if (cli->json) print_json(cli, d, cli->computer ? &remote : NULL, code, note);
    else if (!cli->summary || cli->out != &cli->std) print_text(cli, d, note);
    if (cli->stdout_summary) {
        char *summary = NULL;
        if (!d) {
            int length = WideCharToMultiByte(CP_UTF8, 0, note, -1, NULL, 0, NULL, NULL);
            summary = length > 0 ? malloc((size_t)length) : NULL;
            if (summary) WideCharToMultiByte(CP_UTF8, 0, note, -1, summary, length, NULL, NULL);
        }
        cli_summary_line(cli, code, 0, d ? d->summary : summary, plan);
        free(summary);
    }
    free(d);
    return code;
}
