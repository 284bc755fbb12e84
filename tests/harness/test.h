/* tests/harness/test.h: a tiny ok()/skip() harness in the spirit of Wine's conformance tests. */
#ifndef CSD_TEST_H
#define CSD_TEST_H

/*
 * Usage, one test program per .c file:
 *
 *     #include "harness/test.h"
 *     START_TEST(ese_header)
 *     {
 *         ok(1 + 1 == 2, "arithmetic is broken: %d\n", 1 + 1);
 *         if (!have_admin) { skip("needs admin\n"); return; }
 *     }
 *
 * ok() records the file and line of its caller; a helper that checks on behalf of
 * its caller takes `const char *file, int line` and uses ok_at(file, line, ...), and
 * the caller passes __FILE__, __LINE__ (or uses a macro that does).
 * The exit code is the number of failures (at most 255), so CTest sees them.
 * Set CSD_TEST_VERBOSE=1 in the environment to print passing checks too.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int test_failures;
static int test_successes;
static int test_skips;
static int test_verbose = -1;

#ifdef __GNUC__
#define TEST_PRINTF(f, a) __attribute__((format(printf, f, a), unused))
#define TEST_UNUSED __attribute__((unused))
#else
#define TEST_PRINTF(f, a)
#define TEST_UNUSED
#endif

static int ok_at(const char *file, int line, int condition, const char *fmt, ...) TEST_PRINTF(4, 5);
static void skip_at(const char *file, int line, const char *fmt, ...) TEST_PRINTF(3, 4);
static void trace_at(const char *file, int line, const char *fmt, ...) TEST_PRINTF(3, 4);

TEST_UNUSED static const char *test_basename(const char *path)
{
    const char *base = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '\\') base = p + 1;
    return base;
}

static int ok_at(const char *file, int line, int condition, const char *fmt, ...)
{
    va_list args;

    if (test_verbose < 0) test_verbose = getenv("CSD_TEST_VERBOSE") != NULL;
    if (condition) {
        test_successes++;
        if (!test_verbose) return 1;
        printf("%s:%d: Test succeeded: ", test_basename(file), line);
    } else {
        test_failures++;
        printf("%s:%d: Test failed: ", test_basename(file), line);
    }
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    fflush(stdout);
    return condition;
}

static void skip_at(const char *file, int line, const char *fmt, ...)
{
    va_list args;

    test_skips++;
    printf("%s:%d: Tests skipped: ", test_basename(file), line);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    fflush(stdout);
}

static void trace_at(const char *file, int line, const char *fmt, ...)
{
    va_list args;

    printf("%s:%d: ", test_basename(file), line);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    fflush(stdout);
}

#define ok(condition, ...) ok_at(__FILE__, __LINE__, (condition) ? 1 : 0, __VA_ARGS__)
#define skip(...) skip_at(__FILE__, __LINE__, __VA_ARGS__)
#define trace(...) trace_at(__FILE__, __LINE__, __VA_ARGS__)

TEST_UNUSED static int test_summary(const char *name)
{
    printf("%s: %d tests executed (%d failures), %d skipped.\n", name,
           test_successes + test_failures, test_failures, test_skips);
    fflush(stdout);
    return test_failures > 255 ? 255 : test_failures;
}

/* The command line, kept for tests that re-invoke their own executable. */
#ifdef _WIN32
#include <wchar.h>
TEST_UNUSED static int test_argc;
TEST_UNUSED static wchar_t **test_argv;
#define START_TEST(name) \
    static void test_body_##name(void); \
    int wmain(int argc, wchar_t **argv) \
    { \
        test_argc = argc; test_argv = argv; \
        setvbuf(stdout, NULL, _IONBF, 0); \
        test_body_##name(); \
        return test_summary(#name); \
    } \
    static void test_body_##name(void)
#else
TEST_UNUSED static int test_argc;
TEST_UNUSED static char **test_argv;
#define START_TEST(name) \
    static void test_body_##name(void); \
    int main(int argc, char **argv) \
    { \
        test_argc = argc; test_argv = argv; \
        test_body_##name(); \
        return test_summary(#name); \
    } \
    static void test_body_##name(void)
#endif

#endif /* CSD_TEST_H */
