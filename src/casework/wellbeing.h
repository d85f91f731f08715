#ifndef BAOXUE_WELLBEING_H
#define BAOXUE_WELLBEING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct vocab;

/*
 * The wellbeing ledgers (issue 16, "建立疾病、心理健康台帐"): 疾病台帐 (illness.c) and 心理健康台帐
 * (mental.c). An entry is about a pupil: a register record of the latest cross-check (the
 * child record's number), kept by casework's child (child_key) so that it follows the child
 * across snapshots; its school is the one its status rests on in that run (本县在读).
 *
 * Illness: the child's school writes (its own pupils), the county (and admin) everything; a
 * township reads its township's, a supervisor reads the county's; nobody else.
 *
 * Mental health is restricted to the accounts an admin named (mental_health_holder): a school
 * account (the counsellor, the head) for its own pupils, a county account (the designated
 * officer) or an admin that granted it to itself for the county's. To every other account the
 * ledger does not exist: no route answers a child's entry (403, the same for every child, so
 * that a probe cannot tell a child with an entry from one without), the child record carries
 * no field, count or flag of it, no report or export holds it, and no message, log line or
 * audit detail quotes it. Every read (a list, a child's entries) is audited.
 */

/* ---- the child ---- */

/* A pupil of the latest cross-check, as the ledgers read it. */
struct wb_child {
    int64_t record_id, run_id;
    int64_t child_id; /* casework's child, 0 none yet */
    char township[10];
    char school[32]; /* its school's code ("" when not 本县在读) */
    char school_name[128];
    char name[64];
};

/* 1 found (a register record of the latest run), 0 not, -1 with the outcome. */
int wb_child_load(struct store *s, int64_t record_id, struct wb_child *c, struct outcome *o);
/* casework's child of the record, made (inside the caller's transaction) when it has none. */
int64_t wb_child_make(struct store *s, struct wb_child *c);

/* ---- 疾病台帐 ---- */

extern const struct vocab illness_categories; /* chronic 慢性病, serious 重大疾病, infectious
                                                 传染病, injury 意外伤害, other 其他 */
extern const struct vocab illness_effects;    /* none 不影响到校, partial 部分缺课,
                                                 absent 无法到校 */

struct illness_input {
    const char *category;  /* 疾病类别: a word of illness_categories */
    const char *diagnosis; /* 病情: what the illness is, as the certificate or family says */
    const char *serious; /* 慢性或重大疾病: 是/否; 慢性病 and 重大疾病 are always 是 */
    const char *from;   /* 起始日期: today when blank; not in the future */
    const char *to;     /* 结束日期: blank while it lasts */
    const char *effect; /* 对到校的影响: a word of illness_effects */
    const char *sick_leave; /* 病假记录编号: the 病假 it explains (wired when attendance lands) */
    const char
        *certificate; /* 诊断证明: who certified it and when ("县人民医院诊断证明 2026-09-01") */
    const char *note; /* 说明 */
};

/* Add an illness of the pupil `record_id` (the scope must write it: its school, the county).
 * A chronic or serious illness with a certificate that keeps the pupil from school says in msg
 * that a placement (送教上门, 缓学) may be considered. */
int illness_add(struct store *s, const struct scope *sc, int64_t record_id,
                const struct illness_input *in, const char *actor, int64_t *id, struct buf *msg,
                struct outcome *o);

struct illness_follow_input {
    const char *date;    /* 随访日期: today when blank */
    const char *by;      /* 随访人 */
    const char *content; /* 随访情况 */
    const char *ended;   /* 痊愈（结束）日期: ends the illness on that day, when given */
};

/* A follow-up of illness `illness_id`. */
int illness_follow(struct store *s, const struct scope *sc, int64_t illness_id,
                   const struct illness_follow_input *in, const char *actor, struct buf *msg,
                   struct outcome *o);

/* The child record's part: {"may_log", "items": [{id, category, category_label, diagnosis,
 * serious, from, to, open, effect, effect_label, sick_leave_id, certificate, note, school,
 * logged_by, placement_offer, follows: [{date, by, content, logged_by}]}]}; NULL with the
 * outcome (OUT_NOT_FOUND outside the scope). */
json_t *illness_of_child(struct store *s, const struct scope *sc, int64_t record_id,
                         struct outcome *o);

struct illness_filter {
    const char *township; /* code or name; narrowed to the scope's */
    const char *category; /* a word of illness_categories, NULL all */
    int from, to;         /* only the illnesses open on some day of from..to (ymd; 0 no bound):
                             from = D alone, those open on D */
    bool serious;         /* only chronic or serious */
    bool full;            /* full IDs (PERM_FULL_ID; audited) */
};

