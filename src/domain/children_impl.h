#ifndef BAOXUE_CHILDREN_IMPL_H
#define BAOXUE_CHILDREN_IMPL_H

#include <jansson.h>

#include "core/view.h"
#include "domain/children.h"
#include "util/buf.h"
#include "util/outcome.h"

/*
 * What the files of children.h share:
 *
 *   children.c  the list of a run's children (paged SQL for the statuses with rows, a walk of
 *               the run's chunks for the others) and its export
 *   child.c     the filter choices, and one child: whether a reader reaches them, their record
 */

static inline json_t *jstr(const char *s)
{
    json_t *j = json_string(s);
    return j ? j : json_string("\xEF\xBF\xBD"); /* not UTF-8: never the case for stored text */
}

/* The ID as the view shows it, into out. */
static inline void shown_id(const struct view *v, const char *id, struct buf *out)
{
    char m[VIEW_ID_SIZE];
    view_id(v, id, m);
    buf_reset(out);
    buf_adds(out, m);
}

static inline json_t *refuse(struct outcome *oc, enum outcome_kind kind, const char *msg)
{
    failed(oc, kind, "%s", msg);
    return NULL;
}

#endif
