/* tests/cli/test_cli_seam.c: csd's exit codes that Wine cannot produce for real (not elevated, remote access denied, admin share, time-out), through the seam. */
#include "harness/test.h"
#include "cli.h"
#include "win/seam.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

static char output[65536];

/* Runs cli_main with standard output sent to a file, and reads the file back into `output`. */
static int run_cli(const WCHAR *const *args, int count)
{
    WCHAR path[MAX_PATH], dir[MAX_PATH];
    WCHAR *argv[32];
    HANDLE file, saved = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD got = 0;
    int code;

    GetTempPathW(ARRAYSIZE(dir), dir);
    GetTempFileNameW(dir, L"csd", 0, path);
    file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, CREATE_ALWAYS,
                       FILE_FLAG_DELETE_ON_CLOSE, NULL);
    argv[0] = (WCHAR *)L"csd";
    for (int i = 0; i < count && i < 30; i++) argv[i + 1] = (WCHAR *)args[i];
    SetStdHandle(STD_OUTPUT_HANDLE, file);
    code = cli_main(count + 1, argv);
    SetStdHandle(STD_OUTPUT_HANDLE, saved);
    SetFilePointer(file, 0, NULL, FILE_BEGIN);
    memset(output, 0, sizeof(output));
    ReadFile(file, output, sizeof(output) - 1, &got, NULL);
    CloseHandle(file);
    return code;
}
#define RUN(...) run_cli((const WCHAR *const[]){ __VA_ARGS__ }, sizeof((const WCHAR *const[]){ __VA_ARGS__ }) / sizeof(WCHAR *))

/* ---- fakes ---------------------------------------------------------------------------------- */

