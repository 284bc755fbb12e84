/* core/win/seam_system32.h: the seam's real functions for DLLs loaded from System32 on first use. */
#ifndef CSD_SEAM_SYSTEM32_H
#define CSD_SEAM_SYSTEM32_H

#include "win/seam.h"

HCERTSTORE WINAPI system32_CertOpenStore(LPCSTR provider, DWORD encoding, HCRYPTPROV_LEGACY crypt_prov, DWORD flags, const void *parameter);
BOOL WINAPI system32_CertCloseStore(HCERTSTORE store, DWORD flags);
PCCERT_CONTEXT WINAPI system32_CertEnumCertificatesInStore(HCERTSTORE store, PCCERT_CONTEXT previous);
PCCERT_CONTEXT WINAPI system32_CertFindCertificateInStore(HCERTSTORE store, DWORD encoding, DWORD flags, DWORD type, const void *para, PCCERT_CONTEXT previous);
BOOL WINAPI system32_CertFreeCertificateContext(PCCERT_CONTEXT context);
PCCTL_CONTEXT WINAPI system32_CertCreateCTLContext(DWORD encoding, const BYTE *encoded, DWORD length);
BOOL WINAPI system32_CertFreeCTLContext(PCCTL_CONTEXT context);
SECURITY_STATUS WINAPI system32_NCryptOpenStorageProvider(NCRYPT_PROV_HANDLE *provider, LPCWSTR name, DWORD flags);
SECURITY_STATUS WINAPI system32_NCryptFreeObject(NCRYPT_HANDLE object);
BOOL WINAPI system32_CryptCATAdminAcquireContext(HCATADMIN *admin, const GUID *subsystem, DWORD flags);
BOOL WINAPI system32_CryptCATAdminReleaseContext(HCATADMIN admin, DWORD flags);
BOOL WINAPI system32_CryptCATAdminCalcHashFromFileHandle(HANDLE file, DWORD *length, BYTE *hash, DWORD flags);
HCATINFO WINAPI system32_CryptCATAdminEnumCatalogFromHash(HCATADMIN admin, BYTE *hash, DWORD length, DWORD flags, HCATINFO *previous);
BOOL WINAPI system32_CryptCATCatalogInfoFromContext(HCATINFO catalog, CATALOG_INFO *info, DWORD flags);
BOOL WINAPI system32_CryptCATAdminReleaseCatalogContext(HCATADMIN admin, HCATINFO catalog, DWORD flags);
LONG WINAPI system32_WinVerifyTrust(HWND window, GUID *action, LPVOID data);
EVT_HANDLE WINAPI system32_EvtQuery(EVT_HANDLE session, LPCWSTR path, LPCWSTR query, DWORD flags);
BOOL WINAPI system32_EvtNext(EVT_HANDLE results, DWORD count, EVT_HANDLE *events, DWORD timeout, DWORD flags, PDWORD returned);
BOOL WINAPI system32_EvtRender(EVT_HANDLE context, EVT_HANDLE fragment, DWORD flags, DWORD size, PVOID buffer, PDWORD used, PDWORD property_count);
BOOL WINAPI system32_EvtClose(EVT_HANDLE object);

#endif
