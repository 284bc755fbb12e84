/* tests/bench/bench_ese.c: deep page check of a generated 1 GiB database against plainly reading it. */
#define _POSIX_C_SOURCE 200809L
#include "pure/ese.h"
#include "support/ese_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Usage: bench_ese [dir] [MiB]   (defaults: $TMPDIR or /tmp, 1024)
 * Writes dir/csd_bench_ese.edb (4 KiB pages, XOR+ECC), reads it once to warm the cache,
 * then times, three times each and alternating, for read sizes of 64 KiB, 256 KiB and
 * 1 MiB: (a) plain read() into a page-aligned buffer, (b) the same reads each fed to
 * ese_deep_feed. Best run of each counts. It also times the page check alone on a buffer
 * that stays in cache, which bounds what (b) can reach. Deletes the file.
 */

#include <fcntl.h>
#include <unistd.h>

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
static double read_file(const char *path, uint8_t *buffer, size_t chunk, struct ese_deep_check *deep, uint64_t *total)
{
    int fd = open(path, O_RDONLY);
    double start = now();
    ssize_t got;
    unsigned sink = 0;

    *total = 0;
    if (fd < 0) return -1;
    if (deep) ese_deep_begin(deep, PAGE, 0);
    while ((got = read(fd, buffer, chunk)) > 0) {
        *total += (uint64_t)got;
        if (deep) ese_deep_feed(deep, buffer, (size_t)got);
        else sink += buffer[got - 1]; /* touch the data so the read cannot be skipped */
    }
    if (deep) ese_deep_finish(deep);
    close(fd);
    if (sink == 0xffffffffu) puts("");
    return now() - start;
}

/* The page check alone: the first `chunk` bytes of data pages, checked over and over while
 * they stay in cache, until `bytes` have been checked. Returns MB/s. */
static double check_only(const char *path, uint8_t *buffer, size_t chunk, uint64_t bytes)
{
    static struct ese_deep_check deep;
    int fd = open(path, O_RDONLY);
    ssize_t got = fd >= 0 && lseek(fd, 2 * PAGE, SEEK_SET) >= 0 ? read(fd, buffer, chunk) : -1;
    double start;
    uint64_t done = 0;

    if (fd >= 0) close(fd);
    if (got < (ssize_t)chunk) return 0;
    start = now();
    while (done < bytes) {
        /* Not from offset 0: the header pages would be skipped, so feed as data pages
         * (the page numbers do not match, so each page counts as bad: same work). */
        ese_deep_begin(&deep, PAGE, 0);
        deep.offset = 2 * PAGE;
        ese_deep_feed(&deep, buffer, chunk);
        done += chunk;
    }
    return (double)bytes / 1e6 / (now() - start);
}

int main(int argc, char **argv)
{
    static const size_t chunks[] = { 64u << 10, 256u << 10, 1u << 20 };
    const char *dir = argc > 1 ? argv[1] : getenv("TMPDIR");
    uint64_t mib = argc > 2 ? strtoull(argv[2], NULL, 10) : 1024, total = 0;
    uint64_t pages = mib * (CHUNK / PAGE) - 2;
    static struct ese_deep_check deep;
    uint8_t *buffer = aligned_alloc(4096, CHUNK);
    double plain[3], checked[3], mb, best_plain = 1e30;
    char path[1024];
    int failed = 0;

    snprintf(path, sizeof(path), "%s/csd_bench_ese.edb", dir && *dir ? dir : "/tmp");
    printf("generating %s (%llu MiB)...\n", path, (unsigned long long)mib);
    fflush(stdout);
    if (!buffer || !generate(path, pages)) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    read_file(path, buffer, CHUNK, NULL, &total); /* warm the cache */
    for (int c = 0; c < 3; c++) {
        plain[c] = checked[c] = 1e30;
        for (int round = 0; round < 3; round++) {
            double a = read_file(path, buffer, chunks[c], NULL, &total);
            double b = read_file(path, buffer, chunks[c], &deep, &total);
            if (a < plain[c]) plain[c] = a;
            if (b < checked[c]) checked[c] = b;
            failed |= deep.pages_bad != 0 || deep.pages_ok != pages;
        }
        if (plain[c] < best_plain) best_plain = plain[c];
    }
    mb = (double)total / 1e6;
    printf("file: %.0f MB, %llu pages: %llu ok, %llu bad, %llu unused\n", mb, (unsigned long long)deep.pages_total,
           (unsigned long long)deep.pages_ok, (unsigned long long)deep.pages_bad, (unsigned long long)deep.pages_unused);
    for (int c = 0; c < 3; c++) {
        printf("read size %4zu KiB: plain read %6.2f GB/s, deep page check %6.2f GB/s: %5.1f %% of the same read, "
               "%5.1f %% of the fastest plain read\n", chunks[c] >> 10, mb / plain[c] / 1000, mb / checked[c] / 1000,
               100.0 * plain[c] / checked[c], 100.0 * best_plain / checked[c]);
    }
    printf("page check alone, data in cache (256 KiB): %.2f GB/s\n", check_only(path, buffer, 256u << 10, 4ull << 30) / 1000);
    printf("target: deep check >= 90 %% of plain read speed\n");
    remove(path);
    free(buffer);
    return failed;
}
