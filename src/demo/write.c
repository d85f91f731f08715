#include "util/common.h"

#include <time.h>
#include <xlsxwriter.h>

#include "core/date.h"
#include "core/schoolyear.h"
#include "demo/demo_internal.h"

/*
 * The department files, written from the demo world with the mistakes each department makes.
 * Rates are parts per million of the rows of that list, at errors = 1; every rate of a mistake
 * is scaled by demo_options.errors (struct file_rates). Each file draws its mistakes from its
 * own random stream, so the files can be written in parallel and still come out the same.
 */

/* 户籍 (公安); the date forms are the bureau's habits, not mistakes, and are not scaled */
#define POP_DATE_SLASH    200000 /* 2015/3/4 */
#define POP_DATE_CN       100000 /* 2015年3月4日 */
#define POP_DATE_COMPACT  100000 /* 20150304; the rest 2015-03-04 */
#define POP_LOWER_X       200000 /* of IDs ending in X */
#define POP_ID_SPACE      5000
#define POP_ID_APOSTROPHE 3000
#define POP_SEX_DIGIT     30000 /* 性别 as 1/2 */
#define POP_NATION_SHORT  20000 /* 汉 for 汉族 */

/* 学籍 and 外出就读: the cosmetic noise of cells; what happens to each row's ID, name and birth
 * date was drawn with the world (fates.c) */
#define ENR_NAME_SPACE   3000
#define ENR_LOWER_X      300000 /* of IDs ending in X */
#define ENR_ID_FULLWIDTH 3000
#define ENR_ID_SPACE     3000
#define OUT_LOWER_X      300000
#define OUT_ID_FULLWIDTH 5000
#define OUT_NAME_SPACE   5000

/* The rates of the noise in effect: the ones above times the scale errors. */
struct file_rates {
    uint32_t pop_lower_x, pop_id_space, pop_id_apostrophe, pop_sex_digit, pop_nation_short;
    uint32_t enr_lower_x, enr_id_fullwidth, enr_id_space;
    struct name_rates enr_name;
    uint32_t out_lower_x, out_id_fullwidth;
    struct name_rates out_name;
};

static void file_rates_init(struct file_rates *fr, double e)
{
    fr->pop_lower_x = rate_scaled(POP_LOWER_X, e);
    fr->pop_id_space = rate_scaled(POP_ID_SPACE, e);
    fr->pop_id_apostrophe = rate_scaled(POP_ID_APOSTROPHE, e);
    fr->pop_sex_digit = rate_scaled(POP_SEX_DIGIT, e);
    fr->pop_nation_short = rate_scaled(POP_NATION_SHORT, e);
    fr->enr_name = (struct name_rates){0, 0, 0, rate_scaled(ENR_NAME_SPACE, e)};
    fr->enr_lower_x = rate_scaled(ENR_LOWER_X, e);
    fr->enr_id_fullwidth = rate_scaled(ENR_ID_FULLWIDTH, e);
    fr->enr_id_space = rate_scaled(ENR_ID_SPACE, e);
    fr->out_lower_x = rate_scaled(OUT_LOWER_X, e);
    fr->out_id_fullwidth = rate_scaled(OUT_ID_FULLWIDTH, e);
    fr->out_name = (struct name_rates){0, 0, 0, rate_scaled(OUT_NAME_SPACE, e)};
}

/* random streams of the files (the world uses 1..5) */
enum { STREAM_POPULATION = 101, STREAM_ENROLLMENT = 102, STREAM_OUTSIDE = 103 };

static const char *const cn_grade_short[] = {"",   "一", "二", "三", "四",
                                             "五", "六", "七", "八", "九"};

static void put_date_iso(struct buf *b, int ymd)
{
    put_uint_width(b, (uint64_t)ymd_year(ymd), 4);
    buf_addch(b, '-');
    put_uint_width(b, (uint64_t)ymd_month(ymd), 2);
    buf_addch(b, '-');
    put_uint_width(b, (uint64_t)ymd_day(ymd), 2);
}

static void put_date_cn(struct buf *b, int ymd)
{
    put_uint(b, (uint64_t)ymd_year(ymd));
    buf_adds(b, "年");
    put_uint(b, (uint64_t)ymd_month(ymd));
    buf_adds(b, "月");
    put_uint(b, (uint64_t)ymd_day(ymd));
    buf_adds(b, "日");
}

