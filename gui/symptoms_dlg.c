/* gui/symptoms_dlg.c: "I see this error…": type a code or words, see what it means here and which repair to try. */
#include "gui.h"
#include "resource.h"

#include "pure/symptoms.h"

#include <commctrl.h>
#include <limits.h>
#include <stdlib.h>

#define MATCH_MAX 64
#define WORD_CCH 128

struct symptoms_dialog {
    HWND hwnd;
    HWND list;
    const struct symptom *shown[MATCH_MAX];
    size_t shown_count;
    const struct symptom *chosen;
};

static const struct symptom *selected(const struct symptoms_dialog *dlg)
{
    int index = (int)SendMessageW(dlg->list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
    return index >= 0 && (size_t)index < dlg->shown_count ? dlg->shown[index] : NULL;
}

static void explain(struct symptoms_dialog *dlg)
{
    const struct symptom *symptom = selected(dlg);
    WCHAR text[GUI_TEXT_CCH], explanation[GUI_TEXT_CCH], component[WORD_CCH], repair[WORD_CCH];

    if (!symptom) {
        text_load(dlg->shown_count ? IDS_DET_SELECT_ROW : IDS_SYM_NONE, text, GUI_TEXT_CCH);
    } else {
        text_from_utf8(symptom->explanation, explanation, GUI_TEXT_CCH);
        text_load(IDS_COMP_BASE + (symptom->component < DIAG_COMPONENT_COUNT ? symptom->component : 0), component,
                  WORD_CCH);
        text_load(IDS_REPAIR_BASE + (symptom->repair < REPAIR_COUNT ? symptom->repair : 0), repair, WORD_CCH);
        if (!symptom->ours)
            text_format(text, GUI_TEXT_CCH, IDS_SYM_NOT_OURS, explanation);
        else if (symptom->repair == REPAIR_NONE)
            text_format(text, GUI_TEXT_CCH, IDS_SYM_OURS_NO_REPAIR, explanation, component);
        else
            text_format(text, GUI_TEXT_CCH, IDS_SYM_OURS, explanation, component, repair);
    }
    SetDlgItemTextW(dlg->hwnd, IDC_SYM_EXPLAIN, text);
    EnableWindow(GetDlgItem(dlg->hwnd, IDOK), symptom && symptom->ours);
}

/* The table's entries that match what was typed (all of them while the box is empty). */
static void refill(struct symptoms_dialog *dlg)
{
    WCHAR input[256], cell[GUI_TEXT_CCH];
    char utf8[768];
    size_t table_count;
    const struct symptom *table = symptom_table(&table_count);

    GetDlgItemTextW(dlg->hwnd, IDC_SYM_INPUT, input, 256);
    if (!WideCharToMultiByte(CP_UTF8, 0, input, -1, utf8, sizeof(utf8), NULL, NULL)) utf8[0] = 0;
    if (utf8[0]) {
        size_t found = symptom_find(utf8, dlg->shown, MATCH_MAX);
        dlg->shown_count = found < MATCH_MAX ? found : MATCH_MAX;
    } else {
        dlg->shown_count = table_count < MATCH_MAX ? table_count : MATCH_MAX;
        for (size_t i = 0; i < dlg->shown_count; i++) dlg->shown[i] = &table[i];
    }

    SendMessageW(dlg->list, WM_SETREDRAW, FALSE, 0);
    SendMessageW(dlg->list, LVM_DELETEALLITEMS, 0, 0);
    for (size_t i = 0; i < dlg->shown_count; i++) {
        LVITEMW item = { 0 };
        const struct symptom *symptom = dlg->shown[i];
        if (symptom->code)
            wsprintfW(cell, L"0x%08X", (unsigned)symptom->code);
        else
            cell[0] = L'\0';
        item.mask = LVIF_TEXT;
        item.iItem = (int)i;
        item.pszText = cell;
        if (SendMessageW(dlg->list, LVM_INSERTITEMW, 0, (LPARAM)&item) < 0) continue;
        text_from_utf8(symptom->message, cell, GUI_TEXT_CCH);
        item.iSubItem = 1;
        item.pszText = cell;
        SendMessageW(dlg->list, LVM_SETITEMTEXTW, i, (LPARAM)&item);
    }
    if (dlg->shown_count) {
        LVITEMW item = { 0 };
        item.stateMask = item.state = LVIS_SELECTED | LVIS_FOCUSED;
        SendMessageW(dlg->list, LVM_SETITEMSTATE, 0, (LPARAM)&item);
    }
    SendMessageW(dlg->list, WM_SETREDRAW, TRUE, 0);
    explain(dlg);
}

static void init(struct symptoms_dialog *dlg)
{
    RECT units = { 0, 0, 62, 0 }, list;
    int code_width;

    dlg->list = GetDlgItem(dlg->hwnd, IDC_SYM_LIST);
    SendMessageW(dlg->list, LVM_SETEXTENDEDLISTVIEWSTYLE, 0, LVS_EX_FULLROWSELECT | LVS_EX_LABELTIP);
    MapDialogRect(dlg->hwnd, &units);
    code_width = units.right;
    GetClientRect(dlg->list, &list);
    gui_list_add_column(dlg->list, 0, IDS_SYM_COL_CODE, code_width);
    gui_list_add_column(dlg->list, 1, IDS_SYM_COL_MESSAGE, list.right - code_width - GetSystemMetrics(SM_CXVSCROLL));
    refill(dlg);
}

static INT_PTR CALLBACK SymptomsDlgProc(HWND hwnd, UINT message, WPARAM wparam, LPARAM lparam)
{
    struct symptoms_dialog *dlg = (struct symptoms_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);

    if (!dlg && message != WM_INITDIALOG) return FALSE;
    switch (message) {
    case WM_INITDIALOG: {
        dlg = (struct symptoms_dialog *)lparam;
        SetWindowLongPtrW(hwnd, DWLP_USER, (LONG_PTR)dlg);
        dlg->hwnd = hwnd;
        init(dlg);
        return TRUE;   /* focus on the edit box, the first tab stop */
    }
    case WM_COMMAND: {
        switch (LOWORD(wparam)) {
        case IDC_SYM_INPUT:
            if (HIWORD(wparam) == EN_CHANGE) refill(dlg);
            return TRUE;
        case IDOK:
            dlg->chosen = selected(dlg);
            if (!dlg->chosen || !dlg->chosen->ours) return TRUE;
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
        if (header->idFrom == IDC_SYM_LIST && header->code == LVN_ITEMCHANGED) explain(dlg);
        if (header->idFrom == IDC_SYM_LIST && header->code == NM_DBLCLK) PostMessageW(hwnd, WM_COMMAND, IDOK, 0);
        return FALSE;
    }
    }
    return FALSE;
}

BOOL symptoms_dialog_run(HWND owner, enum diag_component *component, enum diag_repair *repair)
{
    struct symptoms_dialog dlg = { 0 };

    if (DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_SYMPTOMS), owner, SymptomsDlgProc,
                        (LPARAM)&dlg) != IDOK || !dlg.chosen)
        return FALSE;
    *component = dlg.chosen->component;
    *repair = dlg.chosen->repair;
    return TRUE;
}
