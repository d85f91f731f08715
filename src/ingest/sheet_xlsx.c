#include "util/common.h"

#include <expat.h>
#include <unistd.h>
#include <zip.h>

#include "ingest/sheet_impl.h"

/*
 * .xlsx: a zip of XML parts. The small parts (workbook, relationships, styles, shared strings)
 * are parsed once at open; the selected worksheet is streamed: zip_fread chunks go straight
 * into an expat parser whose callbacks queue the rows of that chunk, and the queue is drained
 * before the next chunk is read. No DOM, so memory does not grow with the sheet.
 *
 * Element and attribute names are compared without their prefix ("x:row" is "row"), which
 * covers prefixed documents and strict OOXML alike.
 */

#define XML_CHUNK (64 * 1024)
#define PART_MAX  ((zip_uint64_t)2 << 30) /* uncompressed bytes read from one part: 2 GiB */
#define SST_MAX   ((size_t)512 << 20)     /* all shared strings together: 512 MiB */
#define ROW_MAX   1048576L                /* Excel's last row */
#define TABLE_MAX 65536 /* sheets, relationships, formats: far beyond real files */
/*
 * What the whole package may decompress to, all parts and every re-read together: real
 * workbooks deflate 7-11 to 1 (docs/decisions.md, issue 11), deflate itself stops near 1032
 * to 1, so 100 times the file (and 64 MiB for any file) separates a workbook from a zip bomb
 * before the bomb is parsed; a part's size in the zip directory is checked before it is read.
 * Absolute: 2 GiB from one part, 4 GiB from the package (a re-read sheet counts again).
 */
#define UNZIP_RATIO 100
#define UNZIP_FLOOR ((zip_uint64_t)64 << 20)
#define UNZIP_MAX   ((zip_uint64_t)4 << 30)
/* Elements inside each other: a worksheet's cell text is 7 deep; beyond this, a parser
 * attack rather than a spreadsheet. */
#define XML_MAX_DEPTH 64

enum ctype { T_NUM, T_SST, T_INLINE, T_STR, T_BOOL, T_ERR, T_DATE };

struct xsheet {
    char *rid;
    char *part;
};

struct rel {
    char *id, *type, *target;
};

struct numfmt {
    unsigned id;
    bool date;
};

struct sst_entry {
    size_t off, len;
};

struct qcell {
    size_t col;
    enum cell_kind kind;
    bool shared; /* off is an index into the shared strings */
    double number;
    size_t off, len;
};

struct qrow {
    long number;
    size_t first, n; /* cells qc[first .. first + n) */
    size_t text_first;
    size_t bytes; /* text of the row so far, shared strings included */
};

struct xlsx {
    struct sheet_reader *r;
    zip_t *zip;
    bool date1904;
    struct xsheet *sheets;
    struct rel *rels;
    size_t nrels;
    char *wb_dir; /* "xl/" */

    struct numfmt *fmts;
    size_t nfmts, fmts_alloc;
    unsigned *xf_fmt;
    size_t nxf, xf_alloc;
    bool *xf_date;

    struct buf sst_text;
    struct sst_entry *sst;
    size_t nsst, sst_alloc;

    /* error raised inside an expat callback */
    bool has_err;
    struct buf perr;
    XML_Parser xp;
    /* the part's own handlers, called by on_start/on_end, which keep the depth */
    XML_StartElementHandler start;
    XML_EndElementHandler end;
    int depth;
    const char *what; /* the part being parsed, as messages name it */

    /* decompressed bytes read from the package so far, and what they may reach */
    zip_uint64_t unzipped, unzip_budget;

    /* generic small-part parse state */
    int rph;      /* depth inside <rPh> phonetic runs, which are not cell text */
    bool in_si;   /* shared strings: inside <si> */
    bool in_xfs;  /* styles: inside <cellXfs> */
    bool capture; /* collecting character data into cap */
    struct buf cap;

    /* the selected worksheet */
    zip_file_t *zf;
    zip_uint64_t part_size, part_read;
    char *chunk;
    bool xml_done;
    bool in_sd, in_row, in_cell, in_is;
    long cur_row, last_row, next_row;
    size_t cur_col, next_col;
    enum ctype ctype;
    unsigned style;

    /* Rows parsed from the current chunk: q[qhead .. ndone) are complete and handed out in
     * turn; q[ndone] (when in_row) is the row the chunk ended in, still being filled. */
    struct qrow *q;
    size_t nq, q_alloc, qhead, ndone;
    struct qcell *qc;
    size_t nqc, qc_alloc;
    struct buf qtext;
};

static const char *lname(const char *n)
{
    const char *c = strrchr(n, ':');
    return c ? c + 1 : n;
}

