/* cli/out.c: where csd.exe's words go: UTF-16 to a console, UTF-8 to files and pipes; the string table; JSON. */
#include "cli.h"
#include "csd_version.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void out_std(struct cli_out *out)
{
    DWORD mode;

    memset(out, 0, sizeof(*out));
    out->handle = GetStdHandle(STD_OUTPUT_HANDLE);
    /* A console gets UTF-16 so any machine or user name shows whatever the code page;
     * a redirected handle (file, pipe, PowerShell capturing us) gets UTF-8. */
    out->console = out->handle && out->handle != INVALID_HANDLE_VALUE && GetConsoleMode(out->handle, &mode);
}

DWORD out_open_file(struct cli_out *out, const WCHAR *path)
{
    HANDLE file = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS,
                              FILE_ATTRIBUTE_NORMAL, NULL);

    if (file == INVALID_HANDLE_VALUE) return GetLastError();
    memset(out, 0, sizeof(*out));
    out->handle = file;
    out->owned = TRUE;
    return 0;
}

DWORD out_close(struct cli_out *out)
{
    DWORD error = out->error;

    if (out->owned && out->handle) {
        if (!FlushFileBuffers(out->handle) && !error) error = GetLastError();
        if (!CloseHandle(out->handle) && !error) error = GetLastError();
    }
    out->handle = NULL;
    out->owned = FALSE;
    return error;
}

static void write_bytes(struct cli_out *out, const char *bytes, DWORD length)
{
    DWORD written = 0;

    if (!out->handle || out->handle == INVALID_HANDLE_VALUE || !length) return;
    if (!WriteFile(out->handle, bytes, length, &written, NULL) && !out->error) out->error = GetLastError();
}

void out_wide(struct cli_out *out, const WCHAR *text)
{
    size_t count = wcslen(text);

    if (!count || !out->handle || out->handle == INVALID_HANDLE_VALUE) return;
    if (out->console) {
        /* WriteConsoleW takes at most ~64 KB per call on old Windows; write in slices. */
        while (count) {
            DWORD slice = count > 8192 ? 8192 : (DWORD)count, written = 0;
            if (!WriteConsoleW(out->handle, text, slice, &written, NULL) || !written) {
                if (!out->error) out->error = GetLastError();
                return;
            }
            text += written;
            count -= written;
        }
        return;
    }
    {
        int length = WideCharToMultiByte(CP_UTF8, 0, text, (int)count, NULL, 0, NULL, NULL);
        char *bytes = length > 0 ? malloc((size_t)length) : NULL;
        if (!bytes) {
            if (!out->error) out->error = ERROR_NOT_ENOUGH_MEMORY;
            return;
        }
        WideCharToMultiByte(CP_UTF8, 0, text, (int)count, bytes, length, NULL, NULL);
        write_bytes(out, bytes, (DWORD)length);
        free(bytes);
    }
}

void out_utf8(struct cli_out *out, const char *text)
{
    if (!out->console) {
        write_bytes(out, text, (DWORD)strlen(text));
        return;
    }
    {
        WCHAR *wide = text_wide(text);
        if (wide) out_wide(out, wide);
        free(wide);
    }
}

void out_pad(struct cli_out *out, size_t used, size_t width)
{
    WCHAR spaces[129];
    size_t count = used < width ? width - used : 0;

    if (count > 128) count = 128;
    wmemset(spaces, L' ', count);
    spaces[count] = 0;
    out_wide(out, spaces);
}

WCHAR *text_wide(const char *utf8)
{
    int count = MultiByteToWideChar(CP_UTF8, 0, utf8 ? utf8 : "", -1, NULL, 0);
    WCHAR *wide = malloc((size_t)(count > 0 ? count : 1) * sizeof(WCHAR));

    if (!wide) return NULL;
    wide[0] = 0;
    if (count > 0) MultiByteToWideChar(CP_UTF8, 0, utf8 ? utf8 : "", -1, wide, count);
    return wide;
}

/* ---- the string table --------------------------------------------------------------------- */

void text_load(UINT id, WCHAR *buffer, size_t count)
{
    if (!count) return;
    buffer[0] = 0;
    LoadStringW(GetModuleHandleW(NULL), id, buffer, (int)count);
}

/* FormatMessageW rather than swprintf: translators may reorder %1 %2. The result is malloc'ed
 * (LocalAlloc'ed, really) so no message is cut; NULL if the string is missing. */
static WCHAR *format_va(UINT id, va_list *args)
{
    const WCHAR *pattern = NULL;
    WCHAR *result = NULL;
    WCHAR *copy;
    int length = LoadStringW(GetModuleHandleW(NULL), id, (WCHAR *)&pattern, 0);

    if (length <= 0 || !pattern) return NULL;
    /* The resource is not NUL-terminated: copy it first. */
    copy = malloc(((size_t)length + 1) * sizeof(WCHAR));
    if (!copy) return NULL;
    memcpy(copy, pattern, (size_t)length * sizeof(WCHAR));
    copy[length] = 0;
    if (!FormatMessageW(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ALLOCATE_BUFFER, copy, 0, 0,
                        (WCHAR *)&result, 0, args))
        result = NULL;
    free(copy);
    return result;
}

