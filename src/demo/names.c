#include "util/common.h"

#include <pthread.h>

#include "demo/demo_internal.h"

/*
 * Chinese names for the demo county: surnames weighted by their share of the population
 * (王 李 张 刘 陈 … down to rare ones such as 单 曾 解 仇, and a few two-character surnames),
 * given names from common characters, and the ways clerks write a name differently.
 */

struct weighted {
    const char *s;
    uint32_t w; /* per 100,000 people */
};

static const struct weighted surnames[] = {
    {"王", 7250}, {"李", 7190}, {"张", 6900}, {"刘", 5380}, {"陈", 4610}, {"杨", 3080},
    {"赵", 2290}, {"黄", 2230}, {"周", 1870}, {"吴", 1780}, {"徐", 1530}, {"孙", 1460},
    {"胡", 1310}, {"朱", 1260}, {"高", 1210}, {"林", 1180}, {"何", 1170}, {"郭", 1150},
    {"马", 1050}, {"罗", 860},  {"梁", 820},  {"宋", 810},  {"郑", 780},  {"谢", 720},
    {"韩", 680},  {"唐", 670},  {"冯", 640},  {"于", 620},  {"董", 600},  {"萧", 80},
    {"程", 590},  {"曹", 580},  {"袁", 540},  {"邓", 540},  {"许", 530},  {"傅", 480},
    {"沈", 470},  {"曾", 460},  {"彭", 450},  {"吕", 440},  {"苏", 430},  {"卢", 420},
    {"蒋", 410},  {"蔡", 400},  {"贾", 390},  {"丁", 380},  {"魏", 370},  {"薛", 360},
    {"叶", 350},  {"阎", 100},  {"闫", 260},  {"余", 340},  {"潘", 330},  {"杜", 320},
    {"戴", 310},  {"夏", 300},  {"钟", 290},  {"汪", 280},  {"田", 280},  {"任", 270},
    {"姜", 260},  {"范", 250},  {"方", 250},  {"石", 240},  {"姚", 240},  {"谭", 230},
    {"廖", 220},  {"邹", 220},  {"熊", 210},  {"金", 210},  {"陆", 200},  {"郝", 200},
    {"孔", 190},  {"白", 190},  {"崔", 190},  {"康", 180},  {"毛", 180},  {"邱", 180},
    {"秦", 170},  {"江", 170},  {"史", 170},  {"顾", 160},  {"侯", 160},  {"邵", 150},
    {"孟", 150},  {"龙", 150},  {"万", 140},  {"段", 140},  {"雷", 140},  {"钱", 130},
    {"汤", 130},  {"尹", 130},  {"黎", 120},  {"易", 120},  {"常", 120},  {"武", 120},
    {"乔", 110},  {"贺", 110},  {"赖", 100},  {"龚", 100},  {"文", 100},  {"牛", 90},
    {"申", 90},   {"靳", 80},   {"原", 80},   {"卫", 80},   {"栗", 60},   {"畅", 40},
    {"霍", 60},   {"暴", 20},   {"琚", 10},   {"晋", 30},   {"冀", 40},   {"柴", 50},
    {"单", 30},   {"解", 25},   {"仇", 20},   {"查", 15},   {"区", 8},    {"朴", 10},
    {"盖", 12},   {"繁", 5},    {"员", 8},    {"折", 5},    {"欧阳", 15}, {"司马", 6},
    {"上官", 4},  {"诸葛", 3},  {"尉迟", 2},  {"令狐", 3},
};

/* Characters of given names; some favoured by parents of boys, some of girls, some both. */
static const char boy_chars[] = "浩宇轩子涵博文杰俊涛鹏磊强伟明晨阳然睿泽辰奕铭航昊豪鑫凯瑞嘉一诚"
                                "锦逸梓晓思天佳志建国军斌勇峰超亮旭东华龙飞刚平兵波辉鸿毅恒宏"
                                "翔林彬健雄亚帅锐正永新晋康宁";
static const char girl_chars[] = "欣怡雨萱梓涵诗琪佳悦可馨思彤婷雅静丽娜敏慧妍晓菲琳艺晨梦露月瑶"
                                 "雪珊玉芳洁娟颖倩燕红艳霞兰萍玲芬淑英秀蕾薇莉媛嘉若语紫依婉"
                                 "佳怡子晗琦诺";

/* Uyghur-style names: own name · father's name. */
static const char *const minority_male[] = {"买买提", "艾力",   "吐尔逊",   "阿不都",
                                            "艾买提", "玉素甫", "努尔",     "热合曼",
                                            "塔依尔", "亚森",   "艾克拜尔", "依明"};
