/* gui/report.c: the plain-text report of everything the main dialog shows (Copy report, Save report). */
#include "main_dlg.h"
#include "resource.h"

#include "csd_version.h"

#include <stdlib.h>

#define WORD_CCH 128

static void report_rows(const struct main_dialog *dlg, struct text_buffer *out)
{
    const struct diagnosis *diagnosis = &dlg->snapshot->diagnosis;
    WCHAR line[GUI_TEXT_CCH], value[GUI_TEXT_CCH];

    for (unsigned i = 0; i < diagnosis->row_count && i < DIAG_ROWS_MAX; i++) {
        const struct diag_row *row = &diagnosis->rows[i];
        text_buffer_line(out, L"");
        text_buffer_line(out, L"----------------------------------------------------------------");
        describe_row(dlg->snapshot, row, out);
        text_from_utf8(row->current, value, GUI_TEXT_CCH);
        text_format(line, GUI_TEXT_CCH, IDS_REP_CURRENT, value);
        text_buffer_line(out, line);
        text_from_utf8(row->recommended, value, GUI_TEXT_CCH);
        text_format(line, GUI_TEXT_CCH, IDS_REP_RECOMMENDED, value);
        text_buffer_line(out, line);
    }
}

WCHAR *main_dialog_report(HWND dialog)
{
    const struct main_dialog *dlg = (const struct main_dialog *)GetWindowLongPtrW(dialog, DWLP_USER);
    struct text_buffer out = { 0 };
    WCHAR line[GUI_TEXT_CCH], parts[4][GUI_TEXT_CCH], summary[GUI_TEXT_CCH];

    if (!dlg) return NULL;
    text_format(line, GUI_TEXT_CCH, IDS_REP_TITLE, CSD_VERSION_WSTR);
    text_buffer_line(&out, line);
    status_texts(dlg, parts);
    for (int i = 0; i < 4; i++) text_buffer_line(&out, parts[i]);
    text_buffer_line(&out, L"");

    GetDlgItemTextW(dialog, IDC_SUMMARY, summary, GUI_TEXT_CCH);
    text_format(line, GUI_TEXT_CCH, IDS_REP_SUMMARY, summary);
    text_buffer_line(&out, line);
    if (dlg->snapshot && !dlg->snapshot->error) report_rows(dlg, &out);

    if (dlg->has_last_result) {
        text_buffer_line(&out, L"");
        text_buffer_line(&out, L"----------------------------------------------------------------");
        text_load(IDS_REP_LAST_REPAIR, line, GUI_TEXT_CCH);
        text_buffer_line(&out, line);
        describe_last_repair(dlg, &out);
    }
    return text_buffer_take(&out);
}
