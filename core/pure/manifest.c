/* core/pure/manifest.c: parse and write the backup manifest (see manifest.h for the format). */
#include "pure/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 8

/* ---- writing -------------------------------------------------------------------------- */

struct out {
    char *buffer;
    size_t size;
    size_t used;
    int failed;
};

static void put_char(struct out *out, char c)
{
    if (out->used + 1 >= out->size) {
        out->failed = 1;
        return;
    }
    out->buffer[out->used++] = c;
    out->buffer[out->used] = 0;
}

static void put_raw(struct out *out, const char *text)
{
    while (*text) put_char(out, *text++);
}

/* A field: '%' and every control character become %XX, so TAB and newlines stay separators. */
static void put_field(struct out *out, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";

    put_char(out, '\t');
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '%' || *p < 0x20 || *p == 0x7f) {
            put_char(out, '%');
            put_char(out, hex[*p >> 4]);
            put_char(out, hex[*p & 15]);
        } else {
            put_char(out, (char)*p);
        }
    }
}

static size_t finish(struct out *out)
{
    put_char(out, '\n');
    if (out->failed) {
        if (out->size) out->buffer[0] = 0;
        return 0;
    }
    return out->used;
}

static struct out start(char *buffer, size_t size)
{
    struct out out = { buffer, size, 0, 0 };
    if (size) buffer[0] = 0;
    else out.failed = 1;
    return out;
}

size_t manifest_format_header(char *buffer, size_t size, const char *repair, const char *created,
                              const char *service, const char *windows)
{
    struct out out = start(buffer, size);

    put_raw(&out, MANIFEST_MAGIC "\nrepair");
    put_field(&out, repair);
    put_raw(&out, "\ncreated");
    put_field(&out, created);
    put_raw(&out, "\nservice");
    put_field(&out, service);
    put_raw(&out, "\nwindows");
    put_field(&out, windows);
    return finish(&out);
}

static size_t format_move(char *buffer, size_t size, const char *word, enum manifest_kind kind,
                          const char *from, const char *to)
{
    struct out out = start(buffer, size);

    if (kind == MANIFEST_VALUE || !*from || !*to) return 0;
    put_raw(&out, word);
    put_field(&out, kind == MANIFEST_DIR ? "dir" : "file");
    put_field(&out, from);
    put_field(&out, to);
    return finish(&out);
}

size_t manifest_format_move(char *buffer, size_t size, enum manifest_kind kind, const char *from,
                            const char *to)
{
    return format_move(buffer, size, "move", kind, from, to);
}

size_t manifest_format_aside(char *buffer, size_t size, enum manifest_kind kind, const char *from,
                             const char *to)
{
    return format_move(buffer, size, "aside", kind, from, to);
}

size_t manifest_format_mark(char *buffer, size_t size, enum manifest_state state, const char *from,
                            const char *to)
{
    struct out out = start(buffer, size);

    if (state == MANIFEST_RECORDED || !*from || !*to) return 0;
    put_raw(&out, state == MANIFEST_PENDING ? "pending" : "restored");
    put_field(&out, from);
    put_field(&out, to);
    return finish(&out);
}

size_t manifest_format_value(char *buffer, size_t size, const char *hive, const char *key, const char *name,
                             unsigned long type, const unsigned char *data, size_t data_length, int absent)
{
    static const char hex[] = "0123456789abcdef";
    struct out out = start(buffer, size);
    char number[24];

    if (!*hive || !*key) return 0;
    put_raw(&out, "value");
    put_field(&out, hive);
    put_field(&out, key);
    put_field(&out, name);
    snprintf(number, sizeof(number), "%lu", absent ? 0UL : type);
    put_field(&out, number);
    if (absent) {
        put_field(&out, "absent");
    } else {
        put_char(&out, '\t');
        for (size_t i = 0; i < data_length; i++) {
            put_char(&out, hex[data[i] >> 4]);
            put_char(&out, hex[data[i] & 15]);
        }
        if (!data_length) put_char(&out, '-');   /* an empty value, not a missing field */
    }
    return finish(&out);
}

