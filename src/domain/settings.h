#ifndef BAOXUE_SETTINGS_H
#define BAOXUE_SETTINGS_H

#include <stddef.h>

struct store;

/*
 * Per-installation settings live as text in the `setting` table; a struct of them is described
 * by a table of these rows (key, where in the struct, type), and loaded over its defaults.
 */
enum setting_type { SETTING_INT, SETTING_DOUBLE };

struct setting_field {
    const char *key;
    size_t offset;
    enum setting_type type;
};

/* For every field whose key is set, overwrite base+offset; others keep their defaults. */
int settings_load(struct store *s, const struct setting_field *fields, size_t n, void *base);

#endif
