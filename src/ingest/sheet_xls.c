#include "util/common.h"

#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ingest/sheet_impl.h"

/*
 * .xls (BIFF5/BIFF8 in an OLE compound file) through FreeXL, which loads the workbook and
 * converts text of any codepage to UTF-8. An .xls holds at most 65,536 rows, so loading it
 * whole is fine.
 */

struct xls {
    const void *h;
    unsigned rows;
    unsigned short cols;
    unsigned row; /* 0-based next row */
    char encoding[24];
};

static const char *freexl_reason(int rc)
{
    switch (rc) {
    case FREEXL_INSUFFICIENT_MEMORY:
        return "内存不足";
    case FREEXL_INVALID_CHARACTER:
        return "文字编码无法转换";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
        return "里面没有工作簿，可能是 Word 等其他 Office 文件";
    case FREEXL_UNSUPPORTED_CHARSET:
        return "文字编码不受支持，请在 Excel 或 WPS 中另存为 xlsx";
    case FREEXL_CRAFTED_FILE:
        return "文件严重损坏或是恶意构造的";
    default:
        return "文件已损坏或不完整";
    }
}

static int xls_select(struct sheet_reader *r, size_t i, struct buf *err)
{
    struct xls *x = r->impl;
    int rc;

    x->rows = 0;
    x->cols = 0;
    x->row = 0;
    rc = freexl_select_active_worksheet(x->h, (unsigned short)i);
    if (rc == FREEXL_OK)
        rc = freexl_worksheet_dimensions(x->h, &x->rows, &x->cols);
    if (rc != FREEXL_OK)
        return sheet_fail_at(r, err, 0, SIZE_MAX, "无法读取（%s，FreeXL 错误 %d）",
                             freexl_reason(rc), rc);
    return 0;
}

/* FreeXL writes date-times as "yyyy-mm-dd hh:mm:ss"; midnight means a plain date. */
static size_t date_len(const char *s)
{
    size_t n = strlen(s);
    if (n == 19 && !strcmp(s + 10, " 00:00:00"))
        return 10;
    return n;
}

static int xls_next_row(struct sheet_reader *r, struct buf *err)
{
    struct xls *x = r->impl;
    struct buf num = BUF_INIT;
    int ret = 1;

    if (x->row >= x->rows)
        return 0;
    sheet_row_begin(r, (long)x->row + 1);
    for (unsigned short c = 0; c < x->cols && ret > 0; c++) {
        FreeXL_CellValue v;
        const char *t;
        int rc = freexl_get_cell_value(x->h, x->row, c, &v);

        if (rc != FREEXL_OK) {
            ret = sheet_fail_at(r, err, (long)x->row + 1, c, "单元格读不出来（%s，FreeXL 错误 %d）",
                                freexl_reason(rc), rc);
            break;
        }
        buf_reset(&num);
        switch (v.type) {
        case FREEXL_CELL_INT:
            sheet_format_number(&num, v.value.int_value);
            if (sheet_row_add(r, c, CELL_NUMBER, num.buf, num.len, v.value.int_value, err))
                ret = -1;
            break;
        case FREEXL_CELL_DOUBLE:
            sheet_format_number(&num, v.value.double_value);
            if (sheet_row_add(r, c, CELL_NUMBER, num.buf, num.len, v.value.double_value, err))
                ret = -1;
            break;
        case FREEXL_CELL_TEXT:
        case FREEXL_CELL_SST_TEXT:
            t = v.value.text_value ? v.value.text_value : "";
            if (sheet_row_add(r, c, *t ? CELL_TEXT : CELL_EMPTY, t, strlen(t), 0, err))
                ret = -1;
            break;
        case FREEXL_CELL_DATE:
        case FREEXL_CELL_DATETIME:
        case FREEXL_CELL_TIME:
            t = v.value.text_value ? v.value.text_value : "";
            if (sheet_row_add(r, c, CELL_DATE, t, date_len(t), sheet_serial_from_text(t), err))
                ret = -1;
            break;
        default: /* FREEXL_CELL_NULL */
            break;
        }
    }
    buf_release(&num);
    x->row++;
    return ret;
}

static double xls_progress(const struct sheet_reader *r)
{
    const struct xls *x = r->impl;
    return x->rows ? (double)x->row / x->rows : 1;
}

static void xls_release(struct sheet_reader *r)
{
    struct xls *x = r->impl;

    if (!x)
        return;
    if (x->h)
        freexl_close(x->h);
    free(x);
    r->impl = NULL;
}

