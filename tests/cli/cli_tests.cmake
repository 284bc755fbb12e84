# tests/cli/cli_tests.cmake: csd.exe's tests under Wine (included from cli/CMakeLists.txt).
set(csd_cli_tests ${CMAKE_SOURCE_DIR}/tests/cli)

# Holds the repair lock while csd runs: the "another repair is running" exit code (5).
add_executable(csd-cli-holdlock ${csd_cli_tests}/holdlock.c)

# What Wine cannot do for real (not elevated, access denied, ADMIN$, an SCM that never answers),
# through the seam, calling cli_main in-process. Needs the string table: links csd.rc too.
add_executable(test_cli_seam ${csd_cli_tests}/test_cli_seam.c ${CMAKE_SOURCE_DIR}/cli/csd.rc)
target_include_directories(test_cli_seam PRIVATE ${CMAKE_SOURCE_DIR}/tests ${CMAKE_SOURCE_DIR}/cli)
target_link_libraries(test_cli_seam PRIVATE csd_cli)
add_test(NAME wine.cli.seam COMMAND test_cli_seam)
set_tests_properties(wine.cli.seam PROPERTIES FIXTURES_REQUIRED wineprefix LABELS wine TIMEOUT 120)

# The command-line cases: python3 drives csd.exe through Wine (one CTest per case).
find_program(CSD_PYTHON3 python3)
if(CSD_PYTHON3)
  set(csd_cli_env
    CSD_EXE=$<TARGET_FILE:csd>
    CSD_STANDIN=$<TARGET_FILE:csd-standin>
    CSD_MKDEMO=$<TARGET_FILE:csd-mkdemo>
    CSD_HOLDLOCK=$<TARGET_FILE:csd-cli-holdlock>
    CSD_SCHEMA=${CMAKE_SOURCE_DIR}/docs/json-schema.json
    CSD_FLEET=${CMAKE_SOURCE_DIR}/docs/fleet
    CSD_WINE=/usr/lib/wine/wine64
    WINEPREFIX=${CSD_WINEPREFIX})
  foreach(case usage styles healthy stopped repair_restore busy catalog remote remote_repair symptom fleet_scripts console)
    add_test(NAME wine.cli.${case} COMMAND ${CSD_PYTHON3} ${csd_cli_tests}/cli_test.py ${case})
    set_tests_properties(wine.cli.${case} PROPERTIES FIXTURES_REQUIRED wineprefix LABELS wine TIMEOUT 300
      ENVIRONMENT "${csd_cli_env}")
  endforeach()
  set_tests_properties(wine.cli.console PROPERTIES SKIP_RETURN_CODE 77)
  # These read the fixture's own CryptSvc, which other tests stop and change.
  set_tests_properties(wine.cli.healthy wine.cli.styles wine.cli.fleet_scripts PROPERTIES RESOURCE_LOCK cryptsvc)
  add_dependencies(csd csd-cli-holdlock)
endif()

# A benchmark, not a test: what each row of `csd check` costs (docs/cli.md has the numbers).
add_executable(bench_check ${csd_cli_tests}/bench_check.c)
target_link_libraries(bench_check PRIVATE csd_core)
