/* 各县控辍保学指标和排名: the counties of one database ranked on their indicators (counties.h). */
#include "report/counties.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "core/division.h"
#include "domain/province.h"
#include "report/indicators.h"
#include "report/ledger_impl.h"
#include "store/store.h"
#include "util/common.h"
#include "util/progress.h"
#include "util/xmalloc.h"

enum {
    K_ORDER,
    K_CITY,
    K_NAME,
    K_FLAG_TEXT,
    K_MEAN,
    K_VALUES, /* IM__COUNT pairs: value, rank (ranking_put_measures) */
    K_SCHOOL_AGE = K_VALUES + 2 * IM__COUNT,
    K_ENROLLED,
    K_OUT,
    K_GROUP_OUT,
    K_DROPPED,
    K_YEAR_START,
    K_RUN_DATE,
    K_CODE,
    K_NOTE,
    K_FLAG,
    K__COUNT
};

static const struct table_col county_cols[K__COUNT] = {
    {"order", "综合排名", COL_INT},
    {"city", "市", COL_TEXT},
    {"name", "县", COL_TEXT},
    {"high_dropout_text", "辍学高发", COL_TEXT},
    RANK_MEASURE_COLS,
    {"school_age", "适龄儿童", COL_INT},
    {"enrolled", "在校", COL_INT},
    {"out_of_school", "未在校（失学辍学）", COL_INT},
    {"group_out", "其中重点群体", COL_INT},
    {"dropped", "本学年辍学", COL_INT},
    {"year_start", "学年初在校生", COL_INT},
    {"run_date", "比对日期", COL_TEXT},
    {"code", "区划代码", COL_TEXT},
    {"note", "说明", COL_TEXT},
    {"high_dropout", "辍学高发（是否）", COL_FLAG},
};

/* One county as read: its unit (code, name, counts, rates), or why it could not be read. */
struct county_read {
    const struct province_county *c;
    struct ind_unit u;
    int run_as_of; /* 0 no cross-check yet */
    char *why;     /* NULL: read */
};

static void read_county(const char *dsn, const struct province_county *c, int as_of,
                        struct county_read *out)
{
    memset(out, 0, sizeof(*out));
    out->c = c;
    struct outcome o = OUTCOME_INIT;
    struct store *s = NULL;
    struct indicators x;
    struct ind_options io = {.as_of = as_of};
    if (province_open_county(dsn, c, &s, &o) < 0 || indicators_compute(s, &io, &x, &o) < 0) {
        out->why = xstrfmt("无法读取：%s", o.msg.buf);
    } else {
        out->u = x.county;
        out->run_as_of = x.run_as_of;
        indicators_release(&x);
    }
    snprintf(out->u.code, sizeof(out->u.code), "%s", c->code);
    snprintf(out->u.name, sizeof(out->u.name), "%s", division_county_name(c->code));
    if (s)
        store_close(s);
    outcome_release(&o);
}

/* The counties read side by side, each on a connection of its own: the work is mostly the
 * database's (a county of 333k children takes about 3 s, nine tenths of it in PostgreSQL), so a
 * province's hundred counties go as many at once as there are cores here, at most 8. Each
 * county's start is reported, and each end with the latest county started, one report at a time
 * (the callback may write to a database on a connection of its own), with the share of the
 * counties done. */
struct readers {
    const char *dsn;
    const struct province_county *cs;
    struct county_read *rd;
    size_t n;
    int as_of;
    atomic_size_t next;
    struct progress *pr;
    pthread_mutex_t lock; /* pr, done and phase */
    size_t done;
    char phase[200]; /* the latest county started */
};

static void *reader_main(void *arg)
{
    struct readers *w = arg;
    for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->n;) {
        pthread_mutex_lock(&w->lock);
        snprintf(w->phase, sizeof(w->phase), "正在计算 第 %zu/%zu 个县：%s", i + 1, w->n,
                 division_county_name(w->cs[i].code));
        progress_report(w->pr, true, (double)w->done / (double)w->n, "%s", w->phase);
        pthread_mutex_unlock(&w->lock);
        read_county(w->dsn, &w->cs[i], w->as_of, &w->rd[i]);
        pthread_mutex_lock(&w->lock);
        w->done++;
        progress_report(w->pr, true, (double)w->done / (double)w->n, "%s", w->phase);
        pthread_mutex_unlock(&w->lock);
    }
    return NULL;
}

