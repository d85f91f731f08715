#include "render/notice_impl.h"

#include <strings.h>

#include "util/common.h"
#include "core/date.h"
#include "util/utf8.h"

/*
 * The two notices of the legal ladder (notice.h): their kinds, the fields they are filled from
 * and how each is checked, their text (the facts, the articles of 义务教育法 quoted, the
 * deadline, the signature and the 回执), and the scale at which one fits a sheet. The layout
 * primitives are notice_layout.c's.
 */

/* ---- kinds ---- */

static const struct {
    const char *key;
    const char *label;
} kinds[NOTICE__COUNT] = {
    [NOTICE_RETURN] = {"return", "劝返复学通知书"},
    [NOTICE_ORDER] = {"order", "责令限期改正通知书"},
};

const char *notice_kind_key(enum notice_kind k)
{
    return (unsigned)k < NOTICE__COUNT ? kinds[k].key : NULL;
}

const char *notice_kind_label(enum notice_kind k)
{
    return (unsigned)k < NOTICE__COUNT ? kinds[k].label : NULL;
}

int notice_kind_parse(const char *s)
{
    if (!s)
        return -1;
    /* the title may come with its book-title marks: 《劝返复学通知书》 */
    size_t len = strlen(s);
    static const char open[] = "《", close[] = "》";
    if (len >= 2 * strlen(open) && !memcmp(s, open, strlen(open)) &&
        !memcmp(s + len - strlen(close), close, strlen(close))) {
        s += strlen(open);
        len -= strlen(open) + strlen(close);
    }
    for (int k = 0; k < NOTICE__COUNT; k++)
        if ((strlen(kinds[k].key) == len && !strncasecmp(s, kinds[k].key, len)) ||
            (strlen(kinds[k].label) == len && !memcmp(s, kinds[k].label, len)))
            return k;
    return -1;
}

/* ---- fields ---- */

enum field_ix {
    F_COUNTY,
    F_AUTHORITY,
    F_DOC_NUMBER,
    F_CASE_NO,
    F_CHILD_NAME,
    F_CHILD_GENDER,
    F_CHILD_BIRTH,
    F_CHILD_AGE,
    F_CHILD_ID,
    F_GUARDIAN,
    F_GUARDIAN_ADDRESS,
    F_SCHOOL,
    F_GRADE,
    F_ISSUE_DATE,
    F_DEADLINE,
    F_CONTACT,
    F__COUNT
};

enum {
    REQUIRED = 1,       /* every notice needs it */
    REQUIRED_ORDER = 2, /* a 责令限期改正 needs it */
    IS_DATE = 4,
};

/* A field longer than this is a mistake (a pasted paragraph), not a name or an address. */
#define FIELD_MAX 1000

#define FIELD(member) offsetof(struct notice_fields, member)
static const struct {
    size_t offset;
    const char *label; /* what the error message calls it */
    unsigned flags;
} fields[F__COUNT] = {
    [F_COUNTY] = {FIELD(county), "县（市、区）名称", REQUIRED},
    [F_AUTHORITY] = {FIELD(authority), "发文机关", REQUIRED},
    [F_DOC_NUMBER] = {FIELD(doc_number), "文号", 0},
    [F_CASE_NO] = {FIELD(case_no), "案件编号", 0},
    [F_CHILD_NAME] = {FIELD(child_name), "学生姓名", REQUIRED},
    [F_CHILD_GENDER] = {FIELD(child_gender), "学生性别", 0},
    [F_CHILD_BIRTH] = {FIELD(child_birth), "学生出生日期", IS_DATE},
    [F_CHILD_AGE] = {FIELD(child_age), "学生年龄", 0},
    [F_CHILD_ID] = {FIELD(child_id), "学生身份证号", 0},
    [F_GUARDIAN] = {FIELD(guardian), "监护人姓名", REQUIRED},
    [F_GUARDIAN_ADDRESS] = {FIELD(guardian_address), "家庭住址", 0},
    [F_SCHOOL] = {FIELD(school), "复学学校", 0},
    [F_GRADE] = {FIELD(grade), "复学年级", 0},
    [F_ISSUE_DATE] = {FIELD(issue_date), "发文日期", REQUIRED | IS_DATE},
    [F_DEADLINE] = {FIELD(deadline), "改正期限", REQUIRED_ORDER | IS_DATE},
    [F_CONTACT] = {FIELD(contact), "联系人及电话", 0},
};

