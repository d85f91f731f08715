/* xlsx, the worksheet, streamed: rows, cell references, types and styles. The input is
 * the part's XML inside an otherwise valid workbook. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_xlsx_part("xl/worksheets/sheet1.xml", data, size);
    return 0;
}
