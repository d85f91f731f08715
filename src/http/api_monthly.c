/* The monthly report's confirmation (issue 17, report/monthly_confirm.h): a month's status and
 * the county's issued report, served as issued. Confirming and issuing are the action rows'
 * (verb/rows_monthly.c). */
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "report/monthly_confirm.h"
#include "util/common.h"

void monthly_h(struct request *r)
{
    const char *month;
    if (!arg_text(r, "month", 16, &month))
        return;
    struct outcome o = OUTCOME_INIT;
    json_t *j = monthly_status(r->store, &r->scope, month, &o);
    reply_read(r, j, &o);
}

void monthly_report_h(struct request *r)
{
    const char *month, *fmt_name;
    if (!arg_text(r, "month", 16, &month) || !arg_text(r, "format", 8, &fmt_name))
        return;
    enum report_format fmt = FMT_XLSX;
    if (fmt_name && *fmt_name &&
        (report_format_parse(fmt_name, &fmt) < 0 ||
         (fmt != FMT_XLSX && fmt != FMT_PDF && fmt != FMT_JSON))) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "format",
                       "文件格式应为 XLSX、PDF 或 JSON");
        return;
    }
    struct outcome o = OUTCOME_INIT;
    struct buf b = BUF_INIT;
    char title[160];
    if (monthly_issued(r->store, month, fmt, &b, title, sizeof(title), &o) < 0) {
        reply_outcome(r, &o);
        outcome_release(&o);
        buf_release(&b);
        return;
    }
    static const char *const ext[] = {[FMT_XLSX] = "xlsx", [FMT_JSON] = "json", [FMT_PDF] = "pdf"};
    char ascii[64], name[200];
    snprintf(ascii, sizeof(ascii), "monthly.%s", ext[fmt]);
    snprintf(name, sizeof(name), "%s.%s", title, ext[fmt]);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(b.len, b.buf ? b.buf : (void *)"", MHD_RESPMEM_MUST_COPY);
    buf_release(&b);
    MHD_add_response_header(
        resp, MHD_HTTP_HEADER_CONTENT_TYPE,
        fmt == FMT_PDF    ? "application/pdf"
        : fmt == FMT_JSON ? "application/json; charset=utf-8"
                          : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    content_disposition(resp, ascii, name);
    reply_response(r, MHD_HTTP_OK, resp);
}
