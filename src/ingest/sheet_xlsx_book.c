#include "util/common.h"

#include "ingest/sheet_xlsx_impl.h"

/*
 * .xlsx, the small parts read once at open: the package's and the workbook's relationships
 * (where the workbook, each sheet, the styles and the shared strings are), the workbook (its
 * sheets' names, the 1904 date system), the styles (which cell formats are dates) and the
 * shared strings (decoded once; a worksheet's cells point into them).
 */

/* ---- relationships ---- */

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *id, *type, *target, *mode;

    if (strcmp(xlsx_lname(name), "Relationship"))
        return;
    id = xlsx_attr(atts, "Id");
    type = xlsx_attr(atts, "Type");
    target = xlsx_attr(atts, "Target");
    mode = xlsx_attr(atts, "TargetMode");
    if (!id || !target || (mode && !strcmp(mode, "External")) || x->nrels >= TABLE_MAX)
        return;
    x->rels = xreallocarray(x->rels, x->nrels + 1, sizeof(*x->rels));
    x->rels[x->nrels].id = xstrdup(id);
    x->rels[x->nrels].type = xstrdup(type ? type : "");
    x->rels[x->nrels].target = xstrdup(target);
    x->nrels++;
}

static void ignore_end(void *ud, const XML_Char *name)
{
}

void xlsx_free_rels(struct xlsx *x)
{
    for (size_t i = 0; i < x->nrels; i++) {
        free(x->rels[i].id);
        free(x->rels[i].type);
        free(x->rels[i].target);
    }
    free(x->rels);
    x->rels = NULL;
    x->nrels = 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

static const struct rel *rel_by_type(const struct xlsx *x, const char *suffix)
{
    for (size_t i = 0; i < x->nrels; i++)
        if (ends_with(x->rels[i].type, suffix))
            return &x->rels[i];
    return NULL;
}

/* ---- workbook ---- */

static void workbook_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    struct sheet_reader *r = x->r;
    const char *n = xlsx_lname(name);

    if (!strcmp(n, "workbookPr")) {
        const char *v = xlsx_attr(atts, "date1904");
        x->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    } else if (!strcmp(n, "sheet")) {
        const char *sname = xlsx_attr(atts, "name");
        const char *rid = xlsx_attr(atts, "id"); /* r:id */
        if (r->nsheets >= TABLE_MAX) {
            xlsx_fail(x, -1, 0, "xlsx 工作簿的工作表超过 %d 个，拒绝读取", TABLE_MAX);
            return;
        }
        r->names = xreallocarray(r->names, r->nsheets + 1, sizeof(*r->names));
        x->sheets = xreallocarray(x->sheets, r->nsheets + 1, sizeof(*x->sheets));
        r->names[r->nsheets] = sname ? xstrdup(sname) : xstrfmt("Sheet%zu", r->nsheets + 1);
        x->sheets[r->nsheets].rid = xstrdup(rid ? rid : "");
        x->sheets[r->nsheets].part = NULL;
        r->nsheets++;
    }
}

/* ---- styles: which cell formats are dates ---- */

static bool builtin_date(unsigned id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* A custom number format is a date or time when it has y/m/d/h/s outside quoted literals,
 * [brackets] (colours, locales, elapsed-time) and escaped characters. */
static bool date_code(const char *code)
{
    for (const char *p = code; *p; p++) {
        switch (*p) {
        case '"':
            p = strchr(p + 1, '"');
            if (!p)
                return false;
            break;
        case '[':
            p = strchr(p + 1, ']');
            if (!p)
                return false;
            break;
        case '\\':
        case '_':
        case '*':
            if (!p[1])
                return false;
            p++;
            break;
        default:
            if (strchr("yYmMdDhHsS", *p))
                return true;
        }
    }
    return false;
}

static void styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *n = xlsx_lname(name), *id;

    if (!strcmp(n, "cellXfs")) {
        x->in_xfs = true;
    } else if (!strcmp(n, "numFmt")) {
        const char *code = xlsx_attr(atts, "formatCode");
        id = xlsx_attr(atts, "numFmtId");
        if (!id || !code || x->nfmts >= TABLE_MAX)
            return;
        ALLOC_GROW(x->fmts, x->nfmts + 1, x->fmts_alloc);
        x->fmts[x->nfmts].id = (unsigned)strtoul(id, NULL, 10);
        x->fmts[x->nfmts].date = date_code(code);
        x->nfmts++;
    } else if (!strcmp(n, "xf") && x->in_xfs && x->nxf < TABLE_MAX) {
        id = xlsx_attr(atts, "numFmtId");
        ALLOC_GROW(x->xf_fmt, x->nxf + 1, x->xf_alloc);
        x->xf_fmt[x->nxf++] = id ? (unsigned)strtoul(id, NULL, 10) : 0;
    }
}

static void styles_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    if (!strcmp(xlsx_lname(name), "cellXfs"))
        x->in_xfs = false;
}

static void resolve_styles(struct xlsx *x)
{
    x->xf_date = xcalloc(x->nxf ? x->nxf : 1, sizeof(*x->xf_date));
    for (size_t i = 0; i < x->nxf; i++) {
        unsigned id = x->xf_fmt[i];
        bool custom = false;
        for (size_t k = 0; k < x->nfmts; k++) {
            if (x->fmts[k].id == id) {
                x->xf_date[i] = x->fmts[k].date;
                custom = true;
            }
        }
        if (!custom)
            x->xf_date[i] = builtin_date(id);
    }
}

