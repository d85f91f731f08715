#include "util/csvout.h"

#include "util/common.h"

static bool plain_number(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    return digits && i == len;
}

void csv_field(struct buf *out, const char *text, size_t len, bool first)
{
    if (!first)
        buf_addch(out, ',');
    if (!text)
        return;
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++)
        quote = text[i] == ',' || text[i] == '"' || text[i] == '\r' || text[i] == '\n';
    /* A leading = + - @ would make Excel run the cell as a formula (CSV injection); only a
     * plain negative number may start with '-'. */
    bool formula = len && (text[0] == '=' || text[0] == '+' || text[0] == '@' ||
                           (text[0] == '-' && len > 1 && !plain_number(text + 1, len - 1)));
    if (!quote && !formula) {
        buf_add(out, text, len);
        return;
    }
    buf_addch(out, '"');
    if (formula)
        buf_addch(out, '\'');
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            buf_addch(out, '"');
        buf_addch(out, text[i]);
    }
    buf_addch(out, '"');
}