static void put_date_mixed(struct demo_rng *r, struct buf *b, int ymd)
{
    uint32_t u = rng_below(r, 1000000);
    if (u < POP_DATE_SLASH) {
        put_uint(b, (uint64_t)ymd_year(ymd));
        buf_addch(b, '/');
        put_uint(b, (uint64_t)ymd_month(ymd));
        buf_addch(b, '/');
        put_uint(b, (uint64_t)ymd_day(ymd));
    } else if ((u -= POP_DATE_SLASH) < POP_DATE_CN) {
        put_date_cn(b, ymd);
    } else if ((u -= POP_DATE_CN) < POP_DATE_COMPACT) {
        put_uint_width(b, (uint64_t)ymd, 8);
    } else {
        put_date_iso(b, ymd);
    }
}

static const char *child_name(const struct demo_world *w, const struct demo_child *c, size_t *len)
{
    *len = c->name_len;
    return w->text.buf + c->name_off;
}

/* ---- 户籍适龄儿童花名册.csv ---- */

int write_population(struct demo_world *w, const char *path, struct buf *err)
{
    struct sink s;
    struct demo_rng r;
    const struct demo_county *co = &w->county;
    struct buf *b = &s.b;
    char date[32];
    struct file_rates fr;

    file_rates_init(&fr, w->errors);
    rng_seed(&r, w->opt->seed, STREAM_POPULATION);
    if (sink_open(&s, path, true) < 0)
        return sink_close(&s, err);
    buf_addf(b, "%s公安局户籍适龄儿童花名册,,,,,,,,,,,,\r\n", co->name);
    buf_adds(b, ",,,,,,,,,,,,\r\n");
    /* 监护人身份证号: filled by the police stations whose export has it (groups.c) */
    buf_adds(b, "序号,姓名,性别,民族,公民身份号码,出生日期,户籍地址,乡镇（街道）,村（社区）,监护人,"
                "监护人身份证号,联系电话,户籍状态\r\n");
    for (size_t i = 0; i < w->npop; i++) {
        const struct demo_child *c = &w->children[i];
        const struct demo_household *h = &w->households[c->household];
        const struct demo_village *v = &co->villages[h->village];
        const struct demo_township *t = &co->townships[v->township];
        size_t nlen;
        const char *name = child_name(w, c, &nlen);

        put_uint(b, i + 1);
        buf_addch(b, ',');
        buf_add(b, name, nlen);
        buf_addch(b, ',');
        if (rng_ppm(&r, fr.pop_sex_digit))
            buf_addch(b, c->sex == 1 ? '1' : '2');
        else
            buf_adds(b, c->sex == 1 ? "男" : "女");
        buf_addch(b, ',');
        if (c->nation == 0 && rng_ppm(&r, fr.pop_nation_short))
            buf_adds(b, "汉");
        else
            buf_adds(b, demo_nations[c->nation]);
        buf_addch(b, ',');
        mess_id_cell(&r, c->id, b, fr.pop_lower_x, 0, fr.pop_id_space, fr.pop_id_apostrophe);
        buf_addch(b, ',');
        put_date_mixed(&r, b, c->birth_ymd);
        buf_addch(b, ',');
        buf_adds(b, co->fullname);
        buf_adds(b, t->name);
        buf_adds(b, v->name);
        if (h->group) {
            put_uint(b, h->group);
            buf_adds(b, "组");
        }
        put_uint(b, h->house_no);
        buf_adds(b, "号,");
        buf_adds(b, t->name);
        buf_addch(b, ',');
        buf_adds(b, v->name);
        buf_addch(b, ',');
        buf_add(b, w->text.buf + h->guardian_off, h->guardian_len);
        buf_addch(b, ',');
        if (groups_township_has_guardian_id(v->township))
            buf_add(b, w->guardian_ids[c->household], 18);
        buf_addch(b, ',');
        put_uint(b, h->phone);
        buf_addch(b, ',');
        buf_adds(b, demo_reg_state_names[c->reg_state]);
        buf_adds(b, "\r\n");
        sink_maybe_flush(&s);
    }
    date_format_cn(w->opt->as_of_ymd, date, sizeof(date));
    buf_adds(b, ",,,,,,,,,,,,\r\n");
    buf_addf(b, "制表人：王丽娟,,,,,审核人：李建国,,,,,制表日期：%s,,\r\n", date);
    buf_addf(b, "合计：%zu人,,,,,,,,,,,,\r\n", w->npop);
    return sink_close(&s, err);
}

/* ---- 学籍数据.xlsx / .csv ---- */

