/* core/win/checks_crypto.c: the facts behind the Protected Root, Key Service and Automatic Root Certificate Update rows. */
#include "win/checks_internal.h"
#include "win/seam.h"

#include <stdlib.h>
#include <wchar.h>

#define PROTECTED_ROOTS_KEY L"Software\\Microsoft\\SystemCertificates\\Root\\ProtectedRoots"
#define AUTHROOT_POLICY_KEY L"SOFTWARE\\Policies\\Microsoft\\SystemCertificates\\AuthRoot"
#define AUTHROOT_UPDATE_KEY L"SOFTWARE\\Microsoft\\SystemCertificates\\AuthRoot\\AutoUpdate"
#define WINTRUST_KEY L"Software\\Microsoft\\Windows\\CurrentVersion\\WinTrust\\Trust Providers\\Software Publishing"
#define CRYPTOGRAPHY_KEY L"SOFTWARE\\Microsoft\\Cryptography"

/* The roots every Windows since XP ships in LocalMachine\Root; thumbprints checked
 * byte for byte against crypt32's built-in copies (winapi-and-wine.md A2). */
static const struct checks_ms_root ms_roots[] = {
    { "Microsoft Root Authority", { 0xA4, 0x34, 0x89, 0x15, 0x9A, 0x52, 0x0F, 0x0D, 0x93, 0xD0,
                                    0x32, 0xCC, 0xAF, 0x37, 0xE7, 0xFE, 0x20, 0xA8, 0xB4, 0x19 } },
    { "Microsoft Root Certificate Authority", { 0xCD, 0xD4, 0xEE, 0xAE, 0x60, 0x00, 0xAC, 0x7F, 0x40, 0xC3,
                                                0x80, 0x2C, 0x17, 0x1E, 0x30, 0x14, 0x80, 0x30, 0xC0, 0x72 } },
    { "Microsoft Root Certificate Authority 2010", { 0x3B, 0x1E, 0xFD, 0x3A, 0x66, 0xEA, 0x28, 0xB1, 0x66, 0x97,
                                                     0x39, 0x47, 0x03, 0xA7, 0x2C, 0xA3, 0x40, 0xA0, 0x5B, 0xD5 } },
    { "Microsoft Root Certificate Authority 2011", { 0x8F, 0x43, 0x28, 0x8A, 0xD2, 0x72, 0xF3, 0x10, 0x3B, 0x6F,
                                                     0xB1, 0x42, 0x84, 0x85, 0xEA, 0x30, 0x14, 0xC0, 0xBC, 0xFE } },
};

const struct checks_ms_root *checks_ms_roots(size_t *count)
{
    *count = ARRAYSIZE(ms_roots);
    return ms_roots;
}

/* ---- protected root ------------------------------------------------------------------------ */

static HCERTSTORE open_root(DWORD location, uint32_t *error)
{
    /* LocalMachine\Root must exist; CurrentUser\Root is a view that also shows the machine's
     * roots and is made on first use (Wine has no physical one), so it is not "open existing". */
    DWORD flags = CERT_STORE_READONLY_FLAG |
                  (location == CERT_SYSTEM_STORE_LOCAL_MACHINE ? CERT_STORE_OPEN_EXISTING_FLAG : 0);
    HCERTSTORE store = seam.CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, location | flags, L"Root");
    *error = store ? 0 : (GetLastError() ? GetLastError() : ERROR_INVALID_HANDLE);
    return store;
}

/* Counts the store's certificates; returns 0 or the error that ended the walk early (the
 * end of the store is CRYPT_E_NOT_FOUND). */
static uint32_t count_certificates(HCERTSTORE store, uint32_t *count)
{
    PCCERT_CONTEXT context = NULL;
    DWORD error;

    *count = 0;
    SetLastError(0);
    while ((context = seam.CertEnumCertificatesInStore(store, context)) != NULL) (*count)++;
    error = GetLastError();
    return (error == (DWORD)CRYPT_E_NOT_FOUND || error == ERROR_NO_MORE_FILES) ? 0 : error;
}

