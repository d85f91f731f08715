/* The wellbeing ledgers as tables (report/wellbeing.h), from the ledgers' own reads
 * (casework/wellbeing.h), which scope, mask and audit them. */
#include "report/wellbeing.h"

#include "core/date.h"
#include "casework/placement.h"
#include "core/view.h"
#include "util/common.h"

static const struct table_col illness_cols[] = {
    {"seq", "序号", COL_INT},
    {"school", "学校", COL_TEXT},
    {"township", "乡镇", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"id_number", "身份证号", COL_TEXT},
    {"category", "疾病类别", COL_TEXT},
    {"diagnosis", "病情", COL_TEXT},
    {"serious", "慢性或重大疾病", COL_TEXT},
    {"from", "起始日期", COL_TEXT},
    {"to", "结束日期", COL_TEXT},
    {"effect", "对到校的影响", COL_TEXT},
    {"certificate", "诊断证明", COL_TEXT},
    {"follows", "随访次数", COL_INT},
    {"last_follow", "最近随访", COL_TEXT},
    {"record_id", "儿童记录编号", COL_INT},
    {"id", "台帐编号", COL_INT},
};

static const char *text(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

static void illness_rows(struct report_table *t, json_t *items)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        json_t *f = json_object_get(it, "follows");
        size_t nf = json_array_size(f);
        table_add_row(t);
        table_setf(t, 0, "%zu", i + 1);
        table_set(t, 1, text(it, "school"));
        table_set(t, 2, text(it, "township"));
        table_set(t, 3, text(it, "name"));
        table_set(t, 4, text(it, "id_number"));
        table_set(t, 5, text(it, "category_label"));
        table_set(t, 6, text(it, "diagnosis"));
        table_set(t, 7, json_is_true(json_object_get(it, "serious")) ? "是" : "");
        table_set(t, 8, text(it, "from"));
        table_set(t, 9, text(it, "to"));
        table_set(t, 10, text(it, "effect_label"));
        table_set(t, 11, text(it, "certificate"));
        table_setf(t, 12, "%zu", nf);
        table_set(t, 13, nf ? text(json_array_get(f, nf - 1), "date") : "");
        table_setf(t, 14, "%lld", (long long)json_integer_value(json_object_get(it, "record_id")));
        table_setf(t, 15, "%lld", (long long)json_integer_value(json_object_get(it, "id")));
    }
}

int illness_table(struct store *s, const struct scope *sc, const struct illness_filter *f,
                  struct report_table *t, struct outcome *o)
{
    json_t *j = illness_list(s, sc, f, o);
    if (!j)
        return -1;
    struct view v = view_make(f->full, date_today());
    table_init_view(t, "疾病台帐", "illnesses", illness_cols, ARRAY_SIZE(illness_cols), &v);
    illness_rows(t, json_object_get(j, "items"));
    table_note_view(t, &v, false);
    json_decref(j);
    return 0;
}

int report_illness(struct store *s, const struct report_options *opt, struct report_table *t,
                   struct outcome *o)
{
    struct illness_filter f = {.township = opt->township, .full = opt->full};
    if (illness_table(s, opt->scope, &f, t, o) < 0)
        return -1;
    table_caption(t, "疾病台帐",
                  "在校学生的慢性病、重大疾病、传染病和意外伤害，对到校的影响和随访");
    return 0;
}

static const struct table_col infectious_cols[] = {
    {"seq", "序号", COL_INT},
    {"school", "学校", COL_TEXT},
    {"township", "乡镇", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"id_number", "身份证号", COL_TEXT},
    {"diagnosis", "传染病名称", COL_TEXT},
    {"from", "发病（停课）日期", COL_TEXT},
    {"to", "痊愈（返校）日期", COL_TEXT},
    {"effect", "对到校的影响", COL_TEXT},
    {"certificate", "诊断证明", COL_TEXT},
};

