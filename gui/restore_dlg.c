/* gui/restore_dlg.c: "Restore a backup…": the backups the repairs made, newest first, with their dates. */
#include "gui.h"
#include "frontend.h"
#include "resource.h"

#include <commctrl.h>
#include <stdlib.h>

#define WORD_CCH 128

struct restore_dialog {
    HWND hwnd;
    HWND list;
    const WCHAR *data_dir;
    struct gui_backup *backups;
    unsigned count;
    int chosen;
};

static void add_column(HWND list, int index, UINT title_id, int width_dlu, HWND dialog)
{
    WCHAR title[WORD_CCH];
    LVCOLUMNW column = { 0 };
    RECT units = { 0, 0, width_dlu, 0 };

    MapDialogRect(dialog, &units);
    text_load(title_id, title, WORD_CCH);
    column.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM;
    column.pszText = title;
    column.cx = units.right;
    column.iSubItem = index;
    SendMessageW(list, LVM_INSERTCOLUMNW, (WPARAM)index, (LPARAM)&column);
}

/* The name's time is UTC; people read local time. */
static void date_text(const SYSTEMTIME *utc, WCHAR *out, DWORD count)
{
    SYSTEMTIME local;
    WCHAR date[64], time[64];

    if (utc->wYear == 0 || !SystemTimeToTzSpecificLocalTime(NULL, utc, &local)) {
        out[0] = L'\0';
        return;
    }
    if (!GetDateFormatW(LOCALE_USER_DEFAULT, DATE_SHORTDATE, &local, NULL, date, 64)) date[0] = 0;
    if (!GetTimeFormatW(LOCALE_USER_DEFAULT, 0, &local, NULL, time, 64)) time[0] = 0;
    text_format(out, count, IDS_BAK_DATE, date, time);
}

static void init(struct restore_dialog *dlg)
{
    WCHAR text[GUI_TEXT_CCH], data[MAX_PATH];
    DWORD error;

    dlg->list = GetDlgItem(dlg->hwnd, IDC_BACKUP_LIST);
    SendMessageW(dlg->list, LVM_SETEXTENDEDLISTVIEWSTYLE, 0, LVS_EX_FULLROWSELECT | LVS_EX_LABELTIP);
    add_column(dlg->list, 0, IDS_BAK_COL_DATE, 90, dlg->hwnd);
    add_column(dlg->list, 1, IDS_BAK_COL_REPAIR, 80, dlg->hwnd);
    add_column(dlg->list, 2, IDS_BAK_COL_FOLDER, 140, dlg->hwnd);

    dlg->backups = calloc(GUI_BACKUPS_MAX, sizeof(*dlg->backups));
    error = dlg->backups ? gui_core.list_backups(dlg->data_dir, dlg->backups, GUI_BACKUPS_MAX, &dlg->count)
                         : ERROR_NOT_ENOUGH_MEMORY;
    if (error) dlg->count = 0;
    for (unsigned i = 0; i < dlg->count; i++) {
        LVITEMW item = { 0 };
        date_text(&dlg->backups[i].created, text, GUI_TEXT_CCH);
        item.mask = LVIF_TEXT;
        item.iItem = (int)i;
        item.pszText = text;
        if (SendMessageW(dlg->list, LVM_INSERTITEMW, 0, (LPARAM)&item) < 0) continue;
        item.iSubItem = 1;
        item.pszText = dlg->backups[i].repair;
        SendMessageW(dlg->list, LVM_SETITEMTEXTW, i, (LPARAM)&item);
        item.iSubItem = 2;
        item.pszText = dlg->backups[i].path;
        SendMessageW(dlg->list, LVM_SETITEMTEXTW, i, (LPARAM)&item);
    }
    if (dlg->count) {
        LVITEMW item = { 0 };
        item.stateMask = item.state = LVIS_SELECTED | LVIS_FOCUSED;
        SendMessageW(dlg->list, LVM_SETITEMSTATE, 0, (LPARAM)&item);
    } else {
        gui_data_dir(dlg->data_dir, data, MAX_PATH);
        if (error) {
            WCHAR why[GUI_TEXT_CCH];
            text_win32_error(error, why, GUI_TEXT_CCH);
            lstrcpynW(text, why, GUI_TEXT_CCH);
        } else {
            text_format(text, GUI_TEXT_CCH, IDS_BAK_NONE, data);
        }
        SetDlgItemTextW(dlg->hwnd, IDC_BACKUP_LABEL, text);
    }
    EnableWindow(GetDlgItem(dlg->hwnd, IDOK), dlg->count > 0);
}

static INT_PTR CALLBACK RestoreDlgProc(HWND hwnd, UINT message, WPARAM wparam, LPARAM lparam)
{
    struct restore_dialog *dlg = (struct restore_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);

    if (!dlg && message != WM_INITDIALOG) return FALSE;
    switch (message) {
    case WM_INITDIALOG: {
        dlg = (struct restore_dialog *)lparam;
        SetWindowLongPtrW(hwnd, DWLP_USER, (LONG_PTR)dlg);
        dlg->hwnd = hwnd;
        init(dlg);
        SetFocus(dlg->list);
        return FALSE;
    }
    case WM_COMMAND: {
        switch (LOWORD(wparam)) {
        case IDOK:
            dlg->chosen = (int)SendMessageW(dlg->list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
            if (dlg->chosen < 0 || (unsigned)dlg->chosen >= dlg->count) return TRUE;
            EndDialog(hwnd, IDOK);
            return TRUE;
        case IDCANCEL:
            EndDialog(hwnd, IDCANCEL);
            return TRUE;
        }
        return FALSE;
    }
    case WM_NOTIFY: {
        const NMHDR *header = (const NMHDR *)lparam;
        if (header->idFrom == IDC_BACKUP_LIST && header->code == NM_DBLCLK) PostMessageW(hwnd, WM_COMMAND, IDOK, 0);
        return FALSE;
    }
    }
    return FALSE;
}

BOOL restore_dialog_run(HWND owner, const WCHAR *data_dir, WCHAR *backup, DWORD count)
{
    struct restore_dialog dlg = { 0 };
    BOOL chosen;

    dlg.data_dir = data_dir && data_dir[0] ? data_dir : NULL;
    dlg.chosen = -1;
    chosen = DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_RESTORE), owner, RestoreDlgProc,
                             (LPARAM)&dlg) == IDOK && dlg.chosen >= 0;
    if (chosen) lstrcpynW(backup, dlg.backups[dlg.chosen].path, (int)count);
    free(dlg.backups);
    return chosen;
}