static const char *attr(const char **atts, const char *local)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (!strcmp(lname(atts[i]), local))
            return atts[i + 1];
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* Raise an error from inside a callback: remembered, and the parser is stopped. */
static void xfail(struct xlsx *x, long row, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void xfail(struct xlsx *x, long row, size_t col, const char *fmt, ...)
{
    struct buf msg = BUF_INIT;
    va_list ap;

    if (x->has_err)
        return;
    va_start(ap, fmt);
    buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    if (row < 0)
        sheet_fail(&x->perr, "%s", msg.buf);
    else
        sheet_fail_at(x->r, &x->perr, row, col, "%s", msg.buf);
    buf_release(&msg);
    x->has_err = true;
    if (x->xp)
        XML_StopParser(x->xp, XML_FALSE);
}

/* expat's error in words a clerk reads (its own strings are English). */
static const char *xml_reason(enum XML_Error code)
{
    switch (code) {
    case XML_ERROR_NO_MEMORY:
        return "内存不足";
    case XML_ERROR_INVALID_TOKEN:
    case XML_ERROR_BAD_CHAR_REF:
        return "含有 XML 中不允许的字符或不是 UTF-8 的字节";
    case XML_ERROR_PARTIAL_CHAR:
        return "结尾处有不完整的字符";
    case XML_ERROR_UNCLOSED_TOKEN:
    case XML_ERROR_NO_ELEMENTS:
    case XML_ERROR_UNCLOSED_CDATA_SECTION:
        return "数据不完整，XML 在中途断了";
    case XML_ERROR_TAG_MISMATCH:
        return "标记没有正确配对";
    case XML_ERROR_DUPLICATE_ATTRIBUTE:
        return "同一属性出现了两次";
    case XML_ERROR_JUNK_AFTER_DOC_ELEMENT:
        return "文档结束后还有多余内容";
    case XML_ERROR_UNDEFINED_ENTITY:
    case XML_ERROR_RECURSIVE_ENTITY_REF:
    case XML_ERROR_ASYNC_ENTITY:
    case XML_ERROR_BINARY_ENTITY_REF:
    case XML_ERROR_ATTRIBUTE_EXTERNAL_ENTITY_REF:
    case XML_ERROR_EXTERNAL_ENTITY_HANDLING:
    case XML_ERROR_ENTITY_DECLARED_IN_PE:
#if XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 4)
    case XML_ERROR_AMPLIFICATION_LIMIT_BREACH:
#endif
        return "含有实体引用，Excel 文件不会这样写（可能是恶意构造的文件）";
    case XML_ERROR_UNBOUND_PREFIX:
    case XML_ERROR_UNDECLARING_PREFIX:
        return "使用了未声明的命名空间前缀";
    case XML_ERROR_MISPLACED_XML_PI:
    case XML_ERROR_XML_DECL:
    case XML_ERROR_TEXT_DECL:
        return "XML 声明的位置或写法不对";
    case XML_ERROR_INCORRECT_ENCODING:
    case XML_ERROR_UNKNOWN_ENCODING:
        return "XML 声明的编码与内容不符或不受支持";
    default:
        return "格式错误";
    }
}

/*
 * OOXML parts never carry a document type declaration (ECMA-376 Part 2 forbids DTDs in a
 * package): one is how entity expansion (billion laughs) and external entities (XXE) get in,
 * so the parse stops at the declaration, before any entity is defined.
 */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                       int has_internal_subset)
{
    struct xlsx *x = ud;
    xfail(x, -1, 0,
          "xlsx 文件的%s含有 DTD（文档类型声明），Excel 文件不会这样写，拒绝读取"
          "（可能是恶意构造的文件）",
          x->what);
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;

    if (++x->depth > XML_MAX_DEPTH) {
        xfail(x, -1, 0,
              "xlsx 文件的%s中 XML 元素嵌套超过 %d 层，Excel 文件不会这样写，拒绝读取"
              "（可能是恶意构造的文件）",
              x->what, XML_MAX_DEPTH);
        return;
    }
    x->start(ud, name, atts);
}

static void on_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    x->depth--;
    x->end(ud, name);
}

static void on_text(void *ud, const XML_Char *s, int len);

/* A parser for one part, its handlers wrapped so that depth and DTDs are checked first. */
static void xml_create(struct xlsx *x, XML_StartElementHandler start, XML_EndElementHandler end,
                       const char *what)
{
    x->xp = XML_ParserCreate(NULL);
    x->start = start;
    x->end = end;
    x->depth = 0;
    x->what = what;
    XML_SetUserData(x->xp, x);
    XML_SetElementHandler(x->xp, on_start, on_end);
    XML_SetCharacterDataHandler(x->xp, on_text);
    XML_SetStartDoctypeDeclHandler(x->xp, on_doctype);
}

