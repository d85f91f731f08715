/*
 * One pair of records compared field by field into discrete levels, and weighed with a model
 * (link/weights.c estimates it). See linker.h for the levels and docs/linkage.md for why.
 */
#include "link/linker.h"

#include <math.h>

#include "core/date.h"
#include "core/idcard.h"
#include "util/common.h"

static const struct {
    const char *label;
    int levels;
    const char *keys[LK_MAX_LEVELS];
    const char *labels[LK_MAX_LEVELS];
} fields[LK__FIELDS] = {
    [LK_ID] = {"身份证号",
               LKI__LEVELS,
               {"exact", "birth_typo", "near", "partial", "different", "missing"},
               {"完全相同", "出生日期段录错一位，其余相同", "出生日期段相同，其余只差一位",
                "后三位丢失，前十五位相同", "不同", "缺失"}},
    [LK_NAME] = {"姓名",
                 NAME__LEVELS,
                 {"exact", "variant", "pinyin", "one_char", "surname", "different", "missing"},
                 {"完全相同", "繁简/异体相同", "拼音相同", "一字之差", "仅姓相同", "不同", "缺失"}},
    [LK_BIRTH] = {"出生日期",
                  LKB__LEVELS,
                  {"exact", "close", "different", "missing"},
                  {"相同", "相近（一位录错、相邻两位颠倒、月日颠倒或差一天）", "不同", "缺失"}},
    [LK_SEX] = {"性别", LKS__LEVELS, {"agree", "different", "missing"}, {"相同", "不同", "缺失"}},
};

const char *lk_field_label(enum lk_field f)
{
    return fields[f].label;
}

const char *lk_level_key(enum lk_field f, int level)
{
    return fields[f].keys[level];
}

const char *lk_level_label(enum lk_field f, int level)
{
    return fields[f].labels[level];
}

int lk_level_from_key(enum lk_field f, const char *key)
{
    for (int l = 0; key && l < fields[f].levels; l++)
        if (!strcmp(key, fields[f].keys[l]))
            return l;
    return -1;
}

int lk_levels(enum lk_field f)
{
    return fields[f].levels;
}

const char *lk_id_state_key(enum lk_id_state st)
{
    static const char *const keys[] = {"none", "valid", "bad_check", "truncated"};
    return keys[st];
}

const char *lk_id_state_label(enum lk_id_state st)
{
    static const char *const labels[] = {"没有号码", "号码有效", "校验位不对（录错）",
                                         "存成数字（后三位丢失）"};
    return labels[st];
}

uint8_t lk_id_state(bool has_id, int id_flags)
{
    if (!has_id)
        return LK_ID_NONE;
    if (id_flags & ID_PRECISION_LOST)
        return LK_ID_TRUNCATED;
    if (id_flags & (ID_BAD_CHECK | ID_BAD_BIRTH | ID_BAD_FORMAT))
        return LK_ID_BAD_CHECK;
    return LK_ID_VALID;
}

bool id_one_typo(const char *a, const char *b)
{
    int diff[3], nd = 0;
    for (int i = 0; i < 18; i++)
        if (a[i] != b[i]) {
            if (nd == 2)
                return false;
            diff[nd++] = i;
        }
    if (nd == 1)
        return true;
    return nd == 2 && diff[1] == diff[0] + 1 && a[diff[0]] == b[diff[1]] &&
           a[diff[1]] == b[diff[0]];
}

/* The first fifteen digits of an ID as a number (what a spreadsheet keeps of it). */
static uint64_t prefix15(const char *id)
{
    uint64_t v = 0;
    for (int i = 0; i < 15; i++)
        v = v * 10 + (uint64_t)(id[i] - '0');
    return v;
}

/*
 * The ID level of a pair. For BIRTH_TYPO and NEAR, *first and *last are the first and last
 * positions that differ (the digits the record's own birth date and sex may have been read from
 * carry no evidence there).
 */
static int id_level(const struct lk_rec *p, const struct lk_rec *o, int *first, int *last)
{
    *first = *last = -1;
    if (!p->key || !o->key)
        return LKI_MISSING;
    char a[19], b[19];
    id_unpack(p->key, a);
    id_unpack(o->key, b);
    bool pt = p->id_state == LK_ID_TRUNCATED, ot = o->id_state == LK_ID_TRUNCATED;
    if (pt || ot) {
        /* Fifteen significant digits, the last rounded: the truncated side's fifteen are the
         * other side's, or one more. */
        uint64_t x = prefix15(a), y = prefix15(b);
        bool agree = pt && ot ? x == y : pt ? (x == y || x == y + 1) : (y == x || y == x + 1);
        if (agree)
            return LKI_PARTIAL;
        /* a real ID may end in 000 and carry a slip: then it reads as a number's */
        if (!id_one_typo(a, b))
            return LKI_DIFFERENT;
    }
    if (p->key == o->key)
        return LKI_EXACT;
    /* an ID ending in 000 whose check digit happens to hold may still be a number's fifteen
     * digits (one in eleven is) */
    if (!memcmp(b + 15, "000", 3) || !memcmp(a + 15, "000", 3)) {
        uint64_t x = prefix15(a), y = prefix15(b);
        bool oz = !memcmp(b + 15, "000", 3);
        if (oz ? (y == x || y == x + 1) : (x == y || x == y + 1))
            return LKI_PARTIAL;
    }
    int nd = 0, nd17 = 0;
    bool birth_same = true;
    for (int i = 0; i < 18; i++) {
        if (a[i] == b[i])
            continue;
        if (*first < 0)
            *first = i;
        *last = i;
        nd++;
        nd17 += i < 17;
        birth_same &= i < 6 || i > 13;
    }
    if (id_one_typo(a, b))
        return birth_same ? LKI_NEAR : LKI_BIRTH_TYPO;
    /* the neighbouring sequence number of a child born the same day: one digit and the check
     * character it changes */
    if (birth_same && nd17 == 1)
        return LKI_NEAR;
    return LKI_DIFFERENT;
}

