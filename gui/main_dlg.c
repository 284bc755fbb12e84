/* gui/main_dlg.c: the main dialog: a summary line and one ListView row per component. */
#include "gui.h"
#include "resource.h"

#include "pure/svc_names.h"
#include "win/svc.h"

#include <commctrl.h>
#include <limits.h>
#include <stdlib.h>
#include <wchar.h>

#define CLOSE_TIMER_ID 1
#define WORD_CCH 128

/* One per dialog; set at WM_INITDIALOG, freed at WM_NCDESTROY. */
struct main_dialog {
    HWND hwnd;
    HWND list;
    HICON icon_big;
    HICON icon_small;
    struct gui_options options;
    BOOL checking;                 /* a worker is running; Refresh waits for it */
    int column_min[3];             /* column widths in pixels from the template's units */
};

/* What a worker is given and hands back; allocated by the UI thread, freed by whoever
 * holds it last (the UI thread on WM_APP_CHECK_DONE, the worker if posting failed). */
struct check_job {
    HWND dialog;
    WCHAR machine[GUI_MACHINE_CCH];
    DWORD error;                   /* svc_query's result */
    struct svc_info info;          /* valid when error is 0 */
};

/* The sub-services of CryptSvc. No check reads them yet, and the rows say so. */
static const struct {
    UINT name;
    UINT recommended;
} sub_services[] = {
    { IDS_ROW_CATALOG_DB, IDS_VAL_HEALTHY },
    { IDS_ROW_PROTECTED_ROOT, IDS_VAL_WORKING },
    { IDS_ROW_KEY_SERVICE, IDS_VAL_WORKING },
    { IDS_ROW_AUTO_ROOT_UPDATE, IDS_VAL_ENABLED },
};

/* Words for a failed query, by enum svc_failure: the cell and the summary sentence.
 * 0 in `cell` means "the system's text for the error number". */
static const struct {
    UINT cell;
    UINT summary;
} failure_words[] = {
    [SVC_FAIL_NONE] = { 0, IDS_SUM_ERROR },
    [SVC_FAIL_NOT_INSTALLED] = { IDS_FAIL_NOT_INSTALLED, IDS_SUM_NOT_INSTALLED },
    [SVC_FAIL_ACCESS_DENIED] = { IDS_FAIL_ACCESS_DENIED, IDS_SUM_ACCESS_DENIED },
    [SVC_FAIL_UNREACHABLE] = { IDS_FAIL_UNREACHABLE, IDS_SUM_UNREACHABLE },
    [SVC_FAIL_TIMEOUT] = { IDS_FAIL_TIMEOUT, IDS_SUM_TIMEOUT },
    [SVC_FAIL_OTHER] = { 0, IDS_SUM_ERROR },
};

static unsigned failure_index(DWORD error)
{
    unsigned kind = (unsigned)svc_classify(error);
    return kind < sizeof(failure_words) / sizeof(failure_words[0]) ? kind : SVC_FAIL_OTHER;
}

static void failure_text(DWORD error, WCHAR *out, DWORD count)
{
    UINT id = failure_words[failure_index(error)].cell;
    if (id)
        text_load(id, out, count);
    else
        text_win32_error(error, out, count);
}

/* "Running" (cell) or "running" (inside a sentence), from the STRINGTABLE. */
static void state_text(UINT base, DWORD state, WCHAR *out, DWORD count)
{
    if (state >= SVC_STATE_STOPPED && state <= SVC_STATE_PAUSED)
        text_load(base + state, out, count);
    else
        text_format(out, count, IDS_VAL_UNKNOWN_STATE, state);
}

static void start_text(DWORD start_type, int delayed_auto, WCHAR *out, DWORD count)
{
    uint32_t effective = svc_start_effective(start_type, delayed_auto);

    if (effective == SVC_START_DELAYED_AUTO)
        text_load(IDS_START_DELAYED_AUTO, out, count);
    else if (effective <= SVC_START_DISABLED)
        text_load(IDS_START_BASE + effective, out, count);
    else
        text_format(out, count, IDS_VAL_UNKNOWN_START, start_type);
}

