/* The province's kept tables of the counties' indicators (counties_kept.h). */
#include "report/counties_kept.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "domain/province.h"
#include "report/counties.h"
#include "report/indicators.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/progress.h"

int counties_month(const char *month, int today, char key[8], int *as_of, struct outcome *o)
{
    int ym = ymd_year(today) * 100 + ymd_month(today), ymd;
    if (month && *month) {
        size_t len = strlen(month);
        if (len > 8 && date_parse(month, len, &ymd) == 0)
            return failed_at(o, OUT_INVALID, "month",
                             "各县指标按月计算和保存：月份应写成年-月，例如 2026-10，"
                             "不是某一天（“%s”）",
                             month);
        /* its checks and messages: a month not yet come, not a month at all */
        if (indicators_as_of(month, today, as_of, o) < 0)
            return -1;
        date_parse_month(month, len, &ym);
    } else {
        *as_of = today;
    }
    /* (a year of 1990–2100 and a month of 1–12: indicators_as_of, date_today) */
    snprintf(key, 8, "%04u-%02u", (unsigned)(ym / 100) % 10000u, (unsigned)(ym % 100) % 100u);
    return 0;
}

/* A text parameter that may be "" (stmt_bind_str binds "" as NULL). */
static void bind_text(struct stmt *st, int idx, const char *s)
{
    stmt_bind_text(st, idx, s, strlen(s));
}

/* "山西省晋城市2026年11月" (the area's name; "本库各县" for every county). */
static void what_of(const char *area, const char *month, char *out, size_t size)
{
    char name[160] = "";
    struct outcome o = OUTCOME_INIT;
    counties_area_name(area, name, sizeof(name), &o);
    outcome_release(&o);
    int ym = 0;
    date_parse_month(month, strlen(month), &ym);
    snprintf(out, size, "%s%d年%d月", *name ? name : "本库各县", ym / 100, ym % 100);
}

/* The table kept for k's area and month, replacing the one before, with its audit row. */
static int keep(struct store *p, const struct report_table *t, const struct counties_kept *k,
                const char *origin, struct outcome *o)
{
    json_t *frozen = table_freeze(t);
    char *text = json_dumps(frozen, JSON_COMPACT);
    json_decref(frozen);
    char what[200], detail[260];
    what_of(k->area, k->month, what, sizeof(what));
    snprintf(detail, sizeof(detail), "%s（%zu 个县，截至 %s）", what, table_data_rows(t), k->as_of);
    int rc = -1;
    if (!text || store_begin(p) < 0) {
        free(text);
        return fail_store(p, o);
    }
    struct stmt *st = store_prepare(
        p, "INSERT INTO province_table (area, month, as_of, computed_at, computed_by, job_id,"
           " content) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (area, month) DO UPDATE"
           " SET as_of = excluded.as_of, computed_at = excluded.computed_at,"
           " computed_by = excluded.computed_by, job_id = excluded.job_id,"
           " content = excluded.content");
    if (st) {
        bind_text(st, 1, k->area);
        bind_text(st, 2, k->month);
        bind_text(st, 3, k->as_of);
        stmt_bind_int(st, 4, k->computed_at);
        bind_text(st, 5, k->computed_by);
        if (k->job > 0)
            stmt_bind_int(st, 6, k->job);
        else
            stmt_bind_null(st, 6);
        bind_text(st, 7, text);
        rc = stmt_step(st) < 0 ? -1 : 0;
        stmt_finalize(st);
    }
    if (rc == 0)
        rc = audit_record(p, k->computed_by, origin, "province_indicators", NULL, detail);
    if (rc == 0)
        rc = store_commit(p);
    if (rc < 0) {
        fail_store(p, o);
        store_rollback(p);
    }
    free(text);
    return rc;
}

