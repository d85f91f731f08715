#include "ingest/field.h"

#include "core/words.h"
#include "util/common.h"
#include "util/utf8.h"

#define FB(f) FIELD_BIT(f)

/*
 * The kinds of list, one row each. `required` are the columns that make a sheet this kind of
 * list, each a field or one of its alternatives: without them it is some other list, and
 * importing it as this one would only fill the database with rows nobody can use (a 户籍 file
 * as 学籍: every row "状态无法识别"). The first two name the person, as in every kind. A new
 * kind of list adds a row.
 */
static const struct word kind_words[KIND__COUNT] = {
    [KIND_POPULATION] = {"population", "户籍", "户籍适龄儿童|公安户籍|户口", 0, TONE_INFO},
    [KIND_ENROLLMENT] = {"enrollment", "学籍", "学籍名单|在籍学生", 0, TONE_OK},
    [KIND_OUTSIDE] = {"outside", "外出就读", "外出就读名单|县外就读", 0, TONE_OK},
    [KIND_POVERTY] = {"poverty", "脱贫户和监测对象",
                      "脱贫户|防返贫监测|防返贫监测对象|建档立卡|建档立卡贫困户|监测对象", 0,
                      TONE_INFO},
    [KIND_WELFARE] = {"welfare", "低保特困孤儿", "低保|特困|孤儿|事实无人抚养|民政救助", 0,
                      TONE_INFO},
    [KIND_DISABILITY] = {"disability", "残疾人", "残疾人证|残疾儿童|残联", 0, TONE_INFO},
    [KIND_LEFT_BEHIND] = {"left_behind", "留守儿童", "农村留守儿童|留守", 0, TONE_INFO},
    [KIND_AID] = {"aid", "学生资助", "资助发放|学生资助发放|资助", 0, TONE_INFO},
};
const struct vocab import_kinds = {"名单类别", kind_words, KIND__COUNT};

#define KIND_MAX_REQUIRED 6
static const struct kind_def {
    const char *title, *hint; /* what the import wizard offers */
    size_t nrequired;
    struct kind_column required[KIND_MAX_REQUIRED];
} kinds[KIND__COUNT] = {
    [KIND_POPULATION] = {"户籍适龄儿童",
                         "公安户籍：应当在校的全部适龄儿童",
                         2,
                         {{F_NAME, 0}, {F_ID_NUMBER, 0}}},
    [KIND_ENROLLMENT] = {"学籍",
                         "学籍系统导出：本县学校的在籍学生",
                         4,
                         {{F_NAME, 0},
                          {F_ID_NUMBER, FB(F_STUDENT_NO)},
                          {F_SCHOOL_NAME, FB(F_SCHOOL_CODE)},
                          {F_ENROLL_STATUS, 0}}},
    [KIND_OUTSIDE] = {"外出就读",
                      "在县外就读的本县学生名单",
                      3,
                      {{F_NAME, 0},
                       {F_ID_NUMBER, FB(F_STUDENT_NO)},
                       {F_SCHOOL_NAME, FB(F_SCHOOL_CODE)}}},
    /* a household-member export: the child's own ID may be missing, the head's is there */
    [KIND_POVERTY] = {"脱贫户和防返贫监测对象",
                      "乡村振兴部门：脱贫户、监测对象家庭成员名单",
                      3,
                      {{F_NAME, 0},
                       {F_ID_NUMBER, FB(F_HEAD_ID) | FB(F_HOUSEHOLD_NO)},
                       {F_RELATION, 0}}},
    [KIND_WELFARE] = {"低保、特困、孤儿和事实无人抚养儿童",
                      "民政部门：低保、特困供养家庭成员，孤儿和事实无人抚养儿童",
                      3,
                      {{F_NAME, 0},
                       {F_ID_NUMBER, FB(F_HEAD_ID) | FB(F_GUARDIAN_ID)},
                       {F_CATEGORY, 0}}},
    [KIND_DISABILITY] = {"残疾人",
                         "残联：持第二代残疾人证的儿童",
                         3,
                         {{F_NAME, 0}, {F_ID_NUMBER, FB(F_CERT_NO)}, {F_CERT_NO, FB(F_CATEGORY)}}},
    [KIND_LEFT_BEHIND] = {"农村留守儿童",
                          "民政、妇联：农村留守儿童名册",
                          3,
                          {{F_NAME, 0},
                           {F_ID_NUMBER, FB(F_BIRTH_DATE)},
                           {F_CATEGORY, FB(F_FATHER_WORK) | FB(F_MOTHER_WORK)}}},
    [KIND_AID] = {"学生资助发放",
                  "学生资助中心、财政：资助资金发放名单",
                  4,
                  {{F_NAME, 0}, {F_ID_NUMBER, FB(F_STUDENT_NO)}, {F_AID_ITEM, 0}, {F_AMOUNT, 0}}},
};

