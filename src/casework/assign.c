/* Assignment: who answers for a task or a case, by hand (casework_assign). */
#include "casework/casework.h"
#include "casework/casework_impl.h"

#include "casework/event.h"
#include "casework/people.h"
#include "core/words.h"
#include "core/date.h"
#include "core/view.h"
#include "store/audit.h"
#include "domain/match.h"
#include "store/store.h"
#include "util/common.h"
#include "util/fieldtext.h"

/*
 * A township's or village's work goes to people of that township: 1 when person `id` belongs
 * to a township other than `town` (the object's), 0 when to the same, to none (county staff)
 * or the object has none, -1 on a store error. A pairing teacher may teach elsewhere.
 */
static int other_township(struct store *s, int64_t id, const char *town)
{
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)id);
    const char *p[] = {num, town};
    int64_t other = 0;
    if (!*town)
        return 0;
    if (store_int(s,
                  "SELECT count(*) FROM person WHERE id = $1 AND township_code IS NOT NULL"
                  " AND township_code <> '' AND township_code <> $2",
                  2, p, &other) < 0)
        return -1;
    return other ? 1 : 0;
}

int casework_assign(struct store *s, int64_t task_id, int64_t case_id,
                    const struct assign_input *in, const char *actor, struct buf *msg,
                    struct outcome *o)
{
    const char *given[] = {in->township, in->village, in->teacher};
    static const char *const roles[] = {"township", "village", "teacher"};
    if (!given[0] && !given[1] && !given[2])
        return failed(o, OUT_INVALID,
                      "没有要指派的人：请给出乡镇包保干部、村干部或结对教师（人员名册中的编号"
                      "或姓名）");
    if (text_check("指派原因", in->reason, TEXT_NOTE, o) < 0) {
        o->field = "reason";
        return -1;
    }
    int rc = 0;
    int64_t child = 0;
    char state[16] = "", town[10] = "";
    struct stmt *q = store_prepare(
        s, case_id ? "SELECT child_id, state, coalesce(township_code, '') FROM case_file"
                     " WHERE id = $1"
                   : "SELECT child_id, state, coalesce(township_code, '') FROM verify_task"
                     " WHERE id = $1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, case_id ? case_id : task_id);
    if ((rc = stmt_step(q)) == 1) {
        child = stmt_int(q, 0);
        snprintf(state, sizeof(state), "%s", stmt_text(q, 1));
        snprintf(town, sizeof(town), "%s", stmt_text(q, 2));
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (!child)
        return failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的%s",
                      (long long)(case_id ? case_id : task_id), case_id ? "案件" : "核查任务");
    if (!strcmp(state, "closed"))
        return failed(o, OUT_INVALID, "%s %lld 已%s，不能再指派", case_id ? "案件" : "核查任务",
                      (long long)(case_id ? case_id : task_id), case_id ? "销号" : "办结");
    int64_t person[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (!given[i])
            continue;
        if (people_resolve(s, vocab_label(&assignee_roles, roles[i]), roles[i], given[i],
                           &person[i], o) < 0)
            return -1;
        if (i < 2 && (rc = other_township(s, person[i], town)) != 0) {
            if (rc < 0)
                return fail_store(s, o);
            struct buf who = BUF_INIT;
            people_describe(s, person[i], &who);
            failed_at(o, OUT_INVALID, roles[i],
                      "“%s”是另一个乡镇的人员，不能指派为这项%s的%s：请从本乡镇的人员中选择",
                      who.buf, case_id ? "案件" : "核查任务",
                      vocab_label(&assignee_roles, roles[i]));
            buf_release(&who);
            return -1;
        }
    }
    rc = 0;
    int today = date_today();
    struct buf t = BUF_INIT;
    if (store_begin(s) < 0)
        return fail_store(s, o);
    int changed = 0;
    for (int i = 0; i < 3 && rc >= 0; i++) {
        if (!person[i])
            continue;
        int64_t cur = 0;
        struct stmt *c = store_prepare(
            s, case_id ? "SELECT person_id FROM assignment WHERE case_id = $1 AND role = $2"
                         " ORDER BY id DESC LIMIT 1"
                       : "SELECT person_id FROM assignment WHERE task_id = $1 AND role = $2"
                         " ORDER BY id DESC LIMIT 1");
        if (!c) {
            rc = -1;
            break;
        }
        stmt_bind_int(c, 1, case_id ? case_id : task_id);
        stmt_bind_str(c, 2, roles[i]);
        cur = stmt_step(c) == 1 ? stmt_int(c, 0) : 0;
        stmt_finalize(c);
        if (cur == person[i])
            continue;
        changed++;
        if (casework_assign_one(s, case_id ? 0 : task_id, case_id, roles[i], person[i], today,
                                actor, in->reason) < 0) {
            rc = -1;
            break;
        }
        buf_reset(&t);
        buf_addf(&t, "%s%s：", cur ? "改派" : "指派", vocab_label(&assignee_roles, roles[i]));
        if (cur) {
            buf_adds(&t, "由 ");
            people_describe(s, cur, &t);
            buf_adds(&t, " 改为 ");
        }
        people_describe(s, person[i], &t);
        if (in->reason && *in->reason)
            buf_addf(&t, "；原因：%s", in->reason);
        rc = event_add(s, child, case_id ? 0 : task_id, case_id, "assigned", today, actor, t.buf);
    }
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, case_id ? OBJ_CASE : OBJ_TASK, case_id ? case_id : task_id);
    if (rc < 0 || audit_record(s, actor, NULL, "assign", target, NULL) < 0 || store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        buf_release(&t);
        return -1;
    }
    buf_release(&t);
    buf_addf(msg, "%s %lld：", case_id ? "案件" : "核查任务",
             (long long)(case_id ? case_id : task_id));
    if (changed) {
        buf_adds(msg, "现责任人 ");
        casework_assignees(s, task_id, case_id, msg);
        buf_adds(msg, "（原指派保留在历史中）");
    } else {
        buf_adds(msg, "责任人未变（与现指派相同）");
    }
    return 0;
}
