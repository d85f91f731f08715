/* xlsx, the styles part: number formats and cell formats (which cells are dates). The input is
 * the part's XML inside an otherwise valid workbook. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_xlsx_part("xl/styles.xml", data, size);
    return 0;
}
