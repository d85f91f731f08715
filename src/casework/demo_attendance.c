/* The demo county's term of attendance (casework/demo_attendance.h). */
#include "casework/demo_attendance.h"

#include "casework/attendance.h"
#include "core/date.h"
#include "store/store.h"
#include "util/common.h"
#include "util/csvout.h"
#include "util/outfile.h"
#include "util/xmalloc.h"

/* A pupil's own stream of draws: FNV-1a of its key, then xorshift. */
struct draws {
    uint64_t x;
};

static void draws_init(struct draws *d, const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    d->x = h ? h : 1;
}

static uint32_t below(struct draws *d, uint32_t n)
{
    d->x ^= d->x << 13;
    d->x ^= d->x >> 7;
    d->x ^= d->x << 17;
    return (uint32_t)((d->x >> 11) % n);
}

struct sheet {
    struct buf text;
    long rows;
};

static void add(struct sheet *sh, const struct pupil *p, int day, const char *kind, const char *why)
{
    char ds[11], grade[8];
    date_format(day, ds);
    snprintf(grade, sizeof(grade), "%d", p->grade);
    const char *cells[] = {ds,   p->school, p->grade ? grade : "", p->klass, p->student_no, p->name,
                           kind, why};
    for (size_t i = 0; i < ARRAY_SIZE(cells); i++)
        csv_field(&sh->text, cells[i], strlen(cells[i]), i == 0);
    buf_adds(&sh->text, "\r\n");
    sh->rows++;
}

int demo_attendance(struct store *s, const char *dir, const char *actor, int as_of,
                    struct demo_attendance_summary *out, struct outcome *o)
{
    memset(out, 0, sizeof(*out));
    struct term_calendar cal;
    if (attendance_calendar(s, NULL, &cal, o) < 0)
        return -1;
    /* the term's school days up to as_of */
    int first = term_first_day(&cal, as_of);
    int *days = NULL;
    size_t nd = 0, ad = 0;
    for (long d = first ? ymd_to_days(first) : 1, e = ymd_to_days(as_of); first && d <= e; d++)
        if (term_is_school_day(&cal, days_to_ymd(d))) {
            ALLOC_GROW(days, nd + 1, ad);
            days[nd++] = days_to_ymd(d);
        }
    term_calendar_release(&cal);
    struct pupil *r;
    size_t n;
    if (nd < 25 || attendance_roster(s, NULL, 0, NULL, &r, &n, o) < 0) {
        free(days);
        if (nd < 25)
            return 0; /* not far enough into a term for the patterns */
        return -1;
    }
    out->pupils = (long)n;
    struct sheet sh = {BUF_INIT, 0};
    buf_adds(&sh.text, "日期,学校标识码,年级,班级,学籍号,姓名,类型,原因\r\n");
    /* the drifting pupils: spread over the roster, at least three */
    size_t drifters = n / 250 > 3 ? n / 250 : 3;
    unsigned char *drift = xcalloc(n ? n : 1, 1);
    for (size_t j = 0; n && j < drifters && j < n; j++) {
        size_t i = (j * 7919u + 13u) % n;
        while (drift[i])
            i = (i + 1) % n;
        drift[i] = (unsigned char)(1 + j % 3); /* 1: 3 days, 2: 7, 3: 20+ */
    }
    size_t long_sick = n > 1 ? (n / 2 + 1) % n : 0;
    while (n && drift[long_sick])
        long_sick = (long_sick + 1) % n;
    /* one pupil absent every other school day of a month: the month's rule, not a run's */
    size_t scattered = n > 2 ? (long_sick + n / 3 + 1) % n : SIZE_MAX;
    while (scattered != SIZE_MAX && (drift[scattered] || scattered == long_sick))
        scattered = (scattered + 1) % n;
    for (size_t i = 0; i < n; i++) {
        const struct pupil *p = &r[i];
        struct draws d;
        draws_init(&d, p->key);
        uint32_t u = below(&d, 1000);
        if (drift[i]) {
            int len = drift[i] == 1 ? 3 : drift[i] == 2 ? 7 : 20 + (int)below(&d, 6);
            for (int k = 0; k < len && (size_t)k < nd; k++)
                add(&sh, p, days[nd - 1 - (size_t)k], "旷课",
                    k == len - 1 ? "未到校，联系不上家长" : "");
            out->streak3 += drift[i] == 1;
            out->streak7 += drift[i] == 2;
            out->streak20 += drift[i] == 3;
            continue;
        }
        if (i == scattered) {
            int month = days[nd - 25] / 100;
            size_t k = 0;
            while (k < nd && days[k] / 100 != month)
                k++;
            for (int c = 0; k < nd && days[k] / 100 == month && c < 11; k += 2, c++)
                add(&sh, p, days[k], "旷课", c == 0 ? "家长说孩子不想上学" : "");
            continue;
        }
        if (i == long_sick) {
            size_t start = nd > 30 ? nd - 30 : 0;
            for (size_t k = start; k < start + 16 && k < nd; k++)
                add(&sh, p, days[k], "病假", k == start ? "肺炎住院" : "");
            continue;
        }
        if (u < 850)
            continue;  /* never absent */
        if (u < 930) { /* a day or three, excused or late */
            int times = 1 + (int)below(&d, 3);
            size_t last = SIZE_MAX;
            for (int k = 0; k < times; k++) {
                size_t at = below(&d, (uint32_t)nd);
                if (at == last)
                    continue;
                last = at;
                bool late = below(&d, 2);
                add(&sh, p, days[at], late ? "迟到早退" : "事假", late ? "" : "家中有事，家长请假");
            }
        } else if (u < 990) { /* a sick week, sometimes a 事假 besides */
            int len = 3 + (int)below(&d, 3);
            size_t start = below(&d, (uint32_t)(nd - (size_t)len));
            for (int k = 0; k < len; k++)
                add(&sh, p, days[start + (size_t)k], "病假", k == 0 ? "发烧" : "");
            if (u >= 980) {
                size_t at = below(&d, (uint32_t)nd);
                if (at < start || at >= start + (size_t)len)
                    add(&sh, p, days[at], "事假", "走亲戚");
            }
        } else { /* a stray unexcused day or two, apart */
            size_t at = below(&d, (uint32_t)(nd / 2));
            add(&sh, p, days[at], "旷课", "");
            if (u >= 995)
                add(&sh, p, days[at + 2 + below(&d, (uint32_t)(nd / 2 - 2))], "旷课", "");
        }
    }
    free(drift);
    free(days);
    attendance_roster_free(r, n);
    /* the sheet, as a county's clerk would keep it, then imported */
    struct buf path = BUF_INIT, err = BUF_INIT;
    buf_addf(&path, "%s/考勤登记.csv", dir);
    struct outfile f;
    int rc = outfile_open(&f, path.buf, &err);
    if (rc == 0) {
        fputs("\xEF\xBB\xBF", f.fp);
        fwrite(sh.text.buf, 1, sh.text.len, f.fp);
        rc = outfile_commit(&f, &err);
    }
    if (rc < 0) {
        failed(o, OUT_ERROR, "%s", err.buf);
    } else {
        struct attendance_import_options ao = {.path = path.buf, .actor = actor, .force = true};
        struct attendance_import_summary sum;
        rc = attendance_import(s, NULL, &ao, &sum, o);
        out->absences = sum.absences;
        out->rejected = sum.rows_rejected;
        out->warnings = sum.warnings_opened;
        out->warning_tasks = sum.warning_tasks;
    }
    buf_release(&path);
    buf_release(&err);
    buf_release(&sh.text);
    return rc;
}
