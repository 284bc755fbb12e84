# tests/wine/checks.cmake: the diagnosis checks through the real APIs under Wine, and with every system call failed in turn.
csd_wine_test(test_checks test_checks.c)
csd_wine_test(test_checks_faults test_checks_faults.c)
