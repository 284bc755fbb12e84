/* gui/main_dlg.c: the main dialog: summary, one row per component, details, repairs with progress, status bar. */
#include "main_dlg.h"
#include "resource.h"

#include <commdlg.h>
#include <limits.h>
#include <stdlib.h>
#include <wchar.h>

#define CLOSE_TIMER_ID 1
#define WORD_CCH 128
#define DETAILS_CCH 16384

/* Layout, in dialog units (layout() turns them into pixels at the window's DPI). */
#define MARGIN 7
#define GAP 4
#define BUTTON_H 14
#define FIX_H 20
#define SUMMARY_H 30
#define LABEL_H 9
#define RIGHT_MIN_W 100
#define ROW_BUTTON_MIN_W 50
#define BUTTON_PAD 12
#define PROGRESS_W 100

/* The buttons of single repairs, in the order they stand in the right column. */
static const struct {
    int id;
    enum diag_repair repair;
} repair_buttons[] = {
    { IDC_SET_AUTOMATIC, REPAIR_SET_AUTOMATIC },
    { IDC_RESTART, REPAIR_RESTART_SERVICE },
    { IDC_CLEAR_LOGS, REPAIR_CLEAR_LOGS },
    { IDC_REBUILD, REPAIR_REBUILD_CATALOG },
    { IDC_REREGISTER, REPAIR_REREGISTER_DLLS },
    { IDC_RESTORE, REPAIR_RESTORE },
};
#define REPAIR_BUTTON_COUNT (sizeof(repair_buttons) / sizeof(repair_buttons[0]))

/* The row of buttons along the bottom, left to right (IDCANCEL stands apart at the right). */
static const int bottom_buttons[] = { IDC_SYMPTOMS, IDC_COPY_REPORT, IDC_SAVE_REPORT, IDC_OPEN_CATROOT2, IDC_OPEN_LOG };
#define BOTTOM_BUTTON_COUNT (sizeof(bottom_buttons) / sizeof(bottom_buttons[0]))

static const UINT column_title[4] = { IDS_COL_COMPONENT, IDS_COL_STATUS, IDS_COL_CURRENT, IDS_COL_RECOMMENDED };
static const int column_dlu[4] = { 120, 50, 90, 90 };

static struct main_dialog *dialog_of(HWND hwnd)
{
    return (struct main_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);
}

/* ---- words --------------------------------------------------------------------------------- */

void repair_title_text(enum diag_repair repair, WCHAR *out, DWORD count)
{
    if (repair == REPAIR_RESTORE)
        text_load(IDS_REPAIR_RESTORE, out, count);
    else if (repair == GUI_FIX_ALL)
        text_load(IDS_REPAIR_FIX_ALL, out, count);
    else if (repair > REPAIR_NONE && repair < REPAIR_COUNT)
        text_load(IDS_REPAIR_BASE + repair, out, count);
    else
        text_load(IDS_REPAIR_BASE, out, count);
}

/* Repairs that move files or folders aside: the user sees the plan and says yes first. */
static BOOL is_destructive(enum diag_repair repair)
{
    return repair == REPAIR_CLEAR_LOGS || repair == REPAIR_REBUILD_CATALOG || repair == REPAIR_REFRESH_ROOT_LIST ||
           repair == REPAIR_RESTORE;
}

static void machine_words(const struct main_dialog *dlg, WCHAR *out, DWORD count)
{
    if (dlg->options.machine[0])
        lstrcpynW(out, dlg->options.machine, (int)count);
    else
        text_load(IDS_THIS_COMPUTER, out, count);
}

static void severity_text(enum diag_severity severity, WCHAR *out, DWORD count)
{
    text_load(IDS_SEVERITY_BASE + (severity <= DIAG_NOT_CHECKED ? severity : DIAG_NOT_CHECKED), out, count);
}

/* ---- rows ---------------------------------------------------------------------------------- */

static void list_set_text(HWND list, int index, int column, const WCHAR *text)
{
    LVITEMW item = { 0 };

    item.iSubItem = column;
    item.pszText = (WCHAR *)text;
    SendMessageW(list, LVM_SETITEMTEXTW, (WPARAM)index, (LPARAM)&item);
}

static void list_add_row(struct main_dialog *dlg, unsigned row_index, const struct diag_row *row)
{
    WCHAR text[GUI_TEXT_CCH];
    LVITEMW item = { 0 };
    int index;

    text_from_utf8(row->name, text, GUI_TEXT_CCH);
    item.mask = LVIF_TEXT | LVIF_IMAGE | LVIF_PARAM;
    item.iItem = INT_MAX;
    item.pszText = text;
    item.iImage = row->severity <= DIAG_NOT_CHECKED ? (int)row->severity : DIAG_NOT_CHECKED;
    item.lParam = (LPARAM)row_index;
    index = (int)SendMessageW(dlg->list, LVM_INSERTITEMW, 0, (LPARAM)&item);
    if (index < 0) return;
    severity_text(row->severity, text, GUI_TEXT_CCH);
    list_set_text(dlg->list, index, 1, text);
    text_from_utf8(row->current, text, GUI_TEXT_CCH);
    list_set_text(dlg->list, index, 2, text);
    text_from_utf8(row->recommended, text, GUI_TEXT_CCH);
    list_set_text(dlg->list, index, 3, text);
}

/* Each column as wide as its widest cell or its title (never narrower than the template
 * allows); the last one takes what is left. Returns the width all columns need. */
static int fit_columns(struct main_dialog *dlg)
{
    HFONT font = (HFONT)SendMessageW(dlg->list, WM_GETFONT, 0, 0);
    int total = 0;
    RECT client;

    for (int column = 0; column < 4; column++) {
        WCHAR title[WORD_CCH];
        int width, header;
        SendMessageW(dlg->list, LVM_SETCOLUMNWIDTH, (WPARAM)column, MAKELPARAM(LVSCW_AUTOSIZE, 0));
        width = (int)SendMessageW(dlg->list, LVM_GETCOLUMNWIDTH, (WPARAM)column, 0);
        text_load(column_title[column], title, WORD_CCH);
        header = gui_text_width(dlg->list, font, title) + gui_dlu_x(&dlg->units, 12);
        if (width < header) width = header;
        if (width < dlg->column_min[column]) width = dlg->column_min[column];
        SendMessageW(dlg->list, LVM_SETCOLUMNWIDTH, (WPARAM)column, MAKELPARAM(width, 0));
        total += width;
    }
    GetClientRect(dlg->list, &client);
    if (total < client.right) {
        int last = (int)SendMessageW(dlg->list, LVM_GETCOLUMNWIDTH, 3, 0);
        SendMessageW(dlg->list, LVM_SETCOLUMNWIDTH, 3, MAKELPARAM(last + client.right - total, 0));
    }
    return total;
}