/* The ledger: {"items": [{id, record_id, name, id_number (masked unless full), school,
 * township, category, category_label, diagnosis, serious, from, to, effect, effect_label,
 * follows}], "total"}; a school sees its pupils, a township its township, the county all. */
json_t *illness_list(struct store *s, const struct scope *sc, const struct illness_filter *f,
                     struct outcome *o);

/* The children with a chronic or serious illness open on day `ymd` (the at-risk list's factor):
 * fn(ctx, child_id, record_id, illness_id) for each illness, one call per illness. 0 or -1. */
int illness_serious_open(struct store *s, int ymd,
                         void (*fn)(void *ctx, int64_t child_id, int64_t record_id,
                                    int64_t illness_id),
                         void *ctx);

/* ---- 心理健康台帐 ---- */

extern const struct vocab mental_levels; /* watch 一般关注, attention 重点关注, high 高度关注,
                                            crisis 危机干预 */
extern const struct vocab mental_referrals; /* none 未转介, counsellor 学校心理辅导教师,
                                               hospital 医院（精神心理专科）, other 其他机构 */
extern const struct vocab mental_event_kinds; /* intervention 干预, review 复查 */

/*
 * Does the scope hold the mental-health permission? sc NULL is the program itself (the demo
 * county's script): yes. 1, 0, -1 on a store error. The grant is read from the store at every
 * call, so that a revoked account is refused at its next request.
 */
int mental_holder(struct store *s, const struct scope *sc);

/*
 * The scope the mental-health functions act under: on the server the request's; on the
 * command line (no account: user_id 0) the account `as` names, which must exist, be enabled
 * and hold the permission — the operator acts as that named person and the reads are audited
 * under its name. *out is filled; -1 with the outcome.
 */
struct mental_actor {
    struct scope sc;
    char user[65], township[16], school[32], school_name[128];
};
int mental_act_as(struct store *s, const struct scope *sc, const char *as, struct mental_actor *out,
                  struct outcome *o);

/* Grant (or revoke) the permission to account `name` (admin only: PERM_ACCOUNTS). Only school,
 * county and admin accounts may hold it. Audited (mental_grant). */
int mental_grant(struct store *s, const char *name, bool on, const char *actor, struct buf *msg,
                 struct outcome *o);

struct mental_input {
    const char *as;            /* the command line: the account acted as */
    const char *level;         /* 关注等级 */
    const char *concern;       /* 情况: what was observed */
    const char *referral;      /* 转介 */
    const char *referral_note; /* 转介说明: which hospital, which counsellor */
    const char *date;          /* 建档日期: today when blank */
    const char *next_review;   /* 下次复查日期: required, not before the date */
};

/* A mental-health entry of pupil `record_id`: the scope must hold the permission and reach the
 * child (its school's holder, the county's). OUT_FORBIDDEN for a non-holder, whatever the
 * child. */
int mental_add(struct store *s, const struct scope *sc, int64_t record_id,
               const struct mental_input *in, const char *actor, int64_t *id, struct buf *msg,
               struct outcome *o);

struct mental_note_input {
    const char *as;
    const char *kind;        /* 记录类型: intervention 干预 / review 复查 */
    const char *date;        /* 日期: today when blank */
    const char *by;          /* 经办人 */
    const char *content;     /* 内容 */
    const char *level;       /* 复查后的关注等级 (review) */
    const char *next_review; /* 下次复查日期 (review: required unless closing) */
    const char *close;       /* 结案: 是 closes the entry on the date (review) */
};

/* An intervention or a review of entry `mh_id`. */
int mental_note(struct store *s, const struct scope *sc, int64_t mh_id,
                const struct mental_note_input *in, const char *actor, struct buf *msg,
                struct outcome *o);

/* A child's entries with their interventions and reviews: {"items": [...], "may_log"};
 * audited (mental_read). OUT_FORBIDDEN for a non-holder. `as`: the command line's account. */
json_t *mental_of_child(struct store *s, const struct scope *sc, int64_t record_id, const char *as,
                        struct outcome *o);

struct mental_filter {
    const char *as;
    bool overdue; /* only the open entries whose review is due today or overdue */
    bool open;    /* only the open entries */
};

/* The holder's ledger (its school's, or the county's): {"items": [{id, record_id, name,
 * id_number (masked), school, level, level_label, referral, referral_label, concern, opened_on,
 * next_review, overdue, closed_on, events}], "total", "overdue"}; audited. */
json_t *mental_list(struct store *s, const struct scope *sc, const struct mental_filter *f,
                    struct outcome *o);

#endif