size_t manifest_format_value_restored(char *buffer, size_t size, const char *hive, const char *key,
                                      const char *name)
{
    struct out out = start(buffer, size);

    if (!*hive || !*key) return 0;
    put_raw(&out, "value-restored");
    put_field(&out, hive);
    put_field(&out, key);
    put_field(&out, name);
    return finish(&out);
}

size_t manifest_backup_name(char *buffer, size_t size, int year, int month, int day, int hour, int minute,
                            int second, const char *repair, unsigned attempt)
{
    int length;

    if (!size) return 0;
    for (const char *p = repair; *p; p++)
        if (*p == '\\' || *p == '/' || *p == ':' || *p == '.' || (unsigned char)*p < 0x20) return 0;
    if (attempt > 1)
        length = snprintf(buffer, size, "%04d%02d%02d-%02d%02d%02d-%s-%u", year, month, day, hour, minute, second,
                          repair, attempt);
    else
        length = snprintf(buffer, size, "%04d%02d%02d-%02d%02d%02d-%s", year, month, day, hour, minute, second,
                          repair);
    if (length < 0 || (size_t)length >= size) {
        buffer[0] = 0;
        return 0;
    }
    return (size_t)length;
}

/* ---- reading -------------------------------------------------------------------------- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes %XX in place. Returns 0 on a malformed escape or an escaped NUL. */
static int unescape(char *text)
{
    char *out = text;

    for (char *p = text; *p; p++) {
        if (*p != '%') {
            *out++ = *p;
            continue;
        }
        int high = hex_value(p[1]), low = high < 0 ? -1 : hex_value(p[2]);
        if (high < 0 || low < 0 || (high == 0 && low == 0)) return 0;
        *out++ = (char)(high * 16 + low);
        p += 2;
    }
    *out = 0;
    return 1;
}

static char *copy_string(const char *text)
{
    size_t length = strlen(text);
    char *copy = malloc(length + 1);
    if (copy) memcpy(copy, text, length + 1);
    return copy;
}

static void free_entry(struct manifest_entry *entry)
{
    free(entry->from);
    free(entry->to);
    free(entry->name);
    free(entry->data);
}

void manifest_free(struct manifest *manifest)
{
    if (!manifest) return;
    for (size_t i = 0; i < manifest->count; i++) free_entry(&manifest->entries[i]);
    free(manifest->entries);
    free(manifest->repair);
    free(manifest->created);
    free(manifest->service);
    free(manifest->windows);
    memset(manifest, 0, sizeof(*manifest));
}

struct manifest_entry *manifest_find_move(struct manifest *manifest, const char *from, const char *to)
{
    for (size_t i = 0; i < manifest->count; i++) {
        struct manifest_entry *entry = &manifest->entries[i];
        if (entry->kind != MANIFEST_VALUE && !strcmp(entry->from, from) && !strcmp(entry->to, to)) return entry;
    }
    return NULL;
}

/* A hash index of the moves while parsing, so a manifest of 100 000 moves parses in linear time. */
struct move_index {
    size_t *slots;          /* entry number + 1; 0 is empty */
    size_t capacity;        /* a power of two */
};

static size_t hash_pair(const char *from, const char *to)
{
    size_t h = 14695981039346656037ULL & (size_t)-1;
    for (const unsigned char *p = (const unsigned char *)from; *p; p++) h = (h ^ *p) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
    for (const unsigned char *p = (const unsigned char *)to; *p; p++) h = (h ^ *p) * 1099511628211ULL;
    return h;
}

static struct manifest_entry *index_find(const struct move_index *index, struct manifest *m, const char *from,
                                         const char *to)
{
    if (!index->capacity) return NULL;
    for (size_t i = hash_pair(from, to) & (index->capacity - 1);; i = (i + 1) & (index->capacity - 1)) {
        struct manifest_entry *entry;
        if (!index->slots[i]) return NULL;
        entry = &m->entries[index->slots[i] - 1];
        if (!strcmp(entry->from, from) && !strcmp(entry->to, to)) return entry;
    }
}