const char *kind_key(enum import_kind k)
{
    return kind_words[k].key;
}

const char *kind_label(enum import_kind k)
{
    return kind_words[k].label;
}

const char *kind_title(enum import_kind k)
{
    return kinds[k].title;
}

const char *kind_hint(enum import_kind k)
{
    return kinds[k].hint;
}

int kind_parse(const char *s, enum import_kind *out)
{
    /* exactly as written: a kind decides what a file's rows become */
    for (int k = 0; s && k < KIND__COUNT; k++)
        if (!strcmp(s, kind_words[k].key) || word_is(&kind_words[k], s)) {
            *out = (enum import_kind)k;
            return 0;
        }
    return -1;
}

size_t kind_required(enum import_kind k, const struct kind_column **cols)
{
    *cols = kinds[k].required;
    return kinds[k].nrequired;
}

unsigned kind_missing(enum import_kind k, const int col[F__COUNT])
{
    field_set present = 0;
    unsigned missing = 0;

    for (int f = 0; f < F__COUNT; f++)
        if (col[f] >= 0)
            present |= FB(f);
    for (size_t i = 0; i < kinds[k].nrequired; i++) {
        const struct kind_column *c = &kinds[k].required[i];
        if (!((FB(c->field) | c->alternatives) & present))
            missing |= 1u << i;
    }
    return missing;
}

void kind_column_label(struct buf *out, const struct kind_column *c)
{
    buf_adds(out, field_label(c->field));
    for (int f = 0; f < F__COUNT; f++)
        if (c->alternatives & FB(f))
            buf_addf(out, "（或%s）", field_label((enum field)f));
}

#define P   (1u << KIND_POPULATION)
#define E   (1u << KIND_ENROLLMENT)
#define O   (1u << KIND_OUTSIDE)
#define POV (1u << KIND_POVERTY)
#define WEL (1u << KIND_WELFARE)
#define DIS (1u << KIND_DISABILITY)
#define LB  (1u << KIND_LEFT_BEHIND)
#define AID (1u << KIND_AID)
#define ALL ((1u << KIND__COUNT) - 1)

/*
 * Header spellings are compared after header_key() (so "乡镇（街道）" is written "乡镇(街道)" and
 * "身份证号码" as "身份证号"). The first spelling is the label shown to users.
 */
/*
 * `max` is the most characters a field's normalised text may have (0: no limit, for columns
 * that are not stored): beyond it the row is refused with the reason, since no real name,
 * ID, address or school runs that long (docs/decisions.md, issue 11). Names: the longest real
 * ones, minority names of several parts joined by "·", run to about 20 characters.
 */
