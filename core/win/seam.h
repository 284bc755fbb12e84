/* core/win/seam.h: the one place every system call of the core goes through. */
#ifndef CSD_SEAM_H
#define CSD_SEAM_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <wincrypt.h>
#include <wintrust.h>
#include <mscat.h>
#include <ncrypt.h>
#include <winevt.h>
#include <sddl.h>

/*
 * The core calls Windows only as seam.Name(...). `seam` starts out holding the real
 * functions; a test replaces a member to inject a failure or fake a machine, and calls
 * seam_reset() to put the real ones back. Members are named after the function they
 * stand for, so a reader sees exactly which Win32 call is made.
 */
struct seam {
    /* Service Control Manager */
    SC_HANDLE (WINAPI *OpenSCManagerW)(LPCWSTR machine, LPCWSTR database, DWORD access);
    SC_HANDLE (WINAPI *OpenServiceW)(SC_HANDLE scm, LPCWSTR name, DWORD access);
    BOOL (WINAPI *CloseServiceHandle)(SC_HANDLE handle);
    BOOL (WINAPI *QueryServiceStatusEx)(SC_HANDLE service, SC_STATUS_TYPE level, LPBYTE buffer,
                                        DWORD size, LPDWORD needed);
    BOOL (WINAPI *QueryServiceConfigW)(SC_HANDLE service, LPQUERY_SERVICE_CONFIGW config,
                                       DWORD size, LPDWORD needed);
    BOOL (WINAPI *QueryServiceConfig2W)(SC_HANDLE service, DWORD level, LPBYTE buffer,
                                        DWORD size, LPDWORD needed);
    BOOL (WINAPI *EnumDependentServicesW)(SC_HANDLE service, DWORD state,
                                          LPENUM_SERVICE_STATUSW services, DWORD size,
                                          LPDWORD needed, LPDWORD count);
    BOOL (WINAPI *StartServiceW)(SC_HANDLE service, DWORD argc, LPCWSTR *argv);
    BOOL (WINAPI *ControlService)(SC_HANDLE service, DWORD control, LPSERVICE_STATUS status);
    BOOL (WINAPI *ChangeServiceConfigW)(SC_HANDLE service, DWORD type, DWORD start, DWORD error_control,
                                        LPCWSTR binary, LPCWSTR group, LPDWORD tag, LPCWSTR depends,
                                        LPCWSTR account, LPCWSTR password, LPCWSTR display_name);
    BOOL (WINAPI *ChangeServiceConfig2W)(SC_HANDLE service, DWORD level, LPVOID info);
    BOOL (WINAPI *EnumServicesStatusExW)(SC_HANDLE scm, SC_ENUM_TYPE level, DWORD type, DWORD state,
                                         LPBYTE services, DWORD size, LPDWORD needed, LPDWORD count,
                                         LPDWORD resume, LPCWSTR group);

    /* Registry */
    LSTATUS (WINAPI *RegConnectRegistryW)(LPCWSTR machine, HKEY root, PHKEY result);
    LSTATUS (WINAPI *RegOpenKeyExW)(HKEY key, LPCWSTR subkey, DWORD options, REGSAM access,
                                    PHKEY result);
    LSTATUS (WINAPI *RegQueryValueExW)(HKEY key, LPCWSTR name, LPDWORD reserved, LPDWORD type,
                                       LPBYTE data, LPDWORD size);
    LSTATUS (WINAPI *RegEnumKeyExW)(HKEY key, DWORD index, LPWSTR name, LPDWORD name_count,
                                    LPDWORD reserved, LPWSTR class_name, LPDWORD class_count,
                                    PFILETIME written);
    LSTATUS (WINAPI *RegCloseKey)(HKEY key);
    LSTATUS (WINAPI *RegCreateKeyExW)(HKEY key, LPCWSTR subkey, DWORD reserved, LPWSTR class_name,
                                      DWORD options, REGSAM access, LPSECURITY_ATTRIBUTES security,
                                      PHKEY result, LPDWORD disposition);
    LSTATUS (WINAPI *RegSetValueExW)(HKEY key, LPCWSTR name, DWORD reserved, DWORD type,
                                     const BYTE *data, DWORD size);
    LSTATUS (WINAPI *RegDeleteValueW)(HKEY key, LPCWSTR name);

