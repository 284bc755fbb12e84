/* cli/main.c: csd.exe's entry point; everything else is in cli_main (cli/cli.c) so tests can call it. */
#include "cli.h"

int wmain(int argc, WCHAR **argv)
{
    /* System DLLs only from System32, never from the folder csd.exe was copied into. */
    SetDllDirectoryW(L"");
    return cli_main(argc, argv);
}
