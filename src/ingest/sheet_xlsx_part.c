#include "util/common.h"

#include "ingest/sheet_xlsx_impl.h"

/*
 * .xlsx, one part of the package read: the zip entry under the package's unzip budget and the
 * 2 GiB a part may hold, expat with the depth and DTD guards every part is parsed with, expat's
 * errors in Chinese, OOXML's "_xHHHH_" text escapes, relationship targets made into part names.
 */

const char *xlsx_lname(const char *n)
{
    const char *c = strrchr(n, ':');
    return c ? c + 1 : n;
}

const char *xlsx_attr(const char **atts, const char *local)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (!strcmp(xlsx_lname(atts[i]), local))
            return atts[i + 1];
    return NULL;
}

void xlsx_fail(struct xlsx *x, long row, size_t col, const char *fmt, ...)
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
const char *xlsx_xml_reason(enum XML_Error code)
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
    xlsx_fail(x, -1, 0,
              "xlsx 文件的%s含有 DTD（文档类型声明），Excel 文件不会这样写，拒绝读取"
              "（可能是恶意构造的文件）",
              x->what);
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;

    if (++x->depth > XML_MAX_DEPTH) {
        xlsx_fail(x, -1, 0,
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
void xlsx_xml_create(struct xlsx *x, XML_StartElementHandler start, XML_EndElementHandler end,
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
bool xlsx_unzip_over(struct xlsx *x, zip_uint64_t more)
{
    return more > x->unzip_budget || x->unzipped > x->unzip_budget - more;
}

void xlsx_unzip_message(const struct xlsx *x, struct buf *out)
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
void xlsx_add_ooxml_text(struct buf *out, const char *s, size_t n)
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
        xlsx_fail(x, x->cur_row, x->cur_col, SHEET_CELL_TOO_LONG, SHEET_MAX_CELL_BYTES / 1024);
        return;
    }
    buf_add(&x->cap, s, (size_t)len);
}

/* Stream one part through expat. 0, 1 when the part does not exist, -1 with a message. */
int xlsx_parse_part(struct xlsx *x, const char *part, const char *what,
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
        xlsx_unzip_over(x, st.size)) { /* a bomb says so in its directory: refuse it unread */
        buf_reset(err);
        xlsx_unzip_message(x, err);
        return -1;
    }
    zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!zf)
        return sheet_fail(err, "xlsx 文件已损坏：无法读取%s（%s）", what, zip_strerror(x->zip));
    xlsx_xml_create(x, start, end, what);
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
        if (xlsx_unzip_over(x, (zip_uint64_t)n)) {
            buf_reset(err);
            xlsx_unzip_message(x, err);
            ret = -1;
            break;
        }
        x->unzipped += (zip_uint64_t)n;
        if (XML_Parse(x->xp, chunk, (int)n, n == 0) != XML_STATUS_OK) {
            if (x->has_err)
                ret = sheet_fail(err, "%s", x->perr.buf);
            else if (start == xlsx_sst_start)
                ret = sheet_fail(err, "xlsx 文件已损坏：%s的第 %zu 个字符串%s", what, x->nsst + 1,
                                 xlsx_xml_reason(XML_GetErrorCode(x->xp)));
            else
                ret = sheet_fail(err, "xlsx 文件已损坏：%s%s", what,
                                 xlsx_xml_reason(XML_GetErrorCode(x->xp)));
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
char *xlsx_resolve(const char *dir, const char *target)
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
