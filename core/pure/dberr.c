/* core/pure/dberr.c: catroot2's dberr.txt, decoded as text and searched for dates, ESE errors and HRESULTs. */
#include "pure/dberr.h"

#include <string.h>

struct jet_error {
    int code;
    const char *name, *text;
};

/* research/ese-format.md §5.4 (from jethdr.w). */
static const struct jet_error jet_errors[] = {
    { -501, "JET_errLogFileCorrupt", "Log file is corrupt" },
    { -509, "JET_errMissingPreviousLogFile", "Missing the log file for check point" },
    { -513, "JET_errLogGenerationMismatch", "Name of logfile does not match internal generation number" },
    { -514, "JET_errBadLogVersion", "Version of log file is not compatible with Jet version" },
    { -515, "JET_errInvalidLogSequence", "Timestamp in next log does not match expected" },
    { -528, "JET_errMissingLogFile", "Current log file missing" },
    { -530, "JET_errBadLogSignature", "Bad signature for a log file" },
    { -531, "JET_errBadDbSignature", "Bad signature for a db file" },
    { -532, "JET_errBadCheckpointSignature", "Bad signature for a checkpoint file" },
    { -533, "JET_errCheckpointCorrupt", "Checkpoint file not found or corrupt" },
    { -539, "JET_errDatabaseLogSetMismatch", "Database does not belong with the current set of log files" },
    { -541, "JET_errLogFileSizeMismatch", "Actual log file size does not match the configured size" },
    { -543, "JET_errRequiredLogFilesMissing", "The required log files for recovery are missing" },
    { -546, "JET_errLogSectorSizeMismatch", "The log file sector size does not match the current volume's sector size" },
    { -550, "JET_errDatabaseDirtyShutdown", "Database was not shutdown cleanly" },
    { -563, "JET_errDatabaseIncompleteUpgrade", "Database is partially upgraded" },
    { -583, "JET_errSectorSizeNotSupported", "The physical sector size reported by the disk subsystem is unsupported" },
    { -614, "JET_errCheckpointDepthTooDeep", "Too many outstanding generations between checkpoint and current generation" },
    { -1018, "JET_errReadVerifyFailure", "Checksum error on a database page" },
    { -1019, "JET_errPageNotInitialized", "Blank database page" },
    { -1021, "JET_errDiskReadVerificationFailure", "The OS returned ERROR_CRC from file IO" },
    { -1022, "JET_errDiskIO", "Disk IO error" },
    { -1026, "JET_errRecordTooBig", "Record larger than maximum size" },
    { -1032, "JET_errFileAccessDenied", "Cannot access file, the file is locked or in use" },
    { -1118, "JET_errReadPgnoVerifyFailure", "The database page read from disk had the wrong page number" },
    { -1121, "JET_errFileSystemCorruption", "File system operation failed with an error indicating the file system is corrupt" },
    { -1206, "JET_errDatabaseCorrupted", "Non database file or corrupted db" },
    { -1209, "JET_errInvalidDatabaseVersion", "Database engine is incompatible with database" },
    { -1213, "JET_errPageSizeMismatch", "The database page size does not match the engine" },
    { -1811, "JET_errFileNotFound", "File not found" },
};

static const struct jet_error *find_error(int code)
{
    for (size_t i = 0; i < sizeof(jet_errors) / sizeof(jet_errors[0]); i++)
        if (jet_errors[i].code == code) return &jet_errors[i];
    return NULL;
}

const char *dberr_ese_error_name(int code)
{
    const struct jet_error *e = find_error(code);
    return e ? e->name : NULL;
}

const char *dberr_ese_error_text(int code)
{
    const struct jet_error *e = find_error(code);
    return e ? e->text : NULL;
}

/* ---- decoding ---- */

struct decoder {
    const uint8_t *bytes;
    size_t length, pos;
    enum dberr_encoding encoding;
    size_t fallbacks; /* bytes that were not valid UTF-8 */
};

