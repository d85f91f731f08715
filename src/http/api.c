/* The API's routes table: every route's method, path, handler, permission and summary (the
 * handlers are in the api_*.c files, api.h; the background jobs' in jobs.c), and the service's
 * own routes: health, the OpenAPI document, the vocabularies. */
#include "http/api.h"
#include "http/request.h"
#include "util/common.h"
#include "verb/vocab.h"

static void healthz(struct request *r)
{
    reply_json(r, MHD_HTTP_OK, json_pack("{s:s}", "status", "ok"));
}

static void openapi(struct request *r)
{
    const char *doc = openapi_document();
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(doc), (void *)doc, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    reply_response(r, MHD_HTTP_OK, resp);
}

/* The vocabularies (verb/vocab.h): the same bytes until the binary changes, so a browser keeps
 * them and asks again with If-None-Match, answered 304. */
static void vocab_h(struct request *r)
{
    size_t len;
    const char *etag, *doc = vocab_document(&len, &etag);
    const char *inm = request_header(r, MHD_HTTP_HEADER_IF_NONE_MATCH);
    bool same = inm && strstr(inm, etag);
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        same ? 0 : len, same ? (void *)"" : (void *)doc, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "private, no-cache");
    if (!same)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json; charset=utf-8");
    reply_response(r, same ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK, resp);
}

/* A route that reads or runs something of its own (the action rows' routes are made from the
 * rows, http/verbs.c), and one that reads one casework object named by {id}. */
#define ROUTE(method, path, handler, perm, summary)                                                \
    {                                                                                              \
        (method), (path), (handler), (perm), (summary), SCOPE_NONE, ACT_READ, NULL                 \
    }
#define ROUTE_OF(method, path, handler, perm, object, summary)                                     \
    {                                                                                              \
        (method), (path), (handler), (perm), (summary), (object), ACT_READ, NULL                   \
    }

