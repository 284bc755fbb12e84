/* gui/main_dlg.h: the main dialog's state, shared by main_dlg.c and report.c only. */
#ifndef CSD_GUI_MAIN_DLG_H
#define CSD_GUI_MAIN_DLG_H

#include "gui.h"
#include "jobs.h"

#include <commctrl.h>

/* One per dialog; set at WM_INITDIALOG, freed at WM_NCDESTROY. */
struct main_dialog {
    HWND hwnd;
    HWND list;
    HWND details;
    HWND progress;
    HWND status;
    HICON icon_big;
    HICON icon_small;
    HIMAGELIST images;
    HFONT font;                    /* the controls' font; ours to delete when own_font */
    BOOL own_font;
    HFONT bold_font;               /* the summary line */
    struct gui_units units;
    struct gui_options options;
    WCHAR windows_version[128];

    struct gui_snapshot *snapshot; /* the diagnosis shown; NULL before the first check answered */
    struct gui_job *running;       /* the job on the worker; NULL when idle */
    BOOL elevated;                 /* this process runs as administrator */
    BOOL close_pending;            /* close once the worker is done */
    BOOL auto_run_done;            /* options.run_repair has been started */
    int exit_code;                 /* the message loop's exit code (the elevated copy's answer) */

    /* the last repair and how it ended, for the details pane and the report */
    enum diag_repair last_repair;
    BOOL has_last_result;
    DWORD last_error;
    WCHAR last_message[GUI_TEXT_CCH];
    struct repair_result *last_results;
    size_t last_result_count;
    BOOL show_result;              /* the details pane shows the result until a row is chosen */
    BOOL filling;                  /* fill_rows selects a row: not the user's choice */

    int column_min[4];
    SIZE min_window;               /* WM_GETMINMAXINFO, in pixels */
};

/* main_dlg.c, for report.c */
void repair_title_text(enum diag_repair repair, WCHAR *out, DWORD count);
void describe_row(const struct gui_snapshot *snapshot, const struct diag_row *row, struct text_buffer *out);
void describe_last_repair(const struct main_dialog *dlg, struct text_buffer *out);
void status_texts(const struct main_dialog *dlg, WCHAR parts[4][GUI_TEXT_CCH]);

#endif
