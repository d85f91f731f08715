#include "domain/session.h"

#include <pthread.h>
#include <sodium.h>
#include <time.h>

#include "domain/run.h"
#include "domain/session_cache.h"
#include "store/audit.h"
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

/*
 * The lockout's counters (docs/decisions.md, Issue 11: the server). A row of login_attempt
 * counts failed logins for one (name, address) pair, for one address (name '') or for one name
 * (address ''). An attempt is counted before its password is checked, in one conditional UPDATE
 * that also sets the lock its count earns: parallel attempts each see the count the others left,
 * and none gets past a lock another one set. A successful login takes its own count back.
 */
static const char gate_sql[] =
    "UPDATE login_attempt SET failures = failures + 1, last_at = $3,"
    " locked_until = CASE WHEN failures + 1 < $4 THEN 0 ELSE CAST($3 AS BIGINT) +"
    "  CASE failures + 1 - $4 WHEN 0 THEN 30 WHEN 1 THEN 60 WHEN 2 THEN 120 WHEN 3 THEN 240"
    "  WHEN 4 THEN 480 ELSE 900 END END"
    " WHERE name = $1 AND address = $2 AND locked_until <= $3 RETURNING failures";
/* the ladder above is login_lock_seconds() written out: keep them the same */
_Static_assert(LOGIN_LOCK_BASE == 30 && LOGIN_LOCK_MAX == 900, "gate_sql's ladder");

/* A row's name and address, '' included (stmt_bind_str would bind NULL for it). */
static void bind_key(struct stmt *st, const char *name, const char *address)
{
    stmt_bind_text(st, 1, name, strlen(name));
    stmt_bind_text(st, 2, address, strlen(address));
}

/* 1 counted (may be checked), 0 locked (*retry_after set), -1 store error */
static int gate_pass(struct store *s, const char *name, const char *address, int64_t free_,
                     int64_t now, int64_t *count, int64_t *retry_after)
{
    struct stmt *st =
        store_prepare(s, "INSERT INTO login_attempt (name, address, last_at)"
                         " VALUES ($1, $2, $3) ON CONFLICT (name, address) DO NOTHING");
    if (!st)
        return -1;
    bind_key(st, name, address);
    stmt_bind_int(st, 3, now);
    int rc = stmt_step(st);
    stmt_finalize(st);
    if (rc < 0 || !(st = store_prepare(s, gate_sql)))
        return -1;
    bind_key(st, name, address);
    stmt_bind_int(st, 3, now);
    stmt_bind_int(st, 4, free_);
    rc = stmt_step(st);
    if (rc == 1)
        *count = stmt_int(st, 0);
    stmt_finalize(st);
    if (rc != 0)
        return rc;
    st =
        store_prepare(s, "SELECT locked_until FROM login_attempt WHERE name = $1 AND address = $2");
    if (!st)
        return -1;
    bind_key(st, name, address);
    rc = stmt_step(st);
    int64_t until = rc == 1 ? stmt_int(st, 0) : now + 1;
    stmt_finalize(st);
    if (rc < 0)
        return -1;
    *retry_after = until > now ? until - now : 1;
    return 0;
}

