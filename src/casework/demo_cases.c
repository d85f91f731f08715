#include "casework/demo_cases.h"

#include "casework/case.h"
#include "casework/casework.h"
#include "casework/placement.h"
#include "core/date.h"
#include "domain/batch.h"

#include <jansson.h>
#include "store/store.h"
#include "util/common.h"

/*
 * A few realistic verification outcomes and one case under persuasion, recorded on the demo
 * county's first open tasks (in task order, so the same seed gives the same database) by the
 * people they were assigned to. Every screen then has data: verify list (closed, outreach,
 * open), case list/show (attempts, a ladder step, a case whose only attempt is a phone call and
 * still owes its first visit),
 * tasks (first visits, deadlines), people (open items).
 */

struct script {
    const char *outcome, *kind, *school, *evidence, *note, *reason, *other;
};

static const struct script scripts[] = {
    {"确认失学辍学", NULL, NULL, NULL,
     "入户核实：儿童在家，未在任何学校就读，家长称孩子厌学、不愿上学", "学习困难/厌学",
     "家庭经济困难"},
    {"随父母外出无法联系", NULL, NULL, NULL,
     "邻居称全家于春节后赴外省务工，监护人电话已停机，已请村委会继续联系", NULL, NULL},
    {"省外就读", NULL, "浙江省义乌市稠城第二小学", "就读学校出具的在读证明（电话核实）",
     "随父母在义乌务工地就读", NULL, NULL},
    {"户籍问题", "空挂户", NULL, NULL, "户籍在本村，全家多年前已迁居外地，村委会出具证明", NULL,
     NULL},
    {"确认失学辍学", NULL, NULL, NULL, "入户核实：已外出打工，家长同意配合劝返", "外出打工", NULL},
    {"送教上门/因病因残", NULL, NULL, "县残联残疾人证；中心小学送教上门安排表",
     "重度残疾，由中心小学每周送教上门两次", NULL, NULL},
    /* the 户籍问题 the 户籍核查反馈表 sends the police (issue 13): recorded on the last tasks
     * (FRONT_SCRIPTS), so that the first townships keep open tasks to show */
    {"户籍问题", "双重户籍", NULL, "外省户口簿复印件",
     "随父母迁居外省并已在当地落户，本县户籍未注销，在外省就读", NULL, NULL},
    {"户籍问题", "查无此人", NULL, NULL, "村委会和邻居均称本村无此人，户籍地址无人居住", NULL,
     NULL},
    {"户籍问题", "证件错误", NULL, "出生医学证明复印件",
     "户籍登记的出生日期与出生医学证明不符，身份证号因此有误", NULL, NULL},
};

/* The scripts recorded on the first tasks; the others on the last ones. */
#define FRONT_SCRIPTS 6

static int64_t one(struct store *s, const char *sql, int64_t a)
{
    char p1[24];
    snprintf(p1, sizeof(p1), "%lld", (long long)a);
    const char *p[] = {p1};
    int64_t v = 0;
    return store_int(s, sql, 1, p, &v) < 0 ? -1 : v;
}

/* The result of one write; its message (for a person at a terminal) is not printed here. */
static int done(int rc, struct buf *msg)
{
    buf_reset(msg);
    return rc;
}

/* "王五、李四、家长" for an attempt's people present. */
static void people_names(struct store *s, int64_t a, int64_t b, struct buf *out)
{
    int64_t ids[] = {a, b};
    for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
        if (!ids[i])
            continue;
        struct stmt *q = store_prepare(s, "SELECT name FROM person WHERE id = $1");
        if (!q)
            continue;
        stmt_bind_int(q, 1, ids[i]);
        if (stmt_step(q) == 1)
            buf_addf(out, "%s、", stmt_text(q, 0));
        stmt_finalize(q);
    }
    buf_adds(out, "家长");
}

/*
 * The disabled child of the 送教上门 outcome (issue 15): placed 送教上门 since the first day of
 * last month with a school of its township (the school's teacher, when the registry has one,
 * teaches), two visits last month (the minimum met) and one this month (short of it: 待办 owes
 * it by the month's last day).
 */
