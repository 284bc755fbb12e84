/* gui/main.c: csd-gui's entry point: load-time hardening, command line, message loop. */
#include "gui.h"
#include "resource.h"

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

/* Returns the first argument it does not understand, or NULL when all were fine. */
static const WCHAR *parse_arguments(int argc, WCHAR **argv, struct gui_options *options)
{
    for (int i = 1; i < argc; i++) {
        const WCHAR *arg = argv[i];
        if (wcscmp(arg, L"--close-after") == 0 && i + 1 < argc) {
            WCHAR *end;
            unsigned long ms = wcstoul(argv[++i], &end, 10);
            if (*argv[i] == L'\0' || *end != L'\0') return argv[i];
            options->close_after_ms = (DWORD)ms;
        } else if (wcscmp(arg, L"--machine") == 0 && i + 1 < argc) {
            if (wcslen(argv[++i]) >= GUI_MACHINE_CCH) return argv[i];
            wcscpy(options->machine, argv[i]);
        } else {
            return arg;
        }
    }
    return NULL;
}

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE previous, PWSTR command_line, int show)
{
    INITCOMMONCONTROLSEX controls = { sizeof(controls), ICC_LISTVIEW_CLASSES | ICC_STANDARD_CLASSES };
    struct gui_options options = { 0 };
    const WCHAR *bad_argument;
    HACCEL accelerators;
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
    return got == -1 ? 1 : (int)msg.wParam;
}
