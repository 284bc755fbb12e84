/* tests/bench/bench_ese.c: deep page check of a generated 1 GiB database against plainly reading it. */
#include "pure/ese.h"
#include "support/ese_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Usage: bench_ese [dir] [MiB]   (defaults: $TMPDIR or /tmp, 1024)
 * Writes dir/csd_bench_ese.edb (4 KiB pages, XOR+ECC), reads it once to warm the cache,
 * then times, three times each, alternating: (a) fread in 1 MiB chunks, (b) fread in
 * 1 MiB chunks through ese_deep_feed. Best run of each counts. Deletes the file.
 */

#define CHUNK (1u << 20)
#define PAGE 4096u
#define TEMPLATES 256u

static double now(void)
{
#ifdef TIME_UTC
    struct timespec ts;
    if (timespec_get(&ts, TIME_UTC) == TIME_UTC) return (double)ts.tv_sec + ts.tv_nsec / 1e9;
#endif
    return (double)clock() / CLOCKS_PER_SEC;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Templates are written by the writer once; every other page is a template whose
 * checksum's low dword is re-keyed to its own page number (pgno is only XOR-ed in there). */
static int generate(const char *path, uint64_t pages)
{
    static uint8_t templates[TEMPLATES][PAGE];
    uint8_t *chunk = malloc(CHUNK);
    struct ew_db_options o;
    FILE *file = fopen(path, "wb");
    size_t used = 0;
    int okay = file && chunk;

    ew_db_defaults(&o, PAGE, (uint32_t)pages);
    for (uint32_t t = 0; t < TEMPLATES; t++) ew_fill_data_page(templates[t], PAGE, t + 1, 1, 42);
    ew_write_db_header(chunk, &o);
    memcpy(chunk + PAGE, chunk, PAGE);
    used = 2 * PAGE;
    for (uint64_t pgno = 1; okay && pgno <= pages; pgno++) {
        uint8_t *page = chunk + used;
        uint32_t t = (uint32_t)((pgno - 1) % TEMPLATES);
        memcpy(page, templates[t], PAGE);
        put32(page, get32(page) ^ (t + 1) ^ (uint32_t)pgno);
        used += PAGE;
        if (used == CHUNK) {
            okay = fwrite(chunk, 1, used, file) == used;
            used = 0;
        }
    }
    if (okay && used) okay = fwrite(chunk, 1, used, file) == used;
    if (file && fclose(file) != 0) okay = 0;
    free(chunk);
    return okay;
}

/* Returns seconds; with deep != NULL every chunk goes through the deep check. */
static double read_file(const char *path, uint8_t *chunk, struct ese_deep_check *deep, uint64_t *total)
{
    FILE *file = fopen(path, "rb");
    double start = now();
    size_t got;
    unsigned sink = 0;

    *total = 0;
    if (!file) return -1;
    if (deep) ese_deep_begin(deep, PAGE, 0);
    while ((got = fread(chunk, 1, CHUNK, file)) > 0) {
        *total += got;
        if (deep) ese_deep_feed(deep, chunk, got);
        else sink += chunk[got - 1]; /* touch the data so the read cannot be skipped */
    }
    if (deep) ese_deep_finish(deep);
    fclose(file);
    if (sink == 0xffffffffu) puts("");
    return now() - start;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : getenv("TMPDIR");
    uint64_t mib = argc > 2 ? strtoull(argv[2], NULL, 10) : 1024, total = 0;
    uint64_t pages = mib * (CHUNK / PAGE) - 2;
    static struct ese_deep_check deep;
    uint8_t *chunk = malloc(CHUNK);
    double plain = 1e30, checked = 1e30, mb;
    char path[1024];

    snprintf(path, sizeof(path), "%s/csd_bench_ese.edb", dir && *dir ? dir : "/tmp");
    printf("generating %s (%llu MiB)...\n", path, (unsigned long long)mib);
    fflush(stdout);
    if (!chunk || !generate(path, pages)) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    read_file(path, chunk, NULL, &total); /* warm the cache */
    for (int round = 0; round < 3; round++) {
        double a = read_file(path, chunk, NULL, &total), b = read_file(path, chunk, &deep, &total);
        if (a < plain) plain = a;
        if (b < checked) checked = b;
    }
    remove(path);
    mb = (double)total / 1e6;
    printf("file: %.0f MB, %llu pages: %llu ok, %llu bad, %llu unused\n", mb, (unsigned long long)deep.pages_total,
           (unsigned long long)deep.pages_ok, (unsigned long long)deep.pages_bad, (unsigned long long)deep.pages_unused);
    printf("plain fread (1 MiB chunks): %8.0f MB/s (%.2f GB/s)\n", mb / plain, mb / plain / 1000);
    printf("deep page check, streamed:  %8.0f MB/s (%.2f GB/s)\n", mb / checked, mb / checked / 1000);
    printf("ratio: %.1f %% of plain read speed (target >= 90 %%)\n", 100.0 * plain / checked);
    free(chunk);
    return deep.pages_bad != 0 || deep.pages_ok != pages;
}
