#include "domain/session.h"

#include <pthread.h>
#include <sodium.h>
#include <time.h>

#include "domain/audit.h"
#include "store/store.h"
#include "util/common.h"

void token_new(char out[TOKEN_HEX + 1])
{
    unsigned char raw[TOKEN_HEX / 2];
    if (sodium_init() < 0)
        die("libsodium 初始化失败");
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(out, TOKEN_HEX + 1, raw, sizeof(raw));
}

bool token_equal(const char *expected, const char *given)
{
    if (!expected || !given || strlen(expected) != TOKEN_HEX || strlen(given) != TOKEN_HEX)
        return false;
    return sodium_memcmp(expected, given, TOKEN_HEX) == 0;
}

/* What the table keeps of a session id. */
static void id_hash(const char *id, char out[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)id, strlen(id));
    sodium_bin2hex(out, 65, d, sizeof(d));
}

int64_t login_lock_seconds(int64_t failures)
{
    if (failures < LOGIN_FREE_FAILURES)
        return 0;
    int64_t secs = LOGIN_LOCK_BASE;
    for (int64_t i = LOGIN_FREE_FAILURES; i < failures && secs < LOGIN_LOCK_MAX; i++)
        secs *= 2;
    return secs < LOGIN_LOCK_MAX ? secs : LOGIN_LOCK_MAX;
}

/* A hash of a password nobody has, so that an unknown name costs as much as a wrong password. */
static char dummy_hash_[128];
static pthread_once_t dummy_once_ = PTHREAD_ONCE_INIT;

static void dummy_hash_init(void)
{
    char pw[TOKEN_HEX + 1];
    token_new(pw);
    if (password_hash(pw, dummy_hash_) < 0)
        dummy_hash_[0] = '\0'; /* verify then fails at once: still a refusal */
}

static const char *dummy_hash(void)
{
    pthread_once(&dummy_once_, dummy_hash_init);
    return dummy_hash_;
}

enum login_result session_login(struct store *s, const char *name, const char *password,
                                const char *origin, int64_t now, struct session *out,
                                int64_t *retry_after)
{
    /* the account name as typed goes to the audit trail: bounded */
    char who[65];
    snprintf(who, sizeof(who), "%s", name);
    const char *pn[] = {who};
    int64_t locked_until = 0;
    if (store_int(s, "SELECT locked_until FROM login_attempt WHERE name = $1", 1, pn,
                  &locked_until) < 0)
        return LOGIN_ERROR;
    if (locked_until > now) {
        *retry_after = locked_until - now;
        audit_record(s, who, origin, "login_locked", who, NULL);
        return LOGIN_LOCKED;
    }
    struct stmt *q = store_prepare(
        s, "SELECT id, name, role, coalesce(township_code, ''), coalesce(school_code, ''),"
           " coalesce(department, ''), disabled, password_hash FROM app_user WHERE name = $1");
    if (!q)
        return LOGIN_ERROR;
    stmt_bind_str(q, 1, who);
    int rc = stmt_step(q);
    char hash[128] = "";
    memset(out, 0, sizeof(*out));
    if (rc == 1) {
        struct user *u = &out->user;
        u->id = stmt_int(q, 0);
        snprintf(u->name, sizeof(u->name), "%s", stmt_text(q, 1));
        int r = role_parse(stmt_text(q, 2));
        u->role = r < 0 ? ROLE_SUPERVISOR : (enum role)r;
        snprintf(u->township, sizeof(u->township), "%s", stmt_text(q, 3));
        snprintf(u->school, sizeof(u->school), "%s", stmt_text(q, 4));
        snprintf(u->department, sizeof(u->department), "%s", stmt_text(q, 5));
        u->disabled = stmt_int(q, 6) != 0;
        snprintf(hash, sizeof(hash), "%s", stmt_text(q, 7));
    }
    stmt_finalize(q);
    if (rc < 0)
        return LOGIN_ERROR;
    bool ok = password_verify(rc == 1 ? hash : dummy_hash(), password) && rc == 1 &&
              !out->user.disabled && strlen(name) <= 64;
    if (!ok) {
        char nows[24], locks[24];
        snprintf(nows, sizeof(nows), "%lld", (long long)now);
        int64_t failures = 0;
        if (store_begin(s) < 0)
            return LOGIN_ERROR;
        rc = store_int(s, "SELECT failures FROM login_attempt WHERE name = $1", 1, pn, &failures);
        failures++;
        int64_t lock = login_lock_seconds(failures);
        snprintf(locks, sizeof(locks), "%lld", (long long)(lock ? now + lock : 0));
        char fs[24];
        snprintf(fs, sizeof(fs), "%lld", (long long)failures);
        const char *pu[] = {who, fs, nows, locks};
        if (rc == 0)
            rc = store_run(s,
                           "INSERT INTO login_attempt (name, failures, last_at, locked_until)"
                           " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET"
                           " failures = excluded.failures, last_at = excluded.last_at,"
                           " locked_until = excluded.locked_until",
                           4, pu);
        char detail[64];
        snprintf(detail, sizeof(detail), "failures=%lld", (long long)failures);
        if (rc == 0)
            rc = audit_record(s, who, origin, "login_failed", who, detail);
        if (rc == 0)
            rc = store_commit(s);
        if (rc < 0) {
            store_rollback(s);
            return LOGIN_ERROR;
        }
        return LOGIN_BAD;
    }
    char sid[TOKEN_HEX + 1], hid[65], uid[24], nows[24], exps[24];
    token_new(sid);
    token_new(out->csrf);
    id_hash(sid, hid);
    memcpy(out->id, sid, sizeof(sid));
    out->expires_at = now + SESSION_TTL;
    snprintf(uid, sizeof(uid), "%lld", (long long)out->user.id);
    snprintf(nows, sizeof(nows), "%lld", (long long)now);
    snprintf(exps, sizeof(exps), "%lld", (long long)out->expires_at);
    const char *ps[] = {hid, uid, out->csrf, nows, exps, origin};
    rc = store_begin(s);
    if (rc == 0)
        rc = store_run(s, "DELETE FROM login_attempt WHERE name = $1", 1, pn);
    /* ended sessions are swept at each login, so the table stays the size of the live ones */
    if (rc == 0)
        rc = store_run(s, "DELETE FROM session WHERE expires_at <= $1", 1,
                       (const char *const[]){nows});
    if (rc == 0)
        rc = store_run(s,
                       "INSERT INTO session (id_hash, user_id, csrf, created_at, last_seen,"
                       " expires_at, origin) VALUES ($1, $2, $3, $4, $4, $5, $6)",
                       6, ps);
    if (rc == 0)
        rc = audit_record(s, out->user.name, origin, "login", out->user.name, NULL);
    if (rc == 0)
        rc = store_commit(s);
    if (rc < 0) {
        store_rollback(s);
        return LOGIN_ERROR;
    }
    return LOGIN_OK;
}

