/* gui/main.c: csd-gui's entry point: load-time hardening, command line, message loop. */
#include "gui.h"
#include "resource.h"

#include "win/repair.h"

#include <commctrl.h>
#include <stdlib.h>
#include <wchar.h>

#ifndef LOAD_LIBRARY_SEARCH_SYSTEM32
#define LOAD_LIBRARY_SEARCH_SYSTEM32 0x00000800
#endif

typedef BOOL (WINAPI *set_default_dll_directories_fn)(DWORD flags);

/* DLLs we load later (and those Windows loads for us, such as uxtheme) come from
 * System32 only, never from the folder the exe was started in. SetDefaultDllDirectories
 * is missing on Windows 7 without KB2533623, so it is looked up; there we at least take
 * the current folder out of the search path. */
static void harden_dll_search(void)
{
    HMODULE kernel32 = GetModuleHandleW(L"kernel32.dll");
    FARPROC proc = kernel32 ? GetProcAddress(kernel32, "SetDefaultDllDirectories") : NULL;

    if (proc) {
        set_default_dll_directories_fn set_default = (set_default_dll_directories_fn)(void (*)(void))proc;
        if (set_default(LOAD_LIBRARY_SEARCH_SYSTEM32)) return;
    }
    SetDllDirectoryW(L"");
}

static void show_message(UINT id, const WCHAR *insert, DWORD number)
{
    WCHAR title[GUI_TEXT_CCH], text[GUI_TEXT_CCH];

    text_load(IDS_APP_TITLE, title, GUI_TEXT_CCH);
    if (insert)
        text_format(text, GUI_TEXT_CCH, id, insert);
    else
        text_format(text, GUI_TEXT_CCH, id, number);
    MessageBoxW(NULL, text, title, MB_OK | MB_ICONERROR);
}

static BOOL parse_number(const WCHAR *text, DWORD *out)
{
    WCHAR *end;
    unsigned long value = wcstoul(text, &end, 10);

    if (*text == L'\0' || *end != L'\0') return FALSE;
    *out = (DWORD)value;
    return TRUE;
}

static BOOL copy_argument(const WCHAR *text, WCHAR *out, size_t count)
{
    if (wcslen(text) >= count) return FALSE;
    wcscpy(out, text);
    return TRUE;
}

/* "set_automatic", ..., "restore", "fix_all": the ids repair_id() gives. */
static BOOL parse_repair(const WCHAR *text, enum diag_repair *out)
{
    WCHAR id[64];

    if (wcscmp(text, L"fix_all") == 0) {
        *out = GUI_FIX_ALL;
        return TRUE;
    }
    for (int r = REPAIR_NONE + 1; r <= REPAIR_COUNT; r++) {
        enum diag_repair repair = r == REPAIR_COUNT ? REPAIR_RESTORE : (enum diag_repair)r;
        const char *name = repair_id(repair);
        if (!name) continue;
        MultiByteToWideChar(CP_UTF8, 0, name, -1, id, 64);
        if (wcscmp(text, id) == 0) {
            *out = repair;
            return TRUE;
        }
    }
    return FALSE;
}

