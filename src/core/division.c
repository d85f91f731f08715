#include "core/division.h"
#include "util/common.h"
#include "util/utf8.h"

#include <pthread.h>

/* Tables embedded by division_data.S. */
extern const char baoxue_provinces_csv_start[], baoxue_provinces_csv_end[];
extern const char baoxue_cities_csv_start[], baoxue_cities_csv_end[];
extern const char baoxue_areas_csv_start[], baoxue_areas_csv_end[];
extern const char baoxue_streets_csv_start[], baoxue_streets_csv_end[];

struct named {
    int code;
    const char *name;
};

struct county {
    int code; /* 6 digits */
    int city; /* 4 digits */
    int province;
    const char *name;
    size_t town_first, town_n; /* slice of `townships` */
};

static struct {
    struct named *provinces, *cities;
    size_t nr_provinces, nr_cities;
    struct county *counties;
    size_t nr_counties;
    struct township *townships;
    size_t nr_townships;
    char *names; /* every name, NUL-terminated, one after another */
    size_t names_len, names_alloc;
} divs;

static pthread_once_t div_once = PTHREAD_ONCE_INIT;

#define CSV_MAX_FIELDS 5

/*
 * Split one CSV record at *p (up to `end`) into fields: quoted fields lose their quotes ("" is
 * an escaped quote) and are copied into the name store; unquoted ones too. Returns the number
 * of fields, 0 at the end of the text. Field texts are offsets into divs.names.
 */
static size_t csv_record(const char **p, const char *end, size_t *field)
{
    const char *s = *p;
    size_t nf = 0;

    if (s >= end)
        return 0;
    for (;;) {
        bool quoted = s < end && *s == '"';
        size_t start = divs.names_len;

        if (quoted)
            s++;
        while (s < end) {
            if (quoted) {
                if (*s == '"') {
                    if (s + 1 < end && s[1] == '"') {
                        s++;
                    } else {
                        s++;
                        quoted = false;
                        continue;
                    }
                }
            } else if (*s == ',' || *s == '\n' || *s == '\r') {
                break;
            }
            /* the store is as large as all tables together, so it cannot overflow */
            divs.names[divs.names_len++] = *s++;
        }
        divs.names[divs.names_len++] = '\0';
        if (nf < CSV_MAX_FIELDS)
            field[nf++] = start;
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        break;
    }
    if (s < end && *s == '\r')
        s++;
    if (s < end && *s == '\n')
        s++;
    *p = s;
    return nf;
}

static int field_int(size_t off)
{
    return (int)strtol(divs.names + off, NULL, 10);
}

static void skip_header(const char **p, const char *end)
{
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    *p = nl ? nl + 1 : end;
}

static void load_named(const char *start, const char *end, struct named **out, size_t *nr)
{
    size_t f[CSV_MAX_FIELDS], alloc = 0;
    const char *p = start;

    skip_header(&p, end);
    while (p < end) {
        if (csv_record(&p, end, f) < 2)
            continue;
        ALLOC_GROW(*out, *nr + 1, alloc);
        (*out)[*nr].code = field_int(f[0]);
        (*out)[*nr].name = divs.names + f[1];
        (*nr)++;
    }
}

static int cmp_county(const void *a, const void *b)
{
    int x = ((const struct county *)a)->code, y = ((const struct county *)b)->code;
    return (x > y) - (x < y);
}

static int cmp_township(const void *a, const void *b)
{
    return strcmp(((const struct township *)a)->code, ((const struct township *)b)->code);
}

static struct county *county_by_code(int code);

