/* gui/jobs.h: work the dialog hands to a worker thread (checks, repairs, waiting for the elevated copy) and what comes back. */
#ifndef CSD_GUI_JOBS_H
#define CSD_GUI_JOBS_H

#include "gui.h"
#include "frontend.h"

enum gui_job_kind {
    JOB_CHECK,          /* diagnose, then describe the repairs */
    JOB_REPAIR,         /* one repair (REPAIR_RESTORE: put `backup` back), then diagnose */
    JOB_FIX_ALL,        /* repair_fix_all over `plan`, which diagnoses again itself */
    JOB_ELEVATED        /* wait for the elevated copy of this program, then diagnose */
};

/* What a repair would do now (repair_describe), for the details pane and the confirmation. */
struct gui_plan {
    BOOL described;
    DWORD error;                                   /* repair_describe's answer */
    unsigned count;
    WCHAR steps[REPAIR_MAX_STEPS][REPAIR_TEXT_CCH];
};

/* One diagnosis and the plans of every repair it or a button may run. */
struct gui_snapshot {
    DWORD error;                                   /* diagnose's answer; 0: `diagnosis` is valid */
    struct diagnosis diagnosis;
    struct gui_plan plans[REPAIR_COUNT];           /* by enum diag_repair */
    SYSTEMTIME checked;                            /* local time the check ended */
};

/* Posted (WM_APP_PROGRESS) before each step; repair_number counts the repairs of "Fix all". */
struct gui_progress {
    unsigned repair_number, repair_count;          /* 1-based; 1 of 1 for a single repair */
    enum diag_repair repair;
    unsigned index, count;                         /* the step, 0-based, of the current repair */
    WCHAR text[REPAIR_TEXT_CCH];
};

/*
 * Allocated by the UI thread, handed to the worker, and handed back in a WM_APP_*_DONE
 * message; whoever holds it last frees it with job_free (the worker, if the dialog is
 * gone). Only `cancel` is touched by both threads while the worker runs.
 */
struct gui_job {
    enum gui_job_kind kind;
    HWND dialog;
    struct gui_options options;
    volatile LONG cancel;                          /* set by the UI thread: stop between steps */
    /* JOB_REPAIR, JOB_ELEVATED */
    enum diag_repair repair;
    WCHAR backup[MAX_PATH];                        /* REPAIR_RESTORE */
    /* JOB_FIX_ALL */
    enum diag_repair plan[REPAIR_COUNT];
    size_t plan_count;
    /* JOB_ELEVATED: the elevated process; the worker closes it */
    HANDLE process;
    /* progress bookkeeping (worker only) */
    unsigned progress_repair;
    BOOL progress_seen;
    /* results */
    DWORD error;                                   /* the repair's error, or the elevated exit code */
    struct repair_result *results;                 /* JOB_REPAIR: 1; JOB_FIX_ALL: plan_count */
    size_t ran;                                    /* how many results are filled */
    struct gui_snapshot *snapshot;                 /* the fresh diagnosis (NULL if out of memory) */
};

/* A job of `kind` for `dialog`, or NULL when out of memory. */
struct gui_job *job_new(enum gui_job_kind kind, HWND dialog, const struct gui_options *options);
void job_free(struct gui_job *job);
void snapshot_free(struct gui_snapshot *snapshot);

/* Starts the worker. Returns 0, or the error (then the job is still the caller's). */
DWORD job_start(struct gui_job *job);

/* The repair options the GUI's settings give (service, Windows folder, data folder). */
void job_repair_options(const struct gui_options *options, struct repair_options *out);

#endif
