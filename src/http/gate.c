/* The server's door: its own accept loop, admission by overall and per-address counts with a
 * reserve for addresses that have a session, and the read deadlines that close slow clients.
 * See gate.h and docs/decisions.md (Issue 11: the server). */
#include "http/gate.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "domain/session.h"
#include "util/common.h"

#define FD_CAP        65536 /* highest descriptor the door tracks (and the open-file limit asked) */
#define FD_SPARE      128   /* descriptors kept for the database, the jobs, uploads and logs */
#define BUCKETS       4096
#define KNOWN_MAX     65536 /* addresses remembered as signed in, at most */
#define PENDING_LIMIT 10 /* seconds a handed-over connection may take to start in libmicrohttpd */
#define KNOWN_FACTOR  4  /* an address with a session may hold this many times per_address */

enum phase { PH_FREE, PH_PENDING, PH_HEADERS, PH_BODY, PH_BUSY };

struct addr_node {
    struct gate_key key;
    unsigned conns;
    int64_t known_until; /* monotonic seconds; 0 never */
    struct addr_node *next;
};

/* One accepted connection, by its descriptor. The phase fields are written by the worker thread
 * that serves the connection and read by the door's thread: atomics, no lock. */
struct slot {
    int phase;
    int64_t since;      /* when the phase (or the body's current window) began */
    uint64_t window_in; /* body bytes in the current window */
    struct addr_node *addr;
};

static struct {
    pthread_mutex_t lock;
    struct gate_limits lim;
    struct MHD_Daemon *d;
    int listen_fd;
    int wake[2];
    pthread_t thread;
    bool running;
    struct slot *slots; /* FD_CAP */
    struct addr_node *buckets[BUCKETS];
    unsigned total, known_nodes;
} g = {.lock = PTHREAD_MUTEX_INITIALIZER, .listen_fd = -1, .wake = {-1, -1}};

static int64_t now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec;
}

enum gate_verdict gate_admit(const struct gate_limits *lim, unsigned total, unsigned at_address,
                             bool known)
{
    if (total >= lim->max_connections)
        return GATE_FULL;
    if (known)
        return lim->per_address && at_address >= lim->per_address * KNOWN_FACTOR ? GATE_ADDRESS_FULL
                                                                                 : GATE_ADMIT;
    unsigned open = lim->reserved < lim->max_connections ? lim->max_connections - lim->reserved : 0;
    if (total >= open)
        return GATE_FULL;
    if (lim->per_address && at_address >= lim->per_address)
        return GATE_ADDRESS_FULL;
    return GATE_ADMIT;
}

bool gate_key_of(const struct sockaddr *sa, struct gate_key *out)
{
    memset(out, 0, sizeof(*out));
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET) {
        out->b[10] = out->b[11] = 0xff;
        memcpy(out->b + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        const unsigned char *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (!memcmp(a, mapped, 12))
            memcpy(out->b, a, 16); /* an IPv4 client on a dual-stack socket: as IPv4 */
        else
            memcpy(out->b, a, 8); /* one IPv6 client usually owns its whole /64 */
        return true;
    }
    return false;
}

unsigned gate_fd_budget(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 0;
    rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > FD_CAP ? FD_CAP : rl.rlim_max;
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur < want) {
        rl.rlim_cur = want;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    rlim_t cur = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > FD_CAP ? FD_CAP : rl.rlim_cur;
    return cur > FD_SPARE ? (unsigned)(cur - FD_SPARE) : 0;
}

/* ---- addresses ---- */

static unsigned key_hash(const struct gate_key *k)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < sizeof(k->b); i++)
        h = (h ^ k->b[i]) * 16777619u;
    return h % BUCKETS;
}

/* under the lock */
static struct addr_node *addr_find(const struct gate_key *k, bool create)
{
    struct addr_node **head = &g.buckets[key_hash(k)];
    for (struct addr_node *n = *head; n; n = n->next)
        if (!memcmp(n->key.b, k->b, sizeof(k->b)))
            return n;
    if (!create)
        return NULL;
    struct addr_node *n = xcalloc(1, sizeof(*n));
    n->key = *k;
    n->next = *head;
    *head = n;
    return n;
}

/* under the lock: forget an address with no connection and no live session */
static void addr_drop_if_unused(struct addr_node *n, int64_t now)
{
    if (n->conns || n->known_until > now)
        return;
    struct addr_node **p = &g.buckets[key_hash(&n->key)];
    while (*p && *p != n)
        p = &(*p)->next;
    if (!*p)
        return;
    *p = n->next;
    if (n->known_until)
        g.known_nodes--;
    free(n);
}

