/* The registry of counties that share one PostgreSQL database (province.h). */
#include "domain/province.h"

#include <string.h>

#include "core/date.h"
#include "core/division.h"
#include "store/store.h"
#include "util/common.h"

/* The registry: one row per county; version 1 of the province schema. */
static const char province_ddl[] = "CREATE SCHEMA IF NOT EXISTS province;"
                                   "CREATE TABLE IF NOT EXISTS province.county ("
                                   "  code text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),"
                                   "  name text NOT NULL,"
                                   "  schema_name text NOT NULL UNIQUE,"
                                   "  added_at text NOT NULL)";

void province_schema_of(const char *code, char out[16])
{
    snprintf(out, 16, "c%.6s", code);
}

int province_area_check(const char *area, const char *field, struct outcome *o)
{
    size_t n = strlen(area);
    if ((n == 2 || n == 4 || n == 6) && strspn(area, "0123456789") == n)
        return 0;
    return failed_at(o, OUT_INVALID, field,
                     "地区代码“%s”无效：应为省的前 2 位、市的前 4 位或县的 6 位区划代码", area);
}

/* A connection in no county's schema, for the registry (search_path province). */
static struct store *open_bare(const char *dsn, struct outcome *o)
{
    struct store *s = NULL;
    struct buf err = BUF_INIT, pdsn = BUF_INIT;
    if (!store_dsn_is_pg(dsn)) {
        failed_at(o, OUT_INVALID, "db",
                  "多个县共用一个数据库只用于 PostgreSQL；“%s”是 SQLite 数据库文件，"
                  "一个县一个文件即可",
                  dsn);
    } else if (store_dsn_schema(dsn, "province", &pdsn, &err) < 0) {
        failed_at(o, OUT_INVALID, "db", "%s", err.buf);
    } else if (store_open(&s, pdsn.buf, STORE_OPEN_BARE, &err) < 0) {
        failed_error(o, err.buf);
        s = NULL;
    }
    buf_release(&err);
    buf_release(&pdsn);
    return s;
}

static int open_schema(const char *dsn, const char *schema, enum store_open_mode mode,
                       struct store **out, struct outcome *o)
{
    struct buf cdsn = BUF_INIT, err = BUF_INIT;
    int rc = store_dsn_schema(dsn, schema, &cdsn, &err) < 0
                 ? failed_at(o, OUT_INVALID, "db", "%s", err.buf)
             : store_open(out, cdsn.buf, mode, &err) < 0 ? failed_error(o, err.buf)
                                                         : 0;
    buf_release(&cdsn);
    buf_release(&err);
    return rc;
}

/* The county's schema ready: made if missing, migrated, its county setting this code. */
static int ready_schema(struct store *p, const char *dsn, const char *code, const char *schema,
                        struct outcome *o)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "CREATE SCHEMA IF NOT EXISTS %s", schema);
    if (store_exec(p, sql) < 0)
        return fail_store(p, o);
    struct store *c = NULL;
    if (open_schema(dsn, schema, STORE_OPEN_CREATE, &c, o) < 0)
        return -1;
    struct buf cur = BUF_INIT;
    int rc = 0, got = store_get_setting(c, "county", &cur);
    if (got < 0)
        rc = fail_store(c, o);
    else if (got == 1 && *cur.buf && strcmp(cur.buf, code))
        rc = failed(o, OUT_FORBIDDEN, "模式 %s 里已是县 %s 的数据，不能登记为县 %s", schema,
                    cur.buf, code);
    else if (store_set_setting(c, "county", code) < 0)
        rc = fail_store(c, o);
    buf_release(&cur);
    store_close(c);
    return rc;
}

/* The province's own schema: a schema like a county's (its accounts, sessions and audit
 * trail: those of the province's and the cities' accounts), marked province = 1, with the
 * registry of the counties. */
static int ready_province(const char *dsn, struct outcome *o)
{
    struct store *p = open_bare(dsn, o);
    if (!p)
        return -1;
    int made = store_exec(p, "CREATE SCHEMA IF NOT EXISTS province");
    if (made < 0)
        fail_store(p, o);
    store_close(p);
    if (made < 0 || open_schema(dsn, "province", STORE_OPEN_CREATE, &p, o) < 0)
        return -1;
    int rc = store_set_setting(p, "province", "1") < 0 || store_exec(p, province_ddl) < 0
                 ? fail_store(p, o)
                 : 0;
    store_close(p);
    return rc;
}

