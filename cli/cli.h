/* cli/cli.h: csd.exe's parts: options, output (console, files, JSON) and the commands. */
#ifndef CSD_CLI_H
#define CSD_CLI_H

#include <windows.h>

#include "pure/diag.h"
#include "strings.h"

/* Exit codes: stable, documented in docs/cli.md and the usage text. Never renumber. */
enum cli_exit {
    CLI_EXIT_HEALTHY = 0,        /* nothing wrong found, or the command did what was asked */
    CLI_EXIT_PROBLEMS = 1,       /* a problem, or a finding a repair can fix (Intune: remediate) */
    CLI_EXIT_REPAIR_FAILED = 2,  /* a repair failed (what it had done was undone) */
    CLI_EXIT_USAGE = 3,          /* bad arguments, or input is not a console and no --yes */
    CLI_EXIT_NOT_ELEVATED = 4,   /* a repair needs administrator rights */
    CLI_EXIT_BUSY = 5,           /* another repair is running */
    CLI_EXIT_UNREACHABLE = 6,    /* --computer: the name does not resolve or the SCM does not answer */
    CLI_EXIT_DENIED = 7,         /* --computer: its SCM refused us */
    CLI_EXIT_NO_ADMIN_SHARE = 8, /* --computer: SCM answered, \\NAME\ADMIN$ did not */
    CLI_EXIT_ERROR = 9           /* anything else: report file not writable, out of memory */
};

/* Version of the JSON documents (docs/json-schema.json). Raised only for a change that
 * could break a reader (a key removed or its meaning changed); new keys do not raise it. */
#define CLI_SCHEMA_VERSION 1

/* One place output goes: a console gets UTF-16 (WriteConsoleW), anything else UTF-8. */
struct cli_out {
    HANDLE handle;
    BOOL console;
    BOOL owned;          /* a --report file we opened and must close */
    DWORD error;         /* first write error, 0 if none */
};

void out_std(struct cli_out *out);
DWORD out_open_file(struct cli_out *out, const WCHAR *path);
DWORD out_close(struct cli_out *out);
void out_wide(struct cli_out *out, const WCHAR *text);
void out_utf8(struct cli_out *out, const char *text);
/* A STRINGTABLE string formatted with FormatMessageW (%1!s! inserts are WCHAR strings). */
void out_text(struct cli_out *out, UINT id, ...);
/* The same into a buffer (always terminated). */
void text_format(WCHAR *buffer, size_t count, UINT id, ...);
void text_load(UINT id, WCHAR *buffer, size_t count);
/* "error 5: Access is denied." in the user's language, number kept. */
void text_error(DWORD error, WCHAR *buffer, size_t count);
/* UTF-8 to UTF-16; returns a malloc'ed string ("" on failure never NULL unless out of memory). */
WCHAR *text_wide(const char *utf8);
/* Spaces up to `width` columns after `used`. */
void out_pad(struct cli_out *out, size_t used, size_t width);

/* A JSON writer on top of cli_out: compact, UTF-8, every string escaped. */
struct json {
    struct cli_out *out;
    int depth;
    BOOL first[32];
};
void json_init(struct json *j, struct cli_out *out);
void json_begin_object(struct json *j, const char *key);   /* key NULL inside an array or at the top */
void json_end_object(struct json *j);
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);
void json_string(struct json *j, const char *key, const char *utf8);
void json_wstring(struct json *j, const char *key, const WCHAR *text);
void json_number(struct json *j, const char *key, long long value);
void json_bool(struct json *j, const char *key, BOOL value);
void json_null(struct json *j, const char *key);
/* The keys every document starts with: schema_version, tool, tool_version, command, time_utc. */
void json_header(struct json *j, const char *command);

/* What the command line asked for. */
enum cli_command { CMD_CHECK, CMD_REPAIR, CMD_FIX, CMD_RESTORE, CMD_LIST_BACKUPS, CMD_SYMPTOM, CMD_HELP };

#define CLI_MAX_ARGS 32

struct cli {
    enum cli_command command;
    const WCHAR *command_word;
    const WCHAR *args[CLI_MAX_ARGS];
    unsigned arg_count;
    const WCHAR *computer;
    const WCHAR *report;
    BOOL json, summary, dry_run, yes, verbose, deep, quick;
    DWORD timeout_ms;
    /* For tests and for a copy of a Windows folder; documented in docs/cli.md. */
    const WCHAR *service;
    const WCHAR *windows_dir;
    const WCHAR *data_dir;
    const WCHAR *lock;

    struct cli_out std;      /* standard output */
    struct cli_out *out;     /* where the report goes: &std, or &file with --report */
    struct cli_out file;
    BOOL stdout_summary;     /* print the one summary line on standard output */
};

/* csd.exe's whole behaviour: parses argv, runs the command, returns the exit code. */
int cli_main(int argc, WCHAR **argv);

/* The commands (cli_*.c). Each returns an exit code. */
int cmd_check(struct cli *cli);
int cmd_repair(struct cli *cli);
int cmd_fix(struct cli *cli);
int cmd_restore(struct cli *cli);
int cmd_list_backups(struct cli *cli);
int cmd_symptom(struct cli *cli);

/* Shared by the commands. */
struct json;
void cli_json_rows(struct json *j, const struct diagnosis *d);
int cli_diagnosis_exit(const struct diagnosis *d);
void cli_print_table(struct cli *cli, const struct diagnosis *d);
/* status_id: a STRINGTABLE id for the status words, or 0 for the words of exit_code. */
void cli_summary_line(struct cli *cli, int exit_code, UINT status_id, const char *summary, const char *plan);
const WCHAR *cli_machine_words(const struct cli *cli, WCHAR *buffer, size_t count);
/* The words of each exit code's status ("healthy", ...), for the summary line and JSON. */
const char *cli_status_id(int exit_code);

#endif