static const struct field_def {
    const char *key;
    unsigned kinds;
    const char *spellings[16];
    unsigned max;
} fields[F__COUNT] = {
    [F_SEQ] = {"seq", ALL, {"序号", "编号", "顺序号"}, 0},
    [F_NAME] = {"name",
                ALL,
                {"姓名", "学生姓名", "儿童姓名", "名字", "适龄儿童姓名", "成员姓名", "家庭成员姓名",
                 "受助学生姓名", "残疾人姓名"},
                50},
    [F_GENDER] = {"gender", ALL, {"性别", "学生性别"}, 10},
    [F_ETHNICITY] = {"ethnicity", ALL, {"民族"}, 20},
    [F_ID_NUMBER] = {"id_number",
                     ALL,
                     {"身份证号", "公民身份号", "身份证件号", "证件号", "公民身份证号",
                      "学生身份证号", "儿童身份证号", "身份证", "居民身份证号", "身份号",
                      "成员身份证号", "成员证件号", "成员公民身份号"},
                     50},
    [F_ID_TYPE] = {"id_type", ALL, {"身份证件类型", "证件类型"}, 0},
    [F_BIRTH_DATE] = {"birth_date", ALL, {"出生日期", "出生年月", "出生年月日", "生日"}, 40},
    [F_ADDRESS] = {"address",
                   ALL,
                   {"户籍地址", "住址", "户籍地", "家庭住址", "现住址", "地址", "户籍所在地"},
                   200},
    [F_TOWNSHIP] = {"township",
                    ALL,
                    {"乡镇(街道)", "乡镇", "乡(镇)", "所属乡镇", "乡镇街道", "乡镇/街道", "街道",
                     "乡(镇、街道)", "乡镇名称"},
                    50},
    [F_VILLAGE] = {"village",
                   ALL,
                   {"村(社区)", "村", "村社区", "村居", "行政村", "所属村", "社区", "村/社区",
                    "村(居)", "村名"},
                   50},
    [F_GUARDIAN] = {"guardian",
                    ALL,
                    {"监护人", "监护人姓名", "家长姓名", "家长", "父母姓名", "受委托监护人姓名",
                     "受委托监护人"},
                    100},
    [F_PHONE] = {"phone",
                 ALL,
                 {"联系电话", "电话", "手机", "手机号", "联系方式", "监护人电话", "家长电话",
                  "监护人联系电话", "家长联系电话", "电话号", "联系电话号", "受委托监护人联系电话",
                  "受委托监护人电话"},
                 100},
    [F_REG_STATUS] = {"reg_status", P, {"户籍状态", "户口状态", "人口状态", "状态"}, 20},
    [F_SCHOOL_CODE] = {"school_code", E | O | AID, {"学校标识码", "学校代码", "学校编码"}, 50},
    [F_SCHOOL_NAME] = {"school_name",
                       E | O | LB | AID,
                       {"学校名称", "学校", "就读学校", "在读学校", "所在学校", "就读学校名称"},
                       100},
    [F_SCHOOL_REGION] = {"school_region",
                         E | O,
                         {"学校所在地区", "就读地区", "所在地区", "学校所在地", "就读学校所在地",
                          "学校所在地区(省市县)", "就读省市"},
                         100},
    [F_GRADE] = {"grade", E | O | LB | AID, {"年级", "就读年级", "所在年级"}, 20},
    [F_CLASS] = {"class", E | O | LB | AID, {"班级", "班", "班级名称"}, 50},
    [F_STUDENT_NO] = {"student_no",
                      E | O | AID,
                      {"全国学籍号", "学籍号", "国家学籍号", "学籍编号"},
                      50},
    [F_ENROLL_STATUS] = {"enroll_status", E, {"学籍状态", "在校状态", "就读状态", "状态"}, 20},
    [F_HOUSEHOLD_NO] = {"household_no",
                        P | POV | WEL,
                        {"户编号", "户号", "家庭编号", "户编码"},
                        50},
    [F_HEAD_NAME] = {"head_name", P | POV | WEL, {"户主姓名", "户主"}, 50},
    [F_HEAD_ID] = {"head_id",
                   P | POV | WEL,
                   {"户主身份证号", "户主证件号", "户主公民身份号", "户主身份证"},
                   50},
    [F_RELATION] = {"relation",
                    P | POV | WEL,
                    {"与户主关系", "与户主的关系", "家庭关系", "关系"},
                    20},
    [F_GUARDIAN_ID] = {"guardian_id",
                       P | WEL | DIS | LB,
                       {"监护人身份证号", "监护人证件号", "监护人公民身份号",
                        "受委托监护人身份证号", "受委托监护人证件号", "家长身份证号"},
                       50},
    [F_CATEGORY] = {"category",
                    POV | WEL | DIS | LB,
                    {"类别", "脱贫属性", "监测对象类别", "保障类别", "救助类别", "孤儿类别",
                     "残疾类别", "监护类型", "监护方式", "人员类别", "户类型", "脱贫户属性"},
                    30},
    [F_LEVEL] = {"level", DIS, {"残疾等级", "等级"}, 10},
    [F_CERT_NO] = {"cert_no", DIS, {"残疾人证号", "残疾证号", "残疾人证编号", "证号"}, 40},
    [F_SCHOOL_STATUS] = {"school_status",
                         POV,
                         {"在校生状况", "在校生情况", "在校状况", "就学状况", "文化程度"},
                         30},
    [F_FATHER_WORK] = {"father_work",
                       LB,
                       {"父亲外出务工地点", "父亲务工地点", "父亲外出务工地"},
                       100},
    [F_MOTHER_WORK] = {"mother_work",
                       LB,
                       {"母亲外出务工地点", "母亲务工地点", "母亲外出务工地"},
                       100},
    [F_CONTACT] = {"contact",
                   LB,
                   {"村(居)委会联系人", "村委会联系人", "村(社区)联系人", "村联系人", "联系人"},
                   100},
    [F_AID_ITEM] = {"aid_item",
                    AID,
                    {"资助项目", "资助项目名称", "项目名称", "资助类型", "补助项目"},
                    50},
    [F_AMOUNT] = {"amount",
                  WEL | AID,
                  {"金额", "金额(元)", "资助金额", "资助金额(元)", "发放金额", "月保障金额",
                   "保障金额", "补助金额"},
                  20},
    [F_TERM] = {"term", AID, {"学期", "资助学期", "发放学期", "学年学期"}, 30},
    [F_PAID_DATE] = {"paid_date", AID, {"发放日期", "发放时间", "资助日期"}, 40},
};

