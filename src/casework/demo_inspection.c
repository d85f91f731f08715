/* The demo county's inspection and its rectification items (demo_inspection.h). */
#include "casework/demo_inspection.h"

#include "casework/demo_wellbeing.h"
#include "casework/inspection.h"
#include "core/date.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/common.h"

static int add_days(int ymd, long n)
{
    return days_to_ymd(ymd_to_days(ymd) + n);
}

int demo_inspection(struct store *s, const char *actor, int *findings, struct outcome *o)
{
    *findings = 0;
    struct buf town = BUF_INIT;
    struct stmt *q = store_prepare(s, "SELECT coalesce(min(township_code), '') FROM verify_task");
    if (!q)
        return fail_store(s, o);
    if (stmt_step(q) == 1)
        buf_adds(&town, stmt_text(q, 0));
    stmt_finalize(q);
    if (!town.len) {
        buf_release(&town);
        return 0;
    }
    int today = date_today();
    char on[11], before[11], after[11], past[11], units[64];
    date_format(add_days(today, -40), on);
    date_format(add_days(today, -10), before);
    date_format(add_days(today, -3), past);
    date_format(add_days(today, 20), after);
    snprintf(units, sizeof(units), "%s\n%s", town.buf, DEMO_WELLBEING_SCHOOL);
    struct buf msg = BUF_INIT;
    const struct scope county = {.user = actor, .origin = "cli", .role = ROLE_COUNTY};
    const struct scope tz = {.user = actor, .role = ROLE_TOWNSHIP, .township = town.buf};
    const struct scope sch = {.user = actor, .role = ROLE_SCHOOL, .school = DEMO_WELLBEING_SCHOOL};
    const struct inspection_input in = {
        on, "县人民政府教育督导室 张督学、李督学", units,
        "检查组查阅了控辍保学工作台账、劝返复学记录和一人一案材料，抽查了部分学生到校情况。"
        "总体上按要求开展了摸排和劝返，个别单位台账不完整、佐证材料不足。"};
    int64_t id, school_item, town_item, late_item;
    int rc = inspection_create(s, &county, &in, actor, &id, &msg, o);
    const struct finding_input f1 = {DEMO_WELLBEING_SCHOOL,
                                     "辍学学生台账未按月更新，缺少班主任签字", "王校长", before};
    const struct finding_input f2 = {town.buf, "劝返复学记录缺少入户走访的佐证材料", "乡镇分管领导",
                                     after};
    const struct finding_input f3 = {town.buf, "控辍保学联席会议未按季度召开", "乡镇分管领导",
                                     past};
    if (rc == 0)
        rc = inspection_finding(s, &county, id, &f1, actor, &school_item, &msg, o);
    if (rc == 0)
        rc = inspection_finding(s, &county, id, &f2, actor, &town_item, &msg, o);
    if (rc == 0)
        rc = inspection_finding(s, &county, id, &f3, actor, &late_item, &msg, o);
    const struct rectify_input done = {"已补全各班辍学学生台账，班主任逐月签字确认", before};
    const struct rectify_input ok = {"经查阅台账，已整改到位", NULL};
    const struct rectify_input sent = {"已补充入户走访照片和家长签字的走访记录", NULL};
    if (rc == 0)
        rc = rectify_act(s, &sch, school_item, RA_SUBMIT, &done, actor, &msg, o);
    if (rc == 0)
        rc = rectify_act(s, &county, school_item, RA_ACCEPT, &ok, actor, &msg, o);
    if (rc == 0)
        rc = rectify_act(s, &tz, town_item, RA_SUBMIT, &sent, actor, &msg, o);
    buf_release(&msg);
    buf_release(&town);
    if (rc == 0)
        *findings = 3;
    return rc;
}
