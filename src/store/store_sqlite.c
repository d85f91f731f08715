/* The SQLite dialect of the store: WAL, a busy timeout, prepared statements, $N -> ?N. */
#include "store/store.h"

#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "store/migrate.h"
#include "util/common.h"

struct sqlite_store {
    struct store base;
    sqlite3 *db;
    bool bulk_left_wal; /* store_begin_bulk switched the journal from WAL: switch back */
};

/* Reads go through a memory map of the database file (a cross-check reads its key blobs in
 * one pass, without copying every page through read()); a bulk load writes, and maps nothing:
 * the pages it touches would only count against the process. */
#define MMAP_BYTES (4LL << 30)

/* The page cache of every connection (KiB, as PRAGMA cache_size < 0). */
#define CACHE_KIB 65536
/*
 * The page cache of a bulk load. Small on purpose: a load appends pages (the random ID index
 * is rebuilt, not maintained: see import.c), so a big cache would only hold pages back from
 * the disk; and SQLite's sorter, with temp_store = FILE, sorts an index build in runs the
 * size of the cache: 2 MiB runs stay in the CPU cache and build the ID index of 5 million
 * records in a third of the time one big in-memory sort takes.
 */
#define BULK_CACHE_KIB 2048
#define BUSY_MS        10000

struct sqlite_stmt {
    struct stmt base;
    sqlite3_stmt *st;
};

#define DB(s) (((struct sqlite_store *)(s))->db)
#define ST(x) (((struct sqlite_stmt *)(x))->st)

static void set_err(struct store *s, const char *what)
{
    buf_reset(&s->errmsg);
    buf_addf(&s->errmsg, "%s：%s", what, sqlite3_errmsg(DB(s)));
}

static void sq_close(struct store *s)
{
    store_release_statements(s);
    sqlite3_close_v2(DB(s));
    buf_release(&s->errmsg);
    free(s);
}

/*
 * baoxue_audit_hash(prev, seq, at, actor, origin, action, target, detail): one link of the
 * audit trail's chain (schema step 10), the lowercase hex SHA-256 of the previous row's hash,
 * the row's seq and its fields, each field written as its length in characters, ':' and the
 * text (a NULL as '-'), separated by U+001F. The PostgreSQL function of the same name
 * (migrate.c) computes the same value, so a trail verifies on either database.
 */
static void audit_hash_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct buf in = BUF_INIT;
    const unsigned char *prev = sqlite3_value_text(argv[0]);
    buf_adds(&in, prev ? (const char *)prev : "");
    buf_addf(&in, "\x1f%lld", (long long)sqlite3_value_int64(argv[1]));
    for (int i = 2; i < argc; i++) {
        buf_addch(&in, 0x1f);
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
            buf_addch(&in, '-');
            continue;
        }
        const unsigned char *t = sqlite3_value_text(argv[i]);
        size_t chars = 0;
        for (const unsigned char *c = t; c && *c; c++)
            chars += (*c & 0xC0) != 0x80;
        buf_addf(&in, "%zu:%s", chars, t ? (const char *)t : "");
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    crypto_hash_sha256(h, (const unsigned char *)in.buf, in.len);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    buf_release(&in);
    sqlite3_result_text(ctx, hex, -1, SQLITE_TRANSIENT);
}

static int sq_exec(struct store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(DB(s), sql, NULL, NULL, &msg) != SQLITE_OK) {
        buf_reset(&s->errmsg);
        buf_addf(&s->errmsg, "数据库执行失败：%s", msg ? msg : "未知错误");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int sq_begin(struct store *s)
{
    return sq_exec(s, "BEGIN IMMEDIATE");
}

static int sq_commit(struct store *s)
{
    return sq_exec(s, "COMMIT");
}

static int sq_rollback(struct store *s)
{
    return sq_exec(s, "ROLLBACK");
}

static int sq_foreign_keys(struct store *s, bool on)
{
    return sq_exec(s, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
}

/* "$12" -> "?12" outside string literals, so that one SQL text serves both dialects. */
static void rewrite_params(struct buf *out, const char *sql)
{
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
            buf_addch(out, '?');
            continue;
        }
        buf_addch(out, *p);
    }
}

