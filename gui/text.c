/* gui/text.c: user-visible text comes from the STRINGTABLE, formatted with FormatMessageW. */
#include "gui.h"
#include "resource.h"

#include <stdarg.h>
#include <stdlib.h>
#include <wchar.h>

void text_load(UINT id, WCHAR *buffer, DWORD count)
{
    if (count == 0) return;
    buffer[0] = L'\0';
    /* LoadStringW truncates to fit and always terminates when count > 0. */
    LoadStringW(GetModuleHandleW(NULL), id, buffer, (int)count);
}

/* FormatMessageW rather than swprintf: translators may reorder the %1 %2 inserts. */
static void format_va(WCHAR *buffer, DWORD count, const WCHAR *pattern, va_list *args)
{
    DWORD length = FormatMessageW(FORMAT_MESSAGE_FROM_STRING, pattern, 0, 0, buffer, count, args);
    if (length == 0 && count > 0) buffer[0] = L'\0';
}

void text_format(WCHAR *buffer, DWORD count, UINT id, ...)
{
    WCHAR pattern[GUI_TEXT_CCH];
    va_list args;

    text_load(id, pattern, GUI_TEXT_CCH);
    va_start(args, id);
    format_va(buffer, count, pattern, &args);
    va_end(args);
}

void text_win32_error(DWORD error, WCHAR *buffer, DWORD count)
{
    WCHAR system_text[GUI_TEXT_CCH];
    DWORD length = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                                  NULL, error, 0, system_text, GUI_TEXT_CCH, NULL);

    /* System messages end in "\r\n"; a table cell must not. */
    while (length > 0 && (system_text[length - 1] == L'\r' || system_text[length - 1] == L'\n' ||
                          system_text[length - 1] == L' '))
        system_text[--length] = L'\0';

    /* Keep the number in front: a report in another language is still searchable. */
    if (length > 0)
        text_format(buffer, count, IDS_FAIL_ERROR, error, system_text);
    else
        text_format(buffer, count, IDS_FAIL_ERROR_NO_TEXT, error);
}

void text_from_utf8(const char *utf8, WCHAR *buffer, DWORD count)
{
    int written;

    if (count == 0) return;
    buffer[0] = L'\0';
    written = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, buffer, (int)count);
    if (written > 0) return;
    if (GetLastError() != ERROR_INSUFFICIENT_BUFFER) return;
    /* Too long: convert into a big enough buffer and cut at a whole character. */
    written = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
    if (written > 0) {
        WCHAR *all = malloc((size_t)written * sizeof(WCHAR));
        if (!all) return;
        MultiByteToWideChar(CP_UTF8, 0, utf8, -1, all, written);
        lstrcpynW(buffer, all, (int)count);
        if (count >= 2 && IS_HIGH_SURROGATE(buffer[count - 2])) buffer[count - 2] = L'\0';
        free(all);
    }
}

void text_buffer_append(struct text_buffer *buffer, const WCHAR *text)
{
    size_t length = wcslen(text);

    if (buffer->failed) return;
    if (buffer->length + length + 1 > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 4096;
        WCHAR *grown;
        while (buffer->length + length + 1 > capacity) capacity *= 2;
        grown = realloc(buffer->text, capacity * sizeof(WCHAR));
        if (!grown) {
            buffer->failed = TRUE;
            return;
        }
        buffer->text = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->text + buffer->length, text, (length + 1) * sizeof(WCHAR));
    buffer->length += length;
}

void text_buffer_line(struct text_buffer *buffer, const WCHAR *text)
{
    text_buffer_append(buffer, text);
    text_buffer_append(buffer, L"\r\n");
}

WCHAR *text_buffer_take(struct text_buffer *buffer)
{
    WCHAR *text = buffer->text;

    if (buffer->failed || !text) {
        free(buffer->text);
        text = NULL;
    }
    buffer->text = NULL;
    buffer->length = buffer->capacity = 0;
    buffer->failed = FALSE;
    return text;
}
