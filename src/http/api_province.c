/* The province's and the cities' screen (issue 18): the counties' indicators and ranking of
 * the account's area, computed by a background job and kept (report/counties_kept.h): the
 * kept table read, and its computation started. */
#include <string.h>

#include "core/date.h"
#include "domain/province.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "report/counties.h"
#include "report/counties_kept.h"
#include "verb/verb.h"

/*
 * The area and month a request asks about, checked in this order: this is the province's
 * server (404 on a county's: it has no registry), the area is a division code (400), within
 * the account's own area (403; none asked: the account's own), one the division table knows
 * (400), and the month a month that has come (400; none asked: this month). *key is the month
 * as kept ("2026-11"). False after replying.
 */
static bool province_ask(struct request *r, const char **area, const char *month, char key[8])
{
    int here = province_schema_is(r->store);
    if (here < 0) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return false;
    }
    if (!here) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found",
                    "这里是一个县的服务，没有各县的指标：请在省级服务登录");
        return false;
    }
    struct outcome o = OUTCOME_INIT;
    const char *own = r->scope.area ? r->scope.area : "";
    if (!*area || !**area)
        *area = own;
    char name[160];
    int as_of = 0;
    bool ok = false;
    if (**area && province_area_check(*area, "area", &o) < 0)
        reply_outcome(r, &o);
    else if (strncmp(*area, own, strlen(own)))
        reply_error_at(r, MHD_HTTP_FORBIDDEN, "forbidden", "area",
                       "这个地区不在您的账号所辖范围内");
    else if (counties_area_name(*area, name, sizeof(name), &o) < 0 ||
             counties_month(month, date_today(), key, &as_of, &o) < 0)
        reply_outcome(r, &o);
    else
        ok = true;
    outcome_release(&o);
    return ok;
}

void province_indicators_h(struct request *r)
{
    const char *month = NULL, *area = NULL, *fmt_name = NULL;
    if (!arg_text(r, "month", 16, &month) || !arg_text(r, "area", 6, &area) ||
        !arg_text(r, "format", 8, &fmt_name))
        return;
    enum report_format fmt = FMT_JSON;
    if (fmt_name &&
        (report_format_parse(fmt_name, &fmt) < 0 || fmt == FMT_TABLE || fmt == FMT_PDF)) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "format",
                       "文件格式应为 CSV、XLSX 或 JSON");
        return;
    }
    char key[8];
    if (!province_ask(r, &area, month, key))
        return;
    struct outcome o = OUTCOME_INIT;
    struct report_table t;
    struct counties_kept k;
    int got = counties_kept_read(r->store, area, key, &t, &k, &o);
    if (got < 0)
        reply_outcome(r, &o);
    else if (got == 0)
        /* not computed yet: 404 as for a table that is not there, with a code of its own (the
         * screen offers to compute it) */
        reply_error_at(r, MHD_HTTP_NOT_FOUND, "not_computed", "month", o.msg.buf);
    else
        reply_report_file(r, &t, fmt, "counties", "各县控辍保学指标和排名");
    outcome_release(&o);
}

void province_indicators_post_h(struct request *r)
{
    static const char *const names[] = {"area", "month"};
    const char *vals[ARRAY_SIZE(names)];
    /* a computation of the account's own area this month may be asked with no body at all */
    if (!r->body.len)
        buf_adds(&r->body, "{}");
    json_t *body = BODY(names, vals);
    if (!body)
        return;
    const char *area = vals[0], *month = vals[1];
    char key[8];
    if (month && strlen(month) > 16)
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "month",
                       "月份过长：应写成年-月，例如 2026-10");
    else if (province_ask(r, &area, month, key)) {
        const struct verb *v = verb_find("province_indicators");
        json_t *params = json_pack("{s:s, s:s}", "area", area, "month", key);
        /* one computation of an area's month at a time: a second ask gets the first's job */
        job_submit_about(r, v, params, area, key);
        json_decref(params);
    }
    json_decref(body);
}