int counties_compute_keep(struct store *p, const char *area, const char *month, const char *by,
                          const char *origin, int64_t job, struct progress *pr,
                          struct report_table *t, struct counties_kept *k, struct outcome *o)
{
    memset(k, 0, sizeof(*k));
    table_init(t, "各县控辍保学指标和排名", "counties", NULL, 0);
    struct buf base = BUF_INIT;
    int here = province_here(p, &base);
    int as_of = 0, rc = -1;
    if (here < 0)
        fail_store(p, o);
    else if (!here)
        failed(o, OUT_NOT_FOUND,
               "这里是一个县的数据库，没有各县的指标：各县指标在多个县共用的数据库的省级模式里"
               "计算和保存");
    else if (counties_month(month, date_today(), k->month, &as_of, o) == 0 &&
             report_counties(base.buf, area, as_of, pr, t, o) == 0)
        rc = 0;
    buf_release(&base);
    if (rc < 0)
        return -1;
    snprintf(k->area, sizeof(k->area), "%s", area ? area : "");
    date_format(as_of, k->as_of);
    k->computed_at = (int64_t)time(NULL);
    snprintf(k->computed_by, sizeof(k->computed_by), "%s", by && *by ? by : "unknown");
    k->job = job;
    progress_report(pr, true, 1, "正在保存");
    return keep(p, t, k, origin, o);
}

int counties_kept_read(struct store *p, const char *area, const char *month, struct report_table *t,
                       struct counties_kept *k, struct outcome *o)
{
    memset(k, 0, sizeof(*k));
    struct stmt *st = store_prepare(p, "SELECT as_of, computed_at, computed_by, job_id, content"
                                       " FROM province_table WHERE area = $1 AND month = $2");
    if (!st)
        return fail_store(p, o);
    bind_text(st, 1, area ? area : "");
    bind_text(st, 2, month);
    int rc = stmt_step(st);
    if (rc < 0) {
        fail_store(p, o);
        stmt_finalize(st);
        return -1;
    }
    if (rc == 0) {
        stmt_finalize(st);
        char what[200];
        what_of(area ? area : "", month, what, sizeof(what));
        failed_at(o, OUT_NOT_FOUND, "month",
                  "%s的各县指标还没有计算：请先计算（在后台进行，一个省约需几分钟），"
                  "算好后保存在这里",
                  what);
        return 0;
    }
    snprintf(k->area, sizeof(k->area), "%s", area ? area : "");
    snprintf(k->month, sizeof(k->month), "%s", month);
    snprintf(k->as_of, sizeof(k->as_of), "%s", stmt_text(st, 0));
    k->computed_at = stmt_int(st, 1);
    snprintf(k->computed_by, sizeof(k->computed_by), "%s", stmt_text(st, 2));
    k->job = stmt_is_null(st, 3) ? 0 : stmt_int(st, 3);
    json_t *frozen = json_loads(stmt_text(st, 4), 0, NULL);
    stmt_finalize(st);
    /* (table_thaw initialises *t whatever it finds) */
    if (!frozen || report_counties_thaw(frozen, t) < 0) {
        if (frozen)
            table_release(t);
        json_decref(frozen);
        return failed_error(o, "保存的各县指标无法读取（内容已损坏），请重新计算");
    }
    json_decref(frozen);
    char n[24];
    table_meta(t, "month", k->month, META_TEXT);
    snprintf(n, sizeof(n), "%lld", (long long)k->computed_at);
    table_meta(t, "computed_at", n, META_INT);
    table_meta(t, "computed_by", k->computed_by, META_TEXT);
    if (k->job) {
        snprintf(n, sizeof(n), "%lld", (long long)k->job);
        table_meta(t, "job", n, META_INT);
    }
    return 1;
}

int counties_whole_area(const char *dsn, char out[8], struct outcome *o)
{
    out[0] = '\0';
    struct province_county *cs = NULL;
    size_t n = 0;
    if (province_counties(dsn, NULL, &cs, &n, o) < 0)
        return -1;
    bool one = n > 0;
    for (size_t i = 1; one && i < n; i++)
        one = !strncmp(cs[i].code, cs[0].code, 2);
    if (one)
        snprintf(out, 8, "%.2s", cs[0].code);
    free(cs);
    return 0;
}
