#include "casework/event.h"

#include "core/date.h"
#include "core/words.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/utf8.h"

static const struct word kind_words[] = {
    {"task_opened", "疑似失学", NULL, 0, TONE_BAD},
    {"assigned", "指派", NULL, 0, TONE_INFO},
    {"verified", "核查结论", NULL, 0, TONE_INFO},
    {"outreach", "外联保学", NULL, 0, TONE_WARN},
    {"claim_flagged", "结论存疑", NULL, 0, TONE_WARN},
    {"case_opened", "立案", NULL, 0, TONE_BAD},
    {"reason", "辍学原因", NULL, 0, TONE_INFO},
    {"attempt", "劝返", NULL, 0, TONE_INFO},
    {"correction", "更正", NULL, 0, TONE_WARN},
    {"ladder", "依法控辍", NULL, 0, TONE_WARN},
    {"resolved", "劝返结果", NULL, 0, TONE_OK},
    {"follow_up", "回访", NULL, 0, TONE_INFO},
    {"closed", "销号", NULL, 0, TONE_MUTED},
    {"reopened", "重新打开", NULL, 0, TONE_BAD},
    {"found_enrolled", "比对在校", NULL, 0, TONE_OK},
    {"claim_cleared", "存疑解除", NULL, 0, TONE_OK},
    {"notice", "通知书", NULL, 0, TONE_INFO},
    {"placement", "安置方式", NULL, 0, TONE_INFO},
    {"send_visit", "送教上门", NULL, 0, TONE_OK},
    {"care", "关爱联系", NULL, 0, TONE_OK}, /* a left-behind child's (casework/care.c) */
    {"pairing", "结对", NULL, 0,
     TONE_INFO}, /* a teacher paired with a child (casework/pairing.c) */
    /* issue 17: a department's duty check found the child (casework/meeting_duty.c) */
    {"duty_check", "部门检查发现", NULL, 0, TONE_WARN},
};
const struct vocab event_kinds = {"经办事项", kind_words, ARRAY_SIZE(kind_words)};

const char *event_kind_label(const char *kind)
{
    const struct word *w = vocab_find(&event_kinds, kind);
    return w ? w->label : kind;
}

int event_add(struct store *s, int64_t child_id, int64_t task_id, int64_t case_id, const char *kind,
              int on_date, const char *actor, const char *text)
{
    char day[11], now[32];
    date_format(on_date, day);
    date_now_text(now, sizeof(now));
    struct stmt *q = store_prepare(s, "INSERT INTO event (child_id, task_id, case_id, kind,"
                                      " on_date, at, actor, text)"
                                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child_id);
    if (task_id)
        stmt_bind_int(q, 2, task_id);
    else
        stmt_bind_null(q, 2);
    if (case_id)
        stmt_bind_int(q, 3, case_id);
    else
        stmt_bind_null(q, 3);
    stmt_bind_str(q, 4, kind);
    stmt_bind_str(q, 5, day);
    stmt_bind_str(q, 6, now);
    stmt_bind_str(q, 7, actor && *actor ? actor : "unknown");
    stmt_bind_str(q, 8, text);
    int rc = stmt_step(q);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int timeline_load(struct store *s, int64_t child_id, struct timeline *tl)
{
    struct stmt *q = store_prepare(s, "SELECT on_date, at, actor, kind, coalesce(task_id, 0),"
                                      " coalesce(case_id, 0), text, " ACTOR_NAME_SQL(
                                          "actor") " FROM event"
                                                   " WHERE child_id = $1 ORDER BY on_date, id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child_id);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(tl->e, tl->n + 1, tl->alloc);
        struct timeline_entry *e = &tl->e[tl->n++];
        snprintf(e->on_date, sizeof(e->on_date), "%s", stmt_text(q, 0));
        snprintf(e->at, sizeof(e->at), "%s", stmt_text(q, 1));
        snprintf(e->actor, sizeof(e->actor), "%s", stmt_text(q, 2));
        snprintf(e->kind, sizeof(e->kind), "%s", stmt_text(q, 3));
        e->task_id = stmt_int(q, 4);
        e->case_id = stmt_int(q, 5);
        e->text = xstrdup(stmt_text(q, 6));
        snprintf(e->actor_name, sizeof(e->actor_name), "%s", stmt_text(q, 7));
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

void timeline_release(struct timeline *tl)
{
    for (size_t i = 0; i < tl->n; i++)
        free(tl->e[i].text);
    free(tl->e);
    tl->e = NULL;
    tl->n = tl->alloc = 0;
}

void timeline_render(const struct timeline *tl, struct buf *out)
{
    buf_adds(out, "经办时间线：\n");
    if (!tl->n) {
        buf_adds(out, "  （暂无记录）\n");
        return;
    }
    for (size_t i = 0; i < tl->n; i++) {
        const struct timeline_entry *e = &tl->e[i];
        const char *label = event_kind_label(e->kind);
        size_t w = utf8_width(label, strlen(label));
        buf_addf(out, "  %s  %s", e->on_date, label);
        buf_addchars(out, ' ', w < 10 ? 10 - w : 1);
        /* the minute it was typed is enough to tell a late entry from one made that day */
        buf_addf(out, "%s（记录人 %s，录入于 %.16s）\n", e->text,
                 e->actor_name[0] ? e->actor_name : e->actor, e->at);
    }
}
