/* The files of uploads on the server's disk (docs/decisions.md, Issue 11: the server): a name
 * the server makes, the user's file name kept only as metadata (valid UTF-8 whatever it came
 * as), removal, and the sweep at start-up of whatever a killed server left. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/job.h"
#include "http/request.h"
#include "store/store.h"
#include "util/common.h"

int upload_create(const char *data_dir, char *path, size_t size)
{
    int n = snprintf(path, size, "%s/uploads", data_dir);
    if (n < 0 || (size_t)n + 16 >= size || (mkdir(path, 0700) < 0 && errno != EEXIST))
        return -1;
    snprintf(path, size, "%s/uploads/up-XXXXXX", data_dir);
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        path[0] = '\0';
    return fd;
}

void upload_remove(const char *path)
{
    if (path && *path)
        unlink(path);
}

/* An entry of uploads/ and, for a directory (where earlier versions put each upload), what is
 * in it. */
static void remove_entry(const char *dir, const char *name)
{
    char path[8192];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
        return;
    struct stat st;
    if (lstat(path, &st) < 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                remove_entry(path, e->d_name);
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

long uploads_sweep(struct store *s, const char *data_dir)
{
    char dir[4096];
    if ((size_t)snprintf(dir, sizeof(dir), "%s/uploads", data_dir) >= sizeof(dir))
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    /* the files of jobs still waiting to run stay */
    struct stmt *st = store_prepare(
        s, "SELECT params FROM job WHERE kind = 'import' AND state IN ('queued', 'running')");
    if (!st) {
        closedir(d);
        return -1;
    }
    json_t *keep = json_array();
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        json_t *p = json_loads(stmt_text(st, 0), 0, NULL);
        const char *path = json_string_value(json_object_get(p, "path"));
        if (path)
            json_array_append_new(keep, json_string(path));
        json_decref(p);
    }
    stmt_finalize(st);
    long removed = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[8192];
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
            continue;
        bool kept = false;
        size_t i;
        json_t *v;
        json_array_foreach(keep, i, v) if (!strcmp(json_string_value(v), path)) kept = true;
        if (!kept) {
            remove_entry(dir, e->d_name);
            removed++;
        }
    }
    closedir(d);
    json_decref(keep);
    return rc < 0 ? -1 : removed;
}
