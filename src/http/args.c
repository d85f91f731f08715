/* Reading a request for the API's handlers: query arguments, path ids, the JSON body's fields
 * (args.h). */
#include "http/args.h"

#include <errno.h>

#include "core/words.h"
#include "domain/children.h"
#include "domain/status.h"
#include "http/parse.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/common.h"

int64_t path_id(struct request *r)
{
    char id[24] = "", *end = id;
    long long v = 0;
    if (route_param(&r->params, "id", id, sizeof(id)) && id[0] >= '0' && id[0] <= '9')
        v = strtoll(id, &end, 10);
    return *end || v < 0 ? 0 : v;
}

const char *arg_label(const char *name)
{
    static const struct {
        const char *name, *label;
    } labels[] = {
        {"page", "页码"},
        {"per_page", "每页条数"},
        {"township", "乡镇"},
        {"status", "状态"},
        {"village", "村（社区）"},
        {"school", "学校"},
        {"sort", "排序方式"},
        {"q", "搜索内容"},
        {"stage", "核查和案件进度"},
        {"reason", "失学原因"},
        {"overdue", "是否逾期"},
        {"actor", "操作人"},
        {"action", "操作"},
        {"target", "对象"},
        {"since", "开始时间"},
        {"until", "截止时间"},
        {"all", "是否全部"},
        {"full", "完整信息"},
        {"format", "文件格式"},
        {"state", "状态"},
        {"person", "责任人"},
        /* issue 16: the wellbeing ledgers */
        {"category", "疾病类别"},
        {"open_on", "日期"},
        {"serious", "慢性或重大疾病"},
        {"due", "复查到期"},
        {"open", "未结案"},
        /* issue 18: the province's table */
        {"area", "地区"},
        {"month", "月份"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(labels); i++)
        if (!strcmp(labels[i].name, name))
            return labels[i].label;
    return "查询条件";
}

bool arg_int(struct request *r, const char *name, int64_t dflt, int64_t max, int64_t *out)
{
    const char *v = request_arg(r, name);
    if (!v) {
        *out = dflt;
        return true;
    }
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || !*v || *end || n < 1 || n > max) {
        char msg[160];
        snprintf(msg, sizeof(msg), "%s应为 1 到 %lld 之间的整数", arg_label(name), (long long)max);
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", name, msg);
        return false;
    }
    *out = n;
    return true;
}

bool arg_text(struct request *r, const char *name, size_t max, const char **out)
{
    const char *v = request_arg(r, name);
    *out = v && *v ? v : NULL;
    if (*out && strlen(*out) > max) {
        char msg[160];
        snprintf(msg, sizeof(msg), "%s过长（至多 %zu 字节）", arg_label(name), max);
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", name, msg);
        return false;
    }
    return true;
}

bool child_query_args(struct request *r, struct child_query *cq)
{
    const char *status, *overdue;
    *cq = (struct child_query){.status = -1};
    if (!arg_text(r, "township", 32, &cq->township) || !arg_text(r, "status", 32, &status) ||
        !arg_text(r, "village", 128, &cq->village) || !arg_text(r, "school", 32, &cq->school) ||
        !arg_text(r, "sort", 32, &cq->sort) || !arg_text(r, "q", 128, &cq->q) ||
        !arg_text(r, "stage", 32, &cq->stage) || !arg_text(r, "reason", 32, &cq->reason) ||
        !arg_text(r, "overdue", 4, &overdue) || !arg_text(r, "group", 32, &cq->group) ||
        !arg_int(r, "page", 1, 1000000, &cq->page) ||
        !arg_int(r, "per_page", 50, CHILDREN_PER_PAGE_MAX, &cq->per_page))
        return false;
    cq->overdue = overdue && !strcmp(overdue, "1");
    if (cq->stage && !vocab_find(&casework_stages, cq->stage)) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "stage",
                       "核查和案件进度的筛选无效，应为待核查、外联保学、核查已办结、劝返中、"
                       "巩固回访中或已销号");
        return false;
    }
    int reason = cq->reason ? vocab_parse(&case_reasons, cq->reason) : 0;
    if (reason < 0) {
        struct buf m = BUF_INIT;
        vocab_error(&case_reasons, cq->reason, &m);
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "reason", m.buf);
        buf_release(&m);
        return false;
    }
    if (cq->reason)
        cq->reason = case_reasons.words[reason].key;
    if (status && !strcmp(status, "school_age"))
        cq->status = CHILD_SET_SCHOOL_AGE;
    else if (status && !strcmp(status, "suspected"))
        cq->status = CHILD_SET_SUSPECTED;
    else if (status && strcmp(status, "all") && (cq->status = status_parse(status)) < 0) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "status",
                       "要列出的儿童状态无效");
        return false;
    }
    return true;
}

bool arg_full(struct request *r, bool *full)
{
    const char *v = request_arg(r, "full");
    *full = v && !strcmp(v, "1");
    if (*full && !role_has(r->scope.role, PERM_FULL_ID)) {
        reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden", "您的账号无权查看完整身份证号和电话");
        return false;
    }
    return true;
}

bool arg_township(struct request *r, const char **township)
{
    const char *school = NULL;
    if (!arg_text(r, "township", 32, township))
        return false;
    if (!scope_filter(&r->scope, township, &school) || school) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个乡镇，或不在您的管辖范围内");
        return false;
    }
    if (r->scope.role == ROLE_TOWNSHIP && !**township) {
        /* an account without its township sees nothing rather than the county */
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "您的账号没有设置乡镇");
        return false;
    }
    if (*township && !**township)
        *township = NULL;
    return true;
}

bool arg_reach(struct request *r, enum scope_object what, const char **township, unsigned *ties,
               const char **school, const char **school_name)
{
    bool all;
    const char *own;
    *school = *school_name = NULL;
    if (!scope_list_reach(&r->scope, what, &all, &own, ties)) {
        reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden",
                    what == SCOPE_TASK ? "您的账号无权查看核查任务" : "您的账号无权查看案件");
        return false;
    }
    if (own)
        return arg_township(r, township);
    if ((*ties & TIES_SCHOOL) && !request_school_name(r))
        return false;
    if (*ties & TIES_SCHOOL) {
        *school = r->scope.school;
        *school_name = r->scope.school_name;
    }
    return arg_text(r, "township", 32, township);
}

bool arg_paging(struct request *r, struct paging *pg)
{
    bool asked = request_arg(r, "page") || request_arg(r, "per_page");
    if (!arg_int(r, "page", 1, 1000000, &pg->page) ||
        !arg_int(r, "per_page", 50, 500, &pg->per_page))
        return false;
    if (!asked)
        pg->page = pg->per_page = 0;
    return true;
}

json_t *body_fields(struct request *r, const char *const *names, size_t n, const char **out)
{
    enum body_error e;
    char why[200], field[72];
    json_t *j = body_fields_parse(r->body.buf, r->body.len, names, n, out, &r->arena, &e, why,
                                  sizeof(why), field, sizeof(field));
    if (!j && e == BODY_NOT_JSON)
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_json",
                    "请求内容不是有效的 JSON 对象，请检查格式（UTF-8 编码）");
    else if (!j)
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", field, why);
    return j;
}

int64_t child_path_id(struct request *r)
{
    int64_t rid = path_id(r);
    if (rid <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这名儿童，或不在您的管辖范围内");
        return 0;
    }
    struct outcome o = OUTCOME_INIT;
    bool ok = child_reach(r->store, &r->scope, rid, &o);
    if (!ok)
        reply_outcome(r, &o);
    outcome_release(&o);
    return ok ? rid : 0;
}
