/* core/win/seam.c: the real Win32 functions behind the seam. */
#include "win/seam.h"
#include "win/seam_system32.h"

#define REAL_FUNCTIONS { \
    .OpenSCManagerW = OpenSCManagerW, \
    .OpenServiceW = OpenServiceW, \
    .CloseServiceHandle = CloseServiceHandle, \
    .QueryServiceStatusEx = QueryServiceStatusEx, \
    .QueryServiceConfigW = QueryServiceConfigW, \
    .QueryServiceConfig2W = QueryServiceConfig2W, \
    .EnumDependentServicesW = EnumDependentServicesW, \
    .StartServiceW = StartServiceW, \
    .ControlService = ControlService, \
    .ChangeServiceConfigW = ChangeServiceConfigW, \
    .ChangeServiceConfig2W = ChangeServiceConfig2W, \
    .EnumServicesStatusExW = EnumServicesStatusExW, \
    .RegCreateKeyExW = RegCreateKeyExW, \
    .RegSetValueExW = RegSetValueExW, \
    .RegDeleteValueW = RegDeleteValueW, \
    .CreateFileW = CreateFileW, \
    .ReadFile = ReadFile, \
    .WriteFile = WriteFile, \
    .SetFilePointerEx = SetFilePointerEx, \
    .GetFileSizeEx = GetFileSizeEx, \
    .GetFileInformationByHandle = GetFileInformationByHandle, \
    .FlushFileBuffers = FlushFileBuffers, \
    .CloseHandle = CloseHandle, \
    .FindFirstFileExW = FindFirstFileExW, \
    .FindNextFileW = FindNextFileW, \
    .FindClose = FindClose, \
    .GetFileAttributesW = GetFileAttributesW, \
    .SetFileAttributesW = SetFileAttributesW, \
    .MoveFileExW = MoveFileExW, \
    .CreateDirectoryW = CreateDirectoryW, \
    .RemoveDirectoryW = RemoveDirectoryW, \
    .DeleteFileW = DeleteFileW, \
    .GetSystemWindowsDirectoryW = GetSystemWindowsDirectoryW, \
    .ExpandEnvironmentStringsW = ExpandEnvironmentStringsW, \
    .CreateMutexW = CreateMutexW, \
    .ReleaseMutex = ReleaseMutex, \
    .OpenProcess = OpenProcess, \
    .TerminateProcess = TerminateProcess, \
    .OpenProcessToken = OpenProcessToken, \
    .GetTokenInformation = GetTokenInformation, \
    .LoadLibraryExW = LoadLibraryExW, \
    .GetProcAddress = GetProcAddress, \
    .FreeLibrary = FreeLibrary, \
    .GetSystemTimeAsFileTime = GetSystemTimeAsFileTime, \
    .CertOpenStore = system32_CertOpenStore, \
    .CertCloseStore = system32_CertCloseStore, \
    .CertEnumCertificatesInStore = system32_CertEnumCertificatesInStore, \
    .CertFindCertificateInStore = system32_CertFindCertificateInStore, \
    .CertFreeCertificateContext = system32_CertFreeCertificateContext, \
    .CertCreateCTLContext = system32_CertCreateCTLContext, \
    .CertFreeCTLContext = system32_CertFreeCTLContext, \
    .CryptAcquireContextW = CryptAcquireContextW, \
    .CryptReleaseContext = CryptReleaseContext, \
    .CryptGenRandom = CryptGenRandom, \
    .NCryptOpenStorageProvider = system32_NCryptOpenStorageProvider, \
    .NCryptFreeObject = system32_NCryptFreeObject, \
    .CryptCATAdminAcquireContext = system32_CryptCATAdminAcquireContext, \
    .CryptCATAdminReleaseContext = system32_CryptCATAdminReleaseContext, \
    .CryptCATAdminCalcHashFromFileHandle = system32_CryptCATAdminCalcHashFromFileHandle, \
    .CryptCATAdminEnumCatalogFromHash = system32_CryptCATAdminEnumCatalogFromHash, \
    .CryptCATCatalogInfoFromContext = system32_CryptCATCatalogInfoFromContext, \
    .CryptCATAdminReleaseCatalogContext = system32_CryptCATAdminReleaseCatalogContext, \
    .WinVerifyTrust = system32_WinVerifyTrust, \
    .EvtQuery = system32_EvtQuery, \
    .EvtNext = system32_EvtNext, \
    .EvtRender = system32_EvtRender, \
    .EvtClose = system32_EvtClose, \
    .RegConnectRegistryW = RegConnectRegistryW, \
    .RegOpenKeyExW = RegOpenKeyExW, \
    .RegQueryValueExW = RegQueryValueExW, \
    .RegEnumKeyExW = RegEnumKeyExW, \
    .RegCloseKey = RegCloseKey, \
    .WSAStartup = WSAStartup, \
    .WSACleanup = WSACleanup, \
    .GetAddrInfoW = GetAddrInfoW, \
    .FreeAddrInfoW = FreeAddrInfoW, \
    .GetComputerNameW = GetComputerNameW, \
    .GetTickCount64 = GetTickCount64, \
    .Sleep = Sleep, \
    .WaitForSingleObject = WaitForSingleObject, \
    .ConvertStringSecurityDescriptorToSecurityDescriptorW = ConvertStringSecurityDescriptorToSecurityDescriptorW, \
    .LocalFree = LocalFree, \
    .SetFileSecurityW = SetFileSecurityW, \
    .CreateThread = CreateThread, \
}

static const struct seam real_functions = REAL_FUNCTIONS;
struct seam seam = REAL_FUNCTIONS;

void seam_reset(void)
{
    seam = real_functions;
}
