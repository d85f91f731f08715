#include "util/jsonw.h"

#include <string.h>

#include "util/utf8.h"

void jsonw_string(struct buf *b, const char *s)
{
    size_t len = strlen(s);
    if (!utf8_valid(s, len, false)) {
        buf_adds(b, "\"\xEF\xBF\xBD\"");
        return;
    }
    buf_grow(b, len + 2);
    buf_addch(b, '"');
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_add(b, run, (size_t)(p - run));
        run = p + 1;
        switch (c) {
        case '"':
            buf_adds(b, "\\\"");
            break;
        case '\\':
            buf_adds(b, "\\\\");
            break;
        case '\b':
            buf_adds(b, "\\b");
            break;
        case '\f':
            buf_adds(b, "\\f");
            break;
        case '\n':
            buf_adds(b, "\\n");
            break;
        case '\r':
            buf_adds(b, "\\r");
            break;
        case '\t':
            buf_adds(b, "\\t");
            break;
        default:
            buf_addf(b, "\\u%04X", c);
            break;
        }
    }
    buf_add(b, run, strlen(run));
    buf_addch(b, '"');
}

void jsonw_key(struct buf *b, const char *key)
{
    buf_addch(b, '"');
    buf_adds(b, key);
    buf_adds(b, "\":");
}

void jsonw_int(struct buf *b, int64_t v)
{
    buf_addf(b, "%lld", (long long)v);
}
