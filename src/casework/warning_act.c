/* People act on an early warning: contact, resolve, escalate (warning.h). */
#include "casework/warning.h"

#include <string.h>

#include "casework/casework.h"
#include "casework/warning_impl.h"
#include "core/date.h"
#include "core/words.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/utf8.h"

const char *warning_effective(const char *state, const char *escalated_to, const char *deadline,
                              const char *township_due, int today, const char **to)
{
    *to = "";
    if (!strcmp(state, "escalated")) {
        *to = escalated_to && *escalated_to ? escalated_to : "township";
        return state;
    }
    if (strcmp(state, "new"))
        return state;
    int town = date_or_zero(township_due), head = date_or_zero(deadline);
    if (town && today > town)
        *to = "township";
    else if (head && today > head)
        *to = "head";
    return **to ? "escalated" : state;
}

/* The warning `id` as the scope may act on it. */
static int load(struct store *s, const struct scope *sc, int64_t id, struct wrow *t,
                struct outcome *o)
{
    int rc = warning_row(s, id, date_today(), t);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0) /* the same words as for one out of reach: nothing tells them apart */
        return failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的考勤预警，或不在您的管辖范围内",
                      (long long)id);
    if (!sc || sc->role == ROLE_ADMIN || sc->role == ROLE_COUNTY)
        return 0;
    if (sc->role == ROLE_SCHOOL && sc->school && !strcmp(sc->school, t->school))
        return 0;
    /* a township answers the warnings passed to it, of children it registers */
    if (sc->role == ROLE_TOWNSHIP && sc->township && !strcmp(sc->township, t->tcode)) {
        if (!strcmp(t->eto, "township") || !strcmp(t->state, "resolved"))
            return 0; /* (a resolved one: act says so) */
        return failed(o, OUT_FORBIDDEN,
                      "这条考勤预警还由学校处理（未上报乡镇），乡镇在学校上报或逾期未处理后处置");
    }
    if (sc->role == ROLE_SUPERVISOR)
        return failed(o, OUT_FORBIDDEN, "督导账号只能查看考勤预警，不能处置");
    return failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的考勤预警，或不在您的管辖范围内",
                  (long long)id);
}

static int act(struct store *s, const struct scope *sc, int64_t id, const struct warning_input *in,
               const char *actor, const char *action, struct buf *msg, struct outcome *o)
{
    struct wrow t;
    if (load(s, sc, id, &t, o) < 0)
        return -1;
    bool resolve = !strcmp(action, "resolve"), escalate = !strcmp(action, "escalate");
    if (!strcmp(t.state, "resolved"))
        return failed(o, OUT_INVALID, "这条考勤预警已于此前解除；学生再次旷课时会重新打开");
    if (escalate && !strcmp(t.state, "escalated") && !strcmp(t.to, "township"))
        return failed(o, OUT_INVALID, "这条考勤预警已上报乡镇");
    if (escalate && sc && sc->role == ROLE_TOWNSHIP)
        return failed(o, OUT_FORBIDDEN, "乡镇不能再上报；请核查并记录结果，或联系县教育局");
    if (!in->outcome || !*in->outcome)
        return failed_at(o, OUT_INVALID, "outcome",
                         resolve ? "请写明解除的理由（如：已返校上课、补交病假证明）"
                         : escalate ? "请写明上报乡镇的原因（如：家长拒不送学、无法联系）"
                                    : "请写明联系的结果（家长怎么说、何时返校）");
    if (utf8_count(in->outcome, strlen(in->outcome)) > 500)
        return failed_at(o, OUT_INVALID, "outcome", "结果最多 500 字");
    int on;
    if (casework_date("日期", "on", in->on, 0, &on, o) < 0)
        return -1;
    char day[11];
    date_format(on, day);
    const char *person = in->person && *in->person ? in->person : actor;
    if (utf8_count(person, strlen(person)) > 40)
        return failed_at(o, OUT_INVALID, "person", "联系人最多 40 字");
    char idt[24];
    snprintf(idt, sizeof(idt), "%lld", (long long)id);
    const char *args[] = {idt, day, person, in->outcome};
    const char *sql =
        resolve ? "UPDATE warning SET state = 'resolved', resolved_on = $2,"
                  " person = coalesce(person, $3), outcome = $4 WHERE id = CAST($1 AS BIGINT)"
        : escalate
            ? "UPDATE warning SET state = 'escalated', escalated_to = 'township', person = $3,"
              " outcome = $4, contacted_on = coalesce(contacted_on, $2)"
              " WHERE id = CAST($1 AS BIGINT)"
            : "UPDATE warning SET state = CASE WHEN state = 'escalated' THEN state"
              " ELSE 'contacted' END, contacted_on = $2, person = $3, outcome = $4"
              " WHERE id = CAST($1 AS BIGINT)";
    struct buf text = BUF_INIT;
    buf_addf(&text, "%s：%s（%s）",
             resolve    ? "解除"
             : escalate ? "上报乡镇"
                        : "联系家长",
             in->outcome, person);
    char now[32], target[AUDIT_TARGET_SIZE];
    date_now_text(now, sizeof(now));
    audit_target(target, OBJ_RECORD, t.record);
    if (store_begin(s) < 0) {
        buf_release(&text);
        return fail_store(s, o);
    }
    int rc = store_run(s, sql, 4, args);
    if (rc == 0)
        rc = warning_event_add(s, id, day, action, text.buf, actor && *actor ? actor : "unknown",
                               now);
    char detail[256];
    snprintf(detail, sizeof(detail), "考勤预警 %lld：%s", (long long)id,
             resolve    ? "解除"
             : escalate ? "上报乡镇"
                        : "记录联系家长");
    if (rc < 0 ||
        audit_record(s, actor, sc ? sc->origin : "cli", "warning_update", t.record ? target : NULL,
                     detail) < 0 ||
        store_commit(s) < 0) {
        buf_release(&text);
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_release(&text);
    buf_addf(msg, "考勤预警 %lld（%s）%s", (long long)id, t.name,
             resolve    ? "已解除"
             : escalate ? "已上报乡镇"
                        : "已记录联系家长");
    return 0;
}

int warning_contact(struct store *s, const struct scope *sc, int64_t id,
                    const struct warning_input *in, const char *actor, struct buf *msg,
                    struct outcome *o)
{
    return act(s, sc, id, in, actor, "contact", msg, o);
}

int warning_resolve(struct store *s, const struct scope *sc, int64_t id,
                    const struct warning_input *in, const char *actor, struct buf *msg,
                    struct outcome *o)
{
    return act(s, sc, id, in, actor, "resolve", msg, o);
}

int warning_escalate(struct store *s, const struct scope *sc, int64_t id,
                     const struct warning_input *in, const char *actor, struct buf *msg,
                     struct outcome *o)
{
    return act(s, sc, id, in, actor, "escalate", msg, o);
}
