/*
 * gen_hanzi: writes the C tables behind link/name.c (variant folding and toneless pinyin of
 * every CJK ideograph), so that baoxue itself needs neither OpenCC nor ICU at run time.
 *
 *   gen_hanzi OUT.c
 *
 * For each code point of the CJK blocks (unified ideographs and extensions A–H, compatibility
 * ideographs, Kangxi and supplementary radicals):
 *
 *   fold     NFKC (compatibility ideographs and radicals to their unified ideograph), then
 *            OpenCC t2s of the single character, repeated until it stops changing. Kept only
 *            when the result is one code point and differs, except for the few characters t2s
 *            merges that simplified Chinese still writes apart in names (乾 qián ≠ 干 gān).
 *   pinyin   ICU "Han-Latin" of the single character, tones removed, ü kept (吕 lü ≠ 卢 lu);
 *            a folded character takes the reading of its simplified form.
 *   surname  ICU "Han-Latin/Names" of the single character, then the overrides below.
 *            (Not "Latin-ASCII; Lower": that turns ü into u.)
 *
 * Syllables are numbered from 1 in strcmp order, so the runtime can search them. The output
 * depends only on the OpenCC and ICU data: the same input always gives the same bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <opencc.h>
#include <unicode/uclean.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

#define MAX_CP       0x323B0
#define BMP_LO       0x3400 /* the direct-indexed block: extension A and the URO */
#define BMP_HI       0xA000
#define MAX_SYL      2048
#define MAX_SYL_TEXT 16

static const struct {
    uint32_t lo, hi;
} ranges[] = {
    {0x2E80, 0x2FDF},   /* CJK radicals supplement, Kangxi radicals */
    {0x3400, 0x4DBF},   /* extension A */
    {0x4E00, 0x9FFF},   /* unified ideographs */
    {0xF900, 0xFAFF},   /* compatibility ideographs */
    {0x20000, 0x2FA1F}, /* extensions B–F, compatibility supplement */
    {0x30000, 0x323AF}, /* extensions G, H */
};

/*
 * Surname readings ICU's Names variant lacks or gets wrong for the family name, as a clerk
 * reads them (the toneless syllable). Applied to the character and to every traditional or
 * variant form that folds to it (單 shan like 单). Readings that only hold inside a compound
 * surname (万俟 mò qí, 尉迟 yù chí, 长孙 zhǎng sūn) are in link/name.c, not here.
 */
static const struct {
    const char *hanzi;
    const char *py;
} surname_override[] = {
    {"单", "shan"},  {"曾", "zeng"},  {"解", "xie"},   {"仇", "qiu"},   {"区", "ou"},
    {"朴", "piao"},  {"查", "zha"},   {"盖", "ge"},    {"缪", "miao"},  {"翟", "zhai"},
    {"覃", "qin"},   {"乐", "yue"},   {"尉", "wei"},   {"朝", "chao"},  {"召", "shao"},
    {"种", "chong"}, {"秘", "bi"},    {"长", "chang"}, {"万", "wan"},   {"繁", "po"},
    {"员", "yun"},   {"句", "gou"},   {"阚", "kan"},   {"隗", "wei"},   {"蕃", "pi"},
    {"过", "guo"},   {"重", "chong"}, {"折", "she"},   {"眭", "sui"},   {"冼", "xian"},
    {"莘", "shen"},  {"逄", "pang"},  {"谌", "chen"},  {"柏", "bai"},   {"宓", "mi"},
    {"褚", "chu"},   {"沈", "shen"},  {"郇", "xun"},   {"殷", "yin"},   {"任", "ren"},
    {"臧", "zang"},  {"薄", "bo"},    {"祭", "zhai"},  {"那", "na"},    {"都", "du"},
    {"能", "nai"},   {"应", "ying"},  {"燕", "yan"},   {"纪", "ji"},    {"华", "hua"},
    {"贲", "ben"},   {"费", "fei"},   {"车", "che"},   {"卜", "bu"},    {"石", "shi"},
    {"叶", "ye"},    {"穆", "mu"},    {"阿", "a"},     {"藏", "zang"},  {"佘", "she"},
    {"厍", "she"},   {"寻", "xun"},   {"相", "xiang"}, {"上", "shang"}, {"胥", "xu"},
    {"瞿", "qu"},
};

/*
 * Characters t2s merges into another that simplified Chinese still writes apart in names
 * (通用规范汉字表 keeps them): 乾 qián is not 干 gān, the surname 於 is not the surname 于,
 * the surname 氾 is not 泛.
 */
static const char *const kept_apart_list[] = {"乾", "於", "氾"};

