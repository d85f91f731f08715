/* The demo county's wellbeing ledgers (casework/demo_wellbeing.h). */
#include "casework/demo_wellbeing.h"

#include "casework/wellbeing.h"
#include "core/date.h"
#include "store/store.h"
#include "util/common.h"

/* Up to `want` pupils of `school` in the latest run (their record ids), in record order. */
static int pupils(struct store *s, const char *school, int64_t *out, int want, struct outcome *o)
{
    struct stmt *q = store_prepare(
        s, "SELECT r.id FROM record r WHERE r.batch_id = (SELECT population_batch FROM match_run"
           " WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1) ORDER BY r.id");
    if (!q)
        return fail_store(s, o);
    int64_t *ids = NULL;
    size_t n = 0, alloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(ids, n + 1, alloc);
        ids[n++] = stmt_int(q, 0);
    }
    stmt_finalize(q);
    if (rc < 0) {
        free(ids);
        return fail_store(s, o);
    }
    int got = 0;
    for (size_t i = 0; i < n && got < want; i++) {
        struct wb_child c;
        int f = wb_child_load(s, ids[i], &c, o);
        if (f < 0) {
            free(ids);
            return -1;
        }
        if (f == 1 && !strcmp(c.school, school))
            out[got++] = ids[i];
    }
    free(ids);
    return got;
}

static void day(int today, int back, char out[11])
{
    date_format(days_to_ymd(ymd_to_days(today) - back), out);
}

int demo_wellbeing(struct store *s, const char *actor, int *illnesses, int *entries,
                   struct outcome *o)
{
    *illnesses = *entries = 0;
    int64_t p[5];
    int n = pupils(s, DEMO_WELLBEING_SCHOOL, p, 5, o);
    if (n < 0)
        return -1;
    if (n < 5)
        return 0; /* a county too small to have them: no ledgers */
    int today = date_today();
    char d90[11], d60[11], d30[11], d12[11], d10[11], d5[11], d3[11], d40[11], d20[11], d2[11];
    day(today, 90, d90);
    day(today, 60, d60);
    day(today, 40, d40);
    day(today, 30, d30);
    day(today, 20, d20);
    day(today, 12, d12);
    day(today, 10, d10);
    day(today, 5, d5);
    day(today, 3, d3);
    day(today, 2, d2);
    struct buf msg = BUF_INIT;
    int64_t id[3];
    struct illness_input ill[] = {
        {"慢性病", "慢性肾病（肾病综合征），需长期服药、定期透析", "是", d90, NULL, "无法到校",
         NULL, "县人民医院诊断证明", "家长申请在家治疗，学校每周电话了解学习情况"},
        {"传染病", "流行性腮腺炎", NULL, d12, d3, "无法到校", NULL, "县妇幼保健院门诊病历",
         "居家隔离至腮腺消肿，已通知班级同学家长留意"},
        {"意外伤害", "课间摔伤致右前臂骨折", "否", d40, d20, "部分缺课", NULL, NULL,
         "石膏固定期间由家长接送，体育课免修"},
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(ill); i++) {
        buf_reset(&msg);
        rc = illness_add(s, NULL, p[i], &ill[i], actor, &id[i], &msg, o);
        if (rc == 0)
            ++*illnesses;
    }
    struct illness_follow_input fo[] = {
        {d60, "班主任李老师", "电话随访：病情稳定，每周两次透析，孩子想念同学，希望能在家学习",
         NULL},
        {d30, "班主任李老师", "入户随访：复查指标好转，医生建议继续居家治疗，家长询问送教上门",
         NULL},
        {d2, "班主任王老师", "已返校，校医复查无传染性，补课安排到周末", NULL},
    };
    int64_t of[] = {id[0], id[0], id[1]};
    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(fo); i++) {
        buf_reset(&msg);
        rc = illness_follow(s, NULL, of[i], &fo[i], actor, &msg, o);
    }
    int64_t m1 = 0, m2 = 0;
    char f20[11]; /* the second's next review, in 20 days; the first's is overdue */
    date_format(days_to_ymd(ymd_to_days(today) + 20), f20);
    struct mental_input mi[] = {
        {NULL, "重点关注", "父母离异后情绪低落，上课注意力不集中，近两周两次独自哭泣（班主任发现）",
         "学校心理辅导教师", "心理辅导室张老师", d40, d5},
        {NULL, "一般关注", "考试焦虑，考前失眠、食欲差（本人向心理辅导室求助）", "未转介", NULL,
         d10, f20},
    };
    if (rc == 0) {
        buf_reset(&msg);
        rc = mental_add(s, NULL, p[3], &mi[0], actor, &m1, &msg, o);
    }
    if (rc == 0) {
        buf_reset(&msg);
        rc = mental_add(s, NULL, p[4], &mi[1], actor, &m2, &msg, o);
    }
    struct mental_note_input ev[] = {
        {NULL, "干预", d30, "心理辅导室张老师", "个别辅导一次，约定每周三课后谈心；与家长电话沟通",
         NULL, NULL, NULL},
        {NULL, "干预", d20, "心理辅导室张老师", "第二次个别辅导，情绪有所好转，仍回避谈及家庭",
         NULL, NULL, NULL},
        {NULL, "干预", d5, "心理辅导室张老师", "放松训练和考试策略辅导", NULL, NULL, NULL},
    };
    int64_t em[] = {m1, m1, m2};
    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(ev); i++) {
        buf_reset(&msg);
        rc = mental_note(s, NULL, em[i], &ev[i], actor, &msg, o);
    }
    if (rc == 0)
        *entries = 2;
    buf_release(&msg);
    return rc;
}