const char *field_key(enum field f)
{
    return fields[f].key;
}

const char *field_label(enum field f)
{
    return fields[f].spellings[0];
}

int field_parse(const char *s, enum field *out)
{
    struct buf k = BUF_INIT;
    header_key(&k, s, strlen(s));
    for (int f = 0; f < F__COUNT; f++) {
        if (!strcmp(s, fields[f].key) || !strcmp(k.buf, fields[f].spellings[0])) {
            *out = (enum field)f;
            buf_release(&k);
            return 0;
        }
    }
    buf_release(&k);
    return -1;
}

unsigned field_max_chars(enum field f)
{
    return fields[f].max;
}

size_t field_overlong(enum field f, const char *text, size_t len, struct buf *scratch)
{
    size_t n;

    if (!fields[f].max || len <= fields[f].max) /* never more characters than bytes */
        return 0;
    buf_reset(scratch);
    if (f == F_NAME)
        utf8_norm_name(scratch, text, len);
    else
        utf8_norm_text(scratch, text, len);
    n = utf8_count(scratch->buf, scratch->len);
    return n > fields[f].max ? n : 0;
}

bool field_in_kind(enum field f, enum import_kind k)
{
    return fields[f].kinds & (1u << k);
}

void header_key(struct buf *out, const char *text, size_t len)
{
    struct buf t = BUF_INIT;
    utf8_norm_text(&t, text, len);
    buf_reset(out);
    size_t i = 0;
    while (i < t.len) {
        unsigned cp;
        size_t n = utf8_decode(t.buf + i, t.len - i, &cp);
        i += n;
        if (cp == ' ' || cp == '*' || cp == '\n' || cp == '\r' || cp == '\t')
            continue;
        if (cp == 0xFF08 || cp == 0x3010 || cp == '[')
            cp = '(';
        else if (cp == 0xFF09 || cp == 0x3011 || cp == ']')
            cp = ')';
        buf_add_utf8(out, cp);
    }
    buf_release(&t);
    /* drop a trailing colon (ASCII or full-width, already folded) */
    if (out->len && out->buf[out->len - 1] == ':')
        buf_setlen(out, out->len - 1);
    /* "号码" -> "号" wherever it ends a word */
    static const char haoma[] = "号码";
    char *p;
    while ((p = strstr(out->buf, haoma)) != NULL) {
        size_t at = (size_t)(p - out->buf);
        size_t ma = strlen("码");
        memmove(p + strlen("号"), p + strlen(haoma), out->len - at - strlen(haoma) + 1);
        out->len -= ma;
    }
}

int header_field(enum import_kind k, const char *text, size_t len)
{
    struct buf key = BUF_INIT;
    header_key(&key, text, len);
    int found = -1;
    for (int f = 0; f < F__COUNT && found < 0; f++) {
        if (!field_in_kind((enum field)f, k))
            continue;
        for (size_t i = 0; i < ARRAY_SIZE(fields[f].spellings) && fields[f].spellings[i]; i++)
            if (!strcmp(key.buf, fields[f].spellings[i])) {
                found = f;
                break;
            }
    }
    buf_release(&key);
    return found;
}

/* Whether normalised text (utf8_norm_name) is one of a list of words. */
static bool word_in(const char *t, const char *const *words)
{
    for (; *words; words++)
        if (!strcmp(t, *words))
            return true;
    return false;
}

/* The spellings of a status a list writes are the words' labels and aliases. */
static const struct word reg_words[] = {
    [REG_NORMAL] = {"normal", "正常", "在户|有效|户籍正常|正常户口", 0, TONE_OK},
    [REG_MOVED_OUT] = {"moved_out", "迁出", "已迁出|迁移|户口迁出|迁往外地", 0, TONE_MUTED},
    [REG_DECEASED] = {"deceased", "死亡", "已死亡|死亡注销", 0, TONE_MUTED},
    [REG_CANCELLED] = {"cancelled", "注销", "已注销|户口注销", 0, TONE_MUTED},
    [REG_UNKNOWN] = {"unknown", "不明", NULL, 0, TONE_WARN},
};
const struct vocab reg_statuses = {"户籍状态", reg_words, ARRAY_SIZE(reg_words)};