static int index_add(struct move_index *index, struct manifest *m, size_t number)
{
    if ((m->count + 1) * 2 > index->capacity) {   /* keep it at most half full */
        size_t capacity = index->capacity ? index->capacity * 2 : 64;
        size_t *slots = calloc(capacity, sizeof(*slots));
        if (!slots) return 0;
        for (size_t i = 0; i < index->capacity; i++) {
            size_t j;
            if (!index->slots[i]) continue;
            j = hash_pair(m->entries[index->slots[i] - 1].from, m->entries[index->slots[i] - 1].to) & (capacity - 1);
            while (slots[j]) j = (j + 1) & (capacity - 1);
            slots[j] = index->slots[i];
        }
        free(index->slots);
        index->slots = slots;
        index->capacity = capacity;
    }
    {
        const struct manifest_entry *entry = &m->entries[number];
        size_t j = hash_pair(entry->from, entry->to) & (index->capacity - 1);
        while (index->slots[j]) j = (j + 1) & (index->capacity - 1);
        index->slots[j] = number + 1;
    }
    return 1;
}

static struct manifest_entry *find_value(struct manifest *manifest, const char *hive, const char *key,
                                         const char *name)
{
    /* The latest record of a value is the one that counts, so search from the end. */
    for (size_t i = manifest->count; i-- > 0;) {
        struct manifest_entry *entry = &manifest->entries[i];
        if (entry->kind == MANIFEST_VALUE && !strcmp(entry->from, hive) && !strcmp(entry->to, key) &&
            !strcmp(entry->name, name))
            return entry;
    }
    return NULL;
}

static struct manifest_entry *add_entry(struct manifest *manifest)
{
    struct manifest_entry *grown;

    if ((manifest->count & (manifest->count - 1)) == 0) {   /* grow at 0, 1, 2, 4, 8, ... */
        size_t capacity = manifest->count ? manifest->count * 2 : 4;
        grown = realloc(manifest->entries, capacity * sizeof(*grown));
        if (!grown) return NULL;
        manifest->entries = grown;
    }
    memset(&manifest->entries[manifest->count], 0, sizeof(*manifest->entries));
    return &manifest->entries[manifest->count++];
}

static int parse_hex_data(const char *text, struct manifest_entry *entry)
{
    size_t length = strlen(text);

    if (!strcmp(text, "absent")) {
        entry->absent = 1;
        return 1;
    }
    if (!strcmp(text, "-")) return 1;
    if (length % 2) return 0;
    entry->data = malloc(length / 2 + 1);
    if (!entry->data) return 0;
    for (size_t i = 0; i < length; i += 2) {
        int high = hex_value(text[i]), low = hex_value(text[i + 1]);
        if (high < 0 || low < 0) return 0;
        entry->data[entry->data_length++] = (unsigned char)(high * 16 + low);
    }
    return 1;
}

static int set_string(char **field, const char *value)
{
    if (*field) return 0;   /* a header line given twice */
    *field = copy_string(value);
    return *field != NULL;
}

static int parse_number(const char *text, unsigned long *value)
{
    char *end;

    if (!*text || *text == '-' || *text == '+') return 0;
    *value = strtoul(text, &end, 10);
    return *end == 0;
}

