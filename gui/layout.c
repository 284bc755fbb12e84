/* gui/layout.c: dialog units at the window's DPI, text widths, ListView columns, and the Windows 10 DPI functions looked up at run time. */
#include "gui.h"

#include <commctrl.h>
#include <wchar.h>

typedef UINT (WINAPI *get_dpi_for_window_fn)(HWND hwnd);
typedef int (WINAPI *get_system_metrics_for_dpi_fn)(int index, UINT dpi);
typedef BOOL (WINAPI *set_dialog_dpi_change_behavior_fn)(HWND dialog, int mask, int values);

#define DDC_DISABLE_ALL_VALUE 0x0001   /* DDC_DISABLE_ALL, winuser.h of Windows 10 1703 */

/* Windows 10 1607+ only, so looked up (Windows 7 and Wine 8 lack some of them). */
static FARPROC user32_proc(const char *name)
{
    HMODULE user32 = GetModuleHandleW(L"user32.dll");
    return user32 ? GetProcAddress(user32, name) : NULL;
}

UINT gui_dpi_for_window(HWND hwnd)
{
    FARPROC proc = user32_proc("GetDpiForWindow");
    UINT dpi = 0;

    if (proc && hwnd) dpi = ((get_dpi_for_window_fn)(void (*)(void))proc)(hwnd);
    if (dpi == 0) {
        HDC dc = GetDC(NULL);
        dpi = dc ? (UINT)GetDeviceCaps(dc, LOGPIXELSY) : 96;
        if (dc) ReleaseDC(NULL, dc);
    }
    return dpi ? dpi : 96;
}

int gui_small_icon_size(UINT dpi)
{
    FARPROC proc = user32_proc("GetSystemMetricsForDpi");

    if (proc) return ((get_system_metrics_for_dpi_fn)(void (*)(void))proc)(SM_CXSMICON, dpi);
    return MulDiv(GetSystemMetrics(SM_CXSMICON), (int)dpi, (int)gui_dpi_for_window(NULL));
}

void gui_take_over_dpi_scaling(HWND dialog)
{
    FARPROC proc = user32_proc("SetDialogDpiChangeBehavior");

    if (proc)
        ((set_dialog_dpi_change_behavior_fn)(void (*)(void))proc)(dialog, DDC_DISABLE_ALL_VALUE,
                                                                    DDC_DISABLE_ALL_VALUE);
}

/* The classic dialog base units of a font: the average width of the 52 Latin letters and
 * the character height, as Windows computes them for a dialog's own font. */
void gui_units_measure(HWND hwnd, HFONT font, struct gui_units *units)
{
    static const WCHAR letters[] = L"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    HDC dc = GetDC(hwnd);
    HGDIOBJ old;
    TEXTMETRICW metrics;
    SIZE size;

    units->dpi = gui_dpi_for_window(hwnd);
    units->base_x = 6;
    units->base_y = 13;
    if (!dc) return;
    old = SelectObject(dc, font ? (HGDIOBJ)font : GetStockObject(DEFAULT_GUI_FONT));
    if (GetTextMetricsW(dc, &metrics) && GetTextExtentPoint32W(dc, letters, 52, &size)) {
        units->base_x = (size.cx / 26 + 1) / 2;
        units->base_y = metrics.tmHeight;
    }
    SelectObject(dc, old);
    ReleaseDC(hwnd, dc);
}

int gui_dlu_x(const struct gui_units *units, int dlu)
{
    return MulDiv(dlu, units->base_x, 4);
}

int gui_dlu_y(const struct gui_units *units, int dlu)
{
    return MulDiv(dlu, units->base_y, 8);
}

int gui_text_width(HWND hwnd, HFONT font, const WCHAR *text)
{
    WCHAR plain[GUI_TEXT_CCH];
    size_t used = 0;
    HDC dc = GetDC(hwnd);
    HGDIOBJ old;
    SIZE size = { 0, 0 };

    /* "&&" shows one '&'; a single '&' marks the mnemonic and takes no room. */
    for (const WCHAR *p = text; *p && used + 1 < GUI_TEXT_CCH; p++) {
        if (*p == L'&') {
            if (p[1] != L'&') continue;
            p++;
        }
        plain[used++] = *p;
    }
    plain[used] = L'\0';
    if (!dc) return (int)used * 8;
    old = SelectObject(dc, font ? (HGDIOBJ)font : GetStockObject(DEFAULT_GUI_FONT));
    GetTextExtentPoint32W(dc, plain, (int)used, &size);
    SelectObject(dc, old);
    ReleaseDC(hwnd, dc);
    return size.cx;
}

HFONT gui_font_for_dpi(HFONT font, UINT old_dpi, UINT new_dpi)
{
    LOGFONTW description;

    if (!font || !GetObjectW(font, sizeof(description), &description)) return NULL;
    description.lfHeight = MulDiv(description.lfHeight, (int)new_dpi, (int)old_dpi);
    description.lfWidth = MulDiv(description.lfWidth, (int)new_dpi, (int)old_dpi);
    return CreateFontIndirectW(&description);
}

void gui_list_add_column(HWND list, int index, UINT title_id, int width)
{
    WCHAR title[128];
    LVCOLUMNW column = { 0 };

    text_load(title_id, title, ARRAYSIZE(title));
    column.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM;
    column.pszText = title;
    column.cx = width;
    column.iSubItem = index;
    SendMessageW(list, LVM_INSERTCOLUMNW, (WPARAM)index, (LPARAM)&column);
}