static const char *const enrol_header[] = {"学校标识码",   "学校名称",   "年级",    "班级",
                                           "全国学籍号",   "姓名",       "性别",    "出生日期",
                                           "身份证件类型", "身份证件号", "学籍状态"};

/* One 学籍 row's cells as the school typed them. */
struct enrol_cells {
    struct buf number, name, id;
    char klass[16];
    int birth_ymd;
    bool has_id;    /* 身份证件类型 filled in */
    bool as_number; /* the ID cell is a number cell (xlsx): id_value */
    double id_value;
};

/* The ID the 学籍 clerk entered for a row, as its fate says; false when none. */
static bool typed_id(const struct demo_world *w, struct demo_rng *r, const struct demo_enrol *e,
                     char typed[19])
{
    const struct demo_child *c = &w->children[e->child];
    const struct demo_child *twin = world_twin(w, c);
    memcpy(typed, c->id, 19);
    switch (e->fate) {
    case FATE_TYPO:
        mess_id_typo(r, c->id, typed);
        return true;
    case FATE_MISSING:
        return false;
    case FATE_TWIN_SEQ:
        /* the twin's sequence digit: the twin's first 17 characters, one's own check */
        if (twin)
            memcpy(typed, twin->id, 17);
        return true;
    case FATE_TWIN_CHECK:
        if (twin)
            typed[17] = twin->id[17];
        return true;
    case FATE_TWIN_COPY:
        if (twin)
            memcpy(typed, twin->id, 19);
        return true;
    case FATE_TWIN_SUB:
    case FATE_TWIN_SWAP:
        mess_id_slip(r, c->id, twin ? twin->id : NULL, e->fate == FATE_TWIN_SWAP, typed);
        return true;
    default:
        return true;
    }
}

static void enrol_row(const struct demo_world *w, const struct file_rates *fr, struct demo_rng *r,
                      const struct demo_enrol *e, struct enrol_cells *x)
{
    const struct demo_child *c = &w->children[e->child];
    char typed[19];
    size_t nlen;
    const char *name = child_name(w, c, &nlen);

    buf_reset(&x->number);
    buf_reset(&x->name);
    buf_reset(&x->id);
    x->as_number = false;
    snprintf(x->klass, sizeof(x->klass), "%u班", (unsigned)e->class_no);

    bool entered = typed_id(w, r, e, typed);
    char letter = 0;
    uint32_t serial = 0;
    x->has_id = entered;
    if (entered) {
        /* the 全国学籍号 is G + the ID as entered; the cell may still be empty or broken */
        if (e->fate != FATE_NUMBER_NO_G) {
            buf_addch(&x->number, 'G');
            buf_adds(&x->number, typed);
        }
        switch (e->fate) {
        case FATE_MISSING_G:
            x->has_id = false;
            break;
        case FATE_BROKEN_G:
            mess_id_broken(r, typed, &x->id);
            break;
        case FATE_NUMBER:
        case FATE_NUMBER_NO_G:
            x->as_number = true;
            x->id_value = mess_id_number(typed);
            mess_id_number_text(typed, &x->id);
            break;
        default:
            mess_id_cell(r, typed, &x->id, fr->enr_lower_x, fr->enr_id_fullwidth, fr->enr_id_space,
                         0);
            break;
        }
    } else {
        /* J: a code the school made up; L: a temporary number (with the birth date typed) */
        letter = rng_below(r, 2) ? 'J' : 'L';
        serial = rng_below(r, 10000);
    }
    mess_name(r, name, nlen, &x->name, &fr->enr_name,
              e->mistake ? (enum name_mistake)e->mistake : NAME_NONE);

    x->birth_ymd = c->birth_ymd;
    if (e->birth_off) {
        int y = ymd_year(c->birth_ymd), m = ymd_month(c->birth_ymd), d = ymd_day(c->birth_ymd);
        if (d <= 12 && d != m)
            x->birth_ymd = ymd_make(y, d, m);
        else
            x->birth_ymd = days_to_ymd(ymd_to_days(c->birth_ymd) + (rng_below(r, 2) ? 1 : -1));
    }
    if (!entered) {
        buf_addch(&x->number, letter);
        buf_adds(&x->number, w->county.code);
        put_uint_width(&x->number, (uint64_t)x->birth_ymd, 8);
        put_uint_width(&x->number, serial, 4);
    }
}

static int enrollment_csv(struct demo_world *w, const char *path, const char *title,
                          struct buf *err)
{
    struct sink s;
    struct demo_rng r;
    struct buf *b = &s.b;
    struct enrol_cells x = {BUF_INIT, BUF_INIT, BUF_INIT, "", 0, false, false, 0};
    struct file_rates fr;