static int demo_send_teaching(struct store *s, int64_t task, const char *tname, const char *tcode,
                              const char *actor, struct outcome *o)
{
    int64_t record = one(s, "SELECT record_id FROM verify_task WHERE id = $1", task);
    if (record <= 0)
        return fail_store(s, o);
    char school[32] = "", teacher[64] = "送教教师";
    json_t *all = batch_schools(s);
    json_t *list = json_is_array(all) ? all : json_object_get(all, "schools");
    size_t i;
    json_t *sch;
    json_array_foreach(list, i, sch)
    {
        /* the township's own school (its name begins with the township's), else the first */
        const char *name = json_string_value(json_object_get(sch, "name"));
        bool here = !strcmp(json_string_value(json_object_get(sch, "township")), tname) ||
                    (*tname && name && !strncmp(name, tname, strlen(tname)));
        if (!*school || here)
            snprintf(school, sizeof(school), "%s", json_string_value(json_object_get(sch, "code")));
        if (here)
            break;
    }
    json_decref(all);
    if (!*school)
        return 0; /* no 学籍 list: no school to send teachers */
    struct stmt *q = store_prepare(s, "SELECT name FROM person WHERE active = 1"
                                      " AND org_kind = 'school' AND township_code = $1"
                                      " ORDER BY id LIMIT 1");
    if (q) {
        stmt_bind_str(q, 1, tcode);
        if (stmt_step(q) == 1)
            snprintf(teacher, sizeof(teacher), "%s", stmt_text(q, 0));
        stmt_finalize(q);
    }
    int today = date_today();
    int last_month = days_to_ymd(ymd_to_days(month_first_day(today)) - 1);
    char since[11], d1[11], d2[11], d3[11];
    date_format(month_first_day(last_month), since);
    date_format(month_first_day(last_month) + 6, d1);
    date_format(month_first_day(last_month) + 20, d2);
    date_format(month_first_day(today), d3);
    struct buf msg = BUF_INIT;
    struct placement_input pi = {.kind = "送教上门",
                                 .school = school,
                                 .since = since,
                                 .note = "重度肢体残疾，无法到校，经评估安排送教上门"};
    int rc = done(placement_set(s, NULL, record, &pi, actor, &msg, o), &msg);
    struct send_visit_input v[] = {
        {d1, teacher, "2", "语文识字、看图说话", NULL, NULL},
        {d2, teacher, "2.5", "数学数数、生活自理训练", NULL, NULL},
        {d3, teacher, "2", "语文识字复习、康复训练", NULL, NULL},
    };
    for (size_t k = 0; rc == 0 && k < ARRAY_SIZE(v); k++)
        if (date_or_zero(v[k].date) <= today)
            rc = done(placement_visit(s, NULL, record, &v[k], actor, &msg, o), &msg);
    buf_release(&msg);
    return rc;
}