static char syl[MAX_SYL][MAX_SYL_TEXT];
static int nsyl;
static int16_t *py_of;  /* syllable index into syl[] (unsorted), -1 none */
static int16_t *sur_of; /* surname reading, -1 none */
static uint32_t *fold_of;

static UTransliterator *han_latin, *han_latin_names;
static const UNormalizer2 *nfd, *nfkc;
static opencc_t t2s;

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "gen_hanzi: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static size_t utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The single code point UTF-8 text s holds, or 0 when it holds none or several. */
static uint32_t utf8_single(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    uint32_t cp;

    if (n == 1 && p[0] < 0x80)
        return p[0];
    if (n == 2 && (p[0] & 0xE0) == 0xC0)
        cp = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3Fu);
    else if (n == 3 && (p[0] & 0xF0) == 0xE0)
        cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3Fu);
    else if (n == 4 && (p[0] & 0xF8) == 0xF0)
        cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
             (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3Fu);
    else
        return 0;
    return cp;
}

static int32_t uchars_put(UChar *u, uint32_t cp)
{
    if (cp < 0x10000) {
        u[0] = (UChar)cp;
        return 1;
    }
    u[0] = (UChar)(0xD800 + ((cp - 0x10000) >> 10));
    u[1] = (UChar)(0xDC00 + ((cp - 0x10000) & 0x3FF));
    return 2;
}

static uint32_t uchars_single(const UChar *u, int32_t n)
{
    if (n == 1 && (u[0] < 0xD800 || u[0] > 0xDFFF))
        return u[0];
    if (n == 2 && u[0] >= 0xD800 && u[0] < 0xDC00 && u[1] >= 0xDC00 && u[1] < 0xE000)
        return 0x10000 + (((uint32_t)u[0] - 0xD800) << 10) + ((uint32_t)u[1] - 0xDC00);
    return 0;
}

static int syllable_index(const char *s)
{
    for (int i = 0; i < nsyl; i++)
        if (!strcmp(syl[i], s))
            return i;
    if (nsyl == MAX_SYL)
        die("too many syllables", NULL);
    snprintf(syl[nsyl], MAX_SYL_TEXT, "%s", s);
    return nsyl++;
}

/*
 * The toneless reading of cp by transliterator t, as an index into syl[], or -1 when the
 * transliterator has no reading (it leaves the ideograph as it is) or gives more than one
 * syllable. Tones are combining marks after NFD; a diaeresis on u stays, as ü.
 */
static int reading(UTransliterator *t, uint32_t cp)
{
    UChar buf[64], dec[64];
    int32_t len, limit, dlen;
    UErrorCode st = U_ZERO_ERROR;
    char out[MAX_SYL_TEXT];
    size_t o = 0;

    len = uchars_put(buf, cp);
    limit = len;
    utrans_transUChars(t, buf, &len, (int32_t)(sizeof(buf) / sizeof(buf[0])), 0, &limit, &st);
    if (U_FAILURE(st))
        die("utrans_transUChars", u_errorName(st));
    dlen = unorm2_normalize(nfd, buf, len, dec, (int32_t)(sizeof(dec) / sizeof(dec[0])), &st);
    if (U_FAILURE(st))
        die("unorm2_normalize", u_errorName(st));
    for (int32_t i = 0; i < dlen; i++) {
        UChar c = dec[i];
        if (c == 0x0308 && o && out[o - 1] == 'u') {
            o--;
            if (o + 2 >= sizeof(out))
                return -1;
            out[o++] = (char)0xC3; /* ü */
            out[o++] = (char)0xBC;
        } else if (c >= 0x0300 && c <= 0x036F) {
            continue; /* tone marks */
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            if (o + 1 >= sizeof(out))
                return -1;
            out[o++] = (char)(c | 0x20);
        } else {
            return -1; /* untransliterated ideograph, several syllables, punctuation */
        }
    }
    if (!o)
        return -1;
    out[o] = '\0';
    return syllable_index(out);
}

/* t2s of one code point: the single code point OpenCC gives, or cp itself. */
static uint32_t opencc_one(uint32_t cp)
{
    char in[8];
    size_t n = utf8_put(in, cp);
    char *res;
    uint32_t r;

    in[n] = '\0';
    res = opencc_convert_utf8(t2s, in, n);
    if (!res)
        die("opencc_convert_utf8", opencc_error());
    r = utf8_single(res);
    opencc_convert_utf8_free(res);
    return r ? r : cp;
}

static uint32_t nfkc_one(uint32_t cp)
{
    UChar in[2], out[8];
    int32_t n = uchars_put(in, cp), m;
    UErrorCode st = U_ZERO_ERROR;
    uint32_t r;

    m = unorm2_normalize(nfkc, in, n, out, 8, &st);
    if (U_FAILURE(st))
        return cp;
    r = uchars_single(out, m);
    return r ? r : cp;
}