/* One line split into fields (already unescaped). Returns NULL, or why the line is bad. */
static const char *parse_line(struct manifest *m, struct move_index *index, char **f, int n)
{
    const char *word = f[0];
    struct manifest_entry *entry;

    if (!strcmp(word, "repair") || !strcmp(word, "created") || !strcmp(word, "service") ||
        !strcmp(word, "windows")) {
        char **field = word[0] == 'r' ? &m->repair : word[0] == 'c' ? &m->created
                     : word[0] == 's' ? &m->service : &m->windows;
        if (n != 2) return "expected one field";
        return set_string(field, f[1]) ? NULL : "given twice";
    }
    if (!strcmp(word, "note")) return NULL;
    if (!strcmp(word, "move") || !strcmp(word, "aside")) {
        if (n != 4) return "move needs kind, from and to";
        if (strcmp(f[1], "file") && strcmp(f[1], "dir")) return "move kind must be file or dir";
        if (!*f[2] || !*f[3]) return "empty path";
        entry = index_find(index, m, f[2], f[3]);
        if (entry) {   /* moved again after a restore: it is in the backup again */
            entry->state = MANIFEST_RECORDED;
            return NULL;
        }
        entry = add_entry(m);
        if (!entry) return "out of memory";
        entry->aside = word[0] == 'a';
        entry->kind = strcmp(f[1], "dir") ? MANIFEST_FILE : MANIFEST_DIR;
        entry->from = copy_string(f[2]);
        entry->to = copy_string(f[3]);
        if (!entry->from || !entry->to) return "out of memory";
        return index_add(index, m, m->count - 1) ? NULL : "out of memory";
    }
    if (!strcmp(word, "pending") || !strcmp(word, "restored")) {
        if (n != 3) return "expected from and to";
        entry = index_find(index, m, f[1], f[2]);
        if (!entry) return "marks a move that was never recorded";
        entry->state = word[0] == 'p' ? MANIFEST_PENDING : MANIFEST_RESTORED;
        return NULL;
    }
    if (!strcmp(word, "value")) {
        unsigned long type;
        if (n != 6) return "value needs hive, key, name, type and data";
        if (!*f[1] || !*f[2]) return "empty hive or key";
        if (!parse_number(f[4], &type)) return "bad value type";
        entry = add_entry(m);
        if (!entry) return "out of memory";
        entry->kind = MANIFEST_VALUE;
        entry->type = type;
        entry->from = copy_string(f[1]);
        entry->to = copy_string(f[2]);
        entry->name = copy_string(f[3]);
        if (!entry->from || !entry->to || !entry->name) return "out of memory";
        return parse_hex_data(f[5], entry) ? NULL : "bad value data";
    }
    if (!strcmp(word, "value-restored")) {
        if (n != 4) return "expected hive, key and name";
        entry = find_value(m, f[1], f[2], f[3]);
        if (!entry) return "marks a value that was never recorded";
        entry->state = MANIFEST_RESTORED;
        return NULL;
    }
    return "unknown record";
}

static int split(char *line, char **fields, int max)
{
    int n = 0;

    fields[n++] = line;
    for (char *p = line; *p; p++) {
        if (*p != '\t') continue;
        if (n == max) return -1;
        *p = 0;
        fields[n++] = p + 1;
    }
    return n;
}

size_t manifest_parse(const char *text, size_t length, struct manifest *out, char *why, size_t why_size)
{
    struct manifest parsed = { 0 };
    struct move_index index = { 0 };
    char *copy = malloc(length + 1);
    size_t line_number = 0, bad = 0;
    const char *problem = NULL;
    char *line;

    if (why_size) why[0] = 0;
    if (!copy) {
        if (why_size) snprintf(why, why_size, "out of memory");
        return 1;
    }
    memcpy(copy, text, length);
    copy[length] = 0;
    line = copy;
    while (line < copy + length) {
        char *end = memchr(line, '\n', (size_t)(copy + length - line));
        char *fields[MAX_FIELDS];
        int n;

        line_number++;
        if (!end) {   /* a crash cut the last line short: everything before it stands */
            parsed.torn_tail = 1;
            break;
        }
        *end = 0;
        if (end > line && end[-1] == '\r') end[-1] = 0;
        if (strlen(line) != (size_t)(end - line) && strlen(line) + 1 != (size_t)(end - line)) {
            problem = "NUL byte in line";
        } else if (line_number == 1) {
            if (strcmp(line, MANIFEST_MAGIC)) problem = "not a CryptSvc Doctor manifest (version 1)";
        } else if (*line) {
            n = split(line, fields, MAX_FIELDS);
            if (n < 0) problem = "too many fields";
            for (int i = 0; !problem && i < n; i++)
                if (!unescape(fields[i])) problem = "bad %-escape";
            if (!problem) problem = parse_line(&parsed, &index, fields, n);
        }
        if (problem) {
            bad = line_number;
            break;
        }
        line = end + 1;
    }
    if (!bad && line_number == 0) {
        bad = 1;
        problem = "empty";
    }
    if (!bad && !parsed.repair) {
        bad = line_number ? line_number : 1;
        problem = "no repair line";
    }
    free(copy);
    free(index.slots);
    if (bad) {
        if (why_size) snprintf(why, why_size, "%s", problem);
        manifest_free(&parsed);
        return bad;
    }
    *out = parsed;
    return 0;
}
