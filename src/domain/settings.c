#include "domain/settings.h"

#include <errno.h>
#include <math.h>

#include "core/deadline.h"
#include "core/schoolcal.h"
#include "core/date.h"
#include "core/division.h"
#include "core/schoolyear.h"
#include "store/audit.h"
#include "ingest/import.h"
#include "link/linker.h"
#include "store/store.h"
#include "util/common.h"
#include "util/utf8.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

/* ---- validators ---- */

/* A 6-digit county code the division tables know, with townships. */
static int check_county(const char *v, struct buf *norm, struct buf *err)
{
    char full[128];
    enum division_county_fit fit = division_county_fit(v, full, sizeof(full));
    if (fit == DIVISION_COUNTY_UNKNOWN) {
        buf_addf(err, "“%s”不是已知的县级区划代码（6 位数字，例如沁水县 140521）", v);
        return -1;
    }
    if (fit == DIVISION_COUNTY_NO_TOWNS) {
        buf_addf(err, "区划代码 %s（%s）下没有乡镇数据，不能作为本县", v, full);
        return -1;
    }
    buf_adds(norm, v);
    return 0;
}

/* A month and day: "831", "0831", "8-31", "08/31", "8月31日" → "831". */
static int check_mmdd(const char *v, struct buf *norm, struct buf *err)
{
    int m = -1, d = -1;
    const char *p = v;
    char *end;
    if (strspn(v, "0123456789") == strlen(v) && (strlen(v) == 3 || strlen(v) == 4)) {
        long x = strtol(v, NULL, 10);
        m = (int)(x / 100);
        d = (int)(x % 100);
    } else {
        long a = strtol(p, &end, 10);
        if (end != p) {
            p = end;
            if (!strncmp(p, "月", 3))
                p += 3;
            else if (*p == '-' || *p == '/' || *p == '.')
                p++;
            else
                p = "";
            long b = strtol(p, &end, 10);
            if (end != p && *p >= '0' && *p <= '9' && (!*end || !strcmp(end, "日"))) {
                m = (int)a;
                d = (int)b;
            }
        }
    }
    /* 2028 is a leap year: 2 月 29 日 is a valid day of the year */
    if (m < 1 || m > 12 || d < 1 || !date_valid(2028, m, d)) {
        buf_addf(err, "“%s”不是有效的月日，请写成四位月日（如 0831）或 8-31", v);
        return -1;
    }
    buf_addf(norm, "%d", m * 100 + d);
    return 0;
}

/* School holidays, parsed by the casework deadline parser; stored in canonical form. */
static int check_holidays(const char *v, struct buf *norm, struct buf *err)
{
    struct holidays h = HOLIDAYS_INIT;
    if (holidays_parse(&h, v, err) < 0) {
        holidays_release(&h);
        return -1;
    }
    for (size_t i = 0; i < h.n; i++) {
        char a[11], b[11];
        date_format(h.r[i].first, a);
        date_format(h.r[i].last, b);
        buf_addf(norm, "%s%s..%s", i ? "," : "", a, b);
    }
    holidays_release(&h);
    return 0;
}

/* School make-up days (调休上课日), parsed by core/schoolcal; stored in canonical form. */
static int check_makeup(const char *v, struct buf *norm, struct buf *err)
{
    struct holidays h = HOLIDAYS_INIT;
    if (makeup_days_parse(&h, v, err) < 0) {
        holidays_release(&h);
        return -1;
    }
    for (size_t i = 0; i < h.n; i++) {
        char a[11], b[11];
        date_format(h.r[i].first, a);
        date_format(h.r[i].last, b);
        if (h.r[i].first == h.r[i].last)
            buf_addf(norm, "%s%s", i ? "," : "", a);
        else
            buf_addf(norm, "%s%s..%s", i ? "," : "", a, b);
    }
    holidays_release(&h);
    return 0;
}

/* ---- the registry ---- */