/* under the lock */
static void slot_release(int fd, int64_t now)
{
    struct slot *s = &g.slots[fd];
    if (__atomic_load_n(&s->phase, __ATOMIC_RELAXED) == PH_FREE)
        return;
    __atomic_store_n(&s->phase, PH_FREE, __ATOMIC_RELAXED);
    g.total--;
    if (s->addr) {
        s->addr->conns--;
        addr_drop_if_unused(s->addr, now);
    }
    s->addr = NULL;
}

/* ---- the accept loop ---- */

static const char busy_body[] =
    "{\"error\":{\"code\":\"busy\",\"message\":\"服务器连接数已满，请稍后再试\"}}";
static const char address_body[] = "{\"error\":{\"code\":\"busy\",\"message\":"
                                   "\"来自您的地址的连接过多，请关闭多余的连接后再试\"}}";

/* A connection turned away: a short 503 if the socket takes it at once, then closed. */
static void refuse(int fd, enum gate_verdict v)
{
    const char *body = v == GATE_ADDRESS_FULL ? address_body : busy_body;
    char head[256];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; "
                     "charset=utf-8\r\nRetry-After: 5\r\nConnection: close\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     strlen(body));
    if (send(fd, head, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) == n)
        (void)!send(fd, body, strlen(body), MSG_DONTWAIT | MSG_NOSIGNAL);
    shutdown(fd, SHUT_WR);
    close(fd);
}

static void accept_one(int fd, const struct sockaddr *sa, socklen_t len)
{
    int64_t now = now_s();
    struct gate_key k;
    if (fd >= FD_CAP || !gate_key_of(sa, &k)) {
        refuse(fd, GATE_FULL);
        return;
    }
    pthread_mutex_lock(&g.lock);
    /* a slot still pending on this descriptor: libmicrohttpd dropped that connection before
     * it started (and the number was given out again) */
    if (__atomic_load_n(&g.slots[fd].phase, __ATOMIC_RELAXED) == PH_PENDING)
        slot_release(fd, now);
    struct addr_node *n = addr_find(&k, false);
    bool known = n && n->known_until > now;
    enum gate_verdict v = gate_admit(&g.lim, g.total, n ? n->conns : 0, known);
    if (v == GATE_ADMIT) {
        if (!n)
            n = addr_find(&k, true);
        n->conns++;
        g.total++;
        struct slot *s = &g.slots[fd];
        s->addr = n;
        s->window_in = 0;
        __atomic_store_n(&s->since, now, __ATOMIC_RELAXED);
        __atomic_store_n(&s->phase, PH_PENDING, __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&g.lock);
    if (v != GATE_ADMIT) {
        refuse(fd, v);
        return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (MHD_add_connection(g.d, fd, sa, len) == MHD_NO) {
        /* libmicrohttpd closed it already */
        pthread_mutex_lock(&g.lock);
        if (__atomic_load_n(&g.slots[fd].phase, __ATOMIC_RELAXED) == PH_PENDING)
            slot_release(fd, now_s());
        pthread_mutex_unlock(&g.lock);
    }
}

/* Once a second: close what overstayed its deadline. shutdown() only: libmicrohttpd owns the
 * descriptor, sees the end of the stream and closes the connection itself (a slot is freed by
 * the close notification, under the lock held here, so the descriptor is still this one). */
static void sweep(int64_t now)
{
    const struct gate_limits *lim = &g.lim;
    pthread_mutex_lock(&g.lock);
    for (int fd = 0; fd < FD_CAP && g.total; fd++) {
        struct slot *s = &g.slots[fd];
        int ph = __atomic_load_n(&s->phase, __ATOMIC_RELAXED);
        if (ph == PH_FREE || ph == PH_BUSY)
            continue;
        int64_t since = __atomic_load_n(&s->since, __ATOMIC_RELAXED);
        if (ph == PH_PENDING) {
            if (now - since > PENDING_LIMIT)
                slot_release(fd, now);
        } else if (ph == PH_HEADERS) {
            if (lim->header_timeout && now - since >= (int64_t)lim->header_timeout)
                shutdown(fd, SHUT_RDWR);
        } else if (ph == PH_BODY && lim->min_body_rate && lim->header_timeout &&
                   now - since >= (int64_t)lim->header_timeout) {
            uint64_t in = __atomic_exchange_n(&s->window_in, 0, __ATOMIC_RELAXED);
            if (in < (uint64_t)lim->min_body_rate * (uint64_t)(now - since))
                shutdown(fd, SHUT_RDWR);
            else
                __atomic_store_n(&s->since, now, __ATOMIC_RELAXED);
        }
    }
    /* addresses whose session time ran out and that hold no connection */
    for (unsigned b = 0; b < BUCKETS; b++)
        for (struct addr_node *n = g.buckets[b], *next; n; n = next) {
            next = n->next;
            addr_drop_if_unused(n, now);
        }
    pthread_mutex_unlock(&g.lock);
}

static void *door(void *arg)
{
    (void)arg;
    int64_t last_sweep = now_s();
    bool backoff = false;
    for (;;) {
        struct pollfd p[2] = {{.fd = g.wake[0], .events = POLLIN},
                              {.fd = g.listen_fd, .events = POLLIN}};
        int rc = poll(p, backoff ? 1 : 2, backoff ? 100 : 1000);
        backoff = false;
        if (rc > 0 && (p[0].revents & POLLIN))
            break;
        if (rc > 0 && (p[1].revents & POLLIN)) {
            for (int i = 0; i < 256; i++) {
                struct sockaddr_storage ss;
                socklen_t len = sizeof(ss);
                int fd = accept4(g.listen_fd, (struct sockaddr *)&ss, &len,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0) {
                    /* out of descriptors: leave the rest in the queue a moment */
                    backoff =
                        errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM;
                    break;
                }
                accept_one(fd, (struct sockaddr *)&ss, len);
            }
        }
        int64_t now = now_s();
        if (now != last_sweep) {
            last_sweep = now;
            sweep(now);
        }
    }
    return NULL;
}

int gate_listen(const struct sockaddr *addr, socklen_t len, unsigned *port, struct buf *err)
{
    int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (addr->sa_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    }
    if (fd < 0 || bind(fd, addr, len) < 0 || listen(fd, 4096) < 0) {
        if (fd >= 0)
            close(fd);
        buf_addf(err, "端口被占用或地址不可用（%s）", strerror(errno));
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    *port = 0;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        *port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                               : ((struct sockaddr_in *)&ss)->sin_port);
    g.listen_fd = fd;
    return 0;
}

int gate_start(struct MHD_Daemon *d, const struct gate_limits *lim, struct buf *err)
{
    g.d = d;
    g.lim = *lim;
    if (!g.slots)
        g.slots = xcalloc(FD_CAP, sizeof(*g.slots));
    if (pipe2(g.wake, O_CLOEXEC) < 0 || pthread_create(&g.thread, NULL, door, NULL) != 0) {
        buf_addf(err, "无法启动接收连接的线程（%s）", strerror(errno));
        return -1;
    }
    g.running = true;
    return 0;
}

void gate_stop(void)
{
    if (g.running) {
        (void)!write(g.wake[1], "x", 1);
        pthread_join(g.thread, NULL);
        g.running = false;
    }
    if (g.listen_fd >= 0)
        close(g.listen_fd);
    g.listen_fd = -1;
    for (int i = 0; i < 2; i++)
        if (g.wake[i] >= 0)
            close(g.wake[i]);
    g.wake[0] = g.wake[1] = -1;
}

/* ---- libmicrohttpd's side ---- */

static struct slot *slot_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void gate_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                 enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci || !g.slots || ci->connect_fd < 0 || ci->connect_fd >= FD_CAP)
        return;
    int fd = ci->connect_fd;
    struct slot *s = &g.slots[fd];
    pthread_mutex_lock(&g.lock);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        if (__atomic_load_n(&s->phase, __ATOMIC_RELAXED) == PH_PENDING) {
            __atomic_store_n(&s->since, now_s(), __ATOMIC_RELAXED);
            __atomic_store_n(&s->phase, PH_HEADERS, __ATOMIC_RELAXED);
            *socket_context = s;
        }
    } else if (*socket_context == s) {
        slot_release(fd, now_s());
        *socket_context = NULL;
    }
    pthread_mutex_unlock(&g.lock);
}

