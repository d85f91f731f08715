/*
 * Dates as departments write them (core/date.h): whatever date_parse accepts is a real date,
 * prints as yyyy-mm-dd and parses back to itself; the Chinese form fits any buffer it is
 * given; an Excel serial read from the input's bytes is a real date or refused.
 */
#include "fuzz.h"

#include <math.h>
#include <string.h>

#include "core/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int ymd = 0, again = 0;
    char iso[16], cn[24];

    if (date_parse((const char *)data, size, &ymd) == 0) {
        FUZZ_CHECK(ymd_valid(ymd));
        FUZZ_CHECK(ymd_year(ymd) >= 1900 && ymd_year(ymd) <= 2100);
        date_format(ymd, iso);
        FUZZ_CHECK(strlen(iso) == 10);
        FUZZ_CHECK(date_parse(iso, strlen(iso), &again) == 0 && again == ymd);
        FUZZ_CHECK(date_or_zero(iso) == ymd);
        FUZZ_CHECK(days_to_ymd(ymd_to_days(ymd)) == ymd);
        for (size_t n = 1; n <= sizeof(cn); n++) {
            memset(cn, 'x', sizeof(cn));
            date_format_cn(ymd, cn, n);
            FUZZ_CHECK(memchr(cn, '\0', n) != NULL);
        }
    }
    if (size >= sizeof(double) + 1) {
        double serial;
        memcpy(&serial, data + 1, sizeof(serial));
        if (date_from_excel(serial, data[0] & 1, &ymd) == 0) {
            FUZZ_CHECK(isfinite(serial));
            FUZZ_CHECK(ymd_valid(ymd));
        }
    }
    return 0;
}
