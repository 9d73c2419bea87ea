/*
 * A plain main() for a libFuzzer target, for builds without libFuzzer (gcc, the corpus-replay
 * tests, coverage): runs LLVMFuzzerTestOneInput once on every file named on the command line and
 * on every regular file inside every directory named there (not recursively), in name order.
 * Arguments starting with '-' (libFuzzer flags) are ignored, so the same command line works with
 * both builds. Fails when it replayed nothing: an empty corpus must not pass silently.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t inputs_replayed;

static int replay_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t size = 0u;
    size_t capacity = 0u;

    if (file == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    for (;;) {
        size_t got;
        if (size == capacity) {
            uint8_t *larger;
            capacity = capacity == 0u ? 4096u : capacity * 2u;
            larger = realloc(data, capacity);
            if (larger == NULL) {
                free(data);
                fclose(file);
                fprintf(stderr, "replay: out of memory reading %s\n", path);
                return 1;
            }
            data = larger;
        }
        got = fread(data + size, 1u, capacity - size, file);
        size += got;
        if (got == 0u) {
            break;
        }
    }
    fclose(file);
    if (getenv("VERA_FUZZ_TRACE") != NULL) {
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
    }
    /* A copy of exactly `size` bytes, so that ASan catches a harness reading past the input. */
    {
        uint8_t *exact = malloc(size == 0u ? 1u : size);
        if (exact == NULL) {
            free(data);
            return 1;
        }
        if (size != 0u) {
            memcpy(exact, data, size);
        }
        (void)LLVMFuzzerTestOneInput(exact, size);
        free(exact);
    }
    free(data);
    inputs_replayed++;
    return 0;
}

static int compare_names(const void *left, const void *right)
{
    return strcmp(*(char *const *)left, *(char *const *)right);
}

static int replay_directory(const char *path)
{
    DIR *directory = opendir(path);
    struct dirent *entry;
    char **names = NULL;
    size_t count = 0u;
    size_t capacity = 0u;
    int status = 0;

    if (directory == NULL) {
        fprintf(stderr, "replay: cannot open directory %s\n", path);
        return 1;
    }
    while ((entry = readdir(directory)) != NULL) {
        size_t length = strlen(path) + 1u + strlen(entry->d_name) + 1u;
        char *full = malloc(length);
        struct stat info;
        if (full == NULL) {
            status = 1;
            break;
        }
        snprintf(full, length, "%s/%s", path, entry->d_name);
        if (stat(full, &info) != 0 || !S_ISREG(info.st_mode)) {
            free(full);
            continue;
        }
        if (count == capacity) {
            char **larger;
            capacity = capacity == 0u ? 64u : capacity * 2u;
            larger = realloc(names, capacity * sizeof *names);
            if (larger == NULL) {
                free(full);
                status = 1;
                break;
            }
            names = larger;
        }
        names[count++] = full;
    }
    closedir(directory);
    if (count > 0u) {
        qsort(names, count, sizeof *names, compare_names);
    }
    for (size_t index = 0u; index < count; index++) {
        if (status == 0) {
            status = replay_file(names[index]);
        }
        free(names[index]);
    }
    free(names);
    return status;
}

int main(int argc, char **argv)
{
    for (int index = 1; index < argc; index++) {
        struct stat info;
        const char *argument = argv[index];
        int status;
        if (argument[0] == '-') {
            continue;
        }
        if (stat(argument, &info) != 0) {
            fprintf(stderr, "replay: no such file or directory: %s\n", argument);
            return 1;
        }
        status = S_ISDIR(info.st_mode) ? replay_directory(argument) : replay_file(argument);
        if (status != 0) {
            return status;
        }
    }
    printf("replay: %zu inputs replayed, no check failed\n", inputs_replayed);
    if (inputs_replayed == 0u) {
        fprintf(stderr, "replay: no input given: nothing was checked\n");
        return 1;
    }
    return 0;
}