/* Take back an attempt gate_pass counted (it was not a failure after all). */
static int gate_undo(struct store *s, const char *name, const char *address)
{
    struct stmt *st =
        store_prepare(s, "UPDATE login_attempt SET locked_until = 0, failures = CASE WHEN"
                         " failures > 0 THEN failures - 1 ELSE 0 END WHERE name = $1 AND"
                         " address = $2");
    if (!st)
        return -1;
    bind_key(st, name, address);
    int rc = stmt_step(st);
    stmt_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* Rows that lock nothing and mark no known client any more go (the table stays the size of a
 * day's failures and the known clients). 0, or -1 a store error. */
static int forget_attempts(struct store *s, int64_t now)
{
    struct stmt *st = store_prepare(s, "DELETE FROM login_attempt WHERE last_at < $1 AND"
                                       " locked_until <= $2 AND signed_in_at < $3");
    if (!st)
        return -1;
    stmt_bind_int(st, 1, now - LOGIN_FORGET);
    stmt_bind_int(st, 2, now);
    stmt_bind_int(st, 3, now - LOGIN_KNOWN);
    int rc = stmt_step(st);
    stmt_finalize(st);
    return rc < 0 ? -1 : 0;
}

enum login_result session_login(struct store *s, const char *name, const char *password,
                                const char *origin, const char *address, int64_t now,
                                struct session *out, int64_t *retry_after)
{
    return session_login_counted(s, NULL, name, password, origin, address, now, out, retry_after);
}

enum login_result session_login_counted(struct store *s, struct store *addresses, const char *name,
                                        const char *password, const char *origin,
                                        const char *address, int64_t now, struct session *out,
                                        int64_t *retry_after)
{
    struct store *as = addresses ? addresses : s; /* where the address's failures are counted */
    /* the account name as typed goes to the audit trail: bounded */
    char who[65];
    snprintf(who, sizeof(who), "%s", name);
    const char *addr = address && *address ? address : "unknown";
    int rc = forget_attempts(s, now);
    if (rc == 0 && as != s)
        rc = forget_attempts(as, now);
    /* a known client: this name signed in from this address lately */
    int64_t signed_in_at = 0;
    const char *pk[] = {who, addr};
    struct stmt *st;
    if (rc < 0 || store_int(s,
                            "SELECT signed_in_at FROM login_attempt WHERE name = $1 AND"
                            " address = $2",
                            2, pk, &signed_in_at) < 0)
        return LOGIN_ERROR;
    bool known = signed_in_at > now - LOGIN_KNOWN;
    int64_t n_addr = 0, n_name = 0, n_pair = 0;
    /* a known client is not held up by what others do from its address or to its name;
     * 2: not counted */
    int g_addr = 2, g_name = 2, g_pair = 2;
    if (!known) {
        g_addr = gate_pass(as, "", addr, LOGIN_ADDRESS_FREE, now, &n_addr, retry_after);
        if (g_addr == 1)
            g_name = gate_pass(s, who, "", LOGIN_NAME_FREE, now, &n_name, retry_after);
    }
    if (known || (g_addr == 1 && g_name == 1))
        g_pair = gate_pass(s, who, addr, LOGIN_FREE_FAILURES, now, &n_pair, retry_after);
    if (g_addr < 0 || g_name < 0 || g_pair < 0)
        return LOGIN_ERROR;
    if (g_addr == 0 || g_name == 0 || g_pair == 0) {
        if ((g_addr == 1 && gate_undo(as, "", addr) < 0) ||
            (g_name == 1 && gate_undo(s, who, "") < 0))
            return LOGIN_ERROR;
        char target[AUDIT_TARGET_SIZE];
        audit_record(s, who, origin, "login_locked", audit_target_name(target, OBJ_USER, who),
                     NULL);
        return LOGIN_LOCKED;
    }
    st = store_prepare(
        s, "SELECT u.id, u.name, u.role, coalesce(u.township_code, ''),"
           " coalesce(u.school_code, ''), coalesce(u.department, ''), u.disabled, u.password_hash,"
           " coalesce(u.person_id, 0), coalesce(p.name, ''), coalesce(p.org, ''),"
           " coalesce(u.area, '')"
           " FROM app_user u LEFT JOIN person p ON p.id = u.person_id WHERE u.name = $1");
    if (!st)
        return LOGIN_ERROR;
    stmt_bind_str(st, 1, who);
    rc = stmt_step(st);
    char hash[128] = "";
    memset(out, 0, sizeof(*out));
    if (rc == 1) {
        struct user *u = &out->user;
        u->id = stmt_int(st, 0);
        snprintf(u->name, sizeof(u->name), "%s", stmt_text(st, 1));
        int r = role_parse(stmt_text(st, 2));
        u->role = r < 0 ? ROLE_SUPERVISOR : (enum role)r;
        snprintf(u->township, sizeof(u->township), "%s", stmt_text(st, 3));
        snprintf(u->school, sizeof(u->school), "%s", stmt_text(st, 4));
        snprintf(u->department, sizeof(u->department), "%s", stmt_text(st, 5));
        u->disabled = stmt_int(st, 6) != 0;
        snprintf(hash, sizeof(hash), "%s", stmt_text(st, 7));
        u->person_id = stmt_int(st, 8);
        snprintf(u->person_name, sizeof(u->person_name), "%s", stmt_text(st, 9));
        snprintf(u->person_org, sizeof(u->person_org), "%s", stmt_text(st, 10));
        snprintf(u->area, sizeof(u->area), "%s", stmt_text(st, 11));
    }
    stmt_finalize(st);
    if (rc < 0)
        return LOGIN_ERROR;
    bool ok = password_verify(rc == 1 ? hash : dummy_hash(), password) && rc == 1 &&
              !out->user.disabled && strlen(name) <= 64;
    if (!ok) {
        /* the attempt was counted already: the audit trail says so */
        char detail[64], target[AUDIT_TARGET_SIZE];
        snprintf(detail, sizeof(detail), "连续失败 %lld 次", (long long)n_pair);
        audit_target_name(target, OBJ_USER, who);
        return audit_record(s, who, origin, "login_failed", target, detail) < 0 ? LOGIN_ERROR
                                                                                : LOGIN_BAD;
    }
    if (user_load_villages(s, &out->user) < 0)
        return LOGIN_ERROR;
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
    /* this pair is a known client from now on; this attempt's counts are taken back */
    if (rc == 0)
        rc = store_run(s,
                       "UPDATE login_attempt SET failures = 0, locked_until = 0, last_at = $3,"
                       " signed_in_at = $3 WHERE name = $1 AND address = $2",
                       3, (const char *const[]){who, addr, nows});
    if (rc == 0 && g_addr == 1 && as == s)
        rc = gate_undo(s, "", addr);
    if (rc == 0 && g_name == 1)
        rc = gate_undo(s, who, "");
    /* ended sessions are swept at each login, so the table stays the size of the live ones */
    if (rc == 0)
        rc = store_run(s, "DELETE FROM session WHERE expires_at <= $1", 1,
                       (const char *const[]){nows});
    if (rc == 0)
        rc = store_run(s,
                       "INSERT INTO session (id_hash, user_id, csrf, created_at, last_seen,"
                       " expires_at, origin) VALUES ($1, $2, $3, $4, $4, $5, $6)",
                       6, ps);
    char target[AUDIT_TARGET_SIZE];
    if (rc == 0)
        rc = audit_record(s, out->user.name, origin, "login",
                          audit_target_name(target, OBJ_USER, out->user.name), NULL);
    if (rc == 0)
        rc = store_commit(s);
    if (rc < 0) {
        store_rollback(s);
        return LOGIN_ERROR;
    }
    /* counted in another database: taken back after the login is saved (should that fail,
     * the address keeps one failure more than it made, and the login stands) */
    if (g_addr == 1 && as != s && gate_undo(as, "", addr) < 0)
        error("登录成功，但地址的失败计数未能减回：%s", store_errmsg(as));
    return LOGIN_OK;
}

/* The session columns of session_lookup's queries ($1 the id's hash, $2 now, $3 the idle
 * limit); the latest run's columns follow them in the query of a read. */
#define LOOKUP_COLS                                                                                \
    "SELECT u.id, u.name, u.role, coalesce(u.township_code, ''),"                                  \
    " coalesce(u.school_code, ''), coalesce(u.department, ''), s.csrf, s.expires_at,"              \
    " s.last_seen, coalesce(u.person_id, 0), coalesce(p.name, ''), coalesce(p.org, ''),"           \
    " coalesce(u.area, '')"
#define LOOKUP_NCOLS 13
#define LOOKUP_FROM                                                                                \
    " FROM session s JOIN app_user u ON u.id = s.user_id"                                          \
    " LEFT JOIN person p ON p.id = u.person_id"
#define LOOKUP_WHERE                                                                               \
    " WHERE s.id_hash = $1 AND u.disabled = 0 AND s.expires_at > $2 AND s.last_seen > $3"

/* The key of a session in this process's cache: its id's hash and the database and schema it
 * is in. One server serves many counties' schemas (http/counties.h): a session is found only in
 * the schema its cookie's county names, never by its id alone. */
static void cache_key(const struct store *s, const char *hid, char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)hid, strlen(hid));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)store_name(s), strlen(store_name(s)));
    crypto_hash_sha256_final(&st, d);
    sodium_bin2hex(out, 65, d, sizeof(d));
}

