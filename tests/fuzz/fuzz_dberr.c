/* tests/fuzz/fuzz_dberr.c: libFuzzer target: dberr.txt parsing on any bytes. */
#include "pure/dberr.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dberr_result result;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dberr_parse(data, size, &result);
    if (result.tail_count > DBERR_TAIL_MAX) abort();
    for (size_t i = 0; i < result.tail_count; i++)
        if (strlen(result.tail[i].text) >= DBERR_LINE_LENGTH) abort();
    if (result.last_ese_error) dberr_ese_error_name(result.last_ese_error);
    return 0;
}
