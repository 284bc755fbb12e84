/* gui/gui.h: what csd-gui's files share: options, the main dialog, layout, text from the STRINGTABLE. */
#ifndef CSD_GUI_H
#define CSD_GUI_H

#include <windows.h>

#include "pure/diag.h"

/* Results of worker threads reach the dialog as these messages (STYLE rule 5). */
#define WM_APP_CHECK_DONE (WM_APP + 1)     /* lParam: struct gui_job *, owned by the receiver */
#define WM_APP_PROGRESS (WM_APP + 2)       /* lParam: struct gui_progress *, owned by the receiver */
#define WM_APP_REPAIR_DONE (WM_APP + 3)    /* lParam: struct gui_job *, owned by the receiver */
#define WM_APP_ASK (WM_APP + 4)            /* sent: wParam enum repair_question, lParam text; TRUE = yes */
#define WM_APP_ELEVATED_DONE (WM_APP + 5)  /* lParam: struct gui_job *, owned by the receiver */
#define WM_APP_DIAGNOSED (WM_APP + 6)      /* lParam: struct gui_snapshot * without plans, owned by the receiver */

#define GUI_MACHINE_CCH 256
#define GUI_TEXT_CCH 1024                  /* longest cell or summary text, with its NUL */
#define GUI_SERVICE_CCH 257

/* --run-repair's "fix_all": the plan diag_plan makes of a fresh diagnosis. */
#define GUI_FIX_ALL ((enum diag_repair)200)

struct gui_options {
    WCHAR machine[GUI_MACHINE_CCH];      /* empty: this computer */
    WCHAR windows_dir[MAX_PATH];         /* empty: the machine's own %SystemRoot% (demo, tests) */
    WCHAR service[GUI_SERVICE_CCH];      /* empty: CryptSvc */
    WCHAR data_dir[MAX_PATH];            /* empty: %ProgramData%\CryptSvcDoctor */
    DWORD close_after_ms;                /* 0: stay open */
    DWORD step_delay_ms;                 /* pause before each repair step (screenshots, demos) */
    enum diag_repair run_repair;         /* REPAIR_NONE; else run it at once (the elevated instance) */
    WCHAR backup[MAX_PATH];              /* REPAIR_RESTORE: the backup folder to put back */
    BOOL quick;                          /* skip the catalog database scan */
    BOOL confirmed;                      /* run_repair: the user already confirmed it (no question) */
    BOOL exit_when_ready;                /* close once the first check is on screen (benchmark) */
};

/* Creates the main dialog (modeless; the caller runs the message loop and shows it).
 * With options->run_repair it runs that repair once the first check is done, and the
 * message loop's exit code is the repair's error. Returns NULL with the last error set
 * when it could not be created. */
HWND main_dialog_create(HINSTANCE instance, const struct gui_options *options);

/* The class name of the main dialog's window: the single-instance check looks for it. */
#define MAIN_DIALOG_CLASS L"CryptSvcDoctorMain"

/* TRUE while a check or repair runs on the worker. */
BOOL main_dialog_busy(HWND dialog);

/* The plain-text report of everything the dialog shows (malloc'ed; the caller frees it),
 * or NULL when out of memory. Lines end in CRLF. */
WCHAR *main_dialog_report(HWND dialog);

/* Dialog units and DPI (layout.c). Base units come from the font measured at the
 * window's DPI, so a layout in dialog units scales with both. */
struct gui_units {
    int base_x, base_y;                  /* average character width and height in pixels */
    UINT dpi;
};
UINT gui_dpi_for_window(HWND hwnd);
void gui_units_measure(HWND hwnd, HFONT font, struct gui_units *units);
int gui_dlu_x(const struct gui_units *units, int dlu);
int gui_dlu_y(const struct gui_units *units, int dlu);
/* The width in pixels `hwnd`'s text needs in `font` (mnemonic '&' not counted). */
int gui_text_width(HWND hwnd, HFONT font, const WCHAR *text);
/* A copy of `font` for another DPI (the caller deletes it). */
HFONT gui_font_for_dpi(HFONT font, UINT old_dpi, UINT new_dpi);
/* Windows 10 1703+: stop Windows from rescaling the dialog itself (we do it on WM_DPICHANGED). */
void gui_take_over_dpi_scaling(HWND dialog);
/* SM_CXSMICON at the window's DPI. */
int gui_small_icon_size(UINT dpi);

/* Appends a ListView report column titled by STRINGTABLE entry `title_id`, `width` pixels wide. */
void gui_list_add_column(HWND list, int index, UINT title_id, int width);

/* The symptom finder (symptoms_dlg.c). Returns TRUE and the row and repair to highlight
 * when the user chose a finding. */
BOOL symptoms_dialog_run(HWND owner, enum diag_component *component, enum diag_repair *repair);

/* The backup chooser (restore_dlg.c). Returns TRUE and the chosen folder. */
BOOL restore_dialog_run(HWND owner, const WCHAR *data_dir, WCHAR *backup, DWORD count);

/* String `id` from the STRINGTABLE into `buffer`; an empty string if it is missing. */
void text_load(UINT id, WCHAR *buffer, DWORD count);

/* String `id` with its positional inserts (%1!s!, %2!u!, ...) filled from the arguments,
 * which must match the inserts' types. An empty string when formatting fails. */
void text_format(WCHAR *buffer, DWORD count, UINT id, ...);

/* "Error 5: Access is denied." for a Win32 error, in the system's words. */
void text_win32_error(DWORD error, WCHAR *buffer, DWORD count);

/* UTF-8 (the core's text) to UTF-16, cut to fit; "" when it is not valid. */
void text_from_utf8(const char *utf8, WCHAR *buffer, DWORD count);

/* A growing text buffer for reports. Appends stop quietly when memory runs out and
 * text_buffer_take then returns NULL. */
struct text_buffer {
    WCHAR *text;
    size_t length, capacity;
    BOOL failed;
};
void text_buffer_append(struct text_buffer *buffer, const WCHAR *text);
void text_buffer_line(struct text_buffer *buffer, const WCHAR *text);   /* text + CRLF */
WCHAR *text_buffer_take(struct text_buffer *buffer);

#endif
