/* cli/cli.c: csd.exe's command line: both option styles, the commands, the summary line. */
#include "cli.h"
#include "csd_version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

enum option_kind { OPT_FLAG, OPT_VALUE, OPT_SECONDS };

struct option {
    const WCHAR *name;       /* without the leading -- or / */
    enum option_kind kind;
    size_t offset;           /* into struct cli */
};

#define FLAG(name, field) { L##name, OPT_FLAG, offsetof(struct cli, field) }
#define VALUE(name, field) { L##name, OPT_VALUE, offsetof(struct cli, field) }

static const struct option options[] = {
    FLAG("json", json),
    FLAG("summary", summary),
    FLAG("dry-run", dry_run),
    FLAG("yes", yes),
    FLAG("verbose", verbose),
    FLAG("deep", deep),
    FLAG("quick", quick),
    VALUE("report", report),
    VALUE("computer", computer),
    { L"timeout", OPT_SECONDS, offsetof(struct cli, timeout_ms) },
    VALUE("service", service),
    VALUE("windows-dir", windows_dir),
    VALUE("data-dir", data_dir),
    VALUE("lock", lock),
};

static const struct {
    const WCHAR *word;
    enum cli_command command;
} commands[] = {
    { L"check", CMD_CHECK },   { L"repair", CMD_REPAIR },           { L"fix", CMD_FIX },
    { L"restore", CMD_RESTORE }, { L"list-backups", CMD_LIST_BACKUPS }, { L"symptom", CMD_SYMPTOM },
    { L"help", CMD_HELP },
};

static int usage_error(struct cli *cli, UINT id, const WCHAR *a, const WCHAR *b)
{
    /* Usage errors go to standard output with the hint, never stderr: fleet agents count
     * anything on stderr as a script error, and the exit code (3) already says it. */
    out_text(&cli->std, id, a, b);
    out_text(&cli->std, IDS_HINT_HELP);
    return CLI_EXIT_USAGE;
}

static int is_help(const WCHAR *arg)
{
    return !wcscmp(arg, L"/?") || !wcscmp(arg, L"-?") || !wcscmp(arg, L"-h") || !_wcsicmp(arg, L"--help") ||
           !_wcsicmp(arg, L"/help");
}

/* "--name", "--name=value", "/name", "/name:value": the option's name and inline value. */
static const struct option *match_option(const WCHAR *arg, const WCHAR **inline_value)
{
    const WCHAR *name;
    size_t length;

    *inline_value = NULL;
    if (arg[0] == L'-' && arg[1] == L'-') name = arg + 2;
    else if (arg[0] == L'/' && arg[1]) name = arg + 1;
    else return NULL;
    length = wcscspn(name, L"=:");
    if (name[length]) *inline_value = name + length + 1;
    for (size_t i = 0; i < ARRAYSIZE(options); i++)
        if (wcslen(options[i].name) == length && !_wcsnicmp(options[i].name, name, length)) return &options[i];
    return NULL;
}

