/* core/pure/manifest.h: the backup manifest, a plain-text journal of what a repair moved where. */
#ifndef CSD_MANIFEST_H
#define CSD_MANIFEST_H

#include <stddef.h>

/*
 * Every backup folder holds one manifest.txt. It is written line by line while the repair
 * runs (a line is on disk before the move it describes), so a crash or power cut leaves a
 * manifest that still names every item that may have moved. UTF-8, one record per line,
 * fields separated by TAB; a field never holds a TAB, CR or LF ('%' and control characters
 * are written as %XX). Lines:
 *
 *   csd-manifest 1                          first line, always
 *   repair  <name>                          which repair made this backup
 *   created <YYYY-MM-DDTHH:MM:SSZ>
 *   service <name>                          the service it stopped and started
 *   windows <path>                          the Windows folder it worked on
 *   move    file|dir  <from>  <to>          <from> is about to be moved to <to> (in the backup);
 *                                           written again when an undo-of-a-restore moves it again
 *   aside   file|dir  <from>  <to>          a restore found something new at <from> and set it
 *                                           aside to <to> (kept, never restored over the original)
 *   pending <from>  <to>                    that move waits for the next restart (MoveFileEx)
 *   restored <from>  <to>                   that move was put back
 *   value   <hive> <key> <name> <type> <hex>|absent   a registry value before it was changed
 *   value-restored <hive> <key> <name>      that value was put back
 *   note    <text>                          free text for people; ignored
 *
 * A move line alone does not say the move happened: restore looks at the disk (the item
 * is at <to>: move it back; it is still at <from>: nothing to do). The last line may be torn
 * by a crash; a final line without its newline is ignored and reported as torn.
 */

#define MANIFEST_MAGIC "csd-manifest 1"

enum manifest_kind { MANIFEST_FILE, MANIFEST_DIR, MANIFEST_VALUE };
enum manifest_state { MANIFEST_RECORDED, MANIFEST_PENDING, MANIFEST_RESTORED };

struct manifest_entry {
    enum manifest_kind kind;
    enum manifest_state state;
    char *from;                 /* moves: original place; values: hive ("HKCU", "HKU", "HKLM") */
    char *to;                   /* moves: place in the backup; values: key path */
    char *name;                 /* values only: value name */
    unsigned long type;         /* values only: REG_* type */
    int absent;                 /* values only: the value did not exist before */
    int aside;                  /* moves only: set aside by a restore; restore leaves it be */
    unsigned char *data;        /* values only */
    size_t data_length;
};

struct manifest {
    char *repair;
    char *created;
    char *service;
    char *windows;
    struct manifest_entry *entries;
    size_t count;
    int torn_tail;              /* the last line had no newline and was ignored */
};

/* Parses `length` bytes of manifest text. Returns 0, or the 1-based number of the first bad
 * line (then *out is untouched and `why` says what is wrong). Free with manifest_free. */
size_t manifest_parse(const char *text, size_t length, struct manifest *out, char *why, size_t why_size);
void manifest_free(struct manifest *manifest);

/* Each formatter writes one complete line (with its '\n') into `buffer`, and returns its length,
 * or 0 when `size` is too small or a field cannot be written. */
size_t manifest_format_header(char *buffer, size_t size, const char *repair, const char *created,
                              const char *service, const char *windows);
size_t manifest_format_move(char *buffer, size_t size, enum manifest_kind kind, const char *from,
                            const char *to);
size_t manifest_format_aside(char *buffer, size_t size, enum manifest_kind kind, const char *from,
                             const char *to);
size_t manifest_format_mark(char *buffer, size_t size, enum manifest_state state, const char *from,
                            const char *to);
size_t manifest_format_value(char *buffer, size_t size, const char *hive, const char *key, const char *name,
                             unsigned long type, const unsigned char *data, size_t data_length, int absent);
size_t manifest_format_value_restored(char *buffer, size_t size, const char *hive, const char *key,
                                      const char *name);

/* The entry for a move from `from` to `to`, or NULL. */
struct manifest_entry *manifest_find_move(struct manifest *manifest, const char *from, const char *to);

/* A backup folder name that sorts by time and never repeats: "20261125-074103-clear_logs",
 * with "-2", "-3"... appended for `attempt` > 1. Returns the length, or 0 if it did not fit. */
size_t manifest_backup_name(char *buffer, size_t size, int year, int month, int day, int hour, int minute,
                            int second, const char *repair, unsigned attempt);

#endif
