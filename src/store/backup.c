/* Backup and restore of an SQLite database with the online backup API (see backup.h). */
#include "store/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/migrate.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/common.h"

/* Pages per step of a copy (4 MiB of 4 KiB pages), and how long the copy's own connections wait
 * for a lock held by a writer. */
#define STEP_PAGES 1024
#define BUSY_MS    10000
/* How long the restore waits for the database's write lock (a long import may hold it). */
#define LOCK_WAIT_S 30

/* Why a file could not be written, in Chinese for the usual reasons. */
static const char *why(int err)
{
    switch (err) {
    case EACCES:
    case EPERM:
        return "没有写权限";
    case EROFS:
        return "只读的文件系统";
    case ENOSPC:
    case EDQUOT:
        return "磁盘空间不足";
    case ENOENT:
    case ENOTDIR:
        return "目录不存在";
    default:
        return strerror(err);
    }
}

static char *dir_of(const char *path)
{
    char *copy = xstrdup(path), *dir = xstrdup(dirname(copy));
    free(copy);
    return dir;
}

/* Whether a and b are the same file (both exist). */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static int sq_fail(struct outcome *o, sqlite3 *db, const char *what)
{
    return failed(o, OUT_ERROR, "%s：%s", what, db ? sqlite3_errmsg(db) : "内存不足");
}

static sqlite3 *sq_open(const char *path, int flags, struct outcome *o)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        failed(o, OUT_ERROR, "无法打开数据库“%s”：%s", path, db ? sqlite3_errmsg(db) : "内存不足");
        sqlite3_close_v2(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, BUSY_MS);
    sqlite3_extended_result_codes(db, 1);
    return db;
}

