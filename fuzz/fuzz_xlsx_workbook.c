/* xlsx, the workbook part: sheet names, relationship ids, date1904. The input is
 * the part's XML inside an otherwise valid workbook. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_xlsx_part("xl/workbook.xml", data, size);
    return 0;
}
