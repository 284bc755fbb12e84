/* gui/gui.h: what csd-gui's files share: options, the main dialog, text from the STRINGTABLE. */
#ifndef CSD_GUI_H
#define CSD_GUI_H

#include <windows.h>

/* Results of worker threads reach the dialog as these messages (STYLE rule 5). */
#define WM_APP_CHECK_DONE (WM_APP + 1)   /* lParam: struct check_job *, owned by the receiver */

#define GUI_MACHINE_CCH 256
#define GUI_TEXT_CCH 1024                /* longest cell or summary text, with its NUL */

struct gui_options {
    WCHAR machine[GUI_MACHINE_CCH];      /* empty: this computer */
    DWORD close_after_ms;                /* 0: stay open */
};

/* Creates the main dialog (modeless; the caller runs the message loop and shows it).
 * Returns NULL with the last error set when it could not be created. */
HWND main_dialog_create(HINSTANCE instance, const struct gui_options *options);

/* String `id` from the STRINGTABLE into `buffer`; an empty string if it is missing. */
void text_load(UINT id, WCHAR *buffer, DWORD count);

/* String `id` with its positional inserts (%1!s!, %2!u!, ...) filled from the arguments,
 * which must match the inserts' types. An empty string when formatting fails. */
void text_format(WCHAR *buffer, DWORD count, UINT id, ...);

/* "Error 5: Access is denied." for a Win32 error, in the system's words. */
void text_win32_error(DWORD error, WCHAR *buffer, DWORD count);

#endif
