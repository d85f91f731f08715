#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "ingest/field.h"
#include "ingest/sheet.h"
#include "util/buf.h"
#include "util/utf8.h"

/* Sheets and rows read of one input: enough for every code path, bounded for speed. */
#define READ_SHEETS 4
#define READ_ROWS   20000

void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}

int fuzz_file(const void *data, size_t size, char path[64])
{
    int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
    const char *p = data;

    if (fd < 0)
        return -1;
    while (size) {
        ssize_t n = write(fd, p, size);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        p += n;
        size -= (size_t)n;
    }
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    return fd;
}

void fuzz_file_close(int fd)
{
    if (fd >= 0)
        close(fd);
}

/* A message a person reads: not empty, valid UTF-8, in Chinese. */
static void check_message(const struct buf *err)
{
    bool chinese = false;

    FUZZ_CHECK(err->len > 0);
    FUZZ_CHECK(utf8_valid(err->buf, err->len, false));
    for (size_t i = 0; i + 2 < err->len && !chinese; i++)
        chinese = (unsigned char)err->buf[i] >= 0xE4 && (unsigned char)err->buf[i] <= 0xE9;
    FUZZ_CHECK(chinese);
}

static void check_row(const struct row *row, long last, struct buf *scratch)
{
    size_t bytes = 0;

    FUZZ_CHECK(row->number > last);
    FUZZ_CHECK(row->ncells <= SHEET_MAX_COLUMNS);
    FUZZ_CHECK(!row->ncells || row->cells[row->ncells - 1].kind != CELL_EMPTY);
    for (size_t i = 0; i < row->ncells; i++) {
        const struct cell *c = &row->cells[i];
        FUZZ_CHECK(c->text);
        FUZZ_CHECK(c->text[c->len] == '\0');
        FUZZ_CHECK(c->len <= SHEET_MAX_CELL_BYTES);
        FUZZ_CHECK(c->kind != CELL_EMPTY || c->len == 0);
        FUZZ_CHECK(utf8_valid(c->text, c->len, false));
        bytes += c->len;
        /* what the import does with every cell */
        for (int k = 0; k < KIND__COUNT; k++)
            (void)header_field((enum import_kind)k, c->text, c->len);
        buf_reset(scratch);
        utf8_norm_name(scratch, c->text, c->len);
        FUZZ_CHECK(utf8_valid(scratch->buf, scratch->len, false));
        (void)field_overlong(F_ADDRESS, c->text, c->len, scratch);
    }
    FUZZ_CHECK(bytes <= SHEET_MAX_ROW_BYTES);
}

void fuzz_read_sheet(const char *path)
{
    struct sheet_reader *r = NULL;
    struct buf err = BUF_INIT, scratch = BUF_INIT;

    if (sheet_open(&r, path, &err) < 0) {
        FUZZ_CHECK(!r);
        check_message(&err);
        goto out;
    }
    FUZZ_CHECK(sheet_count(r) >= 1);
    for (size_t i = 0; i < sheet_count(r) && i < READ_SHEETS; i++) {
        const struct row *row;
        long last = 0;
        int rc = 1;

        FUZZ_CHECK(sheet_name(r, i) != NULL);
        buf_reset(&err);
        if (sheet_select(r, i, &err) < 0) {
            check_message(&err);
            continue;
        }
        for (long n = 0; n < READ_ROWS && (rc = sheet_next_row(r, &row, &err)) == 1; n++) {
            double p = sheet_progress(r);
            check_row(row, last, &scratch);
            last = row->number;
            FUZZ_CHECK(p >= 0 && p <= 1);
        }
        if (rc < 0) {
            check_message(&err);
            /* a failed reader keeps failing, with the same message */
            struct buf again = BUF_INIT;
            FUZZ_CHECK(sheet_next_row(r, &row, &again) == -1);
            FUZZ_CHECK(!strcmp(again.buf, err.buf));
            buf_release(&again);
        }
    }
    FUZZ_CHECK(sheet_expanded(r) <= sheet_expand_budget(r) + SHEET_MAX_CELL_BYTES);
    sheet_close(r);
out:
    buf_release(&err);
    buf_release(&scratch);
}

/* ---- a stored zip around one part ---- */

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG  "http://schemas.openxmlformats.org/package/2006/relationships"