/* Windows-1252's 0x80..0x9f; the rest of the high half maps to the same code point. */
static const uint16_t cp1252_high[32] = {
    0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
    0x0152, 0xfffd, 0x017d, 0xfffd, 0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

static uint32_t ansi_char(uint8_t b)
{
    return b >= 0x80 && b < 0xa0 ? cp1252_high[b - 0x80] : b;
}

static uint32_t next_utf16(struct decoder *d)
{
    uint32_t unit, low;

    if (d->pos + 1 >= d->length) {
        d->pos = d->length;
        return 0xfffd; /* an odd last byte */
    }
    unit = (uint32_t)d->bytes[d->pos] | (uint32_t)d->bytes[d->pos + 1] << 8;
    d->pos += 2;
    if (unit < 0xd800 || unit > 0xdfff) return unit;
    if (unit > 0xdbff || d->pos + 1 >= d->length) return 0xfffd;
    low = (uint32_t)d->bytes[d->pos] | (uint32_t)d->bytes[d->pos + 1] << 8;
    if (low < 0xdc00 || low > 0xdfff) return 0xfffd;
    d->pos += 2;
    return 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
}

/* A valid UTF-8 sequence gives its code point; any broken byte is read as Windows-1252. */
static uint32_t next_utf8(struct decoder *d)
{
    const uint8_t *p = d->bytes + d->pos;
    size_t left = d->length - d->pos, need;
    uint32_t cp;

    if (p[0] < 0x80) {
        d->pos++;
        return p[0];
    }
    if (p[0] >= 0xc2 && p[0] <= 0xdf) { need = 1; cp = p[0] & 0x1fu; }
    else if (p[0] >= 0xe0 && p[0] <= 0xef) { need = 2; cp = p[0] & 0x0fu; }
    else if (p[0] >= 0xf0 && p[0] <= 0xf4) { need = 3; cp = p[0] & 0x07u; }
    else need = 0, cp = 0;
    if (need && need < left) {
        size_t i;
        for (i = 1; i <= need && (p[i] & 0xc0) == 0x80; i++) cp = cp << 6 | (p[i] & 0x3fu);
        if (i > need && !(cp >= 0xd800 && cp <= 0xdfff) && cp <= 0x10ffff &&
            cp >= (need == 1 ? 0x80u : need == 2 ? 0x800u : 0x10000u)) {
            d->pos += need + 1;
            return cp;
        }
    }
    d->pos++;
    d->fallbacks++;
    return ansi_char(p[0]);
}

static uint32_t next_char(struct decoder *d)
{
    if (d->encoding == DBERR_UTF16LE) return next_utf16(d);
    if (d->encoding == DBERR_UTF8) return next_utf8(d);
    return ansi_char(d->bytes[d->pos++]);
}

/* BOM first; without one, UTF-16LE text shows zero bytes at odd offsets. */
static void detect(struct decoder *d)
{
    size_t sample = d->length < 512 ? d->length : 512, odd_zero = 0, even_zero = 0;

    d->encoding = DBERR_UTF8;
    if (d->length >= 2 && d->bytes[0] == 0xff && d->bytes[1] == 0xfe) {
        d->encoding = DBERR_UTF16LE;
        d->pos = 2;
        return;
    }
    if (d->length >= 3 && d->bytes[0] == 0xef && d->bytes[1] == 0xbb && d->bytes[2] == 0xbf) {
        d->pos = 3;
        return;
    }
    for (size_t i = 0; i < sample; i++) {
        if (d->bytes[i]) continue;
        if (i & 1) odd_zero++;
        else even_zero++;
    }
    if (sample >= 4 && odd_zero * 4 >= sample && even_zero * 8 < sample) d->encoding = DBERR_UTF16LE;
}

/* ---- one line ---- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hex_digit(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_word(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Reads 1..max digits at s; returns how many, value in *value. */
static int read_number(const char *s, int max, unsigned *value)
{
    int n = 0;
    *value = 0;
    while (n < max && is_digit(s[n])) *value = *value * 10 + (unsigned)(s[n++] - '0');
    return n;
}

static int plausible(const struct dberr_time *t)
{
    return t->year >= 1990 && t->year <= 2100 && t->month >= 1 && t->month <= 12 && t->day >= 1 && t->day <= 31;
}

/* 2024-02-26 / 2024/02/26, 02/26/2024 (US, or 26/02/2024 when the first part > 12), 26.02.2024. */
static int read_date(const char *s, struct dberr_time *t)
{
    unsigned a, b, c;
    int na = read_number(s, 4, &a), nb, nc;
    char sep = s[na];

    if (!na || (sep != '-' && sep != '/' && sep != '.')) return 0;
    nb = read_number(s + na + 1, 2, &b);
    if (!nb || s[na + 1 + nb] != sep) return 0;
    nc = read_number(s + na + nb + 2, 4, &c);
    if (!nc || is_digit(s[na + nb + 2 + nc])) return 0;
    if (na == 4) { t->year = a; t->month = b; t->day = c; }
    else if (nc == 4 && sep == '.') { t->day = a; t->month = b; t->year = c; }
    else if (nc == 4 && a > 12) { t->day = a; t->month = b; t->year = c; }
    else if (nc == 4) { t->month = a; t->day = b; t->year = c; }
    else return 0;
    return plausible(t) ? na + nb + nc + 2 : 0;
}

static int read_clock(const char *s, struct dberr_time *t)
{
    unsigned h, m, sec = 0;
    int nh = read_number(s, 2, &h), nm;

    if (!nh || s[nh] != ':') return 0;
    nm = read_number(s + nh + 1, 2, &m);
    if (nm != 2) return 0;
    if (s[nh + 3] == ':' && read_number(s + nh + 4, 2, &sec) != 2) sec = 0;
    if (h > 23 || m > 59 || sec > 60) return 0;
    t->hour = h;
    t->minute = m;
    t->second = sec;
    return 1;
}

static void find_time(const char *text, struct dberr_time *t)
{
    for (const char *s = text; *s; s++) {
        if (!is_digit(*s) || (s > text && is_word(s[-1]))) continue;
        memset(t, 0, sizeof(*t));
        if (read_date(s, t)) {
            t->is_set = 1;
            for (const char *c = s; *c && c < s + 24; c++)
                if (is_digit(*c) && (c == text || !is_digit(c[-1])) && read_clock(c, t)) break;
            return;
        }
    }
    memset(t, 0, sizeof(*t));
}

/* "error=0xfffffbfe" (KB940276): an ESE error printed as an unsigned 32-bit number. */
static int find_hex_ese_error(const char *text)
{
    for (const char *s = text; s[0] && s[1]; s++) {
        uint32_t value = 0;
        int n = 0;
        if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || (s > text && is_word(s[-1]))) continue;
        while (n < 8 && hex_digit(s[2 + n])) {
            char c = s[2 + n++];
            value = value << 4 | (uint32_t)(is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        if (n == 8 && !is_word(s[10]) && value >= 0xffffd8f1u && value <= 0xffffff9cu)
            return -(int)(0u - value);
    }
    return 0;
}

/* "-1018" with no digit or letter before the '-' and none after: ESE errors run -100..-9999. */
static int find_ese_error(const char *text)
{
    int fallback = 0;

    for (const char *s = text; *s; s++) {
        unsigned value;
        int n;
        if (*s != '-' || (s > text && (is_word(s[-1]) || s[-1] == '-'))) continue;
        n = read_number(s + 1, 5, &value);
        if (n < 3 || n > 4 || is_word(s[1 + n])) continue;
        if (find_error(-(int)value)) return -(int)value;
        if (!fallback) fallback = -(int)value;
    }
    return fallback ? fallback : find_hex_ese_error(text);
}

static uint32_t find_hresult(const char *text)
{
    for (const char *s = text; s[0] && s[1]; s++) {
        uint32_t value = 0;
        int n = 0;
        if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || (s > text && is_word(s[-1]))) continue;
        while (n < 8 && hex_digit(s[2 + n])) {
            char c = s[2 + n++];
            value = value << 4 | (uint32_t)(is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        /* 0xFFFFxxxx is a negative number printed in hex (an ESE error), not an HRESULT. */
        if (n == 8 && !is_word(s[10]) && (value & 0x80000000u) && value < 0xffff0000u) return value;
    }
    return 0;
}

/* ---- assembling lines ---- */

static void put_utf8(struct dberr_line *line, size_t *used, uint32_t cp)
{
    char bytes[4];
    size_t n;

    if (cp < 0x20 || cp == 0x7f) cp = ' ';
    if (cp < 0x80) { bytes[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { bytes[0] = (char)(0xc0 | cp >> 6); bytes[1] = (char)(0x80 | (cp & 0x3f)); n = 2; }
    else if (cp < 0x10000) {
        bytes[0] = (char)(0xe0 | cp >> 12); bytes[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        bytes[2] = (char)(0x80 | (cp & 0x3f)); n = 3;
    } else {
        bytes[0] = (char)(0xf0 | cp >> 18); bytes[1] = (char)(0x80 | (cp >> 12 & 0x3f));
        bytes[2] = (char)(0x80 | (cp >> 6 & 0x3f)); bytes[3] = (char)(0x80 | (cp & 0x3f)); n = 4;
    }
    /* Never cut a character in half: a line that does not fit stops at a whole one. */
    if (*used + n >= DBERR_LINE_LENGTH) {
        line->truncated = 1;
        return;
    }
    memcpy(line->text + *used, bytes, n);
    *used += n;
    line->text[*used] = '\0';
}

static int time_after(const struct dberr_time *a, const struct dberr_time *b)
{
    unsigned long long x = ((((a->year * 13ull + a->month) * 32 + a->day) * 24 + a->hour) * 60 + a->minute) * 61 + a->second;
    unsigned long long y = ((((b->year * 13ull + b->month) * 32 + b->day) * 24 + b->hour) * 60 + b->minute) * 61 + b->second;
    return !b->is_set || x > y;
}

static void finish_line(struct dberr_result *out, struct dberr_line *line, size_t used)
{
    size_t slot;

    while (used > 0 && line->text[used - 1] == ' ') line->text[--used] = '\0';
    if (used == 0) return;
    find_time(line->text, &line->time);
    line->ese_error = find_ese_error(line->text);
    line->hresult = find_hresult(line->text);
    out->line_count++;
    if (line->ese_error || line->hresult) out->error_line_count++;
    if (line->ese_error) out->last_ese_error = line->ese_error;
    if (line->hresult) out->last_hresult = line->hresult;
    if (line->time.is_set && time_after(&line->time, &out->newest)) out->newest = line->time;
    if (out->tail_count < DBERR_TAIL_MAX) {
        slot = out->tail_count++;
    } else {
        slot = out->tail_start;
        out->tail_start = (out->tail_start + 1) % DBERR_TAIL_MAX;
    }
    out->tail[slot] = *line;
}

/* The ring buffer back into oldest-first order, so callers index tail[] plainly. */
static void unroll_tail(struct dberr_result *out)
{
    for (size_t turn = 0; turn < out->tail_start; turn++) {
        struct dberr_line first = out->tail[0];
        memmove(&out->tail[0], &out->tail[1], (DBERR_TAIL_MAX - 1) * sizeof(out->tail[0]));
        out->tail[DBERR_TAIL_MAX - 1] = first;
    }
    out->tail_start = 0;
}

size_t dberr_parse(const uint8_t *bytes, size_t length, struct dberr_result *out)
{
    struct decoder d = { bytes, bytes ? length : 0, 0, DBERR_UTF8, 0 };
    struct dberr_line line;
    size_t used = 0, controls = 0, chars = 0;
    uint32_t previous = 0;

    memset(out, 0, sizeof(*out));
    memset(&line, 0, sizeof(line));
    detect(&d);
    out->encoding = d.encoding;
    while (d.pos < d.length) {
        uint32_t cp = next_char(&d);
        chars++;
        if (cp == '\n' || cp == '\r') {
            if (!(cp == '\n' && previous == '\r')) finish_line(out, &line, used);
            memset(&line, 0, sizeof(line));
            used = 0;
        } else {
            if ((cp < 0x20 && cp != '\t') || cp == 0xfffd) controls++;
            put_utf8(&line, &used, cp);
        }
        previous = cp;
    }
    finish_line(out, &line, used);
    unroll_tail(out);
    /* Real text has next to no control characters; random bytes have about one in nine. */
    if (chars && controls * 16 > chars)
        strncpy(out->damaged, "damaged: the file does not look like text", sizeof(out->damaged) - 1);
    else if (d.encoding == DBERR_UTF8 && d.fallbacks)
        out->encoding = DBERR_ANSI;
    return out->line_count;
}
