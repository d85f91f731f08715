#ifndef BAOXUE_CORE_WORDS_H
#define BAOXUE_CORE_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/*
 * The closed vocabularies every user reads. Each word has an ASCII key (stored in the database
 * and accepted on the command line), a Chinese label (shown, and accepted) and other Chinese
 * spellings officials write ("|"-separated aliases). Parsing ignores surrounding spaces and
 * full-width forms. A vocabulary is one table, in the module that owns it (the casework's here;
 * the child statuses in domain/status.c, the roles in domain/scope.c …); its order is the order
 * screens list it in. GET /api/v1/vocab serves every one of them (verb/vocab.c), so the web UI
 * copies none.
 */

/* The colour of a word's badge on the screens (the web UI's badge-ok … classes). */
enum tone {
    TONE_NONE,  /* not shown as a badge */
    TONE_OK,    /* in school, returned, done well */
    TONE_WARN,  /* waiting for someone, watch it */
    TONE_BAD,   /* out of school, to act on */
    TONE_MUTED, /* finished, or not the county's concern */
    TONE_INFO,  /* work in progress */
    TONE__COUNT
};
const char *tone_key(enum tone t); /* "ok", … ("" for TONE_NONE) */

struct word {
    const char *key;
    const char *label;
    const char *aliases; /* "厌学|学习困难" or NULL */
    unsigned flags;
    enum tone tone;
};

struct vocab {
    const char *what; /* "核查结论": names the vocabulary in messages */
    const struct word *words;
    size_t n;
};

/* Index of the word `text` names (key, label or alias), or -1. */
int vocab_parse(const struct vocab *v, const char *text);
/* The label of a stored key ("" when unknown, the key itself is not personal data). */
const char *vocab_label(const struct vocab *v, const char *key);
/* Whether text is exactly the word's label or one of its aliases (no normalising: a caller that
 * normalised once compares many words). */
bool word_is(const struct word *w, const char *text);
/* The word of a stored key (exactly the key), or NULL. */
const struct word *vocab_find(const struct vocab *v, const char *key);
/* "“X”不是有效的核查结论，应为：已在校注册学籍、…" appended to err. */
void vocab_error(const struct vocab *v, const char *text, struct buf *err);

/* Verification outcomes (核查结论). */
enum {
    VO_CLAIMS_SCHOOL = 1 << 0, /* says the child is at school: school and evidence required,
                                  re-checked against the next cross-check */
    VO_NEEDS_EVIDENCE = 1 << 1,
    VO_NEEDS_SUBKIND = 1 << 2, /* 户籍问题: which kind */
    VO_KEEPS_OPEN = 1 << 3,    /* 随父母外出无法联系: stays open as outreach */
    VO_OPENS_CASE = 1 << 4,    /* 确认失学辍学 */
};
extern const struct vocab verify_outcomes;
extern const struct vocab registration_problems; /* 空挂户, 双重户籍, 证件错误, 查无此人 */
extern const struct vocab case_reasons;          /* 学习困难/厌学 … 其他 */
/* How a persuasion attempt (劝返记录) was made: 入户走访, 当面约谈家长, 到校约谈 in person
 * (AM_IN_PERSON), 电话, 微信/视频通话, 微信/短信留言, 书面通知, 其他 at a distance. */
enum { AM_IN_PERSON = 1 << 0 };
extern const struct vocab attempt_methods;
/* SQL: the keys of the methods flagged AM_IN_PERSON, as the list of an IN (a unit test checks
 * they are the same). */
#define ATTEMPT_IN_PERSON_SQL "('home_visit', 'parent_interview', 'school_visit')"
/*
 * The first-visit rule (立案后首次走访), the one copy every reader uses (待办, the dashboard's and
 * the children list's overdue, a case's page and text, the child's record): an attempt of case
 * alias `c` made in person, on or after the day the case was opened or reopened (active_since), and
 * not replaced by a correction (a corrected record counts as its correction says).
 * FIRST_VISIT_WHERE_SQL is the condition on attempt alias fv, FIRST_VISIT_DONE_SQL whether one
 * exists.
 */
#define FIRST_VISIT_WHERE_SQL(c)                                                                   \
    "fv.case_id = " c ".id AND fv.on_date >= " c ".active_since"                                   \
    " AND fv.method IN " ATTEMPT_IN_PERSON_SQL                                                     \
    " AND NOT EXISTS (SELECT 1 FROM attempt fx WHERE fx.corrects = fv.id)"
#define FIRST_VISIT_DONE_SQL(c)                                                                    \
    "EXISTS (SELECT 1 FROM attempt fv WHERE " FIRST_VISIT_WHERE_SQL(c) ")"
extern const struct vocab ladder_steps; /* in order: index + 1 is the step number */
/* Case outcomes; flags say which details they need. */
enum {
    CO_NEEDS_SCHOOL = 1 << 0,
    CO_NEEDS_GRADE = 1 << 1,
    CO_NEEDS_VISITS = 1 << 2, /* 送教上门: visits per week and lesson hours */
};
extern const struct vocab case_outcomes;
extern const struct vocab assignee_roles; /* township, village, teacher */
extern const struct vocab org_kinds;      /* county, township, village, school, department */

/* The states of a verification task (open → outreach → closed) and of a case (open → returned
 * → closed), as stored in verify_task.state and case_file.state. */
extern const struct vocab task_states;
extern const struct vocab case_states;
/* Where a suspected child's casework stands, the children list's stage filter
 * (child_query.stage): verify_open … case_closed. */
extern const struct vocab casework_stages;

/*
 * A ladder step may be recorded when it is the next one (current + 1) or the current one
 * again (a further entry of the same step, e.g. its result). 0 when allowed; else -1 with a
 * Chinese message saying which step must come first.
 */
int ladder_check(int current, int next, struct buf *err);

#endif
