/* gui/frontend.h: every call the GUI makes into the core or out to the shell, behind one replaceable table. */
#ifndef CSD_GUI_FRONTEND_H
#define CSD_GUI_FRONTEND_H

#include <windows.h>

#include "pure/diag.h"
#include "win/checks.h"
#include "win/repair.h"

/*
 * The GUI's own seam, in the shape of core/win/seam.h: `gui_core` starts out holding the
 * real core calls (diag_run, repair_describe, repair_run, ...) and the few shell calls
 * that are UI (ShellExecuteExW "runas", MessageBoxW, ShellExecuteW). The in-process GUI
 * test (tests/gui/test_gui.c) replaces members to play a machine and to answer the
 * confirmation, then calls gui_core_reset(). Only the UI thread calls ask and open;
 * the worker calls diagnose, describe, run, fix_all, restore and describe_restore.
 */

#define GUI_BACKUPS_MAX 64

struct gui_backup {
    WCHAR path[MAX_PATH];        /* <data>\backups\<name> */
    WCHAR name[MAX_PATH];        /* "20261125-074103-clear_logs" */
    SYSTEMTIME created;          /* from the name (UTC); wYear 0 when the name holds no date */
    WCHAR repair[64];            /* "clear_logs", from the name */
};

struct gui_core {
    DWORD (*diagnose)(const WCHAR *machine, const struct diag_options *options, struct diagnosis *out);
    DWORD (*describe)(enum diag_repair repair, const struct repair_options *options, struct repair_result *out);
    DWORD (*run)(enum diag_repair repair, const struct repair_options *options, struct repair_result *out);
    DWORD (*fix_all)(const enum diag_repair *repairs, size_t count, const struct repair_options *options,
                     repair_rediagnose_fn rediagnose, struct repair_result *results, size_t *ran);
    DWORD (*restore)(const WCHAR *backup_dir, const struct repair_options *options, struct repair_result *out);
    DWORD (*describe_restore)(const WCHAR *backup_dir, const struct repair_options *options,
                              struct repair_result *out);
    DWORD (*is_elevated)(BOOL *elevated);
    /* The backups below `data_dir` (NULL: %ProgramData%\CryptSvcDoctor), newest first. */
    DWORD (*list_backups)(const WCHAR *data_dir, struct gui_backup *out, unsigned max, unsigned *count);
    /* Starts this exe again elevated with `parameters`; *process receives its handle. */
    DWORD (*launch_elevated)(HWND owner, const WCHAR *parameters, HANDLE *process);
    /* MessageBoxW: returns IDOK, IDCANCEL, IDYES, IDNO. */
    int (*ask)(HWND owner, const WCHAR *text, const WCHAR *title, UINT flags);
    /* ShellExecuteW(owner, verb, file, parameters): Explorer or Notepad. Returns 0 or an error. */
    DWORD (*open)(HWND owner, const WCHAR *verb, const WCHAR *file, const WCHAR *parameters);
};

extern struct gui_core gui_core;

/* Puts the real functions back. */
void gui_core_reset(void);

/* A function of a System32 DLL loaded on first use (shell32, comdlg32, ole32 cost start-up
 * time when imported: the list should not wait for them), or NULL. */
FARPROC gui_system_proc(const WCHAR *dll, const char *name);

/* The folder repairs keep backups and repair.log in: `data_dir` when given, else
 * %ProgramData%\CryptSvcDoctor. */
void gui_data_dir(const WCHAR *data_dir, WCHAR *out, DWORD count);

#endif
