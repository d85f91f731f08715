#ifndef BAOXUE_LEDGER_IMPL_H
#define BAOXUE_LEDGER_IMPL_H

#include <stddef.h>

#include "core/view.h"
#include "render/table.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * What the files of the ledgers share. They only read: a run's statuses (run_status), the
 * records, and the casework tables.
 *
 *   ledgers.c            the helpers below
 *   ledger_school_age.c  适龄儿童台账
 *   ledger_casework.c    疑似失学辍学台账 and 失学辍学台账（一人一案）
 *   monthly.c            控辍保学工作月报
 */

/* The columns of a ledger that identify a child. */
struct person_cols {
    size_t birth, age, id, phone;
};

/* A child's birth date, age, ID and phone as the view shows them; `age` -1 computes it from
 * the date (on the view's cutoff). */
void ledger_set_person(struct report_table *t, const struct view *v, struct person_cols c,
                       const char *date, int age, const char *idn, const char *tel,
                       struct buf *scratch);
/* The county's code (setting) and name for captions: "沁水县", or "本县" when unknown. */
const char *ledger_county_name(struct store *s, char county[7]);
/* --township for the casework ledgers: the official code (or NULL for the county) and its
 * name for the caption. -1 (OUT_INVALID) when it is not a township of the county. */
int ledger_township_arg(struct store *s, const char *arg, char code[10], const char **name,
                        struct outcome *o);
/* "沁水县郑庄镇" + what; the subtitle: unit, data date, drawing date. */
void ledger_caption(struct report_table *t, const char *county, const char *township,
                    const char *what, const char *data_date_label, int data_date, int drawn);
/* A ranked unit's 平均名次 at column col, then each measure's value and rank (ranking.c): the
 * columns of 控辍保学排名 from 平均名次 on. */
struct ind_ranked;
void ranking_put_measures(struct report_table *t, size_t col, const struct ind_ranked *r);
/* Those columns, in that order (1 + 2 × IM__COUNT of them). */
/* clang-format off */
#define RANK_MEASURE_COLS                                                                          \
    {"mean_rank", "平均名次", COL_REAL},                                                           \
    {"enrollment_rate", "入学率（%）", COL_REAL},                                                  \
    {"enrollment_rank", "入学率名次", COL_INT},                                                    \
    {"retention_rate", "巩固率（%）", COL_REAL},                                                   \
    {"retention_rank", "巩固率名次", COL_INT},                                                     \
    {"dropout_rate", "辍学率（%）", COL_REAL},                                                     \
    {"dropout_rank", "辍学率名次", COL_INT},                                                       \
    {"verified_on_time", "按时核查率（%）", COL_REAL},                                             \
    {"verified_rank", "按时核查率名次", COL_INT},                                                  \
    {"returned_rate", "劝返复学率（%）", COL_REAL},                                                \
    {"returned_rank", "劝返复学率名次", COL_INT},                                                  \
    {"overdue", "逾期任务和案件", COL_INT},                                                        \
    {"overdue_rank", "逾期名次", COL_INT}
/* clang-format on */
/* The signature line under a ledger. */
void ledger_signature_note(struct report_table *t);
/* "learning,work" → "学习困难/厌学、外出打工" */
void ledger_reasons_label(const char *keys, struct buf *out);

#endif
