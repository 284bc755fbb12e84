/* core/win/checks.h: the read-only checks behind each row of the diagnosis, and diag_run that runs them all. */
#ifndef CSD_CHECKS_H
#define CSD_CHECKS_H

#include <windows.h>

#include "pure/diag.h"
#include "pure/rules.h"
#include "win/svc.h"

/*
 * Every check gathers plain facts through the seam (core/win/seam.h) and hands them to the
 * rules (core/pure/rules.h), which make the row. Checks only read: nothing is changed,
 * started or stopped. A call that fails becomes a fact ("access is denied"), never a
 * guessed state; what Wine cannot really do reads "could not check: <reason>".
 * None needs admin rights except reading the cached Group Policy templates
 * (%SystemRoot%\security\templates\policies), which says so when denied.
 */

struct diag_options {
    DWORD query_timeout_ms;      /* bound on one service status query (default 15 000) */
    DWORD pending_watch_ms;      /* how long a pending service is watched for progress (default 30 000) */
    DWORD catalog_timeout_ms;    /* bound on the catalog API lookup (default 20 000) */
    DWORD event_days;            /* how far back the Application log is read (default 30) */
    BOOL skip_catalog_scan;      /* do not run catdb_scan (the row says "database not checked yet") */
    BOOL deep_catalog_scan;      /* catdb_scan with every page checked (slower) */
    const WCHAR *service_name;   /* NULL: L"CryptSvc" (tests use a stand-in of their own) */
    const WCHAR *windows_dir;    /* NULL: the machine's own %SystemRoot% (tests point at a fixture) */
};
#define DIAG_OPTIONS_DEFAULT { 15000, 30000, 20000, 30, FALSE, FALSE, NULL, NULL }

struct checks_scm;

/* What every check needs to know about the machine. */
struct checks_env {
    const WCHAR *machine;        /* NULL: this computer */
    int remote;
    int wine;                    /* ntdll exports wine_get_version: some checks cannot be real */
    struct rules_version version;
    DWORD version_error;         /* 0, or why the version is unknown */
    WCHAR windows_dir[MAX_PATH]; /* the machine's %SystemRoot% ("" if unknown) */
    DWORD windows_dir_error;     /* 0, or why it is unknown */
    char windows_dir_utf8[RULES_NAME_LENGTH];
    const WCHAR *service_name;
    struct diag_options options; /* with the defaults filled in */
    struct checks_scm *scm;      /* NULL: each service query opens the SCM itself; diag_run
                                    shares one connection (checks_internal.h) */
};

/* Fills *env (never fails: what it cannot learn stays unknown and is said so by the rows). */
void checks_env_init(const WCHAR *machine, const struct diag_options *options, struct checks_env *env);

/* The whole diagnosis of `machine` (NULL or "": this computer; "NAME" or "\\NAME"), in the
 * order the user sees the rows: the service, its four parts, RpcSs, AppIDSvc, wuauserv.
 * options NULL: DIAG_OPTIONS_DEFAULT. Returns 0 (the rows say what could not be checked)
 * or ERROR_NOT_ENOUGH_MEMORY; on failure *out is untouched. */
DWORD diag_run(const WCHAR *machine, const struct diag_options *options, struct diagnosis *out);

/* ---- one row each: gather the facts, then apply the rules -------------------------------- */

/* The service row. `info` (may be NULL) receives svc_query's answer for the other rows;
 * returns svc_query's error (0 when it answered). */
DWORD checks_service_facts(const struct checks_env *env, struct rules_service_facts *facts, struct svc_info *info);
void checks_service_row(const struct checks_env *env, struct diag_row *row, struct svc_info *info, DWORD *error);

/* RpcSs, AppIDSvc, wuauserv. `crypt` is CryptSvc's svc_query answer (NULL if it failed). */
void checks_dependency_facts(const struct checks_env *env, enum diag_component component,
                             const struct svc_info *crypt, struct rules_dependency_facts *facts);
void checks_dependency_row(const struct checks_env *env, enum diag_component component,
                           const struct svc_info *crypt, struct diag_row *row);

void checks_catalog_facts(const struct checks_env *env, struct rules_catalog_facts *facts);
void checks_catalog_row(const struct checks_env *env, struct diag_row *row);

void checks_root_facts(const struct checks_env *env, struct rules_root_facts *facts);
void checks_root_row(const struct checks_env *env, struct diag_row *row);

void checks_key_facts(const struct checks_env *env, struct rules_key_facts *facts);
void checks_key_row(const struct checks_env *env, struct diag_row *row);

void checks_root_update_facts(const struct checks_env *env, struct rules_root_update_facts *facts);
void checks_root_update_row(const struct checks_env *env, struct diag_row *row);

/* The Microsoft roots the protected-root check looks for in LocalMachine\Root. */
struct checks_ms_root {
    const char *name;
    BYTE sha1[20];
};
const struct checks_ms_root *checks_ms_roots(size_t *count);

#endif