/* The birth date and sex an ID spells out (0 when not a real date). */
static void id_birth_sex(uint64_t key, int32_t *birth, uint8_t *sex)
{
    char id[19];
    id_unpack(key, id);
    int y = 0, m = 0, d = 0;
    for (int i = 6; i < 10; i++)
        y = y * 10 + (id[i] - '0');
    m = (id[10] - '0') * 10 + (id[11] - '0');
    d = (id[12] - '0') * 10 + (id[13] - '0');
    *birth = (m >= 1 && m <= 12 && d >= 1 && d <= 31) ? y * 10000 + m * 100 + d : 0;
    *sex = (uint8_t)((id[16] - '0') % 2 ? 1 : 2);
}

/*
 * Birth dates as a clerk types them: CLOSE is one typing slip — one digit of the eight wrong,
 * two neighbouring digits swapped, month and day swapped, or a day off by one (across a month
 * end too). Anything else is a different date.
 */
static int birth_level(int32_t a, int32_t b)
{
    if (!a || !b)
        return LKB_MISSING;
    if (a == b)
        return LKB_EXACT;
    char x[8], y[8];
    for (int i = 7, va = a, vb = b; i >= 0; i--, va /= 10, vb /= 10) {
        x[i] = (char)('0' + va % 10);
        y[i] = (char)('0' + vb % 10);
    }
    int diff[3], nd = 0;
    for (int i = 0; i < 8 && nd < 3; i++)
        if (x[i] != y[i])
            diff[nd++] = i;
    if (nd == 1)
        return LKB_CLOSE;
    if (nd == 2 && diff[1] == diff[0] + 1 && x[diff[0]] == y[diff[1]] && x[diff[1]] == y[diff[0]])
        return LKB_CLOSE;
    int ya = a / 10000, ma = a / 100 % 100, da = a % 100;
    int mb = b / 100 % 100, db = b % 100;
    if (ya == b / 10000 && ma == db && da == mb)
        return LKB_CLOSE;
    long dd = ymd_to_days(a) - ymd_to_days(b);
    if (dd == 1 || dd == -1)
        return LKB_CLOSE;
    return LKB_DIFFERENT;
}

static int sex_level(uint8_t a, uint8_t b)
{
    if (!a || !b)
        return LKS_MISSING;
    return a == b ? LKS_AGREE : LKS_DIFFERENT;
}

void linker_compare(const struct lk_model *model, const struct lk_rec *p, const struct lk_rec *o,
                    const struct name_info *pn, const struct name_info *on, double name_tf_u,
                    struct lk_pair *out)
{
    int first, last;
    int32_t ob = o->birth;
    uint8_t os = o->sex;
    out->level[LK_ID] = (uint8_t)id_level(p, o, &first, &last);
    if (out->level[LK_ID] == LKI_BIRTH_TYPO || out->level[LK_ID] == LKI_NEAR) {
        /*
         * A record whose birth date or sex was read off its own ID (the 外出 list has no such
         * columns, and import fills them from the ID) carries no evidence of its own where the
         * IDs differ: a slip in the birth digits explains the date, one in the 17th digit the
         * sex. Elsewhere the ID's digits are the record's evidence.
         */
        int32_t idb;
        uint8_t ids;
        id_birth_sex(o->key, &idb, &ids);
        bool in_birth = first <= 13 && last >= 6;
        if (!ob || ob == idb)
            ob = in_birth ? 0 : idb;
        if (!os || os == ids)
            os = (first <= 16 && last >= 16) ? 0 : ids;
    }
    out->level[LK_NAME] = (uint8_t)((!pn->n || !on->n) ? NAME_MISSING : name_compare(pn, on));
    out->level[LK_BIRTH] = (uint8_t)birth_level(p->birth, ob);
    out->level[LK_SEX] = (uint8_t)sex_level(p->sex, os);
    /* Born the same day: the other fields weigh what they say between children born the same
     * day (twins among them), not between strangers. */
    out->same_day = out->level[LK_BIRTH] == LKB_EXACT;
    /* The ID weighs by the state of the doubtful side: the record's, unless the register's
     * own ID is the mistyped or truncated one. */
    out->id_state = o->id_state;
    if (o->id_state == LK_ID_VALID &&
        (p->id_state == LK_ID_BAD_CHECK || p->id_state == LK_ID_TRUNCATED))
        out->id_state = p->id_state;
    if (out->level[LK_ID] == LKI_PARTIAL)
        out->id_state = LK_ID_TRUNCATED;
    out->outsider = model->outsider;
    double total = 0;
    for (int f = 0; f < LK__FIELDS; f++) {
        int l = out->level[f];
        double w = out->same_day && f != LK_BIRTH ? model->w_same[f][l] : model->w[f][l];
        if (f == LK_ID)
            w = l == LKI_MISSING ? 0
                : out->same_day  ? model->id_w_same[out->id_state][l]
                                 : model->id_w[out->id_state][l];
        /* Term frequency: agreeing on a common name says less than agreeing on a rare one. */
        if (f == LK_NAME && l == NAME_EXACT && name_tf_u > 0)
            w = log2(model->m[f][NAME_EXACT] / name_tf_u);
        /* Shown to a tenth of a bit, and decided on what is shown. */
        w = round(w * 10) / 10 + 0.0; /* never -0.0 */
        out->weight[f] = w;
        total += w;
    }
    out->total = round(total * 10) / 10 + 0.0;
}