/* One integer; -1 (and rc != OK) on error. */
static int sq_int(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    *out = 0;
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* PRAGMA integrity_check: 0 when "ok", else -1 with the first problem in o. */
static int integrity(sqlite3 *db, const char *name, struct outcome *o)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check(5)", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        failed(o, OUT_INVALID, "文件“%s”已损坏，不能使用：%s", name, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    rc = sqlite3_step(st);
    int ret = 0;
    if (rc != SQLITE_ROW) {
        ret = failed(o, OUT_INVALID, "文件“%s”已损坏，不能使用：%s", name, sqlite3_errmsg(db));
    } else if (strcmp((const char *)sqlite3_column_text(st, 0), "ok")) {
        ret = failed(o, OUT_INVALID, "文件“%s”未通过完整性检查，已损坏：%s", name,
                     (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return ret;
}

static void count_of(sqlite3 *db, const char *path, struct backup_counts *c)
{
    struct stat sb;
    c->bytes = stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
    sq_int(db,
           "SELECT coalesce((SELECT rows_imported FROM batch WHERE kind = 'population'"
           " AND state = 'live' ORDER BY id DESC LIMIT 1), 0)",
           &c->children);
    sq_int(db, "SELECT count(*) FROM batch", &c->batches);
    sq_int(db, "SELECT count(*) FROM match_run", &c->runs);
    sq_int(db, "SELECT coalesce(max(version), 0) FROM schema_version", &c->version);
}

static int sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/*
 * Copy src (its "main" database) into the file at dest_path, which exists (empty or an SQLite
 * file being replaced) and is nobody else's. The source is read inside one read transaction when
 * it is in WAL mode (writers go on; the copy is that snapshot); otherwise in steps that let
 * writers in between, started again by SQLite when one wrote, and after a few restarts in one
 * step. The destination keeps no journal: it is a temporary file until the caller links it.
 */
static int copy_pages(sqlite3 *src, const char *dest_path, struct outcome *o)
{
    sqlite3 *dst = sq_open(dest_path, SQLITE_OPEN_READWRITE, o);
    if (!dst)
        return -1;
    int rc =
        sqlite3_exec(dst, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL, NULL);
    int64_t wal = 0;
    bool snapshot = false;
    sqlite3_stmt *jm = NULL;
    if (sqlite3_prepare_v2(src, "PRAGMA journal_mode", -1, &jm, NULL) == SQLITE_OK &&
        sqlite3_step(jm) == SQLITE_ROW)
        wal = !strcmp((const char *)sqlite3_column_text(jm, 0), "wal");
    sqlite3_finalize(jm);
    if (rc == SQLITE_OK && wal) {
        int64_t n;
        rc = sqlite3_exec(src, "BEGIN", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sq_int(src, "SELECT count(*) FROM sqlite_schema", &n); /* the snapshot starts */
        snapshot = rc == SQLITE_OK;
    }
    sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", src, "main") : NULL;
    if (!b) {
        sq_fail(o, rc == SQLITE_OK ? dst : src, "无法开始复制数据库");
        if (snapshot)
            sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
        sqlite3_close_v2(dst);
        return -1;
    }
    int restarts = 0, last_remaining = INT_MAX, waited = 0;
    for (;;) {
        int pages = snapshot || restarts < 3 ? STEP_PAGES : -1;
        rc = sqlite3_backup_step(b, pages);
        if (rc == SQLITE_DONE)
            break;
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            if (++waited > BUSY_MS / 10)
                break;
            sqlite3_sleep(10);
            continue;
        }
        if (rc != SQLITE_OK)
            break;
        int remaining = sqlite3_backup_remaining(b);
        if (remaining > last_remaining)
            restarts++; /* a writer changed the source: SQLite started over */
        last_remaining = remaining;
        if (!snapshot)
            sqlite3_sleep(1); /* let a waiting writer in */
    }
    int frc = sqlite3_backup_finish(b);
    if (snapshot)
        sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    int ret = 0;
    if (rc != SQLITE_DONE || frc != SQLITE_OK)
        ret = failed(o, OUT_ERROR, "复制数据库失败：%s",
                     rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? "数据库一直被占用"
                                                              : sqlite3_errstr(rc));
    if (sqlite3_close(dst) != SQLITE_OK && ret == 0)
        ret = sq_fail(o, dst, "复制数据库失败");
    if (ret == 0 && sync_path(dest_path) < 0)
        ret = failed(o, OUT_ERROR, "无法写入“%s”：%s", dest_path, why(errno));
    return ret;
}

/* A new empty temporary file "PATH.tmp-XXXXXX" (mode 0600) beside path; NULL with o. */
static char *temp_beside(const char *path, struct outcome *o)
{
    char *tmp = xstrfmt("%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        char *dir = dir_of(path);
        failed(o, OUT_INVALID, "目录“%s”不能写入（%s），请换一个目录", dir, why(errno));
        free(dir);
        free(tmp);
        return NULL;
    }
    close(fd);
    return tmp;
}

/* Put tmp at path: rename over it (overwrite), or link only when nothing is there. */
static int place(const char *tmp, const char *path, bool overwrite, struct outcome *o)
{
    if (overwrite ? rename(tmp, path) : link(tmp, path)) {
        if (errno == EEXIST)
            return failed(o, OUT_INVALID, "文件“%s”已存在，没有覆盖（要覆盖请加 --force）", path);
        return failed(o, OUT_ERROR, "无法写入“%s”：%s", path, why(errno));
    }
    if (!overwrite)
        unlink(tmp);
    char *dir = dir_of(path);
    sync_path(dir);
    free(dir);
    return 0;
}

/* The checks of a target directory before anything is written. */
static int check_target(const char *target, bool overwrite, struct outcome *o)
{
    struct stat sb;
    char *dir = dir_of(target);
    int ret = 0;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        ret = failed(o, OUT_INVALID, "目录“%s”不存在", dir);
    else if (access(dir, W_OK | X_OK) != 0)
        ret = failed(o, OUT_INVALID, "目录“%s”不能写入（没有写权限），请换一个目录", dir);
    else if (stat(target, &sb) == 0 && S_ISDIR(sb.st_mode))
        ret = failed(o, OUT_INVALID, "“%s”是一个目录，请给出文件名", target);
    else if (stat(target, &sb) == 0 && !overwrite)
        ret = failed(o, OUT_INVALID, "文件“%s”已存在，没有覆盖（要覆盖请加 --force）", target);
    free(dir);
    return ret;
}

int backup_sqlite(const char *db, const char *target, unsigned flags, struct backup_result *res,
                  struct outcome *o)
{
    struct stat sb;
    memset(res, 0, sizeof(*res));
    if (stat(db, &sb) != 0)
        return failed(o, OUT_NOT_FOUND, "数据库“%s”不存在", db);
    if (same_file(db, target))
        return failed(o, OUT_INVALID, "备份文件不能是数据库本身（“%s”）", target);
    bool overwrite = flags & BACKUP_OVERWRITE;
    if (check_target(target, overwrite, o) < 0)
        return -1;
    sqlite3 *src = sq_open(db, SQLITE_OPEN_READONLY, o);
    if (!src)
        return -1;
    char *tmp = temp_beside(target, o);
    int ret = tmp ? 0 : -1;
    double t0 = mono_seconds();
    if (ret == 0)
        ret = copy_pages(src, tmp, o);
    sqlite3_close_v2(src);
    res->copy_seconds = mono_seconds() - t0;
    if (ret == 0) {
        t0 = mono_seconds();
        sqlite3 *copy = sq_open(tmp, SQLITE_OPEN_READWRITE, o);
        ret = copy ? integrity(copy, target, o) : -1;
        if (ret == 0)
            count_of(copy, tmp, &res->counts);
        if (copy && sqlite3_close(copy) != SQLITE_OK && ret == 0)
            ret = sq_fail(o, copy, "检查备份失败");
        res->check_seconds = mono_seconds() - t0;
    }
    if (ret == 0)
        ret = place(tmp, target, overwrite, o);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    return ret;
}

void backup_keep_name(const char *db, time_t when, struct buf *out)
{
    struct tm tm;
    char stamp[32];
    localtime_r(&when, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    buf_addf(out, "%s.恢复前-%s", db, stamp);
}

/* Copy the file at from into the (new, empty) file at to, byte for byte. */
static int copy_file(const char *from, const char *to, struct outcome *o)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return failed(o, OUT_INVALID, "无法读取备份文件“%s”：%s", from, strerror(errno));
    int out = open(to, O_WRONLY | O_TRUNC | O_CLOEXEC);
    char block[1 << 16];
    ssize_t n = 0;
    int ret = out < 0 ? -1 : 0;
    while (ret == 0 && (n = read(in, block, sizeof(block))) > 0)
        for (ssize_t off = 0; ret == 0 && off < n;) {
            ssize_t w = write(out, block + off, (size_t)(n - off));
            if (w < 0)
                ret = -1;
            else
                off += w;
        }
    if (n < 0)
        ret = failed(o, OUT_INVALID, "无法读取备份文件“%s”：%s", from, strerror(errno));
    else if (ret < 0)
        ret = failed(o, OUT_ERROR, "无法写入临时文件“%s”：%s", to, why(errno));
    close(in);
    if (out >= 0)
        close(out);
    return ret;
}

/* The checks of a backup's copy at tmp (named `name` in messages); its counts and version. */
static int check_backup(const char *tmp, const char *name, struct restore_result *res,
                        struct outcome *o)
{
    sqlite3 *db = sq_open(tmp, SQLITE_OPEN_READWRITE, o);
    if (!db)
        return -1;
    int64_t n = 0, latest = schema_version_latest();
    int rc = sq_int(db, "SELECT count(*) FROM sqlite_schema", &n);
    int ret = 0;
    if ((rc & 0xff) == SQLITE_NOTADB)
        ret = failed(o, OUT_INVALID, "“%s”不是 SQLite 数据库文件，也就不是 baoxue 的备份", name);
    else if (rc != SQLITE_OK)
        ret = failed(o, OUT_INVALID, "文件“%s”已损坏，不能使用：%s", name, sqlite3_errmsg(db));
    if (ret == 0)
        ret = integrity(db, name, o);
    if (ret == 0) {
        rc = sq_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'schema_version'", &n);
        if (rc != SQLITE_OK || n == 0)
            ret = failed(o, OUT_INVALID,
                         "“%s”是 SQLite 数据库，但不是 baoxue 的数据库（没有结构版本表）", name);
    }
    if (ret == 0 &&
        sq_int(db, "SELECT coalesce(max(version), 0) FROM schema_version", &res->from_version))
        ret = failed(o, OUT_INVALID, "无法读取“%s”的结构版本：%s", name, sqlite3_errmsg(db));
    if (ret == 0 && res->from_version > latest)
        ret = failed(
            o, OUT_INVALID,
            "备份“%s”的数据库结构版本 %lld 比本程序支持的 %lld 新：请用更新版本的 baoxue 恢复",
            name, (long long)res->from_version, (long long)latest);
    sqlite3_close_v2(db);
    if (ret == 0 && res->from_version < latest) {
        /* an older schema: brought up to this program's by opening it as a store */
        struct store *s = NULL;
        struct buf err = BUF_INIT;
        if (store_open(&s, tmp, STORE_OPEN_EXISTING, &err) < 0)
            ret =
                failed(o, OUT_INVALID, "无法把备份“%s”升级到本程序的数据库结构：%s", name, err.buf);
        else
            store_close(s);
        buf_release(&err);
    }
    return ret;
}

/*
 * Write src into the live database at db. step(0) takes the live database's write lock and
 * copies nothing; from then on no writer can commit, and the old content is copied (when kept)
 * through a second connection before step(-1) writes the new one; finish commits.
 */
static int replace_live(const char *db, sqlite3 *src, bool keep, struct restore_result *res,
                        struct outcome *o)
{
    sqlite3 *live = sq_open(db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, o);
    if (!live)
        return -1;
    sqlite3_backup *b = sqlite3_backup_init(live, "main", src, "main");
    if (!b) {
        sq_fail(o, live, "无法开始恢复");
        sqlite3_close_v2(live);
        return -1;
    }
    int rc;
    double t0 = mono_seconds();
    while ((rc = sqlite3_backup_step(b, 0)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        if (mono_seconds() - t0 > LOCK_WAIT_S)
            break;
        sqlite3_sleep(20);
    }
    int ret = 0;
    if (rc != SQLITE_OK && rc != SQLITE_DONE)
        ret = failed(o, OUT_ERROR, "无法取得数据库“%s”的写锁：%s", db,
                     rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? "一直有程序在写入，请稍后再试"
                                                              : sqlite3_errstr(rc));
    if (ret == 0 && keep) {
        struct buf name = BUF_INIT;
        backup_keep_name(db, time(NULL), &name);
        sqlite3 *old = sq_open(db, SQLITE_OPEN_READONLY, o);
        char *tmp = old ? temp_beside(name.buf, o) : NULL;
        ret = tmp ? copy_pages(old, tmp, o) : -1;
        if (old)
            sqlite3_close_v2(old);
        if (ret == 0)
            ret = place(tmp, name.buf, false, o);
        if (ret == 0)
            snprintf(res->kept, sizeof(res->kept), "%s", name.buf);
        if (tmp) {
            unlink(tmp);
            free(tmp);
        }
        buf_release(&name);
    }
    if (ret == 0) {
        rc = sqlite3_backup_step(b, -1);
        if (rc != SQLITE_DONE)
            ret = failed(o, OUT_ERROR, "恢复失败，数据库未改变：%s", sqlite3_errstr(rc));
    }
    /* finish commits after DONE, and rolls the live database back otherwise */
    rc = sqlite3_backup_finish(b);
    if (ret == 0 && rc != SQLITE_OK)
        ret = sq_fail(o, live, "恢复失败，数据库未改变");
    if (ret == 0)
        sqlite3_exec(live, "PRAGMA wal_checkpoint(PASSIVE)", NULL, NULL, NULL);
    sqlite3_close_v2(live);
    if (ret < 0 && res->kept[0]) {
        unlink(res->kept); /* nothing was replaced: the copy of it is not needed */
        res->kept[0] = '\0';
    }
    return ret;
}

int restore_sqlite(const char *db, const char *file, unsigned flags, struct restore_result *res,
                   struct outcome *o)
{
    struct stat sb;
    memset(res, 0, sizeof(*res));
    double t0 = mono_seconds();
    if (stat(file, &sb) != 0)
        return failed(o, OUT_NOT_FOUND, "备份文件“%s”不存在", file);
    if (!S_ISREG(sb.st_mode))
        return failed(o, OUT_INVALID, "“%s”不是一个文件", file);
    if (same_file(db, file))
        return failed(o, OUT_INVALID, "备份文件就是数据库本身（“%s”），无需恢复", file);
    char *dir = dir_of(db);
    int ret = 0;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        ret = failed(o, OUT_INVALID, "数据库所在的目录“%s”不存在", dir);
    else if (access(dir, W_OK | X_OK) != 0)
        ret = failed(o, OUT_INVALID, "数据库所在的目录“%s”不能写入（没有写权限）", dir);
    free(dir);
    if (ret < 0)
        return -1;
    /* the backup is read from a copy beside the database: the file itself is never written */
    char *tmp = temp_beside(db, o);
    if (!tmp)
        return -1;
    ret = copy_file(file, tmp, o);
    if (ret == 0)
        ret = check_backup(tmp, file, res, o);
    sqlite3 *src = ret == 0 ? sq_open(tmp, SQLITE_OPEN_READONLY, o) : NULL;
    if (ret == 0 && !src)
        ret = -1;
    if (ret == 0)
        ret = replace_live(db, src, !(flags & RESTORE_NO_KEEP) && stat(db, &sb) == 0, res, o);
    if (src)
        sqlite3_close_v2(src);
    if (ret == 0) {
        sqlite3 *now = sq_open(db, SQLITE_OPEN_READONLY, o);
        if (now) {
            count_of(now, db, &res->counts);
            sqlite3_close_v2(now);
        }
    }
    unlink(tmp);
    struct buf side = BUF_INIT;
    buf_addf(&side, "%s-wal", tmp);
    unlink(side.buf);
    buf_reset(&side);
    buf_addf(&side, "%s-shm", tmp);
    unlink(side.buf);
    buf_release(&side);
    free(tmp);
    res->seconds = mono_seconds() - t0;
    return ret;
}
