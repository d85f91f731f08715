/* A case closed (销号, with an approver who did not handle it) and reopened. */
#include "casework/case.h"
#include "casework/case_impl.h"

#include "casework/event.h"
#include "casework/people.h"
#include "core/date.h"
#include "core/view.h"
#include "domain/runstatus.h"
#include "store/store.h"
#include "domain/user.h"
#include "util/common.h"
#include "util/fieldtext.h"

/*
 * The kinds of event that mean an account handled the case: verified the child, persuaded,
 * took a legal step, recorded the outcome or a follow-up, issued a notice. Assigning (which a
 * cross-check does by itself) and reopening are not handling.
 */
#define HANDLED_KINDS                                                                              \
    "('verified', 'outreach', 'case_opened', 'reason', 'attempt', 'correction', 'ladder',"         \
    " 'resolved', 'follow_up', 'notice')"

/*
 * The account that approves a 销号: it exists, is enabled, may approve (a county or admin
 * account: PERM_APPROVE) and did not handle the case (separation of duties). *id its id.
 */
static int approver_check(struct store *s, const struct case_row *c, const char *approver,
                          int64_t *id, struct outcome *o)
{
    if (case_blank(approver))
        return failed_at(o, OUT_INVALID, "approver",
                         "缺少审批人：销号须由县教育局的账号审批，请写明审批的账号");
    struct user u;
    int rc = user_get(s, approver, &u);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0 || u.disabled)
        return failed_at(o, OUT_INVALID, "approver", "审批人“%s”%s：销号须由县教育局的账号审批",
                         approver, rc == 0 ? "不是本系统的账号" : "的账号已停用");
    if (!role_has(u.role, PERM_APPROVE))
        return failed_at(o, OUT_INVALID, "approver",
                         "“%s”是%s账号，不能审批销号：销号须由县教育局（或系统管理员）的账号审批",
                         approver, role_label(u.role));
    char cnum[24], tnum[24];
    snprintf(cnum, sizeof(cnum), "%lld", (long long)c->id);
    snprintf(tnum, sizeof(tnum), "%lld", (long long)c->task);
    const char *p[] = {cnum, tnum, u.name};
    int64_t handled = 0;
    if (store_int(s,
                  "SELECT count(*) FROM event WHERE (case_id = $1 OR task_id = $2) AND actor = $3"
                  " AND kind IN " HANDLED_KINDS,
                  3, p, &handled) < 0)
        return fail_store(s, o);
    if (handled)
        return failed_at(o, OUT_INVALID, "approver",
                         "“%s”经办过这个案件（核查、劝返、回访等记录由其录入），不能审批它的销号："
                         "须由未经办的县教育局账号审批",
                         approver);
    *id = u.id;
    return 0;
}

int case_approver_describe(struct store *s, int64_t person, int64_t account, struct buf *out)
{
    if (!account)
        return people_describe(s, person, out);
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)account);
    struct stmt *q = store_prepare(s, "SELECT name, role FROM app_user WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, account);
    int rc = stmt_step(q);
    if (rc == 1) {
        int role = role_parse(stmt_text(q, 1));
        buf_addf(out, "账号 %s（%s）", stmt_text(q, 0), role >= 0 ? role_label(role) : "");
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int case_close(struct store *s, int64_t case_id, const char *approver, const char *reason,
               const char *date, const char *actor, struct buf *msg, struct outcome *o)
{
    const struct text_field typed[] = {
        {"销号理由", reason, TEXT_NOTE, "reason"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    struct case_row c;
    if (case_load(s, case_id, &c, o) < 0 || case_must_be(&c, "returned", "销号", o) < 0)
        return -1;
    if (case_blank(reason))
        return failed_at(o, OUT_INVALID, "reason", "缺少销号理由");
    int on;
    if (casework_date("销号日期", "date", date, c.outcome_on, &on, o) < 0)
        return -1;
    int64_t by = 0;
    if (approver_check(s, &c, approver, &by, o) < 0)
        return -1;
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    int *dates = NULL;
    size_t n = 0;
    int rc = case_row_followup_dates(s, &c, &dates, &n);
    if (rc == 0 && followup_close_check(&cs, c.outcome_on, dates, n, o) < 0)
        rc = -2;
    free(dates);
    casework_settings_release(&cs);
    if (rc == -1)
        return fail_store(s, o);
    if (rc == -2)
        return -1;
    char day[11], num[24], who[24];
    date_format(on, day);
    snprintf(num, sizeof(num), "%lld", (long long)case_id);
    snprintf(who, sizeof(who), "%lld", (long long)by);
    const char *p[] = {num, day, who, reason};
    if (store_begin(s) < 0)
        return fail_store(s, o);
    rc = store_run(s,
                   "UPDATE case_file SET state = 'closed', closed_on = $2, closed_by_user = $3,"
                   " close_reason = $4 WHERE id = $1",
                   4, p);
    struct buf t = BUF_INIT;
    buf_adds(&t, "销号，审批人 ");
    case_approver_describe(s, 0, by, &t);
    buf_addf(&t, "；理由：%s", reason);
    if (rc == 0)
        rc = event_add(s, c.child, 0, case_id, "closed", on, actor, t.buf);
    buf_release(&t);
    if (rc < 0 || case_finish(s, actor, "case_close", case_id, NULL) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "案件 %lld 已销号。如以后的比对发现该儿童不在校，案件将自动重新打开",
             (long long)case_id);
    return 0;
}

int case_reopen(struct store *s, int64_t case_id, const char *reason, const char *actor,
                struct buf *msg, struct outcome *o)
{
    const struct text_field typed[] = {
        {"重新打开的原因", reason, TEXT_NOTE, "reason"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    struct case_row c;
    if (case_load(s, case_id, &c, o) < 0)
        return -1;
    if (!strcmp(c.state, "open"))
        return failed(o, OUT_INVALID, "案件 %lld 正在劝返中，无需重新打开", (long long)case_id);
    if (case_blank(reason))
        return failed_at(o, OUT_INVALID, "reason", "缺少重新打开的原因");
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    int today = date_today();
    char day[11], due[11], num[24];
    date_format(today, day);
    date_format(deadline_days(&cs.holidays, today, cs.first_visit_days), due);
    casework_settings_release(&cs);
    snprintf(num, sizeof(num), "%lld", (long long)case_id);
    const char *p[] = {num, day, due};
    if (store_begin(s) < 0)
        return fail_store(s, o);
    int rc = store_run(s,
                       "UPDATE case_file SET state = 'open', reopened = reopened + 1,"
                       " active_since = $2, first_visit_due = $3 WHERE id = $1",
                       3, p);
    struct buf t = BUF_INIT;
    buf_addf(&t, "案件 %lld 重新打开：%s；须在 %s 前走访", (long long)case_id, reason, due);
    if (rc == 0)
        rc = event_add(s, c.child, 0, case_id, "reopened", today, actor, t.buf);
    buf_release(&t);
    if (rc < 0 || case_finish(s, actor, "case_reopen", case_id, NULL) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "案件 %lld 已重新打开，须在 %s 前走访", (long long)case_id, due);
    return 0;
}
