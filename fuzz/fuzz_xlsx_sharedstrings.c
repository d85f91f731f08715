/* xlsx, the shared strings part: rich text runs, phonetic runs, _xHHHH_ escapes. The input is
 * the part's XML inside an otherwise valid workbook. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_xlsx_part("xl/sharedStrings.xml", data, size);
    return 0;
}