const struct setting_def setting_defs[] = {
    {"county", "本县（县级区划代码）", SETTING_TEXT, "", 0, 0,
     "6 位县级区划代码；导入数据后不能更改", check_county, SETTING_FROZEN_DATA},
    {"year_start_mmdd", "学年开始日（月日）", SETTING_INT, STR(CAL_YEAR_START_MMDD), 101, 1231,
     "月日，如 0901", check_mmdd, 0},
    {"cutoff_mmdd", "入学年龄计算截止日（月日）", SETTING_INT, STR(CAL_CUTOFF_MMDD), 101, 1231,
     "月日，如 0831（省级规定）", check_mmdd, 0},
    {"min_age", "义务教育起始年龄（周岁）", SETTING_INT, STR(CAL_MIN_AGE), 3, 9, "3 到 9 的整数",
     NULL, 0},
    {"max_age", "义务教育截止年龄（周岁）", SETTING_INT, STR(CAL_MAX_AGE), 12, 18,
     "12 到 18 的整数", NULL, 0},
    {"link_accept", "自动关联分数线（综合比对）", SETTING_DOUBLE, STR(LK_ACCEPT_DEFAULT), 1, 60,
     "1 到 60，大于人工复核分数线", NULL, 0},
    {"link_review", "人工复核分数线（综合比对）", SETTING_DOUBLE, STR(LK_REVIEW_DEFAULT), 0, 60,
     "0 到 60，小于自动关联分数线", NULL, 0},
    {"link_margin", "领先第二候选的最小分差", SETTING_DOUBLE, STR(LK_MARGIN_DEFAULT), 0, 30,
     "0 到 30", NULL, 0},
    {"casework_verify_days", "核查期限（天）", SETTING_INT, "10", 1, 366, "1 到 366 的整数", NULL,
     0},
    {"casework_review_days", "人工复核期限（工作日，自比对之日起）", SETTING_INT, "5", 1, 60,
     "1 到 60 的整数", NULL, 0},
    {"casework_first_visit_days", "立案后首次走访期限（天）", SETTING_INT, "3", 1, 366,
     "1 到 366 的整数", NULL, 0},
    {"casework_ladder_days", "依法控辍步骤默认期限（天）", SETTING_INT, "15", 1, 366,
     "1 到 366 的整数", NULL, 0},
    {"casework_followup_months", "巩固回访间隔（月）", SETTING_INT, "1", 1, 12, "1 到 12 的整数",
     NULL, 0},
    {"casework_followup_count", "销号前须回访次数", SETTING_INT, "3", 1, 12, "1 到 12 的整数", NULL,
     0},
    {"school_holidays", "学校假期（期限顺延）", SETTING_TEXT, "", 0, 0,
     "开始日期..结束日期，多个用逗号分隔，如 2027-01-20..2027-02-25", check_holidays, 0},
    {"school_makeup_days", "调休上课日（周末或假期中照常上课的日子，考勤计入）", SETTING_TEXT, "",
     0, 0, "日期或 开始日期..结束日期，多个用逗号分隔，如 2026-09-27,2026-10-10", check_makeup, 0},
    {"term_autumn_start", "秋季学期开学日（月日）", SETTING_INT, STR(TERM_AUTUMN_START), 101, 1231,
     "月日，如 0901", check_mmdd, 0},
    {"term_autumn_end", "秋季学期结束日（月日，次年）", SETTING_INT, STR(TERM_AUTUMN_END), 101,
     1231, "月日，如 0120", check_mmdd, 0},
    {"term_spring_start", "春季学期开学日（月日）", SETTING_INT, STR(TERM_SPRING_START), 101, 1231,
     "月日，如 0224", check_mmdd, 0},
    {"term_spring_end", "春季学期结束日（月日）", SETTING_INT, STR(TERM_SPRING_END), 101, 1231,
     "月日，如 0710", check_mmdd, 0},
    {"import_shrink_percent", "名单人数骤减须确认（占当前名单的百分比）", SETTING_INT,
     STR(IMPORT_SHRINK_PERCENT_DEFAULT), 0, 100,
     "0 到 100 的整数：新名单人数低于当前名单的这一比例时须确认才导入；0 不检查", NULL, 0},
    {"attachment_max_mb", "照片和回执扫描件的大小上限（MB）", SETTING_INT, "5", 1, 50,
     "1 到 50 的整数", NULL, 0},
    {"send_teach_visits", "送教上门每月最少次数", SETTING_INT, "2", 1, 31, "1 到 31 的整数", NULL,
     0},
    {"send_teach_hours", "送教上门每月最少课时", SETTING_INT, "4", 1, 200, "1 到 200 的整数", NULL,
     0},
    /* 预警名单 (issue 16, casework/atrisk.h): the threshold and each factor's weight */
    {"atrisk_threshold", "预警名单的分数线", SETTING_INT, "20", 1, 1000, "1 到 1000 的整数", NULL,
     0},
    {"atrisk_overage_years", "超龄几岁计入预警", SETTING_INT, "2", 1, 6, "1 到 6 的整数", NULL, 0},
    {"atrisk_weight_case", "预警分：曾失学辍学立案", SETTING_INT, "30", 0, 100,
     "0 到 100 的整数（0 不计）", NULL, 0},
    {"atrisk_weight_group", "预警分：重点群体", SETTING_INT, "15", 0, 100,
     "0 到 100 的整数（0 不计）", NULL, 0},
    {"atrisk_weight_overage", "预警分：超龄", SETTING_INT, "15", 0, 100,
     "0 到 100 的整数（0 不计）", NULL, 0},
    {"atrisk_weight_away", "预警分：13至15岁且父母外出务工", SETTING_INT, "20", 0, 100,
     "0 到 100 的整数（0 不计）", NULL, 0},
    {"atrisk_weight_illness", "预警分：长期或严重疾病", SETTING_INT, "20", 0, 100,
     "0 到 100 的整数（0 不计）", NULL, 0},
    {"atrisk_weight_absence", "预警分：本学期旷课每天", SETTING_INT, "5", 0, 100,
     "0 到 100 的整数（0 不计）", NULL, 0},
    {"atrisk_absence_cap", "预警分：本学期旷课最多计分", SETTING_INT, "40", 0, 1000,
     "0 到 1000 的整数（0 不设上限）", NULL, 0},
    /* the early-warning rules of attendance (issue 16, casework/warning.h) */
    {"warning_streak_days", "连续旷课几个上课日发出预警", SETTING_INT, "3", 1, 30, "1 到 30 的整数",
     NULL, 0},
    {"warning_task_days", "连续旷课几个上课日报乡镇核查（疑似辍学）", SETTING_INT, "7", 2, 60,
     "2 到 60 的整数", NULL, 0},
    {"warning_dropout_days", "连续旷课几个上课日学校须将学籍标为辍学", SETTING_INT, "20", 3, 120,
     "3 到 120 的整数", NULL, 0},
    {"warning_month_days", "一个月累计旷课几天发出预警", SETTING_INT, "10", 1, 31, "1 到 31 的整数",
     NULL, 0},
    {"warning_sick_days", "病假超过几个上课日转健康随访", SETTING_INT, "15", 1, 120,
     "1 到 120 的整数", NULL, 0},
    {"warning_head_days", "预警几个工作日未处理转校长", SETTING_INT, "1", 0, 30,
     "0 到 30 的整数（0：当天未处理即转校长）", NULL, 0},
    {"warning_township_days", "预警几个工作日未处理报乡镇", SETTING_INT, "3", 1, 60,
     "1 到 60 的整数", NULL, 0},
    /* the monthly report's confirmation (issue 17, report/monthly_confirm.h) */
    {"monthly_confirm_day", "月报确认期限：次月几日前", SETTING_INT, "15", 1, 28, "1 到 28 的整数",
     NULL, 0},
    /* the ranking's 辍学高发 rule (issue 17, report/indicators.h) */
    {"high_dropout_rate", "辍学率达到多少（%）列为辍学高发", SETTING_DOUBLE, "0.8", 0, 100,
     "0 到 100 的数（百分数）", NULL, 0},
    {"high_dropout_min", "辍学至少几人才列为辍学高发", SETTING_INT, "2", 1, 1000,
     "1 到 1000 的整数", NULL, 0},
    /* issue 17: the 通报 (report/bulletin.h) */
    {"bulletin_office", "通报的发文机关", SETTING_TEXT, "", 0, 0,
     "如 沁县教育局；不设则取本县名称加“教育局”", NULL, 0},
    {"bulletin_prefix", "通报的发文字号（机关代字）", SETTING_TEXT, "", 0, 0,
     "如 沁教通，文号即 沁教通〔2026〕12号；不设则取县名的第一个字加“教通”", NULL, 0},
    {"bulletin_rectify_days", "通报的整改期限（工作日）", SETTING_INT, "15", 1, 90,
     "1 到 90 的整数", NULL, 0},
    {"demo", "演示数据库标记", SETTING_TEXT, "", 0, 0, "由演示程序写入，不能修改", NULL,
     SETTING_READONLY},
};
const size_t setting_ndefs = ARRAY_SIZE(setting_defs);

