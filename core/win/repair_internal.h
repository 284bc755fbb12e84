/* core/win/repair_internal.h: what the repair files share: the job, its steps, and their helpers. */
#ifndef CSD_REPAIR_INTERNAL_H
#define CSD_REPAIR_INTERNAL_H

#include "win/repair.h"

#include "pure/manifest.h"

#define REPAIR_MAX_DEPENDENTS 16
#define REPAIR_PATH_CCH 1024

struct repair_job;
struct repair_step;

typedef DWORD (*repair_step_fn)(struct repair_job *job, struct repair_step *step);

enum move_flags {
    MOVE_ASIDE = 2,          /* journal as "aside" (a restore set something new aside) */
    MOVE_RESTORING = 4       /* journal as "restored <from> <to>" of the original entry */
};

/* One item this job moved; undo moves `now` back to `was`. */
struct repair_move {
    WCHAR *was;              /* where it was before this job moved it */
    WCHAR *now;              /* where it is now (or will be at the restart, when pending) */
    WCHAR *entry_from;       /* restore only: the manifest entry it belongs to */
    WCHAR *entry_to;
    unsigned step;
    unsigned flags;
    BOOL pending;            /* MoveFileEx(DELAY_UNTIL_REBOOT): registered, not yet moved */
    BOOL undone;
};

struct repair_step {
    WCHAR text[REPAIR_TEXT_CCH];
    repair_step_fn run;
    repair_step_fn undo;     /* NULL: nothing to undo */
    BOOL optional;           /* a failure is reported and the plan goes on (DLL registrations) */
    /* parameters, set when the plan is built */
    WCHAR path[MAX_PATH];
    WCHAR path2[MAX_PATH];
    HKEY root;
    DWORD param;
    /* what the run did, for undo and the result */
    enum repair_step_status status;
    DWORD error;
    WCHAR detail[REPAIR_DETAIL_CCH];
    BOOL changed;            /* the run changed something that undo must put back */
    DWORD saved;             /* e.g. the start type before */
    BOOL ask_answered, ask_yes;   /* the delayed-move question, asked once per step */
};

struct repair_job {
    enum diag_repair repair;
    const struct repair_options *options;
    struct repair_result *result;
    BOOL dry_run;
    const WCHAR *machine;            /* NULL: this computer; else the remote computer's name */

    WCHAR service[SVC_NAME_CCH];
    WCHAR windows[MAX_PATH];
    WCHAR data[MAX_PATH];
    WCHAR backup[MAX_PATH];          /* set by the create-backup step */
    WCHAR restore_from[MAX_PATH];    /* repair_restore: the backup being put back */
    struct svc_wait wait;

    struct repair_step steps[REPAIR_MAX_STEPS];
    unsigned count;

    /* the service as found when the plan was built */
    DWORD state_before;
    DWORD start_type_before;
    WCHAR dependents[REPAIR_MAX_DEPENDENTS][SVC_NAME_CCH];   /* running dependents, deepest first */
    unsigned dependent_count;
    WCHAR stopped_dependents[REPAIR_MAX_DEPENDENTS][SVC_NAME_CCH];
    unsigned stopped_dependent_count;
    BOOL stopped_service;            /* this job stopped the service */
    BOOL started_service;            /* this job started the service */

    HANDLE manifest;                 /* open for appending while the job runs */
    HANDLE log;
    unsigned manifest_unflushed;
    struct repair_move *moves;
    size_t move_count, move_capacity;
    struct manifest restore_manifest; /* repair_restore: parsed manifest of restore_from */
};

/* repair_plan.c: building and running plans */
struct repair_step *repair_add_step(struct repair_job *job, repair_step_fn run, repair_step_fn undo,
                                    const WCHAR *format, ...);
void repair_detail(struct repair_step *step, const WCHAR *format, ...);
void repair_log(struct repair_job *job, const WCHAR *format, ...);
DWORD repair_manifest_line(struct repair_job *job, const char *line, size_t length, BOOL flush);
DWORD repair_manifest_flush(struct repair_job *job);
char *repair_utf8(const WCHAR *text);   /* malloc'ed; NULL on failure */
void repair_error_text(DWORD error, WCHAR *buffer, size_t count);

/* repair_files.c: moving with a journal, links never followed */
DWORD repair_step_create_backup(struct repair_job *job, struct repair_step *step);
DWORD repair_move(struct repair_job *job, struct repair_step *step, const WCHAR *from, const WCHAR *to,
                  unsigned flags);
DWORD repair_move_pattern(struct repair_job *job, struct repair_step *step, const WCHAR *dir,
                          const WCHAR *prefix, const WCHAR *suffix);
DWORD repair_undo_moves(struct repair_job *job, struct repair_step *step);
void repair_backup_path(struct repair_job *job, const WCHAR *original, WCHAR *out, size_t count);
BOOL repair_is_reparse(DWORD attributes);
DWORD repair_make_data_dir(const WCHAR *path);
DWORD repair_cancel_pending(const WCHAR *from, const WCHAR *to);
DWORD repair_restore_moves(struct repair_job *job, struct repair_step *step);

/* repair_service.c: the service steps */
SC_HANDLE repair_open_scm(struct repair_job *job, DWORD access);
/* The service's status on the job's machine: 0, or the error of the SCM call that failed. */
DWORD repair_query_status(struct repair_job *job, const WCHAR *name, SERVICE_STATUS_PROCESS *status);   /* job->machine's SCM */
DWORD repair_read_service(struct repair_job *job);
void repair_add_stop_steps(struct repair_job *job);
void repair_add_start_steps(struct repair_job *job);
DWORD repair_step_set_automatic(struct repair_job *job, struct repair_step *step);
DWORD repair_undo_set_automatic(struct repair_job *job, struct repair_step *step);
DWORD repair_step_start_service(struct repair_job *job, struct repair_step *step);
DWORD repair_undo_start_service(struct repair_job *job, struct repair_step *step);
DWORD repair_step_start_dependency(struct repair_job *job, struct repair_step *step);

/* repair_catalog.c / repair_system.c: the plans of each repair */
DWORD repair_build_clear_logs(struct repair_job *job);
DWORD repair_build_rebuild(struct repair_job *job);
DWORD repair_build_dlls(struct repair_job *job);
DWORD repair_build_root_list(struct repair_job *job);
DWORD repair_build_wintrust(struct repair_job *job);
DWORD repair_build_restore(struct repair_job *job);

#endif