    file_rates_init(&fr, w->errors);
    rng_seed(&r, w->opt->seed, STREAM_ENROLLMENT);
    if (sink_open(&s, path, false) < 0)
        return sink_close(&s, err);
    buf_adds(b, "\xef\xbb\xbf");
    buf_adds(b, title);
    buf_adds(b, ",,,,,,,,,,\r\n");
    for (size_t k = 0; k < ARRAY_SIZE(enrol_header); k++) {
        if (k)
            buf_addch(b, ',');
        buf_adds(b, enrol_header[k]);
    }
    buf_adds(b, "\r\n");
    for (size_t i = 0; i < w->nenrols; i++) {
        const struct demo_enrol *e = &w->enrols[i];
        const struct demo_school *sc = &w->county.schools[e->school];
        const struct demo_child *c = &w->children[e->child];
        enrol_row(w, &fr, &r, e, &x);
        buf_adds(b, sc->code);
        buf_addch(b, ',');
        buf_adds(b, sc->name);
        buf_addch(b, ',');
        buf_adds(b, grade_name(e->grade));
        buf_addch(b, ',');
        buf_adds(b, x.klass);
        buf_addch(b, ',');
        buf_add(b, x.number.buf, x.number.len);
        buf_addch(b, ',');
        buf_add(b, x.name.buf, x.name.len);
        buf_addch(b, ',');
        buf_adds(b, c->sex == 1 ? "男" : "女");
        buf_addch(b, ',');
        put_date_iso(b, x.birth_ymd);
        buf_addch(b, ',');
        if (x.has_id)
            buf_adds(b, "居民身份证");
        buf_addch(b, ',');
        buf_add(b, x.id.buf, x.id.len);
        buf_addch(b, ',');
        buf_adds(b, demo_enrol_state_names[e->state]);
        buf_adds(b, "\r\n");
        sink_maybe_flush(&s);
    }
    buf_release(&x.number);
    buf_release(&x.name);
    buf_release(&x.id);
    return sink_close(&s, err);
}

/* A fixed creation time (the day the list was drawn): libxlsxwriter stamps it into the zip
 * entries too, so the same options give byte-identical files. */
static void xlsx_properties(lxw_workbook *wb, const struct demo_world *w, const char *title)
{
    lxw_doc_properties props;
    memset(&props, 0, sizeof(props));
    props.title = (char *)title;
    props.created = (time_t)ymd_to_days(w->opt->as_of_ymd) * 86400 + 9 * 3600;
    workbook_set_properties(wb, &props);
}

static int xlsx_fail(struct buf *err, const char *path, lxw_error e)
{
    buf_addf(err, "无法写入 Excel 文件 %s：%s", path, lxw_strerror(e));
    return -1;
}

/* Close the workbook; `le` is the first error while writing it, which wins over one from
 * closing. */
static int xlsx_close(lxw_workbook *wb, lxw_error le, const char *path, struct buf *err)
{
    lxw_error ce = workbook_close(wb);
    if (le)
        return xlsx_fail(err, path, le);
    if (ce)
        return xlsx_fail(err, path, ce);
    return 0;
}

static int enrollment_xlsx(struct demo_world *w, const char *path, const char *title,
                           struct buf *err)
{
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    struct demo_rng r;
    struct enrol_cells x = {BUF_INIT, BUF_INIT, BUF_INIT, "", 0, false, false, 0};
    struct file_rates fr;
    lxw_error le = LXW_NO_ERROR;

