/* tests/gui/test_gui.c: the main dialog in-process, against a fake machine played through gui_core (gui/frontend.h). */
#include "harness/test.h"

#include "gui.h"
#include "frontend.h"
#include "resource.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/*
 * The dialog runs on this thread; the fake core runs on the dialog's worker. Every test
 * creates a dialog, waits for its first check, clicks buttons with BM_CLICK and reads
 * what the dialog shows (LVM_GETITEMTEXT, the summary and step lines, the details pane).
 * Modal windows (the confirmation when it is the real MessageBox, the backup chooser, the
 * symptom finder) are answered by a helper thread that finds them by title.
 */

/* ---- the fake machine ----------------------------------------------------------------------- */

static struct {
    BOOL automatic, running, hung;         /* CryptSvc */
    BOOL catalog_corrupt, logs_piled, dlls_broken;
    BOOL elevated;
    enum diag_repair fail;                 /* this repair fails with fail_error */
    DWORD fail_error;
    HANDLE gate;                           /* when set: each step waits for this event */
    BOOL ask_question;                     /* the repair asks the user (a file in use) */
    BOOL question_answer;                  /* what the dialog answered */
    /* what the dialog did */
    int diagnose_calls, run_calls, ask_calls, launch_calls, open_calls;
    enum diag_repair last_run;
    WCHAR last_backup[MAX_PATH];
    WCHAR ask_text[8192];
    int ask_answer;                        /* IDOK, IDCANCEL, IDYES */
    WCHAR launch_parameters[2048];
    WCHAR open_file[MAX_PATH], open_parameters[MAX_PATH * 2];
} fake;

static const WCHAR *fake_steps[] = { L"Stop CryptSvc", L"Move the files aside", L"Start CryptSvc" };
#define FAKE_STEP_COUNT 3

static void fake_machine_broken(void)
{
    HANDLE gate = fake.gate;
    memset(&fake, 0, sizeof(fake));
    fake.gate = gate;
    fake.catalog_corrupt = TRUE;
    fake.logs_piled = TRUE;
    fake.dlls_broken = TRUE;
    fake.elevated = TRUE;
    fake.ask_answer = IDOK;
}

static DWORD fake_diagnose(const WCHAR *machine, const struct diag_options *options, struct diagnosis *out)
{
    struct diag_row *row;

    (void)machine;
    (void)options;
    fake.diagnose_calls++;
    diag_init(out);

    row = diag_add_row(out, DIAG_SERVICE, "Cryptographic Services (CryptSvc)");
    row->severity = DIAG_OK;
    diag_format(row->current, sizeof(row->current), "%s, %s", fake.running ? (fake.hung ? "Not responding" : "Running") : "Stopped",
                fake.automatic ? "Automatic" : "Manual");
    diag_copy(row->recommended, sizeof(row->recommended), "Running, Automatic");
    if (!fake.automatic) {
        diag_raise(row, DIAG_PROBLEM);
        diag_copy(row->headline, sizeof(row->headline), "Cryptographic Services is stopped and set to Manual.");
        diag_evidence(row, "start type is Manual (3)");
        row->repair = REPAIR_SET_AUTOMATIC;
    } else if (fake.hung) {
        diag_raise(row, DIAG_PROBLEM);
        diag_copy(row->headline, sizeof(row->headline), "Cryptographic Services is not responding.");
        diag_evidence(row, "stop pending for 120 s");
        row->repair = REPAIR_RESTART_SERVICE;
    }

    row = diag_add_row(out, DIAG_CATALOG_DB, "Catalog Database Service");
    row->severity = DIAG_OK;
    diag_copy(row->recommended, sizeof(row->recommended), "Healthy");
    if (fake.catalog_corrupt) {
        diag_raise(row, DIAG_PROBLEM);
        diag_copy(row->current, sizeof(row->current), "Corrupt");
        diag_copy(row->headline, sizeof(row->headline), "The catalog database looks corrupt.");
        diag_evidence(row, "page 1 872 of 4 096 fails its checksum");
        row->repair = REPAIR_REBUILD_CATALOG;
    } else if (fake.logs_piled) {
        diag_raise(row, DIAG_WARNING);
        diag_copy(row->current, sizeof(row->current), "1 500 log files");
        diag_copy(row->headline, sizeof(row->headline), "Database log files are piling up.");
        diag_evidence(row, "1 500 Edb*.log files in catroot2");
        row->repair = REPAIR_CLEAR_LOGS;
    } else {
        diag_copy(row->current, sizeof(row->current), "Healthy");
    }

    row = diag_add_row(out, DIAG_KEY_SERVICE, "Key Service");
    row->severity = DIAG_OK;
    diag_copy(row->recommended, sizeof(row->recommended), "Working");
    diag_copy(row->current, sizeof(row->current), fake.dlls_broken ? "Provider not registered" : "Working");
    if (fake.dlls_broken) {
        diag_raise(row, DIAG_WARNING);
        diag_copy(row->headline, sizeof(row->headline), "A crypto DLL is not registered.");
        row->repair = REPAIR_REREGISTER_DLLS;
    }

    row = diag_add_row(out, DIAG_ROOT_UPDATE, "Automatic Root Certificate Update");
    diag_copy(row->current, sizeof(row->current), "Could not check");
    diag_copy(row->recommended, sizeof(row->recommended), "Enabled");
    diag_evidence(row, "could not check: Wine has no AuthRoot store");

    diag_summarize(out);
    return 0;
}