/* The fields as they are set: trimmed, control characters turned into spaces (a name cannot
 * start a new paragraph), NULL when absent; dates also as yyyymmdd and in Chinese form. */
struct notice_text {
    char *v[F__COUNT];
    int ymd[F__COUNT];
    char cn[F__COUNT][24];
};

static void notice_text_release(struct notice_text *t)
{
    for (size_t i = 0; i < F__COUNT; i++)
        free(t->v[i]);
}

static char *clean_field(const char *s)
{
    struct buf b = BUF_INIT;
    size_t len = strlen(s), n;
    unsigned cp;
    for (size_t i = 0; i < len; i += n) {
        n = utf8_decode(s + i, len - i, &cp);
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029)
            buf_addch(&b, ' ');
        else
            buf_add(&b, s + i, n);
    }
    buf_trim(&b);
    if (!b.len) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

static int read_fields(const struct notice_fields *f, struct notice_text *t, struct buf *err)
{
    memset(t, 0, sizeof(*t));
    if ((unsigned)f->kind >= NOTICE__COUNT) {
        buf_addf(err, "通知书种类无效（%d）", (int)f->kind);
        return -1;
    }
    for (size_t i = 0; i < F__COUNT; i++) {
        const char *s = *(const char *const *)((const char *)f + fields[i].offset);
        bool required = (fields[i].flags & REQUIRED) ||
                        ((fields[i].flags & REQUIRED_ORDER) && f->kind == NOTICE_ORDER);
        if (s && !utf8_valid(s, strlen(s), false)) {
            buf_addf(err, "%s不是有效的 UTF-8 文本", fields[i].label);
            return -1;
        }
        if (s && strlen(s) > FIELD_MAX) {
            buf_addf(err, "%s过长（超过 %d 字节）", fields[i].label, FIELD_MAX);
            return -1;
        }
        t->v[i] = s ? clean_field(s) : NULL;
        if (!t->v[i]) {
            if (required) {
                buf_addf(err, "缺少必填项：%s（%s）", fields[i].label, kinds[f->kind].label);
                return -1;
            }
            continue;
        }
        if (fields[i].flags & IS_DATE) {
            if (date_parse(t->v[i], strlen(t->v[i]), &t->ymd[i]) != 0) {
                buf_addf(err, "%s不是有效日期（应为 YYYY-MM-DD）", fields[i].label);
                return -1;
            }
            date_format_cn(t->ymd[i], t->cn[i], sizeof(t->cn[i]));
        }
    }
    if (t->ymd[F_DEADLINE] && t->ymd[F_DEADLINE] <= t->ymd[F_ISSUE_DATE]) {
        buf_adds(err, "改正期限必须晚于发文日期");
        return -1;
    }
    if (t->ymd[F_CHILD_BIRTH] && t->ymd[F_CHILD_BIRTH] >= t->ymd[F_ISSUE_DATE]) {
        buf_adds(err, "学生出生日期必须早于发文日期");
        return -1;
    }
    return 0;
}

/*
 * Body text in 三号 (16 pt) with airy lines, as GB/T 9704 sets it; when the notice and its 回执
 * do not fit one sheet, smaller sizes and tighter lines are tried in turn (7.3.5.4: 调整行距、
 * 字距) before it runs to a second page in 三号. The 回执 is three quarters of the body size.
 */
static const struct scale {
    double body; /* pt */
    double line; /* baseline to baseline, as a multiple of the font's own line height */
} scales[] = {{16, 1.15}, {15, 1.08}, {14, 1.0}, {13, 1.0}};

/* body text: justified, first line indented by `indent_em` characters */
static struct style body_style(const struct notice_doc *d, double indent_em, bool bold)
{
    return (struct style){d->body, bold, PANGO_ALIGN_LEFT, true, indent_em, 0};
}

/* ---- the text of the notices ---- */

/* "李四（女，2012年3月4日出生，公民身份号码…）", or with the age in place of the birth date
 * ("截至2026年8月31日 14 周岁") on a masked notice; the address is on the 回执 */