    if (!wb) {
        buf_addf(err, "无法创建 Excel 文件 %s", path);
        return -1;
    }
    file_rates_init(&fr, w->errors);
    rng_seed(&r, w->opt->seed, STREAM_ENROLLMENT);
    xlsx_properties(wb, w, title);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "学籍信息");
    lxw_format *title_fmt = workbook_add_format(wb);
    format_set_bold(title_fmt);
    format_set_font_size(title_fmt, 14);
    format_set_align(title_fmt, LXW_ALIGN_CENTER);
    lxw_format *head_fmt = workbook_add_format(wb);
    format_set_bold(head_fmt);
    lxw_format *date_fmt = workbook_add_format(wb);
    format_set_num_format(date_fmt, "yyyy-mm-dd");
    lxw_format *text_fmt = workbook_add_format(wb);
    format_set_num_format(text_fmt, "@");

    static const double widths[] = {12, 28, 8, 6, 22, 12, 5, 12, 12, 22, 8};
    for (int k = 0; k < (int)ARRAY_SIZE(widths); k++)
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, widths[k], NULL);
    le = worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(ARRAY_SIZE(enrol_header) - 1), title,
                               title_fmt);
    for (size_t k = 0; k < ARRAY_SIZE(enrol_header) && !le; k++)
        le = worksheet_write_string(ws, 1, (lxw_col_t)k, enrol_header[k], head_fmt);
    for (size_t i = 0; i < w->nenrols && !le; i++) {
        const struct demo_enrol *e = &w->enrols[i];
        const struct demo_school *sc = &w->county.schools[e->school];
        const struct demo_child *c = &w->children[e->child];
        lxw_row_t row = (lxw_row_t)(i + 2);
        enrol_row(w, &fr, &r, e, &x);
        worksheet_write_string(ws, row, 0, sc->code, text_fmt);
        worksheet_write_string(ws, row, 1, sc->name, NULL);
        worksheet_write_string(ws, row, 2, grade_name(e->grade), NULL);
        worksheet_write_string(ws, row, 3, x.klass, NULL);
        if (x.number.len)
            worksheet_write_string(ws, row, 4, x.number.buf, text_fmt);
        worksheet_write_string(ws, row, 5, x.name.buf, NULL);
        worksheet_write_string(ws, row, 6, c->sex == 1 ? "男" : "女", NULL);
        worksheet_write_number(ws, row, 7, (double)(ymd_to_days(x.birth_ymd) + 25569), date_fmt);
        if (x.has_id)
            worksheet_write_string(ws, row, 8, "居民身份证", NULL);
        if (x.as_number)
            worksheet_write_number(ws, row, 9, x.id_value, NULL);
        else if (x.id.len)
            worksheet_write_string(ws, row, 9, x.id.buf, text_fmt);
        le = worksheet_write_string(ws, row, 10, demo_enrol_state_names[e->state], NULL);
    }
    buf_release(&x.number);
    buf_release(&x.name);
    buf_release(&x.id);
    return xlsx_close(wb, le, path, err);
}

int write_enrollment(struct demo_world *w, const char *path, bool xlsx, struct buf *err)
{
    char date[32];
    char *title;
    int ret;
    date_format_cn(w->opt->as_of_ymd, date, sizeof(date));
    title = xstrfmt("%s中小学生学籍信息（导出日期：%s）", w->county.name, date);
    ret = xlsx ? enrollment_xlsx(w, path, title, err) : enrollment_csv(w, path, title, err);
    free(title);
    return ret;
}

/* ---- 外出就读学生名单.xlsx / .csv ---- */

static const char *const outside_header[] = {"姓名", "身份证号", "就读学校", "学校所在地区",
                                             "年级"};

struct outside_cells {
    struct buf name, id, grade;
    bool as_number; /* the ID cell is a number cell (xlsx): id_value */
    double id_value;
};

static void outside_row(const struct demo_world *w, const struct file_rates *fr, struct demo_rng *r,
                        const struct demo_outside *o, struct outside_cells *x)
{
    const struct demo_child *c = &w->children[o->child];
    char typed[19];
    size_t nlen;
    const char *name = child_name(w, c, &nlen);

    buf_reset(&x->name);
    buf_reset(&x->id);
    buf_reset(&x->grade);
    mess_name(r, name, nlen, &x->name, &fr->out_name,
              o->mistake ? (enum name_mistake)o->mistake : NAME_NONE);
    x->as_number = false;
    if (o->fate == FATE_TYPO)
        mess_id_typo(r, c->id, typed);
    else
        memcpy(typed, c->id, 19);
    if (o->fate == FATE_NUMBER_NO_G) {
        x->as_number = true;
        x->id_value = mess_id_number(typed);
        mess_id_number_text(typed, &x->id);
    } else {
        mess_id_cell(r, typed, &x->id, fr->out_lower_x, fr->out_id_fullwidth, 0, 0);
    }

    /* other provinces write grades their own way */
    uint32_t u = rng_below(r, 100);
    int g = o->grade;
    if (g <= 6) {
        if (u < 50)
            buf_addf(&x->grade, "%s年级", cn_grade_short[g]);
        else if (u < 75)
            buf_addf(&x->grade, "小学%s年级", cn_grade_short[g]);
        else
            buf_addf(&x->grade, "%d", g);
    } else {
        if (u < 40)
            buf_addf(&x->grade, "%s年级", cn_grade_short[g]);
        else if (u < 80)
            buf_addf(&x->grade, "初%s", cn_grade_short[g - 6]);
        else
            buf_addf(&x->grade, "初中%s年级", cn_grade_short[g - 6]);
    }
}

