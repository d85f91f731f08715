#include "util/outfile.h"

#include "util/common.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

static char *dir_of(const char *path)
{
    char *copy = xstrdup(path), *dir = xstrdup(dirname(copy));
    free(copy);
    return dir;
}

int outfile_open(struct outfile *f, const char *path, struct buf *err)
{
    char *dir = dir_of(path);
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);

    free(dir);
    f->path = xstrdup(path);
    f->tmp = NULL;
    f->fp = NULL;
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        /* no unnamed files here (an old kernel, some network file systems) */
        f->tmp = xstrfmt("%s.tmp-XXXXXX", path);
        fd = mkstemp(f->tmp);
        if (fd >= 0)
            fchmod(fd, 0644);
    }
    if (fd >= 0)
        f->fp = fdopen(fd, "wb");
    if (!f->fp) {
        buf_addf(err, "无法写入文件“%s”：%s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        outfile_abort(f);
        return -1;
    }
    return 0;
}

/* Link the unnamed file at `path`, replacing what is there: straight when nothing is, else
 * through a fresh name in the same directory and a rename (linkat never replaces). */
static int link_unnamed(int fd, const char *path)
{
    char proc[64];
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    if (!linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW))
        return 0;
    if (errno != EEXIST)
        return -1;
    for (int attempt = 0; attempt < 100; attempt++) {
        char *tmp = xstrfmt("%s.tmp-%ld-%d", path, (long)getpid(), attempt);
        int rc = linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW);
        if (!rc) {
            rc = rename(tmp, path);
            if (rc) {
                int e = errno;
                unlink(tmp);
                errno = e;
            }
            free(tmp);
            return rc;
        }
        free(tmp);
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

int outfile_commit(struct outfile *f, struct buf *err)
{
    int rc = 0;

    /* everything written and on disk before the file has a name: a reader of the path never
     * sees half of it */
    if (fflush(f->fp) != 0 || ferror(f->fp) || fsync(fileno(f->fp)) != 0)
        rc = -1;
    else if (!f->tmp)
        rc = link_unnamed(fileno(f->fp), f->path);
    else
        rc = rename(f->tmp, f->path);
    if (rc < 0)
        buf_addf(err, "写入文件“%s”失败：%s", f->path, strerror(errno ? errno : EIO));
    else if (f->tmp) {
        free(f->tmp); /* renamed into place: nothing left to remove */
        f->tmp = NULL;
    }
    outfile_abort(f);
    return rc;
}

void outfile_abort(struct outfile *f)
{
    if (f->fp)
        fclose(f->fp);
    f->fp = NULL;
    if (f->tmp)
        unlink(f->tmp);
    free(f->tmp);
    f->tmp = NULL;
    free(f->path);
    f->path = NULL;
}