static DWORD fake_describe(enum diag_repair repair, const struct repair_options *options, struct repair_result *out)
{
    (void)repair;
    (void)options;
    memset(out, 0, sizeof(*out));
    out->step_count = FAKE_STEP_COUNT;
    for (unsigned i = 0; i < FAKE_STEP_COUNT; i++) wcscpy(out->steps[i].text, fake_steps[i]);
    return 0;
}

static void fake_apply(enum diag_repair repair)
{
    switch ((int)repair) {
    case REPAIR_SET_AUTOMATIC: fake.automatic = fake.running = TRUE; break;
    case REPAIR_RESTART_SERVICE: fake.running = TRUE; fake.hung = FALSE; break;
    case REPAIR_CLEAR_LOGS: fake.logs_piled = FALSE; break;
    case REPAIR_REBUILD_CATALOG: fake.catalog_corrupt = fake.logs_piled = FALSE; break;
    case REPAIR_REREGISTER_DLLS: fake.dlls_broken = FALSE; break;
    case REPAIR_RESTORE: fake.catalog_corrupt = TRUE; break;
    default: break;
    }
}

static DWORD fake_run(enum diag_repair repair, const struct repair_options *options, struct repair_result *out)
{
    memset(out, 0, sizeof(*out));
    fake.run_calls++;
    fake.last_run = repair;
    out->step_count = FAKE_STEP_COUNT;
    for (unsigned i = 0; i < FAKE_STEP_COUNT; i++) {
        wcscpy(out->steps[i].text, fake_steps[i]);
        if (options->progress(options->context, i, FAKE_STEP_COUNT, fake_steps[i]) == REPAIR_CANCEL) {
            for (unsigned j = 0; j < i; j++) out->steps[j].status = REPAIR_STEP_UNDONE;
            out->cancelled = out->rolled_back = TRUE;
            out->error = ERROR_CANCELLED;
            wcscpy(out->message, L"Cancelled; nothing was changed.");
            return out->error;
        }
        if (fake.gate) WaitForSingleObject(fake.gate, 10000);
        if (i == 1 && fake.ask_question)
            fake.question_answer = options->confirm(options->context, REPAIR_ASK_DELAY_UNTIL_REBOOT, L"catroot2\\edb.log is in use");
        if (i == 1 && repair == fake.fail) {
            out->steps[i].status = REPAIR_STEP_FAILED;
            out->steps[i].error = fake.fail_error;
            wcscpy(out->steps[i].detail, L"catroot2 is in use by another program");
            out->steps[0].status = REPAIR_STEP_UNDONE;
            out->error = fake.fail_error;
            out->rolled_back = TRUE;
            wcscpy(out->message, L"The steps already done were undone.");
            return out->error;
        }
        out->steps[i].status = REPAIR_STEP_DONE;
    }
    wcscpy(out->backup_dir, L"C:\\ProgramData\\CryptSvcDoctor\\backups\\20261125-074103-test");
    wcscpy(out->message, L"All steps done.");
    fake_apply(repair);
    return 0;
}

static DWORD fake_fix_all(const enum diag_repair *repairs, size_t count, const struct repair_options *options,
                          repair_rediagnose_fn rediagnose, struct repair_result *results, size_t *ran)
{
    DWORD error = 0;

    *ran = 0;
    for (size_t i = 0; i < count && !error; i++) {
        error = fake_run(repairs[i], options, &results[i]);
        *ran = i + 1;
    }
    if (rediagnose) rediagnose(options->context);
    return error;
}

static DWORD fake_restore(const WCHAR *backup, const struct repair_options *options, struct repair_result *out)
{
    lstrcpynW(fake.last_backup, backup, MAX_PATH);
    return fake_run(REPAIR_RESTORE, options, out);
}

static DWORD fake_describe_restore(const WCHAR *backup, const struct repair_options *options, struct repair_result *out)
{
    (void)backup;
    return fake_describe(REPAIR_RESTORE, options, out);
}

static DWORD fake_is_elevated(BOOL *elevated)
{
    *elevated = fake.elevated;
    return 0;
}

static DWORD fake_list_backups(const WCHAR *data_dir, struct gui_backup *out, unsigned max, unsigned *count)
{
    (void)data_dir;
    if (max < 1) return ERROR_INSUFFICIENT_BUFFER;
    memset(out, 0, sizeof(*out));
    wcscpy(out->name, L"20261125-074103-rebuild_catalog");
    wcscpy(out->path, L"C:\\ProgramData\\CryptSvcDoctor\\backups\\20261125-074103-rebuild_catalog");
    wcscpy(out->repair, L"rebuild_catalog");
    out->created.wYear = 2026;
    out->created.wMonth = 11;
    out->created.wDay = 25;
    out->created.wHour = 7;
    out->created.wMinute = 41;
    *count = 1;
    return 0;
}

