#include "util/common.h"

#include <time.h>
#include <xlsxwriter.h>

#include "core/date.h"
#include "demo/groups_internal.h"

/*
 * The priority-group lists written out (cells made by groups.c and group_lists.c), and their
 * truth: truth_groups.csv (the register child of every row) and truth_group_findings.csv (the
 * findings a county should see: children in no register, pupils without aid, aid to children
 * not in school or not in the county, the child taught at home).
 */

/* A title row above the header, as each department's export has or has not. */
static char *group_title(const struct demo_world *w, enum group_list l)
{
    char date[32];
    date_format_cn(w->opt->as_of_ymd, date, sizeof(date));
    switch (l) {
    case GL_POVERTY:
        return xstrfmt("%s防返贫监测对象家庭成员信息（导出日期：%s）", w->county.name, date);
    case GL_LEFT_BEHIND:
        return xstrfmt("%s农村留守儿童信息登记表", w->county.name);
    case GL_AID:
        return xstrfmt("%s学生资助资金发放明细（%s）", w->county.name, date);
    default:
        return NULL;
    }
}

static void cell_text(const struct demo_sheet *s, size_t r, size_t c, const char **p, size_t *len)
{
    size_t k = r * s->ncols + c;
    *p = s->text.buf + s->cell[k];
    *len = s->cell[k + 1] - s->cell[k];
}

static void csv_cell(struct buf *b, const char *p, size_t len)
{
    if (memchr(p, ',', len) || memchr(p, '"', len)) {
        buf_addch(b, '"');
        for (size_t i = 0; i < len; i++) {
            if (p[i] == '"')
                buf_addch(b, '"');
            buf_addch(b, p[i]);
        }
        buf_addch(b, '"');
    } else {
        buf_add(b, p, len);
    }
}

static int group_csv(const struct demo_sheet *s, const char *path, const char *title, bool gb18030,
                     struct buf *err)
{
    struct sink k;
    struct buf *b = &k.b;
    if (sink_open(&k, path, gb18030) < 0)
        return sink_close(&k, err);
    if (!gb18030)
        buf_adds(b, "\xef\xbb\xbf");
    if (title) {
        buf_adds(b, title);
        for (size_t c = 1; c < s->ncols; c++)
            buf_addch(b, ',');
        buf_adds(b, "\r\n");
    }
    for (size_t c = 0; c < s->ncols; c++) {
        if (c)
            buf_addch(b, ',');
        buf_adds(b, s->header[c]);
    }
    buf_adds(b, "\r\n");
    for (size_t r = 0; r < s->nrows; r++) {
        for (size_t c = 0; c < s->ncols; c++) {
            const char *p;
            size_t len;
            cell_text(s, r, c, &p, &len);
            if (c)
                buf_addch(b, ',');
            csv_cell(b, p, len);
        }
        buf_adds(b, "\r\n");
        sink_maybe_flush(&k);
    }
    return sink_close(&k, err);
}

static int group_xlsx(const struct demo_world *w, const struct demo_sheet *s, const char *path,
                      const char *title, const char *sheet_name, struct buf *err)
{
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    lxw_error le = LXW_NO_ERROR;
    struct buf cell = BUF_INIT;
    if (!wb) {
        buf_addf(err, "无法创建 Excel 文件 %s", path);
        return -1;
    }
    lxw_doc_properties props;
    memset(&props, 0, sizeof(props));
    props.title = (char *)(title ? title : sheet_name);
    props.created = (time_t)ymd_to_days(w->opt->as_of_ymd) * 86400 + 9 * 3600;
    workbook_set_properties(wb, &props);
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet_name);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *text_fmt = workbook_add_format(wb);
    format_set_num_format(text_fmt, "@");
    lxw_row_t row = 0;
    for (size_t c = 0; c < s->ncols; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, 14, NULL);
    if (title) {
        lxw_format *title_fmt = workbook_add_format(wb);
        format_set_bold(title_fmt);
        format_set_font_size(title_fmt, 14);
        format_set_align(title_fmt, LXW_ALIGN_CENTER);
        le = worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(s->ncols - 1), title, title_fmt);
        row = 1;
    }
    for (size_t c = 0; c < s->ncols && !le; c++)
        le = worksheet_write_string(ws, row, (lxw_col_t)c, s->header[c], bold);
    for (size_t r = 0; r < s->nrows && !le; r++) {
        row++;
        for (size_t c = 0; c < s->ncols && !le; c++) {
            const char *p;
            size_t len;
            cell_text(s, r, c, &p, &len);
            if (!len)
                continue;
            buf_reset(&cell);
            buf_add(&cell, p, len);
            if (s->numeric & (1u << c))
                le = worksheet_write_number(ws, row, (lxw_col_t)c, strtod(cell.buf, NULL), NULL);
            else
                le = worksheet_write_string(ws, row, (lxw_col_t)c, cell.buf, text_fmt);
        }
    }
    buf_release(&cell);
    lxw_error ce = workbook_close(wb);
    if (le || ce) {
        buf_addf(err, "无法写入 Excel 文件 %s：%s", path, lxw_strerror(le ? le : ce));
        return -1;
    }
    return 0;
}

