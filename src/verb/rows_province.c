/*
 * The row of the province's table (issue 18): the counties' indicators of an area computed and
 * kept (report/counties_kept.h). Over HTTP a background job of the province's server, queued by
 * POST /api/v1/province/indicators (http/api_province.c, which checks the account's area and
 * that this is the province's server before it queues it; hence no path of its own here) and
 * run by a job thread like an import; `baoxue province indicators` computes and keeps the same
 * table in the foreground and prints it (cli/cmd_province.c).
 */
#include "core/date.h"
#include "domain/province.h"
#include "report/counties_kept.h"
#include "util/common.h"
#include "verb/rows.h"

struct province_input {
    const char *area, *month;
};

static const struct verb_field province_fields[] = {
    FIELD(struct province_input, area, VT_TEXT, "地区", 0, NULL,
          "省的前 2 位、市的前 4 位或县的 6 位区划代码（默认：本账号所辖的地区）"),
    FIELD(struct province_input, month, VT_TEXT, "月份", 0, NULL,
          "年-月，如 2026-11：这个月底的指标（默认本月，截至今天）"),
};

static int province_check(const void *in_, struct outcome *o)
{
    const struct province_input *in = in_;
    char key[8];
    int as_of;
    if (in->area && *in->area && province_area_check(in->area, "area", o) < 0)
        return -1;
    return counties_month(in->month, date_today(), key, &as_of, o);
}

static int province_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct province_input *in = in_;
    struct report_table t;
    struct counties_kept k;
    int rc =
        counties_compute_keep(c->s, in->area, in->month, c->actor,
                              c->scope ? c->scope->origin : NULL, c->job, c->progress, &t, &k, o);
    if (rc == 0) {
        size_t n = table_data_rows(&t);
        const char *caption = t.caption ? t.caption : "各县控辍保学指标和排名";
        char day[24];
        date_format_cn(date_or_zero(k.as_of), day, sizeof(day));
        buf_addf(&c->msg, "%s已保存（%zu 个县，截至 %s）", caption, n, day);
        c->result = json_pack("{s:s, s:s, s:s, s:I, s:s, s:I}", "area", k.area, "month", k.month,
                              "as_of", k.as_of, "computed_at", (json_int_t)k.computed_at,
                              "computed_by", k.computed_by, "counties", (json_int_t)n);
    }
    table_release(&t);
    return rc;
}

const struct verb verb_province_indicators = {
    .name = "province_indicators",
    .summary = "计算并保存各县的控辍保学指标和排名（省、市的账号；在后台进行）",
    .method = "POST",
    .perm = PERM_PROVINCE,
    .audit = "province_indicators",
    .flags = VERB_JOB,
    .size = sizeof(struct province_input),
    .fields = FIELDS(province_fields),
    .run = province_run,
    .check = province_check,
    .failure = "计算各县指标失败",
    .phase = "正在计算各县指标",
};