    /* Files and folders */
    HANDLE (WINAPI *CreateFileW)(LPCWSTR path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES security,
                                 DWORD disposition, DWORD flags, HANDLE template_file);
    BOOL (WINAPI *ReadFile)(HANDLE file, LPVOID buffer, DWORD length, LPDWORD read, LPOVERLAPPED overlapped);
    BOOL (WINAPI *WriteFile)(HANDLE file, LPCVOID buffer, DWORD length, LPDWORD written,
                             LPOVERLAPPED overlapped);
    BOOL (WINAPI *SetFilePointerEx)(HANDLE file, LARGE_INTEGER distance, PLARGE_INTEGER position, DWORD method);
    BOOL (WINAPI *GetFileSizeEx)(HANDLE file, PLARGE_INTEGER size);
    BOOL (WINAPI *GetFileInformationByHandle)(HANDLE file, LPBY_HANDLE_FILE_INFORMATION info);
    BOOL (WINAPI *FlushFileBuffers)(HANDLE file);
    BOOL (WINAPI *CloseHandle)(HANDLE handle);
    HANDLE (WINAPI *FindFirstFileExW)(LPCWSTR pattern, FINDEX_INFO_LEVELS level, LPVOID data,
                                      FINDEX_SEARCH_OPS search, LPVOID filter, DWORD flags);
    BOOL (WINAPI *FindNextFileW)(HANDLE find, LPWIN32_FIND_DATAW data);
    BOOL (WINAPI *FindClose)(HANDLE find);
    DWORD (WINAPI *GetFileAttributesW)(LPCWSTR path);
    BOOL (WINAPI *SetFileAttributesW)(LPCWSTR path, DWORD attributes);
    BOOL (WINAPI *MoveFileExW)(LPCWSTR from, LPCWSTR to, DWORD flags);
    BOOL (WINAPI *CreateDirectoryW)(LPCWSTR path, LPSECURITY_ATTRIBUTES security);
    BOOL (WINAPI *RemoveDirectoryW)(LPCWSTR path);
    BOOL (WINAPI *DeleteFileW)(LPCWSTR path);
    UINT (WINAPI *GetSystemWindowsDirectoryW)(LPWSTR buffer, UINT count);
    DWORD (WINAPI *ExpandEnvironmentStringsW)(LPCWSTR source, LPWSTR dest, DWORD count);

    /* Processes, tokens, the repair lock, and DLLs loaded at run time (Windows 8+ functions) */
    HANDLE (WINAPI *CreateMutexW)(LPSECURITY_ATTRIBUTES security, BOOL owned, LPCWSTR name);
    BOOL (WINAPI *ReleaseMutex)(HANDLE mutex);
    HANDLE (WINAPI *OpenProcess)(DWORD access, BOOL inherit, DWORD pid);
    BOOL (WINAPI *TerminateProcess)(HANDLE process, UINT exit_code);
    BOOL (WINAPI *OpenProcessToken)(HANDLE process, DWORD access, PHANDLE token);
    BOOL (WINAPI *GetTokenInformation)(HANDLE token, TOKEN_INFORMATION_CLASS level, LPVOID info,
                                       DWORD length, PDWORD needed);
    HMODULE (WINAPI *LoadLibraryExW)(LPCWSTR name, HANDLE reserved, DWORD flags);
    FARPROC (WINAPI *GetProcAddress)(HMODULE module, LPCSTR name);
    BOOL (WINAPI *FreeLibrary)(HMODULE module);
    void (WINAPI *GetSystemTimeAsFileTime)(LPFILETIME now);

    /* Certificate stores and the root list */
    HCERTSTORE (WINAPI *CertOpenStore)(LPCSTR provider, DWORD encoding, HCRYPTPROV_LEGACY crypt_prov,
                                       DWORD flags, const void *parameter);
    BOOL (WINAPI *CertCloseStore)(HCERTSTORE store, DWORD flags);
    PCCERT_CONTEXT (WINAPI *CertEnumCertificatesInStore)(HCERTSTORE store, PCCERT_CONTEXT previous);
    PCCERT_CONTEXT (WINAPI *CertFindCertificateInStore)(HCERTSTORE store, DWORD encoding, DWORD flags,
                                                        DWORD type, const void *para, PCCERT_CONTEXT previous);
    BOOL (WINAPI *CertFreeCertificateContext)(PCCERT_CONTEXT context);
    PCCTL_CONTEXT (WINAPI *CertCreateCTLContext)(DWORD encoding, const BYTE *encoded, DWORD length);
    BOOL (WINAPI *CertFreeCTLContext)(PCCTL_CONTEXT context);

