#ifndef BAOXUE_INSPECTION_H
#define BAOXUE_INSPECTION_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct report_table;

/*
 * 督导检查 and 限期整改 (issue 17): an inspection (its date, the inspectors, the units it
 * visited — townships by code, schools by 学籍 code —, a summary) records findings; each
 * finding names the unit at fault and is one rectification item (整改事项) with the
 * responsible unit and person and a deadline. The unit submits its evidence (text, photos:
 * casework/attach.h), the inspector accepts it or returns it; every step is appended to the
 * item's history. The 结果公告 (inspection_notice_pdf) names units, never a child.
 *
 * Who: PERM_INSPECT (a supervisor, the county, admin) records inspections and findings and
 * decides; the responsible unit's account (the township of that township, the school of that
 * school) reports progress and submits. A township or school reads only the inspections that
 * name it, and in them only its own items (docs/decisions.md, issue 17).
 */

enum rectify_state { RS_OPEN, RS_SUBMITTED, RS_ACCEPTED, RS_RETURNED, RS__COUNT };
enum rectify_act { RA_PROGRESS, RA_SUBMIT, RA_ACCEPT, RA_RETURN };

extern const struct vocab rectify_states; /* word i is enum rectify_state i: 整改中 … */
/* The state after `act` on an item in `from`; -1 when the act is not open to it. */
int rectify_next(enum rectify_state from, enum rectify_act act);
/* enum rectify_state of a stored key; -1 when none. */
int rectify_state_parse(const char *key);

/* Does the text carry what looks like an ID number (15 or 18 digits, the last maybe X)? The
 * findings and the summary go into a public notice: such a text is refused. */
bool text_has_id_number(const char *text);

struct inspection_input {
    const char *on;         /* the date of the inspection ("" today) */
    const char *inspectors; /* the inspectors' names: "张督学、李督学" */
    const char *units;      /* one a line: a township's code or name, or a school's 学籍 code */
    const char *summary;    /* what the inspection found overall */
};
int inspection_create(struct store *s, const struct scope *sc, const struct inspection_input *in,
                      const char *actor, int64_t *new_id, struct buf *msg, struct outcome *o);

struct finding_input {
    const char *unit;     /* the unit at fault: a township's code or name, a school's code */
    const char *text;     /* the problem found */
    const char *person;   /* the person responsible at the unit */
    const char *deadline; /* the rectification deadline */
};
/* A finding of inspection `id` and its rectification item; *new_id the item's number. */
int inspection_finding(struct store *s, const struct scope *sc, int64_t id,
                       const struct finding_input *in, const char *actor, int64_t *new_id,
                       struct buf *msg, struct outcome *o);

struct rectify_input {
    const char *text; /* the progress, the evidence, or the inspector's comment */
    const char *on;   /* the date ("" today) */
};
/* Item `id`: the responsible unit reports progress or submits; the inspector accepts or
 * returns. OUT_NOT_FOUND for an item the scope does not read, OUT_FORBIDDEN for one it reads
 * but may not act on so, OUT_INVALID for an act its state does not allow. */
int rectify_act(struct store *s, const struct scope *sc, int64_t id, enum rectify_act act,
                const struct rectify_input *in, const char *actor, struct buf *msg,
                struct outcome *o);

/* May the scope read item `id` (and attach evidence: `write`)? 0, or -1 with the outcome. */
int rectify_reach(struct store *s, const struct scope *sc, int64_t id, bool write,
                  struct outcome *o);

/* The inspection of item `id` (for 待办's link), as the scope reads it; 0 with the outcome. */
int64_t rectify_inspection(struct store *s, const struct scope *sc, int64_t id, struct outcome *o);

/* The inspections the scope reads, newest first, with their items' counts by state. */
int inspection_table(struct store *s, const struct scope *sc, struct report_table *t,
                     struct outcome *o);
/* One inspection: {id, date, inspectors, summary, created_by, units: [...], findings: [{id,
 * text, unit, item: {id, person, deadline, state, state_label, overdue, evidence, history,
 * photos, may: {...}}}], may: {finding}} — the findings the scope reads. NULL with the outcome. */
json_t *inspection_json(struct store *s, const struct scope *sc, int64_t id, struct outcome *o);
/* The same as text, for the command line. */
int inspection_text(struct store *s, const struct scope *sc, int64_t id, struct buf *out,
                    struct outcome *o);

/* The 结果公告 of inspection `id` as an A4 PDF at path: the units inspected, the findings by
 * unit, each item's state and deadline. No child's data (findings with an ID number are
 * refused when recorded). */
int inspection_notice_pdf(struct store *s, const struct scope *sc, int64_t id, const char *path,
                          char *file_name, size_t name_size, struct outcome *o);

/* The open items (整改中, 退回重改) for 待办: `township` NULL every unit's, else that township's
 * own items; with submitted (awaiting acceptance) when `decided` is set (the county's and
 * the inspectors' list). */
struct rectify_due {
    int64_t id;
    char unit_kind[10], unit_code[24], unit_name[128], what[96];
    int due; /* ymd: the deadline */
};
int rectify_due_each(struct store *s, const char *township, bool decided,
                     void (*fn)(void *ctx, const struct rectify_due *d), void *ctx);

/*
 * For the rankings (report/): each unit's rectification items overdue on `today` — past the
 * deadline and not submitted (整改中 or 退回重改) — and all its items not yet accepted. One row
 * per unit that has any item, by kind then code; *out is malloc'd (free it).
 */
struct rectify_overdue {
    char unit_kind[10]; /* "township" or "school" */
    char unit_code[24]; /* the township's 9-digit code, the school's 学籍 code */
    char unit_name[128];
    int overdue, open;
};
int rectify_overdue_counts(struct store *s, int today, struct rectify_overdue **out, size_t *n);

#endif
