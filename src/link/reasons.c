/*
 * Why each pair ended as it did, as a clerk reads it. The linker records a reason code where it
 * decides (linker.c); the sentence is written here from that code and the pair's numbers —
 * never from the total alone — and every comparison it states (低于复核线, 达到采纳线, 差距线)
 * is computed from those numbers, so a sentence cannot contradict the figures beside it.
 */
#include "link/linker.h"

#include <math.h>

#include "util/common.h"

static const char *const method_keys[] = {"none", "id_exact", "id_typo", "fuzzy", "reviewed"};
static const char *const method_labels[] = {"未关联", "身份证号一致", "身份证号录错一位",
                                            "姓名、出生日期等综合比对", "人工复核确认"};

const char *lk_method_key(enum lk_method m)
{
    return method_keys[m];
}

const char *lk_method_label(enum lk_method m)
{
    return method_labels[m];
}

const char *lk_decision_key(enum lk_decision d)
{
    static const char *const keys[] = {"accept", "review", "reject"};
    return keys[d];
}

static const char *const reason_keys[LKR__COUNT] = {
    [LKR_EXACT] = "exact",
    [LKR_ACCEPTED] = "accepted",
    [LKR_TYPO_ACCEPTED] = "typo_accepted",
    [LKR_EXACT_KEPT] = "exact_kept",
    [LKR_BELOW_REVIEW] = "below_review",
    [LKR_BELOW_ACCEPT] = "below_accept",
    [LKR_CLOSE_SECOND] = "close_second",
    [LKR_IDS_DISAGREE] = "ids_disagree",
    [LKR_BIRTH_CONTRADICTS] = "birth_contradicts",
    [LKR_SEX_CONTRADICTS] = "sex_contradicts",
    [LKR_TYPO_UNCONFIRMED] = "typo_unconfirmed",
    [LKR_EXACT_NAME_DIFFERENT] = "exact_name_different",
    [LKR_EXACT_NAME_CONFLICT] = "exact_name_conflict",
    [LKR_NAME_OTHER_ID] = "name_other_id",
    [LKR_NAME_SEX_OTHER_ID] = "name_sex_other_id",
    [LKR_OUTSIDER_CLOSE] = "outsider_close",
    [LKR_TAKEN] = "taken",
    [LKR_OUTRANKED] = "outranked",
    [LKR_NEAR_RUNNER_UP] = "near_runner_up",
    [LKR_DECIDED_ACCEPT] = "decided_accept",
    [LKR_DECIDED_REJECT] = "decided_reject",
};

const char *lk_reason_key(enum lk_reason r)
{
    return reason_keys[r];
}

int lk_reason_from_key(const char *key)
{
    for (int r = 0; key && r < LKR__COUNT; r++)
        if (!strcmp(key, reason_keys[r]))
            return r;
    return -1;
}

/* A threshold as set: "12.0", "12.25". */
static void add_line(struct buf *out, double v)
{
    char t[32];
    snprintf(t, sizeof(t), "%.2f", v);
    size_t n = strlen(t);
    if (n >= 2 && t[n - 1] == '0' && t[n - 2] != '.')
        t[n - 1] = '\0';
    buf_adds(out, t);
}

/* Where the total stands against the two lines, from the numbers. */
static void add_total(struct buf *out, double total, const struct lk_params *lp)
{
    buf_addf(out, "总分 %.1f", total);
    if (lk_at_least(total, lp->accept)) {
        buf_adds(out, "，达到采纳线 ");
        add_line(out, lp->accept);
    } else if (lk_at_least(total, lp->review)) {
        buf_adds(out, "，在复核线 ");
        add_line(out, lp->review);
        buf_adds(out, " 与采纳线 ");
        add_line(out, lp->accept);
        buf_adds(out, " 之间");
    } else {
        buf_adds(out, "，低于复核线 ");
        add_line(out, lp->review);
    }
}

/* The best pair against its rival — the runner-up, or "a pupil registered elsewhere" when
 * that scores higher — from the numbers. */
static void add_lead(struct buf *out, const struct lk_pair *pr, const struct lk_params *lp)
{
    bool outsider = !isfinite(pr->second) || pr->outsider > pr->second;
    double rival = outsider ? pr->outsider : pr->second;
    double d = round((pr->total - rival) * 10) / 10 + 0.0;
    if (outsider)
        buf_addf(out, "，%s比“这是外地户籍学生的记录”一说（%.1f）高 %.1f 分，",
                 isfinite(pr->second) ? "" : "没有其他候选儿童，", rival, d);
    else
        buf_addf(out, "，比第二名（%.1f）高 %.1f 分，", rival, d);
    buf_adds(out, lk_at_least(d, lp->margin) ? "达到差距线 " : "不到差距线 ");
    add_line(out, lp->margin);
}

/* A pair that is not the record's best, against the best, from the numbers. The best is the
 * record's first choice: usually the highest total, but the child whose name a record with
 * another child's ID bears comes first. */
