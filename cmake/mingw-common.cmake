# cmake/mingw-common.cmake: what both mingw-w64 toolchain files share.
# The "-win32" compilers use Win32 threads, so nothing links winpthread.
find_program(CMAKE_C_COMPILER NAMES ${CSD_TRIPLET}-gcc-win32 ${CSD_TRIPLET}-gcc REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES ${CSD_TRIPLET}-windres REQUIRED)
find_program(CSD_OBJDUMP NAMES ${CSD_TRIPLET}-objdump)
set(CMAKE_FIND_ROOT_PATH /usr/${CSD_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
