/* The monthly report's confirmations on 待办 (casework/monthly_todo.h). */
#include "casework/monthly_todo.h"

#include "core/date.h"
#include "core/division.h"
#include "domain/monthly_due.h"
#include "domain/settings.h"
#include "store/store.h"
#include "util/common.h"

struct due_settings {
    int confirm_day;
};

static const struct setting_field fields[] = {
    {"monthly_confirm_day", offsetof(struct due_settings, confirm_day), SETTING_INT},
};

int monthly_due_each(struct store *s, const char *code,
                     void (*fn)(void *ctx, const struct monthly_due *d), void *ctx)
{
    int64_t started = 0;
    if (store_int(s, "SELECT count(*) FROM monthly_confirm", 0, NULL, &started) < 0)
        return -1;
    if (!started)
        return 0;
    struct due_settings ds = {15};
    if (settings_load(s, fields, ARRAY_SIZE(fields), &ds) < 0)
        return -1;
    struct buf county = BUF_INIT;
    if (store_get_setting(s, "county", &county) < 0) {
        buf_release(&county);
        return -1;
    }
    size_t n = 0;
    const struct township *tw = county.len ? division_townships(county.buf, &n) : NULL;
    buf_release(&county);
    int today = date_today(), open = monthly_open_month(today);
    int months[2] = {monthly_prev(open), open};
    for (size_t m = 0; m < 2; m++) {
        char mon[8];
        monthly_format(months[m], mon);
        struct stmt *q = store_prepare(
            s, "SELECT DISTINCT c.township_code FROM monthly_confirm c WHERE c.month = $1"
               " AND NOT EXISTS (SELECT 1 FROM monthly_withdraw w WHERE w.confirm_id = c.id)");
        if (!q)
            return -1;
        stmt_bind_str(q, 1, mon);
        char(*done)[10] = NULL;
        size_t nd = 0, da = 0;
        int rc;
        while ((rc = stmt_step(q)) == 1) {
            ALLOC_GROW(done, nd + 1, da);
            snprintf(done[nd++], 10, "%s", stmt_text(q, 0));
        }
        stmt_finalize(q);
        if (rc < 0) {
            free(done);
            return -1;
        }
        int due = monthly_deadline(months[m], ds.confirm_day);
        for (size_t i = 0; i < n; i++) {
            if (code && *code && strcmp(code, tw[i].code))
                continue;
            bool confirmed = false;
            for (size_t k = 0; k < nd && !confirmed; k++)
                confirmed = !strcmp(done[k], tw[i].code);
            if (confirmed)
                continue;
            struct monthly_due d = {.tcode = tw[i].code, .township = tw[i].name, .due = due};
            d.month = ymd_year(months[m]) * 100 + ymd_month(months[m]);
            snprintf(d.what, sizeof(d.what), "%s月报待确认（%d年%d月）",
                     months[m] == open ? "本月" : "", ymd_year(months[m]), ymd_month(months[m]));
            snprintf(d.ref, sizeof(d.ref), "月报 %s", mon);
            fn(ctx, &d);
        }
        free(done);
    }
    return 0;
}