/* The elevated copy: a real process that ends with code 0 (cmd /c exit 0). */
static DWORD fake_launch(HWND owner, const WCHAR *parameters, HANDLE *process)
{
    WCHAR command[] = L"cmd.exe /c exit 0";
    STARTUPINFOW startup = { 0 };
    PROCESS_INFORMATION info;

    (void)owner;
    fake.launch_calls++;
    lstrcpynW(fake.launch_parameters, parameters, 2048);
    startup.cb = sizeof(startup);
    if (!CreateProcessW(NULL, command, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL, NULL, &startup, &info))
        return GetLastError();
    CloseHandle(info.hThread);
    fake_apply(REPAIR_SET_AUTOMATIC);   /* what the elevated copy would have done */
    *process = info.hProcess;
    return 0;
}

static int fake_ask(HWND owner, const WCHAR *text, const WCHAR *title, UINT flags)
{
    (void)owner;
    (void)title;
    fake.ask_calls++;
    lstrcpynW(fake.ask_text, text, 8192);
    if ((flags & 0xf) == MB_YESNO) return fake.ask_answer == IDOK ? IDYES : IDNO;
    return fake.ask_answer;
}

static DWORD fake_open(HWND owner, const WCHAR *verb, const WCHAR *file, const WCHAR *parameters)
{
    (void)owner;
    (void)verb;
    fake.open_calls++;
    lstrcpynW(fake.open_file, file, MAX_PATH);
    lstrcpynW(fake.open_parameters, parameters ? parameters : L"", MAX_PATH * 2);
    return 0;
}

static void use_fake_core(void)
{
    gui_core.diagnose = fake_diagnose;
    gui_core.describe = fake_describe;
    gui_core.run = fake_run;
    gui_core.fix_all = fake_fix_all;
    gui_core.restore = fake_restore;
    gui_core.describe_restore = fake_describe_restore;
    gui_core.is_elevated = fake_is_elevated;
    gui_core.list_backups = fake_list_backups;
    gui_core.launch_elevated = fake_launch;
    gui_core.ask = fake_ask;
    gui_core.open = fake_open;
}

/* ---- driving the dialog ------------------------------------------------------------------------ */

static void pump(void)
{
    MSG msg;
    while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
        if (msg.message == WM_QUIT) continue;
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
}

/* Pumps messages until the worker is done (or 15 s passed). */
static BOOL wait_idle(HWND dialog)
{
    DWORD start = GetTickCount();
    do {
        pump();
        if (!main_dialog_busy(dialog)) return TRUE;
        MsgWaitForMultipleObjects(0, NULL, FALSE, 20, QS_ALLINPUT);
    } while (GetTickCount() - start < 15000);
    return FALSE;
}

static HWND open_dialog(const struct gui_options *options)
{
    struct gui_options defaults = { 0 };
    HWND dialog = main_dialog_create(GetModuleHandleW(NULL), options ? options : &defaults);

    if (!dialog) return NULL;
    ShowWindow(dialog, SW_SHOW);
    ok(wait_idle(dialog), "first check did not finish\n");
    return dialog;
}

static void close_dialog(HWND dialog)
{
    MSG msg;
    DestroyWindow(dialog);
    pump();
    /* the dialog posts WM_QUIT on destroy; take it out so the next dialog starts clean */
    while (PeekMessageW(&msg, NULL, WM_QUIT, WM_QUIT, PM_REMOVE)) {}
}

static int row_count(HWND dialog)
{
    return (int)SendDlgItemMessageW(dialog, IDC_COMPONENTS, LVM_GETITEMCOUNT, 0, 0);
}

static void cell(HWND dialog, int row, int column, WCHAR *out, int count)
{
    LVITEMW item = { 0 };
    item.iSubItem = column;
    item.pszText = out;
    item.cchTextMax = count;
    out[0] = 0;
    SendDlgItemMessageW(dialog, IDC_COMPONENTS, LVM_GETITEMTEXTW, (WPARAM)row, (LPARAM)&item);
}

/* The row whose first cell is `name`, or -1. */
static int find_row(HWND dialog, const WCHAR *name)
{
    WCHAR text[256];
    for (int i = 0; i < row_count(dialog); i++) {
        cell(dialog, i, 0, text, 256);
        if (wcscmp(text, name) == 0) return i;
    }
    return -1;
}

static void row_status(HWND dialog, const WCHAR *name, WCHAR *out)
{
    int row = find_row(dialog, name);
    out[0] = 0;
    if (row >= 0) cell(dialog, row, 1, out, 64);
}

static void text_of(HWND dialog, int id, WCHAR *out, int count)
{
    out[0] = 0;
    GetDlgItemTextW(dialog, id, out, count);
}

static BOOL enabled(HWND dialog, int id)
{
    return IsWindowEnabled(GetDlgItem(dialog, id));
}

static void click(HWND dialog, int id)
{
    SendDlgItemMessageW(dialog, id, BM_CLICK, 0, 0);
}

/* A helper thread that waits for a top-level window with `title`, optionally types text
 * into one of its controls, and clicks one of its buttons. */
struct answer {
    const WCHAR *title;
    int type_into;
    const WCHAR *text;
    int button;
    BOOL found;
    WCHAR seen_text[4096];       /* the static text of a message box, for asserts */
};

static BOOL CALLBACK collect_text(HWND child, LPARAM param)
{
    struct answer *answer = (struct answer *)param;
    WCHAR class_name[32], text[2048];
    GetClassNameW(child, class_name, 32);
    if (_wcsicmp(class_name, L"Static") == 0 && GetWindowTextW(child, text, 2048) > 0) {
        size_t used = wcslen(answer->seen_text);
        lstrcpynW(answer->seen_text + used, text, (int)(4096 - used));
    }
    return TRUE;
}