const struct setting_def *setting_find(const char *key)
{
    for (size_t i = 0; key && i < setting_ndefs; i++)
        if (!strcmp(setting_defs[i].key, key))
            return &setting_defs[i];
    return NULL;
}

int setting_check(const struct setting_def *d, const char *value, struct buf *norm, struct buf *err)
{
    struct buf v = BUF_INIT;
    int ret = -1;
    buf_reset(norm);
    utf8_norm_text(&v, value ? value : "", value ? strlen(value) : 0);
    if (d->type == SETTING_TEXT) {
        if (d->check)
            ret = d->check(v.buf, norm, err);
        else {
            buf_add(norm, v.buf, v.len);
            ret = 0;
        }
        goto out;
    }
    char *end = NULL;
    errno = 0;
    double x = 0;
    bool ok = v.len > 0;
    if (ok && d->type == SETTING_INT && !d->check) {
        long l = strtol(v.buf, &end, 10);
        ok = !*end && !errno && end != v.buf;
        x = (double)l;
    } else if (ok && d->type == SETTING_DOUBLE) {
        x = strtod(v.buf, &end);
        /* plain decimals only: strtod would also take "nan", "inf", "0x1p3" */
        ok = !*end && !errno && end != v.buf && isfinite(x) &&
             strspn(v.buf, "0123456789.+-") == v.len;
    }
    if (!ok) {
        buf_addf(err, "“%s”不是有效的%s，应为 %s", v.buf, d->type == SETTING_INT ? "整数" : "数",
                 d->range);
        goto out;
    }
    if (d->check) { /* an integer written its own way (month and day) */
        struct buf n = BUF_INIT;
        if (d->check(v.buf, &n, err) == 0) {
            x = (double)strtol(n.buf, NULL, 10);
            ret = 0;
        }
        buf_release(&n);
        if (ret < 0)
            goto out;
        ret = -1;
    }
    if (x < d->min || x > d->max) {
        buf_addf(err, "“%s”超出有效范围，应为 %s", v.buf, d->range);
        goto out;
    }
    if (d->type == SETTING_INT)
        buf_addf(norm, "%ld", (long)x);
    else
        buf_addf(norm, "%g", x);
    ret = 0;
out:
    buf_release(&v);
    return ret;
}

