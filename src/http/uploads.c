/* The files of uploads on the server's disk (docs/decisions.md, Issue 11: the server): a name
 * the server makes, the user's file name kept only as metadata (valid UTF-8 whatever it came
 * as), removal, and the sweep at start-up of whatever a killed server left. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/job.h"
#include "http/request.h"
#include "store/store.h"
#include "util/common.h"
#include "util/utf8.h"

#define NAME_MAX_BYTES 4096 /* a file name kept as metadata: longer ones are cut at a character */

/* Text in GB18030 (which GBK and GB2312 are subsets of) as UTF-8; false when it is not. */
static bool from_gb18030(const char *s, size_t len, struct buf *out)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return false;
    size_t cap = len * 4 + 4;
    char *dst = xmalloc(cap), *o = dst;
    char *in = (char *)s;
    size_t inleft = len, outleft = cap;
    size_t rc = iconv(cd, &in, &inleft, &o, &outleft);
    iconv_close(cd);
    bool ok = rc != (size_t)-1 && inleft == 0 && utf8_valid(dst, (size_t)(o - dst), false);
    if (ok)
        buf_add(out, dst, (size_t)(o - dst));
    free(dst);
    return ok;
}

char *upload_display_name(const char *raw)
{
    const char *base = raw ? raw : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t len = strlen(base);
    struct buf text = BUF_INIT, out = BUF_INIT;
    if (utf8_valid(base, len, false) || !from_gb18030(base, len, &text)) {
        /* UTF-8 as sent, or bytes in neither encoding: each byte that is not UTF-8 becomes
         * U+FFFD */
        for (size_t i = 0; i < len;) {
            unsigned cp;
            size_t n = utf8_decode(base + i, len - i, &cp);
            if (cp == 0xFFFD) {
                buf_adds(&text, "\xef\xbf\xbd");
                i += n;
            } else {
                buf_add(&text, base + i, n);
                i += n;
            }
        }
    }
    for (size_t i = 0; i < text.len;) {
        unsigned cp;
        size_t n = utf8_decode(text.buf + i, text.len - i, &cp);
        if (n == 0)
            n = 1;
        if (out.len + n > NAME_MAX_BYTES)
            break;
        if (cp < 0x20 || cp == 0x7f)
            buf_addch(&out, '_');
        else
            buf_add(&out, text.buf + i, n);
        i += n;
    }
    buf_release(&text);
    if (!out.len || !strcmp(out.buf, ".") || !strcmp(out.buf, "..")) {
        buf_reset(&out);
        buf_adds(&out, "上传的文件");
    }
    return buf_detach(&out, NULL);
}

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
