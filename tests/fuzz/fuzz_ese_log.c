/* tests/fuzz/fuzz_ese_log.c: libFuzzer target: log headers and segments, checkpoint, names and the set rules. */
#include "pure/ese.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ese_log_header logs[4];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { "edb.log", "edb0000D.log", "edbtmp.log", NULL };
    struct ese_checkpoint checkpoint;
    struct ese_set set = { 0 };
    struct ese_verdict_result result;
    char name[ESE_NAME_LENGTH];
    size_t name_length = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
    int32_t generation;

    memcpy(name, data, name_length);
    name[name_length] = '\0';
    ese_classify_name(name, NULL, &generation);
    ese_classify_name(name, name_length > 3 ? name + name_length - 3 : "edb", &generation);
    for (size_t i = 0; i < 3; i++) ese_parse_log(data, size, 0, names[i], &logs[i]);
    /* Only the header given, with a file size read from the data itself. */
    ese_parse_log(data, size < 4096 ? size : 4096, size + (size > 8 ? data[8] : 0), name, &logs[3]);
    ese_parse_checkpoint(data, size, &checkpoint);
    set.logs = logs;
    set.log_count = 4;
    set.checkpoint = &checkpoint;
    set.in_use = 0;
    ese_judge(&set, &result);
    if (result.verdict != ESE_VERDICT_NOT_READABLE) abort(); /* no database: never anything else */
    return 0;
}
