/* core/pure/dberr.h: catroot2's dberr.txt, read as text: its lines, dates, ESE errors and HRESULTs. */
#ifndef CSD_DBERR_H
#define CSD_DBERR_H

/*
 * The file's format is undocumented (research/ese-format.md §5.2), so nothing here
 * assumes one: the bytes are decoded (UTF-16LE with or without BOM, UTF-8 with or
 * without BOM, anything else byte by byte as Windows-1252), split into lines, and each
 * line is searched for a date/time, an ESE error (a negative decimal such as -1018)
 * and an HRESULT (0x8xxxxxxx). Only the last DBERR_TAIL_MAX non-empty lines are kept.
 * Garbage in gives fewer facts out, never a crash; no allocation.
 */

#include <stddef.h>
#include <stdint.h>

#define DBERR_LINE_LENGTH 256 /* bytes of UTF-8 kept per line, with the NUL */
#define DBERR_TAIL_MAX 32

enum dberr_encoding { DBERR_UTF8 = 0, DBERR_UTF16LE, DBERR_ANSI };

struct dberr_time {
    int is_set;
    unsigned year, month, day, hour, minute, second; /* hour.. 0 when the line has a date only */
};

struct dberr_line {
    char text[DBERR_LINE_LENGTH]; /* UTF-8, control characters replaced by spaces */
    int truncated;                /* the line was longer than text */
    struct dberr_time time;
    int ese_error;                /* first ESE error on the line (e.g. -1018), 0 if none */
    uint32_t hresult;             /* first 0x8xxxxxxx on the line, 0 if none */
};

struct dberr_result {
    char damaged[128];            /* "" or "damaged: ..." when the bytes are not text */
    enum dberr_encoding encoding;
    size_t line_count;            /* non-empty lines in the whole file */
    size_t error_line_count;      /* lines with an ESE error or an HRESULT */
    struct dberr_time newest;     /* latest date seen on any line */
    int last_ese_error;           /* from the last line that had one */
    uint32_t last_hresult;
    size_t tail_count;            /* lines in tail, oldest first */
    struct dberr_line tail[DBERR_TAIL_MAX];
    /* private: ring position while parsing */
    size_t tail_start;
};

/* Returns the number of non-empty lines. */
size_t dberr_parse(const uint8_t *bytes, size_t length, struct dberr_result *out);

/* "JET_errReadVerifyFailure" for -1018 etc. (the table of §5.4), NULL when unknown. */
const char *dberr_ese_error_name(int code);
/* Microsoft's one-line meaning of that error, NULL when unknown. */
const char *dberr_ese_error_text(int code);

#endif
