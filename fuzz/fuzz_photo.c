/*
 * Photos and scanned receipts (ingest/photo.h): whatever bytes come, photo_clean either refuses
 * them with a Chinese message naming the file, or keeps an image of the type its bytes start
 * with that cleans to itself (nothing it kept is left out the second time: no metadata got
 * through), no longer than the input and the orientation block it may add.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <string.h>

#include "ingest/photo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf out = BUF_INIT, again = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    enum photo_type type, type2;
    if (photo_clean(data, size, &out, &type, &o) == 0) {
        FUZZ_CHECK(out.len > 0 && out.len <= size + 36);
        FUZZ_CHECK(o.kind == OUT_OK);
        FUZZ_CHECK(photo_clean((const unsigned char *)out.buf, out.len, &again, &type2, &o) == 0);
        FUZZ_CHECK(type2 == type);
        FUZZ_CHECK(again.len == out.len && !memcmp(again.buf, out.buf, out.len));
        FUZZ_CHECK(photo_type_of(photo_mime(type)) == (int)type);
    } else {
        FUZZ_CHECK(o.kind == OUT_INVALID && o.field && !strcmp(o.field, "file"));
        bool chinese = false; /* a message in Chinese (it may name JPEG, PNG or WebP) */
        for (size_t i = 0; i < o.msg.len; i++)
            chinese |= (unsigned char)o.msg.buf[i] >= 0xE4 && (unsigned char)o.msg.buf[i] <= 0xE9;
        FUZZ_CHECK(chinese);
        FUZZ_CHECK(out.len == 0);
    }
    outcome_release(&o);
    buf_release(&out);
    buf_release(&again);
    return 0;
}
