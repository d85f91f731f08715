#include "util/fieldtext.h"

#include "util/common.h"
#include "util/utf8.h"

static bool invisible(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9F) ||     /* C1 controls, U+0085 among them */
           cp == 0x2028 || cp == 0x2029 ||   /* line and paragraph separators */
           (cp >= 0x202A && cp <= 0x202E) || /* bidirectional embeddings and overrides */
           (cp >= 0x2066 && cp <= 0x2069) || /* bidirectional isolates */
           cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

int text_check(const char *label, const char *text, enum text_kind kind, struct outcome *o)
{
    static const size_t max[] = {TEXT_NAME_MAX, TEXT_LINE_MAX, TEXT_NOTE_MAX};
    if (!text)
        return 0;
    size_t len = strlen(text), chars = 0, n;
    if (!utf8_valid(text, len, false)) {
        return failed(o, OUT_INVALID, "“%s”含有无效的字符编码（不是 UTF-8 文字）", label);
    }
    for (size_t i = 0; i < len; i += n) {
        unsigned cp;
        n = utf8_decode(text + i, len - i, &cp);
        chars++;
        bool prose = kind == TEXT_NOTE && (cp == '\t' || cp == '\n' || cp == '\r');
        if ((cp < 0x20 && !prose) || cp == 0x7F) {
            return failed(o, OUT_INVALID, "“%s”含有控制字符（第 %zu 个字符%s），请删去", label,
                          chars, cp == '\n' || cp == '\r' ? "是换行，此项只能写一行" : "");
        }
        if (invisible(cp)) {
            return failed(o, OUT_INVALID,
                          "“%s”含有看不见的特殊字符（第 %zu 个字符，U+%04X），请删去", label, chars,
                          cp);
        }
    }
    if (chars > max[kind]) {
        return failed(o, OUT_INVALID, "“%s”太长：%zu 个字，至多 %zu 个字", label, chars, max[kind]);
    }
    return 0;
}

int text_check_all(const struct text_field *f, size_t n, struct outcome *o)
{
    for (size_t i = 0; i < n; i++) {
        bool first = o->kind == OUT_OK;
        if (text_check(f[i].label, f[i].text, f[i].kind, o) < 0) {
            if (first)
                o->field = f[i].field;
            return -1;
        }
    }
    return 0;
}
