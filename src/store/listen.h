#ifndef BAOXUE_LISTEN_H
#define BAOXUE_LISTEN_H

#include <stdbool.h>

/*
 * PostgreSQL's notifications (LISTEN/NOTIFY), heard on a connection of their own on a thread of
 * their own: how a server learns at once that another server, or a command, changed what it keeps
 * in memory (domain/session.c keeps sessions; the triggers of migration 33 notify).
 *
 * on_event(ctx, up) is called on the listener's thread: with up true when the listener starts
 * listening (first, or again after the connection was lost) and at every notification; with up
 * false when the connection is lost (nothing will be heard until it is back). Both mean "what
 * you keep may be stale now".
 */
struct store_listener;

/* Listen on `channel` (letters, digits, '_') of the database of dsn. NULL for an SQLite file
 * (nothing to hear: other processes cannot notify) or when the thread cannot start; on_event is
 * then never called. A database that is down is retried every second. */
struct store_listener *store_listen(const char *dsn, const char *channel,
                                    void (*on_event)(void *ctx, bool up), void *ctx);
/* Stop the thread and close its connection (NULL: nothing); a listener that was listening says
 * so one last time (up false). on_event is not called after it returns. */
void store_listen_stop(struct store_listener *l);

#endif