static DWORD WINAPI answer_thread(void *param)
{
    struct answer *answer = param;
    DWORD start = GetTickCount();
    HWND window = NULL;

    while (!window && GetTickCount() - start < 10000) {
        window = FindWindowW(L"#32770", answer->title);
        if (!window || !IsWindowVisible(window)) {
            window = NULL;
            Sleep(20);
        }
    }
    if (!window) return 1;
    answer->found = TRUE;
    EnumChildWindows(window, collect_text, (LPARAM)answer);
    if (answer->type_into) {
        SetDlgItemTextW(window, answer->type_into, answer->text);
        Sleep(100);
    }
    SendMessageW(GetDlgItem(window, answer->button), BM_CLICK, 0, 0);
    return 0;
}

static HANDLE answer_later(struct answer *answer)
{
    return CreateThread(NULL, 0, answer_thread, answer, 0, NULL);
}

static void join(HANDLE thread)
{
    if (!thread) return;
    while (MsgWaitForMultipleObjects(1, &thread, FALSE, 10000, QS_ALLINPUT) == WAIT_OBJECT_0 + 1) pump();
    CloseHandle(thread);
}

/* ---- the tests ---------------------------------------------------------------------------------- */

static void test_first_check(void)
{
    HWND dialog;
    WCHAR text[2048];

    fake_machine_broken();
    dialog = open_dialog(NULL);
    if (!ok(dialog != NULL, "dialog not created: %lu\n", GetLastError())) return;
    ok(fake.diagnose_calls == 1, "diagnose called %d times\n", fake.diagnose_calls);
    ok(row_count(dialog) == 4, "%d rows\n", row_count(dialog));
    cell(dialog, 0, 0, text, 256);
    ok(wcscmp(text, L"Cryptographic Services (CryptSvc)") == 0, "row 0 is %ls\n", text);
    cell(dialog, 0, 1, text, 256);
    ok(wcscmp(text, L"Problem") == 0, "row 0 status %ls\n", text);
    cell(dialog, 0, 2, text, 256);
    ok(wcscmp(text, L"Stopped, Manual") == 0, "row 0 current %ls\n", text);
    cell(dialog, 0, 3, text, 256);
    ok(wcscmp(text, L"Running, Automatic") == 0, "row 0 recommended %ls\n", text);
    row_status(dialog, L"Automatic Root Certificate Update", text);
    ok(wcscmp(text, L"Not checked") == 0, "root update status %ls\n", text);
    text_of(dialog, IDC_SUMMARY, text, 2048);
    ok(wcsstr(text, L"stopped and set to Manual") && wcsstr(text, L"looks corrupt"), "summary %ls\n", text);
    ok(enabled(dialog, IDC_FIX_ALL), "Fix is disabled\n");
    ok(LOWORD(SendMessageW(dialog, DM_GETDEFID, 0, 0)) == IDC_FIX_ALL, "Enter does not press Fix\n");
    ok(!enabled(dialog, IDC_CANCEL_WORK), "Cancel enabled while idle\n");

    /* the worst row is selected first and its details show evidence and the plan */
    text_of(dialog, IDC_DETAILS, text, 2048);
    ok(wcsstr(text, L"start type is Manual (3)") != NULL, "details: %ls\n", text);
    ok(wcsstr(text, L"1. Stop CryptSvc") != NULL, "details lack the plan: %ls\n", text);

    /* another row */
    {
        LVITEMW item = { 0 };
        item.stateMask = item.state = LVIS_SELECTED | LVIS_FOCUSED;
        SendDlgItemMessageW(dialog, IDC_COMPONENTS, LVM_SETITEMSTATE, 1, (LPARAM)&item);
    }
    text_of(dialog, IDC_DETAILS, text, 2048);
    ok(wcsstr(text, L"fails its checksum") && wcsstr(text, L"Rebuild catalog database"), "details: %ls\n", text);

    /* status bar: machine, Windows, elevated, time of the check */
    SendDlgItemMessageW(dialog, IDC_STATUSBAR, SB_GETTEXTW, 2, (LPARAM)text);
    ok(wcscmp(text, L"Running as administrator") == 0, "status part 2: %ls\n", text);
    SendDlgItemMessageW(dialog, IDC_STATUSBAR, SB_GETTEXTW, 3, (LPARAM)text);
    ok(wcsncmp(text, L"Last check: ", 12) == 0, "status part 3: %ls\n", text);

    /* F5's command refreshes */
    SendMessageW(dialog, WM_COMMAND, IDM_REFRESH, 0);
    ok(wait_idle(dialog), "refresh did not finish\n");
    ok(fake.diagnose_calls == 2, "diagnose called %d times after F5\n", fake.diagnose_calls);
    close_dialog(dialog);
}

/* One repair button: it runs that repair (asking first only when it moves files), the rows
 * and the summary change, and the result line says it finished. */