static struct stmt *sq_prepare(struct store *s, const char *sql)
{
    struct buf q = BUF_INIT;
    rewrite_params(&q, sql);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(DB(s), q.buf, (int)q.len, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    buf_release(&q);
    if (rc != SQLITE_OK) {
        set_err(s, "数据库语句准备失败");
        return NULL;
    }
    struct sqlite_stmt *x = xcalloc(1, sizeof(*x));
    x->base.store = s;
    x->st = st;
    return &x->base;
}

static void sq_bind_null(struct stmt *st, int idx)
{
    sqlite3_bind_null(ST(st), idx);
}

static void sq_bind_int(struct stmt *st, int idx, int64_t v)
{
    sqlite3_bind_int64(ST(st), idx, v);
}

static void sq_bind_double(struct stmt *st, int idx, double v)
{
    sqlite3_bind_double(ST(st), idx, v);
}

static void sq_bind_text(struct stmt *st, int idx, const char *s, size_t len)
{
    sqlite3_bind_text64(ST(st), idx, s, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void sq_bind_text_ref(struct stmt *st, int idx, const char *s, size_t len)
{
    sqlite3_bind_text64(ST(st), idx, s, len, SQLITE_STATIC, SQLITE_UTF8);
}

/* The journal mode a PRAGMA journal_mode statement answers with, "" on error. */
static void journal_mode(struct store *s, const char *sql, char *mode, size_t size)
{
    sqlite3_stmt *st = NULL;
    mode[0] = '\0';
    if (sqlite3_prepare_v2(DB(s), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(mode, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static int sq_begin_bulk(struct store *s)
{
    struct sqlite_store *q = (struct sqlite_store *)s;
    char mode[16];

    /* Leaving WAL needs the database to ourselves; when another connection has it open the
     * load runs in WAL, only slower. No waiting for them: the load would not go faster. */
    q->bulk_left_wal = false;
    journal_mode(s, "PRAGMA journal_mode", mode, sizeof(mode));
    if (!strcmp(mode, "wal")) {
        sqlite3_busy_timeout(q->db, 0);
        journal_mode(s, "PRAGMA journal_mode = DELETE", mode, sizeof(mode));
        sqlite3_busy_timeout(q->db, BUSY_MS);
        q->bulk_left_wal = !strcmp(mode, "delete");
    }
    char pragmas[160];
    snprintf(pragmas, sizeof(pragmas),
             "PRAGMA cache_size = -%d; PRAGMA threads = 2; PRAGMA temp_store = FILE;"
             " PRAGMA mmap_size = 0;%s",
             BULK_CACHE_KIB, q->bulk_left_wal ? " PRAGMA synchronous = FULL;" : "");
    if (sq_exec(s, pragmas) < 0)
        return -1;
    return sq_exec(s, "BEGIN IMMEDIATE");
}

static void sq_end_bulk(struct store *s)
{
    struct sqlite_store *q = (struct sqlite_store *)s;
    char pragmas[160], mode[16];

    snprintf(pragmas, sizeof(pragmas),
             "PRAGMA cache_size = -%d; PRAGMA threads = 0; PRAGMA temp_store = MEMORY;"
             " PRAGMA mmap_size = %lld;%s",
             CACHE_KIB, (long long)MMAP_BYTES,
             q->bulk_left_wal ? " PRAGMA synchronous = NORMAL;" : "");
    sq_exec(s, pragmas);
    /* best effort: a database left in rollback mode is still correct, and the next open
     * asks for WAL again */
    if (q->bulk_left_wal)
        journal_mode(s, "PRAGMA journal_mode = WAL", mode, sizeof(mode));
    q->bulk_left_wal = false;
}

static int sq_step(struct stmt *st)
{
    int rc = sqlite3_step(ST(st));
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    set_err(st->store, "数据库操作失败");
    return -1;
}

static int sq_reset(struct stmt *st)
{
    sqlite3_reset(ST(st));
    sqlite3_clear_bindings(ST(st));
    return 0;
}

static void sq_finalize(struct stmt *st)
{
    sqlite3_finalize(ST(st));
    free(st);
}

static bool sq_is_null(struct stmt *st, int col)
{
    return sqlite3_column_type(ST(st), col) == SQLITE_NULL;
}

static int64_t sq_col_int(struct stmt *st, int col)
{
    return sqlite3_column_int64(ST(st), col);
}

static double sq_col_double(struct stmt *st, int col)
{
    return sqlite3_column_double(ST(st), col);
}

static const char *sq_col_text(struct stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(ST(st), col);
    return t ? (const char *)t : "";
}

static void sq_bind_blob_ref(struct stmt *st, int idx, const void *data, size_t len)
{
    sqlite3_bind_blob64(ST(st), idx, data, len, SQLITE_STATIC);
}

static const void *sq_col_blob(struct stmt *st, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(ST(st), col);
    *len = p ? (size_t)sqlite3_column_bytes(ST(st), col) : 0;
    return p;
}

static const struct store_ops sqlite_ops = {
    .dialect = "sqlite",
    .close = sq_close,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .foreign_keys = sq_foreign_keys,
    .prepare = sq_prepare,
    .bind_null = sq_bind_null,
    .bind_int = sq_bind_int,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_text_ref = sq_bind_text_ref,
    .begin_bulk = sq_begin_bulk,
    .end_bulk = sq_end_bulk,
    .step = sq_step,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .is_null = sq_is_null,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .bind_blob_ref = sq_bind_blob_ref,
    .col_blob = sq_col_blob,
};

int store_sqlite_open(struct store **out, const char *path, enum store_open_mode mode,
                      struct buf *err)
{
    struct stat stbuf;
    if (mode == STORE_OPEN_REPLICA) {
        buf_addf(err, "只读副本只用于 PostgreSQL，“%s”是 SQLite 数据库文件", path);
        return -1;
    }
    if (mode == STORE_OPEN_BARE) {
        buf_addf(err, "多县共用的省级库只用于 PostgreSQL，“%s”是 SQLite 数据库文件", path);
        return -1;
    }
    if (mode != STORE_OPEN_CREATE && stat(path, &stbuf) != 0) {
        buf_addf(err, "数据库“%s”不存在；请先运行 baoxue init --db %s", path, path);
        return -1;
    }
    struct sqlite_store *s = xcalloc(1, sizeof(*s));
    s->base.ops = &sqlite_ops;
    buf_init(&s->base.errmsg, 0);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (mode == STORE_OPEN_CREATE)
        flags |= SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        buf_addf(err, "无法打开数据库“%s”：%s", path, s->db ? sqlite3_errmsg(s->db) : "内存不足");
        sq_close(&s->base);
        return -1;
    }
    sqlite3_busy_timeout(s->db, BUSY_MS);
    sqlite3_extended_result_codes(s->db, 1);
    if (sodium_init() < 0 ||
        sqlite3_create_function(s->db, "baoxue_audit_hash", 8,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,
                                audit_hash_fn, NULL, NULL) != SQLITE_OK) {
        buf_addf(err, "无法打开数据库“%s”：无法注册审计校验函数", path);
        sq_close(&s->base);
        return -1;
    }
    char pragmas[200];
    snprintf(pragmas, sizeof(pragmas),
             "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
             " PRAGMA cache_size = -%d; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = %lld;",
             CACHE_KIB, (long long)MMAP_BYTES);
    if (sq_exec(&s->base, pragmas) < 0 || migrate(&s->base) < 0) {
        buf_addf(err, "数据库“%s”不可用：%s", path, s->base.errmsg.buf);
        sq_close(&s->base);
        return -1;
    }
    *out = &s->base;
    return 0;
}
