#include "domain/department.h"

#include "util/common.h"

#define KIND(k) (1u << (k))

static const char *const police_aliases[] = {"公安局", "县公安局", "派出所", "户政", NULL};
static const char *const civil_aliases[] = {"民政局", "县民政局", NULL};
static const char *const disabled_aliases[] = {"残疾人联合会", "县残联", NULL};
static const char *const rural_aliases[] = {"乡村振兴局", "扶贫办", NULL};
static const char *const women_aliases[] = {"妇女联合会", "县妇联", NULL};
static const char *const finance_aliases[] = {"财政局", "县财政局", NULL};
static const char *const aid_aliases[] = {"资助中心", "学生资助管理中心", NULL};
static const char *const edu_aliases[] = {"教育局", "县教育局", "教体局", NULL};
static const char *const hr_aliases[] = {"人社局", "人力资源和社会保障局", "劳动监察", NULL};
static const char *const culture_aliases[] = {"文旅局", "文化和旅游局", "文化市场综合执法", NULL};
static const char *const health_aliases[] = {"卫健局", "卫生健康局", "卫健委", NULL};
static const char *const justice_aliases[] = {"司法局", "县司法局", NULL};
static const char *const audit_aliases[] = {"审计局", "县审计局", NULL};

/*
 * The vocabulary. population (户籍) is the police's; enrollment (学籍) is the education
 * bureau's own export and outside (外出就读) its own list, so no department uploads them. The
 * priority groups' lists are their departments' (issue 15): 脱贫户 and 监测对象 乡村振兴's,
 * 低保/特困/孤儿 and the left-behind register 民政's (妇联 keeps the left-behind register too),
 * disability certificates 残联's, the aid payments the student-aid centre's and 财政's.
 */
const struct department departments[] = {
    {"police", "公安", "县公安局（户籍）", KIND(KIND_POPULATION), DEPT_READS_REGISTRATION,
     police_aliases},
    {"civil_affairs", "民政", "县民政局", KIND(KIND_WELFARE) | KIND(KIND_LEFT_BEHIND), 0,
     civil_aliases},
    {"disabled_persons", "残联", "县残疾人联合会", KIND(KIND_DISABILITY), 0, disabled_aliases},
    {"rural_revitalization", "乡村振兴", "县乡村振兴局", KIND(KIND_POVERTY), 0, rural_aliases},
    {"womens_federation", "妇联", "县妇女联合会", KIND(KIND_LEFT_BEHIND), 0, women_aliases},
    {"finance", "财政", "县财政局", KIND(KIND_AID), DEPT_READS_AID, finance_aliases},
    {"student_aid", "学生资助中心", "学生资助管理中心", KIND(KIND_AID), DEPT_READS_AID,
     aid_aliases},
    /* issue 17: the other members of the joint meeting (联席会议), who upload no list: their
     * accounts see and report on the meeting's decisions they own (casework/meeting.h) */
    {"education", "教育", "县教育局", 0, 0, edu_aliases},
    {"human_resources", "人社", "县人力资源和社会保障局", 0, 0, hr_aliases},
    {"culture_tourism", "文旅", "县文化和旅游局", 0, 0, culture_aliases},
    {"health", "卫健", "县卫生健康局", 0, 0, health_aliases},
    {"justice", "司法", "县司法局", 0, 0, justice_aliases},
    {"audit", "审计", "县审计局", 0, 0, audit_aliases},
};
const unsigned departments_count = ARRAY_SIZE(departments);

const struct department *department_find(const char *key)
{
    for (unsigned i = 0; key && *key && i < departments_count; i++)
        if (!strcmp(key, departments[i].key))
            return &departments[i];
    return NULL;
}

const struct department *department_parse(const char *text)
{
    if (!text || !*text)
        return NULL;
    for (unsigned i = 0; i < departments_count; i++) {
        const struct department *d = &departments[i];
        if (!strcmp(text, d->key) || !strcmp(text, d->name) || !strcmp(text, d->title))
            return d;
        for (const char *const *a = d->aliases; a && *a; a++)
            if (!strcmp(text, *a))
                return d;
    }
    return NULL;
}

bool department_may_upload(const char *key, enum import_kind kind)
{
    const struct department *d = department_find(key);
    return d && kind < KIND__COUNT && (d->kinds & KIND(kind));
}

void department_kinds_text(const struct department *d, struct buf *out)
{
    size_t before = out->len;
    for (int k = 0; d && k < KIND__COUNT; k++)
        if (d->kinds & KIND(k))
            buf_addf(out, "%s%s", out->len > before ? "、" : "", kind_label((enum import_kind)k));
    if (out->len == before)
        buf_adds(out, "（无）");
}

void department_names(struct buf *out)
{
    for (unsigned i = 0; i < departments_count; i++)
        buf_addf(out, "%s%s", i ? "、" : "", departments[i].name);
}

int department_check_upload(const char *key, enum import_kind kind, struct outcome *o)
{
    const struct department *d = department_find(key);
    if (!d)
        return failed(o, OUT_FORBIDDEN,
                      "您的账号还没有指定所属部门，不能上传名单：请系统管理员在“账号和角色”中为"
                      "它选定部门");
    if (kind < KIND__COUNT && (d->kinds & KIND(kind)))
        return 0;
    struct buf may = BUF_INIT;
    department_kinds_text(d, &may);
    failed(o, OUT_FORBIDDEN, "%s的账号不能上传%s名单；本部门可上传：%s", d->title,
           kind < KIND__COUNT ? kind_label(kind) : "这类", may.buf);
    buf_release(&may);
    return -1;
}
