/* core/win/checks_internal.h: helpers shared by the checks*.c files (not for other modules). */
#ifndef CSD_CHECKS_INTERNAL_H
#define CSD_CHECKS_INTERNAL_H

#include "win/checks.h"

/* UTF-16 to UTF-8 into a fixed buffer, cut at a character boundary. */
void checks_utf8(const WCHAR *text, char *out, size_t size);

/*
 * Runs work(context) on a worker thread and waits at most timeout_ms. Returns 0 when it
 * finished: the caller owns `context` again and frees it with release(context). Returns
 * RULES_TIMED_OUT when it did not: the worker keeps running and calls release(context)
 * itself when it ends, so `context` must be heap memory the caller no longer touches.
 * Returns CreateThread's error when no worker could start (context still the caller's).
 */
DWORD checks_run_bounded(void (*work)(void *context), void (*release)(void *context), void *context,
                         DWORD timeout_ms);

/* A DWORD / string / binary value of `subkey` under `root` (already connected). Returns 0 or
 * the error (2 when the key or value is absent). Strings are not expanded. */
DWORD checks_reg_dword(HKEY root, const WCHAR *subkey, const WCHAR *name, DWORD *value);
DWORD checks_reg_string(HKEY root, const WCHAR *subkey, const WCHAR *name, WCHAR *out, DWORD count);
DWORD checks_reg_binary(HKEY root, const WCHAR *subkey, const WCHAR *name, BYTE **data, DWORD *size);

/* Counts events in the Application log matching `xpath` (no time clause; one is added for
 * the last `days` days). With `must_contain` (may be NULL), only events whose XML contains
 * it (case-insensitive) count. `newest` (may be NULL) receives a plain line about the newest.
 * Returns 0, the error, or RULES_NO_ANSWER when EvtQuery gave neither a result nor an error. */
DWORD checks_count_events(const WCHAR *xpath, DWORD days, const WCHAR *must_contain, unsigned *count,
                          char *newest, size_t newest_size);

/*
 * One connection to this machine's Service Control Manager shared by the service and
 * dependency rows of one diag_run (each OpenSCManager costs a round trip to services.exe).
 * It is opened by the first bounded query that needs it, so a hung SCM is still bounded;
 * it is counted, so a query that outlives its bound keeps it open until it ends.
 */
struct checks_scm *checks_scm_create(void);
void checks_scm_release(struct checks_scm *scm);

#endif
