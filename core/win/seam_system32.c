/* core/win/seam_system32.c: functions of DLLs outside KnownDLLs, loaded from System32 on first use. */
#include "win/seam.h"
#include "win/seam_system32.h"

/*
 * crypt32, wintrust, ncrypt and wevtapi are not KnownDLLs. Imported the usual way, Windows
 * would look for them first in the folder of the exe, before anything of ours runs: a
 * wintrust.dll dropped beside csd-gui.exe in a Downloads folder would be loaded into an
 * elevated repair tool. So the seam's real functions for them are these small stand-ins,
 * which load the DLL by its full System32 path the first time one of its functions is
 * called. (LOAD_LIBRARY_SEARCH_SYSTEM32 would do, but Windows 7 lacks it without KB2533623.)
 * A function that cannot be loaded fails with ERROR_PROC_NOT_FOUND, which the checks
 * report as "could not check". Two checks may race to fill the same `real` pointer on
 * their worker threads: both store the same address, and an aligned pointer store is
 * atomic on every Windows processor, so the race is harmless.
 */

static FARPROC system32_proc(const WCHAR *dll, const char *name)
{
    WCHAR path[MAX_PATH];
    UINT length = GetSystemDirectoryW(path, MAX_PATH);
    HMODULE module;

    if (!length || length + wcslen(dll) + 2 > MAX_PATH) return NULL;
    path[length] = L'\\';
    wcscpy(path + length + 1, dll);
    /* Loaded once and kept: a module handle per first call, never freed, is what an import does too. */
    module = LoadLibraryExW(path, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
    if (!module) return NULL;
    return GetProcAddress(module, name);
}

HCERTSTORE WINAPI system32_CertOpenStore(LPCSTR provider, DWORD encoding, HCRYPTPROV_LEGACY crypt_prov, DWORD flags, const void *parameter)
{
    static HCERTSTORE (WINAPI *real)(LPCSTR provider, DWORD encoding, HCRYPTPROV_LEGACY crypt_prov, DWORD flags, const void *parameter);
    if (!real) real = (HCERTSTORE (WINAPI *)(LPCSTR provider, DWORD encoding, HCRYPTPROV_LEGACY crypt_prov, DWORD flags, const void *parameter))(void (*)(void))system32_proc(L"crypt32.dll", "CertOpenStore");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return NULL;
    }
    return real(provider, encoding, crypt_prov, flags, parameter);
}

BOOL WINAPI system32_CertCloseStore(HCERTSTORE store, DWORD flags)
{
    static BOOL (WINAPI *real)(HCERTSTORE store, DWORD flags);
    if (!real) real = (BOOL (WINAPI *)(HCERTSTORE store, DWORD flags))(void (*)(void))system32_proc(L"crypt32.dll", "CertCloseStore");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return FALSE;
    }
    return real(store, flags);
}

PCCERT_CONTEXT WINAPI system32_CertEnumCertificatesInStore(HCERTSTORE store, PCCERT_CONTEXT previous)
{
    static PCCERT_CONTEXT (WINAPI *real)(HCERTSTORE store, PCCERT_CONTEXT previous);
    if (!real) real = (PCCERT_CONTEXT (WINAPI *)(HCERTSTORE store, PCCERT_CONTEXT previous))(void (*)(void))system32_proc(L"crypt32.dll", "CertEnumCertificatesInStore");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return NULL;
    }
    return real(store, previous);
}

PCCERT_CONTEXT WINAPI system32_CertFindCertificateInStore(HCERTSTORE store, DWORD encoding, DWORD flags, DWORD type, const void *para, PCCERT_CONTEXT previous)
{
    static PCCERT_CONTEXT (WINAPI *real)(HCERTSTORE store, DWORD encoding, DWORD flags, DWORD type, const void *para, PCCERT_CONTEXT previous);
    if (!real) real = (PCCERT_CONTEXT (WINAPI *)(HCERTSTORE store, DWORD encoding, DWORD flags, DWORD type, const void *para, PCCERT_CONTEXT previous))(void (*)(void))system32_proc(L"crypt32.dll", "CertFindCertificateInStore");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return NULL;
    }
    return real(store, encoding, flags, type, para, previous);
}

BOOL WINAPI system32_CertFreeCertificateContext(PCCERT_CONTEXT context)
{
    static BOOL (WINAPI *real)(PCCERT_CONTEXT context);
    if (!real) real = (BOOL (WINAPI *)(PCCERT_CONTEXT context))(void (*)(void))system32_proc(L"crypt32.dll", "CertFreeCertificateContext");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return FALSE;
    }
    return real(context);
}