static const char *const minority_female[] = {"阿依古丽", "古丽娜尔", "热依拉",   "迪丽努尔",
                                              "帕提古丽", "阿米娜",   "祖丽菲亚", "米热",
                                              "阿娜尔",   "布维"};

/* Characters that sound alike and get swapped when a name is typed from hearing it. */
static const char *const homophones[][2] = {
    {"晓", "小"}, {"明", "铭"}, {"丽", "莉"}, {"峰", "锋"}, {"静", "婧"}, {"杰", "洁"},
    {"欣", "馨"}, {"轩", "萱"}, {"琪", "琦"}, {"慧", "惠"}, {"浩", "昊"}, {"辰", "晨"},
    {"怡", "宜"}, {"佳", "嘉"}, {"彤", "桐"}, {"阳", "扬"}, {"婷", "亭"}, {"涵", "晗"},
    {"宇", "雨"}, {"梓", "子"}, {"瑞", "睿"}, {"艳", "燕"}, {"红", "虹"}, {"军", "钧"},
    {"芳", "方"}, {"伟", "玮"}, {"娜", "纳"}, {"鑫", "新"}, {"凯", "楷"}, {"文", "雯"},
    {"志", "智"}, {"思", "斯"}, {"华", "桦"}, {"鹏", "朋"}, {"泽", "择"}, {"淑", "舒"},
    {"玉", "钰"}, {"颖", "莹"}, {"倩", "茜"}, {"琳", "林"}, {"玲", "菱"}, {"俊", "骏"},
    {"涛", "韬"}, {"辉", "晖"}, {"磊", "垒"}, {"雪", "学"}, {"萍", "平"}, {"亮", "量"},
};

/* Simplified -> traditional, as names appear when typed on a traditional-locale keyboard or
 * copied from an old certificate. */
static const char *const traditional[][2] = {
    {"张", "張"}, {"陈", "陳"}, {"刘", "劉"}, {"杨", "楊"}, {"华", "華"}, {"赵", "趙"},
    {"黄", "黃"}, {"吴", "吳"}, {"孙", "孫"}, {"马", "馬"}, {"郑", "鄭"}, {"冯", "馮"},
    {"邓", "鄧"}, {"韩", "韓"}, {"叶", "葉"}, {"苏", "蘇"}, {"卢", "盧"}, {"钟", "鍾"},
    {"陆", "陸"}, {"龙", "龍"}, {"贺", "賀"}, {"顾", "顧"}, {"汤", "湯"}, {"乔", "喬"},
    {"许", "許"}, {"谢", "謝"}, {"罗", "羅"}, {"丽", "麗"}, {"伟", "偉"}, {"杰", "傑"},
    {"涛", "濤"}, {"鹏", "鵬"}, {"军", "軍"}, {"红", "紅"}, {"晓", "曉"}, {"凯", "凱"},
    {"辉", "輝"}, {"梦", "夢"}, {"轩", "軒"}, {"诗", "詩"}, {"颖", "穎"}, {"锦", "錦"},
    {"铭", "銘"}, {"锋", "鋒"}, {"阳", "陽"}, {"东", "東"}, {"国", "國"}, {"兰", "蘭"},
    {"飞", "飛"}, {"宁", "寧"}, {"泽", "澤"}, {"语", "語"}, {"卫", "衛"}, {"贾", "賈"},
    {"邹", "鄒"}, {"钱", "錢"}, {"闫", "閆"}, {"刚", "剛"}, {"宏", "宏"}, {"鸿", "鴻"},
    {"艳", "艷"}, {"霞", "霞"}, {"萍", "萍"}, {"娟", "娟"}, {"莉", "莉"}, {"馨", "馨"},
    {"乐", "樂"}, {"欢", "歡"}, {"宝", "寶"}, {"进", "進"}, {"庆", "慶"}, {"丰", "豐"},
    {"龚", "龔"}, {"萧", "蕭"}, {"阎", "閻"}, {"冯", "馮"}, {"汪", "汪"}, {"齐", "齊"},
    {"严", "嚴"}, {"骏", "駿"}, {"钰", "鈺"}, {"玮", "瑋"}, {"铭", "銘"}, {"韬", "韜"},
    {"晖", "暉"}, {"婧", "婧"}, {"亚", "亞"}, {"帅", "帥"}, {"锐", "銳"}, {"恒", "恆"},
    {"义", "義"}, {"书", "書"}, {"刘", "劉"}, {"欧", "歐"}, {"阳", "陽"}, {"马", "馬"},
};