int province_add_county(const char *dsn, const char *code, struct province_county *out,
                        struct outcome *o)
{
    memset(out, 0, sizeof(*out));
    enum division_county_fit fit = division_county_fit(code, out->name, sizeof(out->name));
    if (fit == DIVISION_COUNTY_UNKNOWN)
        return failed(o, OUT_INVALID, "“%s”不是已知的县级区划代码（6 位数字，例如沁水县 140521）",
                      code);
    if (fit == DIVISION_COUNTY_NO_TOWNS)
        return failed(o, OUT_INVALID, "区划代码 %s（%s）下没有乡镇数据，不能作为一个县", code,
                      out->name);
    snprintf(out->code, sizeof(out->code), "%s", code);
    province_schema_of(code, out->schema);
    if (ready_province(dsn, o) < 0)
        return -1;
    struct store *p = open_bare(dsn, o);
    if (!p)
        return -1;
    int rc = -1;
    int64_t known = 0;
    const char *args[] = {code, out->name, out->schema, NULL};
    date_now_text(out->added_at, sizeof(out->added_at));
    args[3] = out->added_at;
    if (store_int(p, "SELECT count(*) FROM province.county WHERE code = $1", 1, args, &known) < 0) {
        fail_store(p, o);
        goto out;
    }
    if (known) {
        failed(o, OUT_FORBIDDEN, "%s（%s）已在本库的县名单中", out->name, code);
        goto out;
    }
    if (ready_schema(p, dsn, code, out->schema, o) < 0)
        goto out;
    if (store_run(p,
                  "INSERT INTO province.county (code, name, schema_name, added_at)"
                  " VALUES ($1, $2, $3, $4)",
                  4, args) < 0) {
        fail_store(p, o);
        goto out;
    }
    rc = 0;
out:
    store_close(p);
    return rc;
}

int province_counties(const char *dsn, const char *area, struct province_county **out, size_t *n,
                      struct outcome *o)
{
    *out = NULL;
    *n = 0;
    if (area && *area && province_area_check(area, "area", o) < 0)
        return -1;
    struct store *p = open_bare(dsn, o);
    if (!p)
        return -1;
    int64_t has = 0;
    int rc = -1;
    if (store_int(p, "SELECT to_regclass('province.county') IS NOT NULL", 0, NULL, &has) < 0) {
        fail_store(p, o);
        goto out;
    }
    rc = 0;
    if (!has)
        goto out;
    struct stmt *st = store_prepare(p, "SELECT code, name, schema_name, added_at"
                                       " FROM province.county WHERE code LIKE $1 || '%'"
                                       " ORDER BY code");
    if (!st) {
        rc = fail_store(p, o);
        goto out;
    }
    stmt_bind_text(st, 1, area ? area : "", area ? strlen(area) : 0);
    size_t alloc = 0;
    int r;
    while ((r = stmt_step(st)) == 1) {
        ALLOC_GROW(*out, *n + 1, alloc);
        struct province_county *c = &(*out)[(*n)++];
        memset(c, 0, sizeof(*c));
        snprintf(c->code, sizeof(c->code), "%s", stmt_text(st, 0));
        snprintf(c->name, sizeof(c->name), "%s", stmt_text(st, 1));
        snprintf(c->schema, sizeof(c->schema), "%s", stmt_text(st, 2));
        snprintf(c->added_at, sizeof(c->added_at), "%s", stmt_text(st, 3));
    }
    stmt_finalize(st);
    if (r < 0) {
        rc = fail_store(p, o);
        free(*out);
        *out = NULL;
        *n = 0;
    }
out:
    store_close(p);
    return rc;
}

int province_schema_is(struct store *s)
{
    struct buf v = BUF_INIT;
    int got = store_get_setting(s, "province", &v);
    bool yes = got == 1 && !strcmp(v.buf, "1");
    buf_release(&v);
    return got < 0 ? -1 : yes;
}

int province_here(struct store *s, struct buf *base)
{
    int yes = province_schema_is(s);
    if (yes == 1)
        store_dsn_without_options(s->dsn, base);
    return yes;
}

int province_open_county(const char *dsn, const struct province_county *c, struct store **out,
                         struct outcome *o)
{
    return open_schema(dsn, c->schema, STORE_OPEN_EXISTING, out, o);
}

int province_open_own(const char *dsn, struct store **out, struct outcome *o)
{
    struct store *p = open_bare(dsn, o);
    if (!p)
        return -1;
    int64_t has = 0;
    int rc = store_int(p, "SELECT to_regclass('province.county') IS NOT NULL", 0, NULL, &has) < 0
                 ? fail_store(p, o)
             : !has
                 ? failed(o, OUT_NOT_FOUND, "本库还没有登记县（baoxue province add），没有省级模式")
                 : 0;
    store_close(p);
    return rc < 0 ? -1 : open_schema(dsn, "province", STORE_OPEN_EXISTING, out, o);
}
