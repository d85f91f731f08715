/*
 * 约谈 (casework/meeting.h): an official of a township or a school interviewed by the county,
 * the commitments made and the follow-ups that check them.
 */
#include "casework/casework.h"
#include "casework/meeting.h"
#include "casework/meeting_impl.h"
#include "casework/people.h"
#include "core/date.h"
#include "core/deadline.h"
#include "core/words.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

static const struct word commitment_words[] = {
    {"open", "待落实", "未落实", 0, TONE_WARN},
    {"kept", "已落实", "落实|已完成", 0, TONE_OK},
    {"overdue", "逾期未落实", "逾期", 0, TONE_BAD},
};
const struct vocab commitment_states = {"承诺落实情况", commitment_words,
                                        ARRAY_SIZE(commitment_words)};

const char *commitment_state(const char *stored, const char *deadline, int today)
{
    if (!strcmp(stored, "open") && date_or_zero(deadline) && today > date_or_zero(deadline))
        return "overdue";
    return stored;
}

/* The unit `text` names: a township of the county (code or name), else a school of the latest
 * 学籍 list (code or name). 1 found, 0 not, -1 store error. */
static int find_unit(struct store *s, const char *text, const char **kind, char *code,
                     size_t code_size, char *name, size_t name_size)
{
    char tcode[10];
    const char *tname;
    if (casework_township(s, text, tcode, &tname) == 0) {
        *kind = "township";
        snprintf(code, code_size, "%s", tcode);
        snprintf(name, name_size, "%s", tname);
        return 1;
    }
    struct stmt *q = store_prepare(
        s, "SELECT school_code, max(school_name) FROM record WHERE batch_id = (SELECT id FROM"
           " batch WHERE kind = 'enrollment' AND state = 'live' ORDER BY live_seq DESC, id DESC"
           " LIMIT 1) AND (school_code = $1 OR school_name = $1)"
           " GROUP BY school_code ORDER BY school_code LIMIT 1");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, text);
    int rc = stmt_step(q);
    if (rc == 1) {
        *kind = "school";
        snprintf(code, code_size, "%s", stmt_text(q, 0));
        snprintf(name, name_size, "%s", stmt_text(q, 1));
    }
    stmt_finalize(q);
    return rc;
}

static bool county(const struct scope *sc)
{
    return !sc || scope_interview_allows(sc, NULL, NULL, ACT_WRITE) == OUT_OK;
}

