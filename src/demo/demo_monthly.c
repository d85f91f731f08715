/* The demo county's monthly report confirmations (demo/demo_monthly.h). */
#include "demo/demo_monthly.h"

#include "core/division.h"
#include "domain/monthly_due.h"
#include "report/monthly_confirm.h"
#include "store/store.h"
#include "util/common.h"

/* the officials who confirm, one per township in the division's order (cycled) */
static const char *const officials[] = {
    "王建国", "李卫东", "张红梅", "刘志强", "陈秀英", "杨海涛",
    "赵丽娟", "黄永胜", "周晓燕", "吴国庆", "郑春花", "孙立新",
};

static int confirm(struct store *s, const char *actor, int month, const struct township *t,
                   size_t i, struct demo_monthly_summary *out, struct outcome *o)
{
    char mon[8];
    monthly_format(month, mon);
    struct monthly_confirm_input in = {mon, t->code, officials[i % ARRAY_SIZE(officials)],
                                       "已与乡镇控辍保学台账核对"};
    struct buf msg = BUF_INIT;
    int rc = monthly_confirm(s, NULL, &in, actor, &msg, o);
    buf_release(&msg);
    out->confirmed += rc == 0;
    return rc;
}

int demo_monthly(struct store *s, const char *actor, int today, struct demo_monthly_summary *out,
                 struct outcome *o)
{
    memset(out, 0, sizeof(*out));
    struct buf county = BUF_INIT;
    if (store_get_setting(s, "county", &county) < 0) {
        buf_release(&county);
        return fail_store(s, o);
    }
    size_t n = 0;
    const struct township *tw = county.len ? division_townships(county.buf, &n) : NULL;
    buf_release(&county);
    if (n < 4)
        return 0;
    int open = monthly_open_month(today), last = monthly_prev(open), before = monthly_prev(last);
    for (size_t i = 0; i < n; i++)
        if (confirm(s, actor, before, &tw[i], i, out, o) < 0)
            return -1;
    monthly_format(before, out->issued);
    struct monthly_issue_input issue = {out->issued, "演示：各乡镇按期确认"};
    struct buf msg = BUF_INIT;
    int rc = monthly_issue(s, NULL, &issue, actor, &msg, o);
    buf_release(&msg);
    if (rc < 0)
        return -1;
    for (size_t i = 0; i + 1 < n; i++)
        if (confirm(s, actor, last, &tw[i], i, out, o) < 0)
            return -1;
    out->overdue = 1;
    for (size_t i = 2; i < 4; i++)
        if (confirm(s, actor, open, &tw[i], i, out, o) < 0)
            return -1;
    return 0;
}