void out_text(struct cli_out *out, UINT id, ...)
{
    va_list args;
    WCHAR *text;

    va_start(args, id);
    text = format_va(id, &args);
    va_end(args);
    if (text) {
        out_wide(out, text);
        LocalFree(text);
    }
}

void text_format(WCHAR *buffer, size_t count, UINT id, ...)
{
    va_list args;
    WCHAR *text;

    if (!count) return;
    buffer[0] = 0;
    va_start(args, id);
    text = format_va(id, &args);
    va_end(args);
    if (text) {
        wcsncpy(buffer, text, count - 1);
        buffer[count - 1] = 0;
        LocalFree(text);
    }
}

void text_error(DWORD error, WCHAR *buffer, size_t count)
{
    WCHAR system_text[512];
    DWORD length = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, error, 0,
                                  system_text, ARRAYSIZE(system_text), NULL);

    /* Winsock errors (name not found) live in their own DLL's messages on old Windows. */
    while (length > 0 && (system_text[length - 1] == L'\r' || system_text[length - 1] == L'\n' ||
                          system_text[length - 1] == L' ' || system_text[length - 1] == L'.'))
        system_text[--length] = 0;
    /* The number stays in front: a report in another language is still searchable. */
    if (length) text_format(buffer, count, IDS_ERROR_TEXT, error, system_text);
    else text_format(buffer, count, IDS_ERROR_NO_TEXT, error);
}

/* ---- JSON ------------------------------------------------------------------------------- */

void json_init(struct json *j, struct cli_out *out)
{
    memset(j, 0, sizeof(*j));
    j->out = out;
    j->first[0] = TRUE;
}

static void json_raw_string(struct json *j, const char *utf8)
{
    char buffer[512];
    size_t used = 0;

    buffer[used++] = '"';
    for (const unsigned char *p = (const unsigned char *)(utf8 ? utf8 : ""); *p; p++) {
        if (used > sizeof(buffer) - 8) {
            buffer[used] = 0;
            out_utf8(j->out, buffer);
            used = 0;
        }
        if (*p == '"' || *p == '\\') {
            buffer[used++] = '\\';
            buffer[used++] = (char)*p;
        } else if (*p < 0x20 || *p == 0x7f) {
            used += (size_t)snprintf(buffer + used, 8, "\\u%04x", *p);
        } else {
            buffer[used++] = (char)*p;   /* UTF-8 passes through: JSON is UTF-8 */
        }
    }
    buffer[used++] = '"';
    buffer[used] = 0;
    out_utf8(j->out, buffer);
}

/* The comma and the key before a value. */
static void json_prefix(struct json *j, const char *key)
{
    if (!j->first[j->depth]) out_utf8(j->out, ",");
    j->first[j->depth] = FALSE;
    if (key) {
        json_raw_string(j, key);
        out_utf8(j->out, ":");
    }
}

static void json_open(struct json *j, const char *key, const char *bracket)
{
    json_prefix(j, key);
    out_utf8(j->out, bracket);
    if (j->depth < (int)ARRAYSIZE(j->first) - 1) j->depth++;
    j->first[j->depth] = TRUE;
}

static void json_close(struct json *j, const char *bracket)
{
    if (j->depth > 0) j->depth--;
    out_utf8(j->out, bracket);
    if (j->depth == 0) out_utf8(j->out, "\n");
}

void json_begin_object(struct json *j, const char *key) { json_open(j, key, "{"); }
void json_end_object(struct json *j) { json_close(j, "}"); }
void json_begin_array(struct json *j, const char *key) { json_open(j, key, "["); }
void json_end_array(struct json *j) { json_close(j, "]"); }

void json_string(struct json *j, const char *key, const char *utf8)
{
    json_prefix(j, key);
    json_raw_string(j, utf8);
}

void json_wstring(struct json *j, const char *key, const WCHAR *text)
{
    int length = WideCharToMultiByte(CP_UTF8, 0, text ? text : L"", -1, NULL, 0, NULL, NULL);
    char *utf8 = length > 0 ? malloc((size_t)length) : NULL;

    if (utf8) WideCharToMultiByte(CP_UTF8, 0, text ? text : L"", -1, utf8, length, NULL, NULL);
    json_string(j, key, utf8 ? utf8 : "");
    free(utf8);
}

void json_number(struct json *j, const char *key, long long value)
{
    char buffer[32];

    json_prefix(j, key);
    snprintf(buffer, sizeof(buffer), "%lld", value);
    out_utf8(j->out, buffer);
}

void json_bool(struct json *j, const char *key, BOOL value)
{
    json_prefix(j, key);
    out_utf8(j->out, value ? "true" : "false");
}

void json_null(struct json *j, const char *key)
{
    json_prefix(j, key);
    out_utf8(j->out, "null");
}

void json_header(struct json *j, const char *command)
{
    SYSTEMTIME now;
    char when[32];

    GetSystemTime(&now);
    snprintf(when, sizeof(when), "%04u-%02u-%02uT%02u:%02u:%02uZ", now.wYear, now.wMonth, now.wDay, now.wHour,
             now.wMinute, now.wSecond);
    json_number(j, "schema_version", CLI_SCHEMA_VERSION);
    json_string(j, "tool", "CryptSvc Doctor");
    json_string(j, "tool_version", CSD_VERSION_STR);
    json_string(j, "command", command);
    json_string(j, "time_utc", when);
}