static int lookup(struct store *s, const char *id, int64_t now, bool with_run, struct session *out)
{
    if (!id || strlen(id) != TOKEN_HEX || strspn(id, "0123456789abcdef") != TOKEN_HEX)
        return 0;
    char hid[65], key[65];
    id_hash(id, hid);
    cache_key(s, hid, key);
    struct session_cached kept;
    if (session_cache_get(key, with_run, now, &kept)) {
        *out = kept.sess;
        if (with_run)
            run_latest_prefetched(s, kept.run_none ? NULL : &kept.ri);
        return 1;
    }
    uint64_t gen = session_cache_generation(); /* before the read: a change during it wins */
    memset(&kept, 0, sizeof(kept));
    kept.with_run = with_run;
    struct stmt *q =
        store_prepare(s, with_run ? LOOKUP_COLS ", lr.*" LOOKUP_FROM " LEFT JOIN " RUN_LATEST_FROM
                                                " lr ON 1 = 1" LOOKUP_WHERE
                                  : LOOKUP_COLS LOOKUP_FROM LOOKUP_WHERE);
    if (!q)
        return -1;
    stmt_plan_generic(q); /* one plan, whatever the session: every request runs it */
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
        u->person_id = stmt_int(q, 9);
        snprintf(u->person_name, sizeof(u->person_name), "%s", stmt_text(q, 10));
        snprintf(u->person_org, sizeof(u->person_org), "%s", stmt_text(q, 11));
        snprintf(u->area, sizeof(u->area), "%s", stmt_text(q, 12));
        if (with_run) {
            bool have = !stmt_is_null(q, LOOKUP_NCOLS);
            if (have)
                run_info_row(q, LOOKUP_NCOLS, &kept.ri);
            kept.run_none = !have;
            run_latest_prefetched(s, have ? &kept.ri : NULL);
        }
    }
    stmt_finalize(q);
    if (rc == 1 && user_load_villages(s, &out->user) < 0)
        return -1;
    if (rc == 1 && now - last_seen >= SESSION_TOUCH) {
        /* Best effort: while an import holds SQLite's write lock (one transaction for the
         * whole file), the touch waits out the busy timeout and fails; the session is valid
         * all the same, and the next request a minute on writes last_seen. Failing here made a
         * user polling a long import's progress see 服务器内部错误. */
        struct stmt *t = store_prepare(s, "UPDATE session SET last_seen = $2 WHERE id_hash = $1");
        if (t) {
            stmt_bind_text(t, 1, hid, 64);
            stmt_bind_int(t, 2, now);
            if (stmt_step(t) == 0)
                last_seen = now;
            stmt_finalize(t);
        }
    }
    if (rc == 1) {
        kept.sess = *out;
        kept.last_seen = last_seen;
        session_cache_put(key, gen, &kept);
    }
    return rc;
}

int session_lookup(struct store *s, const char *id, int64_t now, struct session *out)
{
    return lookup(s, id, now, false, out);
}

int session_lookup_read(struct store *s, const char *id, int64_t now, struct session *out)
{
    return lookup(s, id, now, true, out);
}

int session_logout(struct store *s, const char *id, const char *origin)
{
    struct session cur;
    int rc = session_lookup(s, id, time(NULL), &cur);
    if (rc <= 0)
        return rc;
    char hid[65], key[65];
    id_hash(id, hid);
    cache_key(s, hid, key);
    const char *p[] = {hid};
    session_cache_forget(key);
    rc = store_begin(s);
    if (rc == 0)
        rc = store_run(s, "DELETE FROM session WHERE id_hash = $1", 1, p);
    char target[AUDIT_TARGET_SIZE];
    if (rc == 0)
        rc = audit_record(s, cur.user.name, origin, "logout",
                          audit_target_name(target, OBJ_USER, cur.user.name), NULL);
    if (rc == 0)
        rc = store_commit(s);
    else
        store_rollback(s);
    return rc;
}