PCCTL_CONTEXT WINAPI system32_CertCreateCTLContext(DWORD encoding, const BYTE *encoded, DWORD length)
{
    static PCCTL_CONTEXT (WINAPI *real)(DWORD encoding, const BYTE *encoded, DWORD length);
    if (!real) real = (PCCTL_CONTEXT (WINAPI *)(DWORD encoding, const BYTE *encoded, DWORD length))(void (*)(void))system32_proc(L"crypt32.dll", "CertCreateCTLContext");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return NULL;
    }
    return real(encoding, encoded, length);
}

BOOL WINAPI system32_CertFreeCTLContext(PCCTL_CONTEXT context)
{
    static BOOL (WINAPI *real)(PCCTL_CONTEXT context);
    if (!real) real = (BOOL (WINAPI *)(PCCTL_CONTEXT context))(void (*)(void))system32_proc(L"crypt32.dll", "CertFreeCTLContext");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return FALSE;
    }
    return real(context);
}

SECURITY_STATUS WINAPI system32_NCryptOpenStorageProvider(NCRYPT_PROV_HANDLE *provider, LPCWSTR name, DWORD flags)
{
    static SECURITY_STATUS (WINAPI *real)(NCRYPT_PROV_HANDLE *provider, LPCWSTR name, DWORD flags);
    if (!real) real = (SECURITY_STATUS (WINAPI *)(NCRYPT_PROV_HANDLE *provider, LPCWSTR name, DWORD flags))(void (*)(void))system32_proc(L"ncrypt.dll", "NCryptOpenStorageProvider");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return (SECURITY_STATUS)NTE_PROVIDER_DLL_FAIL;
    }
    return real(provider, name, flags);
}

SECURITY_STATUS WINAPI system32_NCryptFreeObject(NCRYPT_HANDLE object)
{
    static SECURITY_STATUS (WINAPI *real)(NCRYPT_HANDLE object);
    if (!real) real = (SECURITY_STATUS (WINAPI *)(NCRYPT_HANDLE object))(void (*)(void))system32_proc(L"ncrypt.dll", "NCryptFreeObject");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return (SECURITY_STATUS)NTE_PROVIDER_DLL_FAIL;
    }
    return real(object);
}

BOOL WINAPI system32_CryptCATAdminAcquireContext(HCATADMIN *admin, const GUID *subsystem, DWORD flags)
{
    static BOOL (WINAPI *real)(HCATADMIN *admin, const GUID *subsystem, DWORD flags);
    if (!real) real = (BOOL (WINAPI *)(HCATADMIN *admin, const GUID *subsystem, DWORD flags))(void (*)(void))system32_proc(L"wintrust.dll", "CryptCATAdminAcquireContext");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return FALSE;
    }
    return real(admin, subsystem, flags);
}

BOOL WINAPI system32_CryptCATAdminReleaseContext(HCATADMIN admin, DWORD flags)
{
    static BOOL (WINAPI *real)(HCATADMIN admin, DWORD flags);
    if (!real) real = (BOOL (WINAPI *)(HCATADMIN admin, DWORD flags))(void (*)(void))system32_proc(L"wintrust.dll", "CryptCATAdminReleaseContext");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return FALSE;
    }
    return real(admin, flags);
}

BOOL WINAPI system32_CryptCATAdminCalcHashFromFileHandle(HANDLE file, DWORD *length, BYTE *hash, DWORD flags)
{
    static BOOL (WINAPI *real)(HANDLE file, DWORD *length, BYTE *hash, DWORD flags);
    if (!real) real = (BOOL (WINAPI *)(HANDLE file, DWORD *length, BYTE *hash, DWORD flags))(void (*)(void))system32_proc(L"wintrust.dll", "CryptCATAdminCalcHashFromFileHandle");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return FALSE;
    }
    return real(file, length, hash, flags);
}

HCATINFO WINAPI system32_CryptCATAdminEnumCatalogFromHash(HCATADMIN admin, BYTE *hash, DWORD length, DWORD flags, HCATINFO *previous)
{
    static HCATINFO (WINAPI *real)(HCATADMIN admin, BYTE *hash, DWORD length, DWORD flags, HCATINFO *previous);
    if (!real) real = (HCATINFO (WINAPI *)(HCATADMIN admin, BYTE *hash, DWORD length, DWORD flags, HCATINFO *previous))(void (*)(void))system32_proc(L"wintrust.dll", "CryptCATAdminEnumCatalogFromHash");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return NULL;
    }
    return real(admin, hash, length, flags, previous);
}