    /* Cryptographic providers (Key Service) */
    BOOL (WINAPI *CryptAcquireContextW)(HCRYPTPROV *prov, LPCWSTR container, LPCWSTR provider,
                                        DWORD type, DWORD flags);
    BOOL (WINAPI *CryptReleaseContext)(HCRYPTPROV prov, DWORD flags);
    BOOL (WINAPI *CryptGenRandom)(HCRYPTPROV prov, DWORD length, BYTE *buffer);
    SECURITY_STATUS (WINAPI *NCryptOpenStorageProvider)(NCRYPT_PROV_HANDLE *provider, LPCWSTR name, DWORD flags);
    SECURITY_STATUS (WINAPI *NCryptFreeObject)(NCRYPT_HANDLE object);

    /* The catalog API and signature checks (Windows 7 functions; newer ones via GetProcAddress) */
    BOOL (WINAPI *CryptCATAdminAcquireContext)(HCATADMIN *admin, const GUID *subsystem, DWORD flags);
    BOOL (WINAPI *CryptCATAdminReleaseContext)(HCATADMIN admin, DWORD flags);
    BOOL (WINAPI *CryptCATAdminCalcHashFromFileHandle)(HANDLE file, DWORD *length, BYTE *hash, DWORD flags);
    HCATINFO (WINAPI *CryptCATAdminEnumCatalogFromHash)(HCATADMIN admin, BYTE *hash, DWORD length,
                                                        DWORD flags, HCATINFO *previous);
    BOOL (WINAPI *CryptCATCatalogInfoFromContext)(HCATINFO catalog, CATALOG_INFO *info, DWORD flags);
    BOOL (WINAPI *CryptCATAdminReleaseCatalogContext)(HCATADMIN admin, HCATINFO catalog, DWORD flags);
    LONG (WINAPI *WinVerifyTrust)(HWND window, GUID *action, LPVOID data);

    /* The event log (Vista and later) */
    EVT_HANDLE (WINAPI *EvtQuery)(EVT_HANDLE session, LPCWSTR path, LPCWSTR query, DWORD flags);
    BOOL (WINAPI *EvtNext)(EVT_HANDLE results, DWORD count, EVT_HANDLE *events, DWORD timeout, DWORD flags,
                           PDWORD returned);
    BOOL (WINAPI *EvtRender)(EVT_HANDLE context, EVT_HANDLE fragment, DWORD flags, DWORD size, PVOID buffer,
                             PDWORD used, PDWORD property_count);
    BOOL (WINAPI *EvtClose)(EVT_HANDLE object);

    /* Names: a remote machine's name is resolved before the SCM is asked, so an unknown
     * name fails at once instead of after RPC's long time-outs. */
    int (WSAAPI *WSAStartup)(WORD version, LPWSADATA data);
    int (WSAAPI *WSACleanup)(void);
    INT (WSAAPI *GetAddrInfoW)(PCWSTR name, PCWSTR service, const ADDRINFOW *hints, PADDRINFOW *result);
    void (WSAAPI *FreeAddrInfoW)(PADDRINFOW info);
    BOOL (WINAPI *GetComputerNameW)(LPWSTR buffer, LPDWORD count);

    /* Time: the waits read the clock through here so tests can fake a hung service fast. */
    ULONGLONG (WINAPI *GetTickCount64)(void);
    void (WINAPI *Sleep)(DWORD ms);

    /* The repair engine: its lock, the ACL of its data folder */
    DWORD (WINAPI *WaitForSingleObject)(HANDLE handle, DWORD ms);
    BOOL (WINAPI *ConvertStringSecurityDescriptorToSecurityDescriptorW)(LPCWSTR sddl, DWORD revision,
                                                                        PSECURITY_DESCRIPTOR *descriptor,
                                                                        PULONG size);
    HLOCAL (WINAPI *LocalFree)(HLOCAL memory);
    BOOL (WINAPI *SetFileSecurityW)(LPCWSTR path, SECURITY_INFORMATION what, PSECURITY_DESCRIPTOR descriptor);

    /* The checks: a query that may hang runs on a worker thread with a bound */
    HANDLE (WINAPI *CreateThread)(LPSECURITY_ATTRIBUTES security, SIZE_T stack, LPTHREAD_START_ROUTINE start,
                                  LPVOID parameter, DWORD flags, LPDWORD thread_id);
};

extern struct seam seam;

/* Put the real functions back (tests call this after faking). */
void seam_reset(void);

#endif
