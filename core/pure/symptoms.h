/* core/pure/symptoms.h: the symptom finder: error codes and messages users see, mapped to our findings and repairs. */
#ifndef CSD_SYMPTOMS_H
#define CSD_SYMPTOMS_H

#include <stddef.h>
#include <stdint.h>

#include "pure/diag.h"

struct symptom {
    uint32_t code;                 /* the HRESULT as Windows Update shows it; 0 for a message-only entry */
    const char *name;              /* "ERROR_NOT_FOUND", or "" when Microsoft gives it no public name */
    const char *message;           /* what the user sees (the text that word searches match) */
    int ours;                      /* 1: Cryptographic Services or catroot2 can cause it; 0: it is NOT ours */
    enum diag_component component; /* the row to look at (meaningful when ours) */
    enum diag_repair repair;       /* the repair to try first (REPAIR_NONE: see explanation) */
    const char *explanation;       /* one line in plain words: what it means and what to do */
    const char *source;            /* where the mapping comes from */
};

/* The whole table, for the GUI's list and the CLI's `symptoms` command. */
const struct symptom *symptom_table(size_t *count);

/*
 * Reads an error code in any common form: "0x80070490", "0X80070490", "80070490",
 * "-2147023728", "2147943568", "Error 0x80070490" (the first code-like token of a text),
 * and a bare Win32 error below 65536 ("1058") as its HRESULT (0x80070422).
 * Returns 1 and *code, or 0 when the text holds no code.
 */
int symptom_parse_code(const char *input, uint32_t *code);

/*
 * The entries matching `input`: a code (symptom_parse_code) matches its entry exactly;
 * otherwise the words of the input are matched against each message (case-insensitive,
 * short and common words ignored), best match first. Writes at most `max` pointers into
 * `out` (may be NULL with max 0) and returns how many matched in all.
 */
size_t symptom_find(const char *input, const struct symptom **out, size_t max);

#endif