static void add_behind(struct buf *out, const struct lk_pair *pr, const struct lk_params *lp)
{
    double d = round((pr->second - pr->total) * 10) / 10 + 0.0;
    if (d < 0) {
        buf_addf(out, "，记录的首选儿童总分 %.1f，比此对低 %.1f 分", pr->second, -d);
        return;
    }
    buf_addf(out, "，另一名儿童总分 %.1f，比此对高 %.1f 分，", pr->second, d);
    buf_adds(out, lk_at_least(d, lp->margin) ? "达到差距线 " : "不到差距线 ");
    add_line(out, lp->margin);
}

void lk_reason_text(const struct lk_pair *pr, const struct lk_params *lp, struct buf *out)
{
    switch ((enum lk_reason)pr->reason) {
    case LKR_EXACT:
        buf_adds(out, "身份证号完全一致，姓名相符，按身份证号直接关联（不看总分）");
        return;
    case LKR_DECIDED_ACCEPT:
        buf_adds(out, "人工复核确认为同一人");
        return;
    case LKR_DECIDED_REJECT:
        buf_adds(out, "人工复核确认不是同一人");
        return;
    case LKR_ACCEPTED:
        add_total(out, pr->total, lp);
        add_lead(out, pr, lp);
        buf_adds(out, "：采纳");
        return;
    case LKR_TYPO_ACCEPTED:
        buf_adds(out, "身份证号只差一位，姓名、出生日期、性别均相符；");
        add_total(out, pr->total, lp);
        add_lead(out, pr, lp);
        buf_adds(out, "：采纳");
        return;
    case LKR_EXACT_KEPT:
        buf_adds(out, "身份证号完全一致，姓名略有出入，但没有其他儿童的姓名更相符；");
        add_total(out, pr->total, lp);
        add_lead(out, pr, lp);
        buf_adds(out, "：采纳");
        return;
    case LKR_BELOW_REVIEW:
        add_total(out, pr->total, lp);
        buf_adds(out, "：不是同一人，不采纳");
        return;
    case LKR_BELOW_ACCEPT:
        add_total(out, pr->total, lp);
        buf_adds(out, "：需人工复核");
        return;
    case LKR_CLOSE_SECOND:
        add_total(out, pr->total, lp);
        add_lead(out, pr, lp);
        buf_adds(out, "：另有儿童得分接近，需人工复核");
        return;
    case LKR_OUTSIDER_CLOSE:
        add_total(out, pr->total, lp);
        add_lead(out, pr, lp);
        buf_adds(out, "：也可能是不在本县户籍的学生的记录，需人工复核");
        return;
    case LKR_IDS_DISAGREE:
        buf_adds(out, "两边的身份证号都有效但不相同，应是两个人，不自动采纳；");
        add_total(out, pr->total, lp);
        buf_adds(out, "：需人工复核");
        return;
    case LKR_BIRTH_CONTRADICTS:
    case LKR_SEX_CONTRADICTS:
        add_total(out, pr->total, lp);
        add_lead(out, pr, lp);
        buf_adds(out,
                 pr->reason == LKR_BIRTH_CONTRADICTS ? "，但出生日期明显不同" : "，但性别不同");
        buf_adds(out, "：需人工复核");
        return;
    case LKR_TYPO_UNCONFIRMED:
        buf_adds(out, "身份证号只差一位，但姓名、出生日期、性别并非都相符（身份证号录错时须三项都"
                      "相符才自动采纳）；");
        add_total(out, pr->total, lp);
        buf_adds(out, "：需人工复核");
        return;
    case LKR_EXACT_NAME_DIFFERENT:
        buf_adds(out, "身份证号完全一致，但姓名不符，也没有其他儿童的姓名相符；");
        add_total(out, pr->total, lp);
        buf_adds(out, "：需人工复核");
        return;
    case LKR_EXACT_NAME_CONFLICT:
        buf_adds(out, "身份证号与此儿童一致，但记录上的姓名是另一名儿童的（常见于双胞胎抄错户口本"
                      "上的行）；");
        add_total(out, pr->total, lp);
        buf_adds(out, "：需人工复核，复核前不算作此儿童的记录");
        return;
    case LKR_NAME_OTHER_ID:
        buf_adds(out, "姓名、出生日期与此儿童相符，但身份证号是另一名儿童的；");
        add_total(out, pr->total, lp);
        buf_adds(out, "：需人工复核");
        return;
    case LKR_NAME_SEX_OTHER_ID:
        buf_adds(out, "姓名、出生日期和记录上的性别都与此儿童相符，身份证号却是另一名性别不同的儿童"
                      "的（双胞胎抄错户口本上的行，身份证号须更正）；");
        add_total(out, pr->total, lp);
        buf_adds(out, "：采纳");
        return;
    case LKR_TAKEN:
        buf_addf(out, "该记录已归属另一名儿童（其总分 %.1f，此对 %.1f），不采纳", pr->second,
                 pr->total);
        return;
    case LKR_OUTRANKED:
        add_total(out, pr->total, lp);
        add_behind(out, pr, lp);
        buf_adds(out, "：记录更可能属于另一名儿童，不采纳");
        return;
    case LKR_NEAR_RUNNER_UP:
        add_total(out, pr->total, lp);
        add_behind(out, pr, lp);
        buf_adds(out, "：与记录的首选儿童难以区分，一并待人工复核");
        return;
    case LKR__COUNT:
        break;
    }
    buf_adds(out, "原因未记录");
}