static bool in_ranges(uint32_t cp)
{
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
        if (cp >= ranges[i].lo && cp <= ranges[i].hi)
            return true;
    return false;
}

/* The one code point of a short UTF-8 literal of the override table. */
static uint32_t literal_cp(const char *s)
{
    uint32_t cp = utf8_single(s);
    if (!cp)
        die("override is not one character", s);
    return cp;
}

static bool kept_apart(uint32_t cp)
{
    for (size_t i = 0; i < sizeof(kept_apart_list) / sizeof(kept_apart_list[0]); i++)
        if (literal_cp(kept_apart_list[i]) == cp)
            return true;
    return false;
}

static int cmp_syl_index(const void *a, const void *b)
{
    return strcmp(syl[*(const int *)a], syl[*(const int *)b]);
}

static void compute(void)
{
    py_of = xcalloc(MAX_CP, sizeof(*py_of));
    sur_of = xcalloc(MAX_CP, sizeof(*sur_of));
    fold_of = xcalloc(MAX_CP, sizeof(*fold_of));

    for (uint32_t cp = 0; cp < MAX_CP; cp++) {
        py_of[cp] = sur_of[cp] = -1;
        fold_of[cp] = cp;
    }
    for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
        for (uint32_t cp = ranges[r].lo; cp <= ranges[r].hi; cp++) {
            py_of[cp] = (int16_t)reading(han_latin, cp);
            sur_of[cp] = (int16_t)reading(han_latin_names, cp);
        }
    }
    for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
        for (uint32_t cp = ranges[r].lo; cp <= ranges[r].hi; cp++) {
            uint32_t f = nfkc_one(cp), prev;
            int guard = 0;

            do {
                prev = f;
                f = opencc_one(f);
            } while (f != prev && ++guard < 4);
            if (f == cp || !in_ranges(f) || f >= MAX_CP || kept_apart(cp))
                continue;
            fold_of[cp] = f;
        }
    }
    /* a character reads as what it folds to, so that names equal after folding are equal in
     * pinyin too (ICU reads some traditional forms differently: 誰 shui, 谁 shei); ICU's own
     * reading stays where the folded form has none */
    for (uint32_t cp = 0; cp < MAX_CP; cp++) {
        uint32_t f = fold_of[cp];
        if (f == cp)
            continue;
        if (py_of[f] >= 0)
            py_of[cp] = py_of[f];
        if (sur_of[f] >= 0)
            sur_of[cp] = sur_of[f];
    }
    for (size_t i = 0; i < sizeof(surname_override) / sizeof(surname_override[0]); i++) {
        uint32_t s = literal_cp(surname_override[i].hanzi);
        int16_t id = (int16_t)syllable_index(surname_override[i].py);
        for (uint32_t cp = 0; cp < MAX_CP; cp++)
            if (cp == s || fold_of[cp] == s)
                sur_of[cp] = id;
    }
}

static FILE *out;

static void emit_u16_list(const char *name, const uint16_t *v, size_t n)
{
    fprintf(out, "const uint16_t %s[%zu] = {", name, n);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%u,", i % 24 ? "" : "\n", v[i]);
    fprintf(out, "\n};\n");
}

static void emit_u32_list(const char *name, const uint32_t *v, size_t n)
{
    fprintf(out, "const uint32_t %s[%zu] = {", name, n);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s0x%X,", i % 12 ? "" : "\n", v[i]);
    fprintf(out, "\n};\n");
}