int write_group(struct demo_world *w, enum group_list l, const char *path, bool xlsx,
                struct buf *err)
{
    static const char *const sheet_names[] = {"家庭成员", "低保特困", "孤儿",
                                              "残疾人",   "留守儿童", "发放明细"};
    char *title = group_title(w, l);
    const struct demo_sheet *s = &w->sheets[l];
    int ret = xlsx ? group_xlsx(w, s, path, title, sheet_names[l], err)
                   : group_csv(s, path, title, l == GL_WELFARE, err);
    free(title);
    return ret;
}

/* ---- truth ---- */

static void finding(struct buf *b, const char *what, uint32_t child, enum group_list l, size_t row)
{
    buf_adds(b, what);
    buf_addch(b, ',');
    if (child != UINT32_MAX)
        put_uint(b, (uint64_t)child + 1);
    buf_addch(b, ',');
    buf_adds(b, demo_group_keys[l]);
    buf_addch(b, ',');
    if (row)
        put_uint(b, row);
    buf_addch(b, '\n');
}

int write_group_truth(struct demo_world *w, const char *dir, struct buf *err)
{
    struct sink k;
    struct buf *b = &k.b;
    char tmp[48];
    char *p = xstrfmt("%s/truth_groups.csv", dir);
    int ret = sink_open(&k, p, false);
    free(p);
    if (ret < 0)
        return sink_close(&k, err);
    buf_adds(b, "list,row,key,category,offer,case\n");
    for (int l = 0; l < GL__COUNT; l++) {
        const struct demo_sheet *s = &w->sheets[l];
        for (size_t r = 0; r < s->nrows; r++) {
            buf_adds(b, demo_group_keys[l]);
            buf_addch(b, ',');
            put_uint(b, r + 1);
            buf_addch(b, ',');
            if (s->child[r] != UINT32_MAX)
                put_uint(b, (uint64_t)s->child[r] + 1);
            buf_addch(b, ',');
            buf_adds(b, groups_category_label((enum group_list)l, s->category[r], tmp));
            buf_addch(b, ',');
            buf_adds(b, demo_offer_keys[s->offer[r]]);
            buf_addch(b, ',');
            buf_adds(b, demo_group_case_keys[s->kase[r]]);
            buf_addch(b, '\n');
            sink_maybe_flush(&k);
        }
    }
    if ((ret = sink_close(&k, err)) < 0)
        return ret;

    p = xstrfmt("%s/truth_group_findings.csv", dir);
    ret = sink_open(&k, p, false);
    free(p);
    if (ret < 0)
        return sink_close(&k, err);
    buf_adds(b, "finding,key,list,row\n");
    const struct demo_sheet *pov = &w->sheets[GL_POVERTY], *dis = &w->sheets[GL_DISABILITY],
                            *aid = &w->sheets[GL_AID];
    for (size_t r = 0; r < pov->nrows; r++)
        if (pov->kase[r] == GC_NOT_IN_REGISTER)
            finding(b, "not_in_register", UINT32_MAX, GL_POVERTY, r + 1);
    for (size_t r = 0; r < dis->nrows; r++)
        if (dis->child[r] == w->send_teach)
            finding(b, "send_teach", w->send_teach, GL_DISABILITY, r + 1);
    for (size_t i = 0; i < w->nno_aid; i++)
        finding(b, "no_aid", w->no_aid[i], GL_AID, 0);
    for (size_t r = 0; r < aid->nrows; r++)
        if (aid->kase[r] == GC_AID_NOT_IN_SCHOOL || aid->kase[r] == GC_AID_NOT_IN_COUNTY)
            finding(b, demo_group_case_keys[aid->kase[r]] + 4, aid->child[r], GL_AID, r + 1);
    return sink_close(&k, err);
}