int settings_load(struct store *s, const struct setting_field *fields, size_t n, void *base)
{
    struct buf v = BUF_INIT, norm = BUF_INIT, err = BUF_INIT;
    int ret = 0;
    for (size_t i = 0; i < n && ret == 0; i++) {
        const struct setting_def *d = setting_find(fields[i].key);
        const char *text = d && *d->def ? d->def : NULL;
        int rc = store_get_setting(s, fields[i].key, &v);
        if (rc < 0) {
            ret = -1;
            break;
        }
        if (rc == 1 && d) {
            buf_reset(&err);
            if (setting_check(d, v.buf, &norm, &err) < 0) {
                buf_reset(&s->errmsg);
                buf_addf(&s->errmsg, "设置“%s”的值无效：%s；请在系统设置中改正，或恢复默认",
                         d->label, err.buf);
                ret = -1;
                break;
            }
            text = norm.buf;
        } else if (rc == 1) {
            text = v.buf;
        }
        if (!text)
            continue;
        if (fields[i].type == SETTING_INT)
            *(int *)((char *)base + fields[i].offset) = (int)strtol(text, NULL, 10);
        else
            *(double *)((char *)base + fields[i].offset) = strtod(text, NULL);
    }
    buf_release(&v);
    buf_release(&norm);
    buf_release(&err);
    return ret;
}