static void read_counties(const char *dsn, const struct province_county *cs, size_t n, int as_of,
                          struct progress *pr, struct county_read *rd)
{
    struct readers w = {.dsn = dsn, .cs = cs, .rd = rd, .n = n, .as_of = as_of, .pr = pr};
    atomic_init(&w.next, 0);
    pthread_mutex_init(&w.lock, NULL);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cores < 2 ? 2 : cores > 8 ? 8 : (size_t)cores;
    if (nt > n)
        nt = n;
    pthread_t th[8];
    size_t started = 0;
    while (started + 1 < nt && pthread_create(&th[started], NULL, reader_main, &w) == 0)
        started++;
    reader_main(&w); /* this thread is one of them (and all of them if no thread started) */
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&w.lock);
    progress_report(pr, true, 1, "已计算 %zu 个县，正在排名", n);
}

static void put_counts(struct report_table *t, const struct ind_counts *c)
{
    table_setf(t, K_SCHOOL_AGE, "%ld", c->school_age);
    table_setf(t, K_ENROLLED, "%ld", c->enrolled);
    table_setf(t, K_OUT, "%ld", c->out_of_school);
    table_setf(t, K_GROUP_OUT, "%ld", c->group_out);
    table_setf(t, K_DROPPED, "%ld", c->dropped);
    table_setf(t, K_YEAR_START, "%ld", c->year_start);
}

static void put_city(struct report_table *t, const char *code)
{
    char city[5], name[160];
    snprintf(city, sizeof(city), "%.4s", code);
    if (division_area_name(city, name, sizeof(name)))
        table_set(t, K_CITY, name);
}

int counties_area_name(const char *area, char *name, size_t size, struct outcome *o)
{
    if (size)
        name[0] = '\0';
    if (!area || !*area)
        return 0;
    if (province_area_check(area, "area", o) < 0)
        return -1;
    if (strlen(area) == 6 ? !division_county_fullname(area, name, size)
                          : !division_area_name(area, name, size))
        return failed_at(o, OUT_INVALID, "area", "区划代码 %s 不是已知的省、市或县", area);
    return 0;
}

int report_counties(const char *dsn, const char *area, int as_of, struct progress *pr,
                    struct report_table *t, struct outcome *o)
{
    char area_name[160] = "";
    if (counties_area_name(area, area_name, sizeof(area_name), o) < 0)
        return -1;
    struct province_county *cs = NULL;
    size_t n = 0;
    if (province_counties(dsn, area, &cs, &n, o) < 0)
        return -1;
    if (n == 0)
        return failed_at(o, OUT_NOT_FOUND, "area", "%s没有登记到本库的县",
                         *area_name ? area_name : "本库");

    struct county_read *rd = xcalloc(n, sizeof(*rd));
    struct ind_unit *units = xcalloc(n, sizeof(*units));
    int *run_of = xcalloc(n, sizeof(*run_of)); /* units[i]'s cross-check date */
    size_t nu = 0;
    struct ind_counts total = {0};
    read_counties(dsn, cs, n, as_of, pr, rd);
    for (size_t i = 0; i < n; i++) {
        if (!rd[i].why && rd[i].run_as_of) { /* a county with no cross-check yet is not ranked */
            run_of[nu] = rd[i].run_as_of;
            units[nu++] = rd[i].u;
            ind_counts_add(&total, &rd[i].u.c);
        }
    }
    struct ind_flag_rule rule;
    ind_flag_rule_default(&rule);
    struct ind_ranked *rk = xcalloc(nu + 1, sizeof(*rk));
    ind_rank(units, nu, &rule, rk);

    table_init(t, "各县控辍保学指标和排名", "counties", county_cols, K__COUNT);
    struct buf cap = BUF_INIT, sub = BUF_INIT;
    char d1[24], d2[24];
    date_format_cn(as_of, d1, sizeof(d1));
    date_format_cn(date_today(), d2, sizeof(d2));
    buf_addf(&cap, "%s各县控辍保学指标和排名", *area_name ? area_name : "");
    buf_addf(&sub, "范围：%s%s%zu 个县　　截至：%s　　制表日期：%s", area_name,
             *area_name ? " " : "", n, d1, d2);
    table_caption(t, cap.buf, sub.buf);
    buf_release(&cap);
    buf_release(&sub);