static void add_child(struct buf *b, const struct notice_text *t)
{
    const char *sep = "（";
    buf_adds(b, t->v[F_CHILD_NAME]);
    if (t->v[F_CHILD_GENDER]) {
        buf_addf(b, "%s%s", sep, t->v[F_CHILD_GENDER]);
        sep = "，";
    }
    if (t->v[F_CHILD_BIRTH]) {
        buf_addf(b, "%s%s出生", sep, t->cn[F_CHILD_BIRTH]);
        sep = "，";
    } else if (t->v[F_CHILD_AGE]) {
        buf_addf(b, "%s%s", sep, t->v[F_CHILD_AGE]);
        sep = "，";
    }
    if (t->v[F_CHILD_ID]) {
        buf_addf(b, "%s公民身份号码%s", sep, t->v[F_CHILD_ID]);
        sep = "，";
    }
    if (strcmp(sep, "（"))
        buf_adds(b, "）");
}

/* "到沁水县第二中学七年级复学" or "返校复学" */
static void add_school(struct buf *b, const struct notice_text *t)
{
    if (t->v[F_SCHOOL])
        buf_addf(b, "到%s%s复学", t->v[F_SCHOOL], t->v[F_GRADE] ? t->v[F_GRADE] : "");
    else if (t->v[F_GRADE])
        buf_addf(b, "返校（%s）复学", t->v[F_GRADE]);
    else
        buf_adds(b, "返校复学");
}

static const char art5[] = "适龄儿童、少年的父母或者其他法定监护人应当依法保证其按时入学接受并完成"
                           "义务教育";
static const char art11[] = "凡年满六周岁的儿童，其父母或者其他法定监护人应当送其入学接受并完成义务"
                            "教育";
static const char art58[] = "适龄儿童、少年的父母或者其他法定监护人无正当理由未依照本法规定送适龄儿"
                            "童、少年入学接受义务教育的，由当地乡镇人民政府或者县级人民政府教育行"
                            "政部门给予批评教育，责令限期改正";
static const char difficulty[] =
    "子女确因身体状况需要延缓入学或者休学的，请依法提出申请；家庭确有困"
    "难的，请及时与学校或当地人民政府联系，我们将依法依规帮助解决。";

static void body_return(struct notice_doc *d, const struct notice_text *t, struct buf *b)
{
    const struct style st_body = body_style(d, 2, false);

    buf_reset(b);
    buf_adds(b, "经核查，你的子女");
    add_child(b, t);
    buf_addf(b, "系%s义务教育适龄儿童少年，目前未按规定入学接受义务教育。", t->v[F_COUNTY]);
    notice_add_text(d, b->buf, &st_body, 0, 0);

    buf_reset(b);
    buf_addf(b,
             "《中华人民共和国义务教育法》第五条规定：“%s。”第十一条规定：“%s……”送适龄子女入学"
             "接受并完成义务教育，是监护人的法定义务。",
             art5, art11);
    notice_add_text(d, b->buf, &st_body, 0, 0);

    buf_reset(b);
    buf_adds(b, "请你切实履行监护职责，积极配合学校和当地人民政府做好劝返工作，");
    if (t->v[F_DEADLINE])
        buf_addf(b, "于%s前", t->cn[F_DEADLINE]);
    else
        buf_adds(b, "尽快");
    buf_adds(b, "送子女");
    add_school(b, t);
    buf_adds(b, "。");
    buf_adds(b, difficulty);
    notice_add_text(d, b->buf, &st_body, 0, 0);

    notice_add_text(
        d, "无正当理由拒不送子女入学接受义务教育的，将依照该法第五十八条的规定责令限期改正。",
        &st_body, 0, 0);
}

static void body_order(struct notice_doc *d, const struct notice_text *t, struct buf *b)
{
    const struct style st_body = body_style(d, 2, false);
    const struct style st_bold = body_style(d, 2, true);

    buf_reset(b);
    buf_adds(b, "经核查，你的子女");
    add_child(b, t);
    buf_addf(b, "系%s义务教育适龄儿童少年，目前未按规定入学接受义务教育，经劝返仍未复学。",
             t->v[F_COUNTY]);
    notice_add_text(d, b->buf, &st_body, 0, 0);

    buf_reset(b);
    /* articles 5 and 11 are cited, 58 (the ground of the order) is quoted: the 劝返复学通知书
     * before it has quoted 5 and 11, and the order must leave room for its 回执 */
    buf_addf(b,
             "你未依法送适龄子女入学接受义务教育，违反了《中华人民共和国义务教育法》第五条、第十一"
             "条关于父母或者其他法定监护人应当送适龄子女入学接受并完成义务教育的规定。依据该法第"
             "五十八条“%s”的规定，现责令你限期改正：",
             art58);
    notice_add_text(d, b->buf, &st_body, 0, 0);

    buf_reset(b);
    buf_addf(b, "请于%s前送子女", t->cn[F_DEADLINE]);
    add_school(b, t);
    buf_adds(b, "。");
    notice_add_text(d, b->buf, &st_bold, 0, 0);

    buf_reset(b);
    buf_adds(b, "逾期仍不改正的，将依照有关法律法规的规定作进一步处理。");
    buf_adds(b, difficulty);
    notice_add_text(d, b->buf, &st_body, 0, 0);
}

