/* GB18030 decoding, differential: util/gb18030's tables against iconv on the same bytes, both
 * in one piece and cut in two where the input's first byte says (as a CSV chunk is). The text,
 * the bytes used and the way each stops must be the same. */
#include "fuzz.h"

#include <errno.h>
#include <iconv.h>

#include "util/common.h"
#include "util/gb18030.h"

static enum gb18030_stop by_iconv(iconv_t cd, const unsigned char *in, size_t n, struct buf *out,
                                  size_t *used)
{
    char *ip = (char *)in, *op;
    size_t il = n, ol;

    iconv(cd, NULL, NULL, NULL, NULL);
    buf_grow(out, n * 4 + 8);
    op = out->buf + out->len;
    ol = out->alloc - out->len - 1;
    size_t rc = iconv(cd, &ip, &il, &op, &ol);
    buf_setlen(out, (size_t)(op - out->buf));
    *used = n - il;
    if (rc != (size_t)-1)
        return GB18030_DONE;
    return errno == EINVAL ? GB18030_INCOMPLETE : GB18030_INVALID;
}

static void agree(iconv_t cd, const unsigned char *in, size_t n)
{
    struct buf a = BUF_INIT, b = BUF_INIT;
    size_t ua = 0, ub = 0;
    enum gb18030_stop sa = gb18030_to_utf8(in, n, &a, &ua);
    enum gb18030_stop sb = by_iconv(cd, in, n, &b, &ub);

    FUZZ_CHECK(sa == sb);
    FUZZ_CHECK(ua == ub);
    FUZZ_CHECK(a.len == b.len && !memcmp(a.buf, b.buf, a.len));
    buf_release(&a);
    buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static iconv_t cd = (iconv_t)-1;

    if (cd == (iconv_t)-1) {
        cd = iconv_open("UTF-8", "GB18030");
        if (cd == (iconv_t)-1 || !gb18030_ready())
            return 0;
    }
    agree(cd, data, size);
    if (size > 1)
        agree(cd, data + 1, data[0] % size);
    return 0;
}
