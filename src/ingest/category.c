#include "ingest/category.h"

#include "util/common.h"

static const struct word group_words[] = {
    [GRP_POVERTY] = {"poverty", "脱贫户", "建档立卡贫困户|建档立卡户|贫困户", 0, TONE_INFO},
    [GRP_MONITORED] = {"monitored", "防返贫监测对象", "监测对象|监测户", 0, TONE_INFO},
    [GRP_DIBAO] = {"dibao", "低保", "最低生活保障|低保户", 0, TONE_INFO},
    [GRP_TEKUN] = {"tekun", "特困供养", "特困|特困人员", 0, TONE_INFO},
    [GRP_ORPHAN] = {"orphan", "孤儿", NULL, 0, TONE_INFO},
    [GRP_DE_FACTO] = {"de_facto", "事实无人抚养儿童", "事实无人抚养", 0, TONE_INFO},
    [GRP_DISABLED] = {"disabled", "残疾儿童", "残疾|持证残疾", 0, TONE_INFO},
    [GRP_LEFT_BEHIND] = {"left_behind", "留守儿童", "农村留守儿童|留守", 0, TONE_INFO},
};
const struct vocab priority_groups = {"重点群体", group_words, ARRAY_SIZE(group_words)};

static const struct word poverty_words[] = {
    {"poverty", "脱贫户", "脱贫户(已脱贫)|已脱贫户|建档立卡贫困户|建档立卡户|贫困户|脱贫人口",
     GRP_POVERTY, TONE_INFO},
    {"unstable", "脱贫不稳定户", "脱贫不稳定|脱贫不稳定户(监测对象)", GRP_MONITORED, TONE_INFO},
    {"marginal", "边缘易致贫户", "边缘易致贫|边缘户|边缘易致贫户(监测对象)", GRP_MONITORED,
     TONE_INFO},
    {"sudden", "突发严重困难户", "突发严重困难|突发严重困难户(监测对象)", GRP_MONITORED, TONE_INFO},
    {"monitored", "监测对象", "防返贫监测对象|监测户", GRP_MONITORED, TONE_INFO},
};
static const struct vocab poverty_categories = {"脱贫属性", poverty_words,
                                                ARRAY_SIZE(poverty_words)};

static const struct word welfare_words[] = {
    {"urban_dibao", "城市低保", "城镇低保|城市最低生活保障", GRP_DIBAO, TONE_INFO},
    {"rural_dibao", "农村低保", "农村最低生活保障", GRP_DIBAO, TONE_INFO},
    {"dibao", "低保", "最低生活保障|低保户|低保对象", GRP_DIBAO, TONE_INFO},
    {"tekun", "特困供养", "特困|特困人员|特困供养人员|农村特困|城市特困|五保", GRP_TEKUN,
     TONE_INFO},
    {"orphan_central", "集中供养孤儿", "集中养育孤儿|机构养育孤儿", GRP_ORPHAN, TONE_INFO},
    {"orphan_scattered", "社会散居孤儿", "散居孤儿|分散供养孤儿", GRP_ORPHAN, TONE_INFO},
    {"orphan", "孤儿", NULL, GRP_ORPHAN, TONE_INFO},
    {"de_facto", "事实无人抚养儿童", "事实无人抚养|事实孤儿", GRP_DE_FACTO, TONE_INFO},
};
static const struct vocab welfare_categories = {"保障类别", welfare_words,
                                                ARRAY_SIZE(welfare_words)};

static const struct word disability_words[] = {
    {"1", "视力残疾", "视力|视残|盲", GRP_DISABLED, TONE_INFO},
    {"2", "听力残疾", "听力|听残|聋", GRP_DISABLED, TONE_INFO},
    {"3", "言语残疾", "言语|语言残疾", GRP_DISABLED, TONE_INFO},
    {"4", "肢体残疾", "肢体|肢残", GRP_DISABLED, TONE_INFO},
    {"5", "智力残疾", "智力|智残", GRP_DISABLED, TONE_INFO},
    {"6", "精神残疾", "精神|精残", GRP_DISABLED, TONE_INFO},
    {"7", "多重残疾", "多重|综合残疾", GRP_DISABLED, TONE_INFO},
};
static const struct vocab disability_categories = {"残疾类别", disability_words,
                                                   ARRAY_SIZE(disability_words)};

static const struct word level_words[] = {
    {"1", "一级", "1级|一", 0, TONE_INFO},
    {"2", "二级", "2级|二", 0, TONE_INFO},
    {"3", "三级", "3级|三", 0, TONE_INFO},
    {"4", "四级", "4级|四", 0, TONE_INFO},
};
const struct vocab disability_levels = {"残疾等级", level_words, ARRAY_SIZE(level_words)};

static const struct word care_words[] = {
    {"grandparents", "祖辈监护", "隔代监护|祖父母监护|外祖父母监护", GRP_LEFT_BEHIND, TONE_INFO},
    {"relatives", "亲友监护", "亲属监护|其他亲属监护|亲戚监护|委托亲友监护", GRP_LEFT_BEHIND,
     TONE_INFO},
    {"one_parent", "单亲监护", "父亲监护|母亲监护|父母一方监护", GRP_LEFT_BEHIND, TONE_INFO},
    {"none", "无人监护", "自我监护|无监护", GRP_LEFT_BEHIND, TONE_INFO},
};
static const struct vocab care_categories = {"监护类型", care_words, ARRAY_SIZE(care_words)};

const struct vocab *kind_categories(enum import_kind k)
{
    switch (k) {
    case KIND_POVERTY:
        return &poverty_categories;
    case KIND_WELFARE:
        return &welfare_categories;
    case KIND_DISABILITY:
        return &disability_categories;
    case KIND_LEFT_BEHIND:
        return &care_categories;
    default:
        return NULL;
    }
}

int category_group(enum import_kind k, const char *category)
{
    const struct vocab *v = kind_categories(k);
    const struct word *w = v && category && *category ? vocab_find(v, category) : NULL;
    if (w)
        return (int)w->flags;
    switch (k) {
    case KIND_POVERTY:
        return GRP_POVERTY;
    case KIND_DISABILITY:
        return GRP_DISABLED;
    case KIND_LEFT_BEHIND:
        return GRP_LEFT_BEHIND;
    default:
        return -1;
    }
}

int disability_cert_parse(const char *text, size_t len, char id[19], int *category, int *level)
{
    char t[24];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '-')
            continue;
        if (n == sizeof(t) - 1)
            return -1;
        t[n++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    t[n] = '\0';
    /* a replaced card: "…B1" */
    if (n == 22 && t[20] == 'B' && t[21] >= '1' && t[21] <= '9')
        n = 20;
    if (n != 20)
        return -1;
    for (int i = 0; i < 17; i++)
        if (t[i] < '0' || t[i] > '9')
            return -1;
    if (!((t[17] >= '0' && t[17] <= '9') || t[17] == 'X'))
        return -1;
    if (t[18] < '1' || t[18] > '7' || t[19] < '1' || t[19] > '4')
        return -1;
    memcpy(id, t, 18);
    id[18] = '\0';
    *category = t[18] - '0';
    *level = t[19] - '0';
    return 0;
}