static int selected_item(const struct main_dialog *dlg)
{
    return (int)SendMessageW(dlg->list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
}

static void select_item(struct main_dialog *dlg, int index)
{
    LVITEMW item = { 0 };

    item.stateMask = LVIS_SELECTED | LVIS_FOCUSED;
    item.state = LVIS_SELECTED | LVIS_FOCUSED;
    SendMessageW(dlg->list, LVM_SETITEMSTATE, (WPARAM)index, (LPARAM)&item);
    SendMessageW(dlg->list, LVM_ENSUREVISIBLE, (WPARAM)index, FALSE);
}

/* The diagnosis row behind list item `index`, or NULL. */
static const struct diag_row *row_of_item(const struct main_dialog *dlg, int index)
{
    LVITEMW item = { 0 };

    if (!dlg->snapshot || dlg->snapshot->error || index < 0) return NULL;
    item.mask = LVIF_PARAM;
    item.iItem = index;
    if (!SendMessageW(dlg->list, LVM_GETITEMW, 0, (LPARAM)&item)) return NULL;
    if ((unsigned)item.lParam >= dlg->snapshot->diagnosis.row_count) return NULL;
    return &dlg->snapshot->diagnosis.rows[item.lParam];
}

/* The first row of the worst severity: what the user should read first. */
static int worst_item(const struct main_dialog *dlg)
{
    int worst = -1, worst_rank = -1;

    if (!dlg->snapshot || dlg->snapshot->error) return -1;
    for (unsigned i = 0; i < dlg->snapshot->diagnosis.row_count && i < DIAG_ROWS_MAX; i++) {
        int rank = diag_severity_rank(dlg->snapshot->diagnosis.rows[i].severity);
        if (rank > worst_rank) {
            worst_rank = rank;
            worst = (int)i;
        }
    }
    return worst;
}

static void fill_rows(struct main_dialog *dlg)
{
    int selected = selected_item(dlg);

    dlg->filling = TRUE;
    SendMessageW(dlg->list, WM_SETREDRAW, FALSE, 0);
    SendMessageW(dlg->list, LVM_DELETEALLITEMS, 0, 0);
    if (dlg->snapshot && !dlg->snapshot->error) {
        const struct diagnosis *diagnosis = &dlg->snapshot->diagnosis;
        for (unsigned i = 0; i < diagnosis->row_count && i < DIAG_ROWS_MAX; i++)
            list_add_row(dlg, i, &diagnosis->rows[i]);
    }
    if (selected < 0 || selected >= (int)SendMessageW(dlg->list, LVM_GETITEMCOUNT, 0, 0))
        selected = worst_item(dlg);
    if (selected >= 0) select_item(dlg, selected);
    dlg->filling = FALSE;
    fit_columns(dlg);
    SendMessageW(dlg->list, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(dlg->list, NULL, TRUE);
}

/* ---- details pane ---------------------------------------------------------------------------- */

static void append_plan(struct text_buffer *out, const struct gui_plan *plan)
{
    WCHAR line[GUI_TEXT_CCH], why[GUI_TEXT_CCH];

    if (!plan || !plan->described) return;
    if (plan->error) {
        text_win32_error(plan->error, why, GUI_TEXT_CCH);
        text_format(line, GUI_TEXT_CCH, IDS_DET_PLAN_FAILED, why);
        text_buffer_line(out, line);
        return;
    }
    text_load(IDS_DET_STEPS, line, GUI_TEXT_CCH);
    text_buffer_line(out, line);
    for (unsigned i = 0; i < plan->count; i++) {
        text_format(line, GUI_TEXT_CCH, IDS_DET_STEP, i + 1, plan->steps[i]);
        text_buffer_line(out, line);
    }
}

/* Everything known about one row: used by the details pane and the report alike. */
void describe_row(const struct gui_snapshot *snapshot, const struct diag_row *row, struct text_buffer *out)
{
    WCHAR line[GUI_TEXT_CCH], name[GUI_TEXT_CCH], severity[WORD_CCH], text[GUI_TEXT_CCH];

    text_from_utf8(row->name, name, GUI_TEXT_CCH);
    severity_text(row->severity, severity, WORD_CCH);
    text_format(line, GUI_TEXT_CCH, IDS_DET_HEADER, name, severity);
    text_buffer_line(out, line);
    if (row->headline[0]) {
        text_from_utf8(row->headline, text, GUI_TEXT_CCH);
        text_buffer_line(out, text);
    }
    if (row->evidence_count) {
        text_buffer_line(out, L"");
        text_load(IDS_DET_EVIDENCE, line, GUI_TEXT_CCH);
        text_buffer_line(out, line);
        for (unsigned i = 0; i < row->evidence_count && i < DIAG_EVIDENCE_MAX; i++) {
            text_from_utf8(row->evidence[i], text, GUI_TEXT_CCH);
            text_buffer_append(out, L"  \x2022 ");
            text_buffer_line(out, text);
        }
        if (row->evidence_dropped) {
            text_format(line, GUI_TEXT_CCH, IDS_DET_EVIDENCE_DROPPED, row->evidence_dropped);
            text_buffer_line(out, line);
        }
    }
    text_buffer_line(out, L"");
    if (row->repair == REPAIR_NONE || row->repair >= REPAIR_COUNT) {
        text_load(IDS_DET_NO_REPAIR, line, GUI_TEXT_CCH);
        text_buffer_line(out, line);
        return;
    }
    repair_title_text(row->repair, text, GUI_TEXT_CCH);
    text_format(line, GUI_TEXT_CCH, IDS_DET_REPAIR, text);
    text_buffer_line(out, line);
    append_plan(out, snapshot ? &snapshot->plans[row->repair] : NULL);
}

/* How the last repair went, step by step. */
void describe_last_repair(const struct main_dialog *dlg, struct text_buffer *out)
{
    WCHAR line[GUI_TEXT_CCH], title[WORD_CCH], why[GUI_TEXT_CCH];

    if (!dlg->has_last_result) return;
    repair_title_text(dlg->last_repair, title, WORD_CCH);
    text_format(line, GUI_TEXT_CCH, IDS_DET_RESULT, title, dlg->last_message);
    text_buffer_line(out, line);
    for (size_t r = 0; r < dlg->last_result_count; r++) {
        const struct repair_result *result = &dlg->last_results[r];
        unsigned count = result->step_count <= REPAIR_MAX_STEPS ? result->step_count : REPAIR_MAX_STEPS;
        if (result->message[0]) text_buffer_line(out, result->message);
        for (unsigned i = 0; i < count; i++) {
            const struct repair_step_result *step = &result->steps[i];
            const WCHAR *status = repair_step_status_name(step->status);
            if (step->error && !step->detail[0])
                text_win32_error(step->error, why, GUI_TEXT_CCH);
            else
                lstrcpynW(why, step->detail, GUI_TEXT_CCH);
            text_format(line, GUI_TEXT_CCH, IDS_DET_STEP_RESULT, i + 1, step->text, status ? status : L"?", why);
            text_buffer_line(out, line);
        }
        if (result->backup_dir[0]) {
            text_format(line, GUI_TEXT_CCH, IDS_DET_BACKUP, result->backup_dir);
            text_buffer_line(out, line);
        }
    }
}

static void show_details(struct main_dialog *dlg)
{
    struct text_buffer out = { 0 };
    const struct diag_row *row = row_of_item(dlg, selected_item(dlg));
    WCHAR *text;

    if (dlg->show_result && dlg->has_last_result) {
        describe_last_repair(dlg, &out);
    } else if (row) {
        describe_row(dlg->snapshot, row, &out);
    } else {
        WCHAR line[GUI_TEXT_CCH];
        text_load(IDS_DET_SELECT_ROW, line, GUI_TEXT_CCH);
        text_buffer_append(&out, line);
    }
    text = text_buffer_take(&out);
    SetWindowTextW(dlg->details, text ? text : L"");
    free(text);
}

/* ---- summary, buttons, status bar ----------------------------------------------------------- */

static void show_summary(struct main_dialog *dlg)
{
    WCHAR text[GUI_TEXT_CCH], machine[GUI_TEXT_CCH], why[GUI_TEXT_CCH];

    machine_words(dlg, machine, GUI_TEXT_CCH);
    if (!dlg->snapshot) {
        text_format(text, GUI_TEXT_CCH, IDS_SUM_CHECKING, machine);
    } else if (dlg->snapshot->error) {
        text_win32_error(dlg->snapshot->error, why, GUI_TEXT_CCH);
        text_format(text, GUI_TEXT_CCH, IDS_SUM_ERROR, machine, why);
    } else {
        text_from_utf8(dlg->snapshot->diagnosis.summary, text, GUI_TEXT_CCH);
    }
    SetDlgItemTextW(dlg->hwnd, IDC_SUMMARY, text);
}

static size_t fix_plan(const struct main_dialog *dlg, enum diag_repair *plan)
{
    if (!dlg->snapshot || dlg->snapshot->error) return 0;
    return diag_plan(&dlg->snapshot->diagnosis, plan, REPAIR_COUNT);
}

static void update_buttons(struct main_dialog *dlg)
{
    enum diag_repair plan[REPAIR_COUNT];
    BOOL idle = dlg->running == NULL;
    BOOL can_repair = idle && !dlg->options.machine[0] && dlg->snapshot != NULL;
    BOOL repairing = !idle && (dlg->running->kind == JOB_REPAIR || dlg->running->kind == JOB_FIX_ALL);

    EnableWindow(GetDlgItem(dlg->hwnd, IDC_FIX_ALL), can_repair && fix_plan(dlg, plan) > 0);
    for (size_t i = 0; i < REPAIR_BUTTON_COUNT; i++)
        EnableWindow(GetDlgItem(dlg->hwnd, repair_buttons[i].id), can_repair);
    EnableWindow(GetDlgItem(dlg->hwnd, IDC_REFRESH), idle);
    EnableWindow(GetDlgItem(dlg->hwnd, IDC_CANCEL_WORK), repairing && !dlg->running->cancel);
    /* A disabled button must not keep the focus, or the keyboard has nowhere to go. */
    if (!IsWindowEnabled(GetFocus()) && IsWindowVisible(dlg->hwnd)) SetFocus(dlg->list);
}

/* Buttons that run a repair need an administrator: they show the UAC shield when we are not. */
static void update_shields(struct main_dialog *dlg)
{
    SendDlgItemMessageW(dlg->hwnd, IDC_FIX_ALL, BCM_SETSHIELD, 0, !dlg->elevated);
    for (size_t i = 0; i < REPAIR_BUTTON_COUNT; i++)
        SendDlgItemMessageW(dlg->hwnd, repair_buttons[i].id, BCM_SETSHIELD, 0, !dlg->elevated);
}

typedef LONG (WINAPI *rtl_get_version_fn)(OSVERSIONINFOW *info);
typedef const char *(CDECL *wine_get_version_fn)(void);

/* RtlGetVersion tells the truth whatever the manifest says; GetVersionEx may not. */
static void read_windows_version(struct main_dialog *dlg)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    FARPROC proc = ntdll ? GetProcAddress(ntdll, "RtlGetVersion") : NULL;
    FARPROC wine = ntdll ? GetProcAddress(ntdll, "wine_get_version") : NULL;
    OSVERSIONINFOW info = { 0 };

    info.dwOSVersionInfoSize = sizeof(info);
    if (!proc || ((rtl_get_version_fn)(void (*)(void))proc)(&info) != 0) {
        text_load(IDS_SB_WINDOWS_UNKNOWN, dlg->windows_version, 128);
        return;
    }
    text_format(dlg->windows_version, 128, IDS_SB_WINDOWS, info.dwMajorVersion, info.dwMinorVersion,
                info.dwBuildNumber);
    if (wine) {
        WCHAR wine_version[32], line[128];
        text_from_utf8(((wine_get_version_fn)(void (*)(void))wine)(), wine_version, 32);
        text_format(line, 128, IDS_SB_WINE, dlg->windows_version, wine_version);
        lstrcpynW(dlg->windows_version, line, 128);
    }
}

void status_texts(const struct main_dialog *dlg, WCHAR parts[4][GUI_TEXT_CCH])
{
    WCHAR machine[GUI_TEXT_CCH], time[64];

    if (dlg->options.machine[0]) {
        lstrcpynW(machine, dlg->options.machine, GUI_TEXT_CCH);
    } else {
        DWORD size = GUI_MACHINE_CCH;
        if (!GetComputerNameW(machine, &size)) text_load(IDS_THIS_COMPUTER, machine, GUI_TEXT_CCH);
    }
    text_format(parts[0], GUI_TEXT_CCH, IDS_SB_MACHINE, machine);
    lstrcpynW(parts[1], dlg->windows_version, GUI_TEXT_CCH);
    text_load(dlg->elevated ? IDS_SB_ELEVATED : IDS_SB_NOT_ELEVATED, parts[2], GUI_TEXT_CCH);
    if (dlg->snapshot &&
        GetTimeFormatW(LOCALE_USER_DEFAULT, 0, &dlg->snapshot->checked, NULL, time, 64) > 0)
        text_format(parts[3], GUI_TEXT_CCH, IDS_SB_CHECKED, time);
    else
        text_load(IDS_SB_NOT_CHECKED, parts[3], GUI_TEXT_CCH);
}

static void update_status(struct main_dialog *dlg)
{
    WCHAR parts[4][GUI_TEXT_CCH];
    int right[4], x = 0;
    HFONT font = (HFONT)SendMessageW(dlg->status, WM_GETFONT, 0, 0);

    status_texts(dlg, parts);
    for (int i = 0; i < 4; i++) {
        x += gui_text_width(dlg->status, font, parts[i]) + gui_dlu_x(&dlg->units, 12);
        right[i] = i == 3 ? -1 : x;
    }
    SendMessageW(dlg->status, SB_SETPARTS, 4, (LPARAM)right);
    for (int i = 0; i < 4; i++) SendMessageW(dlg->status, SB_SETTEXTW, (WPARAM)i, (LPARAM)parts[i]);
}

static void set_step_text(struct main_dialog *dlg, const WCHAR *text)
{
    SetDlgItemTextW(dlg->hwnd, IDC_STEP, text);
}

/* ---- layout ---------------------------------------------------------------------------------- */

static int button_width(struct main_dialog *dlg, int id, int min_dlu, BOOL shield)
{
    WCHAR text[WORD_CCH];
    int width;

    GetDlgItemTextW(dlg->hwnd, id, text, WORD_CCH);
    width = gui_text_width(dlg->hwnd, dlg->font, text) + gui_dlu_x(&dlg->units, BUTTON_PAD);
    if (shield) width += gui_small_icon_size(dlg->units.dpi) + gui_dlu_x(&dlg->units, 3);
    return width > gui_dlu_x(&dlg->units, min_dlu) ? width : gui_dlu_x(&dlg->units, min_dlu);
}

static void place(HDWP *defer, HWND dialog, int id, int x, int y, int w, int h)
{
    HWND control = GetDlgItem(dialog, id);

    if (*defer && control)
        *defer = DeferWindowPos(*defer, control, NULL, x, y, w > 0 ? w : 0, h > 0 ? h : 0,
                                SWP_NOZORDER | SWP_NOACTIVATE);
}

/* Positions every control from the client size, in dialog units at the current DPI, and
 * works out the smallest window that still shows everything. */
static void layout(struct main_dialog *dlg)
{
    const struct gui_units *u = &dlg->units;
    RECT client, window, status;
    int m = gui_dlu_x(u, MARGIN), my = gui_dlu_y(u, MARGIN), g = gui_dlu_x(u, GAP), gy = gui_dlu_y(u, GAP);
    int bh = gui_dlu_y(u, BUTTON_H), label_h = gui_dlu_y(u, LABEL_H);
    int right_w = gui_dlu_x(u, RIGHT_MIN_W), status_h, cw, ch, left_w, x, y, bottom_y, progress_y;
    int row_w = 0, close_w, cancel_w, column_h, middle_top, middle_h, list_h, right_x;
    int widths[BOTTOM_BUTTON_COUNT];
    HDWP defer;

    SendMessageW(dlg->status, WM_SIZE, 0, 0);   /* the status bar places itself */
    GetWindowRect(dlg->status, &status);
    status_h = status.bottom - status.top;
    GetClientRect(dlg->hwnd, &client);
    cw = client.right;
    ch = client.bottom;

    for (size_t i = 0; i < REPAIR_BUTTON_COUNT; i++) {
        int w = button_width(dlg, repair_buttons[i].id, RIGHT_MIN_W, !dlg->elevated);
        if (w > right_w) right_w = w;
    }
    if (button_width(dlg, IDC_FIX_ALL, RIGHT_MIN_W, !dlg->elevated) > right_w)
        right_w = button_width(dlg, IDC_FIX_ALL, RIGHT_MIN_W, !dlg->elevated);
    for (size_t i = 0; i < BOTTOM_BUTTON_COUNT; i++) {
        widths[i] = button_width(dlg, bottom_buttons[i], ROW_BUTTON_MIN_W, FALSE);
        row_w += widths[i] + g;
    }
    close_w = button_width(dlg, IDCANCEL, ROW_BUTTON_MIN_W, FALSE);
    cancel_w = button_width(dlg, IDC_CANCEL_WORK, ROW_BUTTON_MIN_W, FALSE);
    left_w = cw - 2 * m - g - right_w;
    right_x = m + left_w + g;
    bottom_y = ch - status_h - my - bh;
    progress_y = bottom_y - gy - bh;

    /* The right column: Fix, the repairs, Refresh. */
    column_h = gui_dlu_y(u, FIX_H) + 2 * gy + label_h + (int)REPAIR_BUTTON_COUNT * (bh + gui_dlu_y(u, 3)) + gy + bh;
    middle_top = my + gui_dlu_y(u, SUMMARY_H) + gy;
    middle_h = progress_y - gy - middle_top;
    list_h = (middle_h - 2 * label_h) * 58 / 100;

    defer = BeginDeferWindowPos(32);
    place(&defer, dlg->hwnd, IDC_SUMMARY, m, my, left_w, gui_dlu_y(u, SUMMARY_H));
    place(&defer, dlg->hwnd, IDC_COMPONENTS_LABEL, m, middle_top, left_w, label_h);
    place(&defer, dlg->hwnd, IDC_COMPONENTS, m, middle_top + label_h, left_w, list_h);
    place(&defer, dlg->hwnd, IDC_DETAILS_LABEL, m, middle_top + label_h + list_h + gy / 2, left_w, label_h);
    y = middle_top + 2 * label_h + list_h + gy / 2;
    place(&defer, dlg->hwnd, IDC_DETAILS, m, y, left_w, progress_y - gy - y);

    y = my;
    place(&defer, dlg->hwnd, IDC_FIX_ALL, right_x, y, right_w, gui_dlu_y(u, FIX_H));
    y += gui_dlu_y(u, FIX_H) + 2 * gy;
    place(&defer, dlg->hwnd, IDC_REPAIRS_LABEL, right_x, y, right_w, label_h);
    y += label_h;
    for (size_t i = 0; i < REPAIR_BUTTON_COUNT; i++) {
        place(&defer, dlg->hwnd, repair_buttons[i].id, right_x, y, right_w, bh);
        y += bh + gui_dlu_y(u, 3);
    }
    place(&defer, dlg->hwnd, IDC_REFRESH, right_x, y + gy, right_w, bh);

    place(&defer, dlg->hwnd, IDC_PROGRESS, m, progress_y + gui_dlu_y(u, 2), gui_dlu_x(u, PROGRESS_W),
          bh - gui_dlu_y(u, 4));
    x = m + gui_dlu_x(u, PROGRESS_W) + g;
    place(&defer, dlg->hwnd, IDC_STEP, x, progress_y + gui_dlu_y(u, 3), cw - m - cancel_w - g - x, label_h);
    place(&defer, dlg->hwnd, IDC_CANCEL_WORK, cw - m - cancel_w, progress_y, cancel_w, bh);

    x = m;
    for (size_t i = 0; i < BOTTOM_BUTTON_COUNT; i++) {
        place(&defer, dlg->hwnd, bottom_buttons[i], x, bottom_y, widths[i], bh);
        x += widths[i] + g;
    }
    place(&defer, dlg->hwnd, IDCANCEL, cw - m - close_w, bottom_y, close_w, bh);
    if (defer) EndDeferWindowPos(defer);

    /* Smallest client: the bottom row side by side; the right column and a usable list and
     * details pane above the progress row. Then add the frame. */
    GetWindowRect(dlg->hwnd, &window);
    {
        int min_cw = row_w + close_w + 2 * m + g;
        int min_left = gui_dlu_x(u, 200) + 2 * m + g + right_w;
        int min_middle = 2 * label_h + gui_dlu_y(u, 80) + gy;
        int need = column_h > gui_dlu_y(u, SUMMARY_H) + gy + min_middle ? column_h : gui_dlu_y(u, SUMMARY_H) + gy + min_middle;
        int min_ch = my + need + gy + bh + gy + bh + my + status_h;
        if (min_left > min_cw) min_cw = min_left;
        dlg->min_window.cx = min_cw + (window.right - window.left) - cw;
        dlg->min_window.cy = min_ch + (window.bottom - window.top) - ch;
    }
}

static void grow_to_minimum(struct main_dialog *dlg)
{
    RECT window;
    int w, h;

    GetWindowRect(dlg->hwnd, &window);
    w = window.right - window.left;
    h = window.bottom - window.top;
    if (w >= dlg->min_window.cx && h >= dlg->min_window.cy) return;
    SetWindowPos(dlg->hwnd, NULL, 0, 0, w > dlg->min_window.cx ? w : dlg->min_window.cx,
                 h > dlg->min_window.cy ? h : dlg->min_window.cy, SWP_NOZORDER | SWP_NOMOVE | SWP_NOACTIVATE);
}

/* ---- fonts, icons, DPI ------------------------------------------------------------------------ */

static void make_images(struct main_dialog *dlg)
{
    static const UINT icons[] = { IDI_STATUS_OK, IDI_STATUS_INFO, IDI_STATUS_WARNING, IDI_STATUS_PROBLEM,
                                  IDI_STATUS_NOT_CHECKED };
    int size = gui_small_icon_size(dlg->units.dpi);
    HIMAGELIST images = ImageList_Create(size, size, ILC_COLOR32 | ILC_MASK, 5, 0);
    HINSTANCE instance = GetModuleHandleW(NULL);

    if (!images) return;
    for (size_t i = 0; i < sizeof(icons) / sizeof(icons[0]); i++) {
        HICON icon = LoadImageW(instance, MAKEINTRESOURCEW(icons[i]), IMAGE_ICON, size, size, 0);
        if (icon) {
            ImageList_AddIcon(images, icon);
            DestroyIcon(icon);
        }
    }
    SendMessageW(dlg->list, LVM_SETIMAGELIST, LVSIL_SMALL, (LPARAM)images);
    if (dlg->images) ImageList_Destroy(dlg->images);
    dlg->images = images;
}

static void make_bold_font(struct main_dialog *dlg)
{
    LOGFONTW description;

    if (!GetObjectW(dlg->font, sizeof(description), &description)) return;
    description.lfWeight = FW_BOLD;
    if (dlg->bold_font) DeleteObject(dlg->bold_font);
    dlg->bold_font = CreateFontIndirectW(&description);
    if (dlg->bold_font) SendDlgItemMessageW(dlg->hwnd, IDC_SUMMARY, WM_SETFONT, (WPARAM)dlg->bold_font, TRUE);
}

static BOOL CALLBACK set_font_proc(HWND child, LPARAM font)
{
    SendMessageW(child, WM_SETFONT, (WPARAM)font, TRUE);
    return TRUE;
}

/* The window moved to a monitor of another DPI: new font, new icons, new layout. */
static void on_dpi_changed(struct main_dialog *dlg, UINT dpi, const RECT *suggested)
{
    HFONT font = gui_font_for_dpi(dlg->font, dlg->units.dpi, dpi);

    if (font) {
        EnumChildWindows(dlg->hwnd, set_font_proc, (LPARAM)font);
        if (dlg->own_font) DeleteObject(dlg->font);
        dlg->font = font;
        dlg->own_font = TRUE;
    }
    gui_units_measure(dlg->hwnd, dlg->font, &dlg->units);
    dlg->units.dpi = dpi;
    make_bold_font(dlg);
    make_images(dlg);
    for (int i = 0; i < 4; i++) dlg->column_min[i] = gui_dlu_x(&dlg->units, column_dlu[i]);
    SetWindowPos(dlg->hwnd, NULL, suggested->left, suggested->top, suggested->right - suggested->left,
                 suggested->bottom - suggested->top, SWP_NOZORDER | SWP_NOACTIVATE);
    layout(dlg);
    fit_columns(dlg);
    update_status(dlg);
}

/* ---- work on the worker ---------------------------------------------------------------------- */

static void take_snapshot(struct main_dialog *dlg, struct gui_job *job)
{
    if (!job->snapshot) return;
    snapshot_free(dlg->snapshot);
    dlg->snapshot = job->snapshot;
    job->snapshot = NULL;
}

static void show_everything(struct main_dialog *dlg)
{
    fill_rows(dlg);
    show_summary(dlg);
    show_details(dlg);
    update_buttons(dlg);
    update_status(dlg);
}

static void begin_job(struct main_dialog *dlg, struct gui_job *job, UINT step_id, const WCHAR *insert)
{
    WCHAR text[GUI_TEXT_CCH], why[GUI_TEXT_CCH];
    DWORD error = job_start(job);

    if (error) {
        text_win32_error(error, why, GUI_TEXT_CCH);
        set_step_text(dlg, why);
        job_free(job);
        return;
    }
    dlg->running = job;
    text_format(text, GUI_TEXT_CCH, step_id, insert ? insert : L"");
    set_step_text(dlg, text);
    SendMessageW(dlg->progress, PBM_SETPOS, 0, 0);
    update_buttons(dlg);
}

static void start_check(struct main_dialog *dlg)
{
    struct gui_job *job;

    if (dlg->running) return;
    job = job_new(JOB_CHECK, dlg->hwnd, &dlg->options);
    if (!job) {
        WCHAR why[GUI_TEXT_CCH];
        text_win32_error(ERROR_NOT_ENOUGH_MEMORY, why, GUI_TEXT_CCH);
        set_step_text(dlg, why);
        return;
    }
    begin_job(dlg, job, IDS_PROG_CHECKING, NULL);
}

/* "Rebuild catalog database will do this: 1. ... Files are moved, never deleted, to: ...". */
static void append_confirm_plan(struct text_buffer *out, enum diag_repair repair, const struct gui_plan *plan)
{
    WCHAR line[GUI_TEXT_CCH], title[WORD_CCH];

    repair_title_text(repair, title, WORD_CCH);
    text_format(line, GUI_TEXT_CCH, IDS_CONFIRM_REPAIR, title);
    text_buffer_line(out, line);
    if (!plan || !plan->described || plan->error) {
        append_plan(out, plan);
        return;
    }
    for (unsigned i = 0; i < plan->count; i++) {
        text_format(line, GUI_TEXT_CCH, IDS_CONFIRM_STEP, i + 1, plan->steps[i]);
        text_buffer_line(out, line);
    }
}

static BOOL confirm(struct main_dialog *dlg, const enum diag_repair *repairs, size_t count,
                    const struct gui_plan *restore_plan)
{
    struct text_buffer out = { 0 };
    WCHAR line[GUI_TEXT_CCH], title[WORD_CCH], data[MAX_PATH];
    WCHAR *text;
    BOOL destructive = FALSE;
    int answer;

    for (size_t i = 0; i < count; i++) destructive |= is_destructive(repairs[i]);
    if (!destructive) return TRUE;

    repair_title_text(count == 1 ? repairs[0] : GUI_FIX_ALL, title, WORD_CCH);
    text_format(line, GUI_TEXT_CCH, IDS_CONFIRM_INTRO, title);
    text_buffer_line(&out, line);
    text_buffer_line(&out, L"");
    for (size_t i = 0; i < count; i++) {
        const struct gui_plan *plan = repairs[i] == REPAIR_RESTORE ? restore_plan
                                      : dlg->snapshot && repairs[i] < REPAIR_COUNT ? &dlg->snapshot->plans[repairs[i]]
                                                                                   : NULL;
        append_confirm_plan(&out, repairs[i], plan);
    }
    text_buffer_line(&out, L"");
    gui_data_dir(dlg->options.data_dir, data, MAX_PATH);
    text_format(line, GUI_TEXT_CCH, IDS_CONFIRM_BACKUP, data);
    text_buffer_line(&out, line);
    text_load(IDS_CONFIRM_END, line, GUI_TEXT_CCH);
    text_buffer_append(&out, line);
    text = text_buffer_take(&out);
    if (!text) return FALSE;
    text_load(IDS_CONFIRM_TITLE, title, WORD_CCH);
    answer = gui_core.ask(dlg->hwnd, text, title, MB_OKCANCEL | MB_ICONWARNING | MB_DEFBUTTON2);
    free(text);
    return answer == IDOK;
}

/* A command-line argument in quotes; a trailing backslash is doubled so it does not escape
 * the closing quote. */
static void append_argument(WCHAR *out, size_t count, const WCHAR *name, const WCHAR *value)
{
    size_t used = wcslen(out), length = wcslen(value);
    BOOL trailing = length > 0 && value[length - 1] == L'\\';

    _snwprintf(out + used, count - used, L" %ls \"%ls%ls\"", name, value, trailing ? L"\\" : L"");
    out[count - 1] = L'\0';
}

/* Not elevated: the same repair runs in a copy of this program started as administrator
 * (--run-repair); this window waits for it and then checks again. */
static void start_elevated(struct main_dialog *dlg, enum diag_repair repair, const WCHAR *backup)
{
    WCHAR parameters[4 * MAX_PATH + 256], id[64], title[WORD_CCH], why[GUI_TEXT_CCH], text[GUI_TEXT_CCH];
    struct gui_job *job = job_new(JOB_ELEVATED, dlg->hwnd, &dlg->options);
    HANDLE process = NULL;
    DWORD error;

    if (!job) return;
    text_from_utf8(repair == GUI_FIX_ALL ? "fix_all" : repair_id(repair), id, 64);
    _snwprintf(parameters, sizeof(parameters) / sizeof(WCHAR), L"--run-repair %ls --confirmed", id);
    if (dlg->options.service[0]) append_argument(parameters, sizeof(parameters) / sizeof(WCHAR), L"--service", dlg->options.service);
    if (dlg->options.windows_dir[0])
        append_argument(parameters, sizeof(parameters) / sizeof(WCHAR), L"--windows-dir", dlg->options.windows_dir);
    if (dlg->options.data_dir[0]) append_argument(parameters, sizeof(parameters) / sizeof(WCHAR), L"--data-dir", dlg->options.data_dir);
    if (backup && backup[0]) append_argument(parameters, sizeof(parameters) / sizeof(WCHAR), L"--backup", backup);
    if (dlg->options.quick) wcscat(parameters, L" --quick");

    error = gui_core.launch_elevated(dlg->hwnd, parameters, &process);
    repair_title_text(repair, title, WORD_CCH);
    if (error) {
        job_free(job);
        text_win32_error(error, why, GUI_TEXT_CCH);
        text_format(text, GUI_TEXT_CCH, IDS_RES_NOT_LAUNCHED, why);
        set_step_text(dlg, text);
        return;
    }
    job->process = process;
    job->repair = repair;
    begin_job(dlg, job, IDS_PROG_ELEVATED_WAIT, title);
}

static void start_repair(struct main_dialog *dlg, enum diag_repair repair, const WCHAR *backup, BOOL confirmed)
{
    enum diag_repair plan[REPAIR_COUNT];
    size_t count = 1;
    struct gui_plan *restore_plan = NULL;
    struct gui_job *job;
    WCHAR title[WORD_CCH];

    if (dlg->running) return;
    if (repair == GUI_FIX_ALL) {
        count = fix_plan(dlg, plan);
        if (count == 0) {
            WCHAR text[GUI_TEXT_CCH];
            text_load(IDS_RES_NOTHING_TO_FIX, text, GUI_TEXT_CCH);
            set_step_text(dlg, text);
            return;
        }
    } else {
        plan[0] = repair;
    }
    if (repair == REPAIR_RESTORE && !confirmed) {
        struct repair_options options;
        struct repair_result *result = calloc(1, sizeof(*result));
        restore_plan = calloc(1, sizeof(*restore_plan));
        if (result && restore_plan) {
            job_repair_options(&dlg->options, &options);
            restore_plan->error = gui_core.describe_restore(backup, &options, result);
            restore_plan->count = result->step_count <= REPAIR_MAX_STEPS ? result->step_count : REPAIR_MAX_STEPS;
            for (unsigned i = 0; i < restore_plan->count; i++)
                lstrcpynW(restore_plan->steps[i], result->steps[i].text, REPAIR_TEXT_CCH);
            restore_plan->described = TRUE;
        }
        free(result);
    }
    if (!confirmed && !confirm(dlg, plan, count, restore_plan)) {
        free(restore_plan);
        return;
    }
    free(restore_plan);

    /* The elevated copy runs it (never a copy of a copy: --run-repair runs in place). */
    if (!dlg->elevated && !dlg->options.run_repair) {
        start_elevated(dlg, repair, backup);
        return;
    }
    job = job_new(repair == GUI_FIX_ALL ? JOB_FIX_ALL : JOB_REPAIR, dlg->hwnd, &dlg->options);
    if (!job) return;
    job->repair = repair;
    if (backup) lstrcpynW(job->backup, backup, MAX_PATH);
    memcpy(job->plan, plan, count * sizeof(plan[0]));
    job->plan_count = count;
    dlg->show_result = FALSE;
    repair_title_text(repair, title, WORD_CCH);
    begin_job(dlg, job, IDS_PROG_STARTING, title);
}

static void on_progress(struct main_dialog *dlg, const struct gui_progress *progress)
{
    WCHAR text[GUI_TEXT_CCH], title[WORD_CCH];
    unsigned count = progress->count ? progress->count : 1;
    int position = (int)((progress->repair_number - 1) * 100 + progress->index * 100 / count);

    if (!dlg->running || dlg->running->cancel) return;
    SendMessageW(dlg->progress, PBM_SETRANGE32, 0, (LPARAM)(progress->repair_count * 100));
    SendMessageW(dlg->progress, PBM_SETPOS, (WPARAM)position, 0);
    if (progress->repair_count > 1) {
        repair_title_text(progress->repair, title, WORD_CCH);
        text_format(text, GUI_TEXT_CCH, IDS_PROG_FIX_STEP, progress->repair_number, progress->repair_count, title,
                    progress->index + 1, count, progress->text);
    } else {
        text_format(text, GUI_TEXT_CCH, IDS_PROG_STEP, progress->index + 1, count, progress->text);
    }
    set_step_text(dlg, text);
}

/* The sentence under the progress bar once a repair ended, from its results. */
static void result_sentence(struct main_dialog *dlg, const struct gui_job *job)
{
    WCHAR title[WORD_CCH], why[GUI_TEXT_CCH];
    const struct repair_result *last = job->ran ? &job->results[job->ran - 1] : NULL;
    enum diag_repair repair = job->kind == JOB_FIX_ALL && job->ran ? job->plan[job->ran - 1] : job->repair;
    const WCHAR *message = last ? last->message : L"";

    repair_title_text(job->kind == JOB_FIX_ALL && !job->error ? GUI_FIX_ALL : repair, title, WORD_CCH);
    if (last && last->cancelled)
        text_format(dlg->last_message, GUI_TEXT_CCH, IDS_RES_CANCELLED, title, message);
    else if (job->error) {
        text_win32_error(job->error, why, GUI_TEXT_CCH);
        text_format(dlg->last_message, GUI_TEXT_CCH, IDS_RES_FAILED, title, why, message);
    } else
        text_format(dlg->last_message, GUI_TEXT_CCH, IDS_RES_DONE, title, job->kind == JOB_FIX_ALL ? L"" : message);
}

static void keep_results(struct main_dialog *dlg, struct gui_job *job)
{
    free(dlg->last_results);
    dlg->last_results = job->results;
    dlg->last_result_count = job->ran;
    job->results = NULL;
    dlg->last_repair = job->kind == JOB_FIX_ALL ? GUI_FIX_ALL : job->repair;
    dlg->last_error = job->error;
    dlg->has_last_result = TRUE;
    dlg->show_result = TRUE;
}

static void finish_job(struct main_dialog *dlg, struct gui_job *job)
{
    take_snapshot(dlg, job);
    job_free(job);
    dlg->running = NULL;
    show_everything(dlg);
    if (dlg->close_pending) DestroyWindow(dlg->hwnd);
}

/* After the first check: widen the window (within its monitor) so every cell shows in full. */
static void grow_to_fit_columns(struct main_dialog *dlg)
{
    MONITORINFO monitor = { 0 };
    RECT window, client;
    int need = fit_columns(dlg) + GetSystemMetrics(SM_CXVSCROLL), width, left;

    GetClientRect(dlg->list, &client);
    if (need <= client.right) return;
    monitor.cbSize = sizeof(monitor);
    if (!GetMonitorInfoW(MonitorFromWindow(dlg->hwnd, MONITOR_DEFAULTTONEAREST), &monitor)) return;
    GetWindowRect(dlg->hwnd, &window);
    width = window.right - window.left + need - client.right;
    if (width > monitor.rcWork.right - monitor.rcWork.left) width = monitor.rcWork.right - monitor.rcWork.left;
    left = window.left - (width - (window.right - window.left)) / 2;   /* stay centred */
    if (left + width > monitor.rcWork.right) left = monitor.rcWork.right - width;
    if (left < monitor.rcWork.left) left = monitor.rcWork.left;
    SetWindowPos(dlg->hwnd, NULL, left, window.top, width, window.bottom - window.top, SWP_NOZORDER | SWP_NOACTIVATE);
    fit_columns(dlg);
    /* Buttons paint through the dialog's DC (CS_PARENTDC); make sure all of it is painted anew. */
    RedrawWindow(dlg->hwnd, NULL, NULL, RDW_INVALIDATE | RDW_ERASE | RDW_FRAME | RDW_ALLCHILDREN);
}

/* The rows, before the plans of their repairs (those come with WM_APP_CHECK_DONE). */
static void on_diagnosed(struct main_dialog *dlg, struct gui_snapshot *snapshot)
{
    BOOL first = dlg->snapshot == NULL;

    snapshot_free(dlg->snapshot);
    dlg->snapshot = snapshot;
    show_everything(dlg);
    if (first && !IsZoomed(dlg->hwnd)) grow_to_fit_columns(dlg);
    if (first && dlg->options.exit_when_ready) {
        UpdateWindow(dlg->hwnd);   /* the populated list is painted, then we go */
        PostMessageW(dlg->hwnd, WM_CLOSE, 0, 0);
    }
}

static void on_check_done(struct main_dialog *dlg, struct gui_job *job)
{
    WCHAR text[GUI_TEXT_CCH];
    BOOL first = dlg->snapshot == NULL;

    text_load(IDS_RES_READY, text, GUI_TEXT_CCH);
    if (!dlg->has_last_result) set_step_text(dlg, text);
    finish_job(dlg, job);
    if (first && !IsZoomed(dlg->hwnd)) grow_to_fit_columns(dlg);
    /* The elevated copy: run what the first window asked for, once. */
    if (dlg->options.run_repair && !dlg->auto_run_done && !dlg->close_pending) {
        dlg->auto_run_done = TRUE;
        start_repair(dlg, dlg->options.run_repair, dlg->options.backup, dlg->options.confirmed);
    }
}

static void on_repair_done(struct main_dialog *dlg, struct gui_job *job)
{
    result_sentence(dlg, job);
    keep_results(dlg, job);
    if (dlg->options.run_repair) dlg->exit_code = (int)job->error;
    SendMessageW(dlg->progress, PBM_SETPOS, job->error ? 0 : (WPARAM)SendMessageW(dlg->progress, PBM_GETRANGE, FALSE, 0), 0);
    set_step_text(dlg, dlg->last_message);
    finish_job(dlg, job);
}

static void on_elevated_done(struct main_dialog *dlg, struct gui_job *job)
{
    WCHAR title[WORD_CCH], why[GUI_TEXT_CCH];

    repair_title_text(job->repair, title, WORD_CCH);
    if (job->error) {
        text_win32_error(job->error, why, GUI_TEXT_CCH);
        text_format(dlg->last_message, GUI_TEXT_CCH, IDS_RES_ELEVATED_FAILED, title, why);
    } else {
        text_format(dlg->last_message, GUI_TEXT_CCH, IDS_RES_ELEVATED_DONE, title);
    }
    keep_results(dlg, job);
    set_step_text(dlg, dlg->last_message);
    finish_job(dlg, job);
}

static void cancel_work(struct main_dialog *dlg)
{
    WCHAR text[GUI_TEXT_CCH];

    if (!dlg->running || (dlg->running->kind != JOB_REPAIR && dlg->running->kind != JOB_FIX_ALL)) return;
    InterlockedExchange(&dlg->running->cancel, 1);
    text_load(IDS_PROG_CANCELLING, text, GUI_TEXT_CCH);
    set_step_text(dlg, text);
    update_buttons(dlg);
}

static BOOL answer_question(struct main_dialog *dlg, enum repair_question question, const WCHAR *core_text)
{
    WCHAR text[GUI_TEXT_CCH], title[WORD_CCH];

    text_format(text, GUI_TEXT_CCH, question == REPAIR_ASK_END_PROCESS ? IDS_ASK_END_PROCESS : IDS_ASK_DELAY,
                core_text ? core_text : L"");
    text_load(IDS_APP_TITLE, title, WORD_CCH);
    return gui_core.ask(dlg->hwnd, text, title, MB_YESNO | MB_ICONQUESTION) == IDYES;
}

/* ---- report, shell ------------------------------------------------------------------------------ */

static void copy_report(struct main_dialog *dlg)
{
    WCHAR *report = main_dialog_report(dlg->hwnd);
    size_t bytes;
    HGLOBAL memory;
    WCHAR text[GUI_TEXT_CCH];
    BOOL copied = FALSE;

    if (!report) return;
    bytes = (wcslen(report) + 1) * sizeof(WCHAR);
    memory = GlobalAlloc(GMEM_MOVEABLE, bytes);
    if (memory) {
        void *locked = GlobalLock(memory);
        if (locked) {
            memcpy(locked, report, bytes);
            GlobalUnlock(memory);
        }
        if (locked && OpenClipboard(dlg->hwnd)) {
            EmptyClipboard();
            if (SetClipboardData(CF_UNICODETEXT, memory)) {
                memory = NULL;   /* the clipboard owns it now */
                copied = TRUE;
            }
            CloseClipboard();
        }
        if (memory) GlobalFree(memory);
    }
    free(report);
    text_load(copied ? IDS_REP_COPIED : IDS_REP_COPY_FAILED, text, GUI_TEXT_CCH);
    set_step_text(dlg, text);
}

typedef BOOL (WINAPI *get_save_file_name_fn)(OPENFILENAMEW *dialog);

/* The user picks a file; the report goes there as UTF-8 with a byte-order mark (Notepad on
 * Windows 7 needs it to tell UTF-8 from the ANSI code page). */
static void save_report(struct main_dialog *dlg)
{
    WCHAR path[MAX_PATH], filter[WORD_CCH], text[GUI_TEXT_CCH], why[GUI_TEXT_CCH];
    OPENFILENAMEW dialog = { 0 };
    FARPROC proc;
    WCHAR *report;
    char *utf8 = NULL;
    DWORD error = 0, written;
    int bytes;
    HANDLE file;

    text_load(IDS_REP_SAVE_NAME, path, MAX_PATH);
    text_load(IDS_REP_SAVE_FILTER, filter, WORD_CCH);
    for (WCHAR *p = filter; *p; p++)
        if (*p == L'|') *p = L'\0';   /* the STRINGTABLE cannot hold the NULs the filter needs */
    dialog.lStructSize = sizeof(dialog);
    dialog.hwndOwner = dlg->hwnd;
    dialog.lpstrFilter = filter;
    dialog.lpstrFile = path;
    dialog.nMaxFile = MAX_PATH;
    dialog.lpstrDefExt = L"txt";
    dialog.Flags = OFN_OVERWRITEPROMPT | OFN_PATHMUSTEXIST | OFN_NOCHANGEDIR;
    proc = gui_system_proc(L"comdlg32.dll", "GetSaveFileNameW");
    if (!proc || !((get_save_file_name_fn)(void (*)(void))proc)(&dialog)) return;

    report = main_dialog_report(dlg->hwnd);
    bytes = report ? WideCharToMultiByte(CP_UTF8, 0, report, -1, NULL, 0, NULL, NULL) : 0;
    if (bytes > 0) utf8 = malloc((size_t)bytes);
    if (!utf8) error = ERROR_NOT_ENOUGH_MEMORY;
    if (!error) {
        WideCharToMultiByte(CP_UTF8, 0, report, -1, utf8, bytes, NULL, NULL);
        file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        if (file == INVALID_HANDLE_VALUE) {
            error = GetLastError();
        } else {
            if (!WriteFile(file, "\xEF\xBB\xBF", 3, &written, NULL) ||
                !WriteFile(file, utf8, (DWORD)(bytes - 1), &written, NULL))
                error = GetLastError();
            CloseHandle(file);
        }
    }
    free(utf8);
    free(report);
    if (error) {
        text_win32_error(error, why, GUI_TEXT_CCH);
        text_format(text, GUI_TEXT_CCH, IDS_REP_SAVE_FAILED, why);
    } else {
        text_format(text, GUI_TEXT_CCH, IDS_REP_SAVED, path);
    }
    set_step_text(dlg, text);
}

static void open_with(struct main_dialog *dlg, const WCHAR *program, const WCHAR *path)
{
    WCHAR quoted[MAX_PATH + 4], text[GUI_TEXT_CCH], why[GUI_TEXT_CCH];
    DWORD error;

    _snwprintf(quoted, MAX_PATH + 4, L"\"%ls\"", path);
    quoted[MAX_PATH + 3] = L'\0';
    error = gui_core.open(dlg->hwnd, L"open", program, quoted);
    if (!error) return;
    text_win32_error(error, why, GUI_TEXT_CCH);
    text_format(text, GUI_TEXT_CCH, IDS_OPEN_FAILED, path, why);
    set_step_text(dlg, text);
}

static void open_catroot2(struct main_dialog *dlg)
{
    WCHAR windows[MAX_PATH], path[MAX_PATH];

    if (dlg->options.machine[0]) {
        const WCHAR *name = dlg->options.machine;
        while (*name == L'\\') name++;
        _snwprintf(path, MAX_PATH, L"\\\\%ls\\admin$\\System32\\catroot2", name);
    } else {
        if (dlg->options.windows_dir[0])
            lstrcpynW(windows, dlg->options.windows_dir, MAX_PATH);
        else if (!GetSystemWindowsDirectoryW(windows, MAX_PATH))
            lstrcpynW(windows, L"C:\\Windows", MAX_PATH);
        _snwprintf(path, MAX_PATH, L"%ls\\System32\\catroot2", windows);
    }
    path[MAX_PATH - 1] = L'\0';
    open_with(dlg, L"explorer.exe", path);
}

static void open_log(struct main_dialog *dlg)
{
    WCHAR data[MAX_PATH], path[MAX_PATH];

    gui_data_dir(dlg->options.data_dir, data, MAX_PATH);
    _snwprintf(path, MAX_PATH, L"%ls\\repair.log", data);
    path[MAX_PATH - 1] = L'\0';
    open_with(dlg, L"notepad.exe", path);
}

/* The symptom finder chose a finding: select its row and put the focus on its repair. */
static void highlight(struct main_dialog *dlg, enum diag_component component, enum diag_repair repair)
{
    int count = (int)SendMessageW(dlg->list, LVM_GETITEMCOUNT, 0, 0);
    int button = IDC_FIX_ALL;

    for (int i = 0; i < count; i++) {
        const struct diag_row *row = row_of_item(dlg, i);
        if (row && row->component == component) {
            select_item(dlg, i);
            break;
        }
    }
    dlg->show_result = FALSE;
    show_details(dlg);
    for (size_t i = 0; i < REPAIR_BUTTON_COUNT; i++)
        if (repair_buttons[i].repair == repair) button = repair_buttons[i].id;
    if (repair != REPAIR_NONE && IsWindowEnabled(GetDlgItem(dlg->hwnd, button))) {
        SendMessageW(dlg->hwnd, DM_SETDEFID, (WPARAM)button, 0);
        SendMessageW(dlg->hwnd, WM_NEXTDLGCTL, (WPARAM)GetDlgItem(dlg->hwnd, button), TRUE);
    } else {
        SendMessageW(dlg->hwnd, WM_NEXTDLGCTL, (WPARAM)dlg->list, TRUE);
    }
}

/* ---- the dialog ---------------------------------------------------------------------------------- */

static void init_dialog(struct main_dialog *dlg)
{
    HINSTANCE instance = GetModuleHandleW(NULL);
    WCHAR title[WORD_CCH];
    BOOL elevated = FALSE;

    gui_take_over_dpi_scaling(dlg->hwnd);
    text_load(IDS_APP_TITLE, title, WORD_CCH);
    SetWindowTextW(dlg->hwnd, title);
    dlg->font = (HFONT)SendMessageW(dlg->hwnd, WM_GETFONT, 0, 0);
    gui_units_measure(dlg->hwnd, dlg->font, &dlg->units);

    dlg->icon_big = LoadImageW(instance, MAKEINTRESOURCEW(IDI_APP), IMAGE_ICON,
                               GetSystemMetrics(SM_CXICON), GetSystemMetrics(SM_CYICON), 0);
    dlg->icon_small = LoadImageW(instance, MAKEINTRESOURCEW(IDI_APP), IMAGE_ICON,
                                 GetSystemMetrics(SM_CXSMICON), GetSystemMetrics(SM_CYSMICON), 0);
    if (dlg->icon_big) SendMessageW(dlg->hwnd, WM_SETICON, ICON_BIG, (LPARAM)dlg->icon_big);
    if (dlg->icon_small) SendMessageW(dlg->hwnd, WM_SETICON, ICON_SMALL, (LPARAM)dlg->icon_small);

    dlg->list = GetDlgItem(dlg->hwnd, IDC_COMPONENTS);
    dlg->details = GetDlgItem(dlg->hwnd, IDC_DETAILS);
    dlg->progress = GetDlgItem(dlg->hwnd, IDC_PROGRESS);
    dlg->status = CreateWindowExW(0, STATUSCLASSNAMEW, NULL, WS_CHILD | WS_VISIBLE | SBARS_SIZEGRIP, 0, 0, 0, 0,
                                  dlg->hwnd, (HMENU)(INT_PTR)IDC_STATUSBAR, instance, NULL);
    if (dlg->status) SendMessageW(dlg->status, WM_SETFONT, (WPARAM)dlg->font, FALSE);
    SendMessageW(dlg->list, LVM_SETEXTENDEDLISTVIEWSTYLE, 0,
                 LVS_EX_FULLROWSELECT | LVS_EX_LABELTIP | LVS_EX_DOUBLEBUFFER);
    for (int i = 0; i < 4; i++) {
        dlg->column_min[i] = gui_dlu_x(&dlg->units, column_dlu[i]);
        gui_list_add_column(dlg->list, i, column_title[i], dlg->column_min[i]);
    }
    make_images(dlg);
    make_bold_font(dlg);
    SendMessageW(dlg->progress, PBM_SETRANGE32, 0, 100);

    if (gui_core.is_elevated(&elevated) == 0) dlg->elevated = elevated;
    update_shields(dlg);
    read_windows_version(dlg);

    layout(dlg);
    grow_to_minimum(dlg);
    show_everything(dlg);

    if (dlg->options.close_after_ms) SetTimer(dlg->hwnd, CLOSE_TIMER_ID, dlg->options.close_after_ms, NULL);
    start_check(dlg);
}

static void on_command(struct main_dialog *dlg, int id)
{
    switch (id) {
    case IDC_REFRESH:
    case IDM_REFRESH:
        start_check(dlg);
        return;
    case IDC_FIX_ALL:
        start_repair(dlg, GUI_FIX_ALL, NULL, FALSE);
        return;
    case IDC_RESTORE: {
        WCHAR backup[MAX_PATH];
        if (dlg->running) return;
        if (restore_dialog_run(dlg->hwnd, dlg->options.data_dir, backup, MAX_PATH))
            start_repair(dlg, REPAIR_RESTORE, backup, FALSE);
        return;
    }
    case IDC_CANCEL_WORK:
        cancel_work(dlg);
        return;
    case IDC_COPY_REPORT:
        copy_report(dlg);
        return;
    case IDC_SAVE_REPORT:
        save_report(dlg);
        return;
    case IDC_OPEN_CATROOT2:
        open_catroot2(dlg);
        return;
    case IDC_OPEN_LOG:
        open_log(dlg);
        return;
    case IDC_SYMPTOMS: {
        enum diag_component component;
        enum diag_repair repair;
        if (symptoms_dialog_run(dlg->hwnd, &component, &repair)) highlight(dlg, component, repair);
        return;
    }
    case IDCANCEL:
        SendMessageW(dlg->hwnd, WM_CLOSE, 0, 0);
        return;
    }
    for (size_t i = 0; i < REPAIR_BUTTON_COUNT; i++)
        if (repair_buttons[i].id == id) start_repair(dlg, repair_buttons[i].repair, NULL, FALSE);
}

/* Closing while a repair runs: cancel it between steps and close once its steps are undone,
 * never leave a half-done repair behind. A check or a wait can simply be dropped. */
static void on_close(struct main_dialog *dlg)
{
    WCHAR text[GUI_TEXT_CCH], title[WORD_CCH];

    if (dlg->running && (dlg->running->kind == JOB_REPAIR || dlg->running->kind == JOB_FIX_ALL)) {
        text_load(IDS_CONFIRM_CLOSE_BUSY, text, GUI_TEXT_CCH);
        text_load(IDS_APP_TITLE, title, WORD_CCH);
        if (gui_core.ask(dlg->hwnd, text, title, MB_YESNO | MB_ICONWARNING) != IDYES) return;
        dlg->close_pending = TRUE;
        cancel_work(dlg);
        return;
    }
    DestroyWindow(dlg->hwnd);
}

static INT_PTR CALLBACK MainDlgProc(HWND hwnd, UINT message, WPARAM wparam, LPARAM lparam)
{
    struct main_dialog *dlg = dialog_of(hwnd);

    if (!dlg && message != WM_INITDIALOG) return FALSE;

    switch (message) {
    case WM_INITDIALOG: {
        dlg = (struct main_dialog *)lparam;
        SetWindowLongPtrW(hwnd, DWLP_USER, (LONG_PTR)dlg);
        dlg->hwnd = hwnd;
        init_dialog(dlg);
        SetFocus(dlg->list);
        return FALSE;   /* we set the focus ourselves: the list, so arrows read the rows */
    }
    case WM_COMMAND: {
        on_command(dlg, LOWORD(wparam));
        return TRUE;
    }
    case WM_NOTIFY: {
        const NMHDR *header = (const NMHDR *)lparam;
        if (header->idFrom == IDC_COMPONENTS && header->code == LVN_ITEMCHANGED) {
            const NMLISTVIEW *change = (const NMLISTVIEW *)lparam;
            if ((change->uChanged & LVIF_STATE) && (change->uNewState & LVIS_SELECTED) &&
                !(change->uOldState & LVIS_SELECTED) && !dlg->filling) {
                dlg->show_result = FALSE;
                show_details(dlg);
            }
        }
        return FALSE;
    }
    case WM_APP_DIAGNOSED: {
        on_diagnosed(dlg, (struct gui_snapshot *)lparam);
        return TRUE;
    }
    case WM_APP_CHECK_DONE: {
        on_check_done(dlg, (struct gui_job *)lparam);
        return TRUE;
    }
    case WM_APP_REPAIR_DONE: {
        on_repair_done(dlg, (struct gui_job *)lparam);
        return TRUE;
    }
    case WM_APP_ELEVATED_DONE: {
        on_elevated_done(dlg, (struct gui_job *)lparam);
        return TRUE;
    }
    case WM_APP_PROGRESS: {
        struct gui_progress *progress = (struct gui_progress *)lparam;
        on_progress(dlg, progress);
        free(progress);
        return TRUE;
    }
    case WM_APP_ASK: {
        BOOL yes = answer_question(dlg, (enum repair_question)wparam, (const WCHAR *)lparam);
        SetWindowLongPtrW(hwnd, DWLP_MSGRESULT, yes);
        return TRUE;
    }
    case WM_SIZE: {
        layout(dlg);
        fit_columns(dlg);
        return TRUE;
    }
    case WM_GETMINMAXINFO: {
        MINMAXINFO *info = (MINMAXINFO *)lparam;
        if (dlg->min_window.cx) {
            info->ptMinTrackSize.x = dlg->min_window.cx;
            info->ptMinTrackSize.y = dlg->min_window.cy;
        }
        return TRUE;
    }
    case WM_DPICHANGED: {
        on_dpi_changed(dlg, HIWORD(wparam), (const RECT *)lparam);
        return TRUE;
    }
    case WM_TIMER: {
        if (wparam != CLOSE_TIMER_ID) return FALSE;
        KillTimer(hwnd, CLOSE_TIMER_ID);
        /* A timed close (tests, screenshots) never asks; a running repair still ends first. */
        if (dlg->running && (dlg->running->kind == JOB_REPAIR || dlg->running->kind == JOB_FIX_ALL)) {
            dlg->close_pending = TRUE;
            cancel_work(dlg);
        } else {
            DestroyWindow(hwnd);
        }
        return TRUE;
    }
    case WM_CLOSE: {
        on_close(dlg);
        return TRUE;
    }
    case WM_DESTROY: {
        /* A worker still running finds the window gone and frees its own job. */
        PostQuitMessage(dlg->exit_code);
        return TRUE;
    }
    case WM_NCDESTROY: {
        SetWindowLongPtrW(hwnd, DWLP_USER, 0);
        if (dlg->icon_big) DestroyIcon(dlg->icon_big);
        if (dlg->icon_small) DestroyIcon(dlg->icon_small);
        if (dlg->images) ImageList_Destroy(dlg->images);
        if (dlg->bold_font) DeleteObject(dlg->bold_font);
        if (dlg->own_font) DeleteObject(dlg->font);
        snapshot_free(dlg->snapshot);
        free(dlg->last_results);
        free(dlg);
        return TRUE;
    }
    }
    return FALSE;
}

BOOL main_dialog_busy(HWND dialog)
{
    struct main_dialog *dlg = dialog_of(dialog);
    return dlg && dlg->running != NULL;
}

/* The dialog's window class: a dialog class with a name of its own, so a second start can
 * find this window (FindWindowW) and bring it forward. */
static BOOL register_class(HINSTANCE instance)
{
    WNDCLASSEXW wc = { 0 };

    wc.cbSize = sizeof(wc);
    if (GetClassInfoExW(instance, MAIN_DIALOG_CLASS, &wc)) return TRUE;
    wc.cbSize = sizeof(wc);
    wc.style = CS_DBLCLKS;
    wc.lpfnWndProc = DefDlgProcW;
    wc.cbWndExtra = DLGWINDOWEXTRA;
    wc.hInstance = instance;
    wc.hIcon = LoadIconW(instance, MAKEINTRESOURCEW(IDI_APP));
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.hbrBackground = (HBRUSH)(COLOR_BTNFACE + 1);
    wc.lpszClassName = MAIN_DIALOG_CLASS;
    return RegisterClassExW(&wc) != 0;
}

HWND main_dialog_create(HINSTANCE instance, const struct gui_options *options)
{
    struct main_dialog *dlg;
    HWND hwnd;

    if (!register_class(instance)) return NULL;
    dlg = calloc(1, sizeof(*dlg));
    if (!dlg) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    dlg->options = *options;
    hwnd = CreateDialogParamW(instance, MAKEINTRESOURCEW(IDD_MAIN), NULL, MainDlgProc, (LPARAM)dlg);
    /* WM_INITDIALOG never destroys the dialog, so NULL means it never ran: dlg is ours. */
    if (!hwnd) free(dlg);
    return hwnd;
}