/* Whether reading `more` decompressed bytes would pass the package's budget. */
static bool unzip_over(struct xlsx *x, zip_uint64_t more)
{
    return more > x->unzip_budget || x->unzipped > x->unzip_budget - more;
}

static void unzip_message(const struct xlsx *x, struct buf *out)
{
    struct buf a = BUF_INIT, b = BUF_INIT;
    sheet_size_text(&a, x->r->file_size);
    sheet_size_text(&b, x->unzip_budget);
    buf_addf(out,
             "xlsx 文件只有 %s，解压后却超过 %s（文件大小的 %d 倍），正常的 Excel 文件不会这样，"
             "拒绝读取（可能是恶意构造的压缩炸弹）",
             a.buf, b.buf, UNZIP_RATIO);
    buf_release(&a);
    buf_release(&b);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Append OOXML text, decoding its "_xHHHH_" escapes (Excel writes a CR as _x000D_). */
static void add_ooxml_text(struct buf *out, const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        const char *u = memchr(s + i, '_', n - i);
        size_t k = u ? (size_t)(u - s) : n;
        unsigned cp = 0;
        bool esc;

        buf_add(out, s + i, k - i);
        i = k;
        if (i == n)
            break;
        esc = i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_';
        for (int j = 2; esc && j < 6; j++) {
            int h = hexval((unsigned char)s[i + j]);
            if (h < 0)
                esc = false;
            else
                cp = cp * 16 + (unsigned)h;
        }
        if (esc && !(cp >= 0xD800 && cp <= 0xDFFF)) {
            if (cp)
                buf_add_utf8(out, cp);
            i += 7;
        } else {
            buf_addch(out, '_');
            i++;
        }
    }
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    struct xlsx *x = ud;

    if (!x->capture)
        return;
    /* twice the cell limit leaves room for _xHHHH_ escapes; the exact check comes later */
    if (x->cap.len + (size_t)len > 2 * (size_t)SHEET_MAX_CELL_BYTES) {
        if (x->in_si) { /* an over-long shared string fails only where a cell uses it */
            x->capture = false;
            return;
        }
        xfail(x, x->cur_row, x->cur_col, SHEET_CELL_TOO_LONG, SHEET_MAX_CELL_BYTES / 1024);
        return;
    }
    buf_add(&x->cap, s, (size_t)len);
}

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts);

/* Stream one part through expat. 0, 1 when the part does not exist, -1 with a message. */
static int parse_part(struct xlsx *x, const char *part, const char *what,
                      XML_StartElementHandler start, XML_EndElementHandler end, struct buf *err)
{
    zip_int64_t idx = zip_name_locate(x->zip, part, ZIP_FL_NOCASE);
    zip_uint64_t total = 0;
    zip_file_t *zf;
    char *chunk;
    int ret = 0;

    zip_stat_t st;

    if (idx < 0)
        return 1;
    zip_stat_init(&st);
    if (!zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) && (st.valid & ZIP_STAT_SIZE) &&
        unzip_over(x, st.size)) { /* a bomb says so in its directory: refuse it unread */
        buf_reset(err);
        unzip_message(x, err);
        return -1;
    }
    zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!zf)
        return sheet_fail(err, "xlsx 文件已损坏：无法读取%s（%s）", what, zip_strerror(x->zip));
    xml_create(x, start, end, what);
    x->has_err = false;
    x->capture = false;
    chunk = xmalloc(XML_CHUNK);
    for (;;) {
        zip_int64_t n = zip_fread(zf, chunk, XML_CHUNK);
        if (n < 0) {
            ret = sheet_fail(err, "xlsx 文件已损坏或不完整：%s的压缩数据读不出来（%s）", what,
                             zip_file_strerror(zf));
            break;
        }
        total += (zip_uint64_t)n;
        if (total > PART_MAX) {
            ret = sheet_fail(err, "xlsx 文件的%s解压后超过 2 GiB，拒绝读取（可能是恶意构造的文件）",
                             what);
            break;
        }
        if (unzip_over(x, (zip_uint64_t)n)) {
            buf_reset(err);
            unzip_message(x, err);
            ret = -1;
            break;
        }
        x->unzipped += (zip_uint64_t)n;
        if (XML_Parse(x->xp, chunk, (int)n, n == 0) != XML_STATUS_OK) {
            if (x->has_err)
                ret = sheet_fail(err, "%s", x->perr.buf);
            else if (start == sst_start)
                ret = sheet_fail(err, "xlsx 文件已损坏：%s的第 %zu 个字符串%s", what, x->nsst + 1,
                                 xml_reason(XML_GetErrorCode(x->xp)));
            else
                ret = sheet_fail(err, "xlsx 文件已损坏：%s%s", what,
                                 xml_reason(XML_GetErrorCode(x->xp)));
            break;
        }
        if (!n)
            break;
    }
    free(chunk);
    XML_ParserFree(x->xp);
    x->xp = NULL;
    zip_fclose(zf);
    return ret;
}

