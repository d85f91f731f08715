#ifndef BAOXUE_MEETING_H
#define BAOXUE_MEETING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct vocab;

/*
 * Accountability (issue 17): 联席会议 (meeting.c, meeting_duty.c) and 约谈 (interview.c).
 *
 * A joint meeting: its date, the departments present (domain/department.h keys), its decisions
 * each owned by one department with a deadline and a state (待办, 进行中, 已完成 as reported;
 * 逾期 computed: not done and past the deadline), the progress each department reports on its
 * own decisions, and the duty checks a decision may carry (人社 未成年人务工, 文旅 网吧/歌舞厅)
 * with the minors they found, each linked to casework's child when named by an ID of the
 * register. The county creates meetings and decisions; a department's account reads and
 * reports on its own decisions only (scope_meeting_allows); a supervisor reads.
 *
 * An interview (约谈) of an official of a township or a school: who, by whom, when, why (a
 * ranking month, an inspection finding's reference), its commitments (待落实 until a follow-up
 * finds one kept; 逾期未落实 past the deadline) and follow-ups. The county writes; the unit
 * interviewed reads its own (scope_interview_allows); a supervisor reads.
 */

extern const struct vocab decision_states; /* todo 待办, doing 进行中, done 已完成, overdue 逾期 */
extern const struct vocab duty_kinds; /* child_labour 未成年人务工检查, venue 网吧/歌舞厅检查 */
extern const struct vocab commitment_states; /* open 待落实, kept 已落实, overdue 逾期未落实 */

/* The state a decision shows on day `today`: its stored state, or "overdue" when not done and
 * past its deadline (yyyy-mm-dd). */
const char *decision_state(const char *stored, const char *deadline, int today);
/* The same for a commitment: "open", "kept", or "overdue" (open and past its deadline). */
const char *commitment_state(const char *stored, const char *deadline, int today);

/* ---- 联席会议 ---- */

struct meeting_input {
    const char *date;        /* 会议日期: today when blank, not in the future */
    const char *title;       /* 会议名称 */
    const char *host;        /* 主持人 */
    const char *departments; /* 参会部门: names or keys separated by 、，, spaces or lines */
    const char *notes;       /* 会议纪要 */
};
int meeting_add(struct store *s, const struct scope *sc, const struct meeting_input *in,
                const char *actor, int64_t *id, struct buf *msg, struct outcome *o);

struct decision_input {
    const char *department; /* 责任部门 */
    const char *content;    /* 议定事项 */
    const char *deadline;   /* 完成期限: not before the meeting */
    const char *duty;       /* 部门职责事项: a word of duty_kinds, or blank */
};
/* A decision of meeting `meeting_id` (the county). */
int meeting_decide(struct store *s, const struct scope *sc, int64_t meeting_id,
                   const struct decision_input *in, const char *actor, int64_t *id, struct buf *msg,
                   struct outcome *o);

struct progress_input {
    const char *state;   /* 办理状态: 进行中 or 已完成 */
    const char *content; /* 进展情况 */
    const char *date;    /* 日期: today when blank */
    const char *by;      /* 报告人: the account when blank */
};
/* A progress report on decision `decision_id`: its department's account, or the county. */
int decision_report(struct store *s, const struct scope *sc, int64_t decision_id,
                    const struct progress_input *in, const char *actor, struct buf *msg,
                    struct outcome *o);

struct duty_check_input {
    const char *date;         /* 检查日期 */
    const char *places;       /* 检查场所 */
    const char *minors_found; /* 发现未成年人数 */
    const char *result;       /* 处理结果 */
    const char *minors; /* 发现的未成年人: one a line, "姓名 身份证号" (the ID may be
                           missing) */
};
/* A duty check recorded on decision `decision_id` (which carries a duty): the owner's account
 * or the county. Each minor named by an ID of the latest register is linked to its child. */
int duty_check_add(struct store *s, const struct scope *sc, int64_t decision_id,
                   const struct duty_check_input *in, const char *actor, int64_t *id,
                   struct buf *msg, struct outcome *o);

