/*
 * 控辍保学排名 (issue 17, docs/reports.md): townships or schools ranked on the indicators, a
 * combined order, and the units flagged 辍学高发 by the rule of the settings.
 */
#include <stddef.h>

#include "casework/inspection.h"
#include "report/indicators.h"
#include "report/reports.h"
#include "report/ledger_impl.h"

#include "core/date.h"
#include "domain/settings.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

struct rule_settings {
    double rate;
    int min;
};

static const struct setting_field rule_fields[] = {
    {"high_dropout_rate", offsetof(struct rule_settings, rate), SETTING_DOUBLE},
    {"high_dropout_min", offsetof(struct rule_settings, min), SETTING_INT},
};

int ind_flag_rule_load(struct store *s, struct ind_flag_rule *rule, struct outcome *o)
{
    struct rule_settings rs = {0};
    if (settings_load(s, rule_fields, ARRAY_SIZE(rule_fields), &rs) < 0)
        return fail_store(s, o);
    rule->dropout_rate = rs.rate;
    rule->min_dropped = rs.min;
    return 0;
}

enum {
    R_ORDER,
    R_NAME,
    R_FLAG_TEXT,
    R_MEAN,
    R_VALUES, /* IM__COUNT pairs: value, rank */
    R_DROPPED = R_VALUES + 2 * IM__COUNT,
    R_YEAR_START,
    R_RECTIFY_OVERDUE,
    R_RECTIFY_OPEN,
    R_CODE,
    R_TOWN,
    R_FLAG,
    R__COUNT
};

static const struct table_col rank_cols[R__COUNT] = {
    {"order", "综合排名", COL_INT},
    {"name", "单位", COL_TEXT},
    {"high_dropout_text", "辍学高发", COL_TEXT},
    RANK_MEASURE_COLS,
    {"dropped", "本学年辍学", COL_INT},
    {"year_start", "学年初在校生", COL_INT},
    {"rectify_overdue", "逾期整改", COL_INT},
    {"rectify_open", "未验收整改", COL_INT},
    {"code", "代码", COL_TEXT},
    {"township_code", "乡镇代码", COL_TEXT},
    {"high_dropout", "辍学高发（是否）", COL_FLAG},
};

static void put_value(struct report_table *t, size_t col, double v)
{
    if (v != IND_NONE)
        table_setf(t, col, "%.2f", v);
}

void ranking_put_measures(struct report_table *t, size_t col, const struct ind_ranked *r)
{
    const struct ind_unit *u = r->u;
    if (r->mean_rank > 0)
        table_setf(t, col, "%.2f", r->mean_rank);
    double v[IM__COUNT] = {u->r.enrollment,       u->r.retention, u->r.dropout,
                           u->r.verified_on_time, u->r.returned,  0};
    for (int m = 0; m < IM__COUNT; m++) {
        if (m == IM_OVERDUE)
            table_setf(t, col + 1 + 2 * m, "%ld", u->c.overdue_tasks + u->c.overdue_cases);
        else
            put_value(t, col + 1 + 2 * m, v[m]);
        if (r->rank[m])
            table_setf(t, col + 2 + 2 * m, "%d", r->rank[m]);
    }
}

void ind_flag_rule_default(struct ind_flag_rule *rule)
{
    rule->dropout_rate = strtod(setting_find("high_dropout_rate")->def, NULL);
    rule->min_dropped = strtol(setting_find("high_dropout_min")->def, NULL, 10);
}

int report_ranking(struct store *s, const struct report_options *opt, struct report_table *t,
                   struct outcome *o)
{
    bool schools = false;
    if (opt->by && *opt->by) {
        if (!strcmp(opt->by, "school") || !strcmp(opt->by, "学校"))
            schools = true;
        else if (strcmp(opt->by, "township") && strcmp(opt->by, "乡镇"))
            return failed_at(o, OUT_INVALID, "by",
                             "排名对象“%s”无效，应为乡镇（township）或"
                             "学校（school）",
                             opt->by);
    }
    struct ind_options io = {.township = opt->township, .scope = opt->scope, .schools = schools};
    if (opt->date) {
        io.as_of = opt->date;
    } else {
        char month[16] = "";
        if (opt->month)
            snprintf(month, sizeof(month), "%04d-%02d", ymd_year(opt->month),
                     ymd_month(opt->month));
        if (indicators_as_of(month, date_today(), &io.as_of, o) < 0)
            return -1;
    }
    struct ind_flag_rule rule;
    if (ind_flag_rule_load(s, &rule, o) < 0)
        return -1;
    struct indicators x;
    if (indicators_compute(s, &io, &x, o) < 0)
        return -1;
    const struct ind_unit *units = schools ? x.schools : x.townships;
    size_t n = schools ? x.nschools : x.ntownships;
    struct ind_ranked *rk = xcalloc(n + 1, sizeof(*rk));
    ind_rank(units, n, &rule, rk);

