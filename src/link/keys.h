#ifndef BAOXUE_KEYS_H
#define BAOXUE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/intern.h"

/*
 * The linker's view of one imported batch, kept beside its records (table batch_keys) so that
 * a cross-check reads one blob instead of millions of rows through SQL: per record, in record
 * id order from first_id, the packed ID, its flags, the name key, birth date, sex, status,
 * grade and school. Built by the import as it writes the records; a batch without it (older,
 * or not contiguous) is read from the record table instead.
 */
struct batch_keys {
    size_t n, alloc;
    int64_t first_id;
    uint64_t *key;     /* id_pack of the normalised ID, 0 when none */
    uint8_t *id_flags; /* enum id_flag bits */
    int32_t *birth;    /* yyyymmdd, 0 unknown */
    uint8_t *sex;      /* 1, 2, 0 */
    uint8_t *status;   /* enum reg_status (population) or enum enroll_status (school lists) */
    uint8_t *grade;    /* 1..12, 0 unknown */
    uint32_t *name;    /* offset of the name key in names */
    uint32_t *school;  /* index into the schools (0: none); for the population register the
                        * child's place instead (keys_place) */
    struct buf names;
    struct intern schools; /* the school texts; index 0 is "" */
};

void batch_keys_init(struct batch_keys *k);
void batch_keys_release(struct batch_keys *k);
void batch_keys_add(struct batch_keys *k, uint64_t key, int id_flags, const char *name, int birth,
                    int sex, int status, int grade, const char *school);
static inline const char *batch_keys_name(const struct batch_keys *k, size_t i)
{
    return k->names.buf + k->name[i];
}
static inline const char *batch_keys_school(const struct batch_keys *k, size_t i)
{
    return intern_str(&k->schools, k->school[i]);
}

/* A population record's place in the keys: township code (may be empty), a tab, its name. */
void keys_place(struct buf *out, const char *township_code, const char *township);

/* The blob stored in batch_keys.data, and back; decode returns -1 for a blob it cannot trust
 * (another version, truncated), and the caller then reads the records instead. */
void batch_keys_encode(const struct batch_keys *k, struct buf *out);
int batch_keys_decode(struct batch_keys *k, const void *data, size_t len);

#endif