static int parse(struct cli *cli, int argc, WCHAR **argv)
{
    int have_command = 0;

    for (int i = 1; i < argc; i++) {
        const WCHAR *arg = argv[i], *value;
        const struct option *option;

        if (is_help(arg)) {
            cli->command = CMD_HELP;
            return -1;
        }
        option = match_option(arg, &value);
        if (option) {
            if (option->kind == OPT_FLAG) {
                if (value) return usage_error(cli, IDS_ERR_TOO_MANY, arg, NULL);
                *(BOOL *)((char *)cli + option->offset) = TRUE;
                continue;
            }
            if (!value) {
                if (i + 1 >= argc) return usage_error(cli, IDS_ERR_MISSING_VALUE, arg, NULL);
                value = argv[++i];
            }
            if (!*value) return usage_error(cli, IDS_ERR_MISSING_VALUE, arg, NULL);
            if (option->kind == OPT_SECONDS) {
                WCHAR *end;
                unsigned long seconds = wcstoul(value, &end, 10);
                if (*end || !seconds || seconds > 3600) {
                    out_text(&cli->std, IDS_ERR_BAD_NUMBER, arg, 3600u, value);
                    out_text(&cli->std, IDS_HINT_HELP);
                    return CLI_EXIT_USAGE;
                }
                cli->timeout_ms = (DWORD)seconds * 1000;
            } else {
                *(const WCHAR **)((char *)cli + option->offset) = value;
            }
            continue;
        }
        /* "-2147023728" is an error code for `symptom`, not an option. */
        if ((arg[0] == L'-' && arg[1] && !iswdigit(arg[1])) || (arg[0] == L'/' && arg[1] && !wcschr(arg + 1, L'/') && !wcschr(arg + 1, L'\\')))
            return usage_error(cli, IDS_ERR_UNKNOWN_OPTION, arg, NULL);
        if (!have_command) {
            size_t k;
            for (k = 0; k < ARRAYSIZE(commands); k++)
                if (!_wcsicmp(arg, commands[k].word)) break;
            if (k == ARRAYSIZE(commands)) return usage_error(cli, IDS_ERR_UNKNOWN_COMMAND, arg, NULL);
            cli->command = commands[k].command;
            cli->command_word = commands[k].word;
            have_command = 1;
            continue;
        }
        if (cli->arg_count >= CLI_MAX_ARGS) return usage_error(cli, IDS_ERR_TOO_MANY, arg, NULL);
        cli->args[cli->arg_count++] = arg;
    }
    return -1;
}

/* What each command accepts; anything else is a usage error rather than silently ignored. */
static int validate(struct cli *cli)
{
    /* Both only make sense when the JSON goes to a --report file and the line to stdout. */
    if (cli->json && cli->summary && !cli->report)
        return usage_error(cli, IDS_ERR_CONFLICT, L"--json", L"--summary");
    if (cli->deep && cli->quick) return usage_error(cli, IDS_ERR_CONFLICT, L"--deep", L"--quick");
    switch (cli->command) {
    case CMD_CHECK:
    case CMD_LIST_BACKUPS:
        if (cli->arg_count) return usage_error(cli, IDS_ERR_TOO_MANY, cli->args[0], NULL);
        break;
    case CMD_REPAIR:
        if (!cli->arg_count) {
            WCHAR what[64];
            text_load(IDS_ERR_NO_ARGUMENTS, what, ARRAYSIZE(what));
            return usage_error(cli, IDS_ERR_NEEDS_ARGUMENT, L"repair", what);
        }
        break;
    case CMD_FIX:
        if (cli->arg_count) return usage_error(cli, IDS_ERR_TOO_MANY, cli->args[0], NULL);
        break;
    case CMD_RESTORE:
        if (cli->arg_count != 1)
            return cli->arg_count ? usage_error(cli, IDS_ERR_TOO_MANY, cli->args[1], NULL)
                                  : usage_error(cli, IDS_ERR_NEEDS_ARGUMENT, L"restore", L"BACKUP");
        break;
    case CMD_SYMPTOM:
        if (!cli->arg_count) return usage_error(cli, IDS_ERR_NEEDS_ARGUMENT, L"symptom", L"TEXT");
        break;
    case CMD_HELP:
        break;
    }
    /* repair, fix and restore take --computer: the core runs the service-state repairs there
     * and refuses the others (exit 3, cli/repair.c). These two read only this computer. */
    if (cli->computer && (cli->command == CMD_LIST_BACKUPS || cli->command == CMD_SYMPTOM))
        return usage_error(cli, IDS_ERR_CONFLICT, L"--computer", cli->command_word);
    return -1;
}