/* "Running · Automatic" */
static void state_start_text(DWORD state, DWORD start_type, int delayed_auto, WCHAR *out, DWORD count)
{
    WCHAR state_word[WORD_CCH], start_word[WORD_CCH];

    state_text(IDS_STATE_BASE, state, state_word, WORD_CCH);
    start_text(start_type, delayed_auto, start_word, WORD_CCH);
    text_format(out, count, IDS_VAL_STATE_START, state_word, start_word);
}

static void list_add_row(HWND list, const WCHAR *component, const WCHAR *current, const WCHAR *recommended)
{
    LVITEMW item = { 0 };
    int index;

    item.mask = LVIF_TEXT;
    item.iItem = INT_MAX;
    item.pszText = (WCHAR *)component;
    index = (int)SendMessageW(list, LVM_INSERTITEMW, 0, (LPARAM)&item);
    if (index < 0) return;

    item.iSubItem = 1;
    item.pszText = (WCHAR *)current;
    SendMessageW(list, LVM_SETITEMTEXTW, (WPARAM)index, (LPARAM)&item);
    item.iSubItem = 2;
    item.pszText = (WCHAR *)recommended;
    SendMessageW(list, LVM_SETITEMTEXTW, (WPARAM)index, (LPARAM)&item);
}

/* A row of text all taken from the STRINGTABLE. */
static void list_add_ids(HWND list, UINT component, UINT current, UINT recommended)
{
    WCHAR a[GUI_TEXT_CCH], b[GUI_TEXT_CCH], c[GUI_TEXT_CCH];

    text_load(component, a, GUI_TEXT_CCH);
    text_load(current, b, GUI_TEXT_CCH);
    text_load(recommended, c, GUI_TEXT_CCH);
    list_add_row(list, a, b, c);
}

static void list_add_link(HWND list, UINT row_format, const struct svc_link *link, UINT recommended)
{
    WCHAR component[GUI_TEXT_CCH], current[GUI_TEXT_CCH], wanted[GUI_TEXT_CCH];

    text_format(component, GUI_TEXT_CCH, row_format, link->display_name[0] ? link->display_name : link->name);
    if (link->error)
        failure_text(link->error, current, GUI_TEXT_CCH);
    else
        state_start_text(link->state, link->start_type, -1, current, GUI_TEXT_CCH);
    text_load(recommended, wanted, GUI_TEXT_CCH);
    list_add_row(list, component, current, wanted);
}

/* A link list that could not be read at all gets one row saying why. */
static void list_add_unreadable(HWND list, UINT row, DWORD error)
{
    WCHAR component[GUI_TEXT_CCH], why[GUI_TEXT_CCH], current[GUI_TEXT_CCH];

    text_load(row, component, GUI_TEXT_CCH);
    failure_text(error, why, GUI_TEXT_CCH);
    text_format(current, GUI_TEXT_CCH, IDS_VAL_LIST_UNREADABLE, why);
    list_add_row(list, component, current, L"");
}

/* Columns never get narrower than the template allows; wider when the text needs it. */
static void fit_columns(struct main_dialog *dlg)
{
    for (int column = 0; column < 3; column++) {
        int width;
        SendMessageW(dlg->list, LVM_SETCOLUMNWIDTH, (WPARAM)column, MAKELPARAM(LVSCW_AUTOSIZE_USEHEADER, 0));
        width = (int)SendMessageW(dlg->list, LVM_GETCOLUMNWIDTH, (WPARAM)column, 0);
        if (width < dlg->column_min[column])
            SendMessageW(dlg->list, LVM_SETCOLUMNWIDTH, (WPARAM)column, MAKELPARAM(dlg->column_min[column], 0));
    }
}