static void check_repair_button(int button, enum diag_repair repair, BOOL destructive, const WCHAR *row,
                                const WCHAR *status_after)
{
    HWND dialog;
    WCHAR text[2048];

    fake_machine_broken();
    fake.automatic = TRUE;
    fake.running = TRUE;
    fake.hung = repair == REPAIR_RESTART_SERVICE;
    if (repair == REPAIR_CLEAR_LOGS) fake.catalog_corrupt = FALSE;
    dialog = open_dialog(NULL);
    if (!dialog) return;
    click(dialog, button);
    ok(wait_idle(dialog), "repair %d did not finish\n", repair);
    ok(fake.run_calls == 1 && fake.last_run == repair, "ran %d times, repair %d\n", fake.run_calls, fake.last_run);
    ok(fake.ask_calls == (destructive ? 1 : 0), "repair %d: asked %d times\n", repair, fake.ask_calls);
    if (destructive) {
        ok(wcsstr(fake.ask_text, L"1. Stop CryptSvc") && wcsstr(fake.ask_text, L"3. Start CryptSvc"),
           "confirmation lacks the steps: %ls\n", fake.ask_text);
        ok(wcsstr(fake.ask_text, L"CryptSvcDoctor\\backups") != NULL, "confirmation lacks the backup folder: %ls\n",
           fake.ask_text);
    }
    row_status(dialog, row, text);
    ok(wcscmp(text, status_after) == 0, "repair %d: %ls is %ls\n", repair, row, text);
    text_of(dialog, IDC_STEP, text, 2048);
    ok(wcsstr(text, L"finished") != NULL, "repair %d: step line %ls\n", repair, text);
    text_of(dialog, IDC_DETAILS, text, 2048);
    ok(wcsstr(text, L"Move the files aside: done") != NULL, "repair %d: details %ls\n", repair, text);
    ok(fake.diagnose_calls == 2, "repair %d: diagnosed %d times\n", repair, fake.diagnose_calls);
    close_dialog(dialog);
}

static void test_repair_buttons(void)
{
    check_repair_button(IDC_RESTART, REPAIR_RESTART_SERVICE, FALSE, L"Cryptographic Services (CryptSvc)", L"OK");
    check_repair_button(IDC_CLEAR_LOGS, REPAIR_CLEAR_LOGS, TRUE, L"Catalog Database Service", L"OK");
    check_repair_button(IDC_REBUILD, REPAIR_REBUILD_CATALOG, TRUE, L"Catalog Database Service", L"OK");
    check_repair_button(IDC_REREGISTER, REPAIR_REREGISTER_DLLS, FALSE, L"Key Service", L"OK");
}

static void test_set_automatic(void)
{
    HWND dialog;
    WCHAR text[2048];

    fake_machine_broken();
    dialog = open_dialog(NULL);
    if (!dialog) return;
    click(dialog, IDC_SET_AUTOMATIC);
    ok(wait_idle(dialog), "did not finish\n");
    ok(fake.last_run == REPAIR_SET_AUTOMATIC && fake.ask_calls == 0, "ran %d, asked %d\n", fake.last_run, fake.ask_calls);
    cell(dialog, 0, 2, text, 256);
    ok(wcscmp(text, L"Running, Automatic") == 0, "current %ls\n", text);
    text_of(dialog, IDC_SUMMARY, text, 2048);
    ok(!wcsstr(text, L"Manual") && wcsstr(text, L"corrupt"), "summary %ls\n", text);
    close_dialog(dialog);
}

/* Cancelling the confirmation runs nothing; answering the real MessageBox OK runs the repair. */
static void test_confirmation(void)
{
    struct answer answer = { L"Confirm repair", 0, NULL, IDOK, FALSE, { 0 } };
    HWND dialog;
    HANDLE thread;
    WCHAR text[2048];
    int (*real_ask)(HWND, const WCHAR *, const WCHAR *, UINT);

    fake_machine_broken();
    fake.ask_answer = IDCANCEL;
    dialog = open_dialog(NULL);
    if (!dialog) return;
    click(dialog, IDC_REBUILD);
    ok(!main_dialog_busy(dialog) && fake.run_calls == 0, "ran after the user said no\n");
    row_status(dialog, L"Catalog Database Service", text);
    ok(wcscmp(text, L"Problem") == 0, "catalog row %ls\n", text);

    /* now the real MessageBoxW, answered by a helper thread */
    gui_core_reset();
    real_ask = gui_core.ask;
    use_fake_core();
    gui_core.ask = real_ask;
    thread = answer_later(&answer);
    click(dialog, IDC_REBUILD);
    join(thread);
    ok(answer.found, "no confirmation window appeared\n");
    ok(wcsstr(answer.seen_text, L"Stop CryptSvc") != NULL, "the message box does not list the steps: %ls\n",
       answer.seen_text);
    ok(wait_idle(dialog), "did not finish\n");
    ok(fake.run_calls == 1 && fake.last_run == REPAIR_REBUILD_CATALOG, "ran %d (%d)\n", fake.run_calls, fake.last_run);
    row_status(dialog, L"Catalog Database Service", text);
    ok(wcscmp(text, L"OK") == 0, "catalog row %ls\n", text);
    use_fake_core();
    close_dialog(dialog);
}

