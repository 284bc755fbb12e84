# tests/wine/catdb.cmake: the catalog database scan under Wine, the demo machine's catroot2, the scan benchmark.
csd_wine_test(test_catdb test_catdb.c test_catdb_tree.c)
csd_wine_test(test_catdb_seam test_catdb_seam.c test_catdb_tree.c)

# Wine fakes CreateSymbolicLinkW (success, nothing made), so the links test_catdb needs are
# host symlinks made here, inside the prefix, before it runs. Their targets hold files that
# would show up in the report if a link were followed.
set(csd_catdb_links_script [=[
set -eu
d="$1/drive_c/csdtest-links"
rm -rf "$d"
mkdir -p "$d/linked-guid/Windows/System32/catroot2/{127D0A1D-4EF2-11D1-8608-00C04FC295EE}" "$d/elsewhere-guid"
head -c 65536 /dev/zero > "$d/elsewhere-guid/catdb"
ln -s ../../../../elsewhere-guid "$d/linked-guid/Windows/System32/catroot2/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}"
mkdir -p "$d/linked-root/Windows/System32" "$d/elsewhere-root/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}"
head -c 65536 /dev/zero > "$d/elsewhere-root/edb.log"
ln -s ../../../elsewhere-root "$d/linked-root/Windows/System32/catroot2"
]=])
add_test(NAME wine.catdb.links COMMAND bash -c "${csd_catdb_links_script}" bash ${CSD_WINEPREFIX})
set_tests_properties(wine.catdb.links PROPERTIES FIXTURES_REQUIRED wineprefix FIXTURES_SETUP catdb_links LABELS wine)
set_tests_properties(wine.test_catdb PROPERTIES FIXTURES_REQUIRED "wineprefix;catdb_links")

# The demo machine's damaged catroot2 (tools/demo.sh runs it against the demo prefix's C:\windows).
add_executable(csd-mkdemo mkdemo.c test_catdb_tree.c)
target_include_directories(csd-mkdemo PRIVATE ${CMAKE_SOURCE_DIR}/tests)
target_link_libraries(csd-mkdemo PRIVATE csd_core csd_test_support)

# A benchmark, not a test: run it by hand (docs/catalog-health.md says how).
add_executable(bench_catdb_scan bench_catdb_scan.c test_catdb_tree.c)
target_include_directories(bench_catdb_scan PRIVATE ${CMAKE_SOURCE_DIR}/tests)
target_link_libraries(bench_catdb_scan PRIVATE csd_core csd_test_support)