static void division_load(void)
{
    size_t total = (size_t)(baoxue_provinces_csv_end - baoxue_provinces_csv_start) +
                   (size_t)(baoxue_cities_csv_end - baoxue_cities_csv_start) +
                   (size_t)(baoxue_areas_csv_end - baoxue_areas_csv_start) +
                   (size_t)(baoxue_streets_csv_end - baoxue_streets_csv_start);
    size_t f[CSV_MAX_FIELDS], alloc = 0, i;
    const char *p, *end;

    /* every byte of input yields at most one byte of output plus a NUL per field */
    divs.names_alloc = 2 * total + 16;
    divs.names = xmalloc(divs.names_alloc);

    load_named(baoxue_provinces_csv_start, baoxue_provinces_csv_end, &divs.provinces,
               &divs.nr_provinces);
    load_named(baoxue_cities_csv_start, baoxue_cities_csv_end, &divs.cities, &divs.nr_cities);

    p = baoxue_areas_csv_start;
    end = baoxue_areas_csv_end;
    skip_header(&p, end);
    while (p < end) {
        struct county *c;
        if (csv_record(&p, end, f) < 4)
            continue;
        ALLOC_GROW(divs.counties, divs.nr_counties + 1, alloc);
        c = &divs.counties[divs.nr_counties++];
        c->code = field_int(f[0]);
        c->name = divs.names + f[1];
        c->city = field_int(f[2]);
        c->province = field_int(f[3]);
        c->town_first = c->town_n = 0;
    }
    qsort(divs.counties, divs.nr_counties, sizeof(*divs.counties), cmp_county);

    alloc = 0;
    p = baoxue_streets_csv_start;
    end = baoxue_streets_csv_end;
    skip_header(&p, end);
    while (p < end) {
        struct township *t;
        const char *code;
        if (csv_record(&p, end, f) < 3)
            continue;
        code = divs.names + f[0];
        if (strlen(code) != 9)
            continue;
        ALLOC_GROW(divs.townships, divs.nr_townships + 1, alloc);
        t = &divs.townships[divs.nr_townships++];
        memcpy(t->code, code, 10);
        t->name = divs.names + f[1];
    }
    qsort(divs.townships, divs.nr_townships, sizeof(*divs.townships), cmp_township);

    /* a township code opens with its county code, so each county's townships are one run */
    for (i = 0; i < divs.nr_townships;) {
        size_t j = i + 1;
        struct county *c;
        while (j < divs.nr_townships && !memcmp(divs.townships[i].code, divs.townships[j].code, 6))
            j++;
        c = county_by_code((int)strtol(divs.townships[i].code, NULL, 10) / 1000);
        if (c) {
            c->town_first = i;
            c->town_n = j - i;
        }
        i = j;
    }
}

static void division_init(void)
{
    pthread_once(&div_once, division_load);
}

static struct county *county_by_code(int code)
{
    struct county key;
    key.code = code;
    return bsearch(&key, divs.counties, divs.nr_counties, sizeof(*divs.counties), cmp_county);
}

static const char *named_find(const struct named *t, size_t n, int code)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (t[i].code == code)
            return t[i].name;
    return NULL;
}

/* The first 6 characters as a county code (so a whole ID can be passed), or -1. */
static int parse_code6(const char *code6)
{
    int v = 0, i;

    if (!code6)
        return -1;
    for (i = 0; i < 6; i++) {
        if (code6[i] < '0' || code6[i] > '9')
            return -1;
        v = v * 10 + (code6[i] - '0');
    }
    return v;
}

static const struct county *county_find(const char *code6)
{
    int code = parse_code6(code6);
    if (code < 0)
        return NULL;
    division_init();
    return county_by_code(code);
}

const char *division_county_name(const char *code6)
{
    const struct county *c = county_find(code6);
    return c ? c->name : NULL;
}

bool division_county_known(const char *code6)
{
    return county_find(code6) != NULL;
}

/* City-level rows that are placeholders, not names to show. */
static bool city_is_placeholder(const char *name)
{
    return !strcmp(name, "市辖区") || !strcmp(name, "县") || strstr(name, "直辖县级行政区划");
}

