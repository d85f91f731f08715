/*
 * The harnesses without libFuzzer: every file named on the command line, or in a directory
 * named there, goes through LLVMFuzzerTestOneInput once. ctest runs it over fuzz/corpus/<name>
 * in every build (the sanitizer build included), so inputs that once crashed stay fixed.
 */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t size = 0, alloc = 0, n;

    if (!f) {
        perror(path);
        return -1;
    }
    do {
        if (size == alloc) {
            alloc = alloc ? alloc * 2 : 65536;
            data = realloc(data, alloc);
            if (!data)
                abort();
        }
        n = fread(data + size, 1, alloc - size, f);
        size += n;
    } while (n);
    fclose(f);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    long files = 0;

    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) < 0) {
            perror(argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[i]) < 0)
                return 1;
            files++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        struct dirent *e;
        char **names = NULL;
        size_t n = 0;
        if (!d) {
            perror(argv[i]);
            return 1;
        }
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            names = realloc(names, (n + 1) * sizeof(*names));
            if (!names)
                abort();
            names[n] = malloc(strlen(argv[i]) + strlen(e->d_name) + 2);
            if (!names[n])
                abort();
            snprintf(names[n], strlen(argv[i]) + strlen(e->d_name) + 2, "%s/%s", argv[i],
                     e->d_name);
            n++;
        }
        closedir(d);
        qsort(names, n, sizeof(*names), by_name);
        for (size_t k = 0; k < n; k++) {
            if (run_file(names[k]) < 0)
                return 1;
            free(names[k]);
            files++;
        }
        free(names);
    }
    printf("%ld inputs replayed without a failure\n", files);
    return 0;
}
