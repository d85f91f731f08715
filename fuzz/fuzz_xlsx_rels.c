/* xlsx, the relationship parts: the package's (_rels/.rels: where the workbook is) when the
 * first byte is even, the workbook's (which part each sheet, the styles and the shared strings
 * are) when it is odd. The rest of the input is the part's XML inside a valid workbook. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    fuzz_xlsx_part(data[0] % 2 ? "xl/_rels/workbook.xml.rels" : "_rels/.rels", data + 1, size - 1);
    return 0;
}
