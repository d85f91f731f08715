#include "domain/status.h"

#include "util/common.h"

#include "core/date.h"
#include "core/words.h"
#include "core/schoolyear.h"
#include "ingest/field.h"
#include "link/linker.h"
#include "util/buf.h"

/* In the order screens list them: who is to be found first, then who is in school, then who
 * is not the county's concern. */
static const struct word status_words[ST__COUNT] = {
    [ST_ENROLLED] = {"enrolled", "本县在读", "在读|在校", 0, TONE_OK},
    [ST_ENROLLED_ELSEWHERE] = {"enrolled_elsewhere", "外出就读", NULL, 0, TONE_OK},
    [ST_NOT_ENROLLED] = {"not_enrolled", "适龄未入学", "未入学", 0, TONE_BAD},
    [ST_DROPPED_OUT] = {"dropped_out", "辍学", NULL, 0, TONE_BAD},
    [ST_SUSPENDED] = {"suspended", "休学", NULL, 0, TONE_WARN},
    [ST_PENDING_REVIEW] = {"pending_review", "待复核", "疑似记录待复核", 0, TONE_WARN},
    [ST_COMPLETED] = {"completed", "已完成义务教育", "毕业", 0, TONE_MUTED},
    [ST_NOT_YET] = {"not_yet_school_age", "未到入学年龄", NULL, 0, TONE_MUTED},
    [ST_BEYOND] = {"beyond_age", "超出义务教育年龄", NULL, 0, TONE_MUTED},
    [ST_INACTIVE] = {"inactive", "户籍非正常（迁出/死亡/注销）", "户籍非正常", 0, TONE_MUTED},
    [ST_ENROLLED_NONLOCAL] = {"enrolled_nonlocal", "在读，非本县户籍",
                              "非本县户籍|在读非本县户籍|随迁子女|有学籍无户籍", 0, TONE_OK},
};
const struct vocab child_statuses = {"儿童状态", status_words, ST__COUNT};

const char *status_key(enum child_status s)
{
    return s < ST__COUNT ? status_words[s].key : "";
}

const char *status_label(enum child_status s)
{
    return s < ST__COUNT ? status_words[s].label : "";
}

int status_parse(const char *text)
{
    /* stored keys first, without normalising: every row of a run is read through here */
    for (int s = 0; text && s < ST__COUNT; s++)
        if (!strcmp(text, status_words[s].key))
            return s;
    return text ? vocab_parse(&child_statuses, text) : -1;
}

static const char *const nonlocal_keys[] = {"other", "local", "none"};
static const char *const nonlocal_labels[] = {"外县身份证号", "身份证号属本县", "无可用身份证号"};

const char *nonlocal_id_key(enum nonlocal_id k)
{
    return (unsigned)k < ARRAY_SIZE(nonlocal_keys) ? nonlocal_keys[k] : "";
}

const char *nonlocal_id_label(enum nonlocal_id k)
{
    return (unsigned)k < ARRAY_SIZE(nonlocal_labels) ? nonlocal_labels[k] : "";
}

void status_describe(const struct status_facts *f, struct buf *out)
{
    int cy = ymd_year(f->cutoff), cm = ymd_month(f->cutoff), cd = ymd_day(f->cutoff);
    const char *school = f->school ? f->school : "";
    const char *grade = f->school_grade ? grade_name(f->school_grade) : "";
    switch (f->st) {
    case ST_INACTIVE:
        buf_addf(out, "户籍状态为“%s”，不计入本县适龄儿童",
                 reg_status_label((enum reg_status)f->reg));
        return;
    case ST_NOT_YET:
        buf_addf(out, "截至 %d年%d月%d日 %d 岁，未到入学年龄", cy, cm, cd, f->age);
        if (*school)
            buf_addf(out, "（已提前在%s就读）", school);
        return;
    case ST_ENROLLED:
        buf_addf(out, "在%s就读%s，学籍状态在读", school, grade);
        if (f->method != LKM_ID_EXACT && f->method != LKM_NONE)
            buf_addf(out, "（学籍记录经%s关联）", lk_method_label((enum lk_method)f->method));
        return;
    case ST_ENROLLED_ELSEWHERE:
        buf_addf(out, "在外地%s就读（外出就读名单）", school);
        return;
    case ST_BEYOND:
        buf_addf(out, "截至 %d年%d月%d日 %d 岁，超出义务教育年龄段，且无在读学籍", cy, cm, cd,
                 f->age);
        return;
    case ST_COMPLETED:
        buf_addf(out, "学籍显示已于%s毕业", school);
        return;
    case ST_SUSPENDED:
        buf_addf(out, "在%s%s休学", school, grade);
        return;
    case ST_DROPPED_OUT:
        buf_addf(out, "学籍记录显示从%s%s辍学，且没有其他在读学籍", school, grade);
        return;
    case ST_PENDING_REVIEW:
        /* A clerk decides first (desk work before a door knock); meanwhile the child is on
         * the out-of-school list, marked so. */
        buf_adds(out, "未找到确定属于此人的学籍，有疑似属于此人的学籍或外出就读记录等待人工复核；"
                      "复核为同一人的按该记录判定，不是同一人的仍为未在校");
        return;
    case ST_ENROLLED_NONLOCAL:
        buf_addf(out, "在%s就读%s，学籍状态在读，本县户籍名单中没有此人", school, grade);
        if (f->id_origin == NONLOCAL_LOCAL)
            buf_adds(out, "；学籍身份证号属本县，可能未在本县落户或户籍信息有误，请公安核查");
        else if (f->id_origin == NONLOCAL_NONE)
            buf_adds(out, "；学籍中没有可用的身份证号，可能未落户，请公安核查");
        else
            buf_adds(out, "（外县户籍，随迁子女）");
        return;
    case ST_NOT_ENROLLED:
    case ST__COUNT:
        break;
    }
    if (f->age >= 0 && f->grade >= 1 && f->grade <= 9)
        buf_addf(out, "%d 岁（应读%s），", f->age, grade_name(f->grade));
    else if (f->age >= 0)
        buf_addf(out, "%d 岁（按年龄应已读完九年级），", f->age);
    else
        buf_adds(out, "出生日期不明，");
    if (*school && f->school_state == ENR_TRANSFERRED)
        buf_addf(out, "学籍显示已从%s转出，但未发现新的在读学籍", school);
    else if (*school && f->school_state == ENR_DECEASED)
        buf_addf(out, "学籍记录为“死亡”而户籍状态正常，需核实");
    else if (!f->has_id)
        buf_adds(out, "户籍中没有可用的身份证号，无法与学籍比对，本县学籍和外出就读名单中均未找到");
    else
        buf_adds(out, "本县学籍和外出就读名单中均未找到此人");
    if (f->bad_check)
        buf_adds(out, "；注意：户籍身份证号校验位错误，可能是录入错误导致未匹配");
}
