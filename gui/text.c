/* gui/text.c: user-visible text comes from the STRINGTABLE, formatted with FormatMessageW. */
#include "gui.h"
#include "resource.h"

#include <stdarg.h>

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