int report_infectious(struct store *s, const struct report_options *opt, struct report_table *t,
                      struct outcome *o)
{
    int first = month_first_day(opt->month ? opt->month : date_today());
    int last = month_last_day(first);
    struct illness_filter f = {.township = opt->township,
                               .category = "infectious",
                               .from = first,
                               .to = last,
                               .full = opt->full};
    json_t *j = illness_list(s, opt->scope, &f, o);
    if (!j)
        return -1;
    struct view v = view_make(f.full, date_today());
    table_init_view(t, "传染病缺课登记表", "illnesses", infectious_cols,
                    ARRAY_SIZE(infectious_cols), &v);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "items"), i, it)
    {
        table_add_row(t);
        table_setf(t, 0, "%zu", i + 1);
        table_set(t, 1, text(it, "school"));
        table_set(t, 2, text(it, "township"));
        table_set(t, 3, text(it, "name"));
        table_set(t, 4, text(it, "id_number"));
        table_set(t, 5, text(it, "diagnosis"));
        table_set(t, 6, text(it, "from"));
        table_set(t, 7, text(it, "to"));
        table_set(t, 8, text(it, "effect_label"));
        table_set(t, 9, text(it, "certificate"));
    }
    char a[32], b[32];
    date_format_cn(first, a, sizeof(a));
    date_format_cn(last, b, sizeof(b));
    struct buf sub = BUF_INIT;
    buf_addf(&sub, "%s至%s 在校学生因传染病缺课情况（报县卫生健康局）", a, b);
    table_caption(t, "传染病缺课登记表", sub.buf);
    buf_release(&sub);
    table_note(t, "共 %zu 人次。", json_array_size(json_object_get(j, "items")));
    table_note_view(t, &v, false);
    char ym[16];
    snprintf(ym, sizeof(ym), "%04d-%02d", ymd_year(first), ymd_month(first));
    table_meta(t, "month", ym, META_TEXT); /* the month answered, for a month picker */
    json_decref(j);
    return 0;
}

static const struct table_col mental_cols[] = {
    {"seq", "序号", COL_INT},
    {"school", "学校", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"id_number", "身份证号", COL_TEXT},
    {"level", "关注等级", COL_TEXT},
    {"referral", "转介", COL_TEXT},
    {"opened_on", "建档日期", COL_TEXT},
    {"next_review", "下次复查日期", COL_TEXT},
    {"review_due", "复查到期", COL_TEXT},
    {"closed_on", "结案日期", COL_TEXT},
    {"events", "干预和复查次数", COL_INT},
    {"record_id", "儿童记录编号", COL_INT},
    {"id", "台帐编号", COL_INT},
};

int mental_table(struct store *s, const struct scope *sc, const struct mental_filter *f,
                 struct report_table *t, struct outcome *o)
{
    json_t *j = mental_list(s, sc, f, o);
    if (!j)
        return -1;
    struct view v = view_make(false, date_today());
    table_init_view(t, "心理健康台帐", "entries", mental_cols, ARRAY_SIZE(mental_cols), &v);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "items"), i, it)
    {
        table_add_row(t);
        table_setf(t, 0, "%zu", i + 1);
        table_set(t, 1, text(it, "school"));
        table_set(t, 2, text(it, "name"));
        table_set(t, 3, text(it, "id_number"));
        table_set(t, 4, text(it, "level_label"));
        table_set(t, 5, text(it, "referral_label"));
        table_set(t, 6, text(it, "opened_on"));
        table_set(t, 7, text(it, "next_review"));
        table_set(t, 8, json_is_true(json_object_get(it, "review_due")) ? "已到期" : "");
        table_set(t, 9, text(it, "closed_on"));
        table_setf(t, 10, "%zu", json_array_size(json_object_get(it, "events")));
        table_setf(t, 11, "%lld", (long long)json_integer_value(json_object_get(it, "record_id")));
        table_setf(t, 12, "%lld", (long long)json_integer_value(json_object_get(it, "id")));
    }
    table_note(t, "心理健康台帐只对被授权的人员开放，本次查看已记入审计日志；复查到期 %lld 人。",
               (long long)json_integer_value(json_object_get(j, "review_due")));
    json_decref(j);
    return 0;
}
