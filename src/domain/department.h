#ifndef BAOXUE_DEPARTMENT_H
#define BAOXUE_DEPARTMENT_H

#include <stdbool.h>

#include "ingest/field.h"
#include "util/buf.h"
#include "util/outcome.h"

/*
 * The partner departments a department account belongs to (公安, 民政, 残联 …), one row each:
 * which kinds of list it may upload, and what of the casework its duty needs to read. A
 * department account names one by its key (app_user.department); an older free-text name that
 * names none gives no kinds until an admin picks one (docs/decisions.md, issue 11).
 */
enum {
    DEPT_READS_REGISTRATION = 1, /* verification outcomes 户籍问题 (the police fix the register) */
    DEPT_READS_AID = 2,          /* 应助尽助: the findings about the aid payments it makes */
};

struct department {
    const char *key;            /* "police" */
    const char *name;           /* "公安" */
    const char *title;          /* "县公安局（户籍）": what the account screens show */
    unsigned kinds;             /* 1u << enum import_kind it may upload */
    unsigned reads;             /* DEPT_READS_* */
    const char *const *aliases; /* other names it goes by (公安局, 派出所 …), NULL-terminated */
};

extern const struct department departments[];
extern const unsigned departments_count;

/* The department `text` names: its key, its name or one of its aliases; NULL when none. */
const struct department *department_parse(const char *text);
/* The department of key `key` (as stored); NULL for an older free-text name or "". */
const struct department *department_find(const char *key);
/* May an account of department `key` upload lists of this kind? */
bool department_may_upload(const char *key, enum import_kind kind);
/* 0 when an account of department `key` may upload lists of this kind; else -1 with the
 * outcome OUT_FORBIDDEN and its reason (no department chosen yet, or what the department may
 * upload). */
int department_check_upload(const char *key, enum import_kind kind, struct outcome *o);
/* "户籍" or "户籍、学籍", the kinds a department may upload ("（无）" when none). */
void department_kinds_text(const struct department *d, struct buf *out);
/* The names of every department, "公安、民政、…", for messages. */
void department_names(struct buf *out);

#endif