/* ---- shared strings ---- */

void xlsx_sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *n = xlsx_lname(name);

    if (!strcmp(n, "si")) {
        x->in_si = true;
        x->rph = 0;
        buf_reset(&x->cap);
    } else if (!strcmp(n, "rPh")) {
        x->rph++;
    } else if (!strcmp(n, "t") && x->in_si && !x->rph) {
        x->capture = true;
    }
}

static void sst_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    const char *n = xlsx_lname(name);
    size_t off;

    if (!strcmp(n, "t")) {
        x->capture = false;
    } else if (!strcmp(n, "rPh")) {
        x->rph--;
    } else if (!strcmp(n, "si") && x->in_si) {
        x->in_si = false;
        off = x->sst_text.len;
        xlsx_add_ooxml_text(&x->sst_text, x->cap.buf, x->cap.len);
        if (x->sst_text.len - off > SHEET_MAX_CELL_BYTES + 1)
            buf_setlen(&x->sst_text, off + SHEET_MAX_CELL_BYTES + 1); /* fails where used */
        ALLOC_GROW(x->sst, x->nsst + 1, x->sst_alloc);
        x->sst[x->nsst].off = off;
        x->sst[x->nsst].len = x->sst_text.len - off;
        x->nsst++;
        buf_addch(&x->sst_text, '\0');
        if (x->sst_text.len + x->nsst * sizeof(*x->sst) > SST_MAX)
            xlsx_fail(x, -1, 0, "xlsx 文件的共享字符串表超过 %zu MiB，拒绝读取", SST_MAX >> 20);
    }
}

/* The workbook part: where _rels/.rels points, else the usual xl/workbook.xml. */
static char *find_workbook(struct xlsx *x, struct buf *err)
{
    const struct rel *rel;
    char *part = NULL;

    if (xlsx_parse_part(x, "_rels/.rels", "包关系（_rels/.rels）", rels_start, ignore_end, err) < 0)
        buf_reset(err); /* damaged package rels: fall back to the usual name */
    rel = rel_by_type(x, "/officeDocument");
    if (rel) {
        part = xlsx_resolve("", rel->target);
        if (zip_name_locate(x->zip, part, ZIP_FL_NOCASE) < 0) {
            free(part);
            part = NULL;
        }
    }
    xlsx_free_rels(x);
    if (!part && zip_name_locate(x->zip, "xl/workbook.xml", ZIP_FL_NOCASE) >= 0)
        part = xstrdup("xl/workbook.xml");
    return part;
}

/* The workbook's small parts: where its sheets are, the styles, the shared strings. */
int xlsx_read_book(struct xlsx *x, struct buf *err)
{
    struct sheet_reader *r = x->r;
    const struct rel *rel;
    char *wb = NULL, *rels = NULL, *part;
    const char *slash;
    int ret = -1;

    wb = find_workbook(x, err);
    if (!wb) {
        ret = sheet_fail(err, "不是 Excel 工作簿：zip 压缩包里没有 xl/workbook.xml");
        goto out;
    }
    slash = strrchr(wb, '/');
    x->wb_dir = xstrndup(wb, slash ? (size_t)(slash - wb + 1) : 0);
    rels = xstrfmt("%s_rels/%s.rels", x->wb_dir, slash ? slash + 1 : wb);

    if (xlsx_parse_part(x, wb, "工作簿（workbook.xml）", workbook_start, ignore_end, err) < 0)
        goto out;
    if (!r->nsheets) {
        ret = sheet_fail(err, "xlsx 工作簿里没有工作表");
        goto out;
    }
    if (xlsx_parse_part(x, rels, "工作簿关系（workbook.xml.rels）", rels_start, ignore_end, err) <
        0)
        goto out;
    for (size_t i = 0; i < r->nsheets; i++) {
        for (size_t k = 0; k < x->nrels && !x->sheets[i].part; k++)
            if (!strcmp(x->rels[k].id, x->sheets[i].rid)) /* the first of a repeated id */
                x->sheets[i].part = xlsx_resolve(x->wb_dir, x->rels[k].target);
        if (!x->sheets[i].part) /* no relationship: try the conventional name */
            x->sheets[i].part = xstrfmt("%sworksheets/sheet%zu.xml", x->wb_dir, i + 1);
    }

    rel = rel_by_type(x, "/styles");
    part = rel ? xlsx_resolve(x->wb_dir, rel->target) : xstrfmt("%sstyles.xml", x->wb_dir);
    ret = xlsx_parse_part(x, part, "样式表（styles.xml）", styles_start, styles_end, err);
    free(part);
    if (ret < 0)
        goto out;
    resolve_styles(x);

    rel = rel_by_type(x, "/sharedStrings");
    part = rel ? xlsx_resolve(x->wb_dir, rel->target) : xstrfmt("%ssharedStrings.xml", x->wb_dir);
    ret =
        xlsx_parse_part(x, part, "共享字符串表（sharedStrings.xml）", xlsx_sst_start, sst_end, err);
    free(part);
    if (ret < 0)
        goto out;
    xlsx_free_rels(x);

    ret = 0;
out:
    free(wb);
    free(rels);
    return ret;
}
