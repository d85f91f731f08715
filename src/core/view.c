#include "core/view.h"

#include "core/date.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "util/common.h"

void view_id(const struct view *v, const char *id, char out[VIEW_ID_SIZE])
{
    size_t n = strlen(id);
    if (v->full || !n)
        snprintf(out, VIEW_ID_SIZE, "%s", id);
    else if (n == 18)
        id_mask(id, out);
    else /* a cut or mangled number still carries birth digits: none of it is shown */
        snprintf(out, VIEW_ID_SIZE, "%s", "（身份证号不完整）");
}

void view_phone(const struct view *v, const char *phone, struct buf *out)
{
    size_t n = strlen(phone);
    if (view_contact(v)) {
        buf_adds(out, phone);
    } else if (n < 7) {
        buf_addchars(out, '*', n);
    } else {
        buf_add(out, phone, 3);
        buf_addchars(out, '*', n - 7);
        buf_add(out, phone + n - 4, 4);
    }
}

const char *view_birth(const struct view *v, const char *birth)
{
    return v->full ? birth : NULL;
}

int view_age(const struct view *v, const char *birth)
{
    int ymd;
    if (!v->cutoff || !birth || !*birth || date_parse(birth, strlen(birth), &ymd) < 0)
        return -1;
    int age = age_on(ymd, v->cutoff);
    return age < 0 ? 0 : age; /* born after the cutoff: 0, as the cross-check counts it */
}

void view_age_text(const struct view *v, int age, struct buf *out)
{
    char on[24];
    if (age < 0 || !v->cutoff) {
        buf_adds(out, "年龄不明");
        return;
    }
    date_format_cn(v->cutoff, on, sizeof(on));
    buf_addf(out, "截至%s %d 周岁", on, age);
}

void view_birth_text(const struct view *v, const char *birth, struct buf *out)
{
    if (v->full)
        buf_addf(out, "出生 %s", birth && *birth ? birth : "日期不明");
    else
        view_age_text(v, view_age(v, birth), out);
}

void view_note(const struct view *v, bool phones, struct buf *out)
{
    char on[24] = "";
    if (v->cutoff)
        date_format_cn(v->cutoff, on, sizeof(on));
    size_t start = out->len;
    if (!v->full)
        buf_addf(out, "身份证号%s已遮盖，不列出生日期", phones ? "和电话" : "");
    if (*on)
        buf_addf(out, "%s年龄为截至%s的周岁", out->len > start ? "；" : "", on);
    if (out->len > start)
        buf_adds(out, "。");
}

/* Digits (ASCII or full-width) as '*', everything else as it is. */
static void star_digits(const char *t, size_t len, struct buf *out)
{
    for (size_t i = 0; i < len; i++) {
        const unsigned char *u = (const unsigned char *)t + i;
        if (*u >= '0' && *u <= '9') {
            buf_addch(out, '*');
        } else if (i + 2 < len && u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
            buf_addch(out, '*'); /* ０-９ */
            i += 2;
        } else {
            buf_addch(out, (char)*u);
        }
    }
}

void view_cell(const char *t, size_t len, bool birth, struct buf *out)
{
    size_t digits = 0, dots = 0;
    while (digits < len && t[digits] >= '0' && t[digits] <= '9')
        digits++;
    for (size_t i = 0; i < len; i++)
        dots += t[i] == '.';
    /* 42067.0 or 12.5: a number (a serial date only in the birth column) */
    bool number = digits == len || (dots == 1 && strspn(t, "0123456789.") == len);
    struct resident_id rid = {.id = ""};
    if (len <= 96) /* full-width digits, spaces, a small x: as the import would read it */
        id_normalize(t, len, &rid);
    int ymd;
    if (rid.id[0]) {
        char m[VIEW_ID_SIZE];
        id_mask(rid.id, m);
        buf_adds(out, m);
    } else if (len == 11 && digits == 11 && t[0] == '1') {
        buf_add(out, t, 3);
        buf_addchars(out, '*', 4);
        buf_add(out, t + 7, 4);
    } else if (birth || (date_parse(t, len, &ymd) == 0 && (!number || len == 8))) {
        /* a written date, or the 8 digits of 20150304 */
        star_digits(t, len, out);
    } else {
        buf_add(out, t, len);
    }
}

bool view_search_is_id(const char *q)
{
    struct resident_id rid;
    id_normalize(q, strlen(q), &rid);
    return rid.id[0] != '\0';
}

bool view_search_last4(const char *q, char out[5])
{
    size_t n = strlen(q);
    if (n != 4)
        return false;
    for (size_t i = 0; i < 4; i++) {
        char c = q[i];
        if (c == 'x')
            c = 'X';
        if (!((c >= '0' && c <= '9') || (c == 'X' && i == 3)))
            return false;
        out[i] = c;
    }
    out[4] = '\0';
    return true;
}