/* A relationship target made into a part name: absolute ("/xl/…") or relative to `dir`. */
static char *resolve(const char *dir, const char *target)
{
    struct buf in = BUF_INIT, out = BUF_INIT;
    char *save = NULL, *seg;

    if (target[0] != '/')
        buf_adds(&in, dir);
    buf_adds(&in, target);
    for (size_t i = 0; i < in.len; i++)
        if (in.buf[i] == '\\')
            in.buf[i] = '/';
    for (seg = strtok_r(in.buf, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (!strcmp(seg, "."))
            continue;
        if (!strcmp(seg, "..")) {
            char *slash = memrchr(out.buf, '/', out.len);
            buf_setlen(&out, slash ? (size_t)(slash - out.buf) : 0);
            continue;
        }
        if (out.len)
            buf_addch(&out, '/');
        buf_adds(&out, seg);
    }
    buf_release(&in);
    return buf_detach(&out, NULL);
}

/* ---- relationships ---- */

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *id, *type, *target, *mode;

    if (strcmp(lname(name), "Relationship"))
        return;
    id = attr(atts, "Id");
    type = attr(atts, "Type");
    target = attr(atts, "Target");
    mode = attr(atts, "TargetMode");
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

static void free_rels(struct xlsx *x)
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
    const char *n = lname(name);

    if (!strcmp(n, "workbookPr")) {
        const char *v = attr(atts, "date1904");
        x->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    } else if (!strcmp(n, "sheet")) {
        const char *sname = attr(atts, "name");
        const char *rid = attr(atts, "id"); /* r:id */
        if (r->nsheets >= TABLE_MAX) {
            xfail(x, -1, 0, "xlsx 工作簿的工作表超过 %d 个，拒绝读取", TABLE_MAX);
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
    const char *n = lname(name), *id;

    if (!strcmp(n, "cellXfs")) {
        x->in_xfs = true;
    } else if (!strcmp(n, "numFmt")) {
        const char *code = attr(atts, "formatCode");
        id = attr(atts, "numFmtId");
        if (!id || !code || x->nfmts >= TABLE_MAX)
            return;
        ALLOC_GROW(x->fmts, x->nfmts + 1, x->fmts_alloc);
        x->fmts[x->nfmts].id = (unsigned)strtoul(id, NULL, 10);
        x->fmts[x->nfmts].date = date_code(code);
        x->nfmts++;
    } else if (!strcmp(n, "xf") && x->in_xfs && x->nxf < TABLE_MAX) {
        id = attr(atts, "numFmtId");
        ALLOC_GROW(x->xf_fmt, x->nxf + 1, x->xf_alloc);
        x->xf_fmt[x->nxf++] = id ? (unsigned)strtoul(id, NULL, 10) : 0;
    }
}

static void styles_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    if (!strcmp(lname(name), "cellXfs"))
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

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *n = lname(name);

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
    const char *n = lname(name);
    size_t off;

    if (!strcmp(n, "t")) {
        x->capture = false;
    } else if (!strcmp(n, "rPh")) {
        x->rph--;
    } else if (!strcmp(n, "si") && x->in_si) {
        x->in_si = false;
        off = x->sst_text.len;
        add_ooxml_text(&x->sst_text, x->cap.buf, x->cap.len);
        if (x->sst_text.len - off > SHEET_MAX_CELL_BYTES + 1)
            buf_setlen(&x->sst_text, off + SHEET_MAX_CELL_BYTES + 1); /* fails where used */
        ALLOC_GROW(x->sst, x->nsst + 1, x->sst_alloc);
        x->sst[x->nsst].off = off;
        x->sst[x->nsst].len = x->sst_text.len - off;
        x->nsst++;
        buf_addch(&x->sst_text, '\0');
        if (x->sst_text.len + x->nsst * sizeof(*x->sst) > SST_MAX)
            xfail(x, -1, 0, "xlsx 文件的共享字符串表超过 %zu MiB，拒绝读取", SST_MAX >> 20);
    }
}

/* ---- worksheet ---- */

static void queue_reset(struct xlsx *x)
{
    x->nq = x->qhead = x->ndone = x->nqc = 0;
    buf_reset(&x->qtext);
}

/* Drop the rows handed out, keeping a row that is still being parsed. */
static void queue_compact(struct xlsx *x)
{
    struct qrow pr;

    if (x->nq == x->ndone) {
        queue_reset(x);
        return;
    }
    pr = x->q[x->ndone];
    if (x->nqc > pr.first) /* qc is NULL while no cell was ever queued */
        memmove(x->qc, x->qc + pr.first, (x->nqc - pr.first) * sizeof(*x->qc));
    x->nqc -= pr.first;
    for (size_t i = 0; i < x->nqc; i++)
        if (!x->qc[i].shared)
            x->qc[i].off -= pr.text_first;
    memmove(x->qtext.buf, x->qtext.buf + pr.text_first, x->qtext.len - pr.text_first);
    buf_setlen(&x->qtext, x->qtext.len - pr.text_first);
    pr.first = 0;
    pr.text_first = 0;
    x->q[0] = pr;
    x->nq = 1;
    x->qhead = x->ndone = 0;
}

static void queue_cell(struct xlsx *x, enum cell_kind kind, const char *text, size_t len,
                       double number)
{
    struct qcell *c;

    ALLOC_GROW(x->qc, x->nqc + 1, x->qc_alloc);
    c = &x->qc[x->nqc++];
    c->col = x->cur_col;
    c->kind = kind;
    c->shared = false;
    c->number = number;
    c->off = x->qtext.len;
    c->len = len;
    buf_add(&x->qtext, text, len);
    x->q[x->nq - 1].n++;
    x->q[x->nq - 1].bytes += len;
}

static int parse_col(const char *ref, size_t *col)
{
    size_t c = 0;
    int n = 0;

    for (; (*ref >= 'A' && *ref <= 'Z') || (*ref >= 'a' && *ref <= 'z'); ref++) {
        if (++n > 3)
            return -1;
        c = c * 26 + (size_t)((*ref | 0x20) - 'a' + 1);
    }
    if (!n)
        return -1;
    *col = c - 1;
    return 0;
}

static void finish_cell(struct xlsx *x)
{
    struct buf t = BUF_INIT;
    const char *v = x->cap.buf;
    char *end;
    double d;

    switch (x->ctype) {
    case T_SST: {
        unsigned long long i = strtoull(v, &end, 10);
        if (!x->cap.len)
            break;
        if (end == v || *end || i >= x->nsst) {
            xfail(x, x->cur_row, x->cur_col, "共享字符串编号无效，文件已损坏");
            break;
        }
        if (!x->sst[i].len)
            break;
        queue_cell(x, CELL_TEXT, "", 0, 0);
        x->qc[x->nqc - 1].shared = true;
        x->qc[x->nqc - 1].off = (size_t)i;
        x->qc[x->nqc - 1].len = x->sst[i].len;
        x->q[x->nq - 1].bytes += x->sst[i].len;
        break;
    }
    case T_INLINE:
    case T_STR:
        add_ooxml_text(&t, v, x->cap.len);
        if (t.len)
            queue_cell(x, CELL_TEXT, t.buf, t.len, 0);
        break;
    case T_BOOL:
        if (!x->cap.len)
            break;
        d = (!strcmp(v, "1") || !strcmp(v, "true")) ? 1 : 0;
        queue_cell(x, CELL_BOOL, d ? "TRUE" : "FALSE", d ? 4 : 5, d);
        break;
    case T_ERR:
        if (x->cap.len)
            queue_cell(x, CELL_ERROR, v, x->cap.len, 0);
        break;
    case T_DATE:
        d = sheet_serial_from_text(v);
        if (d > 0 && !sheet_format_serial(&t, d, false))
            queue_cell(x, CELL_DATE, t.buf, t.len, d);
        else if (x->cap.len)
            queue_cell(x, CELL_TEXT, v, x->cap.len, 0);
        break;
    case T_NUM:
        if (!x->cap.len)
            break;
        d = strtod(v, &end);
        while (*end == ' ')
            end++;
        if (end == v || *end) { /* not a number after all: keep what is there */
            queue_cell(x, CELL_TEXT, v, x->cap.len, 0);
            break;
        }
        if (x->style < x->nxf && x->xf_date[x->style] && !sheet_format_serial(&t, d, x->date1904)) {
            queue_cell(x, CELL_DATE, t.buf, t.len, d);
            break;
        }
        sheet_format_number(&t, d);
        queue_cell(x, CELL_NUMBER, t.buf, t.len, d);
        break;
    }
    buf_release(&t);
    if (x->q[x->nq - 1].bytes > SHEET_MAX_ROW_BYTES)
        xfail(x, x->cur_row, SIZE_MAX, "这一行超过 %d MiB 的上限",
              SHEET_MAX_ROW_BYTES / (1024 * 1024));
}

static void ws_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *n = lname(name), *a;

    if (x->has_err)
        return;
    if (!strcmp(n, "sheetData")) {
        x->in_sd = true;
    } else if (!strcmp(n, "row") && x->in_sd) {
        long num = x->last_row + 1;
        if (x->in_row) {
            xfail(x, x->cur_row, SIZE_MAX, "文件已损坏，行套着行");
            return;
        }
        a = attr(atts, "r");
        if (a) {
            char *end;
            num = strtol(a, &end, 10);
            if (end == a || *end)
                num = 0;
        }
        if (num < 1 || num > ROW_MAX) {
            xfail(x, x->last_row + 1, SIZE_MAX, "行号无效，文件已损坏");
            return;
        }
        if (num <= x->last_row) { /* Excel writes rows in order, each once */
            xfail(x, num, SIZE_MAX, "行号重复或顺序颠倒（前面已有第 %ld 行），文件已损坏",
                  x->last_row);
            return;
        }
        x->cur_row = num;
        x->next_col = 0;
        x->in_row = true;
        ALLOC_GROW(x->q, x->nq + 1, x->q_alloc);
        x->q[x->nq].number = num;
        x->q[x->nq].first = x->nqc;
        x->q[x->nq].n = 0;
        x->q[x->nq].text_first = x->qtext.len;
        x->q[x->nq].bytes = 0;
        x->nq++;
    } else if (!strcmp(n, "c") && x->in_row) {
        x->cur_col = x->next_col;
        a = attr(atts, "r");
        if (a && parse_col(a, &x->cur_col)) {
            xfail(x, x->cur_row, SIZE_MAX, "单元格位置无效，文件已损坏");
            return;
        }
        if (x->cur_col >= SHEET_MAX_COLUMNS) {
            xfail(x, x->cur_row, SIZE_MAX, "超过 %d 列的上限", SHEET_MAX_COLUMNS);
            return;
        }
        a = attr(atts, "t");
        x->ctype = !a || !strcmp(a, "n")     ? T_NUM
                   : !strcmp(a, "s")         ? T_SST
                   : !strcmp(a, "inlineStr") ? T_INLINE
                   : !strcmp(a, "str")       ? T_STR
                   : !strcmp(a, "b")         ? T_BOOL
                   : !strcmp(a, "e")         ? T_ERR
                   : !strcmp(a, "d")         ? T_DATE
                                             : T_STR;
        a = attr(atts, "s");
        x->style = a ? (unsigned)strtoul(a, NULL, 10) : 0;
        x->in_cell = true;
        x->in_is = false;
        x->rph = 0;
        buf_reset(&x->cap);
    } else if (x->in_cell) {
        if (!strcmp(n, "v"))
            x->capture = !x->in_is;
        else if (!strcmp(n, "is"))
            x->in_is = true;
        else if (!strcmp(n, "rPh"))
            x->rph++;
        else if (!strcmp(n, "t") && x->in_is && !x->rph)
            x->capture = true;
    }
}

