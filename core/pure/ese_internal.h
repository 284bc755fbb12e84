/* core/pure/ese_internal.h: little-endian readers and text helpers shared by the ese_*.c files. */
#ifndef CSD_ESE_INTERNAL_H
#define CSD_ESE_INTERNAL_H

#include "pure/ese.h"

#include <string.h>

/* Callers check the bounds first; these only assemble bytes (no unaligned loads). */
static inline uint16_t ese_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t ese_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t ese_le64(const uint8_t *p)
{
    return (uint64_t)ese_le32(p) | ((uint64_t)ese_le32(p + 4) << 32);
}

/* Copies a message into a fixed buffer, always NUL-terminated. */
static inline void ese_set_text(char *out, size_t out_length, const char *text)
{
    size_t n = strlen(text);
    if (n >= out_length) n = out_length - 1;
    memcpy(out, text, n);
    out[n] = '\0';
}

static inline int ese_all_zero(const uint8_t *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (bytes[i]) return 0;
    return 1;
}

void ese_read_logtime(const uint8_t *p, struct ese_logtime *out);
void ese_read_lgpos(const uint8_t *p, struct ese_lgpos *out);
void ese_read_signature(const uint8_t *p, struct ese_signature *out);

/* Appends to a NUL-terminated string in a fixed buffer; truncates safely. */
void ese_append(char *out, size_t out_length, const char *text);
void ese_append_count(char *out, size_t out_length, uint64_t value);

#endif