int interview_add(struct store *s, const struct scope *sc, const struct interview_input *in,
                  const char *actor, int64_t *id, struct buf *msg, struct outcome *o)
{
    if (!county(sc))
        return failed(o, OUT_FORBIDDEN, "约谈由县教育局（或系统管理员）登记");
    int on;
    if (mt_text("被约谈单位", "unit", in->unit, 60, true, o) < 0 ||
        mt_text("被约谈人", "person", in->person, 40, true, o) < 0 ||
        mt_text("职务", "post", in->post, 40, true, o) < 0 ||
        mt_text("约谈人", "by", in->by, 100, true, o) < 0 ||
        casework_date("约谈日期", "date", in->date, 0, &on, o) < 0 ||
        mt_text("约谈事由", "reason", in->reason, 1000, true, o) < 0 ||
        mt_text("督导发现问题编号", "finding", in->finding, 40, false, o) < 0)
        return -1;
    char month[24] = "";
    if (!mt_blank(in->month)) {
        int ym;
        if (date_parse_month(in->month, strlen(in->month), &ym) < 0)
            return failed_at(o, OUT_INVALID, "month", "排名月份应写作 2026-10");
        snprintf(month, sizeof(month), "%04d-%02d", ym / 100, ym % 100);
    }
    const char *kind = NULL;
    char code[32], name[128];
    int rc = find_unit(s, in->unit, &kind, code, sizeof(code), name, sizeof(name));
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0)
        return failed_at(
            o, OUT_INVALID, "unit",
            "被约谈单位“%s”不是本县的乡镇，也不是最新学籍名单中的学校（可填乡镇名称或代码、"
            "学校名称或学籍代码）",
            in->unit);
    char day[11], now[32];
    date_format(on, day);
    date_now_text(now, sizeof(now));
    if (store_begin(s) < 0)
        return fail_store(s, o);
    *id = 0;
    struct stmt *q = store_prepare(
        s, "INSERT INTO interview (on_date, unit_kind, unit_code, unit_name, person, post,"
           " by_whom, reason, ranking_month, finding_ref, created_by, created_at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id");
    if (q) {
        stmt_bind_str(q, 1, day);
        stmt_bind_str(q, 2, kind);
        stmt_bind_str(q, 3, code);
        stmt_bind_str(q, 4, name);
        stmt_bind_str(q, 5, in->person);
        stmt_bind_str(q, 6, in->post);
        stmt_bind_str(q, 7, in->by);
        stmt_bind_str(q, 8, in->reason);
        stmt_bind_str(q, 9, *month ? month : NULL);
        stmt_bind_str(q, 10, mt_blank(in->finding) ? NULL : in->finding);
        stmt_bind_str(q, 11, actor && *actor ? actor : "unknown");
        stmt_bind_str(q, 12, now);
        *id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    char detail[160], target[AUDIT_TARGET_SIZE];
    snprintf(detail, sizeof(detail), "约谈 %lld（%s）", (long long)*id, name);
    audit_target(target, OBJ_INTERVIEW, *id);
    if (*id <= 0 ||
        audit_record(s, actor, sc ? sc->origin : NULL, "interview_add", target, detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已登记约谈 %lld：%s %s（%s），%s；请登记约谈中作出的承诺和完成期限",
             (long long)*id, name, in->person, in->post, day);
    return 0;
}

/* The interview's unit and date; 1, 0 (none), -1. */
static int load(struct store *s, int64_t id, char kind[16], char code[32], char day[11])
{
    struct stmt *q =
        store_prepare(s, "SELECT unit_kind, unit_code, on_date FROM interview WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    if (rc == 1) {
        snprintf(kind, 16, "%s", stmt_text(q, 0));
        snprintf(code, 32, "%s", stmt_text(q, 1));
        snprintf(day, 11, "%s", stmt_text(q, 2));
    }
    stmt_finalize(q);
    return rc;
}

/* The interview `id` for a write of the county's; -1 with the outcome. */
static int writable(struct store *s, const struct scope *sc, int64_t id, char day[11],
                    struct outcome *o)
{
    char kind[16], code[32];
    int rc = load(s, id, kind, code, day);
    if (rc < 0)
        return fail_store(s, o);
    enum outcome_kind k = rc == 0 ? OUT_NOT_FOUND
                          : sc    ? scope_interview_allows(sc, kind, code, ACT_WRITE)
                                  : OUT_OK;
    if (k == OUT_NOT_FOUND)
        return failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的约谈，或不在您的管辖范围内",
                      (long long)id);
    if (k != OUT_OK)
        return failed(o, OUT_FORBIDDEN, "约谈的承诺和回访由县教育局登记，您的账号只能查看");
    return 0;
}

