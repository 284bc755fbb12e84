# installer/names.cmake: where the installers are built and what they are called; shared by
# installer/CMakeLists.txt (which builds them) and tests/installer (which installs them).
if(CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(CSD_INSTALLER_ARCH x64)
else()
  set(CSD_INSTALLER_ARCH x86)
endif()
set(CSD_INSTALLER_DIR ${CMAKE_BINARY_DIR}/installer)
set(CSD_INSTALLER_STAGE ${CSD_INSTALLER_DIR}/stage)
set(CSD_SETUP_FILE ${CSD_INSTALLER_DIR}/CryptSvcDoctor-${CSD_VERSION}-${CSD_INSTALLER_ARCH}-setup.exe)
set(CSD_MSI_FILE ${CSD_INSTALLER_DIR}/CryptSvcDoctor-${CSD_VERSION}-${CSD_INSTALLER_ARCH}.msi)
find_program(CSD_MAKENSIS makensis)
find_program(CSD_WIXL wixl)