const WCHAR *cli_machine_words(const struct cli *cli, WCHAR *buffer, size_t count)
{
    WCHAR own[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD own_count = ARRAYSIZE(own);
    WCHAR words[64];

    if (cli->computer) {
        const WCHAR *name = cli->computer;
        while (*name == L'\\') name++;
        wcsncpy(buffer, name, count - 1);
        buffer[count - 1] = 0;
        return buffer;
    }
    text_load(IDS_THIS_COMPUTER, words, ARRAYSIZE(words));
    if (GetComputerNameW(own, &own_count)) swprintf(buffer, count, L"%ls (%ls)", own, words);
    else swprintf(buffer, count, L"%ls", words);
    return buffer;
}

const char *cli_status_id(int exit_code)
{
    static const char *const ids[] = { "healthy", "problems", "repair_failed", "usage", "not_elevated",
                                       "busy", "unreachable", "access_denied", "no_admin_share", "error" };
    return exit_code >= 0 && exit_code < (int)ARRAYSIZE(ids) ? ids[exit_code] : "error";
}

/* One line, always: Intune keeps the last 2048 characters and ConfigMgr 4 KB of output, so
 * the line is cut well below both, and newlines inside the core's text become spaces. */
#define SUMMARY_MAX_CHARS 1000

void cli_summary_line(struct cli *cli, int exit_code, UINT status_id, const char *summary, const char *plan)
{
    WCHAR machine[300], status[64], plan_words[400] = L"", *line;
    WCHAR *summary_wide = text_wide(summary ? summary : "");
    WCHAR *plan_wide = text_wide(plan ? plan : "");
    size_t length = 4096;

    line = malloc(length * sizeof(WCHAR));
    if (!line || !summary_wide || !plan_wide) goto done;
    if (!status_id) status_id = IDS_STATUS_BASE + (UINT)(exit_code >= 0 && exit_code <= 9 ? exit_code : 9);
    text_load(status_id, status, ARRAYSIZE(status));
    if (plan && *plan) text_format(plan_words, ARRAYSIZE(plan_words), IDS_SUMMARY_PLAN, plan_wide);
    text_format(line, length, IDS_SUMMARY_LINE, CSD_VERSION_WSTR, cli_machine_words(cli, machine, ARRAYSIZE(machine)),
                status, (unsigned)exit_code, summary_wide, plan_words);
    for (WCHAR *p = line; *p; p++)
        if (*p == L'\r' || *p == L'\n' || *p == L'\t') *p = L' ';
    length = wcslen(line);
    while (length && line[length - 1] == L' ') line[--length] = 0;
    if (length > SUMMARY_MAX_CHARS) {
        length = SUMMARY_MAX_CHARS - 3;
        if (IS_HIGH_SURROGATE(line[length - 1])) length--;
        wcscpy(line + length, L"...");
    }
    out_wide(&cli->std, line);
    out_wide(&cli->std, L"\r\n");
done:
    free(line);
    free(summary_wide);
    free(plan_wide);
}

static int run(struct cli *cli)
{
    switch (cli->command) {
    case CMD_CHECK: return cmd_check(cli);
    case CMD_REPAIR: return cmd_repair(cli);
    case CMD_FIX: return cmd_fix(cli);
    case CMD_RESTORE: return cmd_restore(cli);
    case CMD_LIST_BACKUPS: return cmd_list_backups(cli);
    case CMD_SYMPTOM: return cmd_symptom(cli);
    case CMD_HELP: break;
    }
    out_text(&cli->std, IDS_USAGE, CSD_VERSION_WSTR);
    return CLI_EXIT_HEALTHY;
}

int cli_main(int argc, WCHAR **argv)
{
    struct cli *cli = calloc(1, sizeof(*cli));
    int code;

    if (!cli) return CLI_EXIT_ERROR;
    out_std(&cli->std);
    cli->out = &cli->std;
    cli->command = CMD_CHECK;
    cli->command_word = L"check";
    cli->timeout_ms = 30000;
    code = parse(cli, argc, argv);
    if (code < 0) code = validate(cli);
    if (code < 0 && cli->report && cli->command != CMD_HELP) {
        DWORD error = out_open_file(&cli->file, cli->report);
        if (error) {
            WCHAR words[600];
            text_error(error, words, ARRAYSIZE(words));
            out_text(&cli->std, IDS_ERR_REPORT_FILE, cli->report, words);
            code = CLI_EXIT_ERROR;
        } else {
            cli->out = &cli->file;
        }
    }
    cli->stdout_summary = cli->summary || cli->out != &cli->std;
    if (code < 0) code = run(cli);
    if (cli->out == &cli->file) {
        DWORD error = out_close(&cli->file);
        if (error && code != CLI_EXIT_USAGE) {
            WCHAR words[600];
            text_error(error, words, ARRAYSIZE(words));
            out_text(&cli->std, IDS_ERR_REPORT_FILE, cli->report, words);
            code = CLI_EXIT_ERROR;
        }
    }
    free(cli);
    return code;
}