static void ws_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    const char *n = lname(name);

    if (x->has_err)
        return;
    if (!strcmp(n, "v") || !strcmp(n, "t")) {
        x->capture = false;
    } else if (!strcmp(n, "rPh")) {
        x->rph--;
    } else if (!strcmp(n, "is")) {
        x->in_is = false;
    } else if (!strcmp(n, "c") && x->in_cell) {
        if (x->ctype != T_INLINE && x->in_is)
            x->ctype = T_INLINE;
        finish_cell(x);
        x->in_cell = false;
        x->capture = false;
        x->next_col = x->cur_col + 1;
    } else if (!strcmp(n, "row") && x->in_row) {
        x->in_row = false;
        x->last_row = x->cur_row;
        x->ndone = x->nq;
    } else if (!strcmp(n, "sheetData")) {
        x->in_sd = false;
    }
}

static void close_sheet(struct xlsx *x)
{
    if (x->zf)
        zip_fclose(x->zf);
    x->zf = NULL;
    if (x->xp)
        XML_ParserFree(x->xp);
    x->xp = NULL;
}

static int xlsx_select(struct sheet_reader *r, size_t i, struct buf *err)
{
    struct xlsx *x = r->impl;
    const char *part = x->sheets[i].part;
    zip_int64_t idx;
    zip_stat_t st;

    close_sheet(x);
    queue_reset(x);
    x->has_err = x->xml_done = x->in_sd = x->in_row = x->in_cell = x->in_is = x->capture = false;
    x->in_si = false;
    x->rph = 0;
    x->cur_row = x->last_row = 0;
    x->next_row = 1;
    x->part_read = 0;
    x->part_size = 0;
    idx = part ? zip_name_locate(x->zip, part, ZIP_FL_NOCASE) : -1;
    if (idx < 0)
        return sheet_fail_at(r, err, 0, SIZE_MAX, "文件已损坏，找不到这个工作表的数据");
    zip_stat_init(&st);
    if (!zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) && (st.valid & ZIP_STAT_SIZE))
        x->part_size = st.size;
    if (unzip_over(x, x->part_size)) {
        buf_reset(err);
        unzip_message(x, err);
        return -1;
    }
    x->zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!x->zf)
        return sheet_fail_at(r, err, 0, SIZE_MAX, "文件已损坏，无法读取（%s）",
                             zip_strerror(x->zip));
    xml_create(x, ws_start, ws_end, "工作表");
    return 0;
}