int session_lookup(struct store *s, const char *id, int64_t now, struct session *out)
{
    if (!id || strlen(id) != TOKEN_HEX || strspn(id, "0123456789abcdef") != TOKEN_HEX)
        return 0;
    char hid[65];
    id_hash(id, hid);
    struct stmt *q = store_prepare(
        s, "SELECT u.id, u.name, u.role, coalesce(u.township_code, ''),"
           " coalesce(u.school_code, ''), coalesce(u.department, ''), s.csrf, s.expires_at,"
           " s.last_seen FROM session s JOIN app_user u ON u.id = s.user_id"
           " WHERE s.id_hash = $1 AND u.disabled = 0 AND s.expires_at > $2"
           " AND s.last_seen > $3");
    if (!q)
        return -1;
    stmt_bind_text(q, 1, hid, 64);
    stmt_bind_int(q, 2, now);
    stmt_bind_int(q, 3, now - SESSION_IDLE);
    int rc = stmt_step(q);
    int64_t last_seen = 0;
    if (rc == 1) {
        memset(out, 0, sizeof(*out));
        struct user *u = &out->user;
        u->id = stmt_int(q, 0);
        snprintf(u->name, sizeof(u->name), "%s", stmt_text(q, 1));
        int r = role_parse(stmt_text(q, 2));
        u->role = r < 0 ? ROLE_SUPERVISOR : (enum role)r;
        snprintf(u->township, sizeof(u->township), "%s", stmt_text(q, 3));
        snprintf(u->school, sizeof(u->school), "%s", stmt_text(q, 4));
        snprintf(u->department, sizeof(u->department), "%s", stmt_text(q, 5));
        snprintf(out->csrf, sizeof(out->csrf), "%s", stmt_text(q, 6));
        out->expires_at = stmt_int(q, 7);
        last_seen = stmt_int(q, 8);
    }
    stmt_finalize(q);
    if (rc == 1 && now - last_seen >= SESSION_TOUCH) {
        struct stmt *t = store_prepare(s, "UPDATE session SET last_seen = $2 WHERE id_hash = $1");
        if (!t)
            return -1;
        stmt_bind_text(t, 1, hid, 64);
        stmt_bind_int(t, 2, now);
        int trc = stmt_step(t);
        stmt_finalize(t);
        if (trc < 0)
            return -1;
    }
    return rc;
}

int session_logout(struct store *s, const char *id, const char *origin)
{
    struct session cur;
    int rc = session_lookup(s, id, time(NULL), &cur);
    if (rc <= 0)
        return rc;
    char hid[65];
    id_hash(id, hid);
    const char *p[] = {hid};
    rc = store_begin(s);
    if (rc == 0)
        rc = store_run(s, "DELETE FROM session WHERE id_hash = $1", 1, p);
    if (rc == 0)
        rc = audit_record(s, cur.user.name, origin, "logout", cur.user.name, NULL);
    if (rc == 0)
        rc = store_commit(s);
    else
        store_rollback(s);
    return rc;
}