/*
 * Characters that look alike (形近字) and get swapped when a name is typed from a handwritten
 * form: one stroke more or less, or a radical taken for a neighbour's.
 */
static const char *const similar[][2] = {
    {"未", "末"}, {"己", "已"}, {"土", "士"}, {"日", "曰"}, {"人", "入"}, {"天", "夭"},
    {"天", "夫"}, {"宇", "字"}, {"思", "恩"}, {"瑞", "端"}, {"帅", "师"}, {"永", "水"},
    {"平", "乎"}, {"兵", "乒"}, {"若", "苦"}, {"依", "侬"}, {"豪", "毫"}, {"超", "趋"},
    {"明", "朋"}, {"晋", "普"}, {"亚", "业"}, {"玉", "王"}, {"博", "搏"}, {"琪", "棋"},
    {"玲", "铃"}, {"娟", "绢"}, {"薇", "微"}, {"建", "健"}, {"龙", "尤"}, {"俊", "浚"},
    {"婷", "停"}, {"瑶", "摇"}, {"航", "舫"}, {"恒", "桓"}, {"悦", "锐"}, {"子", "孑"},
    {"琳", "淋"}, {"晨", "晟"}, {"萱", "宣"}, {"妍", "研"}, {"菲", "非"}, {"波", "玻"},
    {"诚", "城"}, {"辉", "挥"}, {"雪", "雷"}, {"涛", "寿"},
};

/* Characters parents pick as the generation character (字辈) shared by siblings. */
static const char generation_chars[] = "子梓思佳嘉雨宇浩文志俊欣一晓天明家永国建博锦雅诗";

static uint32_t surname_cum[ARRAY_SIZE(surnames)];
static size_t nboy, ngirl;

static size_t u8len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c < 0xe0)
        return 2;
    if (c < 0xf0)
        return 3;
    return 4;
}

static void names_init_once(void)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < ARRAY_SIZE(surnames); i++) {
        sum += surnames[i].w;
        surname_cum[i] = sum;
    }
    nboy = (sizeof(boy_chars) - 1) / 3;
    ngirl = (sizeof(girl_chars) - 1) / 3;
}

void names_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, names_init_once);
}

size_t names_surname(struct demo_rng *r, struct buf *out)
{
    size_t i = rng_cum(r, surname_cum, ARRAY_SIZE(surnames));
    buf_adds(out, surnames[i].s);
    return i;
}

static void add_given_char(struct demo_rng *r, int sex, struct buf *out)
{
    /* One in five characters comes from the other list: 子涵, 梓萱, 佳怡 are given to both. */
    bool girl = sex == 2;
    if (rng_below(r, 5) == 0)
        girl = !girl;
    if (girl)
        buf_add(out, girl_chars + 3 * rng_below(r, (uint32_t)ngirl), 3);
    else
        buf_add(out, boy_chars + 3 * rng_below(r, (uint32_t)nboy), 3);
}

void names_given(struct demo_rng *r, int sex, struct buf *out)
{
    if (rng_below(r, 100) < 14) {
        add_given_char(r, sex, out);
        return;
    }
    size_t before = out->len;
    add_given_char(r, sex, out);
    if (sex == 2 && rng_below(r, 50) == 0) {
        buf_add(out, out->buf + before, 3); /* 婷婷 */
        return;
    }
    add_given_char(r, sex, out);
}

/* The partner of a character in the homophone table, or NULL. */
static const char *homophone_of(const char *c3)
{
    for (size_t k = 0; k < ARRAY_SIZE(homophones); k++)
        for (int side = 0; side < 2; side++)
            if (!memcmp(homophones[k][side], c3, 3))
                return homophones[k][!side];
    return NULL;
}

void names_twin(struct demo_rng *r, int sex, struct buf *out, const char *given, size_t len)
{
    size_t start = out->len;
    for (int tries = 0; tries < 8; tries++) {
        buf_setlen(out, start);
        uint32_t u = rng_below(r, 100);
        if (len == 6 && u < 35) {
            /* the first character shared: 子涵 / 子轩 */
            buf_add(out, given, 3);
            add_given_char(r, sex, out);
        } else if (len == 6 && u < 50) {
            /* the second character shared: 欣悦 / 可悦 */
            add_given_char(r, sex, out);
            buf_add(out, given + 3, 3);
        } else if (len == 6 && u < 60 && !memcmp(given, given + 3, 3)) {
            /* both doubled: 乐乐 / 欢欢 */
            add_given_char(r, sex, out);
            buf_add(out, out->buf + start, 3);
        } else if (len == 6 && u < 75 && (homophone_of(given + 3) || homophone_of(given))) {
            /* sounding alike: 思雨 / 思语 (the same pinyin, other characters) */
            const char *h = homophone_of(given + 3);
            if (h) {
                buf_add(out, given, 3);
                buf_adds(out, h);
            } else {
                buf_adds(out, homophone_of(given));
                buf_add(out, given + 3, 3);
            }
        } else {
            names_given(r, sex, out);
        }
        if (out->len - start != len || memcmp(out->buf + start, given, len) != 0)
            return;
    }
    /* the same name as the twin every time: one more character makes it another */
    add_given_char(r, sex, out);
}