static void test_restore(void)
{
    struct answer answer = { L"Restore a backup", 0, NULL, IDOK, FALSE, { 0 } };
    HWND dialog;
    HANDLE thread;
    WCHAR text[2048];

    fake_machine_broken();
    fake.catalog_corrupt = FALSE;
    dialog = open_dialog(NULL);
    if (!dialog) return;
    thread = answer_later(&answer);
    click(dialog, IDC_RESTORE);
    join(thread);
    ok(answer.found, "the backup chooser did not appear\n");
    ok(wait_idle(dialog), "did not finish\n");
    ok(fake.last_run == REPAIR_RESTORE, "ran %d\n", fake.last_run);
    ok(wcsstr(fake.last_backup, L"20261125-074103-rebuild_catalog") != NULL, "restored %ls\n", fake.last_backup);
    ok(fake.ask_calls == 1 && wcsstr(fake.ask_text, L"Restore a backup"), "confirmation %ls\n", fake.ask_text);
    row_status(dialog, L"Catalog Database Service", text);
    ok(wcscmp(text, L"Problem") == 0, "after the restore the catalog row is %ls\n", text);
    close_dialog(dialog);
}

static void test_fix_all(void)
{
    HWND dialog;
    WCHAR text[2048];

    fake_machine_broken();
    dialog = open_dialog(NULL);
    if (!dialog) return;
    click(dialog, IDC_FIX_ALL);
    ok(wait_idle(dialog), "did not finish\n");
    ok(fake.run_calls == 3, "ran %d repairs\n", fake.run_calls);   /* automatic, rebuild, DLLs */
    ok(fake.ask_calls == 1 && wcsstr(fake.ask_text, L"Rebuild catalog database:") &&
       wcsstr(fake.ask_text, L"Set Automatic:"), "confirmation %ls\n", fake.ask_text);
    for (int i = 0; i < 3; i++) {
        cell(dialog, i, 1, text, 256);
        ok(wcscmp(text, L"OK") == 0, "row %d is %ls after Fix\n", i, text);
    }
    text_of(dialog, IDC_SUMMARY, text, 2048);
    ok(wcsstr(text, L"healthy") != NULL || wcsstr(text, L"Nothing wrong") != NULL, "summary %ls\n", text);
    ok(!enabled(dialog, IDC_FIX_ALL), "Fix still enabled with nothing to fix\n");
    close_dialog(dialog);
}

static void test_cancel(void)
{
    HWND dialog;
    WCHAR text[2048];
    DWORD start;

    fake_machine_broken();
    dialog = open_dialog(NULL);
    if (!dialog) return;
    fake.gate = CreateEventW(NULL, TRUE, FALSE, NULL);
    click(dialog, IDC_REBUILD);
    start = GetTickCount();
    do {
        pump();
        text_of(dialog, IDC_STEP, text, 2048);
        if (wcsstr(text, L"Step 1 of 3")) break;
        Sleep(10);
    } while (GetTickCount() - start < 5000);
    ok(wcsstr(text, L"Step 1 of 3: Stop CryptSvc") != NULL, "progress line %ls\n", text);
    ok(main_dialog_busy(dialog), "not busy while the repair runs\n");
    ok(enabled(dialog, IDC_CANCEL_WORK), "Cancel disabled while a repair runs\n");
    ok(!enabled(dialog, IDC_REBUILD) && !enabled(dialog, IDC_FIX_ALL) && !enabled(dialog, IDC_REFRESH),
       "conflicting buttons enabled while busy\n");
    ok(SendDlgItemMessageW(dialog, IDC_PROGRESS, PBM_GETPOS, 0, 0) == 0, "progress not at 0\n");
    click(dialog, IDC_CANCEL_WORK);
    ok(!enabled(dialog, IDC_CANCEL_WORK), "Cancel still enabled once pressed\n");
    SetEvent(fake.gate);
    ok(wait_idle(dialog), "did not finish\n");
    CloseHandle(fake.gate);
    fake.gate = NULL;
    text_of(dialog, IDC_STEP, text, 2048);
    ok(wcsstr(text, L"cancelled") != NULL, "step line %ls\n", text);
    row_status(dialog, L"Catalog Database Service", text);
    ok(wcscmp(text, L"Problem") == 0, "catalog row %ls after cancel\n", text);
    ok(enabled(dialog, IDC_REBUILD) && enabled(dialog, IDC_REFRESH), "buttons still disabled\n");
    close_dialog(dialog);
}

static void test_failure(void)
{
    HWND dialog;
    WCHAR text[4096], expected[512];

    fake_machine_broken();
    fake.fail = REPAIR_REBUILD_CATALOG;
    fake.fail_error = ERROR_SHARING_VIOLATION;
    dialog = open_dialog(NULL);
    if (!dialog) return;
    click(dialog, IDC_REBUILD);
    ok(wait_idle(dialog), "did not finish\n");
    text_of(dialog, IDC_STEP, text, 4096);
    ok(wcsstr(text, L"did not complete") && wcsstr(text, L"Error 32"), "step line %ls\n", text);
    text_of(dialog, IDC_DETAILS, text, 4096);
    ok(wcsstr(text, L"catroot2 is in use by another program") != NULL, "details %ls\n", text);
    wsprintfW(expected, L"2. Move the files aside: failed");
    ok(wcsstr(text, expected) != NULL, "details lack the failed step: %ls\n", text);
    row_status(dialog, L"Catalog Database Service", text);
    ok(wcscmp(text, L"Problem") == 0, "catalog row %ls after a failure\n", text);
    close_dialog(dialog);
}