/* Rows: CryptSvc itself, its four sub-services, then the services it needs and the
 * services that need it. `job` is NULL before the first check has answered. */
static void fill_rows(struct main_dialog *dlg, const struct check_job *job)
{
    HWND list = dlg->list;
    WCHAR name[GUI_TEXT_CCH], current[GUI_TEXT_CCH], wanted[GUI_TEXT_CCH];
    int selected = (int)SendMessageW(list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);

    SendMessageW(list, WM_SETREDRAW, FALSE, 0);
    SendMessageW(list, LVM_DELETEALLITEMS, 0, 0);

    text_load(IDS_ROW_CRYPTSVC, name, GUI_TEXT_CCH);
    if (!job)
        text_load(IDS_VAL_CHECKING, current, GUI_TEXT_CCH);
    else if (job->error)
        failure_text(job->error, current, GUI_TEXT_CCH);
    else
        state_start_text(job->info.state, job->info.start_type, job->info.delayed_auto, current, GUI_TEXT_CCH);
    text_load(IDS_VAL_RECOMMENDED_SVC, wanted, GUI_TEXT_CCH);
    list_add_row(list, name, current, wanted);

    for (size_t i = 0; i < sizeof(sub_services) / sizeof(sub_services[0]); i++)
        list_add_ids(list, sub_services[i].name, IDS_VAL_NOT_CHECKED, sub_services[i].recommended);

    if (job && !job->error) {
        const struct svc_info *info = &job->info;
        if (info->depends_error)
            list_add_unreadable(list, IDS_ROW_DEPENDENCIES, info->depends_error);
        for (DWORD i = 0; i < info->depends_count && i < SVC_MAX_LINKS; i++)
            list_add_link(list, IDS_ROW_DEPENDENCY, &info->depends_on[i], IDS_VAL_RUNNING);
        if (info->dependents_error)
            list_add_unreadable(list, IDS_ROW_DEPENDENTS, info->dependents_error);
        for (DWORD i = 0; i < info->dependents_count && i < SVC_MAX_LINKS; i++)
            list_add_link(list, IDS_ROW_DEPENDENT, &info->dependents[i], IDS_VAL_NOT_REQUIRED);
    }

    if (selected >= 0 && selected < (int)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0)) {
        LVITEMW item = { 0 };
        item.stateMask = LVIS_SELECTED | LVIS_FOCUSED;
        item.state = LVIS_SELECTED | LVIS_FOCUSED;
        SendMessageW(list, LVM_SETITEMSTATE, (WPARAM)selected, (LPARAM)&item);
    }

    fit_columns(dlg);
    SendMessageW(list, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(list, NULL, TRUE);
}

static const WCHAR *machine_words(const struct main_dialog *dlg, WCHAR *buffer, DWORD count)
{
    if (dlg->options.machine[0]) return dlg->options.machine;
    text_load(IDS_THIS_COMPUTER, buffer, count);
    return buffer;
}

/* The summary line: what is wrong, in one or two plain sentences. */
static void summarize(const struct main_dialog *dlg, const struct check_job *job, WCHAR *out, DWORD count)
{
    WCHAR machine_buffer[GUI_TEXT_CCH], why[GUI_TEXT_CCH];
    const WCHAR *machine = machine_words(dlg, machine_buffer, GUI_TEXT_CCH);
    WCHAR state_word[WORD_CCH], start_word[WORD_CCH];
    const struct svc_info *info = &job->info;
    size_t used;

    if (job->error) {
        text_win32_error(job->error, why, GUI_TEXT_CCH);
        text_format(out, count, failure_words[failure_index(job->error)].summary, machine, why);
        return;
    }

    state_text(IDS_STATE_SENTENCE_BASE, info->state, state_word, WORD_CCH);
    start_text(info->start_type, info->delayed_auto, start_word, WORD_CCH);
    text_format(out, count, IDS_SUM_STATE, state_word, start_word);

    /* A service it needs that is not running is a finding of its own (DESIGN point 4). */
    used = wcslen(out);
    for (DWORD i = 0; i < info->depends_count && i < SVC_MAX_LINKS; i++) {
        const struct svc_link *link = &info->depends_on[i];
        WCHAR sentence[GUI_TEXT_CCH];
        size_t length;

        if (link->error)
            continue;   /* its row says why; the summary stays about what is known */
        if (link->state == SVC_STATE_RUNNING)
            continue;
        state_text(IDS_STATE_SENTENCE_BASE, link->state, state_word, WORD_CCH);
        text_format(sentence, GUI_TEXT_CCH, IDS_SUM_DEPENDENCY_DOWN,
                    link->display_name[0] ? link->display_name : link->name, state_word);
        length = wcslen(sentence);
        if (used + length >= count) break;
        wcscpy(out + used, sentence);
        used += length;
    }
}