static const struct word enr_words[] = {
    [ENR_ACTIVE] = {"active", "在读", "在校|正常|在籍|就读|送教上门|随班就读|复学", 0, TONE_OK},
    [ENR_SUSPENDED] = {"suspended", "休学", NULL, 0, TONE_WARN},
    [ENR_TRANSFERRED] = {"transferred", "转出", "转学|已转出|转走", 0, TONE_MUTED},
    [ENR_DROPPED_OUT] = {"dropped_out", "辍学", "失学|流失", 0, TONE_BAD},
    [ENR_GRADUATED] = {"graduated", "毕业", "结业|已毕业", 0, TONE_MUTED},
    [ENR_DECEASED] = {"deceased", "死亡", NULL, 0, TONE_MUTED},
    [ENR_UNKNOWN] = {"unknown", "不明", NULL, 0, TONE_WARN},
};
const struct vocab enroll_statuses = {"学籍状态", enr_words, ARRAY_SIZE(enr_words)};

/* The first of words [0, n) that normalised text `t` spells, or `none`. */
static int spelled(const struct word *words, int n, const char *t, int none)
{
    for (int i = 0; i < n; i++)
        if (word_is(&words[i], t))
            return i;
    return none;
}

/*
 * The status and gender parsers run on every imported row: they normalise the cell once
 * (as a name: no spaces, dots folded) and compare that against each word's spellings.
 */
enum reg_status reg_status_parse(const char *s, size_t len)
{
    struct buf t = BUF_INIT;
    utf8_norm_text(&t, s, len);
    bool empty = t.len == 0;
    buf_reset(&t);
    utf8_norm_name(&t, s, len);
    enum reg_status rs =
        empty ? REG_NORMAL : (enum reg_status)spelled(reg_words, REG_UNKNOWN, t.buf, REG_UNKNOWN);
    buf_release(&t);
    return rs;
}

const char *reg_status_key(enum reg_status s)
{
    return reg_words[s].key;
}

const char *reg_status_label(enum reg_status s)
{
    return reg_words[s].label;
}

enum enroll_status enroll_status_parse(const char *s, size_t len)
{
    struct buf t = BUF_INIT;
    utf8_norm_text(&t, s, len);
    bool empty = t.len == 0;
    buf_reset(&t);
    utf8_norm_name(&t, s, len);
    enum enroll_status es =
        empty ? ENR_UNKNOWN
              : (enum enroll_status)spelled(enr_words, ENR_UNKNOWN, t.buf, ENR_UNKNOWN);
    buf_release(&t);
    return es;
}

const char *enroll_status_key(enum enroll_status s)
{
    return enr_words[s].key;
}

const char *enroll_status_label(enum enroll_status s)
{
    return enr_words[s].label;
}

int gender_parse(const char *s, size_t len)
{
    static const char *const male[] = {"男", "1", "M", "m", "male", "Male", "男性", "男孩", NULL};
    static const char *const female[] = {"女",     "2",    "F",    "f", "female",
                                         "Female", "女性", "女孩", NULL};
    struct buf t = BUF_INIT;
    utf8_norm_name(&t, s, len);
    int g = word_in(t.buf, male) ? 1 : word_in(t.buf, female) ? 2 : 0;
    buf_release(&t);
    return g;
}

const char *gender_label(int g)
{
    return g == 1 ? "男" : g == 2 ? "女" : "";
}

void school_display(struct buf *out, enum import_kind kind, const char *name, const char *region)
{
    buf_reset(out);
    if (kind == KIND_OUTSIDE && *region)
        buf_addf(out, "%s（%s）", *name ? name : "外地学校", region);
    else if (kind != KIND_POPULATION)
        buf_adds(out, *name ? name : "学校名称未填");
}

enum reg_status reg_status_from_key(const char *key)
{
    const struct word *w = vocab_find(&reg_statuses, key);
    return w ? (enum reg_status)(w - reg_words) : REG_NORMAL;
}

enum enroll_status enroll_status_from_key(const char *key)
{
    const struct word *w = vocab_find(&enroll_statuses, key);
    return w ? (enum enroll_status)(w - enr_words) : ENR_UNKNOWN;
}
