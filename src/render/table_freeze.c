/* A table kept as JSON and made again from it (render/table.h: table_freeze, table_thaw). */
#include <jansson.h>

#include "render/table.h"
#include "util/common.h"

static const char *const meta_types[] = {
    [META_TEXT] = "text", [META_INT] = "int", [META_BOOL] = "bool"};

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *table_freeze(const struct report_table *t)
{
    json_t *cols = json_array(), *rows = json_array(), *notes = json_array(), *meta = json_array();
    for (size_t c = 0; c < t->ncols; c++)
        json_array_append_new(cols, json_string(t->cols[c].key));
    for (size_t r = 0; r < t->nrows; r++) {
        json_t *row = json_array();
        for (size_t c = 0; c < t->ncols; c++)
            json_array_append_new(row, text_or_null(t->cells[r * t->ncols + c]));
        json_array_append_new(rows, row);
    }
    for (size_t i = 0; i < t->nnotes; i++)
        json_array_append_new(notes, json_string(t->notes[i]));
    for (size_t i = 0; i < t->nmeta; i++)
        json_array_append_new(meta, json_pack("[s, s, s]", t->meta[i].key, t->meta[i].value,
                                              meta_types[t->meta[i].type]));
    json_t *j = json_pack("{s:o, s:o, s:b, s:o, s:o, s:o, s:o}", "columns", cols, "rows", rows,
                          "totals", t->has_totals, "caption", text_or_null(t->caption), "subtitle",
                          text_or_null(t->subtitle), "notes", notes, "meta", meta);
    if (t->json_extra)
        json_object_set_new(j, "extra", json_deep_copy(t->json_extra));
    return j;
}

int table_thaw(struct report_table *t, const char *title, const char *array_key,
               const struct table_col *cols, size_t ncols, const json_t *frozen)
{
    table_init(t, title, array_key, cols, ncols);
    const json_t *fcols = json_object_get(frozen, "columns"),
                 *rows = json_object_get(frozen, "rows");
    if (!json_is_array(fcols) || !json_is_array(rows))
        return -1;
    /* each kept column's place among today's columns (SIZE_MAX: no longer shown) */
    size_t nf = json_array_size(fcols);
    size_t *at = xcalloc(nf ? nf : 1, sizeof(*at));
    for (size_t f = 0; f < nf; f++) {
        const char *key = json_string_value(json_array_get(fcols, f));
        at[f] = SIZE_MAX;
        for (size_t c = 0; key && c < ncols; c++)
            if (!strcmp(cols[c].key, key))
                at[f] = c;
    }
    size_t nrows = json_array_size(rows);
    bool totals = json_is_true(json_object_get(frozen, "totals"));
    for (size_t r = 0; r < nrows; r++) {
        if (totals && r + 1 == nrows)
            table_add_totals(t);
        else
            table_add_row(t);
        const json_t *row = json_array_get(rows, r);
        for (size_t f = 0; f < nf; f++) {
            const char *v = json_string_value(json_array_get(row, f));
            if (v && at[f] != SIZE_MAX)
                table_set(t, at[f], v);
        }
    }
    free(at);
    const char *caption = json_string_value(json_object_get(frozen, "caption"));
    const char *subtitle = json_string_value(json_object_get(frozen, "subtitle"));
    if (caption || subtitle)
        table_caption(t, caption, subtitle);
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(frozen, "notes"), i, v)
    {
        if (json_is_string(v))
            table_note(t, "%s", json_string_value(v));
    }
    json_array_foreach(json_object_get(frozen, "meta"), i, v)
    {
        const char *key = json_string_value(json_array_get(v, 0));
        const char *value = json_string_value(json_array_get(v, 1));
        const char *type = json_string_value(json_array_get(v, 2));
        enum meta_type mt = META_TEXT;
        for (size_t k = 0; type && k < ARRAY_SIZE(meta_types); k++)
            if (!strcmp(meta_types[k], type))
                mt = (enum meta_type)k;
        if (key && value)
            table_meta(t, key, value, mt);
    }
    const json_t *extra = json_object_get(frozen, "extra");
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)extra, key, member)
    {
        table_json_set(t, key, json_deep_copy(member));
    }
    return 0;
}