static const char *const base_parts[][2] = {
    {"[Content_Types].xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/"
     "package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
     "</Types>"},
    {"_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" NS_PKG
                    "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
                    "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
    {"xl/workbook.xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL
     "\"><workbookPr/><sheets><sheet name=\"花名册\" sheetId=\"1\" r:id=\"rId1\"/>"
     "<sheet name=\"Sheet2\" sheetId=\"2\" r:id=\"rId9\"/></sheets></workbook>"},
    {"xl/_rels/workbook.xml.rels",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" NS_PKG
     "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
     "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" NS_REL
     "/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId3\" Type=\"" NS_REL
     "/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/></Relationships>"},
    {"xl/styles.xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"" NS_MAIN "\">"
     "<numFmts count=\"2\"><numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月"
     "&quot;d&quot;日&quot;\"/><numFmt numFmtId=\"177\" formatCode=\"[Red]#,##0.00_)\"/>"
     "</numFmts><cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"176\"/>"
     "<xf numFmtId=\"14\"/><xf numFmtId=\"49\"/><xf numFmtId=\"177\"/></cellXfs></styleSheet>"},
    {"xl/sharedStrings.xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"" NS_MAIN
     "\" count=\"6\" uniqueCount=\"6\"><si><t>姓名</t></si><si><t>身份证号</t></si>"
     "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">出生 </t></r><r><t>日期</t></r>"
     "<rPh sb=\"0\" eb=\"2\"><t>しゅっしょう</t></rPh></si><si><t>张三</t></si>"
     "<si><t>14052120150304001_x000D_X</t></si><si><t>制表人：</t></si></sst>"},
    {"xl/worksheets/sheet1.xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
     "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
     "<c r=\"C1\" t=\"s\"><v>2</v></c></row>"
     "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>3</v></c><c r=\"B2\" t=\"s\" s=\"3\"><v>4</v></c>"
     "<c r=\"C2\" s=\"1\"><v>42067</v></c><c r=\"D2\" t=\"b\"><v>1</v></c></row>"
     "<row r=\"4\"><c t=\"inlineStr\"><is><t>李四</t></is></c><c><v>1.40521201503041E+17</v></c>"
     "<c s=\"2\"><v>42068.5</v></c><c t=\"e\"><v>#N/A</v></c><c t=\"d\"><v>2015-03-04</v></c>"
     "<c t=\"str\"><v>=A1</v></c><c s=\"4\"><v>-3.25</v></c></row>"
     "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>5</v></c></row></sheetData></worksheet>"},
};

static void put16(struct buf *b, unsigned v)
{
    buf_addch(b, (char)(v & 0xFF));
    buf_addch(b, (char)(v >> 8 & 0xFF));
}

static void put32(struct buf *b, uint32_t v)
{
    put16(b, v & 0xFFFF);
    put16(b, v >> 16);
}

uint8_t *fuzz_xlsx_with(const char *part, const uint8_t *data, size_t size, size_t *zip_size)
{
    struct buf zip = BUF_INIT, dir = BUF_INIT;
    size_t n = sizeof(base_parts) / sizeof(base_parts[0]);

    for (size_t i = 0; i < n; i++) {
        const char *name = base_parts[i][0];
        const uint8_t *body = (const uint8_t *)base_parts[i][1];
        size_t len = strlen(base_parts[i][1]);
        uint32_t off = (uint32_t)zip.len, crc;
        if (!strcmp(name, part)) {
            body = data;
            len = size;
        }
        crc = (uint32_t)crc32(0, body, (uInt)len);
        put32(&zip, 0x04034b50);
        put16(&zip, 20);
        put16(&zip, 0);    /* flags */
        put16(&zip, 0);    /* stored */
        put16(&zip, 0);    /* time */
        put16(&zip, 0x21); /* 1980-01-01 */
        put32(&zip, crc);
        put32(&zip, (uint32_t)len);
        put32(&zip, (uint32_t)len);
        put16(&zip, (unsigned)strlen(name));
        put16(&zip, 0);
        buf_adds(&zip, name);
        buf_add(&zip, body, len);

        put32(&dir, 0x02014b50);
        put16(&dir, 20);
        put16(&dir, 20);
        put16(&dir, 0);
        put16(&dir, 0);
        put16(&dir, 0);
        put16(&dir, 0x21);
        put32(&dir, crc);
        put32(&dir, (uint32_t)len);
        put32(&dir, (uint32_t)len);
        put16(&dir, (unsigned)strlen(name));
        put16(&dir, 0);
        put16(&dir, 0);
        put16(&dir, 0);
        put16(&dir, 0);
        put32(&dir, 0);
        put32(&dir, off);
        buf_adds(&dir, name);
    }
    uint32_t dir_off = (uint32_t)zip.len;
    buf_add(&zip, dir.buf, dir.len);
    put32(&zip, 0x06054b50);
    put16(&zip, 0);
    put16(&zip, 0);
    put16(&zip, (unsigned)n);
    put16(&zip, (unsigned)n);
    put32(&zip, (uint32_t)dir.len);
    put32(&zip, dir_off);
    put16(&zip, 0);
    buf_release(&dir);
    return (uint8_t *)buf_detach(&zip, zip_size);
}

void fuzz_xlsx_part(const char *part, const uint8_t *data, size_t size)
{
    size_t zsize;
    uint8_t *zip = fuzz_xlsx_with(part, data, size, &zsize);
    char path[64];
    int fd = fuzz_file(zip, zsize, path);

    free(zip);
    if (fd < 0)
        return;
    fuzz_read_sheet(path);
    fuzz_file_close(fd);
}
