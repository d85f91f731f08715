/* The sessions kept in memory (domain/session_cache.h). */
#include "domain/session_cache.h"

#include <pthread.h>
#include <time.h>

#include "util/common.h"

#define SLOTS 1024 /* direct-mapped by the id's hash: a collision replaces */

static struct slot {
    pthread_mutex_t lock;
    char hid[65];
    uint64_t gen;
    double filled; /* monotonic seconds */
    struct session_cached c;
} slots[SLOTS];
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;
static uint64_t generation = 1; /* __atomic: bumped by every flush */
static bool on;                 /* __atomic: a listener hears the database */

static void slots_init(void)
{
    for (size_t i = 0; i < SLOTS; i++)
        pthread_mutex_init(&slots[i].lock, NULL);
}

static double now_mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct slot *slot_of(const char *hid)
{
    pthread_once(&slots_once, slots_init);
    unsigned v = 0;
    for (int i = 0; i < 8; i++) /* hid is the hex of a SHA-256: any 8 digits are uniform */
        v = v * 16 + (unsigned)(hid[i] <= '9' ? hid[i] - '0' : hid[i] - 'a' + 10);
    return &slots[v % SLOTS];
}

void session_cache_event(bool up)
{
    __atomic_add_fetch(&generation, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&on, up, __ATOMIC_SEQ_CST);
}

void session_cache_flush(void)
{
    __atomic_add_fetch(&generation, 1, __ATOMIC_SEQ_CST);
}

uint64_t session_cache_generation(void)
{
    return __atomic_load_n(&generation, __ATOMIC_SEQ_CST);
}

bool session_cache_get(const char *hid, bool with_run, int64_t now, struct session_cached *out)
{
    if (!__atomic_load_n(&on, __ATOMIC_SEQ_CST))
        return false;
    uint64_t gen = session_cache_generation();
    struct slot *sl = slot_of(hid);
    pthread_mutex_lock(&sl->lock);
    bool hit = sl->gen == gen && !memcmp(sl->hid, hid, 64) &&
               now_mono() - sl->filled < SESSION_CACHE_TTL && (!with_run || sl->c.with_run) &&
               sl->c.sess.expires_at > now && sl->c.last_seen > now - SESSION_IDLE &&
               now - sl->c.last_seen < SESSION_TOUCH;
    if (hit)
        *out = sl->c;
    pthread_mutex_unlock(&sl->lock);
    return hit;
}

void session_cache_put(const char *hid, uint64_t gen, const struct session_cached *c)
{
    if (!__atomic_load_n(&on, __ATOMIC_SEQ_CST) || gen != session_cache_generation())
        return;
    struct slot *sl = slot_of(hid);
    pthread_mutex_lock(&sl->lock);
    memcpy(sl->hid, hid, 65);
    sl->gen = gen;
    sl->filled = now_mono();
    sl->c = *c;
    pthread_mutex_unlock(&sl->lock);
}

void session_cache_forget(const char *hid)
{
    struct slot *sl = slot_of(hid);
    pthread_mutex_lock(&sl->lock);
    if (!memcmp(sl->hid, hid, 64))
        sl->gen = 0;
    pthread_mutex_unlock(&sl->lock);
}