/* Parse chunks until rows are queued, the sheet ends, or an error is remembered. */
static void pump(struct xlsx *x)
{
    while (x->qhead == x->ndone && !x->xml_done && !x->has_err) {
        zip_int64_t n;
        long near;

        queue_compact(x);
        n = zip_fread(x->zf, x->chunk, XML_CHUNK);
        near = x->in_row ? x->cur_row : x->last_row + 1;
        if (n < 0) {
            xfail(x, near, SIZE_MAX, "文件已损坏或不完整，数据读不出来（%s）",
                  zip_file_strerror(x->zf));
            break;
        }
        x->part_read += (zip_uint64_t)n;
        if (x->part_read > PART_MAX) {
            xfail(x, near, SIZE_MAX, "解压后超过 2 GiB，拒绝读取（可能是恶意构造的文件）");
            break;
        }
        if (unzip_over(x, (zip_uint64_t)n)) {
            struct buf m = BUF_INIT;
            unzip_message(x, &m);
            xfail(x, -1, 0, "%s", m.buf);
            buf_release(&m);
            break;
        }
        x->unzipped += (zip_uint64_t)n;
        if (XML_Parse(x->xp, x->chunk, (int)n, n == 0) != XML_STATUS_OK) {
            near = x->in_row ? x->cur_row : x->last_row + 1;
            xfail(x, near, SIZE_MAX, "文件已损坏或不完整，XML %s",
                  xml_reason(XML_GetErrorCode(x->xp)));
            break;
        }
        if (!n)
            x->xml_done = true;
    }
}

