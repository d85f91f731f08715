/* 预警名单: the absence factor's facts — the 旷课 school days of this term (atrisk_impl.h). */
#include <stdlib.h>
#include <string.h>

#include "casework/atrisk_impl.h"
#include "casework/attendance.h"
#include "core/date.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

/* A school's closed days (停课), for the days closed since the absence was recorded. */
struct closure {
    char school[32];
    int first, last;
};

static int load_closures(struct store *s, struct closure **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t alloc = 0;
    struct stmt *q =
        store_prepare(s, "SELECT school_code, first_day, last_day FROM school_closure");
    if (!q)
        return -1;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(*out, *n + 1, alloc);
        struct closure *c = &(*out)[(*n)++];
        snprintf(c->school, sizeof(c->school), "%s", stmt_text(q, 0));
        c->first = date_or_zero(stmt_text(q, 1));
        c->last = date_or_zero(stmt_text(q, 2));
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static bool closed(const struct closure *c, size_t n, const char *school, int ymd)
{
    for (size_t i = 0; i < n; i++)
        if (ymd >= c[i].first && ymd <= c[i].last && !strcmp(c[i].school, school))
            return true;
    return false;
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(((const struct absence_count *)a)->key, ((const struct absence_count *)b)->key);
}

int atrisk_absences(struct store *s, int today, const char *only_key, struct absence_count **out,
                    size_t *n)
{
    *out = NULL;
    *n = 0;
    struct term_calendar cal;
    struct outcome o = OUTCOME_INIT;
    if (attendance_calendar(s, NULL, &cal, &o) < 0) {
        outcome_release(&o);
        return -1;
    }
    int first = term_first_day(&cal, today);
    struct closure *cl = NULL;
    size_t ncl = 0;
    int rc = first && first <= today ? load_closures(s, &cl, &ncl) : 1;
    struct stmt *q = NULL;
    if (rc == 0) {
        /* equal keys come together whatever the database's collation; sorted by strcmp below */
        q = store_prepare(s, only_key ? "SELECT pupil_key, on_date, school_code FROM attendance"
                                        " WHERE pupil_key = $3 AND kind = 'unexcused'"
                                        " AND on_date >= $1 AND on_date <= $2 ORDER BY on_date"
                                      : "SELECT pupil_key, on_date, school_code FROM attendance"
                                        " WHERE kind = 'unexcused' AND on_date >= $1"
                                        " AND on_date <= $2 ORDER BY pupil_key, on_date");
        rc = q ? 0 : -1;
    }
    if (q) {
        char a[11], b[11];
        date_format(first, a);
        date_format(today, b);
        stmt_bind_str(q, 1, a);
        stmt_bind_str(q, 2, b);
        if (only_key)
            stmt_bind_str(q, 3, only_key);
        size_t alloc = 0;
        while ((rc = stmt_step(q)) == 1) {
            int day = date_or_zero(stmt_text(q, 1));
            /* recorded on a school day; only what is one still counts */
            if (!term_is_school_day(&cal, day) || (ncl && closed(cl, ncl, stmt_text(q, 2), day)))
                continue;
            const char *key = stmt_text(q, 0);
            if (!*n || strcmp((*out)[*n - 1].key, key)) {
                ALLOC_GROW(*out, *n + 1, alloc);
                (*out)[(*n)++] = (struct absence_count){xstrdup(key), 0, 0};
            }
            struct absence_count *c = &(*out)[*n - 1];
            c->days++;
            if (day > c->last)
                c->last = day;
        }
        stmt_finalize(q);
    }
    free(cl);
    term_calendar_release(&cal);
    if (rc < 0) {
        atrisk_absences_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    if (*n > 1)
        qsort(*out, *n, sizeof(**out), cmp_key);
    return 0;
}

void atrisk_absences_free(struct absence_count *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].key);
    free(v);
}
