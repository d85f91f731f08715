#ifndef BAOXUE_VOCAB_H
#define BAOXUE_VOCAB_H

#include <stddef.h>

struct vocab;
struct json_t;

/*
 * Every closed vocabulary a user reads, once: the registry GET /api/v1/vocab serves, so that
 * the web UI shows the labels and badge colours the library has and copies none. Each row
 * names a vocabulary (core/words.h) kept by the module that owns it; a row without one adds
 * the words of a table of another shape (the departments, the reports). Served as
 * {"statuses": [{"key", "label", "tone"}…], "case_states": […], …}, each in its order.
 */
struct vocab_entry {
    const char *name;                            /* the JSON key: "statuses" */
    const struct vocab *v;                       /* its words, or NULL (then `add`) */
    void (*more)(size_t i, struct json_t *word); /* fields beyond key, label and tone, or NULL */
    void (*add)(struct json_t *words);           /* the words of a table of another shape */
};

extern const struct vocab_entry vocab_registry[];
extern const size_t vocab_registry_count;

/* The registry as a JSON object (the caller owns it). */
struct json_t *vocab_json(void);

/*
 * The same as compact JSON text, built once and kept for the life of the process (the
 * vocabularies are compiled in), and its ETag: a quoted hash of the text. Thread-safe.
 */
const char *vocab_document(size_t *len, const char **etag);

#endif