/* ---- baoxue settings ---- */

static const struct table_col setting_cols[] = {
    {"key", "设置项", COL_TEXT},     {"label", "名称", COL_TEXT},   {"value", "当前值", COL_TEXT},
    {"default", "默认值", COL_TEXT}, {"range", "有效值", COL_TEXT}, {"source", "来源", COL_TEXT},
};

int settings_list(struct store *s, struct report_table *t, struct outcome *o)
{
    struct buf v = BUF_INIT;
    table_init(t, "系统设置", "settings", setting_cols, ARRAY_SIZE(setting_cols));
    for (size_t i = 0; i < setting_ndefs; i++) {
        const struct setting_def *d = &setting_defs[i];
        int rc = store_get_setting(s, d->key, &v);
        if (rc < 0) {
            fail_store(s, o);
            buf_release(&v);
            table_release(t);
            return -1;
        }
        table_add_row(t);
        table_set(t, 0, d->key);
        table_set(t, 1, d->label);
        table_set(t, 2, rc == 1 ? v.buf : *d->def ? d->def : "（未设置）");
        table_set(t, 3, *d->def ? d->def : "（无）");
        table_set(t, 4, d->range);
        table_set(t, 5, rc == 1 ? "已设置" : "默认");
    }
    buf_release(&v);
    buf_addf(&t->footer,
             "\n修改：baoxue settings set 设置项 值；恢复默认：baoxue settings unset 设置项"
             "（每次修改记入审计日志）\n");
    return 0;
}

static const struct setting_def *known(const char *key, struct outcome *o)
{
    const struct setting_def *d = setting_find(key);
    if (!d)
        failed(o, OUT_NOT_FOUND, "没有名为“%s”的设置项", key ? key : "");
    return d;
}

int settings_get(struct store *s, const char *key, struct buf *out, struct outcome *o)
{
    const struct setting_def *d = known(key, o);
    if (!d)
        return -1;
    int rc = store_get_setting(s, d->key, out);
    if (rc < 0) {
        fail_store(s, o);
        return -1;
    }
    if (rc == 0) {
        buf_reset(out);
        buf_adds(out, d->def);
    }
    return 0;
}

/* The value `key` would have with `key2` set to `v2` (NULL: its default), as a number. */
static int value_with(struct store *s, const char *key, const char *key2, const char *v2,
                      double *out)
{
    const struct setting_def *d = setting_find(key);
    struct buf v = BUF_INIT;
    int rc = 1;
    if (!strcmp(key, key2)) {
        buf_adds(&v, v2 ? v2 : d->def);
    } else if ((rc = store_get_setting(s, key, &v)) == 0) {
        buf_adds(&v, d->def);
    }
    *out = strtod(v.buf, NULL);
    buf_release(&v);
    return rc < 0 ? -1 : 0;
}

/* Settings that must agree with each other: 0, or -1 with the reason. (The age band needs no
 * such check: the ranges of min_age and max_age do not overlap.) */
