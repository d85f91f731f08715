/* The API's figures: the summary, the dashboard, report downloads (csv, xlsx, json) and the
 * audit trail. */
#include "core/date.h"
#include "core/words.h"
#include "domain/children.h"
#include "domain/dashboard.h"
#include "domain/status.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "render/table.h"
#include "ingest/category.h"
#include "report/catalog.h"
#include "report/reports.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/jsonw.h"

void summary_h(struct request *r)
{
    struct report_options ro = REPORT_OPTIONS_INIT;
    const char *township = NULL, *school = NULL;
    if (!arg_text(r, "township", 32, &township))
        return;
    /* the scope narrows the township; a school account has no summary (PERM_SUMMARY) */
    if (!scope_filter(&r->scope, &township, &school)) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个乡镇，或不在您的管辖范围内");
        return;
    }
    ro.township = township;
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    if (report_summary(r->store, &ro, &t, &o) < 0) {
        reply_outcome(r, &o);
    } else {
        reply_json(r, MHD_HTTP_OK, table_to_json(&t));
        table_release(&t);
    }
    outcome_release(&o);
}

void dashboard_h(struct request *r)
{
    const char *township, *group;
    if (!arg_text(r, "township", 32, &township) || !arg_text(r, "group", 32, &group))
        return;
    struct outcome o = OUTCOME_INIT;
    json_t *j = dashboard_get(r->store, &r->scope, township, group, &o);
    reply_read(r, j, &o);
}

void audit_h(struct request *r)
{
    struct audit_query q;
    if (!arg_text(r, "actor", 64, &q.actor) || !arg_text(r, "action", 64, &q.action) ||
        !arg_text(r, "target", 64, &q.target) || !arg_text(r, "since", 32, &q.since) ||
        !arg_text(r, "until", 32, &q.until) || !arg_int(r, "page", 1, 1000000, &q.page) ||
        !arg_int(r, "per_page", 50, 500, &q.per_page))
        return;
    json_t *j = audit_list(r->store, &q);
    /* the head of the chain, for an administrator to note outside the database */
    int64_t seq;
    char hash[65];
    if (j && audit_head(r->store, &seq, hash) == 0)
        json_object_set_new(j, "head",
                            json_pack("{s:I, s:s}", "seq", (json_int_t)seq, "hash", hash));
    struct outcome o = OUTCOME_INIT;
    if (!j)
        fail_store(r->store, &o);
    reply_read(r, j, &o);
}

/* The children list's filters in words, for the subtitle of its download. */
static const char *child_query_text(struct request *r, const struct child_query *cq)
{
    struct buf b = BUF_INIT;
    if (cq->township)
        buf_addf(&b, "%s乡镇代码 %s", b.len ? "；" : "", cq->township);
    if (cq->village)
        buf_addf(&b, "%s村（社区） %s", b.len ? "；" : "", cq->village);
    if (cq->school)
        buf_addf(&b, "%s学校标识码 %s", b.len ? "；" : "", cq->school);
    if (cq->status != -1)
        buf_addf(&b, "%s状态 %s", b.len ? "；" : "",
                 cq->status == CHILD_SET_SCHOOL_AGE ? "适龄儿童（义务教育年龄段）"
                 : cq->status == CHILD_SET_SUSPECTED ? "疑似失学辍学（适龄未入学、辍学）"
                                                     : status_label((enum child_status)cq->status));
    if (cq->q)
        buf_addf(&b, "%s搜索“%s”", b.len ? "；" : "", cq->q);
    if (cq->stage)
        buf_addf(&b, "%s%s", b.len ? "；" : "", vocab_label(&casework_stages, cq->stage));
    if (cq->reason)
        buf_addf(&b, "%s原因 %s", b.len ? "；" : "", vocab_label(&case_reasons, cq->reason));
    if (cq->overdue)
        buf_addf(&b, "%s逾期", b.len ? "；" : "");
    if (cq->group) {
        const char *g = vocab_label(&priority_groups, cq->group);
        buf_addf(&b, "%s重点群体 %s", b.len ? "；" : "", *g ? g : cq->group);
    }
    const char *text = arena_strdup(&r->arena, b.buf);
    buf_release(&b);
    return text;
}

/*
 * The month of a report that takes one (月报, 传染病缺课登记表, 留守儿童关爱): month=2026-11, and
 * the 月报's report date (date=2026-11-15); the current month when absent, as on the command
 * line. False after replying 400 (a malformed month, a date outside it, a report without months).
 */
