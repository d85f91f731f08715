#include "link/keys.h"

#include "util/common.h"

#define KEYS_MAGIC "BXK2" /* 2: the population register's places */

void batch_keys_init(struct batch_keys *k)
{
    memset(k, 0, sizeof(*k));
    buf_init(&k->names, 0);
    intern_init(&k->schools);
    intern_add(&k->schools, ""); /* school 0 is "no school" */
}

void batch_keys_release(struct batch_keys *k)
{
    free(k->key);
    free(k->id_flags);
    free(k->birth);
    free(k->sex);
    free(k->status);
    free(k->grade);
    free(k->name);
    free(k->school);
    buf_release(&k->names);
    intern_release(&k->schools);
    memset(k, 0, sizeof(*k));
}

static void grow(struct batch_keys *k, size_t want)
{
    if (want <= k->alloc)
        return;
    size_t a = k->alloc ? k->alloc : 1024;
    while (a < want)
        a += a / 2;
    k->key = xreallocarray(k->key, a, sizeof(*k->key));
    k->id_flags = xreallocarray(k->id_flags, a, 1);
    k->birth = xreallocarray(k->birth, a, sizeof(*k->birth));
    k->sex = xreallocarray(k->sex, a, 1);
    k->status = xreallocarray(k->status, a, 1);
    k->grade = xreallocarray(k->grade, a, 1);
    k->name = xreallocarray(k->name, a, sizeof(*k->name));
    k->school = xreallocarray(k->school, a, sizeof(*k->school));
    k->alloc = a;
}

void batch_keys_add(struct batch_keys *k, uint64_t key, int id_flags, const char *name, int birth,
                    int sex, int status, int grade, const char *school)
{
    grow(k, k->n + 1);
    size_t i = k->n++;
    k->key[i] = key;
    k->id_flags[i] = (uint8_t)id_flags;
    k->birth[i] = birth;
    k->sex[i] = (uint8_t)sex;
    k->status[i] = (uint8_t)status;
    k->grade[i] = (uint8_t)(grade > 0 && grade < 256 ? grade : 0);
    k->name[i] = (uint32_t)k->names.len;
    buf_adds(&k->names, name);
    buf_addch(&k->names, '\0');
    k->school[i] = intern_add(&k->schools, school);
}

void keys_place(struct buf *out, const char *township_code, const char *township)
{
    buf_reset(out);
    buf_adds(out, township_code ? township_code : "");
    buf_addch(out, '\t');
    buf_adds(out, township ? township : "");
}

/* Layout: magic, then u64 n, i64 first_id, u64 names_len, u64 nschools, u64 schools_len, then
 * the arrays in the order of the struct, then the two texts. Native byte order: the blob is a
 * cache of this machine's own import, re-derivable from the records. */
void batch_keys_encode(const struct batch_keys *k, struct buf *out)
{
    uint64_t hdr[5] = {k->n, (uint64_t)k->first_id, k->names.len, k->schools.n,
                       k->schools.text.len};
    buf_reset(out);
    buf_add(out, KEYS_MAGIC, 4);
    buf_add(out, hdr, sizeof(hdr));
    buf_add(out, k->key, k->n * sizeof(*k->key));
    buf_add(out, k->id_flags, k->n);
    buf_add(out, k->birth, k->n * sizeof(*k->birth));
    buf_add(out, k->sex, k->n);
    buf_add(out, k->status, k->n);
    buf_add(out, k->grade, k->n);
    buf_add(out, k->name, k->n * sizeof(*k->name));
    buf_add(out, k->school, k->n * sizeof(*k->school));
    buf_add(out, k->schools.off, k->schools.n * sizeof(*k->schools.off));
    buf_add(out, k->names.buf, k->names.len);
    buf_add(out, k->schools.text.buf, k->schools.text.len);
}

static int take(const char **p, const char *end, void *dst, size_t len)
{
    if ((size_t)(end - *p) < len)
        return -1;
    memcpy(dst, *p, len);
    *p += len;
    return 0;
}

int batch_keys_decode(struct batch_keys *k, const void *data, size_t len)
{
    const char *p = data, *end = p + len;
    uint64_t hdr[5];
    batch_keys_release(k);
    batch_keys_init(k);
    if (len < 4 + sizeof(hdr) || memcmp(p, KEYS_MAGIC, 4))
        return -1;
    p += 4;
    take(&p, end, hdr, sizeof(hdr));
    uint64_t n = hdr[0], names_len = hdr[2], nschools = hdr[3], schools_len = hdr[4];
    /* every count must fit in what is left before anything is allocated for it */
    uint64_t left = (uint64_t)(end - p);
    if (n > left || nschools > left || names_len > left || schools_len > left)
        return -1;
    uint64_t need = n * (8 + 1 + 4 + 1 + 1 + 1 + 4 + 4) + nschools * 4 + names_len + schools_len;
    if (n > (uint64_t)1 << 32 || nschools == 0 || nschools > n + 1 || need != (uint64_t)(end - p))
        return -1;
    grow(k, (size_t)n ? (size_t)n : 1);
    k->n = (size_t)n;
    k->first_id = (int64_t)hdr[1];
    /* the interned schools are read back as they were: text and offsets, no lookups needed */
    intern_release(&k->schools);
    k->schools.off = xmalloc((size_t)nschools * sizeof(uint32_t));
    k->schools.n = k->schools.alloc = (size_t)nschools;
    if (take(&p, end, k->key, n * 8) || take(&p, end, k->id_flags, n) ||
        take(&p, end, k->birth, n * 4) || take(&p, end, k->sex, n) || take(&p, end, k->status, n) ||
        take(&p, end, k->grade, n) || take(&p, end, k->name, n * 4) ||
        take(&p, end, k->school, n * 4) || take(&p, end, k->schools.off, nschools * 4))
        return -1;
    buf_reset(&k->names);
    buf_add(&k->names, p, (size_t)names_len);
    p += names_len;
    buf_add(&k->schools.text, p, (size_t)schools_len);
    /* offsets must stay inside their texts, and texts end in NUL */
    if ((names_len && k->names.buf[names_len - 1]) || !schools_len ||
        k->schools.text.buf[schools_len - 1])
        return -1;
    for (size_t i = 0; i < k->n; i++)
        if (k->name[i] >= names_len || k->school[i] >= nschools)
            return -1;
    for (size_t i = 0; i < k->schools.n; i++)
        if (k->schools.off[i] >= schools_len)
            return -1;
    return 0;
}
