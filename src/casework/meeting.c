/*
 * 联席会议 (casework/meeting.h): meetings, the departments present, their decisions and the
 * progress the departments report. The duty checks a decision carries are meeting_duty.c.
 */
#include "casework/meeting.h"

#include "casework/casework.h"
#include "casework/meeting_impl.h"
#include "core/date.h"
#include "core/deadline.h"
#include "core/words.h"
#include "domain/department.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/utf8.h"

static const struct word decision_words[] = {
    {"todo", "待办", "未开始", 0, TONE_NONE},
    {"doing", "进行中", "办理中|正在办理", 0, TONE_INFO},
    {"done", "已完成", "完成|办结|已办结", 0, TONE_OK},
    {"overdue", "逾期", "已逾期", 0, TONE_BAD},
};
const struct vocab decision_states = {"办理状态", decision_words, ARRAY_SIZE(decision_words)};

static const struct word duty_words[] = {
    {"child_labour", "未成年人务工检查", "未成年人务工|用工检查|劳动用工检查", 0, TONE_NONE},
    {"venue", "网吧/歌舞厅检查", "网吧检查|歌舞厅检查|网吧|歌舞厅|娱乐场所检查", 0, TONE_NONE},
};
const struct vocab duty_kinds = {"部门职责事项", duty_words, ARRAY_SIZE(duty_words)};

const char *decision_state(const char *stored, const char *deadline, int today)
{
    if (strcmp(stored, "done") && date_or_zero(deadline) && today > date_or_zero(deadline))
        return "overdue";
    return stored;
}

bool mt_blank(const char *s)
{
    return !s || !*s;
}

void mt_cut(char *out, size_t size, const char *text, size_t chars)
{
    size_t n = 0, i = 0, len = strlen(text);
    while (i < len && n < chars) {
        unsigned cp;
        size_t k = utf8_decode(text + i, len - i, &cp);
        k = k ? k : 1;
        if (i + k + 4 > size)
            break;
        i += k;
        n++;
    }
    snprintf(out, size, "%.*s%s", (int)i, text, i < len ? "…" : "");
}

int mt_deadline(const char *label, const char *field, const char *text, int not_before, int *ymd,
                struct outcome *o)
{
    if (mt_blank(text))
        return failed_at(o, OUT_INVALID, field, "请填写%s", label);
    if (date_parse(text, strlen(text), ymd) < 0)
        return failed_at(o, OUT_INVALID, field, "%s应写作 2026-12-31", label);
    if (not_before && *ymd < not_before) {
        char d[11];
        date_format(not_before, d);
        return failed_at(o, OUT_INVALID, field, "%s不能早于 %s", label, d);
    }
    return 0;
}

int mt_text(const char *label, const char *field, const char *text, size_t max, bool required,
            struct outcome *o)
{
    if (mt_blank(text))
        return required ? failed_at(o, OUT_INVALID, field, "请填写%s", label) : 0;
    if (utf8_count(text, strlen(text)) > max)
        return failed_at(o, OUT_INVALID, field, "%s最多 %zu 字", label, max);
    return 0;
}

/* The departments `text` names into keys (comma-joined, each once); -1 naming the unknown. */
static int parse_departments(const char *text, struct buf *keys, int *n, struct outcome *o)
{
    char *copy = xstrdup(text ? text : "");
    *n = 0;
    int rc = 0;
    for (char *p = copy; *p && rc == 0;) {
        size_t len = 0;
        static const char *const seps[] = {"、", "，", ",", " ", "\n", "；", ";", "\t"};
        size_t skip = 0;
        for (; p[len]; len++) {
            for (size_t k = 0; k < ARRAY_SIZE(seps); k++)
                if (!strncmp(p + len, seps[k], strlen(seps[k]))) {
                    skip = strlen(seps[k]);
                    break;
                }
            if (skip)
                break;
        }
        char save = p[len];
        p[len] = '\0';
        if (len) {
            const struct department *d = department_parse(p);
            if (!d) {
                struct buf names = BUF_INIT;
                department_names(&names);
                rc = failed_at(o, OUT_INVALID, "departments", "“%s”不是部门；部门有：%s", p,
                               names.buf);
                buf_release(&names);
            } else {
                char probe[64];
                snprintf(probe, sizeof(probe), ",%s,", d->key);
                struct buf wrapped = BUF_INIT;
                buf_addf(&wrapped, ",%s,", keys->buf ? keys->buf : "");
                if (!strstr(wrapped.buf, probe)) {
                    buf_addf(keys, "%s%s", keys->len ? "," : "", d->key);
                    (*n)++;
                }
                buf_release(&wrapped);
            }
        }
        p[len] = save;
        p += len + (save ? skip : 0);
    }
    free(copy);
    return rc;
}

