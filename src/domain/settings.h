#ifndef BAOXUE_SETTINGS_H
#define BAOXUE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "render/table.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * Per-installation settings live as text in the `setting` table. Every key the program reads
 * is described once, in the registry below (settings.c): its Chinese label, type, default,
 * valid range and validator. settings_load fills a struct from the registry's defaults and the
 * stored values; `baoxue settings` lists, reads and changes them through the same rows, so a
 * default or a range exists in one place only.
 */
enum setting_type { SETTING_INT, SETTING_DOUBLE, SETTING_TEXT };

enum {
    SETTING_READONLY = 1 << 0,   /* written by the program itself (demo) */
    SETTING_FROZEN_DATA = 1 << 1 /* cannot change once data was imported (county) */
};

struct setting_def {
    const char *key;
    const char *label; /* Chinese name shown in lists and messages */
    enum setting_type type;
    const char *def;   /* default as stored text; "" none */
    double min, max;   /* INT and DOUBLE */
    const char *range; /* the valid values in Chinese */
    /* Further checks of a value (after the type and range); 0, or -1 with a Chinese message
     * appended to err. `norm` receives the value as it will be stored. */
    int (*check)(const char *value, struct buf *norm, struct buf *err);
    unsigned flags;
};

extern const struct setting_def setting_defs[];
extern const size_t setting_ndefs;

/* The registry row of `key`, or NULL. */
const struct setting_def *setting_find(const char *key);

/*
 * Check `value` for setting `d` on its own (type, range, validator): 0 with the text to store
 * in `norm` (surrounding spaces and full-width digits removed, a canonical form), or -1 with a
 * Chinese message in err.
 */
int setting_check(const struct setting_def *d, const char *value, struct buf *norm,
                  struct buf *err);

/*
 * A struct of settings is described by a table of these rows (key, where in the struct, type)
 * and loaded over the registry's defaults.
 */
struct setting_field {
    const char *key;
    size_t offset;
    enum setting_type type; /* SETTING_INT or SETTING_DOUBLE */
};

/*
 * For every field: the registry's default (a key outside the registry keeps what base held),
 * then the stored value when there is one. -1 on a store error, or when a stored value is
 * invalid (the message, naming the key and `baoxue settings`, is in store_errmsg).
 */
int settings_load(struct store *s, const struct setting_field *fields, size_t n, void *base);

/* ---- baoxue settings ---- */

/* Every registered setting: key, label, current value, default, valid range, source. */
int settings_list(struct store *s, struct report_table *t, struct outcome *o);
/* The current value of `key` (its default when unset) in out. */
int settings_get(struct store *s, const char *key, struct buf *out, struct outcome *o);
/*
 * Set (value != NULL) or unset (value NULL: back to the default) `key`. Unknown keys, invalid
 * values, read-only keys and combinations that contradict other settings (link_review <
 * link_accept) are refused with exit 2 and nothing written; a change is
 * one transaction with an audit row naming the old and the new value.
 */
int settings_set(struct store *s, const char *key, const char *value, const char *actor,
                 struct buf *msg, struct outcome *o);

#endif
