/* core/win/repair.h: the repairs: plans of named steps that can be listed, followed, cancelled and undone. */
#ifndef CSD_REPAIR_H
#define CSD_REPAIR_H

#include <windows.h>

#include "pure/diag.h"
#include "win/svc.h"

/*
 * Every repair is a plan of named steps. repair_describe lists the plan without touching
 * anything (a dry run); repair_run runs it: progress goes to options->progress before each
 * step (answer REPAIR_CANCEL to stop between steps), every step gets a result, and when a
 * step fails (or the caller cancels) the steps already done are undone in reverse, so the
 * service ends as it was (running stays running) and every moved file is back.
 *
 * Nothing is deleted: files and folders are moved into a backup folder
 * <data>\backups\<YYYYMMDD-HHMMSS>-<repair>[-N] (never overwriting an older one), and each
 * move is written to its manifest.txt (core/pure/manifest.h) before it happens. Every step
 * is logged with time and result to <data>\repair.log. <data> is %ProgramData%\CryptSvcDoctor,
 * created writable by Administrators and SYSTEM only. Links (junctions, symbolic links) are
 * never followed and never moved (under Wine, moving one moves what it points to).
 *
 * Before anything runs: the token must be elevated (else ERROR_ELEVATION_REQUIRED, nothing
 * done), and only one repair runs at a time machine-wide (a named mutex; else ERROR_BUSY,
 * "another repair is running").
 *
 * Another computer (options->machine): only the repairs that talk to nothing but the Service
 * Control Manager run there (repair_runs_remotely: set_automatic, start_service,
 * restart_service, stop_service, start_dependency), through the remote SCM as sc.exe \\NAME
 * does. The others change that computer's files and registry and are refused before anything
 * is read or touched, here or there (ERROR_NOT_SUPPORTED, "run csd on that computer"). The
 * local elevation check does not apply: the remote SCM decides (ERROR_ACCESS_DENIED when this
 * account is not an administrator there). The lock stays this computer's: one repair at a time
 * from here, whatever its target. The log still goes to this computer's <data>\repair.log when
 * it can be written; a remote repair does not fail for want of it. "NAME" that is this computer
 * ("", ".", "localhost", its own name) is a local repair.
 */

#define REPAIR_MAX_STEPS 40
#define REPAIR_TEXT_CCH 200
#define REPAIR_DETAIL_CCH 300
#define REPAIR_MESSAGE_CCH 400
#define REPAIR_DEFAULT_LOCK L"Global\\CryptSvcDoctorRepair"
#define REPAIR_WINTRUST_KEY L"Software\\Microsoft\\Windows\\CurrentVersion\\WinTrust\\Trust Providers\\Software Publishing"
#define REPAIR_WINTRUST_DEFAULT 0x23c00
#ifndef ERROR_ELEVATION_REQUIRED
#define ERROR_ELEVATION_REQUIRED 740L   /* winerror.h hides it below Vista's _WIN32_WINNT */
#endif

/* Repairs that are not rows of the diagnosis; numbered after enum diag_repair's. */
#define REPAIR_STOP_SERVICE ((enum diag_repair)100)   /* stop CryptSvc, running dependents first */
#define REPAIR_RESTORE ((enum diag_repair)101)        /* put a backup back (repair_restore) */

enum repair_answer { REPAIR_CONTINUE = 0, REPAIR_CANCEL = 1 };

/* Called before each step: `index` counts from 0 up to `count` - 1. */
typedef enum repair_answer (*repair_progress_fn)(void *context, unsigned index, unsigned count, const WCHAR *text);

enum repair_question {
    REPAIR_ASK_DELAY_UNTIL_REBOOT,   /* a file is in use: finish its move at the next restart? */
    REPAIR_ASK_END_PROCESS           /* the service hangs: end its host process (PID in the text)? */
};
/* TRUE means yes. Without a confirm callback every question is answered no. */
typedef BOOL (*repair_confirm_fn)(void *context, enum repair_question question, const WCHAR *text);

struct repair_options {
    const WCHAR *service;        /* NULL: L"CryptSvc" */
    const WCHAR *windows_dir;    /* NULL: %SystemRoot%; tests pass a private folder */
    const WCHAR *data_dir;       /* NULL: %ProgramData%\CryptSvcDoctor (backups\ and repair.log) */
    const WCHAR *lock_name;      /* NULL: REPAIR_DEFAULT_LOCK */
    const WCHAR *dependency;     /* REPAIR_START_DEPENDENCY: the service to start; NULL: every
                                    stopped service `service` depends on */
    HKEY wintrust_root;          /* with wintrust_key: the one WinTrust key to check (tests); */
    const WCHAR *wintrust_key;   /* NULL: HKCU and HKU\.DEFAULT \ REPAIR_WINTRUST_KEY */
    struct svc_wait wait;        /* zero: SVC_WAIT_DEFAULT; bounds every stop and start */
    BOOL light_cure;             /* REPAIR_CLEAR_LOGS: set aside only catroot2\Edb.log (KB822798
                                    method 1), as the diagnosis says when that is enough */
    repair_progress_fn progress;
    repair_confirm_fn confirm;
    void *context;               /* passed to progress and confirm */
    const WCHAR *machine;        /* NULL: this computer; else "NAME" or "\\NAME" (service-state
                                    repairs only, see above) */
};