static DWORD WINAPI check_worker(void *param)
{
    struct check_job *job = param;

    job->error = svc_query(job->machine[0] ? job->machine : NULL, L"CryptSvc", &job->info);
    /* Only the UI thread touches the dialog; if it is gone, nobody will free the job. */
    if (!PostMessageW(job->dialog, WM_APP_CHECK_DONE, 0, (LPARAM)job))
        free(job);
    return 0;
}

static void set_summary(struct main_dialog *dlg, const WCHAR *text)
{
    SetDlgItemTextW(dlg->hwnd, IDC_SUMMARY, text);
}

static void start_check(struct main_dialog *dlg)
{
    WCHAR text[GUI_TEXT_CCH], machine_buffer[GUI_TEXT_CCH], why[GUI_TEXT_CCH];
    struct check_job *job;
    HANDLE thread;

    if (dlg->checking) return;

    job = calloc(1, sizeof(*job));
    if (!job) {
        text_win32_error(ERROR_NOT_ENOUGH_MEMORY, text, GUI_TEXT_CCH);
        set_summary(dlg, text);
        return;
    }
    job->dialog = dlg->hwnd;
    wcscpy(job->machine, dlg->options.machine);

    thread = CreateThread(NULL, 0, check_worker, job, 0, NULL);
    if (!thread) {
        DWORD error = GetLastError();
        free(job);
        text_win32_error(error, why, GUI_TEXT_CCH);
        text_format(text, GUI_TEXT_CCH, IDS_SUM_ERROR, machine_words(dlg, machine_buffer, GUI_TEXT_CCH), why);
        set_summary(dlg, text);
        return;
    }
    CloseHandle(thread);
    dlg->checking = TRUE;

    text_format(text, GUI_TEXT_CCH, IDS_SUM_CHECKING, machine_words(dlg, machine_buffer, GUI_TEXT_CCH));
    set_summary(dlg, text);
}

static void add_column(HWND list, int index, UINT title_id, int width)
{
    WCHAR title[WORD_CCH];
    LVCOLUMNW column = { 0 };

    text_load(title_id, title, WORD_CCH);
    column.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM;
    column.pszText = title;
    column.cx = width;
    column.iSubItem = index;
    SendMessageW(list, LVM_INSERTCOLUMNW, (WPARAM)index, (LPARAM)&column);
}