int demo_cases(struct store *s, const char *actor, struct demo_cases_summary *out,
               struct outcome *o)
{
    memset(out, 0, sizeof(*out));
    struct stmt *q = store_prepare(
        s, "SELECT v.id, coalesce((SELECT a.person_id FROM assignment a WHERE a.task_id = v.id"
           "  AND a.role = 'township' ORDER BY a.id DESC LIMIT 1), 0),"
           " coalesce((SELECT a.person_id FROM assignment a WHERE a.task_id = v.id"
           "  AND a.role = 'village' ORDER BY a.id DESC LIMIT 1), 0),"
           " coalesce(v.township, ''), coalesce(v.township_code, '')"
           " FROM verify_task v WHERE v.state = 'open' ORDER BY v.id LIMIT 64");
    if (!q) {
        return fail_store(s, o);
    }
    struct row {
        int64_t task, township, village;
        char tname[64], tcode[10];
    } rows[64];
    size_t n = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1 && n < ARRAY_SIZE(rows)) {
        struct row *r = &rows[n++];
        r->task = stmt_int(q, 0);
        r->township = stmt_int(q, 1);
        r->village = stmt_int(q, 2);
        snprintf(r->tname, sizeof(r->tname), "%s", stmt_text(q, 3));
        snprintf(r->tcode, sizeof(r->tcode), "%s", stmt_text(q, 4));
    }
    stmt_finalize(q);
    if (rc < 0) {
        return fail_store(s, o);
    }
    struct buf msg = BUF_INIT, people = BUF_INIT, authority = BUF_INIT;
    int ret = 0;
    size_t k = 0;
    /* which task each script is recorded on: only tasks someone was assigned to, the first
     * ones in task order, then the last ones backwards */
    size_t pick[ARRAY_SIZE(scripts)], npick = 0;
    for (size_t i = 0; i < n && npick < FRONT_SCRIPTS; i++)
        if (rows[i].township)
            pick[npick++] = i;
    size_t front_end = npick ? pick[npick - 1] + 1 : 0;
    for (size_t i = n; i > front_end && npick < ARRAY_SIZE(scripts); i--)
        if (rows[i - 1].township)
            pick[npick++] = i - 1;
    for (size_t p = 0; p < npick && ret == 0; p++) {
        const struct row *r = &rows[pick[p]];
        const struct script *sc = &scripts[k++];
        char by[24];
        snprintf(by, sizeof(by), "%lld", (long long)r->township);
        struct verify_input vi = {.outcome = sc->outcome,
                                  .subkind = sc->kind,
                                  .by = by,
                                  .note = sc->note,
                                  .school = sc->school,
                                  .evidence = sc->evidence,
                                  .reason = sc->reason,
                                  .other_reasons = sc->other};
        ret = done(verify_record(s, r->task, &vi, actor, &msg, o), &msg);
        if (ret < 0)
            break;
        out->verified++;
        if (!strncmp(sc->outcome, "送教上门", strlen("送教上门"))) {
            ret = demo_send_teaching(s, r->task, r->tname, r->tcode, actor, o);
            if (ret < 0)
                break;
            continue;
        }
        if (!sc->reason)
            continue;
        int64_t case_id = one(s, "SELECT id FROM case_file WHERE task_id = $1", r->task);
        if (case_id <= 0) {
            ret = fail_store(s, o);
            break;
        }
        out->cases++;
        buf_reset(&people);
        people_names(s, r->township, r->village, &people);
        if (out->cases > 1) {
            /* the second case: a phone call only, which is no visit: its first visit (入户 or
             * face to face) is still owed */
            struct attempt_input call = {.method = "电话",
                                         .people = people.buf,
                                         .said = "电话联系家长，告知孩子须返校就读",
                                         .response = "家长称孩子在外地亲戚家，过几天回来",
                                         .result = "约定孩子回来后入户面谈",
                                         .next_step = "孩子回村后入户走访"};
            ret = done(case_attempt(s, case_id, &call, actor, &msg, o), &msg);
            if (ret == 0)
                out->attempts++;
            continue;
        }
        /* the first case: a pairing teacher of the township, a phone call, a home visit and an
         * interview, the first step of the legal ladder */
        char tnum[24] = "";
        q = store_prepare(s, "SELECT id FROM person WHERE active = 1 AND org_kind = 'school'"
                             " AND township_code = $1 ORDER BY role <> '结对帮扶教师', id LIMIT 1");
        if (q) {
            stmt_bind_str(q, 1, r->tcode);
            if (stmt_step(q) == 1)
                snprintf(tnum, sizeof(tnum), "%lld", (long long)stmt_int(q, 0));
            stmt_finalize(q);
        }
        if (*tnum) {
            struct assign_input ai = {.teacher = tnum, .reason = "结对帮扶"};
            ret = done(casework_assign(s, 0, case_id, &ai, actor, &msg, o), &msg);
        }
        struct attempt_input a0 = {.method = "电话",
                                   .people = people.buf,
                                   .said = "电话联系家长，约定入户时间",
                                   .response = "家长同意次日在家等候",
                                   .result = "约定次日入户走访",
                                   .next_step = "入户走访"};
        struct attempt_input a1 = {.method = "入户走访",
                                   .people = people.buf,
                                   .said =
                                       "宣讲义务教育法，讲明适龄儿童必须接受义务教育，介绍资助政策",
                                   .response = "家长表示孩子不愿上学，担心跟不上",
                                   .result = "家长同意劝说孩子，孩子暂不愿返校",
                                   .next_step = "约谈家长，安排结对教师辅导"};
        struct attempt_input a2 = {.method = "约谈家长",
                                   .people = people.buf,
                                   .said = "约谈家长，告知监护人送子女入学的法定义务",
                                   .response = "家长承诺送孩子返校",
                                   .result = "家长同意送孩子返校，待下周一报到",
                                   .next_step = "结对教师到校接应，跟踪到校情况"};
        buf_reset(&authority);
        buf_addf(&authority, "%s人民政府", r->tname);
        struct ladder_input li = {.step = "宣传教育",
                                  .authority = authority.buf,
                                  .result = "已向家长宣讲政策并送达宣传材料"};
        if (ret == 0)
            ret = done(case_attempt(s, case_id, &a0, actor, &msg, o), &msg);
        if (ret == 0)
            ret = done(case_attempt(s, case_id, &a1, actor, &msg, o), &msg);
        if (ret == 0)
            ret = done(case_attempt(s, case_id, &a2, actor, &msg, o), &msg);
        if (ret == 0)
            ret = done(case_escalate(s, case_id, &li, actor, &msg, o), &msg);
        if (ret == 0) {
            out->attempts += 3;
            out->ladder_steps++;
        }
    }
    buf_release(&msg);
    buf_release(&people);
    buf_release(&authority);
    return ret;
}
