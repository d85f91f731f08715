/*
 * The departments' duty checks a joint meeting's decision carries (casework/meeting.h): 人社's
 * 未成年人务工 checks and 文旅's 网吧/歌舞厅 inspections, with the minors found. A minor named by
 * an ID of the latest register is linked to casework's child (child_key, as the wellbeing
 * ledgers link a pupil: casework/wellbeing.h), so that the county sees it on the child's record;
 * the department that recorded it reads back what it wrote, never the child's record.
 */
#include "casework/casework.h"
#include "casework/event.h"
#include "casework/meeting.h"
#include "casework/meeting_impl.h"
#include "casework/wellbeing.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/words.h"
#include "domain/department.h"
#include "domain/run.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

#define MAX_MINORS 50

struct minor {
    char name[64];
    char id[19]; /* normalised, "" when none given or unusable */
    int64_t record_id, child_id;
};

/* One line "姓名 身份证号" (or "姓名，身份证号"; the ID may be missing). */
static int parse_minor(char *line, struct minor *m, struct outcome *o)
{
    memset(m, 0, sizeof(*m));
    char *sep = NULL;
    static const char *const seps[] = {" ", "\t", "，", ",", "、", "：", ":"};
    for (size_t k = 0; k < ARRAY_SIZE(seps) && !sep; k++)
        sep = strstr(line, seps[k]);
    const char *idtext = NULL;
    if (sep) {
        size_t skip = (unsigned char)*sep < 0x80 ? 1 : 3;
        *sep = '\0';
        idtext = sep + skip;
        while (*idtext == ' ')
            idtext++;
    }
    if (mt_text("未成年人姓名", "minors", line, 20, true, o) < 0)
        return -1;
    snprintf(m->name, sizeof(m->name), "%s", line);
    if (idtext && *idtext) {
        struct resident_id rid;
        if (id_normalize(idtext, strlen(idtext), &rid) < 0 || !rid.id[0])
            return failed_at(o, OUT_INVALID, "minors", "%s的身份证号“%s”不是有效的身份证号",
                             m->name, idtext);
        snprintf(m->id, sizeof(m->id), "%s", rid.id);
    }
    return 0;
}

