/* The parsers of what a request sends that need no connection: the JSON body's fields and an
 * upload's file name (parse.h; fuzz/fuzz_http.c runs them on arbitrary bytes). */
#include "http/parse.h"

#include <iconv.h>

#include "util/common.h"
#include "util/utf8.h"

json_t *body_fields_parse(const char *data, size_t len, const char *const *names, size_t n,
                          const char **out, struct arena *a, enum body_error *error, char *why,
                          size_t why_size, char *field, size_t field_size)
{
    if (field_size)
        field[0] = '\0';
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    json_error_t je;
    json_t *j = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &je);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        *error = BODY_NOT_JSON;
        return NULL;
    }
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v)
    {
        size_t i = 0;
        while (i < n && strcmp(key, names[i]))
            i++;
        const char *bad = NULL;
        if (i == n)
            bad = "请求中有此操作不接受的一项";
        else if (json_is_string(v))
            out[i] = json_string_value(v);
        else if (json_is_integer(v))
            out[i] = arena_printf(a, "%lld", (long long)json_integer_value(v));
        else if (json_is_boolean(v))
            out[i] = json_is_true(v) ? "是" : "否";
        else if (!json_is_null(v))
            bad = "请求中有一项的值应为文字或数字";
        if (bad) {
            /* the key as sent, cut at a character so that it stays UTF-8 */
            size_t klen = strlen(key), cut = 0;
            while (cut < klen && cut < 64) {
                unsigned cp;
                size_t step = utf8_decode(key + cut, klen - cut, &cp);
                if (cut + step > 64)
                    break;
                cut += step;
            }
            snprintf(why, why_size, "%s", bad);
            snprintf(field, field_size, "%.*s", (int)cut, key);
            json_decref(j);
            *error = BODY_BAD_FIELD;
            for (size_t k = 0; k < n; k++)
                out[k] = NULL;
            return NULL;
        }
    }
    *error = BODY_OK;
    return j;
}

#define NAME_MAX_BYTES 4096 /* a file name kept as metadata: longer ones are cut at a character */

/* Text in GB18030 (which GBK and GB2312 are subsets of) as UTF-8; false when it is not. */
static bool from_gb18030(const char *s, size_t len, struct buf *out)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return false;
    size_t cap = len * 4 + 4;
    char *dst = xmalloc(cap), *o = dst;
    char *in = (char *)s;
    size_t inleft = len, outleft = cap;
    size_t rc = iconv(cd, &in, &inleft, &o, &outleft);
    iconv_close(cd);
    bool ok = rc != (size_t)-1 && inleft == 0 && utf8_valid(dst, (size_t)(o - dst), false);
    if (ok)
        buf_add(out, dst, (size_t)(o - dst));
    free(dst);
    return ok;
}

char *upload_display_name(const char *raw)
{
    const char *base = raw ? raw : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t len = strlen(base);
    struct buf text = BUF_INIT, out = BUF_INIT;
    if (utf8_valid(base, len, false) || !from_gb18030(base, len, &text)) {
        /* UTF-8 as sent, or bytes in neither encoding: each byte that is not UTF-8 becomes
         * U+FFFD */
        for (size_t i = 0; i < len;) {
            unsigned cp;
            size_t n = utf8_decode(base + i, len - i, &cp);
            if (cp == 0xFFFD) {
                buf_adds(&text, "\xef\xbf\xbd");
                i += n;
            } else {
                buf_add(&text, base + i, n);
                i += n;
            }
        }
    }
    for (size_t i = 0; i < text.len;) {
        unsigned cp;
        size_t n = utf8_decode(text.buf + i, text.len - i, &cp);
        if (n == 0)
            n = 1;
        if (out.len + n > NAME_MAX_BYTES)
            break;
        if (cp < 0x20 || cp == 0x7f)
            buf_addch(&out, '_');
        else
            buf_add(&out, text.buf + i, n);
        i += n;
    }
    buf_release(&text);
    if (!out.len || !strcmp(out.buf, ".") || !strcmp(out.buf, "..")) {
        buf_reset(&out);
        buf_adds(&out, "上传的文件");
    }
    return buf_detach(&out, NULL);
}
