#include "verb/vocab.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>

#include "casework/atrisk.h"
#include "casework/attendance.h"
#include "casework/event.h"
#include "casework/inspection.h"
#include "casework/placement.h"
#include "core/words.h"
#include "domain/batch.h"
#include "domain/department.h"
#include "domain/job.h"
#include "domain/review.h"
#include "domain/scope.h"
#include "domain/status.h"
#include "ingest/category.h"
#include "ingest/field.h"
#include "report/catalog.h"
#include "store/audit.h"
#include "util/common.h"

/* The import wizard's words for a kind of list. */
static void kind_more(size_t i, json_t *w)
{
    json_object_set_new(w, "title", json_string(kind_title((enum import_kind)i)));
    json_object_set_new(w, "hint", json_string(kind_hint((enum import_kind)i)));
}

/* A persuasion attempt's method: whether it is made in person (it may be the first visit). */
static void method_more(size_t i, json_t *w)
{
    json_object_set_new(w, "in_person",
                        json_boolean(attempt_methods.words[i].flags & AM_IN_PERSON));
}

/* The partner departments: the account screens' title and the kinds each may upload. */
static void departments_add(json_t *words)
{
    for (unsigned i = 0; i < departments_count; i++) {
        const struct department *d = &departments[i];
        json_t *kinds = json_array();
        for (int k = 0; k < KIND__COUNT; k++)
            if (d->kinds & (1u << k))
                json_array_append_new(kinds, json_string(kind_key((enum import_kind)k)));
        json_array_append_new(words, json_pack("{s:s, s:s, s:n, s:s, s:o}", "key", d->key, "label",
                                               d->name, "tone", "title", d->title, "kinds", kinds));
    }
}

/* The reports (report/catalog.h): what each takes and who may have it. */
static void reports_add(json_t *words)
{
    static const struct {
        unsigned bit;
        const char *name;
    } takes[] = {{RT_TOWNSHIP, "township"}, {RT_STATUS, "status"}, {RT_FULL, "full"},
                 {RT_RUN, "run"},           {RT_MONTH, "month"},   {RT_LIST, "list"},
                 {RT_VILLAGE, "village"},   {RT_PDF, "pdf"},       {RT_GROUPS, "group"}};
    for (size_t i = 0; i < report_defs_count; i++) {
        const struct report_def *d = &report_defs[i];
        json_t *t = json_array();
        for (size_t k = 0; k < ARRAY_SIZE(takes); k++)
            if (d->takes & takes[k].bit)
                json_array_append_new(t, json_string(takes[k].name));
        json_array_append_new(words,
                              json_pack("{s:s, s:s, s:n, s:s, s:s, s:o, s:b, s:b, s:b}", "key",
                                        d->name, "label", d->title, "tone", "help", d->help, "perm",
                                        perm_key(d->perm), "takes", t, "personal", d->personal,
                                        "form", d->form, "registration", d->registration));
    }
}

const struct vocab_entry vocab_registry[] = {
    /* the children of a cross-check */
    {"statuses", &child_statuses, NULL, NULL},
    {"stages", &casework_stages, NULL, NULL},
    /* verification and cases (core/words.c, casework/event.c) */
    {"task_states", &task_states, NULL, NULL},
    {"verify_outcomes", &verify_outcomes, NULL, NULL},
    {"registration_problems", &registration_problems, NULL, NULL},
    {"case_states", &case_states, NULL, NULL},
    {"reasons", &case_reasons, NULL, NULL},
    {"placement_kinds", &placement_kinds, NULL, NULL},
    {"priority_groups", &priority_groups, NULL, NULL},
    {"atrisk_factors", &atrisk_factors, NULL, NULL},
    /* attendance (issue 16): 事假, 病假, 旷课, 迟到早退 */
    {"absence_kinds", &absence_kinds, NULL, NULL},
    {"methods", &attempt_methods, method_more, NULL},
    {"ladder_steps", &ladder_steps, NULL, NULL},
    {"case_outcomes", &case_outcomes, NULL, NULL},
    {"assignee_roles", &assignee_roles, NULL, NULL},
    {"org_kinds", &org_kinds, NULL, NULL},
    {"event_kinds", &event_kinds, NULL, NULL},
    /* the lists and the linkage */
    {"kinds", &import_kinds, kind_more, NULL},
    {"batch_states", &batch_states, NULL, NULL},
    {"job_states", &job_states, NULL, NULL},
    {"registration_statuses", &reg_statuses, NULL, NULL},
    {"enroll_statuses", &enroll_statuses, NULL, NULL},
    {"link_verdicts", &link_verdicts, NULL, NULL},
    {"review_decisions", &review_decisions, NULL, NULL},
    /* accounts, departments, the audit trail, the reports */
    {"roles", &account_roles, NULL, NULL},
    {"departments", NULL, NULL, departments_add},
    {"audit_objects", &audit_objects, NULL, NULL},
    {"audit_actions", &audit_actions, NULL, NULL},
    {"reports", NULL, NULL, reports_add},
    /* issue 17: the states of a rectification item */
    {"rectify_states", &rectify_states, NULL, NULL},
};
const size_t vocab_registry_count = ARRAY_SIZE(vocab_registry);

json_t *vocab_json(void)
{
    json_t *root = json_object();
    for (size_t e = 0; e < vocab_registry_count; e++) {
        const struct vocab_entry *r = &vocab_registry[e];
        json_t *words = json_array();
        for (size_t i = 0; r->v && i < r->v->n; i++) {
            const struct word *w = &r->v->words[i];
            json_t *o = json_pack("{s:s, s:s, s:o}", "key", w->key, "label", w->label, "tone",
                                  w->tone ? json_string(tone_key(w->tone)) : json_null());
            if (r->more)
                r->more(i, o);
            json_array_append_new(words, o);
        }
        if (r->add)
            r->add(words);
        json_object_set_new(root, r->name, words);
    }
    return root;
}

static char *document;
static size_t document_len;
static char document_etag[40];
static pthread_once_t document_once = PTHREAD_ONCE_INIT;

static void document_build(void)
{
    json_t *j = vocab_json();
    document = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!document)
        die("无法生成词表（内存不足）");
    document_len = strlen(document);
    unsigned char h[16];
    crypto_generichash(h, sizeof(h), (const unsigned char *)document, document_len, NULL, 0);
    char hex[33];
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    snprintf(document_etag, sizeof(document_etag), "\"%s\"", hex);
}

const char *vocab_document(size_t *len, const char **etag)
{
    pthread_once(&document_once, document_build);
    *len = document_len;
    *etag = document_etag;
    return document;
}
