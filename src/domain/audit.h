#ifndef BAOXUE_AUDIT_H
#define BAOXUE_AUDIT_H

struct store;

/*
 * The append-only audit trail: who (actor), from where (origin: "cli", later an address),
 * what (action: import, match, export_full, …), about which child (target, may be NULL) and
 * a short detail without personal data. Written inside the caller's transaction where there is
 * one, so that an action and its audit row land together.
 */
int audit_record(struct store *s, const char *actor, const char *origin, const char *action,
                 const char *target, const char *detail);

#endif