static int xlsx_next_row(struct sheet_reader *r, struct buf *err)
{
    struct xlsx *x = r->impl;
    const struct qrow *q;

    if (!x->xp)
        return 0;
    if (x->qhead == x->ndone)
        pump(x);
    if (x->qhead == x->ndone) {
        if (x->has_err)
            return sheet_fail(err, "%s", x->perr.buf);
        return 0;
    }
    q = &x->q[x->qhead];
    if (q->number > x->next_row) { /* rows the XML skips are empty rows */
        sheet_row_begin(r, x->next_row++);
        return 1;
    }
    sheet_row_begin(r, q->number);
    for (size_t k = 0; k < q->n; k++) {
        const struct qcell *c = &x->qc[q->first + k];
        const char *text = c->shared ? x->sst_text.buf + x->sst[c->off].off : x->qtext.buf + c->off;
        if (sheet_row_add(r, c->col, c->kind, text, c->len, c->number, err))
            return -1;
    }
    if (q->number >= x->next_row)
        x->next_row = q->number + 1;
    x->qhead++;
    return 1;
}

static double xlsx_progress(const struct sheet_reader *r)
{
    const struct xlsx *x = r->impl;
    if (x->xml_done)
        return 1;
    return x->part_size ? (double)x->part_read / (double)x->part_size : 0;
}

static void xlsx_release(struct sheet_reader *r)
{
    struct xlsx *x = r->impl;

    if (!x)
        return;
    close_sheet(x);
    if (x->zip)
        zip_discard(x->zip);
    for (size_t i = 0; x->sheets && i < r->nsheets; i++) {
        free(x->sheets[i].rid);
        free(x->sheets[i].part);
    }
    free(x->sheets);
    free_rels(x);
    free(x->wb_dir);
    free(x->fmts);
    free(x->xf_fmt);
    free(x->xf_date);
    buf_release(&x->sst_text);
    free(x->sst);
    buf_release(&x->perr);
    buf_release(&x->cap);
    free(x->chunk);
    free(x->q);
    free(x->qc);
    buf_release(&x->qtext);
    free(x);
    r->impl = NULL;
}