static BOOL WINAPI not_elevated(HANDLE token, TOKEN_INFORMATION_CLASS level, LPVOID info, DWORD size, PDWORD needed)
{
    (void)token;
    if (level != TokenElevation || size < sizeof(TOKEN_ELEVATION)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ((TOKEN_ELEVATION *)info)->TokenIsElevated = 0;
    *needed = sizeof(TOKEN_ELEVATION);
    return TRUE;
}

/* Every name resolves, as a real machine on the network would. */
static INT WSAAPI any_name(PCWSTR name, PCWSTR service, const ADDRINFOW *hints, PADDRINFOW *result)
{
    (void)name, (void)service, (void)hints;
    *result = NULL;
    return 0;
}

static SC_HANDLE WINAPI scm_denied(LPCWSTR machine, LPCWSTR database, DWORD access)
{
    (void)machine, (void)database, (void)access;
    SetLastError(ERROR_ACCESS_DENIED);
    return NULL;
}

static SC_HANDLE WINAPI scm_silent(LPCWSTR machine, LPCWSTR database, DWORD access)
{
    (void)machine, (void)database, (void)access;
    Sleep(8000);   /* an RPC server that never answers, shortened */
    SetLastError(RPC_S_SERVER_UNAVAILABLE);
    return NULL;
}

static DWORD share_error;
static DWORD WINAPI fake_share(LPCWSTR path)
{
    if (!_wcsnicmp(path, L"\\\\pc42\\ADMIN$", 13)) {
        if (!share_error) return FILE_ATTRIBUTE_DIRECTORY;
        SetLastError(share_error);
        return INVALID_FILE_ATTRIBUTES;
    }
    return GetFileAttributesW(path);
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void test_not_elevated(void)
{
    int code;

    seam.GetTokenInformation = not_elevated;
    code = RUN(L"repair", L"start_service", L"--yes");
    ok(code == CLI_EXIT_NOT_ELEVATED, "repair without admin rights: exit %d\n", code);
    ok(strstr(output, "administrator rights") != NULL, "says why: %s\n", output);
    code = RUN(L"fix", L"--yes", L"--json");
    ok(code == CLI_EXIT_NOT_ELEVATED || code == CLI_EXIT_HEALTHY || code == CLI_EXIT_PROBLEMS,
       "fix: exit %d (4 when there is something to fix)\n", code);
    if (code == CLI_EXIT_NOT_ELEVATED)
        ok(output[0] == '{' && strstr(output, "\"status\":\"not_elevated\"") != NULL,
           "only JSON, and it says not_elevated: %s\n", output);
    code = RUN(L"repair", L"start_service", L"--yes", L"--summary");
    ok(code == CLI_EXIT_NOT_ELEVATED && strstr(output, "administrator rights needed (exit 4)") &&
       !strchr(output, '\n')[1], "--summary: one line: %s\n", output);
    code = RUN(L"repair", L"start_service", L"--dry-run");
    ok(code == CLI_EXIT_HEALTHY, "a dry run needs no admin rights: exit %d\n", code);
    code = RUN(L"check");
    ok(code == CLI_EXIT_HEALTHY || code == CLI_EXIT_PROBLEMS, "check needs no admin rights: exit %d\n", code);
    seam_reset();
}

static void test_remote_denied(void)
{
    int code;

    seam.GetAddrInfoW = any_name;
    seam.OpenSCManagerW = scm_denied;
    code = RUN(L"check", L"--computer", L"pc42");
    ok(code == CLI_EXIT_DENIED, "access denied: exit %d\n", code);
    ok(strstr(output, "Access denied on pc42") != NULL, "says so: %s\n", output);
    code = RUN(L"check", L"--computer", L"pc42", L"--json");
    ok(code == CLI_EXIT_DENIED && strstr(output, "\"status\":\"access_denied\"") && strstr(output, "\"scm_error\":5"),
       "JSON: %s\n", output);
    /* Remote repairs: the remote SCM's refusal is exit 7, not the local elevation's 4. */
    code = RUN(L"repair", L"set_automatic", L"--computer", L"pc42", L"--yes");
    ok(code == CLI_EXIT_DENIED && strstr(output, "Access denied on pc42") != NULL, "repair: exit %d: %s\n", code, output);
    code = RUN(L"repair", L"start_service", L"--computer", L"pc42", L"--yes", L"--json");
    ok(code == CLI_EXIT_DENIED && strstr(output, "\"status\":\"access_denied\""), "repair JSON: %s\n", output);
    code = RUN(L"fix", L"--computer", L"pc42", L"--yes");
    ok(code == CLI_EXIT_DENIED && strstr(output, "Access denied on pc42") != NULL, "fix: exit %d: %s\n", code, output);
    seam_reset();
}

static void test_remote_share(void)
{
    int code;

    seam.GetAddrInfoW = any_name;   /* the SCM itself: Wine answers a remote name from its own */
    seam.GetFileAttributesW = fake_share;
    share_error = 0;
    code = RUN(L"check", L"--computer", L"pc42");
    ok(code == CLI_EXIT_HEALTHY || code == CLI_EXIT_PROBLEMS, "share answers: exit %d\n", code);
    ok(strstr(output, "ADMIN$ answers") != NULL, "says the share answers: %s\n", output);
    share_error = ERROR_BAD_NET_NAME;
    code = RUN(L"check", L"--computer", L"pc42", L"--json");
    ok(code == CLI_EXIT_NO_ADMIN_SHARE, "no admin share: exit %d\n", code);
    ok(strstr(output, "\"admin_share_error\":67") != NULL, "JSON has the share's error: %s\n", output);
    ok(strstr(output, "\"rows\":[{") != NULL, "the service rows were still read: %.300s\n", output);
    seam_reset();
}

static void test_remote_timeout(void)
{
    ULONGLONG start;
    int code;

    seam.GetAddrInfoW = any_name;
    seam.OpenSCManagerW = scm_silent;
    start = GetTickCount64();
    code = RUN(L"check", L"/computer:pc42", L"/timeout:1");
    ok(code == CLI_EXIT_UNREACHABLE, "no answer: exit %d\n", code);
    trace("an SCM that never answers: gave up after %llu ms (--timeout 1)\n", GetTickCount64() - start);
    ok(GetTickCount64() - start < 4000, "gave up after the bound: %llu ms\n", GetTickCount64() - start);
    ok(strstr(output, "no answer within 1 seconds") != NULL, "says so: %s\n", output);
    seam_reset();
}

START_TEST(cli_seam)
{
    test_not_elevated();
    test_remote_denied();
    test_remote_share();
    test_remote_timeout();
}