const struct route api_routes[] = {
    ROUTE("GET", "/healthz", healthz, PERM_PUBLIC, "服务是否正常（无需登录）"),
    ROUTE("GET", "/api/v1/openapi.json", openapi, PERM_PUBLIC, "本接口的 OpenAPI 3 描述"),
    ROUTE("GET", "/api/v1/counties", counties_get_h, PERM_PUBLIC,
          "本服务器服务的县（区）：省级库的服务器列出各县，登录时选择（无需登录）"),
    ROUTE("POST", "/api/v1/session", session_login_h, PERM_PUBLIC, "登录"),
    ROUTE("GET", "/api/v1/session", session_get_h, PERM_SESSION, "当前登录的用户和 CSRF 令牌"),
    ROUTE("DELETE", "/api/v1/session", session_logout_h, PERM_SESSION, "退出登录"),
    ROUTE("GET", "/api/v1/vocab", vocab_h, PERM_SESSION,
          "全部词表：状态、结论、原因等的中文名称和标记颜色"),
    ROUTE("GET", "/api/v1/summary", summary_h, PERM_SUMMARY, "各乡镇各状态人数汇总"),
    ROUTE("GET", "/api/v1/dashboard", dashboard_h, PERM_SUMMARY,
          "首页：台账人数、趋势、待办和最新动态"),
    ROUTE("GET", "/api/v1/children", children_h, PERM_CHILDREN, "儿童名单（分页、筛选）"),
    ROUTE("GET", "/api/v1/children/filters", children_filters_h, PERM_CHILDREN,
          "儿童名单的筛选项（乡镇、村、学校）"),
    ROUTE("GET", "/api/v1/children/{id}", child_h, PERM_CHILDREN, "一名儿童的完整记录"),
    ROUTE("GET", "/api/v1/children/{id}/links", child_links_h, PERM_CHILD_FILE,
          "一名儿童的比对过程：每条候选记录、每项得分"),
    ROUTE("GET", "/api/v1/children/{id}/casework", child_casework_h, PERM_CHILD_FILE,
          "一名儿童的历次比对状态、核查、案件和时间线"),
    ROUTE("GET", "/api/v1/children/{id}/care", child_care_h, PERM_CHILDREN,
          "留守儿童的受委托监护人、父母务工地和关爱联系记录"),
    ROUTE("GET", "/api/v1/review", review_h, PERM_REVIEW, "人工复核队列"),
    ROUTE("GET", "/api/v1/review/{id}", review_get_h, PERM_REVIEW,
          "一个候选记录对（并排、逐项得分）"),
    ROUTE("GET", "/api/v1/users", users_list_h, PERM_ACCOUNTS, "全部账号（仅管理员）"),
    ROUTE("GET", "/api/v1/schools", schools_list_h, PERM_ACCOUNTS,
          "最新学籍名单中的学校（新建学校账号时选择）"),
    ROUTE("GET", "/api/v1/audit", audit_h, PERM_AUDIT, "审计日志（仅管理员）"),
    /* background jobs (http/jobs.c) */
    ROUTE("GET", "/api/v1/imports", imports_get_h, PERM_UPLOAD,
          "已导入的批次（部门：本部门上传的）"),
    ROUTE("GET", "/api/v1/runs", runs_get_h, PERM_IMPORT, "历次比对及各状态人数"),
    ROUTE("GET", "/api/v1/runs/{id}", run_get_h, PERM_IMPORT, "一次比对及与上一次相比的变化"),
    ROUTE("GET", "/api/v1/jobs", jobs_get_h, PERM_SESSION, "最近的后台任务"),
    ROUTE("GET", "/api/v1/jobs/{id}", job_get_h, PERM_SESSION, "一个后台任务的状态和进度"),
    /* casework, people, reports, settings (issue 5) */
    ROUTE("GET", "/api/v1/verify", verify_list_h, PERM_CASES, "核查任务列表"),
    ROUTE_OF("GET", "/api/v1/verify/{id}", verify_show_h, PERM_CASES, SCOPE_TASK,
             "一项核查任务及其记录"),
    ROUTE("GET", "/api/v1/cases", case_list_h, PERM_CASES, "案件列表（一人一案）"),
    ROUTE_OF("GET", "/api/v1/cases/{id}", case_show_h, PERM_CASES, SCOPE_CASE,
             "一个案件及其时间线"),
    ROUTE_OF("GET", "/api/v1/verify/{id}/attachments", attachments_h, PERM_CASES, SCOPE_TASK,
             "一项核查任务的照片"),
    ROUTE_OF("GET", "/api/v1/verify/{id}/attachments/{aid}", attachment_h, PERM_CASES, SCOPE_TASK,
             "下载核查任务的一张照片（记入审计日志）"),
    ROUTE_OF("GET", "/api/v1/cases/{id}/attachments", attachments_h, PERM_CASES, SCOPE_CASE,
             "一个案件的照片和回执扫描件"),
    ROUTE_OF("GET", "/api/v1/cases/{id}/attachments/{aid}", attachment_h, PERM_CASES, SCOPE_CASE,
             "下载案件的一张照片或回执扫描件（记入审计日志）"),
    /* every role with a 待办 (role_has_todo): tasks_h narrows a department and a school to
     * their decisions and commitments (issue 17) */
    ROUTE("GET", "/api/v1/tasks", tasks_h, PERM_SESSION, "到期和逾期事项"),
    ROUTE("GET", "/api/v1/send-teaching", send_teaching_h, PERM_CASES,
          "送教上门：安置为送教上门的儿童和一个月的送教次数、课时"),
    ROUTE("GET", "/api/v1/attendance", attendance_list_h, PERM_CASES,
          "缺勤记录（学校、班级、学生、日期范围）"),
    ROUTE("GET", "/api/v1/attendance/classes", attendance_classes_h, PERM_CASES,
          "一所学校每个上课日各班的缺勤人数"),
    ROUTE("GET", "/api/v1/attendance/class-day", attendance_class_day_h, PERM_CASES,
          "班主任点名：一个班一天的学生和缺勤"),
    ROUTE("GET", "/api/v1/attendance/days", attendance_days_h, PERM_CASES,
          "上课日：每一天是不是上课日及原因"),
    ROUTE("GET", "/api/v1/warnings", warnings_h, PERM_CASES,
          "考勤预警：默认未解除的，最紧急的在前（学校、乡镇、状态、类型）"),
    ROUTE("GET", "/api/v1/warnings/{id}", warning_h, PERM_CASES, "一条考勤预警及其处置经过"),
    /* 督导检查 and 限期整改 (issue 17): who reads which is inspection.h's */
    ROUTE("GET", "/api/v1/inspections", inspections_h, PERM_SESSION,
          "督导检查：本账号可看的检查，及其整改事项的状态"),
    ROUTE("GET", "/api/v1/inspections/{id}", inspection_h, PERM_SESSION,
          "一次督导检查：检查单位、发现的问题和整改事项（本单位的）"),
    ROUTE("GET", "/api/v1/inspections/{id}/notice.pdf", inspection_notice_h, PERM_SESSION,
          "督导检查结果公告（PDF，A4，不含儿童个人信息）"),
    ROUTE("GET", "/api/v1/rectifications/{id}", rectification_h, PERM_SESSION,
          "一项整改事项属于哪次督导检查（待办的链接）"),
    ROUTE("GET", "/api/v1/rectifications/{id}/attachments/{aid}", rectify_attachment_h,
          PERM_SESSION, "整改材料的一张照片（查看记入审计日志）"),
    ROUTE("GET", "/api/v1/people", people_list_h, PERM_CASEWORK, "人员名册"),
    /* issue 17: the monthly report's confirmation (api_monthly.c) */
    ROUTE("GET", "/api/v1/monthly", monthly_h, PERM_SUMMARY,
          "月报确认情况：各乡镇的确认人、时间、逾期；数字（已确认的为冻结数字）"),
    ROUTE("GET", "/api/v1/monthly/report", monthly_report_h, PERM_SUMMARY,
          "下载已审定上报的全县月报（xlsx、pdf、json；与上报时完全相同）"),
    /* each report's own permission is checked by report_h (the police's reports are also a
     * department's: report/catalog.h) */
    ROUTE("GET", "/api/v1/reports/{name}", report_h, PERM_SESSION,
          "下载报表（csv、xlsx、json；走访清单也可 pdf）"),
    ROUTE("GET", "/api/v1/settings", settings_list_h, PERM_SESSION, "全部设置项"),
    /* issue 18: the province's and the cities' accounts (api_province.c) */
    ROUTE("GET", "/api/v1/province/indicators", province_indicators_h, PERM_PROVINCE,
          "各县控辍保学指标和排名：最近一次计算并保存的结果（本账号所辖的省或市；json、csv、"
          "xlsx；不含儿童个人信息）"),
    ROUTE("POST", "/api/v1/province/indicators", province_indicators_post_h, PERM_PROVINCE,
          "重新计算各县控辍保学指标和排名（后台任务；同一地区和月份正在计算时返回那个任务）"),
    /* issue 16: the wellbeing ledgers (api_wellbeing.c); the mental-health reads answer only
     * the accounts holding that permission, checked by casework/mental.c */
    ROUTE("GET", "/api/v1/illnesses", illness_list_h, PERM_CHILDREN,
          "疾病台帐（学校：本校学生；乡镇：本乡镇；县：全县）"),
    ROUTE("GET", "/api/v1/children/{id}/illnesses", child_illness_h, PERM_CHILDREN,
          "一名学生的疾病记录和随访"),
    ROUTE("GET", "/api/v1/mental-health", mental_list_h, PERM_CHILDREN,
          "心理健康台帐（仅限被授权的人员；记入审计日志）"),
    ROUTE("GET", "/api/v1/children/{id}/mental-health", child_mental_h, PERM_CHILDREN,
          "一名学生的心理健康台帐（仅限被授权的人员；记入审计日志）"),
    /* issue 17: the 通报 (api_bulletins.c); who reads them is report/bulletin.c's */
    ROUTE("GET", "/api/v1/bulletins", bulletins_h, PERM_SUMMARY,
          "已印发的通报（文号、标题、成文日期），最新的在前"),
    ROUTE("GET", "/api/v1/bulletins/{id}", bulletin_h, PERM_SUMMARY,
          "一份通报及其内容；/api/v1/bulletins/3.pdf 或 ?format=pdf 下载按印发时内容生成的 PDF"),
    /* issue 17: 联席会议 and 约谈 (api_meeting.c); casework/meeting.c narrows each to the
     * account */
    ROUTE("GET", "/api/v1/meetings", meetings_h, PERM_SESSION,
          "联席会议（部门：有本部门事项的会议）"),
    ROUTE("GET", "/api/v1/meetings/{id}", meeting_h, PERM_SESSION,
          "一次联席会议：参会部门、议定事项、进展和检查结果（部门：本部门的事项）"),
    ROUTE("GET", "/api/v1/decisions", decisions_h, PERM_SESSION,
          "议定事项（部门：本部门的），未办结的在前"),
    ROUTE("GET", "/api/v1/interviews", interviews_h, PERM_SESSION, "约谈（乡镇、学校：本单位的）"),
    ROUTE("GET", "/api/v1/interviews/{id}", interview_h, PERM_SESSION,
          "一次约谈：承诺及期限、回访"),
};
const size_t api_routes_count = ARRAY_SIZE(api_routes);