/* The core asks (a file in use): the question reaches the user on the UI thread. */
static void test_question(void)
{
    HWND dialog;

    fake_machine_broken();
    fake.ask_question = TRUE;
    dialog = open_dialog(NULL);
    if (!dialog) return;
    click(dialog, IDC_REREGISTER);
    ok(wait_idle(dialog), "did not finish\n");
    ok(fake.ask_calls == 1 && wcsstr(fake.ask_text, L"edb.log is in use"), "asked %d: %ls\n", fake.ask_calls,
       fake.ask_text);
    ok(fake.question_answer == TRUE, "the answer did not reach the core\n");
    close_dialog(dialog);
}

static void test_elevation(void)
{
    HWND dialog;
    WCHAR text[2048];
    struct gui_options options = { 0 };

    fake_machine_broken();
    fake.elevated = FALSE;
    wcscpy(options.windows_dir, L"C:\\demo dir\\");
    dialog = open_dialog(&options);
    if (!dialog) return;
    SendDlgItemMessageW(dialog, IDC_STATUSBAR, SB_GETTEXTW, 2, (LPARAM)text);
    ok(wcscmp(text, L"Not running as administrator") == 0, "status part 2: %ls\n", text);
    click(dialog, IDC_SET_AUTOMATIC);
    ok(fake.launch_calls == 1, "launched %d times\n", fake.launch_calls);
    ok(wcsstr(fake.launch_parameters, L"--run-repair set_automatic --confirmed") != NULL, "parameters %ls\n",
       fake.launch_parameters);
    ok(wcsstr(fake.launch_parameters, L"--windows-dir \"C:\\demo dir\\\\\"") != NULL, "parameters %ls\n",
       fake.launch_parameters);
    ok(fake.run_calls == 0, "ran in the unelevated window\n");
    ok(wait_idle(dialog), "did not finish\n");
    text_of(dialog, IDC_STEP, text, 2048);
    ok(wcsstr(text, L"finished in the administrator window") != NULL, "step line %ls\n", text);
    cell(dialog, 0, 2, text, 256);
    ok(wcscmp(text, L"Running, Automatic") == 0, "the rows were not checked again: %ls\n", text);
    close_dialog(dialog);
}

/* --run-repair: the elevated copy runs the repair after its first check and ends with its error. */
static void test_run_repair_mode(void)
{
    struct gui_options options = { 0 };
    HWND dialog;
    MSG msg;
    BOOL quit = FALSE;
    DWORD start;

    fake_machine_broken();
    fake.fail = REPAIR_CLEAR_LOGS;
    fake.fail_error = ERROR_ACCESS_DENIED;
    options.run_repair = REPAIR_CLEAR_LOGS;
    options.confirmed = TRUE;
    dialog = main_dialog_create(GetModuleHandleW(NULL), &options);
    if (!ok(dialog != NULL, "not created\n")) return;
    start = GetTickCount();
    while (fake.run_calls == 0 || main_dialog_busy(dialog)) {
        pump();
        Sleep(10);
        if (GetTickCount() - start > 10000) break;
    }
    ok(fake.run_calls == 1 && fake.last_run == REPAIR_CLEAR_LOGS, "ran %d (%d)\n", fake.run_calls, fake.last_run);
    ok(fake.ask_calls == 0, "asked again although confirmed\n");
    DestroyWindow(dialog);
    while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
        if (msg.message == WM_QUIT) {
            quit = TRUE;
            ok(msg.wParam == ERROR_ACCESS_DENIED, "exit code %u\n", (unsigned)msg.wParam);
        }
    }
    ok(quit, "no WM_QUIT\n");
}

static void test_report_and_shell(void)
{
    HWND dialog;
    WCHAR *report;

    fake_machine_broken();
    dialog = open_dialog(NULL);
    if (!dialog) return;
    report = main_dialog_report(dialog);
    ok(report && wcsstr(report, L"Summary: ") && wcsstr(report, L"page 1 872 of 4 096 fails its checksum") &&
       wcsstr(report, L"could not check: Wine has no AuthRoot store") && wcsstr(report, L"Recommended state: Healthy"),
       "report %ls\n", report ? report : L"(null)");
    free(report);

    click(dialog, IDC_COPY_REPORT);
    if (OpenClipboard(dialog)) {
        HANDLE data = GetClipboardData(CF_UNICODETEXT);
        const WCHAR *text = data ? GlobalLock(data) : NULL;
        ok(text && wcsstr(text, L"Cryptographic Services (CryptSvc): Problem"), "clipboard %ls\n", text ? text : L"(none)");
        if (text) GlobalUnlock(data);
        CloseClipboard();
    } else {
        skip("clipboard busy\n");
    }

    click(dialog, IDC_OPEN_CATROOT2);
    ok(fake.open_calls == 1 && wcscmp(fake.open_file, L"explorer.exe") == 0 &&
       wcsstr(fake.open_parameters, L"\\System32\\catroot2\""), "opened %ls %ls\n", fake.open_file, fake.open_parameters);
    click(dialog, IDC_OPEN_LOG);
    ok(fake.open_calls == 2 && wcscmp(fake.open_file, L"notepad.exe") == 0 &&
       wcsstr(fake.open_parameters, L"CryptSvcDoctor\\repair.log\""), "opened %ls %ls\n", fake.open_file,
       fake.open_parameters);
    close_dialog(dialog);
}