int interview_commit(struct store *s, const struct scope *sc, int64_t interview_id,
                     const struct commitment_input *in, const char *actor, int64_t *id,
                     struct buf *msg, struct outcome *o)
{
    char day[11];
    if (writable(s, sc, interview_id, day, o) < 0)
        return -1;
    int due;
    if (mt_text("承诺事项", "content", in->content, 500, true, o) < 0 ||
        mt_deadline("完成期限", "deadline", in->deadline, date_or_zero(day), &due, o) < 0)
        return -1;
    char due_t[11];
    date_format(due, due_t);
    if (store_begin(s) < 0)
        return fail_store(s, o);
    *id = 0;
    struct stmt *q = store_prepare(s, "INSERT INTO interview_commitment (interview_id, content,"
                                      " deadline) VALUES ($1, $2, $3) RETURNING id");
    if (q) {
        stmt_bind_int(q, 1, interview_id);
        stmt_bind_str(q, 2, in->content);
        stmt_bind_str(q, 3, due_t);
        *id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    char detail[96], target[AUDIT_TARGET_SIZE];
    snprintf(detail, sizeof(detail), "约谈 %lld 承诺 %lld", (long long)interview_id,
             (long long)*id);
    audit_target(target, OBJ_COMMITMENT, *id);
    if (*id <= 0 ||
        audit_record(s, actor, sc ? sc->origin : NULL, "interview_commit", target, detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已登记约谈 %lld 的承诺 %lld：%s 前完成", (long long)interview_id, (long long)*id,
             due_t);
    return 0;
}

int interview_follow(struct store *s, const struct scope *sc, int64_t interview_id,
                     const struct interview_follow_input *in, const char *actor, struct buf *msg,
                     struct outcome *o)
{
    char day[11];
    if (writable(s, sc, interview_id, day, o) < 0)
        return -1;
    int on;
    if (casework_date("回访日期", "date", in->date, date_or_zero(day), &on, o) < 0 ||
        mt_text("回访人", "by", in->by, 100, true, o) < 0 ||
        mt_text("回访情况", "found", in->found, 1000, true, o) < 0)
        return -1;
    int64_t cid = 0;
    int kept = -1;
    if (!mt_blank(in->commitment)) {
        char *end;
        cid = strtoll(in->commitment, &end, 10);
        int64_t hit = 0;
        char ci[24], ii[24];
        snprintf(ci, sizeof(ci), "%lld", (long long)cid);
        snprintf(ii, sizeof(ii), "%lld", (long long)interview_id);
        const char *p[] = {ci, ii};
        if (*end || cid <= 0)
            return failed_at(o, OUT_INVALID, "commitment", "承诺编号应为正整数");
        if (store_int(s,
                      "SELECT count(*) FROM interview_commitment WHERE id = CAST($1 AS BIGINT)"
                      " AND interview_id = CAST($2 AS BIGINT)",
                      2, p, &hit) < 0)
            return fail_store(s, o);
        if (!hit)
            return failed_at(o, OUT_INVALID, "commitment", "约谈 %lld 没有编号为 %lld 的承诺",
                             (long long)interview_id, (long long)cid);
        if (mt_blank(in->kept) ||
            ((kept = !strcmp(in->kept, "是") || !strcmp(in->kept, "已落实") ? 1 : -1) < 0 &&
             (kept = !strcmp(in->kept, "否") || !strcmp(in->kept, "未落实") ? 0 : -1) < 0))
            return failed_at(o, OUT_INVALID, "kept", "回访一项承诺时请填写是否落实：是 或 否");
    } else if (!mt_blank(in->kept)) {
        return failed_at(o, OUT_INVALID, "commitment", "请填写回访的是哪一项承诺（承诺编号）");
    }
    char d[11], now[32], iid[24], cids[24], kt[4];
    date_format(on, d);
    date_now_text(now, sizeof(now));
    snprintf(iid, sizeof(iid), "%lld", (long long)interview_id);
    snprintf(cids, sizeof(cids), "%lld", (long long)cid);
    snprintf(kt, sizeof(kt), "%d", kept);
    const char *who = actor && *actor ? actor : "unknown";
    const char *p[] = {iid,       cid ? cids : NULL,     d,   in->by,
                       in->found, kept >= 0 ? kt : NULL, who, now};
    const char *u[] = {cids, d};
    char detail[96], target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_INTERVIEW, interview_id);
    snprintf(detail, sizeof(detail), "约谈 %lld 回访%s", (long long)interview_id,
             kept == 1   ? "（承诺已落实）"
             : kept == 0 ? "（承诺未落实）"
                         : "");
    if (store_begin(s) < 0)
        return fail_store(s, o);
    if (store_run(s,
                  "INSERT INTO interview_followup (interview_id, commitment_id, on_date, by_whom,"
                  " found, kept, logged_by, logged_at) VALUES (CAST($1 AS BIGINT),"
                  " CAST($2 AS BIGINT), $3, $4, $5, CAST($6 AS INTEGER), $7, $8)",
                  8, p) < 0 ||
        (kept == 1 && store_run(s,
                                "UPDATE interview_commitment SET state = 'kept', kept_on = $2"
                                " WHERE id = CAST($1 AS BIGINT)",
                                2, u) < 0) ||
        audit_record(s, actor, sc ? sc->origin : NULL, "interview_follow", target, detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已记录约谈 %lld 的回访（%s）%s", (long long)interview_id, d,
             kept == 1   ? "：承诺已落实"
             : kept == 0 ? "：承诺未落实，仍在待办中"
                         : "");
    return 0;
}