int main(int argc, char **argv)
{
    UErrorCode st = U_ZERO_ERROR;
    UVersionInfo icu;
    char icu_version[U_MAX_VERSION_STRING_LENGTH];
    int order[MAX_SYL], id_of_index[MAX_SYL];
    uint16_t *bmp, *sv_id, *py_id;
    uint32_t *sv_cp, *py_cp, *fold_from, *fold_to;
    size_t nbmp = BMP_HI - BMP_LO, npy = 0, nsv = 0, nfold = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: gen_hanzi OUT.c\n");
        return 2;
    }
    t2s = opencc_open("t2s.json");
    if (t2s == (opencc_t)-1)
        die("cannot open OpenCC t2s.json", opencc_error());
    han_latin = utrans_openU(u"Han-Latin", -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    han_latin_names = utrans_openU(u"Han-Latin/Names", -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    nfd = unorm2_getNFDInstance(&st);
    nfkc = unorm2_getNFKCInstance(&st);
    if (U_FAILURE(st))
        die("ICU", u_errorName(st));

    compute();

    /* syllable ids in strcmp order, 1-based */
    for (int i = 0; i < nsyl; i++)
        order[i] = i;
    qsort(order, (size_t)nsyl, sizeof(order[0]), cmp_syl_index);
    for (int i = 0; i < nsyl; i++)
        id_of_index[order[i]] = i + 1;

    bmp = xcalloc(nbmp, sizeof(*bmp));
    py_cp = xcalloc(MAX_CP, sizeof(*py_cp));
    py_id = xcalloc(MAX_CP, sizeof(*py_id));
    sv_cp = xcalloc(MAX_CP, sizeof(*sv_cp));
    sv_id = xcalloc(MAX_CP, sizeof(*sv_id));
    fold_from = xcalloc(MAX_CP, sizeof(*fold_from));
    fold_to = xcalloc(MAX_CP, sizeof(*fold_to));
    for (uint32_t cp = 0; cp < MAX_CP; cp++) {
        uint16_t p = py_of[cp] < 0 ? 0 : (uint16_t)id_of_index[py_of[cp]];
        uint16_t s = sur_of[cp] < 0 ? 0 : (uint16_t)id_of_index[sur_of[cp]];

        if (cp >= BMP_LO && cp < BMP_HI) {
            bmp[cp - BMP_LO] = p;
        } else if (p) {
            py_cp[npy] = cp;
            py_id[npy++] = p;
        }
        if (s && s != p) {
            sv_cp[nsv] = cp;
            sv_id[nsv++] = s;
        }
        if (fold_of[cp] != cp) {
            fold_from[nfold] = cp;
            fold_to[nfold++] = fold_of[cp];
        }
    }

    out = fopen(argv[1], "w");
    if (!out)
        die("cannot write", argv[1]);
    u_getVersion(icu);
    u_versionToString(icu, icu_version);
    fprintf(out,
            "/* Generated by tools/gen_hanzi.c from OpenCC t2s.json and ICU %s Han-Latin and\n"
            " * Han-Latin/Names. Do not edit. */\n"
            "#include <stddef.h>\n#include <stdint.h>\n\n"
            "#define HZ_BMP_LO 0x%X\n#define HZ_BMP_HI 0x%X\n",
            icu_version, BMP_LO, BMP_HI);
    /* the declarations link/name.c repeats, so a mismatch is a compile error here */
    fprintf(out, "extern const char *const hz_syllables[];\nextern const size_t hz_nsyllables;\n"
                 "extern const uint16_t hz_py_bmp[HZ_BMP_HI - HZ_BMP_LO];\n"
                 "extern const uint32_t hz_py_cp[];\nextern const uint16_t hz_py_id[];\n"
                 "extern const size_t hz_npy;\n"
                 "extern const uint32_t hz_surname_cp[];\nextern const uint16_t hz_surname_id[];\n"
                 "extern const size_t hz_nsurname;\n"
                 "extern const uint32_t hz_fold_from[];\nextern const uint32_t hz_fold_to[];\n"
                 "extern const size_t hz_nfold;\n\n");

    fprintf(out, "const char *const hz_syllables[%d] = {\"\",", nsyl + 1);
    for (int i = 0; i < nsyl; i++)
        fprintf(out, "%s\"%s\",", i % 10 ? "" : "\n", syl[order[i]]);
    fprintf(out, "\n};\nconst size_t hz_nsyllables = %d;\n\n", nsyl);

    emit_u16_list("hz_py_bmp", bmp, nbmp);
    emit_u32_list("hz_py_cp", py_cp, npy);
    emit_u16_list("hz_py_id", py_id, npy);
    fprintf(out, "const size_t hz_npy = %zu;\n\n", npy);
    emit_u32_list("hz_surname_cp", sv_cp, nsv);
    emit_u16_list("hz_surname_id", sv_id, nsv);
    fprintf(out, "const size_t hz_nsurname = %zu;\n\n", nsv);
    emit_u32_list("hz_fold_from", fold_from, nfold);
    emit_u32_list("hz_fold_to", fold_to, nfold);
    fprintf(out, "const size_t hz_nfold = %zu;\n", nfold);
    if (fclose(out))
        die("cannot write", argv[1]);

    fprintf(stderr,
            "gen_hanzi: %d syllables, %zu BMP readings, %zu other readings, %zu surname "
            "readings, %zu folds\n",
            nsyl, nbmp, npy, nsv, nfold);

    opencc_close(t2s);
    utrans_close(han_latin);
    utrans_close(han_latin_names);
    u_cleanup();
    free(py_of);
    free(sur_of);
    free(fold_of);
    free(bmp);
    free(py_cp);
    free(py_id);
    free(sv_cp);
    free(sv_id);
    free(fold_from);
    free(fold_to);
    return 0;
}
