#include "domain/audit.h"

#include "core/date.h"
#include "store/store.h"
#include "util/common.h"

int audit_record(struct store *s, const char *actor, const char *origin, const char *action,
                 const char *target, const char *detail)
{
    char now[32];
    date_now_text(now, sizeof(now));
    /* stmt_bind_str binds "" as NULL; an unnamed caller is still someone */
    const char *p[] = {now, actor && *actor ? actor : "unknown", origin, action, target, detail};
    return store_run(s,
                     "INSERT INTO audit (at, actor, origin, action, target, detail)"
                     " VALUES ($1, $2, $3, $4, $5, $6)",
                     6, p);
}