BOOL WINAPI system32_CryptCATCatalogInfoFromContext(HCATINFO catalog, CATALOG_INFO *info, DWORD flags)
{
    static BOOL (WINAPI *real)(HCATINFO catalog, CATALOG_INFO *info, DWORD flags);
    if (!real) real = (BOOL (WINAPI *)(HCATINFO catalog, CATALOG_INFO *info, DWORD flags))(void (*)(void))system32_proc(L"wintrust.dll", "CryptCATCatalogInfoFromContext");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return FALSE;
    }
    return real(catalog, info, flags);
}

BOOL WINAPI system32_CryptCATAdminReleaseCatalogContext(HCATADMIN admin, HCATINFO catalog, DWORD flags)
{
    static BOOL (WINAPI *real)(HCATADMIN admin, HCATINFO catalog, DWORD flags);
    if (!real) real = (BOOL (WINAPI *)(HCATADMIN admin, HCATINFO catalog, DWORD flags))(void (*)(void))system32_proc(L"wintrust.dll", "CryptCATAdminReleaseCatalogContext");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return FALSE;
    }
    return real(admin, catalog, flags);
}

LONG WINAPI system32_WinVerifyTrust(HWND window, GUID *action, LPVOID data)
{
    static LONG (WINAPI *real)(HWND window, GUID *action, LPVOID data);
    if (!real) real = (LONG (WINAPI *)(HWND window, GUID *action, LPVOID data))(void (*)(void))system32_proc(L"wintrust.dll", "WinVerifyTrust");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return (LONG)TRUST_E_PROVIDER_UNKNOWN;
    }
    return real(window, action, data);
}

EVT_HANDLE WINAPI system32_EvtQuery(EVT_HANDLE session, LPCWSTR path, LPCWSTR query, DWORD flags)
{
    static EVT_HANDLE (WINAPI *real)(EVT_HANDLE session, LPCWSTR path, LPCWSTR query, DWORD flags);
    if (!real) real = (EVT_HANDLE (WINAPI *)(EVT_HANDLE session, LPCWSTR path, LPCWSTR query, DWORD flags))(void (*)(void))system32_proc(L"wevtapi.dll", "EvtQuery");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return NULL;
    }
    return real(session, path, query, flags);
}

BOOL WINAPI system32_EvtNext(EVT_HANDLE results, DWORD count, EVT_HANDLE *events, DWORD timeout, DWORD flags, PDWORD returned)
{
    static BOOL (WINAPI *real)(EVT_HANDLE results, DWORD count, EVT_HANDLE *events, DWORD timeout, DWORD flags, PDWORD returned);
    if (!real) real = (BOOL (WINAPI *)(EVT_HANDLE results, DWORD count, EVT_HANDLE *events, DWORD timeout, DWORD flags, PDWORD returned))(void (*)(void))system32_proc(L"wevtapi.dll", "EvtNext");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return FALSE;
    }
    return real(results, count, events, timeout, flags, returned);
}

BOOL WINAPI system32_EvtRender(EVT_HANDLE context, EVT_HANDLE fragment, DWORD flags, DWORD size, PVOID buffer, PDWORD used, PDWORD property_count)
{
    static BOOL (WINAPI *real)(EVT_HANDLE context, EVT_HANDLE fragment, DWORD flags, DWORD size, PVOID buffer, PDWORD used, PDWORD property_count);
    if (!real) real = (BOOL (WINAPI *)(EVT_HANDLE context, EVT_HANDLE fragment, DWORD flags, DWORD size, PVOID buffer, PDWORD used, PDWORD property_count))(void (*)(void))system32_proc(L"wevtapi.dll", "EvtRender");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return FALSE;
    }
    return real(context, fragment, flags, size, buffer, used, property_count);
}

BOOL WINAPI system32_EvtClose(EVT_HANDLE object)
{
    static BOOL (WINAPI *real)(EVT_HANDLE object);
    if (!real) real = (BOOL (WINAPI *)(EVT_HANDLE object))(void (*)(void))system32_proc(L"wevtapi.dll", "EvtClose");
    if (!real) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return FALSE;
    }
    return real(object);
}
