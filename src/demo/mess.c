#include "util/common.h"

#include "demo/demo_internal.h"
#include "link/linker.h"

/*
 * What clerks do to IDs and names on the way into a spreadsheet. The rates of each list are at
 * the top of write.c; this file only knows the kinds of mistakes.
 */

void mess_id_typo(struct demo_rng *r, const char *id, char *out19)
{
    static const char alphabet[] = "0123456789X";
    memcpy(out19, id, 19);
    if (rng_below(r, 10) < 4) {
        /* two neighbours swapped, among the 17 digits (the check digit catches it) */
        for (int tries = 0; tries < 20; tries++) {
            uint32_t i = rng_below(r, 16);
            if (out19[i] != out19[i + 1]) {
                char t = out19[i];
                out19[i] = out19[i + 1];
                out19[i + 1] = t;
                return;
            }
        }
    }
    /* one character substituted; the birth digits and the sequence are hit most, as they are
     * the ones typed from a document rather than known by heart */
    uint32_t pos = rng_below(r, 4) ? 6 + rng_below(r, 12) : rng_below(r, 18);
    size_t nalpha = pos == 17 ? 11 : 10;
    char c;
    do {
        c = alphabet[rng_below(r, (uint32_t)nalpha)];
    } while (c == out19[pos]);
    out19[pos] = c;
}

void mess_id_cell(struct demo_rng *r, const char *id, struct buf *out, uint32_t lower_x_ppm,
                  uint32_t fullwidth_ppm, uint32_t space_ppm, uint32_t apostrophe_ppm)
{
    size_t len = strlen(id);
    bool lower = len == 18 && id[17] == 'X' && rng_ppm(r, lower_x_ppm);
    bool full = rng_ppm(r, fullwidth_ppm);
    int space = rng_ppm(r, space_ppm) ? 1 + (int)rng_below(r, 3) : 0;

    if (apostrophe_ppm && rng_ppm(r, apostrophe_ppm))
        buf_addch(out, '\'');
    if (space == 1)
        buf_addch(out, ' ');
    for (size_t i = 0; i < len; i++) {
        char c = id[i];
        if (space == 2 && (i == 6 || i == 14))
            buf_addch(out, ' '); /* 140521 20150304 0013 */
        if (c == 'X' && lower)
            c = 'x';
        if (full && c >= '0' && c <= '9') {
            /* U+FF10..U+FF19 */
            char fw[3] = {(char)0xef, (char)0xbc, (char)(0x90 + (c - '0'))};
            buf_add(out, fw, 3);
        } else if (full && (c == 'X' || c == 'x')) {
            buf_adds(out, c == 'X' ? "Ｘ" : "ｘ");
        } else {
            buf_addch(out, c);
        }
    }
    if (space == 3)
        buf_addch(out, ' ');
}

static const char *const dot_variants[] = {".", "•", "・", "．", " · "};

void mess_name(struct demo_rng *r, const char *name, size_t len, struct buf *out,
               const struct name_rates *k, enum name_mistake force)
{
    struct buf tmp = BUF_INIT;
    const char *dot = memmem(name, len, "·", 2);
    size_t start = out->len;

    if (dot) {
        /* a Uyghur name: the middle dot is typed as whatever the keyboard offers */
        if (rng_below(r, 10) < 4) {
            buf_add(out, name, (size_t)(dot - name));
            buf_adds(out, dot_variants[rng_below(r, ARRAY_SIZE(dot_variants))]);
            buf_add(out, dot + 2, len - (size_t)(dot - name) - 2);
        } else {
            buf_add(out, name, len);
        }
        return;
    }
    enum name_mistake mistake = force;
    if (mistake == NAME_DRAW) {
        uint32_t u = rng_below(r, 1000000);
        if (u < k->homophone)
            mistake = NAME_HOMOPHONE;
        else if ((u -= k->homophone) < k->traditional)
            mistake = NAME_TRADITIONAL;
        else if ((u -= k->traditional) < k->similar)
            mistake = NAME_SIMILAR;
    }
    switch (mistake) {
    case NAME_HOMOPHONE:
        if (!names_homophone(r, name, len, &tmp) && force != NAME_DRAW) {
            /* a combined error must change the name: no homophone, then a traditional form */
            buf_reset(&tmp);
            names_traditional(name, len, &tmp);
        }
        buf_add(out, tmp.buf, tmp.len);
        break;
    case NAME_TRADITIONAL:
        if (!names_traditional(name, len, &tmp)) {
            buf_reset(&tmp);
            names_homophone(r, name, len, &tmp);
        }
        buf_add(out, tmp.buf, tmp.len);
        break;
    case NAME_SIMILAR:
        names_similar(r, name, len, out);
        break;
    default:
        buf_add(out, name, len);
        break;
    }
    if (rng_ppm(r, k->space)) {
        /* "张 三", "张　三" (ideographic space) or a trailing space */
        size_t nlen = out->len - start;
        buf_reset(&tmp);
        buf_add(&tmp, out->buf + start, nlen);
        buf_setlen(out, start);
        uint32_t kind = rng_below(r, 3);
        if (kind < 2 && nlen > 3) {
            buf_add(out, tmp.buf, 3);
            buf_adds(out, kind == 0 ? " " : "　");
            buf_add(out, tmp.buf + 3, nlen - 3);
        } else {
            buf_add(out, tmp.buf, nlen);
            buf_addch(out, ' ');
        }
    }
    buf_release(&tmp);
}

const char *const demo_mistake_keys[] = {"", "homophone", "traditional", "similar", ""};

void mess_id_slip(struct demo_rng *r, const char *id, const char *avoid, bool swap, char *out19)
{
    static const char alphabet[] = "0123456789X";
    for (int tries = 0; tries < 64; tries++) {
        memcpy(out19, id, 19);
        if (swap) {
            uint32_t i = rng_below(r, 16);
            if (out19[i] == out19[i + 1])
                continue;
            char t = out19[i];
            out19[i] = out19[i + 1];
            out19[i + 1] = t;
        } else {
            uint32_t pos = rng_below(r, 18);
            size_t nalpha = pos == 17 ? 11 : 10;
            char c;
            do {
                c = alphabet[rng_below(r, (uint32_t)nalpha)];
            } while (c == out19[pos]);
            out19[pos] = c;
        }
        if (!avoid || !id_one_typo(out19, avoid))
            return;
    }
    /* the twin's ID differs in one digit and the check: a slip in the region never lands there */
    memcpy(out19, id, 19);
    out19[0] = out19[0] == '1' ? '2' : '1';
}

/* Fifteen significant digits of the ID read as a number, rounded as a spreadsheet rounds. */
static uint64_t id_as_number(const char *id)
{
    uint64_t v = 0;
    for (int i = 0; i < 18; i++)
        v = v * 10 + (uint64_t)(id[i] - '0');
    return v;
}

void mess_id_number_text(const char *id, struct buf *out)
{
    char t[24];
    snprintf(t, sizeof(t), "%llu000", (unsigned long long)((id_as_number(id) + 500) / 1000));
    buf_adds(out, t);
}

double mess_id_number(const char *id)
{
    return (double)id_as_number(id);
}

void mess_id_broken(struct demo_rng *r, const char *id, struct buf *out)
{
    static const char *const remarks[] = {"无", "待补", "/", "见户口本", "未录入"};
    if (rng_below(r, 2))
        buf_add(out, id, 6 + rng_below(r, 8)); /* the first digits only */
    else
        buf_adds(out, remarks[rng_below(r, ARRAY_SIZE(remarks))]);
}
