#ifndef BAOXUE_PEOPLE_H
#define BAOXUE_PEOPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "render/table.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * The people registry (人员名册): everyone who verifies, persuades, teaches or approves —
 * township officials (包保干部), village cadres, head teachers, pairing teachers, bureau staff.
 * Tasks and cases name them; nobody is deleted (deactivated people stay on old records).
 */
struct person_input {
    const char *name, *phone, *org, *org_kind, *township, *role; /* NULL: not given */
};

/* Add one person; *id set. -1 with the outcome (OUT_INVALID: input the user can fix). */
int people_add(struct store *s, const struct person_input *in, const char *actor, int64_t *id,
               struct outcome *o);
/* Change the given fields of person `id`. */
int people_edit(struct store *s, int64_t id, const struct person_input *in, const char *actor,
                struct buf *msg, struct outcome *o);
int people_deactivate(struct store *s, int64_t id, const char *actor, struct buf *msg,
                      struct outcome *o);

struct people_import_summary {
    long rows, added, existing, skipped;
};
/*
 * Import a registry sheet (xlsx, xls, csv) with headers 姓名, 电话/联系电话/手机, 单位/工作单位,
 * 职务/角色, 乡镇 (and optionally 单位类别). Any invalid row refuses the whole file (nothing
 * written) with every bad row listed; a person already registered (same name and unit) is
 * left as is and counted.
 */
int people_import(struct store *s, const char *path, const char *actor,
                  struct people_import_summary *sum, struct outcome *o);

struct people_filter {
    const char *township; /* code or name */
    bool all;             /* deactivated people too */
    bool full;            /* phones unmasked */
};
int people_list(struct store *s, const struct people_filter *f, struct report_table *t,
                struct outcome *o);

/*
 * The active person `text` names: a registry number or an exact name (unique among active
 * people). -1 with the outcome OUT_INVALID ("名册中没有…") otherwise; `what` is the field's
 * label, `field` its key.
 */
int people_resolve(struct store *s, const char *what, const char *field, const char *text,
                   int64_t *id, struct outcome *o);
/* "王五（郑庄镇人民政府 包保干部）" for messages and timelines. */
int people_describe(struct store *s, int64_t id, struct buf *out);

/* The county code setting ("" when unset) and the township a text names, resolved. */
int casework_township(struct store *s, const char *text, char code[10], const char **name);

#endif