static const struct sheet_ops xls_ops = {
    .format = "xls",
    .select = xls_select,
    .next_row = xls_next_row,
    .progress = xls_progress,
    .release = xls_release,
};

/*
 * FreeXL 1.0.6 can crash (SIGSEGV) or leak on a damaged file, so a file is first read through
 * completely in a child process. Exit 0: readable; PROBE_FREEXL_ERROR + n: FreeXL reported
 * error -n (the parent then never calls freexl_open on it); anything else, or a signal: the
 * parser crashed, and the file is reported as damaged instead of taking baoxue down.
 */
#define PROBE_FREEXL_ERROR 64

static void probe_child(const char *path)
{
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0)
        dup2(devnull, 2);
    const void *h = NULL;
    int rc = freexl_open(path, &h);
    if (rc != FREEXL_OK)
        _exit(rc < 0 && rc > -60 ? PROBE_FREEXL_ERROR - rc : PROBE_FREEXL_ERROR);
    unsigned count = 0;
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count) == FREEXL_OK) {
        for (unsigned i = 0; i < count && i < 65536; i++) {
            unsigned rows = 0;
            unsigned short cols = 0;
            if (freexl_select_active_worksheet(h, (unsigned short)i) != FREEXL_OK ||
                freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK)
                continue;
            for (unsigned rr = 0; rr < rows; rr++)
                for (unsigned short cc = 0; cc < cols; cc++) {
                    FreeXL_CellValue v;
                    freexl_get_cell_value(h, rr, cc, &v);
                }
        }
    }
    _exit(0);
}

static int probe_xls(const char *path, int *freexl_rc)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return 0; /* cannot probe: read it directly */
    if (pid == 0)
        probe_child(path);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) >= PROBE_FREEXL_ERROR) {
        *freexl_rc = PROBE_FREEXL_ERROR - WEXITSTATUS(status);
        return -1;
    }
    *freexl_rc = FREEXL_CRAFTED_FILE;
    return -1;
}

int sheet_xls_open(struct sheet_reader *r, int fd, const char *path, struct buf *err)
{
    struct xls *x = xcalloc(1, sizeof(*x));
    unsigned count = 0, cp = 0;
    int rc;

    close(fd); /* FreeXL opens by name */
    r->ops = &xls_ops;
    r->impl = x;
    if (probe_xls(path, &rc) < 0) {
        x->h = NULL;
        return sheet_fail(err, "xls 文件无法读取：%s（FreeXL 错误 %d）", freexl_reason(rc), rc);
    }
    rc = freexl_open(path, &x->h);
    if (rc == FREEXL_OK && !x->h) {
        /* FreeXL 1.0.6 answers OK without a workbook for some valid files, e.g. one with a
         * zero-length shared string (an empty text cell written by some generators). */
        return sheet_fail(err, "xls 文件中有本程序无法解析的内容（例如空文本单元格）；"
                               "请在 Excel 或 WPS 中打开后另存为 xlsx 再导入");
    }
    if (rc != FREEXL_OK) {
        x->h = NULL; /* FreeXL frees its half-built handle itself */
        return sheet_fail(err, "xls 文件无法读取：%s（FreeXL 错误 %d）", freexl_reason(rc), rc);
    }
    if (freexl_get_info(x->h, FREEXL_BIFF_PASSWORD, &cp) == FREEXL_OK &&
        cp == FREEXL_BIFF_OBFUSCATED)
        return sheet_fail(err, "xls 文件设置了密码，请在 Excel 或 WPS 中取消密码后另存");
    if (freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK || !count)
        return sheet_fail(err, "xls 工作簿里没有工作表");
    if (freexl_get_info(x->h, FREEXL_BIFF_CODEPAGE, &cp) == FREEXL_OK) {
        if (cp == FREEXL_BIFF_UTF16LE)
            snprintf(x->encoding, sizeof(x->encoding), "UTF-16LE");
        else if (cp == FREEXL_BIFF_CP936)
            snprintf(x->encoding, sizeof(x->encoding), "GBK");
        else
            snprintf(x->encoding, sizeof(x->encoding), "CP%u", cp);
        r->encoding = x->encoding;
    }
    r->names = xcalloc(count, sizeof(*r->names));
    for (unsigned i = 0; i < count; i++) {
        const char *name = NULL;
        if (freexl_get_worksheet_name(x->h, (unsigned short)i, &name) != FREEXL_OK || !name)
            r->names[i] = xstrfmt("Sheet%u", i + 1);
        else
            r->names[i] = xstrdup(name);
        r->nsheets++;
    }
    r->selected = 0;
    return xls_select(r, 0, err);
}