static int cross_check(struct store *s, const char *key, const char *value, struct buf *err)
{
    static const struct {
        const char *lo, *hi, *why;
    } pairs[] = {
        {"link_review", "link_accept", "人工复核分数线须低于自动关联分数线"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(pairs); i++) {
        if (strcmp(key, pairs[i].lo) && strcmp(key, pairs[i].hi))
            continue;
        double lo, hi;
        if (value_with(s, pairs[i].lo, key, value, &lo) < 0 ||
            value_with(s, pairs[i].hi, key, value, &hi) < 0) {
            buf_adds(err, store_errmsg(s));
            return -2;
        }
        if (!(lo < hi)) {
            buf_addf(err, "%s：修改后%s为 %g，%s为 %g", pairs[i].why,
                     setting_find(pairs[i].lo)->label, lo, setting_find(pairs[i].hi)->label, hi);
            return -1;
        }
    }
    return 0;
}

int settings_set(struct store *s, const char *key, const char *value, const char *actor,
                 struct buf *msg, struct outcome *o)
{
    const struct setting_def *d = known(key, o);
    if (!d)
        return -1;
    if (d->flags & SETTING_READONLY)
        return failed(o, OUT_INVALID, "设置“%s”由程序维护，不能修改", d->label);
    struct buf norm = BUF_INIT, old = BUF_INIT, why = BUF_INIT, detail = BUF_INIT;
    int ret = -1;
    if (value && setting_check(d, value, &norm, &why) < 0) {
        failed_at(o, OUT_INVALID, "value", "设置“%s”的值无效：%s", d->label, why.buf);
        goto out;
    }
    int had = store_get_setting(s, d->key, &old);
    if (had < 0)
        goto store_failed;
    if ((value && had == 1 && !strcmp(old.buf, norm.buf)) || (!value && had == 0)) {
        buf_addf(msg, "设置“%s”未改变：%s", d->label,
                 had       ? old.buf
                 : *d->def ? d->def
                           : "（未设置）");
        if (!value)
            buf_adds(msg, "（默认）");
        ret = 0;
        goto out;
    }
    int rc = cross_check(s, d->key, value ? norm.buf : NULL, &why);
    if (rc == -2)
        goto store_failed;
    if (rc < 0) {
        failed_at(o, OUT_INVALID, "value", "不能修改设置“%s”：%s", d->label, why.buf);
        goto out;
    }
    if (d->flags & SETTING_FROZEN_DATA) {
        int64_t batches = 0;
        if (store_int(s, "SELECT count(*) FROM batch", 0, NULL, &batches) < 0)
            goto store_failed;
        if (batches && had == 1) {
            failed(o, OUT_INVALID, "本库已按 %s 导入数据，不能更改%s（请另建数据库）", old.buf,
                   d->label);
            goto out;
        }
    }
    buf_addf(&detail, "%s → %s",
             had == 1  ? old.buf
             : *d->def ? d->def
                       : "（未设置）",
             value     ? norm.buf
             : *d->def ? d->def
                       : "（未设置）");
    if (had == 0)
        buf_adds(&detail, "（原为默认）");
    if (!value)
        buf_adds(&detail, "（恢复默认）");
    char target[AUDIT_TARGET_SIZE];
    audit_target_name(target, OBJ_SETTING, d->key);
    if (store_begin(s) < 0)
        goto store_failed;
    const char *p[] = {d->key};
    if ((value ? store_set_setting(s, d->key, norm.buf)
               : store_run(s, "DELETE FROM setting WHERE key = $1", 1, p)) < 0 ||
        audit_record(s, actor, NULL, value ? "setting_set" : "setting_unset", target, detail.buf) <
            0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        goto out;
    }
    buf_addf(msg, "已%s设置“%s”：%s", value ? "修改" : "恢复默认", d->label, detail.buf);
    ret = 0;
    goto out;
store_failed:
    fail_store(s, o);
out:
    buf_release(&norm);
    buf_release(&old);
    buf_release(&why);
    buf_release(&detail);
    return ret;
}