/* The register's record of the latest cross-check with ID `id` (0 when none). */
static int find_record(struct store *s, const char *id, int64_t *record_id)
{
    *record_id = 0;
    struct run_info ri;
    struct outcome none = OUTCOME_INIT;
    int rc = run_info_load(s, 0, &ri, &none);
    outcome_release(&none);
    if (rc < 0)
        return 0; /* no cross-check yet: nobody to link */
    struct stmt *q = store_prepare(s, "SELECT id FROM record WHERE batch_id = $1"
                                      " AND id_number = $2 ORDER BY id LIMIT 1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, ri.population_batch);
    stmt_bind_str(q, 2, id);
    rc = stmt_step(q);
    if (rc == 1)
        *record_id = stmt_int(q, 0);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int duty_check_add(struct store *s, const struct scope *sc, int64_t decision_id,
                   const struct duty_check_input *in, const char *actor, int64_t *id,
                   struct buf *msg, struct outcome *o)
{
    struct mt_decision d;
    if (mt_decision_reach(s, sc, decision_id, &d,
                          "检查结果由责任部门或县教育局登记，您的账号只能查看", o) < 0)
        return -1;
    if (!*d.duty)
        return failed(o, OUT_INVALID,
                      "议定事项 %lld 不是部门职责检查事项（未成年人务工检查、网吧/歌舞厅检查），"
                      "请用“报告进展”记录办理情况",
                      (long long)decision_id);
    int on;
    if (casework_date("检查日期", "date", in->date, date_or_zero(d.meeting_date), &on, o) < 0 ||
        mt_text("检查场所", "places", in->places, 500, true, o) < 0 ||
        mt_text("处理结果", "result", in->result, 1000, true, o) < 0)
        return -1;
    long found = 0;
    if (!mt_blank(in->minors_found)) {
        char *end;
        found = strtol(in->minors_found, &end, 10);
        if (*end || found < 0 || found > 10000)
            return failed_at(o, OUT_INVALID, "minors_found", "发现未成年人数应为 0 或正整数");
    }
    struct minor *m = xcalloc(MAX_MINORS, sizeof(*m));
    size_t n = 0;
    char *text = xstrdup(in->minors ? in->minors : "");
    int rc = 0;
    for (char *line = text, *next; line && rc == 0; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        while (*line == ' ' || *line == '\r')
            line++;
        size_t len = strlen(line);
        while (len && (line[len - 1] == ' ' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!*line)
            continue;
        if (n == MAX_MINORS)
            rc = failed_at(o, OUT_INVALID, "minors", "一次最多登记 %d 名未成年人", MAX_MINORS);
        else
            rc = parse_minor(line, &m[n++], o);
    }
    free(text);
    if (rc == 0 && mt_blank(in->minors_found))
        found = (long)n;
    if (rc == 0 && (size_t)found < n)
        rc = failed_at(o, OUT_INVALID, "minors_found",
                       "发现未成年人数（%ld）少于登记的未成年人（%zu 名）", found, n);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (m[i].id[0] && find_record(s, m[i].id, &m[i].record_id) < 0)
            rc = fail_store(s, o);
    if (rc < 0) {
        free(m);
        return -1;
    }
    char day[11], now[32], num[24];
    date_format(on, day);
    date_now_text(now, sizeof(now));
    snprintf(num, sizeof(num), "%ld", found);
    if (store_begin(s) < 0) {
        free(m);
        return fail_store(s, o);
    }
    *id = 0;
    struct stmt *q = store_prepare(s, "INSERT INTO duty_check (decision_id, kind, on_date, places,"
                                      " minors_found, result, logged_by, logged_at)"
                                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id");
    if (q) {
        stmt_bind_int(q, 1, decision_id);
        stmt_bind_str(q, 2, d.duty);
        stmt_bind_str(q, 3, day);
        stmt_bind_str(q, 4, in->places);
        stmt_bind_int(q, 5, found);
        stmt_bind_str(q, 6, in->result);
        stmt_bind_str(q, 7, actor && *actor ? actor : "unknown");
        stmt_bind_str(q, 8, now);
        *id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    rc = *id > 0 ? 0 : -1;
    /* a check recorded: the decision is under way */
    char did[24];
    snprintf(did, sizeof(did), "%lld", (long long)decision_id);
    const char *dp[] = {did};
    if (rc == 0)
        rc = store_run(s,
                       "UPDATE meeting_decision SET state = 'doing'"
                       " WHERE id = CAST($1 AS BIGINT) AND state = 'todo'",
                       1, dp);
    size_t linked = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (m[i].record_id) {
            struct wb_child c;
            struct outcome none = OUTCOME_INIT;
            if (wb_child_load(s, m[i].record_id, &c, &none) == 1)
                m[i].child_id = wb_child_make(s, &c);
            outcome_release(&none);
            if (m[i].child_id < 0)
                m[i].child_id = 0;
        }
        q = store_prepare(s, "INSERT INTO duty_minor (check_id, name, id_number, child_id,"
                             " record_id) VALUES ($1, $2, $3, $4, $5)");
        if (!q) {
            rc = -1;
            break;
        }
        stmt_bind_int(q, 1, *id);
        stmt_bind_str(q, 2, m[i].name);
        stmt_bind_str(q, 3, m[i].id[0] ? m[i].id : NULL);
        if (m[i].child_id)
            stmt_bind_int(q, 4, m[i].child_id);
        else
            stmt_bind_str(q, 4, NULL);
        if (m[i].child_id)
            stmt_bind_int(q, 5, m[i].record_id);
        else
            stmt_bind_str(q, 5, NULL);
        rc = stmt_step(q) < 0 ? -1 : 0;
        stmt_finalize(q);
        if (rc == 0 && m[i].child_id) {
            linked++;
            char target[AUDIT_TARGET_SIZE];
            audit_target(target, OBJ_RECORD, m[i].record_id);
            rc = audit_record(s, actor, sc ? sc->origin : NULL, "duty_check", target,
                              "部门检查发现的未成年人与儿童记录对应");
            /* on the child's timeline (the county's child file; a department reads none) */
            const struct department *dep = department_find(d.department);
            struct buf ev = BUF_INIT;
            buf_addf(&ev, "%s%s发现：%s；%s", dep ? dep->name : "",
                     vocab_label(&duty_kinds, d.duty), in->places, in->result);
            if (rc == 0)
                rc = event_add(s, m[i].child_id, 0, 0, "duty_check", on,
                               actor && *actor ? actor : "unknown", ev.buf);
            buf_release(&ev);
        }
    }
    free(m);
    char detail[128];
    snprintf(detail, sizeof(detail), "议定事项 %lld：%s（发现未成年人 %ld 名）",
             (long long)decision_id, vocab_label(&duty_kinds, d.duty), found);
    char dtarget[AUDIT_TARGET_SIZE];
    audit_target(dtarget, OBJ_DECISION, decision_id);
    if (rc < 0 ||
        audit_record(s, actor, sc ? sc->origin : NULL, "duty_check", dtarget, detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已登记%s（%s，%s）：发现未成年人 %ld 名", vocab_label(&duty_kinds, d.duty), day,
             in->places, found);
    if (n)
        buf_addf(msg, "，登记姓名 %zu 名", n);
    /* whether a named minor is a child of the register is the county's to see, not the
     * department's: only the county's message says it */
    if (linked && (!sc || sc->role == ROLE_COUNTY || sc->role == ROLE_ADMIN))
        buf_addf(msg, "，其中 %zu 名已与儿童记录对应", linked);
    return 0;
}
