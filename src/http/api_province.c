/* The province's and the cities' screen (issue 18): the counties' indicators and ranking of
 * the account's area, read from each county's schema (report/counties.h). */
#include <string.h>

#include "core/date.h"
#include "domain/province.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "report/counties.h"
#include "report/indicators.h"
#include "store/store.h"

void province_indicators_h(struct request *r)
{
    const char *month = NULL, *area = NULL, *fmt_name = NULL;
    if (!arg_text(r, "month", 10, &month) || !arg_text(r, "area", 6, &area) ||
        !arg_text(r, "format", 8, &fmt_name))
        return;
    enum report_format fmt = FMT_JSON;
    if (fmt_name &&
        (report_format_parse(fmt_name, &fmt) < 0 || fmt == FMT_TABLE || fmt == FMT_PDF)) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "format",
                       "文件格式应为 CSV、XLSX 或 JSON");
        return;
    }
    struct buf base = BUF_INIT;
    int here = province_here(r->store, &base);
    if (here <= 0) {
        buf_release(&base);
        if (here < 0)
            reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        else
            reply_error(r, MHD_HTTP_NOT_FOUND, "not_found",
                        "这里是一个县的服务，没有各县的指标：请在省级服务登录");
        return;
    }
    /* the account's own area, or a part of it it asks for */
    const char *own = r->scope.area ? r->scope.area : "";
    if (!area || !*area)
        area = own;
    if (strncmp(area, own, strlen(own))) {
        buf_release(&base);
        reply_error_at(r, MHD_HTTP_FORBIDDEN, "forbidden", "area",
                       "这个地区不在您的账号所辖范围内");
        return;
    }
    struct outcome o = OUTCOME_INIT;
    struct report_table t;
    int as_of = 0;
    if (indicators_as_of(month, date_today(), &as_of, &o) < 0 ||
        report_counties(base.buf, area, as_of, NULL, &t, &o) < 0) {
        buf_release(&base);
        reply_outcome(r, &o);
        outcome_release(&o);
        return;
    }
    buf_release(&base);
    reply_report_file(r, &t, fmt, "counties", "各县控辍保学指标和排名");
}