static const struct sheet_ops xlsx_ops = {
    .format = "xlsx",
    .select = xlsx_select,
    .next_row = xlsx_next_row,
    .progress = xlsx_progress,
    .release = xlsx_release,
};

/* The workbook part: where _rels/.rels points, else the usual xl/workbook.xml. */
static char *find_workbook(struct xlsx *x, struct buf *err)
{
    const struct rel *rel;
    char *part = NULL;

    if (parse_part(x, "_rels/.rels", "包关系（_rels/.rels）", rels_start, ignore_end, err) < 0)
        buf_reset(err); /* damaged package rels: fall back to the usual name */
    rel = rel_by_type(x, "/officeDocument");
    if (rel) {
        part = resolve("", rel->target);
        if (zip_name_locate(x->zip, part, ZIP_FL_NOCASE) < 0) {
            free(part);
            part = NULL;
        }
    }
    free_rels(x);
    if (!part && zip_name_locate(x->zip, "xl/workbook.xml", ZIP_FL_NOCASE) >= 0)
        part = xstrdup("xl/workbook.xml");
    return part;
}

int sheet_xlsx_open(struct sheet_reader *r, int fd, const char *path, struct buf *err)
{
    struct xlsx *x = xcalloc(1, sizeof(*x));
    const struct rel *rel;
    char *wb = NULL, *rels = NULL, *part;
    const char *slash;
    int zerr = 0, ret = -1;

    x->r = r;
    buf_init(&x->sst_text, 0);
    buf_init(&x->perr, 0);
    buf_init(&x->cap, 0);
    buf_init(&x->qtext, 0);
    r->ops = &xlsx_ops;
    r->impl = x;
    r->encoding = "UTF-8";

    x->unzip_budget =
        r->file_size > UNZIP_MAX / UNZIP_RATIO ? UNZIP_MAX : r->file_size * UNZIP_RATIO;
    if (x->unzip_budget < UNZIP_FLOOR)
        x->unzip_budget = UNZIP_FLOOR;
    x->zip = zip_fdopen(fd, 0, &zerr);
    if (!x->zip) {
        close(fd);
        return sheet_fail(err, "xlsx 文件已损坏或不完整，无法读取 zip 目录（文件可能只传了一半）");
    }
    wb = find_workbook(x, err);
    if (!wb) {
        ret = sheet_fail(err, "不是 Excel 工作簿：zip 压缩包里没有 xl/workbook.xml");
        goto out;
    }
    slash = strrchr(wb, '/');
    x->wb_dir = xstrndup(wb, slash ? (size_t)(slash - wb + 1) : 0);
    rels = xstrfmt("%s_rels/%s.rels", x->wb_dir, slash ? slash + 1 : wb);

    if (parse_part(x, wb, "工作簿（workbook.xml）", workbook_start, ignore_end, err) < 0)
        goto out;
    if (!r->nsheets) {
        ret = sheet_fail(err, "xlsx 工作簿里没有工作表");
        goto out;
    }
    if (parse_part(x, rels, "工作簿关系（workbook.xml.rels）", rels_start, ignore_end, err) < 0)
        goto out;
    for (size_t i = 0; i < r->nsheets; i++) {
        for (size_t k = 0; k < x->nrels && !x->sheets[i].part; k++)
            if (!strcmp(x->rels[k].id, x->sheets[i].rid)) /* the first of a repeated id */
                x->sheets[i].part = resolve(x->wb_dir, x->rels[k].target);
        if (!x->sheets[i].part) /* no relationship: try the conventional name */
            x->sheets[i].part = xstrfmt("%sworksheets/sheet%zu.xml", x->wb_dir, i + 1);
    }

    rel = rel_by_type(x, "/styles");
    part = rel ? resolve(x->wb_dir, rel->target) : xstrfmt("%sstyles.xml", x->wb_dir);
    ret = parse_part(x, part, "样式表（styles.xml）", styles_start, styles_end, err);
    free(part);
    if (ret < 0)
        goto out;
    resolve_styles(x);

    rel = rel_by_type(x, "/sharedStrings");
    part = rel ? resolve(x->wb_dir, rel->target) : xstrfmt("%ssharedStrings.xml", x->wb_dir);
    ret = parse_part(x, part, "共享字符串表（sharedStrings.xml）", sst_start, sst_end, err);
    free(part);
    if (ret < 0)
        goto out;
    free_rels(x);

    x->chunk = xmalloc(XML_CHUNK);
    r->selected = 0;
    ret = xlsx_select(r, 0, err);
out:
    free(wb);
    free(rels);
    return ret;
}
