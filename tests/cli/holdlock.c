/* tests/cli/holdlock.c: csd-cli-holdlock.exe LOCK PROGRAM ARGS...: holds the repair mutex LOCK while PROGRAM runs; exits with its code. */
#include <windows.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

int wmain(int argc, WCHAR **argv)
{
    WCHAR command[8192] = L"";
    STARTUPINFOW startup;
    PROCESS_INFORMATION process;
    DWORD code = 99;
    HANDLE lock;

    if (argc < 3) {
        fwprintf(stderr, L"usage: csd-cli-holdlock LOCK PROGRAM ARGS...\n");
        return 98;
    }
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    lock = CreateMutexW(NULL, TRUE, argv[1]);
    if (!lock || GetLastError() == ERROR_ALREADY_EXISTS) {
        fwprintf(stderr, L"csd-cli-holdlock: could not own %ls: %lu\n", argv[1], GetLastError());
        return 97;
    }
    /* Every argument quoted: the tests pass plain paths and words without quotes in them. */
    for (int i = 2; i < argc; i++) {
        wcsncat(command, L"\"", ARRAYSIZE(command) - wcslen(command) - 1);
        wcsncat(command, argv[i], ARRAYSIZE(command) - wcslen(command) - 1);
        wcsncat(command, L"\" ", ARRAYSIZE(command) - wcslen(command) - 1);
    }
    if (!CreateProcessW(NULL, command, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &process)) {
        fwprintf(stderr, L"csd-cli-holdlock: could not run %ls: %lu\n", argv[2], GetLastError());
        return 96;
    }
    WaitForSingleObject(process.hProcess, 120000);
    GetExitCodeProcess(process.hProcess, &code);
    CloseHandle(process.hProcess);
    CloseHandle(process.hThread);
    ReleaseMutex(lock);
    CloseHandle(lock);
    return (int)code;
}
