/* The indicators' formulas and the ranking (report/indicators.h): pure functions over counts. */
#include "report/indicators.h"

#include "ingest/field.h"
#include "util/common.h"

double ind_rate(long num, long den)
{
    return den > 0 ? 100.0 * (double)num / (double)den : IND_NONE;
}

void ind_unit_rates(struct ind_unit *u)
{
    const struct ind_counts *c = &u->c;
    u->r.enrollment = ind_rate(c->enrolled, c->school_age);
    u->r.retention = ind_rate(c->cohort_kept, c->cohort_base);
    u->r.dropout = ind_rate(c->dropped, c->year_start);
    u->r.verified_on_time = ind_rate(c->verified_on_time, c->tasks_due);
    u->r.returned = ind_rate(c->returned, c->confirmed);
    u->r.avg_return_days =
        c->returned > 0 ? (double)c->return_days / (double)c->returned : IND_NONE;
}

void ind_counts_add(struct ind_counts *a, const struct ind_counts *b)
{
    a->school_age += b->school_age;
    a->enrolled += b->enrolled;
    a->cohort_base += b->cohort_base;
    a->cohort_kept += b->cohort_kept;
    a->moved_out += b->moved_out;
    a->moved_in += b->moved_in;
    a->died += b->died;
    a->year_start += b->year_start;
    a->dropped += b->dropped;
    a->tasks_due += b->tasks_due;
    a->verified_on_time += b->verified_on_time;
    a->confirmed += b->confirmed;
    a->returned += b->returned;
    a->return_days += b->return_days;
    a->overdue_tasks += b->overdue_tasks;
    a->overdue_cases += b->overdue_cases;
    a->out_of_school += b->out_of_school;
    a->group_out += b->group_out;
}

enum ind_fate ind_fate_of(int base_grade, int years, bool in_latest, int latest_status,
                          bool elsewhere, bool died)
{
    if (died)
        return FATE_DIED;
    if (in_latest) {
        switch (latest_status) {
        case ENR_ACTIVE:
        case ENR_SUSPENDED:
        case ENR_GRADUATED:
        case ENR_UNKNOWN: /* listed, state not given: a school's roll lists its pupils */
            return FATE_KEPT;
        case ENR_DECEASED:
            return FATE_DIED;
        case ENR_TRANSFERRED:
            /* 转出: out of the county unless the run finds the pupil in school here (then the
             * pupil is in the latest list under the new school and never gets here) */
            return FATE_MOVED_OUT;
        default: /* ENR_DROPPED_OUT */
            return elsewhere ? FATE_MOVED_OUT : FATE_LOST;
        }
    }
    if (elsewhere)
        return FATE_MOVED_OUT;
    if (base_grade > 0 && base_grade + years > 9)
        return FATE_COMPLETED;
    return FATE_LOST;
}

void ind_cohort_add(struct ind_counts *c, enum ind_fate f)
{
    switch (f) {
    case FATE_MOVED_OUT:
        c->moved_out++;
        return;
    case FATE_DIED:
        c->died++;
        return;
    case FATE_KEPT:
    case FATE_COMPLETED:
        c->cohort_kept++;
        c->cohort_base++;
        return;
    case FATE_LOST:
        c->cohort_base++;
        return;
    }
}

void ind_cohort_join(struct ind_counts *c, bool still_enrolled)
{
    c->moved_in++;
    c->cohort_base++;
    if (still_enrolled)
        c->cohort_kept++;
}

/* ---- rankings ---- */

const char *ind_measure_label(enum ind_measure m)
{
    static const char *const labels[IM__COUNT] = {"入学率",     "巩固率", "辍学率",
                                                  "按时核查率", "劝返率", "逾期任务和案件"};
    return (unsigned)m < IM__COUNT ? labels[m] : "";
}

bool ind_high_dropout(const struct ind_unit *u, const struct ind_flag_rule *rule)
{
    return u->r.dropout != IND_NONE && u->r.dropout >= rule->dropout_rate &&
           u->c.dropped >= rule->min_dropped && u->c.dropped > 0;
}

/* The measure's value (higher is better after the sign), false when the unit has none. */
static bool measure_value(const struct ind_unit *u, enum ind_measure m, double *v)
{
    double x;
    switch (m) {
    case IM_ENROLLMENT:
        x = u->r.enrollment;
        break;
    case IM_RETENTION:
        x = u->r.retention;
        break;
    case IM_DROPOUT:
        if (u->r.dropout == IND_NONE)
            return false;
        *v = -u->r.dropout;
        return true;
    case IM_VERIFIED:
        x = u->r.verified_on_time;
        break;
    case IM_RETURNED:
        x = u->r.returned;
        break;
    case IM_OVERDUE:
        *v = -(double)(u->c.overdue_tasks + u->c.overdue_cases);
        return true;
    default:
        return false;
    }
    if (x == IND_NONE)
        return false;
    *v = x;
    return true;
}

static int ranked_cmp(const void *a, const void *b)
{
    const struct ind_ranked *x = a, *y = b;
    /* units without any rank last */
    bool xn = x->mean_rank > 0, yn = y->mean_rank > 0;
    if (xn != yn)
        return xn ? -1 : 1;
    if (x->mean_rank != y->mean_rank)
        return x->mean_rank < y->mean_rank ? -1 : 1;
    double dx = x->u->r.dropout == IND_NONE ? 0 : x->u->r.dropout;
    double dy = y->u->r.dropout == IND_NONE ? 0 : y->u->r.dropout;
    if (dx != dy)
        return dx < dy ? -1 : 1;
    long ox = x->u->c.overdue_tasks + x->u->c.overdue_cases;
    long oy = y->u->c.overdue_tasks + y->u->c.overdue_cases;
    if (ox != oy)
        return ox < oy ? -1 : 1;
    return strcmp(x->u->code, y->u->code);
}

void ind_rank(const struct ind_unit *units, size_t n, const struct ind_flag_rule *rule,
              struct ind_ranked *out)
{
    for (size_t i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof(out[i]));
        out[i].u = &units[i];
        out[i].high_dropout = ind_high_dropout(&units[i], rule);
    }
    for (int m = 0; m < IM__COUNT; m++)
        for (size_t i = 0; i < n; i++) {
            double vi;
            if (!measure_value(&units[i], (enum ind_measure)m, &vi))
                continue;
            int better = 0; /* competition ranking: 1 + how many are strictly better */
            for (size_t j = 0; j < n; j++) {
                double vj;
                if (j != i && measure_value(&units[j], (enum ind_measure)m, &vj) && vj > vi + 1e-9)
                    better++;
            }
            out[i].rank[m] = 1 + better;
        }
    for (size_t i = 0; i < n; i++) {
        int k = 0, sum = 0;
        for (int m = 0; m < IM__COUNT; m++)
            if (out[i].rank[m]) {
                sum += out[i].rank[m];
                k++;
            }
        out[i].mean_rank = k ? (double)sum / k : 0;
    }
    qsort(out, n, sizeof(*out), ranked_cmp);
    for (size_t i = 0; i < n; i++)
        out[i].order = (int)i + 1;
}