/* Returns the first argument it does not understand, or NULL when all were fine. */
static const WCHAR *parse_arguments(int argc, WCHAR **argv, struct gui_options *options)
{
    for (int i = 1; i < argc; i++) {
        const WCHAR *arg = argv[i];
        BOOL has_value = i + 1 < argc;
        if (wcscmp(arg, L"--close-after") == 0 && has_value) {
            if (!parse_number(argv[++i], &options->close_after_ms)) return argv[i];
        } else if (wcscmp(arg, L"--step-delay") == 0 && has_value) {
            if (!parse_number(argv[++i], &options->step_delay_ms)) return argv[i];
        } else if (wcscmp(arg, L"--machine") == 0 && has_value) {
            if (!copy_argument(argv[++i], options->machine, GUI_MACHINE_CCH)) return argv[i];
        } else if (wcscmp(arg, L"--windows-dir") == 0 && has_value) {
            if (!copy_argument(argv[++i], options->windows_dir, MAX_PATH)) return argv[i];
        } else if (wcscmp(arg, L"--service") == 0 && has_value) {
            if (!copy_argument(argv[++i], options->service, GUI_SERVICE_CCH)) return argv[i];
        } else if (wcscmp(arg, L"--data-dir") == 0 && has_value) {
            if (!copy_argument(argv[++i], options->data_dir, MAX_PATH)) return argv[i];
        } else if (wcscmp(arg, L"--backup") == 0 && has_value) {
            if (!copy_argument(argv[++i], options->backup, MAX_PATH)) return argv[i];
        } else if (wcscmp(arg, L"--run-repair") == 0 && has_value) {
            if (!parse_repair(argv[++i], &options->run_repair)) return argv[i];
        } else if (wcscmp(arg, L"--confirmed") == 0) {
            options->confirmed = TRUE;
        } else if (wcscmp(arg, L"--exit-when-ready") == 0) {
            options->exit_when_ready = TRUE;
        } else if (wcscmp(arg, L"--quick") == 0) {
            options->quick = TRUE;
        } else {
            return arg;
        }
    }
    if (options->run_repair == REPAIR_RESTORE && !options->backup[0]) return L"--backup";
    return NULL;
}

/* One window per session: a second start brings the first one forward and ends. The
 * elevated copy that runs one repair (--run-repair) is exempt: the first window waits for it. */
static BOOL already_running(HANDLE *mutex)
{
    HWND existing;

    *mutex = CreateMutexW(NULL, FALSE, L"Local\\CryptSvcDoctorGui");
    if (!*mutex || GetLastError() != ERROR_ALREADY_EXISTS) return FALSE;
    existing = FindWindowW(MAIN_DIALOG_CLASS, NULL);
    if (!existing) return FALSE;   /* still starting, or just closing: open another */
    if (IsIconic(existing)) ShowWindow(existing, SW_RESTORE);
    SetForegroundWindow(existing);
    return TRUE;
}

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE previous, PWSTR command_line, int show)
{
    INITCOMMONCONTROLSEX controls = { sizeof(controls), ICC_LISTVIEW_CLASSES | ICC_STANDARD_CLASSES |
                                                        ICC_BAR_CLASSES | ICC_PROGRESS_CLASS };
    struct gui_options options = { 0 };
    const WCHAR *bad_argument;
    HACCEL accelerators;
    HANDLE mutex = NULL;
    HWND dialog;
    MSG msg;
    BOOL got;

    (void)previous;
    (void)command_line;   /* the CRT has already split it into __wargv */

    HeapSetInformation(NULL, HeapEnableTerminationOnCorruption, NULL, 0);
    harden_dll_search();

    bad_argument = parse_arguments(__argc, __wargv, &options);
    if (bad_argument) {
        show_message(IDS_USAGE, bad_argument, 0);
        return 2;
    }

    if (!options.run_repair && already_running(&mutex)) {
        CloseHandle(mutex);
        return 0;
    }
    InitCommonControlsEx(&controls);

    dialog = main_dialog_create(instance, &options);
    if (!dialog) {
        show_message(IDS_START_FAILED, NULL, GetLastError());
        return 1;
    }
    ShowWindow(dialog, show);

    /* A modeless dialog with our own loop, so F5 can be an accelerator. */
    accelerators = LoadAcceleratorsW(instance, MAKEINTRESOURCEW(IDA_MAIN));
    while ((got = GetMessageW(&msg, NULL, 0, 0)) != 0 && got != -1) {
        if (accelerators && TranslateAcceleratorW(dialog, accelerators, &msg)) continue;
        if (IsDialogMessageW(dialog, &msg)) continue;
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
    if (mutex) CloseHandle(mutex);
    return got == -1 ? 1 : (int)msg.wParam;
}
