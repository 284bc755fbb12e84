/* tests/gui/bench_minimal.c: the baseline of the start-up benchmark: a minimal Win32 window with one ListView row. */
#include <windows.h>
#include <commctrl.h>

/* Started like csd-gui ("--exit-when-ready" closes it once its list is painted), so
 * tests/gui/bench.sh can time "process start to populated list" for both the same way. */
static LRESULT CALLBACK MinimalWndProc(HWND hwnd, UINT message, WPARAM wparam, LPARAM lparam)
{
    switch (message) {
    case WM_CREATE: {
        HWND list = CreateWindowExW(0, WC_LISTVIEWW, L"", WS_CHILD | WS_VISIBLE | LVS_REPORT, 0, 0, 400, 200, hwnd,
                                    NULL, NULL, NULL);
        LVCOLUMNW column = { 0 };
        LVITEMW item = { 0 };
        column.mask = LVCF_TEXT | LVCF_WIDTH;
        column.cx = 200;
        column.pszText = L"Component";
        SendMessageW(list, LVM_INSERTCOLUMNW, 0, (LPARAM)&column);
        item.mask = LVIF_TEXT;
        item.pszText = L"row";
        SendMessageW(list, LVM_INSERTITEMW, 0, (LPARAM)&item);
        return 0;
    }
    case WM_DESTROY:
        PostQuitMessage(0);
        return 0;
    }
    return DefWindowProcW(hwnd, message, wparam, lparam);
}

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE previous, PWSTR command_line, int show)
{
    WNDCLASSW wc = { 0 };
    HWND hwnd;
    MSG msg;

    (void)previous;
    InitCommonControls();
    wc.lpfnWndProc = MinimalWndProc;
    wc.hInstance = instance;
    wc.hbrBackground = (HBRUSH)(COLOR_WINDOW + 1);
    wc.lpszClassName = L"CsdBenchMinimal";
    RegisterClassW(&wc);
    hwnd = CreateWindowExW(0, wc.lpszClassName, L"Minimal", WS_OVERLAPPEDWINDOW, CW_USEDEFAULT, CW_USEDEFAULT, 420, 240,
                           NULL, NULL, instance, NULL);
    if (!hwnd) return 1;
    ShowWindow(hwnd, show);
    UpdateWindow(hwnd);
    if (wcsstr(command_line, L"--exit-when-ready")) PostMessageW(hwnd, WM_CLOSE, 0, 0);
    while (GetMessageW(&msg, NULL, 0, 0) > 0) {
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
    return 0;
}
