/* cli/main.c: csd.exe, the console front-end: prints what the core finds (first slice: the service). */
#include "pure/svc_names.h"
#include "win/svc.h"

#include <windows.h>

#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>

/* Exit codes (see docs/cli.md): 0 nothing wrong, 1 problems found, 3 usage error. */
enum { EXIT_HEALTHY = 0, EXIT_PROBLEMS = 1, EXIT_USAGE = 3 };

/* UTF-16 to a console, so any machine or user name shows; UTF-8 to files and pipes. */
static void say(const WCHAR *fmt, ...)
{
    WCHAR text[2048];
    char bytes[8192];
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD mode, written;
    va_list args;
    int length;

    va_start(args, fmt);
    length = vswprintf(text, ARRAYSIZE(text), fmt, args);
    va_end(args);
    if (length < 0) return;
    if (GetConsoleMode(out, &mode)) {
        WriteConsoleW(out, text, (DWORD)length, &written, NULL);
        return;
    }
    length = WideCharToMultiByte(CP_UTF8, 0, text, length, bytes, sizeof(bytes), NULL, NULL);
    if (length > 0) WriteFile(out, bytes, (DWORD)length, &written, NULL);
}

static const WCHAR *state_words(DWORD state, WCHAR *buffer, size_t count)
{
    const char *name = svc_state_name(state);
    if (!name) swprintf(buffer, count, L"state %lu", state);
    else MultiByteToWideChar(CP_UTF8, 0, name, -1, buffer, (int)count);
    return buffer;
}

static const WCHAR *start_words(DWORD start_type, int delayed, WCHAR *buffer, size_t count)
{
    const char *name = svc_start_name(svc_start_effective(start_type, delayed));
    if (!name) swprintf(buffer, count, L"start type %lu", start_type);
    else MultiByteToWideChar(CP_UTF8, 0, name, -1, buffer, (int)count);
    return buffer;
}

static const WCHAR *failure_words(DWORD error, WCHAR *buffer, size_t count)
{
    WCHAR system_text[512] = L"";

    switch (svc_classify(error)) {
    case SVC_FAIL_NOT_INSTALLED:
        return L"not installed";
    case SVC_FAIL_ACCESS_DENIED:
        return L"access denied";
    case SVC_FAIL_UNREACHABLE:
        swprintf(buffer, count, L"cannot reach the machine (error %lu)", error);
        return buffer;
    default:
        FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, error, 0, system_text,
                       ARRAYSIZE(system_text), NULL);
        for (WCHAR *end = system_text + wcslen(system_text); end > system_text && end[-1] <= L' ';) *--end = 0;
        swprintf(buffer, count, L"error %lu: %ls", error, system_text);
        return buffer;
    }
}

static void print_links(const WCHAR *title, const struct svc_link *links, DWORD count, DWORD error)
{
    WCHAR words[600];

    if (error) say(L"  %-22ls %ls\n", title, failure_words(error, words, ARRAYSIZE(words)));
    else if (!count) say(L"  %-22ls none\n", title);
    for (DWORD i = 0; i < count; i++) {
        const WCHAR *state = links[i].error ? failure_words(links[i].error, words, ARRAYSIZE(words))
                                            : state_words(links[i].state, words, ARRAYSIZE(words));
        say(L"  %-22ls %ls: %ls\n", i ? L"" : title, links[i].name, state);
    }
}

/* The service row: what is, and what Windows' default says it should be. */
static int check_service(const WCHAR *machine)
{
    struct svc_info info;
    WCHAR state[64], start[64], words[600];
    DWORD error = svc_query(machine, L"CryptSvc", &info);

    say(L"Cryptographic Services (CryptSvc) on %ls\n", machine ? machine : L"this computer");
    if (error) {
        say(L"  %-22ls %ls\n", L"Service", failure_words(error, words, ARRAYSIZE(words)));
        return EXIT_PROBLEMS;
    }
    say(L"  %-22ls %ls (recommended: Running)\n", L"State", state_words(info.state, state, ARRAYSIZE(state)));
    say(L"  %-22ls %ls (recommended: Automatic)\n", L"Start type",
        start_words(info.start_type, info.delayed_auto, start, ARRAYSIZE(start)));
    if (info.pid) say(L"  %-22ls %lu\n", L"Host process ID", info.pid);
    say(L"  %-22ls %ls\n", L"Binary path", info.binary_path);
    say(L"  %-22ls %ls\n", L"Account", info.account);
    print_links(L"Depends on", info.depends_on, info.depends_count, info.depends_error);
    print_links(L"Needed by", info.dependents, info.dependents_count, info.dependents_error);
    say(L"  %-22ls not checked yet\n", L"Catalog Database");
    say(L"  %-22ls not checked yet\n", L"Protected Root");
    say(L"  %-22ls not checked yet\n", L"Key Service");
    say(L"  %-22ls not checked yet\n", L"Automatic Root Update");
    return info.state == SERVICE_RUNNING && info.start_type == SERVICE_AUTO_START ? EXIT_HEALTHY : EXIT_PROBLEMS;
}

static void usage(void)
{
    say(L"Usage: csd [check] [--computer NAME]\n"
        L"  check             show the state of Cryptographic Services (the default)\n"
        L"  --computer NAME   look at another computer instead of this one\n"
        L"Exit codes: 0 nothing wrong, 1 problems found, 3 usage error.\n");
}

int wmain(int argc, WCHAR **argv)
{
    const WCHAR *machine = NULL;

    for (int i = 1; i < argc; i++) {
        const WCHAR *arg = argv[i];
        if (!wcscmp(arg, L"check")) continue;
        if ((!wcscmp(arg, L"--computer") || !_wcsicmp(arg, L"/computer")) && i + 1 < argc) {
            machine = argv[++i];
            continue;
        }
        if (!wcscmp(arg, L"--help") || !wcscmp(arg, L"/?") || !wcscmp(arg, L"-h")) {
            usage();
            return EXIT_HEALTHY;
        }
        usage();
        return EXIT_USAGE;
    }
    return check_service(machine);
}
