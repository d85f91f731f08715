/*
 * The wellbeing tests' county (test_wellbeing.c, test_illness.c, test_mental.c): three pupils —
 * 王一 and 王二 at 郑庄镇中心小学 (2114052101, 郑庄镇), 赵丽 at 端氏镇中心小学 (2114052102,
 * 端氏镇) — and 李四, who is at no school; a cross-check as of 2026-11-20. Static: each test
 * file includes it once.
 */
#include "domain/user.h"
#include "ingest/import.h"
#include "testutil.h"
#include "util/buf.h"

struct wb_ids {
    int64_t wang1, wang2, zhao, li;
};

static inline struct wb_ids wb_county(struct tu_fx *fx)
{
    char a[19], b[19], c[19], d[19];
    tu_make_id(a, "140521", 20150304, 11);
    tu_make_id(b, "140521", 20160510, 13);
    tu_make_id(c, "140521", 20140606, 15);
    tu_make_id(d, "140521", 20140707, 17);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,性别,公民身份号码,出生日期,乡镇,村,监护人,户籍状态\n"
             "王一,男,%s,2015-03-04,郑庄镇,东村,王父,正常\n"
             "王二,男,%s,2016-05-10,郑庄镇,东村,王父,正常\n"
             "赵丽,女,%s,2014-06-06,端氏镇,端氏村,赵父,正常\n"
             "李四,男,%s,2014-07-07,端氏镇,端氏村,李父,正常\n",
             a, b, c, d);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "学校名称,学校标识码,年级,姓名,性别,出生日期,身份证件号,学籍状态\n"
             "郑庄镇中心小学,2114052101,六年级,王一,男,2015-03-04,%s,在读\n"
             "郑庄镇中心小学,2114052101,五年级,王二,男,2016-05-10,%s,在读\n"
             "端氏镇中心小学,2114052102,六年级,赵丽,女,2014-06-06,%s,在读\n",
             a, b, c);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", csv.buf);
    buf_release(&csv);
    tu_match(fx, 20261120);
    struct wb_ids ids;
    const char *sql = "SELECT id FROM record WHERE batch_id = 1 AND name = $1";
    ids.wang1 = tu_int(fx->s, sql, "王一");
    ids.wang2 = tu_int(fx->s, sql, "王二");
    ids.zhao = tu_int(fx->s, sql, "赵丽");
    ids.li = tu_int(fx->s, sql, "李四");
    return ids;
}

/* An account (its id), made as the command line makes one. */
static inline int64_t wb_user(struct tu_fx *fx, const char *name, enum role role,
                              const char *school, const char *township)
{
    struct user u = {.role = role};
    snprintf(u.name, sizeof(u.name), "%s", name);
    if (school)
        snprintf(u.school, sizeof(u.school), "%s", school);
    if (township)
        snprintf(u.township, sizeof(u.township), "%s", township);
    struct outcome o = OUTCOME_INIT;
    if (user_add(fx->s, &u, "a-long-password-1", "test", "cli", &o) < 0)
        fail_msg("%s", o.msg.buf);
    return tu_int(fx->s, "SELECT id FROM app_user WHERE name = $1", name);
}