/* `n` ideographic spaces, underlined: a line to write on */
static void add_blank(struct buf *b, PangoAttrList *al, int n)
{
    PangoAttribute *a = pango_attr_underline_new(PANGO_UNDERLINE_SINGLE);
    a->start_index = (guint)b->len;
    for (int i = 0; i < n; i++)
        buf_adds(b, "　");
    a->end_index = (guint)b->len;
    pango_attr_list_insert(al, a);
}

static void add_receipt_line(struct notice_doc *d, struct buf *b, PangoAttrList *al,
                             const struct style *st, double before)
{
    notice_add_block(d, notice_new_layout(d, b->buf, st, al), before, KEEP_NEXT);
    buf_reset(b);
}

/* the 回执: cut along the dashed line, signed by the guardian and handed back */
static void receipt(struct notice_doc *d, const struct notice_text *t, enum notice_kind kind,
                    struct buf *b)
{
    const struct style st_cut = {d->small, false, PANGO_ALIGN_CENTER, false, 0, 0};
    const struct style st_head = {d->body, true, PANGO_ALIGN_CENTER, false, 0, 0};
    const struct style st_small = {d->small, false, PANGO_ALIGN_LEFT, true, 0, 0};
    const struct style st_small_ind = {d->small, false, PANGO_ALIGN_LEFT, true, 2, 0};
    double gap = d->small * 0.4;

    notice_add_text(d, "（沿此线剪开）", &st_cut, 0, ANCHOR_BOTTOM | KEEP_NEXT | CUT_LINE);
    notice_add_text(d, "回　执", &st_head, gap, KEEP_NEXT);

    buf_reset(b);
    buf_addf(b, "%s：", t->v[F_AUTHORITY]);
    notice_add_text(d, b->buf, &st_small, gap, KEEP_NEXT);
    buf_reset(b);

    PangoAttrList *al = pango_attr_list_new();
    buf_addf(b, "本人已收到你单位%s发出的《%s》", t->cn[F_ISSUE_DATE], kinds[kind].label);
    if (t->v[F_DOC_NUMBER])
        buf_addf(b, "（%s）", t->v[F_DOC_NUMBER]);
    buf_adds(b, "，知悉其中内容。");
    add_receipt_line(d, b, al, &st_small_ind, 0);

    buf_addf(b, "学生姓名：%s", t->v[F_CHILD_NAME]);
    if (t->v[F_CASE_NO])
        buf_addf(b, "　　案件编号：%s", t->v[F_CASE_NO]);
    add_receipt_line(d, b, al, &st_small, gap);
    buf_addf(b, "监护人：%s", t->v[F_GUARDIAN]);
    if (t->v[F_GUARDIAN_ADDRESS])
        buf_addf(b, "　　家庭住址：%s", t->v[F_GUARDIAN_ADDRESS]);
    add_receipt_line(d, b, al, &st_small, 0);
    pango_attr_list_unref(al);

    al = pango_attr_list_new();
    buf_adds(b, "监护人（签名）：");
    add_blank(b, al, 8);
    buf_adds(b, "　　与学生关系：");
    add_blank(b, al, 5);
    add_receipt_line(d, b, al, &st_small, d->small * 0.6);
    pango_attr_list_unref(al);

    al = pango_attr_list_new();
    buf_adds(b, "送达人（签名）：");
    add_blank(b, al, 8);
    buf_adds(b, "　　签收日期：");
    add_blank(b, al, 3);
    buf_adds(b, "年");
    add_blank(b, al, 2);
    buf_adds(b, "月");
    add_blank(b, al, 2);
    buf_adds(b, "日");
    notice_add_block(d, notice_new_layout(d, b->buf, &st_small, al), d->small * 0.6, 0);
    pango_attr_list_unref(al);
}

