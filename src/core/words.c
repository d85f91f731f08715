#include "core/words.h"

#include "util/common.h"
#include "util/utf8.h"

#include <strings.h>

static const struct word vo_words[] = {
    {"registered", "已在校注册学籍", "已注册学籍|在校|已在校", VO_CLAIMS_SCHOOL | VO_NEEDS_EVIDENCE,
     TONE_NONE},
    {"in_province", "省内就读无学籍", "省内就读", VO_CLAIMS_SCHOOL | VO_NEEDS_EVIDENCE, TONE_NONE},
    {"out_of_province", "省外就读", "外省就读", VO_CLAIMS_SCHOOL | VO_NEEDS_EVIDENCE, TONE_NONE},
    {"abroad", "出国", "出境|国外", 0, TONE_NONE},
    {"home_teaching", "送教上门/因病因残", "送教上门|因病因残|因病|因残", VO_NEEDS_EVIDENCE,
     TONE_NONE},
    {"deferred", "延缓入学", "缓学|延缓入学（已批准）", VO_NEEDS_EVIDENCE, TONE_NONE},
    {"over_age", "超龄离校", "超龄", 0, TONE_NONE},
    {"deceased", "死亡", "已死亡", 0, TONE_NONE},
    {"registration", "户籍问题", NULL, VO_NEEDS_SUBKIND, TONE_NONE},
    {"unreachable", "随父母外出无法联系", "无法联系|随父母外出", VO_KEEPS_OPEN, TONE_NONE},
    {"out_of_school", "确认失学辍学", "失学|辍学|失学辍学|确认辍学|确认失学", VO_OPENS_CASE,
     TONE_NONE},
};
const struct vocab verify_outcomes = {"核查结论", vo_words, ARRAY_SIZE(vo_words)};

static const struct word rp_words[] = {
    {"hollow", "空挂户", NULL, 0, TONE_NONE},
    {"dual", "双重户籍", "重复户籍", 0, TONE_NONE},
    {"id_error", "证件错误", "身份证号错误|姓名错误", 0, TONE_NONE},
    {"not_found", "查无此人", NULL, 0, TONE_NONE},
};
const struct vocab registration_problems = {"户籍问题类型", rp_words, ARRAY_SIZE(rp_words)};

static const struct word reason_words[] = {
    {"learning", "学习困难/厌学", "学习困难|厌学", 0, TONE_NONE},
    {"work", "外出打工", "打工", 0, TONE_NONE},
    {"marriage", "早婚早育", "早婚|早育", 0, TONE_NONE},
    {"religion", "信教", "宗教", 0, TONE_NONE},
    {"illness", "疾病残疾", "疾病|残疾|因病|因残", 0, TONE_NONE},
    {"poverty", "家庭经济困难", "经济困难|贫困", 0, TONE_NONE},
    {"other", "其他", "其它", 0, TONE_NONE},
};
const struct vocab case_reasons = {"辍学原因", reason_words, ARRAY_SIZE(reason_words)};

static const struct word method_words[] = {
    /* in person first (the first visit's kinds, docs/decisions.md "Issue 14 (visits)"), then at
     * a distance; the keys of the first three are ATTEMPT_IN_PERSON_SQL's */
    {"home_visit", "入户走访", "家访|入户|上门|入户家访|上门走访", AM_IN_PERSON, TONE_NONE},
    {"parent_interview", "当面约谈家长", "约谈家长|约谈|当面约谈", AM_IN_PERSON, TONE_NONE},
    {"school_visit", "到校约谈", "到校谈话|到校", AM_IN_PERSON, TONE_NONE},
    {"phone", "电话", "电话联系|打电话", 0, TONE_NONE},
    {"video", "微信/视频通话", "视频|视频通话|微信视频|微信通话|微信/视频", 0, TONE_NONE},
    {"message", "微信/短信留言", "微信|短信|微信/短信|留言", 0, TONE_NONE},
    {"written_notice", "书面通知", "书面", 0, TONE_NONE},
    {"other", "其他", "其它", 0, TONE_NONE},
};
const struct vocab attempt_methods = {"劝返方式", method_words, ARRAY_SIZE(method_words)};

static const struct word ladder_words[] = {
    {"education", "宣传教育", "教育|宣传", 0, TONE_NONE},
    {"order", "书面通知/责令限期改正", "书面通知|责令限期改正|责令改正|限期改正", 0, TONE_NONE},
    {"penalty", "行政处罚", "处罚", 0, TONE_NONE},
    {"enforcement", "申请强制执行或诉讼", "申请强制执行|强制执行|诉讼|起诉", 0, TONE_NONE},
};
const struct vocab ladder_steps = {"依法控辍步骤", ladder_words, ARRAY_SIZE(ladder_words)};

static const struct word co_words[] = {
    {"returned", "复学", "返校|已复学", CO_NEEDS_SCHOOL | CO_NEEDS_GRADE, TONE_NONE},
    {"home_teaching", "送教上门", NULL, CO_NEEDS_SCHOOL | CO_NEEDS_VISITS, TONE_NONE},
    {"special_school", "特殊教育学校", "特殊学校|特教学校", CO_NEEDS_SCHOOL, TONE_NONE},
    {"vocational", "职业教育安置", "职业学校|职业教育|职业培训", CO_NEEDS_SCHOOL, TONE_NONE},
    {"other", "其他", "其它", 0, TONE_NONE},
};
const struct vocab case_outcomes = {"劝返结果", co_words, ARRAY_SIZE(co_words)};