static void set_phase(struct MHD_Connection *c, int ph)
{
    struct slot *s = slot_of(c);
    if (!s)
        return;
    __atomic_store_n(&s->window_in, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&s->since, now_s(), __ATOMIC_RELAXED);
    __atomic_store_n(&s->phase, ph, __ATOMIC_RELAXED);
}

void gate_headers_in(struct MHD_Connection *c)
{
    set_phase(c, PH_BODY);
}

void gate_body_in(struct MHD_Connection *c, size_t n)
{
    struct slot *s = slot_of(c);
    if (s)
        __atomic_add_fetch(&s->window_in, n, __ATOMIC_RELAXED);
}

void gate_request_whole(struct MHD_Connection *c)
{
    set_phase(c, PH_BUSY);
}

void gate_request_done(struct MHD_Connection *c)
{
    set_phase(c, PH_HEADERS);
}

void gate_known(struct MHD_Connection *c)
{
    struct slot *s = slot_of(c);
    if (!s)
        return;
    int64_t now = now_s();
    pthread_mutex_lock(&g.lock);
    struct addr_node *n = s->addr;
    if (n && n->known_until < now + SESSION_IDLE - 60) {
        if (n->known_until || g.known_nodes < KNOWN_MAX) {
            if (!n->known_until)
                g.known_nodes++;
            n->known_until = now + SESSION_IDLE;
        }
    }
    pthread_mutex_unlock(&g.lock);
}