static int outside_csv(struct demo_world *w, const char *path, const char *footer, struct buf *err)
{
    struct sink s;
    struct demo_rng r;
    struct buf *b = &s.b;
    struct outside_cells x = {BUF_INIT, BUF_INIT, BUF_INIT, false, 0};
    struct file_rates fr;

    file_rates_init(&fr, w->errors);
    rng_seed(&r, w->opt->seed, STREAM_OUTSIDE);
    if (sink_open(&s, path, false) < 0)
        return sink_close(&s, err);
    buf_adds(b, "\xef\xbb\xbf");
    buf_adds(b, "姓名,身份证号,就读学校,学校所在地区,年级\r\n");
    for (size_t i = 0; i < w->noutside; i++) {
        const struct demo_outside *o = &w->outside[i];
        const struct demo_outside_school *sc = &demo_outside_schools[o->school];
        outside_row(w, &fr, &r, o, &x);
        buf_add(b, x.name.buf, x.name.len);
        buf_addch(b, ',');
        buf_add(b, x.id.buf, x.id.len);
        buf_addch(b, ',');
        buf_adds(b, sc->name);
        buf_addch(b, ',');
        buf_adds(b, sc->region);
        buf_addch(b, ',');
        buf_add(b, x.grade.buf, x.grade.len);
        buf_adds(b, "\r\n");
        sink_maybe_flush(&s);
    }
    buf_adds(b, footer);
    buf_adds(b, ",,,,\r\n");
    buf_release(&x.name);
    buf_release(&x.id);
    buf_release(&x.grade);
    return sink_close(&s, err);
}

static int outside_xlsx(struct demo_world *w, const char *path, const char *footer, struct buf *err)
{
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    struct demo_rng r;
    struct outside_cells x = {BUF_INIT, BUF_INIT, BUF_INIT, false, 0};
    struct file_rates fr;
    lxw_error le = LXW_NO_ERROR;

    if (!wb) {
        buf_addf(err, "无法创建 Excel 文件 %s", path);
        return -1;
    }
    file_rates_init(&fr, w->errors);
    rng_seed(&r, w->opt->seed, STREAM_OUTSIDE);
    xlsx_properties(wb, w, "外出就读学生名单");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Sheet1");
    lxw_format *text_fmt = workbook_add_format(wb);
    format_set_num_format(text_fmt, "@");
    static const double widths[] = {12, 22, 30, 28, 10};
    for (int k = 0; k < (int)ARRAY_SIZE(widths); k++)
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, widths[k], NULL);
    for (size_t k = 0; k < ARRAY_SIZE(outside_header) && !le; k++)
        le = worksheet_write_string(ws, 0, (lxw_col_t)k, outside_header[k], NULL);
    for (size_t i = 0; i < w->noutside && !le; i++) {
        const struct demo_outside *o = &w->outside[i];
        const struct demo_outside_school *sc = &demo_outside_schools[o->school];
        lxw_row_t row = (lxw_row_t)(i + 1);
        outside_row(w, &fr, &r, o, &x);
        worksheet_write_string(ws, row, 0, x.name.buf, NULL);
        if (x.as_number)
            worksheet_write_number(ws, row, 1, x.id_value, NULL);
        else
            worksheet_write_string(ws, row, 1, x.id.buf, text_fmt);
        worksheet_write_string(ws, row, 2, sc->name, NULL);
        worksheet_write_string(ws, row, 3, sc->region, NULL);
        le = worksheet_write_string(ws, row, 4, x.grade.buf, NULL);
    }
    if (!le)
        le = worksheet_write_string(ws, (lxw_row_t)(w->noutside + 2), 0, footer, NULL);
    buf_release(&x.name);
    buf_release(&x.id);
    buf_release(&x.grade);
    return xlsx_close(wb, le, path, err);
}

int write_outside(struct demo_world *w, const char *path, bool xlsx, struct buf *err)
{
    char date[32];
    char *footer;
    int ret;
    date_format_cn(w->opt->as_of_ymd, date, sizeof(date));
    footer = xstrfmt("数据来源：市教育局学籍比对，%s", date);
    ret = xlsx ? outside_xlsx(w, path, footer, err) : outside_csv(w, path, footer, err);
    free(footer);
    return ret;
}
