# tests/testdata.cmake: unpacks the real ESE samples of ../shared/testdata/ese into the build
# folder at build time (the product has no zlib, so the system's gzip does it), and tells
# the tests where they are with the compile definition CSD_TESTDATA_OUT.
# Include it from tests/CMakeLists.txt before the test programs are defined:
#     include(${CMAKE_CURRENT_SOURCE_DIR}/testdata.cmake)
# Without gzip the samples are not unpacked and the tests that need them skip().
if(NOT DEFINED CSD_TESTDATA_DIR)
  set(CSD_TESTDATA_DIR "${CMAKE_CURRENT_LIST_DIR}/../../shared/testdata")
endif()
set(CSD_TESTDATA_OUT "${CMAKE_BINARY_DIR}/testdata")
find_program(CSD_GZIP gzip)

file(GLOB csd_testdata_files CONFIGURE_DEPENDS "${CSD_TESTDATA_DIR}/ese/*")
set(csd_testdata_outputs)
foreach(input ${csd_testdata_files})
  get_filename_component(name ${input} NAME)
  if(name MATCHES "\\.gz$")
    if(NOT CSD_GZIP)
      continue()
    endif()
    string(REGEX REPLACE "\\.gz$" "" plain ${name})
    set(output "${CSD_TESTDATA_OUT}/ese/${plain}")
    # No VERBATIM: the ">" must reach the shell that runs the build step.
    add_custom_command(OUTPUT ${output}
      COMMAND ${CMAKE_COMMAND} -E make_directory "${CSD_TESTDATA_OUT}/ese"
      COMMAND ${CSD_GZIP} -dc "${input}" > "${output}"
      DEPENDS ${input}
      COMMENT "Unpacking test sample ${name}")
  else()
    set(output "${CSD_TESTDATA_OUT}/ese/${name}")
    add_custom_command(OUTPUT ${output}
      COMMAND ${CMAKE_COMMAND} -E make_directory "${CSD_TESTDATA_OUT}/ese"
      COMMAND ${CMAKE_COMMAND} -E copy "${input}" "${output}"
      DEPENDS ${input} VERBATIM)
  endif()
  list(APPEND csd_testdata_outputs ${output})
endforeach()

if(csd_testdata_outputs)
  add_custom_target(csd_testdata ALL DEPENDS ${csd_testdata_outputs})
endif()
add_compile_definitions(CSD_TESTDATA_OUT="${CSD_TESTDATA_OUT}")
