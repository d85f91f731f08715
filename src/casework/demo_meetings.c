/* The demo county's 联席会议 and 约谈 (casework/demo_meetings.h). */
#include "casework/demo_meetings.h"

#include "casework/meeting.h"
#include "core/date.h"
#include "domain/status.h"
#include "store/store.h"
#include "util/common.h"

static void day(int today, int shift, char out[11])
{
    date_format(days_to_ymd(ymd_to_days(today) + shift), out);
}

/* A child of the latest run out of school, of working age, with an ID: "姓名 身份证号". */
static int out_of_school(struct store *s, char *line, size_t size)
{
    line[0] = '\0';
    struct stmt *q = store_prepare(
        s, "SELECT r.name, r.id_number FROM child_status c JOIN record r ON r.id = c.record_id"
           " WHERE c.run_id = (SELECT id FROM match_run WHERE finished_at IS NOT NULL"
           " ORDER BY id DESC LIMIT 1) AND c.status = $1 AND r.id_number IS NOT NULL"
           " AND r.name IS NOT NULL ORDER BY coalesce(c.age, 0) DESC, c.record_id LIMIT 1");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, status_key(ST_DROPPED_OUT));
    int rc = stmt_step(q);
    if (rc == 1)
        snprintf(line, size, "%s %s", stmt_text(q, 0), stmt_text(q, 1));
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static int township(struct store *s, char code[16])
{
    code[0] = '\0';
    struct stmt *q = store_prepare(
        s, "SELECT township_code FROM record WHERE batch_id = (SELECT population_batch FROM"
           " match_run WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1)"
           " AND township_code IS NOT NULL ORDER BY township_code LIMIT 1");
    if (!q)
        return -1;
    int rc = stmt_step(q);
    if (rc == 1)
        snprintf(code, 16, "%s", stmt_text(q, 0));
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int demo_meetings(struct store *s, const char *actor, int *decisions, int *commitments,
                  struct outcome *o)
{
    *decisions = *commitments = 0;
    int today = date_today();
    char d30[11], d25[11], d22[11], d20[11], d12[11], d10[11], d7[11], d5[11], d40[11];
    char f15[11], f20[11], f30[11], month[16], minor[160], town[16];
    day(today, -40, d40);
    day(today, -30, d30);
    day(today, -25, d25);
    day(today, -22, d22);
    day(today, -20, d20);
    day(today, -12, d12);
    day(today, -10, d10);
    day(today, -7, d7);
    day(today, -5, d5);
    day(today, 15, f15);
    day(today, 20, f20);
    day(today, 30, f30);
    /* the month whose ranking led to the interview: the one before the interview's */
    int prev = days_to_ymd(ymd_to_days(date_or_zero(d40)) - 28);
    snprintf(month, sizeof(month), "%04d-%02d", prev / 10000 % 10000, prev / 100 % 100);
    if (out_of_school(s, minor, sizeof(minor)) < 0 || township(s, town) < 0)
        return fail_store(s, o);
    struct buf msg = BUF_INIT;
    int64_t mid, id;
    const struct meeting_input m = {
        d30, "控辍保学工作联席会议（第四季度）", "县政府分管副县长",
        "教育、公安、财政、乡村振兴、民政、残联、人社、文旅、卫健、司法",
        "通报全县控辍保学进展，部署各部门职责任务：户籍核查、困难家庭救助、未成年人务工"
        "和娱乐场所检查。"};
    int rc = meeting_add(s, NULL, &m, actor, &mid, &msg, o);
    const struct decision_input ds[] = {
        {"公安", "核实“户籍问题”儿童的户籍信息，注销重复户口，补登漏登户口", f20, NULL},
        {"民政", "对辍学儿童中的低保、特困家庭逐户落实救助，月底前报送名单", d5, NULL},
        {"人社", "开展未成年人务工专项检查，发现的未成年人移交教育部门劝返", f30,
         "未成年人务工检查"},
        {"文旅", "检查城区网吧、歌舞厅接纳未成年人情况", f15, "网吧/歌舞厅检查"},
    };
    int64_t did[4] = {0};
    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(ds); i++) {
        buf_reset(&msg);
        rc = meeting_decide(s, NULL, mid, &ds[i], actor, &did[i], &msg, o);
        *decisions += rc == 0;
    }
    const struct progress_input police = {"进行中", "已核实 12 名儿童户籍，注销重复户口 3 个", d12,
                                          "县公安局户政大队"};
    const struct duty_check_input labour = {d10, "县城工业园区 6 家企业、2 家餐馆", "1",
                                            "发现 1 名未满 16 周岁务工人员，已责令用人单位清退，"
                                            "移交县教育局劝返",
                                            minor};
    const struct duty_check_input venue = {d7, "城区网吧 8 家、歌舞厅 3 家", "0",
                                           "未发现接纳未成年人，已张贴禁入标志", ""};
    const struct progress_input venue_done = {"已完成", "检查完毕，未发现未成年人", d7,
                                              "县文化市场综合执法大队"};
    if (rc == 0) {
        buf_reset(&msg);
        rc = decision_report(s, NULL, did[0], &police, actor, &msg, o);
    }
    if (rc == 0) {
        buf_reset(&msg);
        rc = duty_check_add(s, NULL, did[2], &labour, actor, &id, &msg, o);
    }
    if (rc == 0) {
        buf_reset(&msg);
        rc = duty_check_add(s, NULL, did[3], &venue, actor, &id, &msg, o);
    }
    if (rc == 0) {
        buf_reset(&msg);
        rc = decision_report(s, NULL, did[3], &venue_done, actor, &msg, o);
    }
    /* 约谈 of a township's official */
    int64_t iid = 0;
    if (rc == 0 && *town) {
        const struct interview_input in = {town,
                                           "张建国",
                                           "分管教育副镇长",
                                           "县教育局局长李明、督学王芳",
                                           d40,
                                           "控辍保学月度排名末位，辍学学生劝返进度滞后",
                                           month,
                                           NULL};
        buf_reset(&msg);
        rc = interview_add(s, NULL, &in, actor, &iid, &msg, o);
        const struct commitment_input cs[] = {
            {"对长期旷课学生逐一落实包保责任人", d25},
            {"两周内完成全部辍学学生的入户劝返", d20},
            {"建立乡镇控辍保学月报制度，每月 10 日前报县教育局", f20},
        };
        int64_t cid[3] = {0};
        for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(cs); i++) {
            buf_reset(&msg);
            rc = interview_commit(s, NULL, iid, &cs[i], actor, &cid[i], &msg, o);
            *commitments += rc == 0;
        }
        char first[24];
        snprintf(first, sizeof(first), "%lld", (long long)cid[0]);
        const struct interview_follow_input f = {
            d22, "督学王芳", "已为 5 名长期旷课学生明确包保干部和结对教师", first, "是"};
        if (rc == 0) {
            buf_reset(&msg);
            rc = interview_follow(s, NULL, iid, &f, actor, &msg, o);
        }
    }
    buf_release(&msg);
    return rc;
}