    table_init(t, "控辍保学排名", schools ? "schools" : "townships", rank_cols, R__COUNT);
    char county[7];
    const char *cname = ledger_county_name(s, county);
    ledger_caption(t, cname, NULL, schools ? "各学校控辍保学排名" : "各乡镇控辍保学排名", "截至",
                   x.as_of, date_today());
    /* 督导检查's 限期整改 (casework/inspection.h): each unit's items overdue and not accepted */
    struct rectify_overdue *ro = NULL;
    size_t nro = 0;
    if (rectify_overdue_counts(s, date_today(), &ro, &nro) < 0) {
        free(rk);
        indicators_release(&x);
        return fail_store(s, o);
    }
    size_t flagged = 0;
    long rectify_late = 0;
    for (size_t i = 0; i < n; i++) {
        const struct ind_ranked *r = &rk[i];
        const struct ind_unit *u = r->u;
        table_add_row(t);
        table_setf(t, R_ORDER, "%d", r->order);
        table_set(t, R_NAME, u->name);
        table_set(t, R_FLAG_TEXT, r->high_dropout ? "辍学高发" : "");
        ranking_put_measures(t, R_MEAN, r);
        table_setf(t, R_DROPPED, "%ld", u->c.dropped);
        table_setf(t, R_YEAR_START, "%ld", u->c.year_start);
        table_set(t, R_RECTIFY_OVERDUE, "0");
        table_set(t, R_RECTIFY_OPEN, "0");
        for (size_t k = 0; k < nro; k++)
            if (!strcmp(ro[k].unit_kind, schools ? "school" : "township") &&
                !strcmp(ro[k].unit_code, u->code)) {
                table_setf(t, R_RECTIFY_OVERDUE, "%d", ro[k].overdue);
                table_setf(t, R_RECTIFY_OPEN, "%d", ro[k].open);
                rectify_late += ro[k].overdue;
            }
        table_set(t, R_CODE, u->code);
        table_set(t, R_TOWN, u->township_code);
        table_set(t, R_FLAG, r->high_dropout ? "1" : "0");
        flagged += r->high_dropout;
    }
    table_note(
        t, "综合排名：各项指标分别排名（入学率、巩固率、按时核查率、劝返复学率高者在前，辍学率、"
           "逾期任务和案件少者在前，数值相同名次相同，没有数值的指标不排名），按各项名次的平均数"
           "从小到大排列；平均名次相同的，辍学率低的在前，再逾期少的在前。");
    table_note(t,
               "辍学高发：辍学率达到 %.2f%% 且本学年辍学至少 %ld 人（本县设置“辍学率达到多少（%%）"
               "列为辍学高发”“辍学至少几人才列为辍学高发”）。本次 %zu 个单位列为辍学高发。",
               rule.dropout_rate, rule.min_dropped, flagged);
    table_note(t,
               "逾期整改：督导检查限期整改中已过整改期限仍未提交的事项（今天的情况，不随所选月份"
               "变化），不计入综合排名；共 %ld 项。",
               rectify_late);
    table_note(t, "指标的计算方法见《控辍保学指标》。");
    char d[11];
    date_format(x.as_of, d);
    table_meta(t, "as_of", d, META_TEXT);
    table_meta(t, "by", schools ? "school" : "township", META_TEXT);
    char num[32];
    snprintf(num, sizeof(num), "%g", rule.dropout_rate);
    table_meta(t, "high_dropout_rate", num, META_TEXT);
    snprintf(num, sizeof(num), "%ld", rule.min_dropped);
    table_meta(t, "high_dropout_min", num, META_INT);
    free(ro);
    free(rk);
    indicators_release(&x);
    return 0;
}