struct meeting_filter {
    const char *department; /* a department (county): only meetings with its decisions */
    bool overdue;           /* only the decisions overdue */
};
/* {"items": [{id, date, title, host, departments: [{key, name}], decisions, open, overdue}],
 * "total", "may_add"}: a department sees the meetings with its decisions, counted over them. */
json_t *meeting_list(struct store *s, const struct scope *sc, const struct meeting_filter *f,
                     struct outcome *o);
/* One meeting: {id, date, title, host, notes, departments, may_decide, decisions: [{id,
 * department, department_name, content, deadline, duty, duty_label, state, state_label, days,
 * may_report, progress: [...], checks: [...]}]}; a department sees its own decisions only. */
json_t *meeting_show(struct store *s, const struct scope *sc, int64_t id, struct outcome *o);
/* The decisions the scope reads, across meetings ({"items": [...], "total"}), the most urgent
 * first; `f->department` narrows the county's. */
json_t *decision_list(struct store *s, const struct scope *sc, const struct meeting_filter *f,
                      struct outcome *o);

/* ---- 约谈 ---- */

struct interview_input {
    const char *unit; /* 被约谈单位: a township (code or name) or a school (学籍 code or name) */
    const char *person;  /* 被约谈人 */
    const char *post;    /* 职务 */
    const char *by;      /* 约谈人 */
    const char *date;    /* 约谈日期 */
    const char *reason;  /* 约谈事由 */
    const char *month;   /* 排名月份: 2026-10 (the ranking that led to it), or blank */
    const char *finding; /* 督导发现问题编号: free text, or blank */
};
int interview_add(struct store *s, const struct scope *sc, const struct interview_input *in,
                  const char *actor, int64_t *id, struct buf *msg, struct outcome *o);

struct commitment_input {
    const char *content;  /* 承诺事项 */
    const char *deadline; /* 完成期限 */
};
int interview_commit(struct store *s, const struct scope *sc, int64_t interview_id,
                     const struct commitment_input *in, const char *actor, int64_t *id,
                     struct buf *msg, struct outcome *o);

struct interview_follow_input {
    const char *date;       /* 回访日期 */
    const char *by;         /* 回访人 */
    const char *found;      /* 回访情况 */
    const char *commitment; /* 承诺编号: the commitment it checks, or blank */
    const char *kept;       /* 是否落实: 是/否 (with a commitment) */
};
int interview_follow(struct store *s, const struct scope *sc, int64_t interview_id,
                     const struct interview_follow_input *in, const char *actor, struct buf *msg,
                     struct outcome *o);

struct interview_filter {
    const char *township; /* a township code or name (the county): its township's interviews */
    bool overdue;         /* only interviews with an overdue commitment */
};
/* {"items": [{id, date, unit_kind, unit_code, unit_name, person, post, by, reason, month,
 * finding, commitments, open, overdue}], "total", "may_add"} */
json_t *interview_list(struct store *s, const struct scope *sc, const struct interview_filter *f,
                       struct outcome *o);
/* One interview with {commitments: [{id, content, deadline, state, state_label, days}],
 * followups: [{date, by, found, commitment, kept}], may_write} */
json_t *interview_show(struct store *s, const struct scope *sc, int64_t id, struct outcome *o);

/* ---- 待办 (casework/tasks.c) ---- */

struct accountability_due {
    const char *kind; /* "decision" or "commitment" */
    int64_t id;
    const char *tcode, *unit; /* the interviewed township's code ("" otherwise), the owner */
    const char *what;
    int due;
};
struct accountability_reach {
    bool decisions, commitments; /* which to list */
    const char *department;      /* only this department's decisions (NULL all) */
    const char *township;        /* only this township's commitments (NULL all) */
    const char *school;          /* only this school's commitments (NULL all) */
};
/* The open decisions and commitments within the reach: fn for each. 0 or -1. */
int accountability_due_each(struct store *s, const struct accountability_reach *r,
                            void (*fn)(void *ctx, const struct accountability_due *d), void *ctx);

#endif