static int refuse(enum outcome_kind k, struct outcome *o, const char *what)
{
    if (k == OUT_FORBIDDEN)
        return failed(o, OUT_FORBIDDEN, "%s", what);
    return failed(o, OUT_NOT_FOUND, "没有这项记录，或不在您的管辖范围内");
}

int meeting_add(struct store *s, const struct scope *sc, const struct meeting_input *in,
                const char *actor, int64_t *id, struct buf *msg, struct outcome *o)
{
    enum outcome_kind k = sc ? scope_meeting_allows(sc, NULL, ACT_WRITE) : OUT_OK;
    if (k != OUT_OK)
        return refuse(k, o, "联席会议由县教育局（或系统管理员）登记，您的账号只能查看");
    int on;
    if (casework_date("会议日期", "date", in->date, 0, &on, o) < 0 ||
        mt_text("会议名称", "title", in->title, 100, true, o) < 0 ||
        mt_text("主持人", "host", in->host, 40, false, o) < 0 ||
        mt_text("会议纪要", "notes", in->notes, 2000, false, o) < 0)
        return -1;
    struct buf keys = BUF_INIT;
    int n;
    if (parse_departments(in->departments, &keys, &n, o) < 0) {
        buf_release(&keys);
        return -1;
    }
    if (!n) {
        buf_release(&keys);
        return failed_at(o, OUT_INVALID, "departments", "请填写参会部门，如：公安、民政、人社");
    }
    char day[11], now[32];
    date_format(on, day);
    date_now_text(now, sizeof(now));
    if (store_begin(s) < 0) {
        buf_release(&keys);
        return fail_store(s, o);
    }
    *id = 0;
    struct stmt *q = store_prepare(s, "INSERT INTO meeting (on_date, title, host, notes,"
                                      " created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
                                      " RETURNING id");
    if (q) {
        stmt_bind_str(q, 1, day);
        stmt_bind_str(q, 2, in->title);
        stmt_bind_str(q, 3, mt_blank(in->host) ? NULL : in->host);
        stmt_bind_str(q, 4, mt_blank(in->notes) ? NULL : in->notes);
        stmt_bind_str(q, 5, actor && *actor ? actor : "unknown");
        stmt_bind_str(q, 6, now);
        *id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    int rc = *id > 0 ? 0 : -1;
    char mid[24];
    snprintf(mid, sizeof(mid), "%lld", (long long)*id);
    for (char *p = keys.buf; rc == 0 && p && *p;) {
        char *e = strchr(p, ',');
        if (e)
            *e = '\0';
        const char *args[] = {mid, p};
        rc = store_run(s,
                       "INSERT INTO meeting_department (meeting_id, department)"
                       " VALUES (CAST($1 AS BIGINT), $2)",
                       2, args);
        p = e ? e + 1 : NULL;
    }
    char detail[128], target[AUDIT_TARGET_SIZE];
    snprintf(detail, sizeof(detail), "联席会议 %lld（%s，%d 个部门）", (long long)*id, day, n);
    audit_target(target, OBJ_MEETING, *id);
    buf_release(&keys);
    if (rc < 0 ||
        audit_record(s, actor, sc ? sc->origin : NULL, "meeting_add", target, detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已登记联席会议 %lld（%s %s，%d 个部门参会）；请逐项登记议定事项", (long long)*id,
             day, in->title, n);
    return 0;
}

int mt_meeting_date(struct store *s, int64_t meeting_id, char day[11])
{
    struct stmt *q = store_prepare(s, "SELECT on_date FROM meeting WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, meeting_id);
    int rc = stmt_step(q);
    if (rc == 1)
        snprintf(day, 11, "%s", stmt_text(q, 0));
    stmt_finalize(q);
    return rc;
}

int meeting_decide(struct store *s, const struct scope *sc, int64_t meeting_id,
                   const struct decision_input *in, const char *actor, int64_t *id, struct buf *msg,
                   struct outcome *o)
{
    enum outcome_kind k = sc ? scope_meeting_allows(sc, NULL, ACT_WRITE) : OUT_OK;
    if (k != OUT_OK)
        return refuse(k, o, "议定事项由县教育局登记；部门账号报告本部门事项的进展");
    char day[11];
    int rc = mt_meeting_date(s, meeting_id, day);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0)
        return failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的联席会议", (long long)meeting_id);
    const struct department *d = department_parse(in->department);
    if (!d) {
        struct buf names = BUF_INIT;
        department_names(&names);
        failed_at(o, OUT_INVALID, "department", "请填写责任部门；部门有：%s", names.buf);
        buf_release(&names);
        return -1;
    }
    int due;
    if (mt_text("议定事项", "content", in->content, 500, true, o) < 0 ||
        mt_deadline("完成期限", "deadline", in->deadline, date_or_zero(day), &due, o) < 0)
        return -1;
    const char *duty = NULL;
    if (!mt_blank(in->duty)) {
        int di = vocab_parse(&duty_kinds, in->duty);
        if (di < 0)
            return casework_vocab_refused(o, "duty", NULL, &duty_kinds, in->duty);
        duty = duty_kinds.words[di].key;
    }
    char due_t[11], mid[24];
    date_format(due, due_t);
    snprintf(mid, sizeof(mid), "%lld", (long long)meeting_id);
    if (store_begin(s) < 0)
        return fail_store(s, o);
    *id = 0;
    struct stmt *q = store_prepare(s, "INSERT INTO meeting_decision (meeting_id, department,"
                                      " content, deadline, duty) VALUES ($1, $2, $3, $4, $5)"
                                      " RETURNING id");
    if (q) {
        stmt_bind_int(q, 1, meeting_id);
        stmt_bind_str(q, 2, d->key);
        stmt_bind_str(q, 3, in->content);
        stmt_bind_str(q, 4, due_t);
        stmt_bind_str(q, 5, duty);
        *id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    /* the owner was at the meeting, or is now counted as a party to it */
    const char *args[] = {mid, d->key};
    char detail[128], target[AUDIT_TARGET_SIZE];
    snprintf(detail, sizeof(detail), "联席会议 %lld 议定事项 %lld（%s）", (long long)meeting_id,
             (long long)*id, d->name);
    audit_target(target, OBJ_DECISION, *id);
    if (*id <= 0 ||
        store_run(s,
                  "INSERT INTO meeting_department (meeting_id, department)"
                  " VALUES (CAST($1 AS BIGINT), $2) ON CONFLICT DO NOTHING",
                  2, args) < 0 ||
        audit_record(s, actor, sc ? sc->origin : NULL, "meeting_decide", target, detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已登记议定事项 %lld：%s负责，%s 前完成", (long long)*id, d->title, due_t);
    return 0;
}

int mt_decision_load(struct store *s, int64_t id, struct mt_decision *d)
{
    memset(d, 0, sizeof(*d));
    struct stmt *q = store_prepare(s, "SELECT d.meeting_id, d.department, d.state, d.deadline,"
                                      " coalesce(d.duty, ''), m.on_date FROM meeting_decision d"
                                      " JOIN meeting m ON m.id = d.meeting_id WHERE d.id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    if (rc == 1) {
        d->id = id;
        d->meeting = stmt_int(q, 0);
        snprintf(d->department, sizeof(d->department), "%s", stmt_text(q, 1));
        snprintf(d->state, sizeof(d->state), "%s", stmt_text(q, 2));
        snprintf(d->deadline, sizeof(d->deadline), "%s", stmt_text(q, 3));
        snprintf(d->duty, sizeof(d->duty), "%s", stmt_text(q, 4));
        snprintf(d->meeting_date, sizeof(d->meeting_date), "%s", stmt_text(q, 5));
    }
    stmt_finalize(q);
    return rc;
}

int mt_decision_reach(struct store *s, const struct scope *sc, int64_t id, struct mt_decision *d,
                      const char *forbidden, struct outcome *o)
{
    int rc = mt_decision_load(s, id, d);
    if (rc < 0)
        return fail_store(s, o);
    enum outcome_kind k = rc == 0 ? OUT_NOT_FOUND
                          : sc    ? scope_meeting_allows(sc, d->department, ACT_FOLLOW_UP)
                                  : OUT_OK;
    if (k == OUT_NOT_FOUND)
        return failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的议定事项，或不是本部门的事项",
                      (long long)id);
    if (k != OUT_OK)
        return failed(o, OUT_FORBIDDEN, "%s", forbidden);
    return 0;
}

int decision_report(struct store *s, const struct scope *sc, int64_t decision_id,
                    const struct progress_input *in, const char *actor, struct buf *msg,
                    struct outcome *o)
{
    struct mt_decision d;
    if (mt_decision_reach(s, sc, decision_id, &d, "进展由责任部门或县教育局报告，您的账号只能查看",
                          o) < 0)
        return -1;
    int si = mt_blank(in->state) ? -1 : vocab_parse(&decision_states, in->state);
    if (si < 0 || !strcmp(decision_states.words[si].key, "overdue") ||
        !strcmp(decision_states.words[si].key, "todo"))
        return failed_at(o, OUT_INVALID, "state", "办理状态应填“进行中”或“已完成”");
    const char *state = decision_states.words[si].key;
    if (!strcmp(d.state, "done"))
        return failed_at(o, OUT_INVALID, "state", "这项议定事项已办结，不能再报告进展");
    int on;
    if (casework_date("日期", "date", in->date, date_or_zero(d.meeting_date), &on, o) < 0 ||
        mt_text("进展情况", "content", in->content, 1000, true, o) < 0 ||
        mt_text("报告人", "by", in->by, 40, false, o) < 0)
        return -1;
    char day[11], now[32], idt[24];
    date_format(on, day);
    date_now_text(now, sizeof(now));
    snprintf(idt, sizeof(idt), "%lld", (long long)decision_id);
    const char *who = actor && *actor ? actor : "unknown";
    const char *p[] = {idt, day, in->content, state, mt_blank(in->by) ? who : in->by, who, now};
    const char *u[] = {idt, state, day};
    char detail[128], target[AUDIT_TARGET_SIZE];
    snprintf(detail, sizeof(detail), "议定事项 %lld：%s", (long long)decision_id,
             decision_states.words[si].label);
    audit_target(target, OBJ_DECISION, decision_id);
    if (store_begin(s) < 0)
        return fail_store(s, o);
    if (store_run(s,
                  "INSERT INTO decision_progress (decision_id, on_date, content, state, by_whom,"
                  " logged_by, logged_at) VALUES (CAST($1 AS BIGINT), $2, $3, $4, $5, $6, $7)",
                  7, p) < 0 ||
        store_run(s,
                  "UPDATE meeting_decision SET state = $2,"
                  " done_on = CASE WHEN $2 = 'done' THEN $3 ELSE NULL END"
                  " WHERE id = CAST($1 AS BIGINT)",
                  3, u) < 0 ||
        audit_record(s, actor, sc ? sc->origin : NULL, "decision_progress", target, detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已报告议定事项 %lld 的进展（%s）", (long long)decision_id,
             decision_states.words[si].label);
    return 0;
}

int accountability_due_each(struct store *s, const struct accountability_reach *r,
                            void (*fn)(void *ctx, const struct accountability_due *d), void *ctx)
{
    int rc = 0;
    if (r->decisions) {
        struct stmt *q = store_prepare(
            s, "SELECT d.id, d.department, d.content, d.deadline, m.on_date FROM meeting_decision d"
               " JOIN meeting m ON m.id = d.meeting_id WHERE d.state <> 'done'"
               " AND (CAST($1 AS TEXT) IS NULL OR d.department = $1) ORDER BY d.deadline, d.id");
        if (!q)
            return -1;
        stmt_bind_str(q, 1, r->department);
        while ((rc = stmt_step(q)) == 1) {
            const struct department *dep = department_find(stmt_text(q, 1));
            char what[96], full[1024];
            snprintf(full, sizeof(full), "联席会议议定：%s", stmt_text(q, 2));
            mt_cut(what, sizeof(what), full, 30);
            struct accountability_due d = {"decision", stmt_int(q, 0),
                                           "",         dep ? dep->title : stmt_text(q, 1),
                                           what,       date_or_zero(stmt_text(q, 3))};
            fn(ctx, &d);
        }
        stmt_finalize(q);
        if (rc < 0)
            return -1;
    }
    if (r->commitments) {
        struct stmt *q = store_prepare(
            s, "SELECT c.id, i.unit_kind, i.unit_code, i.unit_name, i.person, c.content,"
               " c.deadline FROM interview_commitment c JOIN interview i ON i.id = c.interview_id"
               " WHERE c.state = 'open'"
               " AND (CAST($1 AS TEXT) IS NULL OR (i.unit_kind = 'township' AND i.unit_code = $1))"
               " AND (CAST($2 AS TEXT) IS NULL OR (i.unit_kind = 'school' AND i.unit_code = $2))"
               " ORDER BY c.deadline, c.id");
        if (!q)
            return -1;
        stmt_bind_str(q, 1, r->township);
        stmt_bind_str(q, 2, r->school);
        while ((rc = stmt_step(q)) == 1) {
            bool town = !strcmp(stmt_text(q, 1), "township");
            char what[96], full[1024];
            snprintf(full, sizeof(full), "约谈承诺（%s）：%s", stmt_text(q, 4), stmt_text(q, 5));
            mt_cut(what, sizeof(what), full, 30);
            struct accountability_due d = {
                "commitment",    stmt_int(q, 0), town ? stmt_text(q, 2) : "",
                stmt_text(q, 3), what,           date_or_zero(stmt_text(q, 6))};
            fn(ctx, &d);
        }
        stmt_finalize(q);
    }
    return rc < 0 ? -1 : 0;
}
