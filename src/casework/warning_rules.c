/* The early-warning rules of attendance (warning.h): the settings and the pure rules. */
#include "casework/warning.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/words.h"
#include "domain/settings.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

static const struct word kind_words[WK__COUNT] = {
    {"absent", "连续旷课", "连续缺课", 0, TONE_BAD},
    {"monthly", "当月累计旷课", "累计旷课", 0, TONE_WARN},
    {"sick", "长期病假", "病假", 0, TONE_WARN},
};
const struct vocab warning_kinds = {"预警类型", kind_words, ARRAY_SIZE(kind_words)};

static const struct word state_words[] = {
    {"new", "新预警", "未处理", 0, TONE_BAD},
    {"contacted", "已联系家长", "已联系", 0, TONE_WARN},
    {"resolved", "已解除", "已处理|解除", 0, TONE_OK},
    {"escalated", "已上报", "上报|升级", 0, TONE_BAD},
};
const struct vocab warning_states = {"预警状态", state_words, ARRAY_SIZE(state_words)};

static const struct setting_field fields[] = {
    {"warning_streak_days", offsetof(struct warning_rules, streak_days), SETTING_INT},
    {"warning_task_days", offsetof(struct warning_rules, task_days), SETTING_INT},
    {"warning_dropout_days", offsetof(struct warning_rules, dropout_days), SETTING_INT},
    {"warning_month_days", offsetof(struct warning_rules, month_days), SETTING_INT},
    {"warning_sick_days", offsetof(struct warning_rules, sick_days), SETTING_INT},
    {"warning_head_days", offsetof(struct warning_rules, head_days), SETTING_INT},
    {"warning_township_days", offsetof(struct warning_rules, township_days), SETTING_INT},
};

int warning_rules_load(struct store *s, struct warning_rules *r, struct outcome *o)
{
    memset(r, 0, sizeof(*r));
    if (settings_load(s, fields, ARRAY_SIZE(fields), r) < 0)
        return fail_store(s, o);
    return 0;
}

/* ---- school days, numbered ---- */

void school_days_build(struct school_days *d, const struct term_calendar *cal, int from, int to)
{
    memset(d, 0, sizeof(*d));
    d->from = from;
    d->to = to;
    d->base = ymd_to_days(from);
    long n = to >= from ? ymd_to_days(to) - d->base + 1 : 0;
    d->ord = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*d->ord));
    int k = 0;
    for (long i = 0; i < n; i++)
        d->ord[i] = term_is_school_day(cal, days_to_ymd(d->base + i)) ? k++ : -1;
}

void school_days_release(struct school_days *d)
{
    free(d->ord);
    memset(d, 0, sizeof(*d));
}

/* The school day number of `ymd`, -1 when it is no school day or outside [from, to]. */
static int ord_of(const struct school_days *d, int ymd)
{
    if (ymd < d->from || ymd > d->to)
        return -1;
    return d->ord[ymd_to_days(ymd) - d->base];
}

/* The runs of consecutive school days with absences of `kind` of at least `min` days: a
 * school day without such an absence (present, or another kind) ends a run, a day that is no
 * school day neither ends nor lengthens it (an absence recorded on one counts for nothing). */
static size_t runs(const struct school_days *d, const struct absence_day *a, size_t n,
                   enum absence_kind kind, int min, struct warning_finding *out,
                   enum warning_kind wk)
{
    size_t k = 0;
    int prev = -2, days = 0, first = 0, last = 0;
    for (size_t i = 0; i < n; i++) {
        int o = ord_of(d, a[i].ymd);
        if (o < 0 || a[i].kind != kind)
            continue;
        if (days && o == prev + 1) {
            days++;
        } else {
            if (days >= min)
                out[k++] = (struct warning_finding){wk, first, last, days, 0};
            first = a[i].ymd;
            days = 1;
        }
        last = a[i].ymd;
        prev = o;
    }
    if (days >= min)
        out[k++] = (struct warning_finding){wk, first, last, days, 0};
    return k;
}

size_t warning_findings(const struct warning_rules *r, const struct school_days *d,
                        const struct absence_day *a, size_t n, struct warning_finding *out)
{
    size_t k = runs(d, a, n, AB_UNEXCUSED, r->streak_days, out, WK_ABSENT);
    for (size_t i = 0; i < k; i++)
        out[i].level = out[i].days >= r->dropout_days ? 2 : out[i].days >= r->task_days ? 1 : 0;
    size_t absent = k;
    /* months: every unexcused school day counts; not when all of them are in warned runs */
    for (size_t i = 0; i < n;) {
        int month = a[i].ymd / 100, count = 0, loose = 0, last = 0;
        for (; i < n && a[i].ymd / 100 == month; i++) {
            if (a[i].kind != AB_UNEXCUSED || ord_of(d, a[i].ymd) < 0)
                continue;
            count++;
            last = a[i].ymd;
            bool warned = false;
            for (size_t j = 0; j < absent && !warned; j++)
                warned = a[i].ymd >= out[j].first && a[i].ymd <= out[j].last;
            loose += !warned;
        }
        if (count >= r->month_days && loose)
            out[k++] = (struct warning_finding){WK_MONTHLY, month * 100 + 1, last, count, 0};
    }
    /* a 病假 "longer than" the setting */
    k += runs(d, a, n, AB_SICK, r->sick_days + 1, out + k, WK_SICK);
    return k;
}