static void init_dialog(struct main_dialog *dlg)
{
    HINSTANCE instance = GetModuleHandleW(NULL);
    WCHAR title[WORD_CCH];
    /* Column widths in dialog units, so they grow with the dialog font and the DPI. */
    RECT units = { 0, 0, 0, 0 };
    static const int column_dlu[3] = { 160, 112, 94 };
    static const UINT column_title[3] = { IDS_COL_COMPONENT, IDS_COL_CURRENT, IDS_COL_RECOMMENDED };

    text_load(IDS_APP_TITLE, title, WORD_CCH);
    SetWindowTextW(dlg->hwnd, title);

    dlg->icon_big = LoadImageW(instance, MAKEINTRESOURCEW(IDI_APP), IMAGE_ICON,
                               GetSystemMetrics(SM_CXICON), GetSystemMetrics(SM_CYICON), 0);
    dlg->icon_small = LoadImageW(instance, MAKEINTRESOURCEW(IDI_APP), IMAGE_ICON,
                                 GetSystemMetrics(SM_CXSMICON), GetSystemMetrics(SM_CYSMICON), 0);
    if (dlg->icon_big) SendMessageW(dlg->hwnd, WM_SETICON, ICON_BIG, (LPARAM)dlg->icon_big);
    if (dlg->icon_small) SendMessageW(dlg->hwnd, WM_SETICON, ICON_SMALL, (LPARAM)dlg->icon_small);

    dlg->list = GetDlgItem(dlg->hwnd, IDC_COMPONENTS);
    SendMessageW(dlg->list, LVM_SETEXTENDEDLISTVIEWSTYLE, 0,
                 LVS_EX_FULLROWSELECT | LVS_EX_LABELTIP | LVS_EX_DOUBLEBUFFER);
    for (int i = 0; i < 3; i++) {
        units.right = column_dlu[i];
        MapDialogRect(dlg->hwnd, &units);
        dlg->column_min[i] = units.right;
        add_column(dlg->list, i, column_title[i], units.right);
    }

    fill_rows(dlg, NULL);

    if (dlg->options.close_after_ms)
        SetTimer(dlg->hwnd, CLOSE_TIMER_ID, dlg->options.close_after_ms, NULL);

    start_check(dlg);
}

static INT_PTR CALLBACK MainDlgProc(HWND hwnd, UINT message, WPARAM wparam, LPARAM lparam)
{
    struct main_dialog *dlg = (struct main_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);

    if (!dlg && message != WM_INITDIALOG) return FALSE;

    switch (message) {
    case WM_INITDIALOG: {
        dlg = (struct main_dialog *)lparam;
        SetWindowLongPtrW(hwnd, DWLP_USER, (LONG_PTR)dlg);
        dlg->hwnd = hwnd;
        init_dialog(dlg);
        return TRUE;   /* focus goes to the first tab stop, the list */
    }
    case WM_COMMAND: {
        switch (LOWORD(wparam)) {
        case IDC_REFRESH:
        case IDM_REFRESH:
            start_check(dlg);
            return TRUE;
        case IDCANCEL:
            DestroyWindow(hwnd);
            return TRUE;
        }
        return FALSE;
    }
    case WM_APP_CHECK_DONE: {
        struct check_job *job = (struct check_job *)lparam;
        WCHAR summary[GUI_TEXT_CCH];

        dlg->checking = FALSE;
        fill_rows(dlg, job);
        summarize(dlg, job, summary, GUI_TEXT_CCH);
        set_summary(dlg, summary);
        free(job);
        return TRUE;
    }
    case WM_TIMER: {
        if (wparam != CLOSE_TIMER_ID) return FALSE;
        KillTimer(hwnd, CLOSE_TIMER_ID);
        PostMessageW(hwnd, WM_CLOSE, 0, 0);
        return TRUE;
    }
    case WM_CLOSE: {
        DestroyWindow(hwnd);
        return TRUE;
    }
    case WM_DESTROY: {
        PostQuitMessage(0);
        return TRUE;
    }
    case WM_NCDESTROY: {
        SetWindowLongPtrW(hwnd, DWLP_USER, 0);
        if (dlg->icon_big) DestroyIcon(dlg->icon_big);
        if (dlg->icon_small) DestroyIcon(dlg->icon_small);
        free(dlg);
        return TRUE;
    }
    }
    return FALSE;
}

HWND main_dialog_create(HINSTANCE instance, const struct gui_options *options)
{
    struct main_dialog *dlg = calloc(1, sizeof(*dlg));
    HWND hwnd;

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