enum repair_step_status {
    REPAIR_STEP_PLANNED = 0,     /* not run (dry run, or the plan stopped before it) */
    REPAIR_STEP_DONE,
    REPAIR_STEP_SKIPPED,         /* nothing to do; detail says why */
    REPAIR_STEP_WARNING,         /* done, but detail says what did not go as hoped */
    REPAIR_STEP_PENDING_REBOOT,  /* finishes at the next restart (MoveFileEx) */
    REPAIR_STEP_FAILED,
    REPAIR_STEP_UNDONE,          /* done, then undone because a later step failed */
    REPAIR_STEP_UNDO_FAILED      /* could not be undone; detail says what is left where */
};

struct repair_step_result {
    WCHAR text[REPAIR_TEXT_CCH];       /* "Stop CryptSvc" */
    enum repair_step_status status;
    DWORD error;                       /* Win32 error or HRESULT of a failed step, else 0 */
    WCHAR detail[REPAIR_DETAIL_CCH];   /* plain words: what happened */
};

struct repair_result {
    DWORD error;                       /* 0, or why the repair did not complete */
    WCHAR message[REPAIR_MESSAGE_CCH]; /* one or two sentences for the user */
    BOOL cancelled;
    BOOL rolled_back;                  /* a step failed or was cancelled and the others were undone */
    BOOL pending_reboot;               /* something finishes at the next restart */
    BOOL start_type_not_kept;          /* Automatic was set but the SCM reports another start type */
    unsigned step_count;
    struct repair_step_result steps[REPAIR_MAX_STEPS];
    WCHAR backup_dir[MAX_PATH];        /* "" when the repair needed no backup */
    unsigned moved;                    /* files and folders moved (and still moved at the end) */
    DWORD state_before, state_after;   /* SERVICE_RUNNING ...; 0 when unknown */
};

/* The plan of `repair` as it would run now (a dry run: reads only). */
DWORD repair_describe(enum diag_repair repair, const struct repair_options *options, struct repair_result *out);

/* Runs `repair`. Returns 0 or out->error. out is always filled. */
DWORD repair_run(enum diag_repair repair, const struct repair_options *options, struct repair_result *out);

/* Puts back everything a backup folder's manifest says was moved or changed: the service is
 * stopped (dependents first) while files go back and then started again if it was running.
 * Something found where an item goes back is set aside into the backup, never overwritten. */
DWORD repair_restore(const WCHAR *backup_dir, const struct repair_options *options, struct repair_result *out);
DWORD repair_describe_restore(const WCHAR *backup_dir, const struct repair_options *options,
                              struct repair_result *out);

/* "Fix all": runs `count` repairs (diag_plan's list, in its order), stopping at the first that
 * fails, then calls `rediagnose` (may be NULL) so the caller sees the machine as it is now.
 * results[i] (may be NULL) receives repair i's result; *ran how many were attempted. With
 * options->machine, a repair that cannot run remotely does not stop the others: its result
 * holds ERROR_NOT_SUPPORTED and the words "run csd on that computer". */
typedef DWORD (*repair_rediagnose_fn)(void *context);
DWORD repair_fix_all(const enum diag_repair *repairs, size_t count, const struct repair_options *options,
                     repair_rediagnose_fn rediagnose, struct repair_result *results, size_t *ran);

/* The same for a diagnosis: its rows' repairs in diag_plan's order (REPAIR_START_DEPENDENCY
 * starts the service its row names). `results` holds `max` results (may be NULL). */
DWORD repair_fix_diagnosis(const struct diagnosis *diagnosis, const struct repair_options *options,
                           repair_rediagnose_fn rediagnose, struct repair_result *results, size_t max, size_t *ran);

/* TRUE for the repairs that only talk to the SCM, so may run on another computer. */
BOOL repair_runs_remotely(enum diag_repair repair);

/* Whether this process's token is elevated (administrator). Returns 0 or the error. */
DWORD repair_is_elevated(BOOL *elevated);

/* "set_automatic", ..., "stop_service", "restore". */
const char *repair_id(enum diag_repair repair);
/* Plain words for a step status: "done", "skipped", ... */
const WCHAR *repair_step_status_name(enum repair_step_status status);

#endif