static void find_ms_roots(HCERTSTORE store, struct rules_root_facts *facts)
{
    for (size_t i = 0; i < ARRAYSIZE(ms_roots); i++) {
        CRYPT_HASH_BLOB blob = { sizeof(ms_roots[i].sha1), (BYTE *)ms_roots[i].sha1 };
        PCCERT_CONTEXT found;
        DWORD error;

        SetLastError(0);
        found = seam.CertFindCertificateInStore(store, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0,
                                                CERT_FIND_SHA1_HASH, &blob, NULL);
        error = GetLastError();
        /* Not there is CRYPT_E_NOT_FOUND; anything else means the search itself failed. */
        if (!found && error && error != (DWORD)CRYPT_E_NOT_FOUND) {
            facts->ms_error = error;
            facts->ms_checked = facts->ms_found = facts->ms_missing_count = 0;
            return;
        }
        facts->ms_checked++;
        if (found) {
            facts->ms_found++;
            seam.CertFreeCertificateContext(found);
        } else if (facts->ms_missing_count < 4) {
            diag_copy(facts->ms_missing[facts->ms_missing_count++], sizeof(facts->ms_missing[0]), ms_roots[i].name);
        }
    }
}

static void read_protected_roots(struct rules_root_facts *facts)
{
    HKEY key;
    DWORD size = 0, type = 0;
    DWORD error = (DWORD)seam.RegOpenKeyExW(HKEY_CURRENT_USER, PROTECTED_ROOTS_KEY, 0, KEY_QUERY_VALUE, &key);

    if (!error) {
        error = (DWORD)seam.RegQueryValueExW(key, L"Certificates", NULL, &type, NULL, &size);
        seam.RegCloseKey(key);
    }
    facts->protected_roots_error = error;
    /* The key belongs to SYSTEM: a user being refused means it is there. */
    if (!error) facts->protected_roots = RULES_PRESENT;
    else if (error == ERROR_ACCESS_DENIED) facts->protected_roots = RULES_DENIED;
    else if (error == ERROR_FILE_NOT_FOUND) facts->protected_roots = RULES_ABSENT;
    else facts->protected_roots = RULES_UNKNOWN;
}

/* CurrentUser\Root, counted on a worker while LocalMachine\Root is read: under Wine the
 * first open of either fills the store from the host's certificates (~100 ms), and the two
 * opens overlap almost entirely. */
struct cu_job {
    uint32_t error;
    uint32_t count;
};

static DWORD WINAPI count_cu_worker(void *parameter)
{
    struct cu_job *job = parameter;
    HCERTSTORE store = open_root(CERT_SYSTEM_STORE_CURRENT_USER, &job->error);

    if (store) {
        job->error = count_certificates(store, &job->count);
        seam.CertCloseStore(store, 0);
    }
    return 0;
}

void checks_root_facts(const struct checks_env *env, struct rules_root_facts *facts)
{
    struct cu_job cu = { 0, 0 };
    HCERTSTORE store;
    HANDLE worker;

    memset(facts, 0, sizeof(*facts));
    facts->remote = env->remote;
    facts->wine = env->wine;
    if (env->remote) return;
    worker = seam.CreateThread(NULL, 0, count_cu_worker, &cu, 0, NULL);
    store = open_root(CERT_SYSTEM_STORE_LOCAL_MACHINE, &facts->lm_error);
    if (store) {
        facts->lm_error = count_certificates(store, &facts->lm_count);
        if (!facts->lm_error) find_ms_roots(store, facts);
        seam.CertCloseStore(store, 0);
    }
    /* No worker: count it here. The join is the real wait (see join_row in checks.c): the
     * worker writes into this frame, so it must have ended before we return. */
    if (!worker) {
        count_cu_worker(&cu);
    } else {
        WaitForSingleObject(worker, INFINITE);
        seam.CloseHandle(worker);
    }
    facts->cu_error = cu.error;
    facts->cu_count = cu.count;
    read_protected_roots(facts);
}

void checks_root_row(const struct checks_env *env, struct diag_row *row)
{
    struct rules_root_facts facts;

    checks_root_facts(env, &facts);
    rules_root_row(&facts, row);
}

/* ---- key service ------------------------------------------------------------------------- */