static bool report_month_args(struct request *r, const struct report_def *def,
                              struct report_options *ro)
{
    const char *month, *date;
    if (!arg_text(r, "month", 16, &month) || !arg_text(r, "date", 16, &date))
        return false;
    if (month && !*month)
        month = NULL;
    if (date && !*date)
        date = NULL;
    char msg[256];
    if ((month || date) && !(def->takes & RT_MONTH)) {
        snprintf(msg, sizeof(msg), "《%s》不按月份查询，不接受%s", def->title,
                 month ? "月份" : "报表日期");
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", month ? "month" : "date", msg);
        return false;
    }
    if (month) {
        char day[24];
        snprintf(day, sizeof(day), "%s-01", month);
        int ymd = 0;
        if (strlen(month) != 7 || month[4] != '-' || date_parse(day, strlen(day), &ymd) < 0 ||
            ymd_day(ymd) != 1) {
            snprintf(msg, sizeof(msg), "月份“%s”无效，应为 年-月，如 2026-11", month);
            reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "month", msg);
            return false;
        }
        ro->month = ymd;
    }
    if (date) {
        int ymd = 0;
        if (date_parse(date, strlen(date), &ymd) < 0) {
            snprintf(msg, sizeof(msg), "报表日期“%s”不是有效日期，应如 2026-11-15", date);
            reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "date", msg);
            return false;
        }
        if (month &&
            (ymd_year(ymd) != ymd_year(ro->month) || ymd_month(ymd) != ymd_month(ro->month))) {
            snprintf(msg, sizeof(msg), "报表日期 %s 不在 %s 那个月里", date, month);
            reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "date", msg);
            return false;
        }
        ro->date = ymd;
        if (!month)
            ro->month = ymd_make(ymd_year(ymd), ymd_month(ymd), 1);
    }
    return true;
}