static void test_symptom_finder(void)
{
    struct answer answer = { L"I see this error\x2026", IDC_SYM_INPUT, L"0x80070490", IDOK, FALSE, { 0 } };
    HWND dialog, focus;
    WCHAR text[256];
    int selected;

    fake_machine_broken();
    dialog = open_dialog(NULL);
    if (!dialog) return;
    SetForegroundWindow(dialog);
    {
        HANDLE thread = answer_later(&answer);
        click(dialog, IDC_SYMPTOMS);
        join(thread);
    }
    ok(answer.found, "the symptom finder did not appear\n");
    selected = (int)SendDlgItemMessageW(dialog, IDC_COMPONENTS, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
    cell(dialog, selected, 0, text, 256);
    ok(wcscmp(text, L"Catalog Database Service") == 0, "0x80070490 highlights %ls\n", text);
    focus = GetFocus();
    ok(focus == GetDlgItem(dialog, IDC_CLEAR_LOGS) || focus == GetDlgItem(dialog, IDC_REBUILD) ||
       focus == GetDlgItem(dialog, IDC_FIX_ALL), "focus is on control %d\n", GetDlgCtrlID(focus));
    close_dialog(dialog);
}

static BOOL overlap(const RECT *a, const RECT *b)
{
    RECT both;
    return IntersectRect(&both, a, b);
}

static void child_rect(HWND dialog, int id, RECT *rect)
{
    GetWindowRect(GetDlgItem(dialog, id), rect);
    MapWindowPoints(NULL, dialog, (POINT *)rect, 2);
}

/* At the smallest size and a bigger one, no two controls overlap and all stay inside. */
static void test_layout(void)
{
    static const int ids[] = { IDC_SUMMARY, IDC_FIX_ALL, IDC_COMPONENTS, IDC_DETAILS, IDC_SET_AUTOMATIC, IDC_RESTART,
                               IDC_CLEAR_LOGS, IDC_REBUILD, IDC_REREGISTER, IDC_RESTORE, IDC_REFRESH, IDC_PROGRESS,
                               IDC_STEP, IDC_CANCEL_WORK, IDC_SYMPTOMS, IDC_COPY_REPORT, IDC_SAVE_REPORT,
                               IDC_OPEN_CATROOT2, IDC_OPEN_LOG, IDCANCEL };
    const size_t count = sizeof(ids) / sizeof(ids[0]);
    MINMAXINFO info = { 0 };
    HWND dialog;
    RECT client, a, b, before;

    fake_machine_broken();
    dialog = open_dialog(NULL);
    if (!dialog) return;
    SendMessageW(dialog, WM_GETMINMAXINFO, 0, (LPARAM)&info);
    ok(info.ptMinTrackSize.x > 300 && info.ptMinTrackSize.y > 200, "minimum %ldx%ld\n", info.ptMinTrackSize.x,
       info.ptMinTrackSize.y);
    child_rect(dialog, IDC_COMPONENTS, &before);
    for (int pass = 0; pass < 2; pass++) {
        int w = info.ptMinTrackSize.x + pass * 300, h = info.ptMinTrackSize.y + pass * 200;
        SetWindowPos(dialog, NULL, 0, 0, w, h, SWP_NOZORDER | SWP_NOMOVE);
        pump();
        GetClientRect(dialog, &client);
        for (size_t i = 0; i < count; i++) {
            child_rect(dialog, ids[i], &a);
            ok(a.left >= 0 && a.top >= 0 && a.right <= client.right && a.bottom <= client.bottom && a.right > a.left &&
               a.bottom > a.top, "pass %d: control %d outside or empty\n", pass, ids[i]);
            for (size_t j = i + 1; j < count; j++) {
                child_rect(dialog, ids[j], &b);
                ok(!overlap(&a, &b), "pass %d: controls %d and %d overlap\n", pass, ids[i], ids[j]);
            }
        }
    }
    child_rect(dialog, IDC_COMPONENTS, &a);
    ok(a.right - a.left > before.right - before.left, "the list did not grow with the window\n");
    close_dialog(dialog);
}

/* Each test with how long it took, so a slow path shows in the log. */
static void timed(void (*test)(void), const char *name)
{
    DWORD start = GetTickCount();
    test();
    trace("%s: %lu ms\n", name, GetTickCount() - start);
}

START_TEST(gui)
{
    INITCOMMONCONTROLSEX controls = { sizeof(controls), ICC_LISTVIEW_CLASSES | ICC_STANDARD_CLASSES |
                                                        ICC_BAR_CLASSES | ICC_PROGRESS_CLASS };

    InitCommonControlsEx(&controls);
    use_fake_core();
    timed(test_first_check, "test_first_check");
    timed(test_set_automatic, "test_set_automatic");
    timed(test_repair_buttons, "test_repair_buttons");
    timed(test_confirmation, "test_confirmation");
    timed(test_restore, "test_restore");
    timed(test_fix_all, "test_fix_all");
    timed(test_cancel, "test_cancel");
    timed(test_failure, "test_failure");
    timed(test_question, "test_question");
    timed(test_elevation, "test_elevation");
    timed(test_run_repair_mode, "test_run_repair_mode");
    timed(test_report_and_shell, "test_report_and_shell");
    timed(test_symptom_finder, "test_symptom_finder");
    timed(test_layout, "test_layout");
    gui_core_reset();
}