static void try_providers(struct rules_key_facts *facts)
{
    HCRYPTPROV provider = 0;
    NCRYPT_PROV_HANDLE storage = 0;
    BYTE random[16];
    SECURITY_STATUS status;

    if (!seam.CryptAcquireContextW(&provider, NULL, NULL, PROV_RSA_AES, CRYPT_VERIFYCONTEXT)) {
        facts->capi_error = GetLastError() ? GetLastError() : (uint32_t)NTE_PROV_DLL_NOT_FOUND;
    } else {
        if (!seam.CryptGenRandom(provider, sizeof(random), random))
            facts->random_error = GetLastError() ? GetLastError() : (uint32_t)NTE_FAIL;
        seam.CryptReleaseContext(provider, 0);
    }
    status = seam.NCryptOpenStorageProvider(&storage, MS_KEY_STORAGE_PROVIDER, 0);
    facts->cng_error = (uint32_t)status;
    if (status == ERROR_SUCCESS && storage) seam.NCryptFreeObject(storage);
}

static void check_machine_keys(struct rules_key_facts *facts)
{
    WCHAR path[MAX_PATH], pattern[MAX_PATH + 4];
    WIN32_FIND_DATAW found;
    HANDLE find;
    DWORD attributes;

    if (!seam.ExpandEnvironmentStringsW(L"%ProgramData%\\Microsoft\\Crypto\\RSA\\MachineKeys", path, ARRAYSIZE(path))) {
        facts->machine_keys_error = GetLastError() ? GetLastError() : ERROR_ENVVAR_NOT_FOUND;
        return;
    }
    checks_utf8(path, facts->machine_keys_path, sizeof(facts->machine_keys_path));
    attributes = seam.GetFileAttributesW(path);
    if (attributes == INVALID_FILE_ATTRIBUTES) {
        facts->machine_keys_error = GetLastError() ? GetLastError() : ERROR_FILE_NOT_FOUND;
        return;
    }
    facts->machine_keys_is_dir = (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    if (!facts->machine_keys_is_dir) return;
    swprintf(pattern, ARRAYSIZE(pattern), L"%ls\\*", path);
    find = seam.FindFirstFileExW(pattern, FindExInfoBasic, &found, FindExSearchNameMatch, NULL, 0);
    if (find == INVALID_HANDLE_VALUE) {
        DWORD error = GetLastError();
        /* An empty folder lists "." at least; "not found" here is still a readable folder. */
        if (error != ERROR_FILE_NOT_FOUND) facts->machine_keys_list_error = error ? error : ERROR_ACCESS_DENIED;
        return;
    }
    seam.FindClose(find);
}

void checks_key_facts(const struct checks_env *env, struct rules_key_facts *facts)
{
    WCHAR guid[64];

    memset(facts, 0, sizeof(*facts));
    facts->remote = env->remote;
    facts->wine = env->wine;
    facts->machine_keys_error = facts->machine_guid_error = RULES_NOT_RUN;
    if (env->remote) return;
    try_providers(facts);
    facts->machine_keys_error = 0;
    check_machine_keys(facts);
    facts->machine_guid_error = checks_reg_string(HKEY_LOCAL_MACHINE, CRYPTOGRAPHY_KEY, L"MachineGuid", guid,
                                                  ARRAYSIZE(guid));
}

void checks_key_row(const struct checks_env *env, struct diag_row *row)
{
    struct rules_key_facts facts;

    checks_key_facts(env, &facts);
    rules_key_row(&facts, row);
}

/* ---- automatic root certificate update ----------------------------------------------------- */

static uint64_t filetime_value(const FILETIME *time)
{
    return ((uint64_t)time->dwHighDateTime << 32) | time->dwLowDateTime;
}

static void read_root_policy(struct rules_root_update_facts *facts)
{
    HKEY key;
    DWORD value;
    DWORD error = (DWORD)seam.RegOpenKeyExW(HKEY_LOCAL_MACHINE, AUTHROOT_POLICY_KEY, 0, KEY_QUERY_VALUE, &key);

    facts->policy_error = error;
    facts->disable_root_auto_update = facts->enable_disallowed_auto_update = -1;
    if (error) return;
    seam.RegCloseKey(key);
    if (!checks_reg_dword(HKEY_LOCAL_MACHINE, AUTHROOT_POLICY_KEY, L"DisableRootAutoUpdate", &value))
        facts->disable_root_auto_update = value ? 1 : 0;
    if (!checks_reg_dword(HKEY_LOCAL_MACHINE, AUTHROOT_POLICY_KEY, L"EnableDisallowedCertAutoUpdate", &value))
        facts->enable_disallowed_auto_update = value ? 1 : 0;
}

static void read_root_list(struct rules_root_update_facts *facts)
{
    BYTE *data = NULL;
    DWORD size = 0;
    PCCTL_CONTEXT ctl;

    facts->sync_error = checks_reg_binary(HKEY_LOCAL_MACHINE, AUTHROOT_UPDATE_KEY, L"LastSyncTime", &data, &size);
    if (!facts->sync_error) {
        if (size >= sizeof(FILETIME)) facts->last_sync = filetime_value((const FILETIME *)data);
        else facts->sync_error = ERROR_INVALID_DATA;
        free(data);
    }
    facts->ctl_error = checks_reg_binary(HKEY_LOCAL_MACHINE, AUTHROOT_UPDATE_KEY, L"EncodedCtl", &data, &size);
    if (facts->ctl_error) return;
    ctl = seam.CertCreateCTLContext(X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, data, size);
    if (!ctl) {
        facts->ctl_error = GetLastError() ? GetLastError() : (uint32_t)CRYPT_E_ASN1_BADTAG;
    } else {
        facts->ctl_this_update = filetime_value(&ctl->pCtlInfo->ThisUpdate);
        facts->ctl_entries = ctl->pCtlInfo->cCTLEntry;
        seam.CertFreeCTLContext(ctl);
    }
    free(data);
}

static void read_trust_state(struct rules_root_update_facts *facts)
{
    HKEY users;
    DWORD value = 0;
    DWORD error = checks_reg_dword(HKEY_CURRENT_USER, WINTRUST_KEY, L"State", &value);

    facts->trust_state_error = error;
    if (!error) facts->trust_state = value;
    /* Services (and CryptSvc's callers running as SYSTEM) read the .DEFAULT profile's copy. */
    error = (DWORD)seam.RegOpenKeyExW(HKEY_USERS, L".DEFAULT", 0, KEY_QUERY_VALUE, &users);
    if (!error) {
        error = checks_reg_dword(users, WINTRUST_KEY, L"State", &value);
        seam.RegCloseKey(users);
    }
    facts->trust_state_default_error = error;
    if (!error) facts->trust_state_default = value;
}

void checks_root_update_facts(const struct checks_env *env, struct rules_root_update_facts *facts)
{
    FILETIME now;
    unsigned count4107 = 0, count11 = 0;

    memset(facts, 0, sizeof(*facts));
    facts->remote = env->remote;
    facts->wine = env->wine;
    facts->version = env->version;
    facts->policy_error = facts->sync_error = facts->ctl_error = facts->events_error = RULES_NOT_RUN;
    facts->trust_state_error = facts->trust_state_default_error = RULES_NOT_RUN;
    facts->disable_root_auto_update = facts->enable_disallowed_auto_update = -1;
    if (env->remote || !rules_version_at_least(&env->version, 6, 0, 0)) return;
    seam.GetSystemTimeAsFileTime(&now);
    facts->now = filetime_value(&now);
    facts->event_days = env->options.event_days;
    read_root_policy(facts);
    read_root_list(facts);
    facts->events_error = checks_count_events(L"Provider[@Name='Microsoft-Windows-CAPI2'] and EventID=4107",
                                              env->options.event_days, NULL, &count4107, NULL, 0);
    if (!facts->events_error)
        facts->events_error = checks_count_events(L"Provider[@Name='Microsoft-Windows-CAPI2'] and EventID=11",
                                                  env->options.event_days, NULL, &count11, NULL, 0);
    facts->capi2_4107 = count4107;
    facts->capi2_11 = count11;
    read_trust_state(facts);
}

void checks_root_update_row(const struct checks_env *env, struct diag_row *row)
{
    struct rules_root_update_facts facts;

    checks_root_update_facts(env, &facts);
    rules_root_update_row(&facts, row);
}
