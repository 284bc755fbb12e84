/* cli/backups.c: `csd list-backups`: the backup folders the repairs left, read from their manifests. */
#include "cli.h"
#include "pure/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define MANIFEST_MAX_BYTES (4u << 20)

struct backup {
    WCHAR name[MAX_PATH];
    WCHAR path[MAX_PATH];
    struct manifest manifest;
    BOOL parsed;
    char why[200];
};

static void read_manifest(struct backup *backup)
{
    WCHAR file_name[MAX_PATH];
    HANDLE file;
    LARGE_INTEGER size;
    char *bytes;
    DWORD got = 0;

    swprintf(file_name, ARRAYSIZE(file_name), L"%ls\\manifest.txt", backup->path);
    file = CreateFileW(file_name, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        WCHAR words[300];
        text_error(GetLastError(), words, ARRAYSIZE(words));
        WideCharToMultiByte(CP_UTF8, 0, words, -1, backup->why, sizeof(backup->why), NULL, NULL);
        return;
    }
    if (!GetFileSizeEx(file, &size) || size.QuadPart > MANIFEST_MAX_BYTES ||
        !(bytes = malloc((size_t)size.QuadPart + 1))) {
        snprintf(backup->why, sizeof(backup->why), "manifest.txt is too large or unreadable");
        CloseHandle(file);
        return;
    }
    if (ReadFile(file, bytes, (DWORD)size.QuadPart, &got, NULL) &&
        !manifest_parse(bytes, got, &backup->manifest, backup->why, sizeof(backup->why)))
        backup->parsed = TRUE;
    free(bytes);
    CloseHandle(file);
}

static DWORD data_dir(const struct cli *cli, WCHAR *out, size_t count)
{
    if (cli->data_dir) {
        swprintf(out, count, L"%ls", cli->data_dir);
        return 0;
    }
    if (!ExpandEnvironmentStringsW(L"%ProgramData%\\CryptSvcDoctor", out, (DWORD)count)) return GetLastError();
    return wcschr(out, L'%') ? ERROR_ENVVAR_NOT_FOUND : 0;
}

static size_t moved_items(const struct manifest *m)
{
    size_t count = 0;
    for (size_t i = 0; i < m->count; i++)
        if (m->entries[i].kind != MANIFEST_VALUE && !m->entries[i].aside) count++;
        else if (m->entries[i].kind == MANIFEST_VALUE) count++;
    return count;
}

int cmd_list_backups(struct cli *cli)
{
    WCHAR root[MAX_PATH], pattern[MAX_PATH + 8];
    struct backup *backups = NULL;
    size_t count = 0, capacity = 0;
    WIN32_FIND_DATAW found;
    HANDLE find;
    DWORD error = data_dir(cli, root, ARRAYSIZE(root));

    if (!error) {
        wcsncat(root, L"\\backups", ARRAYSIZE(root) - wcslen(root) - 1);
        swprintf(pattern, ARRAYSIZE(pattern), L"%ls\\*", root);
        find = FindFirstFileW(pattern, &found);
        if (find != INVALID_HANDLE_VALUE) {
            do {
                struct backup *grown;
                /* Folders only, never a link: a backup is a folder the repair made. */
                if (!(found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ||
                    (found.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) || found.cFileName[0] == L'.')
                    continue;
                if (count == capacity) {
                    capacity = capacity ? capacity * 2 : 16;
                    grown = realloc(backups, capacity * sizeof(*backups));
                    if (!grown) break;
                    backups = grown;
                }
                memset(&backups[count], 0, sizeof(backups[count]));
                wcsncpy(backups[count].name, found.cFileName, MAX_PATH - 1);
                swprintf(backups[count].path, MAX_PATH, L"%ls\\%ls", root, found.cFileName);
                read_manifest(&backups[count]);
                count++;
            } while (FindNextFileW(find, &found));
            FindClose(find);
        }
    }
    /* Names sort by time ("20261125-074103-clear_logs"): oldest first, as FindFirstFile may not. */
    for (size_t i = 1; i < count; i++)
        for (size_t k = i; k > 0 && wcscmp(backups[k - 1].name, backups[k].name) > 0; k--) {
            struct backup swap = backups[k];
            backups[k] = backups[k - 1];
            backups[k - 1] = swap;
        }

    if (cli->json) {
        struct json j;
        json_init(&j, cli->out);
        json_begin_object(&j, NULL);
        json_header(&j, "list-backups");
        json_number(&j, "exit_code", CLI_EXIT_HEALTHY);
        json_string(&j, "status", cli_status_id(CLI_EXIT_HEALTHY));
        json_wstring(&j, "folder", error ? L"" : root);
        json_begin_array(&j, "backups");
        for (size_t i = 0; i < count; i++) {
            const struct backup *b = &backups[i];
            json_begin_object(&j, NULL);
            json_wstring(&j, "path", b->path);
            json_string(&j, "repair", b->parsed && b->manifest.repair ? b->manifest.repair : "");
            json_string(&j, "created", b->parsed && b->manifest.created ? b->manifest.created : "");
            json_number(&j, "items", b->parsed ? (long long)moved_items(&b->manifest) : 0);
            json_bool(&j, "readable", b->parsed);
            json_string(&j, "problem", b->parsed ? "" : b->why);
            json_end_object(&j);
        }
        json_end_array(&j);
        json_end_object(&j);
    } else if (!cli->summary || cli->out != &cli->std) {
        out_text(cli->out, count ? IDS_BACKUPS_HEADER : IDS_BACKUPS_NONE, root);
        for (size_t i = 0; i < count; i++) {
            const struct backup *b = &backups[i];
            if (b->parsed) {
                WCHAR *repair = text_wide(b->manifest.repair ? b->manifest.repair : "");
                WCHAR *created = text_wide(b->manifest.created ? b->manifest.created : "");
                if (repair && created)
                    out_text(cli->out, IDS_BACKUPS_ROW, b->path, created, repair, (unsigned)moved_items(&b->manifest));
                free(repair);
                free(created);
            } else {
                WCHAR *why = text_wide(b->why);
                if (why) out_text(cli->out, IDS_BACKUPS_UNREADABLE, b->path, why);
                free(why);
            }
        }
    }
    if (cli->stdout_summary) {
        char line[64];
        snprintf(line, sizeof(line), "%u backups.", (unsigned)count);
        cli_summary_line(cli, CLI_EXIT_HEALTHY, IDS_STATUS_DONE, line, "");
    }
    for (size_t i = 0; i < count; i++)
        if (backups[i].parsed) manifest_free(&backups[i].manifest);
    free(backups);
    return CLI_EXIT_HEALTHY;
}
