#ifndef BAOXUE_AUDIT_H
#define BAOXUE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct store;

/*
 * The append-only audit trail: who (actor: the account, or the login name at the command
 * line), when, from where (origin: "cli", or "api " and the client's IP address), what (action:
 * import, match, export_full, login, login_failed, read_full, …), about which child or object
 * (target: "record:123", an account name; may be NULL) and a short detail without personal data.
 * Written inside the caller's transaction where there is one, so that an action and its audit
 * row land together.
 */
int audit_record(struct store *s, const char *actor, const char *origin, const char *action,
                 const char *target, const char *detail);

/*
 * What the trail names: one spelling of each kind of object, "kind:id", whichever front end
 * acted ("task:12" from the command line and from the server alike). The vocabulary
 * audit_objects (core/words.h) gives each kind its Chinese label (核查任务) and the older
 * spellings rows written before carry as aliases (verify_task); audit_actions the label of
 * each action (read_full: 查看完整身份证号/电话).
 */
enum audit_object {
    OBJ_TASK,       /* a verification task: task:12 */
    OBJ_CASE,       /* case:3 */
    OBJ_PERSON,     /* a person of the registry: person:7 */
    OBJ_USER,       /* an account: user:liu (older rows: the bare name) */
    OBJ_BATCH,      /* an imported list: batch:4 */
    OBJ_RUN,        /* a cross-check: run:2 */
    OBJ_RECORD,     /* a child's record of the register: record:123 */
    OBJ_CANDIDATE,  /* a pair of records the cross-check scored: candidate:9 */
    OBJ_SETTING,    /* setting:casework_verify_days */
    OBJ_SCHOOL,     /* a school by its 学籍 code: school:2114052101 (attendance, closures) */
    OBJ_MONTHLY,    /* a month's 月报 (issue 17): monthly:2026-10 */
    OBJ_INSPECTION, /* a 督导检查 (issue 17): inspection:4 */
    OBJ_RECTIFY,    /* its rectification item (整改事项): rectify:9 */
    OBJ_BULLETIN,   /* an issued 通报 (issue 17): bulletin:3 */
    /* issue 17 (casework/meeting.h) */
    OBJ_MEETING,    /* a joint meeting: meeting:1 */
    OBJ_DECISION,   /* a meeting's decision: decision:3 */
    OBJ_INTERVIEW,  /* an interview (约谈): interview:1 */
    OBJ_COMMITMENT, /* an interview's commitment: commitment:2 */
    OBJ__COUNT
};
struct vocab;
extern const struct vocab audit_objects; /* word o is enum audit_object o */
extern const struct vocab audit_actions;
/* SQL: the name people read for the account named by column `col` (an actor of the audit trail
 * or of the casework's history): its person's name in the registry (app_user.person_id), else
 * the account name as it is (a command-line user, an account linked to nobody). */
#define ACTOR_NAME_SQL(col)                                                                        \
    "coalesce((SELECT an_p.name FROM app_user an_u JOIN person an_p ON an_p.id = an_u.person_id"   \
    " WHERE an_u.name = " col "), " col ")"
#define AUDIT_TARGET_SIZE 96
/* "task:12" into out (AUDIT_TARGET_SIZE bytes); returns out. */
const char *audit_target(char *out, enum audit_object o, int64_t id);
/* "user:liu", "setting:casework_verify_days" */
const char *audit_target_name(char *out, enum audit_object o, const char *name);
/* How a stored target reads: "核查任务 12" for task:12 and verify_task:12, "账号 liu" for
 * user:liu and an older row's bare account name; "" for none. */
void audit_target_label(const char *target, char *out, size_t size);

/*
 * The trail is append-only (triggers refuse UPDATE and DELETE) and chained: each row has `seq`
 * (1, 2, 3 … with no gap) and `hash`, the SHA-256 of the previous row's hash and its own
 * fields. Someone who drops the triggers and deletes or edits rows leaves a gap in seq or a
 * link that no longer holds, unless they rewrite every later row; the head (last seq and hash)
 * noted outside the database catches that too (docs/decisions.md, issue 11).
 */
struct audit_check {
    int64_t rows;      /* rows read */
    int64_t first_bad; /* seq of the first row that breaks the chain; 0 none; -1 a row
                          without seq */
    int64_t bad_id;    /* its id */
    int64_t missing;   /* rows missing before it (a gap in seq), 0 when it was changed */
    int64_t last_seq;  /* the head: the last row's seq and hash */
    char last_hash[65];
};
int audit_verify(struct store *s, struct audit_check *out);
/* The head of the chain alone (cheap): seq 0 and "" when the trail is empty. */
int audit_head(struct store *s, int64_t *seq, char hash[65]);

/*
 * Where the library's own audit records come from is the front end's business, decided in one
 * place: library code passes origin NULL, which is this thread's origin — "cli" unless the
 * server set "api 10.0.0.7" for the request (or the job) the thread is serving. The string is
 * borrowed until the next call; NULL sets "cli" again.
 */
void audit_set_origin(const char *origin);
const char *audit_origin(void); /* this thread's origin: "cli" or what was set */
/* Where this thread's audit rows go when the store a caller passes is a read replica
 * (STORE_OPEN_REPLICA, which cannot write): the primary, set while a request or a report reads
 * from the replica; NULL after. */
void audit_set_primary(struct store *primary);

/* Filters of audit_list; NULL or "" means any. since/until compare with `at` as text
 * ("2026-11-20" or "2026-11-20 14:00:00"); until is inclusive of that day when a date. A target
 * finds every spelling of its object: "task:12", "verify_task:12" and "核查任务 12" the same
 * rows; "user:liu" and "liu" an account's. */
struct audit_query {
    const char *actor, *action, *target, *since, *until;
    int64_t page, per_page; /* 1-based page */
};

/* The trail newest first: {"items": [{id, at, actor, origin, action, action_label, target,
 * target_label, detail}],
 * "total": N, "page": p, "per_page": n} as a jansson object (json_decref it); NULL on a store
 * error (message in the store). */
struct json_t;
struct json_t *audit_list(struct store *s, const struct audit_query *q);

#endif