bool division_county_fullname(const char *code6, char *out, size_t outlen)
{
    const struct county *c = county_find(code6);
    const char *prov, *city;
    struct buf b = BUF_INIT;
    bool ok = false;

    if (outlen)
        out[0] = '\0';
    if (!c)
        return false;
    prov = named_find(divs.provinces, divs.nr_provinces, c->province);
    city = named_find(divs.cities, divs.nr_cities, c->city);
    if (prov)
        buf_adds(&b, prov);
    if (city && !city_is_placeholder(city) && strcmp(city, c->name) &&
        (!prov || strcmp(city, prov)))
        buf_adds(&b, city);
    buf_adds(&b, c->name);
    if (b.len < outlen) {
        memcpy(out, b.buf, b.len + 1);
        ok = true;
    }
    buf_release(&b);
    return ok;
}

enum division_county_fit division_county_fit(const char *code, char *fullname, size_t size)
{
    size_t nt = 0;
    if (size)
        fullname[0] = '\0';
    if (strlen(code) != 6 || strspn(code, "0123456789") != 6 ||
        !division_county_fullname(code, fullname, size))
        return DIVISION_COUNTY_UNKNOWN;
    division_townships(code, &nt);
    return nt ? DIVISION_COUNTY_OK : DIVISION_COUNTY_NO_TOWNS;
}

bool division_area_name(const char *code, char *out, size_t outlen)
{
    size_t n = code ? strlen(code) : 0;
    if (outlen)
        out[0] = '\0';
    if ((n != 2 && n != 4) || strspn(code, "0123456789") != n)
        return false;
    division_init();
    int v = (int)strtol(code, NULL, 10);
    const char *prov = named_find(divs.provinces, divs.nr_provinces, n == 2 ? v : v / 100);
    const char *city = n == 4 ? named_find(divs.cities, divs.nr_cities, v) : NULL;
    if (!prov || (n == 4 && !city))
        return false;
    if (city && (city_is_placeholder(city) || !strcmp(city, prov)))
        city = NULL;
    return snprintf(out, outlen, "%s%s", prov, city ? city : "") < (int)outlen;
}

const struct township *division_townships(const char *county6, size_t *n)
{
    const struct county *c = county_find(county6);

    *n = 0;
    if (!c || !c->town_n)
        return NULL;
    *n = c->town_n;
    return divs.townships + c->town_first;
}

static const char *const township_suffixes[] = {"街道办事处", "办事处", "街道", "镇", "乡"};

/* Length of `name` without its administrative suffix. */
static size_t township_stem_len(const char *name)
{
    size_t n = strlen(name), i;

    for (i = 0; i < ARRAY_SIZE(township_suffixes); i++) {
        size_t k = strlen(township_suffixes[i]);
        if (n > k && !strcmp(name + n - k, township_suffixes[i]))
            return n - k;
    }
    return n;
}

const struct township *division_find_township(const char *county6, const char *text)
{
    const struct township *t, *found = NULL;
    struct buf norm = BUF_INIT, key = BUF_INIT;
    size_t n, i, len;

    t = division_townships(county6, &n);
    if (!t || !text)
        return NULL;
    utf8_norm_text(&norm, text, strlen(text));
    for (i = 0; i < norm.len; i++)
        if (norm.buf[i] != ' ')
            buf_addch(&key, norm.buf[i]);
    len = key.len;
    if (!len)
        goto out;

    if (strspn(key.buf, "0123456789") == len) {
        char code[10];
        if (len == 3) {
            memcpy(code, t[0].code, 6);
            memcpy(code + 6, key.buf, 4);
        } else if (len == 9 || len == 12) { /* 12: a village code opens with its township */
            memcpy(code, key.buf, 9);
            code[9] = '\0';
        } else {
            goto out;
        }
        for (i = 0; i < n && !found; i++)
            if (!strcmp(t[i].code, code))
                found = &t[i];
        goto out;
    }
    for (i = 0; i < n && !found; i++)
        if (!strcmp(t[i].name, key.buf))
            found = &t[i];
    for (i = 0; i < n && !found; i++)
        if (township_stem_len(t[i].name) == len && !memcmp(t[i].name, key.buf, len))
            found = &t[i];
out:
    buf_release(&norm);
    buf_release(&key);
    return found;
}
