/* cli/symptom.c: `csd symptom TEXT`: an error code or message looked up in the core's symptom table. */
#include "cli.h"
#include "pure/symptoms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define SHOWN_MAX 5

/* All arguments joined with spaces, in UTF-8, as the symptom finder reads it. */
static char *joined_input(const struct cli *cli)
{
    size_t size = 1;
    char *text;

    for (unsigned i = 0; i < cli->arg_count; i++) size += wcslen(cli->args[i]) * 3 + 1;
    text = calloc(size, 1);
    if (!text) return NULL;
    for (unsigned i = 0; i < cli->arg_count; i++) {
        size_t used = strlen(text);
        if (i) text[used++] = ' ';
        WideCharToMultiByte(CP_UTF8, 0, cli->args[i], -1, text + used, (int)(size - used), NULL, NULL);
    }
    return text;
}

static void print_entry(struct cli *cli, const struct symptom *s)
{
    char code[16] = "";
    WCHAR *name, *message, *explanation, *source, *wide_code;

    if (s->code) snprintf(code, sizeof(code), "0x%08X", (unsigned)s->code);
    wide_code = text_wide(code);
    name = text_wide(s->name);
    message = text_wide(s->message);
    explanation = text_wide(s->explanation);
    source = text_wide(s->source);
    if (wide_code && name && message && explanation && source) {
        out_text(cli->out, IDS_SYMPTOM_TITLE, wide_code, name, message);
        if (s->ours) {
            WCHAR *component = text_wide(diag_component_id(s->component));
            WCHAR *repair = text_wide(s->repair != REPAIR_NONE ? diag_repair_id(s->repair) : "-");
            if (component && repair) out_text(cli->out, IDS_SYMPTOM_OURS, component, repair);
            free(component);
            free(repair);
        } else {
            out_text(cli->out, IDS_SYMPTOM_NOT_OURS);
        }
        out_text(cli->out, IDS_SYMPTOM_EXPLAIN, explanation);
        out_text(cli->out, IDS_SYMPTOM_SOURCE, source);
    }
    free(wide_code);
    free(name);
    free(message);
    free(explanation);
    free(source);
}

static void json_entry(struct json *j, const struct symptom *s)
{
    char code[16] = "";

    if (s->code) snprintf(code, sizeof(code), "0x%08X", (unsigned)s->code);
    json_begin_object(j, NULL);
    json_string(j, "code", code);
    json_string(j, "name", s->name);
    json_string(j, "message", s->message);
    json_bool(j, "ours", s->ours);
    json_string(j, "component", s->ours ? diag_component_id(s->component) : "");
    json_string(j, "repair", diag_repair_id(s->repair));
    json_string(j, "explanation", s->explanation);
    json_string(j, "source", s->source);
    json_end_object(j);
}

/* Exit 0 when the table knows the error, 1 when nothing matched. */
int cmd_symptom(struct cli *cli)
{
    const struct symptom *found[SHOWN_MAX];
    char *input = joined_input(cli);
    size_t total, shown;
    int code;

    if (!input) {
        out_text(&cli->std, IDS_ERR_OUT_OF_MEMORY);
        return CLI_EXIT_ERROR;
    }
    total = symptom_find(input, found, SHOWN_MAX);
    shown = total < SHOWN_MAX ? total : SHOWN_MAX;
    code = total ? CLI_EXIT_HEALTHY : CLI_EXIT_PROBLEMS;
    if (cli->json) {
        struct json j;
        json_init(&j, cli->out);
        json_begin_object(&j, NULL);
        json_header(&j, "symptom");
        json_number(&j, "exit_code", code);
        json_string(&j, "status", total ? "found" : "not_found");
        json_string(&j, "input", input);
        json_number(&j, "total", (long long)total);
        json_begin_array(&j, "matches");
        for (size_t i = 0; i < shown; i++) json_entry(&j, found[i]);
        json_end_array(&j);
        json_end_object(&j);
    } else if (!cli->summary || cli->out != &cli->std) {
        WCHAR *wide = text_wide(input);
        if (!total && wide) out_text(cli->out, IDS_SYMPTOM_NONE, wide);
        for (size_t i = 0; i < shown; i++) {
            if (i) out_wide(cli->out, L"\r\n");
            print_entry(cli, found[i]);
        }
        if (total > shown) out_text(cli->out, IDS_SYMPTOM_MORE, (unsigned)(total - shown));
        free(wide);
    }
    if (cli->stdout_summary)
        cli_summary_line(cli, code, total ? IDS_STATUS_FOUND : IDS_STATUS_NOT_FOUND, total ? found[0]->explanation : "", "");
    free(input);
    return code;
}
