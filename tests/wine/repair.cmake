# tests/wine/repair.cmake: the repair engine's Wine tests, and its benchmark (built, not run as a test).
csd_wine_test(test_repair test_repair.c)
set_tests_properties(wine.test_repair PROPERTIES TIMEOUT 600)   # ~25 s alone; several times that beside the fault tests

# Fault injection: one test per repair, each making every seam call fail in turn.
add_executable(test_repair_faults test_repair_faults.c)
target_include_directories(test_repair_faults PRIVATE ${CMAKE_SOURCE_DIR}/tests)
target_link_libraries(test_repair_faults PRIVATE csd_core csd_test_support)
add_dependencies(test_repair_faults csd-standin)
foreach(repair clear_logs rebuild_catalog restart_service set_automatic refresh_root_list reset_wintrust_state
               reregister_dlls restore)
  add_test(NAME wine.test_repair_faults.${repair} COMMAND test_repair_faults ${repair})
  # One fault run at a time: two of them together load Wine's SCM enough that it starts
  # answering service starts with 1359, which is Wine's trouble, not the repair's.
  set_tests_properties(wine.test_repair_faults.${repair} PROPERTIES FIXTURES_REQUIRED wineprefix LABELS "wine;faults"
                       TIMEOUT 900 RESOURCE_LOCK repair_faults)
endforeach()

# The benchmark (docs/repairs.md says how to run it): built with the tests, never run by ctest.
add_executable(test_repair_bench test_repair_bench.c)
target_include_directories(test_repair_bench PRIVATE ${CMAKE_SOURCE_DIR}/tests)
target_link_libraries(test_repair_bench PRIVATE csd_core csd_test_support)
add_dependencies(test_repair_bench csd-standin)

# Links: Wine cannot make a junction or symbolic link, but shows a host symbolic link as one, so
# the host makes them in the prefix first (a fixture), and the test checks they are never followed.
set(csd_links ${CSD_WINEPREFIX}/drive_c/csdlinks)
add_test(NAME wine.repair_links.setup COMMAND sh -c
         "rm -rf '${csd_links}' && mkdir -p '${csd_links}/win/System32' '${csd_links}/outside' '${csd_links}/outside2' && echo log > '${csd_links}/outside/edb.log' && echo log1 > '${csd_links}/outside/edb00001.log' && ln -s ../../outside '${csd_links}/win/System32/catroot2' && ln -s outside2 '${csd_links}/datalink'")
add_test(NAME wine.repair_links.cleanup COMMAND rm -rf ${csd_links})
set_tests_properties(wine.repair_links.setup PROPERTIES FIXTURES_SETUP repair_links FIXTURES_REQUIRED wineprefix LABELS wine)
set_tests_properties(wine.repair_links.cleanup PROPERTIES FIXTURES_CLEANUP repair_links LABELS wine)
csd_wine_test(test_repair_links test_repair_links.c)
set_tests_properties(wine.test_repair_links PROPERTIES FIXTURES_REQUIRED "wineprefix;repair_links")
csd_wine_test(test_repair_remote test_repair_remote.c)
# What the engine must refuse: a data folder it cannot own, crafted manifests (paths, values, service).
csd_wine_test(test_repair_guards test_repair_guards.c)
