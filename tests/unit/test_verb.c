/* The action rows (verb/): every row is whole and consistent, and the shared checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "core/words.h"
#include "domain/job.h"
#include "store/audit.h"
#include "util/utf8.h"
#include "verb/verb.h"

/* Chinese text: something, and at least one character beyond ASCII. */
static bool chinese(const char *t)
{
    if (!t || !*t)
        return false;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        if (*p >= 0x80)
            return utf8_valid(t, strlen(t), false);
    return false;
}

static bool snake(const char *k)
{
    if (!k || !*k)
        return false;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || *k == '_' || (*k >= '0' && *k <= '9')))
            return false;
    return true;
}

static void test_every_row_is_whole(void **state)
{
    (void)state;
    size_t n = 0;
    for (size_t i = 0; verbs[i]; i++, n++) {
        const struct verb *v = verbs[i];
        const char *dot = strchr(v->name, '.');
        if (dot ? dot == v->name || !dot[1] || strchr(dot + 1, '.') : !*v->name)
            fail_msg("%s: a row's name is a command, or command.subcommand", v->name);
        /* a job's kind is its row's name: the server queues it under that kind */
        if ((v->flags & VERB_JOB) && job_kind_parse(v->name) < 0)
            fail_msg("%s: a job's row is named after a job kind", v->name);
        if ((v->flags & VERB_JOB) && (!chinese(v->failure) || !chinese(v->phase)))
            fail_msg("%s: a job without the Chinese words of its failure", v->name);
        if (!chinese(v->summary))
            fail_msg("%s: no Chinese summary", v->name);
        if (!v->run || !v->size)
            fail_msg("%s: no function or input", v->name);
        /* an argument the command line may leave off is the last one, and not required */
        for (size_t k = 0; k < v->nfields; k++) {
            unsigned fl = v->fields[k].flags;
            if (!(fl & VF_MAY_OMIT))
                continue;
            if (!(fl & VF_POSITIONAL) || (fl & VF_REQUIRED))
                fail_msg("%s: %s may be left off but is no optional argument", v->name,
                         v->fields[k].key);
            for (size_t m = k + 1; m < v->nfields; m++)
                if (v->fields[m].flags & VF_POSITIONAL)
                    fail_msg("%s: an argument follows %s, which may be left off", v->name,
                             v->fields[k].key);
        }
        if (v->target != VTG_NONE && !chinese(v->target_label))
            fail_msg("%s: its target has no Chinese label", v->name);
        /* the action the audit trail records for it, a word its audit view has a label for */
        if (!v->audit || !vocab_find(&audit_actions, v->audit))
            fail_msg("%s: audit action “%s” is not in audit_actions", v->name,
                     v->audit ? v->audit : "");
        if (v->path) {
            if (strncmp(v->path, "/api/v1/", 8))
                fail_msg("%s: path %s", v->name, v->path);
            if (strcmp(v->method, "POST") && strcmp(v->method, "PUT") &&
                strcmp(v->method, "PATCH") && strcmp(v->method, "DELETE"))
                fail_msg("%s: %s is not a method that changes something", v->name, v->method);
            /* the path names the target the row takes, and nothing else */
            bool id = strstr(v->path, "{id}"), name = strstr(v->path, "{name}"),
                 key = strstr(v->path, "{key}");
            if ((v->target == VTG_ID) != id || (v->target == VTG_NAME) != name ||
                (v->target == VTG_KEY) != key)
                fail_msg("%s: path %s and target disagree", v->name, v->path);
            /* an object checked by the server is always addressed by {id} */
            if (v->object != SCOPE_NONE && v->target != VTG_ID)
                fail_msg("%s: a scoped object without {id}", v->name);
        }
        for (size_t k = 0; k < v->nfields; k++) {
            const struct verb_field *f = &v->fields[k];
            if (!snake(f->key))
                fail_msg("%s: field key “%s” is not lower_snake_case", v->name, f->key);
            if (!chinese(f->label))
                fail_msg("%s.%s: no Chinese label", v->name, f->key);
            if (f->offset >= v->size)
                fail_msg("%s.%s: outside the input struct", v->name, f->key);
            if (f->type == VT_WORD && !f->vocab)
                fail_msg("%s.%s: a word without its vocabulary", v->name, f->key);
            if (f->hint && !chinese(f->hint))
                fail_msg("%s.%s: its hint is not Chinese", v->name, f->key);
            for (size_t j = 0; j < k; j++)
                if (!strcmp(v->fields[j].key, f->key) || v->fields[j].offset == f->offset)
                    fail_msg("%s.%s: twice, or sharing a member", v->name, f->key);
            assert_ptr_equal(verb_field(v, f->key, strlen(f->key)), f);
        }
        /* one row per name, one per route */
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(verbs[j]->name, v->name))
                fail_msg("%s: two rows", v->name);
            if (v->path && verbs[j]->path && !strcmp(verbs[j]->path, v->path) &&
                !strcmp(verbs[j]->method, v->method))
                fail_msg("%s and %s: one route", verbs[j]->name, v->name);
        }
        assert_ptr_equal(verb_find(v->name), v);
        if (dot) {
            char cmd[32];
            snprintf(cmd, sizeof(cmd), "%.*s", (int)(dot - v->name), v->name);
            assert_ptr_equal(verb_find_sub(cmd, dot + 1), v);
        }
    }
    assert_true(n >= 20);
    /* every job kind has its row, which a job thread runs */
    for (int k = 0; k < JOB__COUNT; k++) {
        const struct verb *v = verb_find(job_kind_key((enum job_kind)k));
        assert_non_null(v);
        assert_true(v->flags & VERB_JOB);
    }
    assert_null(verb_find("case.nonesuch"));
    assert_null(verb_find_sub("case", "attemp"));
}

static void test_required_fields_are_checked_by_label(void **state)
{
    (void)state;
    const struct verb *v = verb_find("case.attempt");
    assert_non_null(v);
    void *in = xcalloc(1, v->size);
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(verb_check(v, in, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    assert_string_equal(o.field, "method");
    assert_string_equal(o.msg.buf, "缺少劝返方式");
    outcome_reset(&o);
    *verb_text(verb_field(v, "method", 6), in) = "家访";
    *verb_text(verb_field(v, "people", 6), in) = "王五、家长";
    /* blank is missing: spaces, ideographic spaces, newlines */
    *verb_text(verb_field(v, "result", 6), in) = " \u3000\n";
    assert_int_equal(verb_check(v, in, &o), -1);
    assert_string_equal(o.field, "result");
    outcome_reset(&o);
    *verb_text(verb_field(v, "result", 6), in) = "同意返校";
    assert_int_equal(verb_check(v, in, &o), 0);
    assert_int_equal(o.kind, OUT_OK);
    outcome_release(&o);
    free(in);
}

static void test_option_names(void **state)
{
    (void)state;
    char out[32];
    verb_option_name("visits_per_week", out, sizeof(out));
    assert_string_equal(out, "--visits-per-week");
    verb_option_name("by", out, sizeof(out));
    assert_string_equal(out, "--by");
    verb_option_name("visits_per_week", out, 8);
    assert_string_equal(out, "--visit");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_row_is_whole),
        cmocka_unit_test(test_required_fields_are_checked_by_label),
        cmocka_unit_test(test_option_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