static const struct word role_words[] = {
    {"township", "乡镇包保干部", "乡镇|乡镇干部|包保干部", 0, TONE_NONE},
    {"village", "村干部", "村|村两委", 0, TONE_NONE},
    {"teacher", "结对教师", "教师|老师|结对帮扶教师", 0, TONE_NONE},
};
const struct vocab assignee_roles = {"责任人类别", role_words, ARRAY_SIZE(role_words)};

static const struct word org_words[] = {
    {"county", "县教育局", "县|县直|教育局|县局", 0, TONE_NONE},
    {"township", "乡镇", "乡镇政府|街道", 0, TONE_NONE},
    {"village", "村", "村委会|社区|村两委", 0, TONE_NONE},
    {"school", "学校", NULL, 0, TONE_NONE},
    {"department", "部门", "县直部门", 0, TONE_NONE},
};
const struct vocab org_kinds = {"单位类别", org_words, ARRAY_SIZE(org_words)};

static const struct word task_state_words[] = {
    {"open", "待核查", NULL, 0, TONE_INFO},
    {"outreach", "外联保学", NULL, 0, TONE_WARN},
    {"closed", "已办结", "核查已办结", 0, TONE_MUTED},
};
const struct vocab task_states = {"核查任务状态", task_state_words, ARRAY_SIZE(task_state_words)};

static const struct word case_state_words[] = {
    {"open", "劝返中", NULL, 0, TONE_BAD},
    {"returned", "已返校，巩固回访中", "已返校|巩固回访中", 0, TONE_OK},
    {"closed", "已销号", "销号", 0, TONE_MUTED},
};
const struct vocab case_states = {"案件状态", case_state_words, ARRAY_SIZE(case_state_words)};

static const struct word stage_words[] = {
    {"verify_open", "待核查", NULL, 0, TONE_INFO},
    {"verify_outreach", "外联保学", NULL, 0, TONE_WARN},
    {"verify_closed", "核查已办结", NULL, 0, TONE_MUTED},
    {"case_open", "劝返中", NULL, 0, TONE_BAD},
    {"case_returned", "巩固回访中", NULL, 0, TONE_OK},
    {"case_closed", "已销号", NULL, 0, TONE_MUTED},
};
const struct vocab casework_stages = {"核查和劝返阶段", stage_words, ARRAY_SIZE(stage_words)};

const char *tone_key(enum tone t)
{
    static const char *const keys[TONE__COUNT] = {
        [TONE_NONE] = "",   [TONE_OK] = "ok",       [TONE_WARN] = "warn",
        [TONE_BAD] = "bad", [TONE_MUTED] = "muted", [TONE_INFO] = "info",
    };
    return t < TONE__COUNT ? keys[t] : "";
}

static bool alias_has(const char *aliases, const char *t)
{
    size_t n = strlen(t);
    for (const char *p = aliases; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && !memcmp(p, t, n))
            return true;
        p = bar ? bar + 1 : NULL;
    }
    return false;
}

bool word_is(const struct word *w, const char *text)
{
    return !strcmp(text, w->label) || alias_has(w->aliases, text);
}

/* The word `t` is: its key (any case), its label or one of its aliases; -1 when none. */
static int spelled_by(const struct vocab *v, const char *t)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcasecmp(t, v->words[i].key) || word_is(&v->words[i], t))
            return (int)i;
    return -1;
}

int vocab_parse(const struct vocab *v, const char *text)
{
    if (!text)
        return -1;
    /* as written first: a label may hold full-width forms that normalising folds */
    int found = *text ? spelled_by(v, text) : -1;
    if (found >= 0)
        return found;
    struct buf t = BUF_INIT;
    utf8_norm_text(&t, text, strlen(text));
    found = t.len ? spelled_by(v, t.buf) : -1;
    buf_release(&t);
    return found;
}

const struct word *vocab_find(const struct vocab *v, const char *key)
{
    for (size_t i = 0; key && i < v->n; i++)
        if (!strcmp(v->words[i].key, key))
            return &v->words[i];
    return NULL;
}

const char *vocab_label(const struct vocab *v, const char *key)
{
    const struct word *w = vocab_find(v, key);
    return w ? w->label : "";
}

void vocab_error(const struct vocab *v, const char *text, struct buf *err)
{
    if (text && *text)
        buf_addf(err, "“%s”不是有效的%s，应为：", text, v->what);
    else
        buf_addf(err, "缺少%s，应为：", v->what);
    for (size_t i = 0; i < v->n; i++)
        buf_addf(err, "%s%s", i ? "、" : "", v->words[i].label);
}

int ladder_check(int current, int next, struct buf *err)
{
    if (next < 1 || next > (int)ladder_steps.n)
        return -1;
    if (next == current || next == current + 1)
        return 0;
    if (next < current)
        buf_addf(err, "不能退回到“%s”：本案已进行到第 %d 步“%s”，依法控辍步骤只能依次向前",
                 ladder_steps.words[next - 1].label, current,
                 ladder_steps.words[current - 1].label);
    else
        buf_addf(err, "不能跳过步骤：“%s”是第 %d 步，必须先完成第 %d 步“%s”%s",
                 ladder_steps.words[next - 1].label, next, current + 1,
                 ladder_steps.words[current].label, current ? "" : "（依法控辍须从宣传教育开始）");
    return -1;
}