/*
 * 发文机关署名 and 成文日期 (GB/T 9704 7.3.5.1): the date ends four characters from the right
 * edge, the authority is centred over the date; a name too long for that wraps, centred.
 */
static void signature(struct notice_doc *d, const struct notice_text *t)
{
    const struct style st_line = {d->body, false, PANGO_ALIGN_LEFT, false, 0, 0};
    PangoLayout *date = notice_new_layout(d, t->cn[F_ISSUE_DATE], &st_line, NULL);
    double dw = notice_layout_width(date);
    double date_x = TEXT_W - 4 * d->body - dw;
    double centre = date_x + dw / 2;
    double box = 2 * (TEXT_W - centre);
    if (box > TEXT_W)
        box = TEXT_W;
    struct style st_auth = {d->body, false, PANGO_ALIGN_CENTER, false, 0, box};
    /* one blank line above (GB/T 9704 7.3.5.1); the seal is pressed over name and date */
    struct block *a =
        notice_add_text(d, t->v[F_AUTHORITY], &st_auth, notice_layout_height(date), KEEP_NEXT);
    a->x = TEXT_W - box;
    struct block *b = notice_add_block(d, date, 0, 0);
    b->x = date_x;
}

static void build(struct notice_doc *d, const struct notice_text *t, enum notice_kind kind)
{
    const struct style st_title = {TITLE_PT, true, PANGO_ALIGN_CENTER, false, 0, 0};
    const struct style st_right = {d->body, false, PANGO_ALIGN_RIGHT, false, 0, 0};
    const struct style st_body = body_style(d, 2, false), st_flush = body_style(d, 0, false);
    struct buf b = BUF_INIT;

    notice_add_text(d, kinds[kind].label, &st_title, 0, KEEP_NEXT);
    if (t->v[F_DOC_NUMBER])
        notice_add_text(d, t->v[F_DOC_NUMBER], &st_right, d->body * 0.5, KEEP_NEXT);

    buf_addf(&b, "%s（监护人）：", t->v[F_GUARDIAN]);
    notice_add_text(d, b.buf, &st_flush, d->body, 0);

    if (kind == NOTICE_ORDER)
        body_order(d, t, &b);
    else
        body_return(d, t, &b);

    if (t->v[F_CONTACT]) {
        buf_reset(&b);
        buf_addf(&b, "联系人及电话：%s", t->v[F_CONTACT]);
        notice_add_text(d, b.buf, &st_body, 0, 0);
    }
    /* never a page with the signature alone (GB/T 9704 7.3.5.4) */
    d->blocks[d->nblocks - 1].flags |= KEEP_NEXT;

    signature(d, t);
    receipt(d, t, kind, &b);
    buf_release(&b);
}

/* Builds the notice at one scale; returns its page count, or -1 when a character has no font. */
static int lay_out(struct notice_doc *d, const struct notice_text *t, enum notice_kind kind,
                   const struct scale *sc, struct buf *err)
{
    notice_doc_clear(d);
    d->body = sc->body;
    d->small = sc->body * 0.75;
    d->line = sc->line;
    build(d, t, kind);
    if (d->unknown_glyphs) {
        buf_addf(err, "通知书中有 %d 个字符在字体 %s 及其后备字体中都没有，未生成文件",
                 d->unknown_glyphs, d->family);
        return -1;
    }
    struct pager count = {d, NULL, 0, 0, 0};
    return notice_paginate(&count);
}

int notice_render_pdf(const struct notice_fields *f, const char *path, struct buf *err)
{
    struct notice_text t;
    struct notice_doc d;
    int ret = -1, npages;

    memset(&d, 0, sizeof(d));
    if (!path || !*path) {
        buf_adds(err, "未指定输出文件");
        return -1;
    }
    if (read_fields(f, &t, err))
        goto out;
    if (notice_doc_init(&d, err))
        goto out;
    if ((npages = lay_out(&d, &t, f->kind, &scales[0], err)) < 0)
        goto out;
    for (size_t i = 1; i < ARRAY_SIZE(scales) && npages > 1; i++)
        if ((npages = lay_out(&d, &t, f->kind, &scales[i], err)) < 0)
            goto out;
    if (npages > 1 && (npages = lay_out(&d, &t, f->kind, &scales[0], err)) < 0)
        goto out;
    ret = notice_write_pdf(&d, npages, kinds[f->kind].label, path, err);
out:
    notice_doc_release(&d);
    notice_text_release(&t);
    return ret;
}
