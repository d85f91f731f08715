/* PostgreSQL's notifications on a thread of their own (store/listen.h). */
#include "store/listen.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "util/common.h"

struct store_listener {
    char *dsn;
    char channel[64];
    void (*on_event)(void *ctx, bool up);
    void *ctx;
    int wake[2]; /* a byte on wake[1] stops the thread */
    pthread_t thread;
};

/* Wait for the connection's socket (fd >= 0) or the stop pipe, up to ms: true when stopped. */
static bool wait_for(struct store_listener *l, int fd, int ms, bool *readable)
{
    struct pollfd p[2] = {{.fd = l->wake[0], .events = POLLIN}, {.fd = fd, .events = POLLIN}};
    int n = poll(p, fd >= 0 ? 2 : 1, ms);
    if (n < 0 && errno != EINTR)
        return true;
    if (n > 0 && (p[0].revents & POLLIN))
        return true;
    *readable = fd >= 0 && n > 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR));
    return false;
}

static PGconn *connect_listening(const struct store_listener *l)
{
    const char *const keys[] = {"dbname", "fallback_application_name", NULL};
    const char *const values[] = {l->dsn, "baoxue-listen", NULL};
    PGconn *c = PQconnectdbParams(keys, values, 1);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);
        return NULL;
    }
    char sql[96];
    snprintf(sql, sizeof(sql), "LISTEN %s", l->channel);
    PGresult *r = PQexec(c, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok || PQsetnonblocking(c, 1) != 0) {
        PQfinish(c);
        return NULL;
    }
    return c;
}

static void *listen_main(void *arg)
{
    struct store_listener *l = arg;
    PGconn *c = NULL;
    for (;;) {
        bool readable = false;
        if (!c) {
            c = connect_listening(l);
            if (c)
                l->on_event(l->ctx, true);
            else if (wait_for(l, -1, 1000, &readable))
                break;
            continue;
        }
        /* a quiet connection is read once a minute anyway: a server that went away while
         * nothing was said is noticed by the read failing */
        if (wait_for(l, PQsocket(c), 60 * 1000, &readable))
            break;
        if (!PQconsumeInput(c) || PQstatus(c) != CONNECTION_OK) {
            PQfinish(c);
            c = NULL;
            l->on_event(l->ctx, false);
            continue;
        }
        PGnotify *n;
        bool heard = false;
        while ((n = PQnotifies(c))) {
            heard = true;
            PQfreemem(n);
        }
        if (heard)
            l->on_event(l->ctx, true);
    }
    /* stopped, or poll() failed: nothing will be heard from now on */
    if (c)
        l->on_event(l->ctx, false);
    PQfinish(c);
    return NULL;
}

struct store_listener *store_listen(const char *dsn, const char *channel,
                                    void (*on_event)(void *ctx, bool up), void *ctx)
{
    if (!store_dsn_is_pg(dsn) || strlen(channel) >= 64 ||
        strspn(channel, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(channel))
        return NULL;
    struct store_listener *l = xcalloc(1, sizeof(*l));
    l->dsn = xstrdup(dsn);
    snprintf(l->channel, sizeof(l->channel), "%s", channel);
    l->on_event = on_event;
    l->ctx = ctx;
    if (pipe(l->wake) < 0) {
        free(l->dsn);
        free(l);
        return NULL;
    }
    fcntl(l->wake[0], F_SETFD, FD_CLOEXEC);
    fcntl(l->wake[1], F_SETFD, FD_CLOEXEC);
    if (pthread_create(&l->thread, NULL, listen_main, l) != 0) {
        close(l->wake[0]);
        close(l->wake[1]);
        free(l->dsn);
        free(l);
        return NULL;
    }
    return l;
}

void store_listen_stop(struct store_listener *l)
{
    if (!l)
        return;
    ssize_t w;
    do
        w = write(l->wake[1], "x", 1);
    while (w < 0 && errno == EINTR);
    pthread_join(l->thread, NULL);
    close(l->wake[0]);
    close(l->wake[1]);
    free(l->dsn);
    free(l);
}
