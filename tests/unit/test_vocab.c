/* verb/vocab.c: the registry of every vocabulary GET /api/v1/vocab serves, and the words in it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <jansson.h>

#include "casework/event.h"
#include "core/words.h"
#include "domain/scope.h"
#include "domain/status.h"
#include "ingest/field.h"
#include "report/catalog.h"
#include "store/audit.h"
#include "util/common.h"
#include "verb/vocab.h"

/* Text a reader reads: at least one Chinese character, no Latin letter (no English, no key). */
static bool chinese(const char *s)
{
    bool han = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
            return false;
        han = han || (*p >= 0xE4 && *p <= 0xE9); /* the lead byte of U+4E00…U+9FFF */
    }
    return han;
}

static bool key_like(const char *s)
{
    if (!*s)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return true;
}

/* Every vocabulary: non-empty, keys unique and ASCII, labels Chinese, tones from the set. */
static void test_every_vocabulary(void **state)
{
    (void)state;
    json_t *j = vocab_json();
    assert_int_equal(json_object_size(j), vocab_registry_count); /* names unique */
    static const char *const tones[] = {"ok", "warn", "bad", "muted", "info"};
    for (size_t e = 0; e < vocab_registry_count; e++) {
        const struct vocab_entry *r = &vocab_registry[e];
        assert_true(key_like(r->name));
        assert_true(r->v || r->add);
        json_t *words = json_object_get(j, r->name);
        assert_true(json_is_array(words));
        assert_true(json_array_size(words) > 0);
        size_t i, k;
        json_t *w, *o;
        json_array_foreach(words, i, w)
        {
            const char *key = json_string_value(json_object_get(w, "key"));
            const char *label = json_string_value(json_object_get(w, "label"));
            assert_non_null(key);
            assert_non_null(label);
            if (!key_like(key) || !chinese(label))
                fail_msg("%s: “%s” “%s”", r->name, key, label);
            json_t *tone = json_object_get(w, "tone");
            assert_true(json_is_null(tone) || json_is_string(tone));
            bool known = json_is_null(tone);
            for (size_t t = 0; t < ARRAY_SIZE(tones) && !known; t++)
                known = !strcmp(json_string_value(tone), tones[t]);
            if (!known)
                fail_msg("%s: %s has tone %s", r->name, key, json_string_value(tone));
            json_array_foreach(words, k, o) if (k != i)
            {
                assert_string_not_equal(key, json_string_value(json_object_get(o, "key")));
                assert_string_not_equal(label, json_string_value(json_object_get(o, "label")));
            }
        }
    }
    json_decref(j);
}

/* A word's key, label and each alias are read back as that word, never as another. */
static void test_every_spelling_names_its_word(void **state)
{
    (void)state;
    for (size_t e = 0; e < vocab_registry_count; e++) {
        const struct vocab *v = vocab_registry[e].v;
        for (size_t i = 0; v && i < v->n; i++) {
            const struct word *w = &v->words[i];
            assert_int_equal(vocab_parse(v, w->key), (int)i);
            assert_int_equal(vocab_parse(v, w->label), (int)i);
            assert_ptr_equal(vocab_find(v, w->key), w);
            for (const char *p = w->aliases; p && *p;) {
                const char *bar = strchr(p, '|');
                char a[128];
                snprintf(a, sizeof(a), "%.*s", (int)(bar ? (size_t)(bar - p) : strlen(p)), p);
                if (vocab_parse(v, a) != (int)i)
                    fail_msg("%s: alias “%s” of %s", vocab_registry[e].name, a, w->key);
                p = bar ? bar + 1 : NULL;
            }
        }
    }
}

/* The vocabularies indexed by an enum keep its order: word s is enum value s. */
static void test_enums_are_the_words(void **state)
{
    (void)state;
    assert_int_equal(child_statuses.n, ST__COUNT);
    for (int s = 0; s < ST__COUNT; s++) {
        assert_string_equal(status_key((enum child_status)s), child_statuses.words[s].key);
        assert_string_equal(status_label((enum child_status)s), child_statuses.words[s].label);
        assert_int_equal(status_parse(child_statuses.words[s].key), s);
        assert_int_equal(status_parse(child_statuses.words[s].label), s);
    }
    assert_int_equal(status_parse("辍学"), ST_DROPPED_OUT);
    assert_int_equal(status_parse("nobody"), -1);
    assert_int_equal(account_roles.n, ROLE__COUNT);
    for (int r = 0; r < ROLE__COUNT; r++)
        assert_int_equal(role_parse(role_label((enum role)r)), r);
    assert_int_equal(import_kinds.n, KIND__COUNT);
    for (int k = 0; k < KIND__COUNT; k++) {
        enum import_kind got;
        assert_int_equal(kind_parse(kind_key((enum import_kind)k), &got), 0);
        assert_int_equal(got, k);
        assert_true(chinese(kind_title((enum import_kind)k)));
        assert_true(chinese(kind_hint((enum import_kind)k)));
    }
    assert_int_equal(audit_objects.n, OBJ__COUNT);
    assert_string_equal(event_kind_label("attempt"), "劝返");
    for (int p = PERM_PUBLIC; p < PERM__COUNT; p++)
        assert_true(key_like(perm_key((enum perm)p)));
}

/* The reports both front ends offer: names unique, each a function or the children list. */
static void test_report_catalog(void **state)
{
    (void)state;
    assert_true(report_defs_count > 0);
    for (size_t i = 0; i < report_defs_count; i++) {
        const struct report_def *d = &report_defs[i];
        assert_ptr_equal(report_find(d->name), d);
        assert_true(key_like(d->name));
        assert_true(chinese(d->title));
        assert_true(chinese(d->help));
        assert_true((d->fn != NULL) != ((d->takes & RT_LIST) != 0));
    }
    assert_null(report_find("nonsense"));
    assert_null(report_find(NULL));
    struct buf b = BUF_INIT;
    report_names(&b, true);
    assert_non_null(strstr(b.buf, "ledger-dropout"));
    assert_null(strstr(b.buf, "children-list")); /* the command line has no children list */
    buf_reset(&b);
    report_names(&b, false);
    assert_non_null(strstr(b.buf, "、children-list"));
    buf_release(&b);
}

/* The document: built once, the JSON of the registry, its ETag a hash of the bytes. */
static void test_document(void **state)
{
    (void)state;
    size_t len, len2;
    const char *etag, *etag2;
    const char *doc = vocab_document(&len, &etag);
    assert_int_equal(strlen(doc), len);
    assert_ptr_equal(vocab_document(&len2, &etag2), doc);
    assert_string_equal(etag, etag2);
    assert_int_equal(strlen(etag), 34);
    assert_true(etag[0] == '"' && etag[33] == '"');
    json_t *parsed = json_loads(doc, 0, NULL), *built = vocab_json();
    assert_true(json_equal(parsed, built));
    json_t *enrolled = json_array_get(json_object_get(parsed, "statuses"), 0);
    assert_string_equal(json_string_value(json_object_get(enrolled, "label")), "本县在读");
    assert_string_equal(json_string_value(json_object_get(enrolled, "tone")), "ok");
    json_t *pop = json_array_get(json_object_get(parsed, "kinds"), 0);
    assert_string_equal(json_string_value(json_object_get(pop, "title")), "户籍适龄儿童");
    json_decref(parsed);
    json_decref(built);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_vocabulary),
        cmocka_unit_test(test_every_spelling_names_its_word),
        cmocka_unit_test(test_enums_are_the_words),
        cmocka_unit_test(test_report_catalog),
        cmocka_unit_test(test_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