void names_generation_char(struct demo_rng *r, char out3[3])
{
    memcpy(out3, generation_chars + 3 * rng_below(r, (sizeof(generation_chars) - 1) / 3), 3);
}

void names_given_generation(struct demo_rng *r, int sex, struct buf *out, const char gen3[3])
{
    buf_add(out, gen3, 3);
    for (int tries = 0; tries < 4; tries++) {
        add_given_char(r, sex, out);
        if (memcmp(out->buf + out->len - 3, gen3, 3) != 0)
            return;
        buf_setlen(out, out->len - 3); /* not 子子 */
    }
    add_given_char(r, sex == 1 ? 2 : 1, out);
}

void names_minority_part(struct demo_rng *r, int sex, struct buf *out)
{
    if (sex == 2)
        buf_adds(out, minority_female[rng_below(r, ARRAY_SIZE(minority_female))]);
    else
        buf_adds(out, minority_male[rng_below(r, ARRAY_SIZE(minority_male))]);
}

/* Replace the character at [pos, pos+clen) of name by `with`, appending the result. */
static void add_replaced(struct buf *out, const char *name, size_t len, size_t pos, size_t clen,
                         const char *with)
{
    buf_add(out, name, pos);
    buf_adds(out, with);
    buf_add(out, name + pos + clen, len - pos - clen);
}

/*
 * Replace one character of name[from..len) that stands in a pair table by its partner, picked
 * at random among the candidates; false (and the name unchanged) when none stands there.
 */
static bool swap_from_table(struct demo_rng *r, const char *name, size_t len, size_t from,
                            const char *const (*table)[2], size_t ntable, struct buf *out)
{
    size_t pos[16], clen[16];
    const char *with[16];
    size_t n = 0;
    for (size_t i = from; i < len && n < ARRAY_SIZE(pos);) {
        size_t l = u8len((unsigned char)name[i]);
        if (i + l > len)
            break;
        for (size_t k = 0; k < ntable; k++) {
            for (int side = 0; side < 2; side++) {
                const char *h = table[k][side];
                if (strlen(h) == l && !memcmp(name + i, h, l) && n < ARRAY_SIZE(pos)) {
                    pos[n] = i;
                    clen[n] = l;
                    with[n] = table[k][!side];
                    n++;
                }
            }
        }
        i += l;
    }
    if (!n) {
        buf_add(out, name, len);
        return false;
    }
    size_t pick = rng_below(r, (uint32_t)n);
    add_replaced(out, name, len, pos[pick], clen[pick], with[pick]);
    return true;
}

/* A homophone anywhere in the name (晓/小, 明/铭, …). */
bool names_homophone(struct demo_rng *r, const char *name, size_t len, struct buf *out)
{
    return swap_from_table(r, name, len, 0, homophones, ARRAY_SIZE(homophones), out);
}

/* A look-alike character in the given name only: the first character (the surname, or the
 * first of two) is skipped, and no second character of a two-character surname is in the
 * table. */
bool names_similar(struct demo_rng *r, const char *name, size_t len, struct buf *out)
{
    size_t from = len ? u8len((unsigned char)name[0]) : 0;
    return swap_from_table(r, name, len, from, similar, ARRAY_SIZE(similar), out);
}

bool names_traditional(const char *name, size_t len, struct buf *out)
{
    bool changed = false;
    for (size_t i = 0; i < len;) {
        size_t l = u8len((unsigned char)name[i]);
        if (i + l > len)
            l = len - i;
        const char *with = NULL;
        for (size_t k = 0; k < ARRAY_SIZE(traditional) && !with; k++)
            if (strlen(traditional[k][0]) == l && !memcmp(name + i, traditional[k][0], l))
                with = traditional[k][1];
        if (with && strcmp(with, "") != 0) {
            buf_adds(out, with);
            changed |= strlen(with) != l || memcmp(with, name + i, l) != 0;
        } else {
            buf_add(out, name + i, l);
        }
        i += l;
    }
    return changed;
}