    size_t flagged = 0, unread = 0, unranked = 0;
    for (size_t i = 0; i < nu; i++) {
        const struct ind_ranked *r = &rk[i];
        table_add_row(t);
        table_setf(t, K_ORDER, "%d", r->order);
        put_city(t, r->u->code);
        table_set(t, K_NAME, r->u->name);
        table_set(t, K_FLAG_TEXT, r->high_dropout ? "辍学高发" : "");
        ranking_put_measures(t, K_MEAN, r);
        put_counts(t, &r->u->c);
        char d[11];
        date_format(run_of[r->u - units], d);
        table_set(t, K_RUN_DATE, d);
        table_set(t, K_CODE, r->u->code);
        table_set(t, K_FLAG, r->high_dropout ? "1" : "0");
        flagged += r->high_dropout;
    }
    for (size_t k = 0; k < n; k++) {
        if (!rd[k].why && rd[k].run_as_of)
            continue;
        unread += rd[k].why != NULL;
        unranked++;
        table_add_row(t);
        put_city(t, rd[k].c->code);
        table_set(t, K_NAME, rd[k].u.name);
        table_set(t, K_CODE, rd[k].c->code);
        table_set(t, K_NOTE, rd[k].why ? rd[k].why : "截至这一天还没有比对，不参加排名");
        table_set(t, K_FLAG, "0");
    }
    table_add_totals(t);
    table_set(t, K_NAME, "合计");
    struct ind_unit all = {.c = total};
    ind_unit_rates(&all);
    struct ind_ranked whole = {.u = &all};
    ranking_put_measures(t, K_MEAN, &whole);
    put_counts(t, &total);
    table_set(t, K_FLAG, "0");

    table_note(t,
               "各县的指标在各县自己的数据上计算，方法与县里的《控辍保学指标》相同；合计行的比率由"
               "各县的人数相加后计算，不是各县比率的平均。");
    table_note(
        t, "综合排名：各项指标分别排名（入学率、巩固率、按时核查率、劝返复学率高者在前，辍学率、"
           "逾期任务和案件少者在前，数值相同名次相同，没有数值的指标不排名），按各项名次的平均数"
           "从小到大排列。");
    table_note(t,
               "辍学高发：辍学率达到 %.2f%% 且本学年辍学至少 %ld 人（全省统一的默认标准，不用各县"
               "自己的设置）。本次 %zu 个县列为辍学高发。",
               rule.dropout_rate, rule.min_dropped, flagged);
    if (unread)
        table_note(t, "%zu 个县的数据没有读到，不参加排名，原因见“说明”。", unread);
    if (unranked > unread)
        table_note(t, "%zu 个县截至这一天还没有比对，不参加排名。", unranked - unread);
    char d[11];
    date_format(as_of, d);
    table_meta(t, "as_of", d, META_TEXT);
    table_meta(t, "area", area ? area : "", META_TEXT);
    for (size_t k = 0; k < n; k++)
        free(rd[k].why);
    free(rd);
    free(units);
    free(run_of);
    free(rk);
    free(cs);
    return 0;
}

int report_counties_thaw(const json_t *frozen, struct report_table *t)
{
    return table_thaw(t, "各县控辍保学指标和排名", "counties", county_cols, K__COUNT, frozen);
}

enum { L_CODE, L_NAME, L_SCHEMA, L_ADDED, L_DSN, L__COUNT };

static const struct table_col list_cols[L__COUNT] = {
    {"code", "区划代码", COL_TEXT},    {"name", "县", COL_TEXT},
    {"schema", "模式", COL_TEXT},      {"added", "登记日期", COL_TEXT},
    {"dsn", "本县的连接串", COL_TEXT},
};

int report_county_list(const char *dsn, const char *area, struct report_table *t, struct outcome *o)
{
    struct province_county *cs = NULL;
    size_t n = 0;
    if (province_counties(dsn, area, &cs, &n, o) < 0)
        return -1;
    table_init(t, "本库的县", "counties", list_cols, L__COUNT);
    struct buf cdsn = BUF_INIT, shown = BUF_INIT, err = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        table_add_row(t);
        table_set(t, L_CODE, cs[i].code);
        table_set(t, L_NAME, cs[i].name);
        table_set(t, L_SCHEMA, cs[i].schema);
        table_setf(t, L_ADDED, "%.10s", cs[i].added_at);
        buf_reset(&cdsn);
        buf_reset(&shown);
        if (store_dsn_schema(dsn, cs[i].schema, &cdsn, &err) == 0) {
            store_dsn_mask(cdsn.buf, &shown);
            table_set(t, L_DSN, shown.buf);
        }
    }
    table_note(t, "共 %zu 个县。一个县的导入、比对、核查和服务都用本县的连接串。", n);
    buf_reset(&cdsn);
    buf_reset(&shown);
    if (n && store_dsn_schema(dsn, "province", &cdsn, &err) == 0) {
        store_dsn_mask(cdsn.buf, &shown);
        table_note(t, "省教育厅、市教育局的账号和省级服务用省级连接串：%s", shown.buf);
    }
    buf_release(&cdsn);
    buf_release(&shown);
    buf_release(&err);
    free(cs);
    return 0;
}