void report_h(struct request *r)
{
    char name[32] = "";
    route_param(&r->params, "name", name, sizeof(name));
    const struct report_def *def = report_find(name);
    if (!def) {
        struct buf b = BUF_INIT;
        buf_adds(&b, "没有这个报表，可用的报表有");
        report_titles(&b);
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", b.buf);
        buf_release(&b);
        return;
    }
    /* the police's reports: also for a department whose duty reads 户籍问题, county-wide */
    bool police = (def->registration && scope_reads_registration(&r->scope)) ||
                  ((def->takes & RT_AID_READERS) && scope_reads_aid(&r->scope));
    /* the priority groups' report: each reader its own groups, township or school */
    unsigned groups = 0;
    const char *own_town = NULL, *own_school = NULL;
    bool grouped =
        (def->takes & RT_GROUP_READERS) && scope_groups(&r->scope, &groups, &own_town, &own_school);
    /* a department reads children (its own groups') but no report beyond its duty's */
    if (!police && !grouped &&
        (!role_has(r->scope.role, def->perm) || r->scope.role == ROLE_DEPARTMENT)) {
        char msg[256];
        snprintf(msg, sizeof(msg), "您的账号无权查看《%s》", def->title);
        reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden", msg);
        return;
    }
    struct report_options ro = REPORT_OPTIONS_INIT;
    const char *fmt_name, *status = NULL;
    enum report_format fmt = FMT_JSON;
    struct child_query cq;
    if (def->takes & RT_LIST) {
        /* children-list: the list's own filters, scoped by the list; never full numbers */
        if (!child_query_args(r, &cq) || !arg_text(r, "format", 8, &fmt_name))
            return;
        if (request_arg(r, "full")) {
            reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "full",
                           "儿童名单导出时身份证号总是遮盖，不能导出完整信息");
            return;
        }
    } else if (!(police || (def->schools && r->scope.role == ROLE_SCHOOL) || (grouped && !own_town)
                     ? arg_text(r, "township", 32, &ro.township)
                     : arg_township(r, &ro.township)) ||
               ((def->takes & RT_GROUPS) && !arg_text(r, "group", 32, &ro.group)) ||
               ((def->takes & RT_VILLAGE) && !arg_text(r, "village", 128, &ro.village)) ||
               ((def->takes & RT_SCHOOL) && !arg_text(r, "school", 128, &ro.school)) ||
               ((def->takes & RT_BY) && !arg_text(r, "by", 16, &ro.by)) ||
               !arg_text(r, "format", 8, &fmt_name) || !arg_text(r, "status", 32, &status) ||
               !arg_full(r, &ro.full)) {
        return;
    } else {
        /* the list's filters belong to children-list: elsewhere they would be silently ignored */
        static const char *const list_only[] = {"village", "school", "q",      "sort",
                                                "stage",   "reason", "overdue"};
        for (size_t i = 0; i < ARRAY_SIZE(list_only); i++)
            if (request_arg(r, list_only[i]) &&
                !(i == 0 && (def->takes & RT_VILLAGE)) && /* village: also the visit sheet's */
                !(i == 1 && (def->takes & RT_SCHOOL))) {  /* school: also 人籍分离's */
                char msg[200];
                snprintf(msg, sizeof(msg), "%s的筛选只用于儿童名单导出，《%s》不接受",
                         arg_label(list_only[i]), def->title);
                reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", list_only[i], msg);
                return;
            }
    }
    if (!report_month_args(r, def, &ro))
        return;
    if (fmt_name && (report_format_parse(fmt_name, &fmt) < 0 || fmt == FMT_TABLE ||
                     (fmt == FMT_PDF && !(def->takes & RT_PDF)))) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "format",
                       def->takes & RT_PDF ? "文件格式应为 PDF、CSV、XLSX 或 JSON"
                                           : "文件格式应为 CSV、XLSX 或 JSON");
        return;
    }
    ro.scope = &r->scope;
    if (grouped) {
        ro.groups = groups;
        ro.school = own_school;
        if (ro.township && !*ro.township)
            ro.township = NULL;
    }
    if (status && (!(def->takes & RT_STATUS) || (ro.status = status_parse(status)) < 0)) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "status",
                       "按状态筛选只用于儿童状态清单和适龄儿童台账，且应为已知的状态");
        return;
    }
    struct report_table t;
    struct buf err = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    if (def->fn ? def->fn(r->store, &ro, &t, &o)
                : children_table(r->store, &r->scope, &cq, child_query_text(r, &cq), &t, &o)) {
        reply_outcome(r, &o);
        outcome_release(&o);
        return;
    }
    if (ro.full && def->personal) {
        char detail[128];
        snprintf(detail, sizeof(detail), "%s（%s），%zu 行，完整身份证号和电话", def->title,
                 report_format_name(fmt), table_data_rows(&t));
        if (audit_record(r->store, r->scope.user, r->scope.origin, "export_full", NULL, detail) <
            0) {
            table_release(&t);
            buf_release(&err);
            reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                        "无法记录审计日志，已停止导出");
            return;
        }
    }
    buf_release(&err);
    reply_report_file(r, &t, fmt, def->name, def->title);
}

void reply_report_file(struct request *r, struct report_table *t, enum report_format fmt,
                       const char *name, const char *title_name)
{
    static const char *const ext[] = {
        [FMT_CSV] = "csv", [FMT_XLSX] = "xlsx", [FMT_JSON] = "json", [FMT_PDF] = "pdf"};
    char ascii[64], title[128];
    snprintf(ascii, sizeof(ascii), "%s.%s", name, ext[fmt]);
    snprintf(title, sizeof(title), "%s.%s", title_name, ext[fmt]);
    struct buf err = BUF_INIT;
    if (fmt == FMT_JSON) {
        json_t *j = table_to_json(t);
        char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_OUT_REALS);
        json_decref(j);
        table_release(t);
        if (!text) {
            reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误");
            return;
        }
        struct MHD_Response *resp =
            MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json; charset=utf-8");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
        content_disposition(resp, ascii, title);
        reply_response(r, MHD_HTTP_OK, resp);
        return;
    }
    char dir[512], path[600];
    if (!scratch_dir(dir, sizeof(dir))) {
        table_release(t);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "无法创建临时文件");
        return;
    }
    snprintf(path, sizeof(path), "%s/report.%s", dir, ext[fmt]);
    int rc = table_render(t, fmt, path, &err);
    table_release(t);
    if (rc < 0) {
        unlink(path);
        rmdir(dir);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                    err.len ? err.buf : "无法生成报表");
    } else {
        reply_file(r, dir, path,
                   fmt == FMT_CSV ? "text/csv; charset=utf-8"
                   : fmt == FMT_PDF
                       ? "application/pdf"
                       : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   ascii, title);
    }
    buf_release(&err);
}
