#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <time.h>

#include "util/common.h"

#include "domain/session.h"
#include "domain/session_cache.h"

static const char *const HID_A = "a3f0000000000000000000000000000000000000000000000000000000000001";
static const char *const HID_B = "a3f0000000000000000000000000000000000000000000000000000000000002";

static struct session_cached entry(const char *name, int64_t now, bool with_run)
{
    struct session_cached c;
    memset(&c, 0, sizeof(c));
    snprintf(c.sess.user.name, sizeof(c.sess.user.name), "%s", name);
    c.sess.expires_at = now + SESSION_TTL;
    c.last_seen = now;
    c.with_run = with_run;
    c.ri.id = 7;
    return c;
}

/* Off (no listener hears the database): nothing is kept, nothing is found. */
static void test_off_keeps_nothing(void **state)
{
    (void)state;
    session_cache_event(false);
    int64_t now = time(NULL);
    struct session_cached c = entry("tz", now, true), got;
    session_cache_put(HID_A, session_cache_generation(), &c);
    assert_false(session_cache_get(HID_A, false, now, &got));
}

static void test_kept_and_found(void **state)
{
    (void)state;
    session_cache_event(true);
    int64_t now = time(NULL);
    struct session_cached c = entry("tz", now, true), got;
    session_cache_put(HID_A, session_cache_generation(), &c);
    assert_true(session_cache_get(HID_A, true, now, &got));
    assert_string_equal(got.sess.user.name, "tz");
    assert_int_equal(got.ri.id, 7);
    assert_true(session_cache_get(HID_A, false, now, &got));
    /* another id of the same slot (the first 8 digits place it) is not this one */
    assert_false(session_cache_get(HID_B, false, now, &got));
    /* read without its run, it does not answer a lookup that wants the run */
    struct session_cached w = entry("tz2", now, false);
    session_cache_put(HID_B, session_cache_generation(), &w);
    assert_true(session_cache_get(HID_B, false, now, &got));
    assert_false(session_cache_get(HID_B, true, now, &got));
    session_cache_event(false);
}

/* A notification or a change of this server's own forgets everything; what was read before it
 * is not kept after it. */
static void test_changes_forget(void **state)
{
    (void)state;
    session_cache_event(true);
    int64_t now = time(NULL);
    struct session_cached c = entry("tz", now, true), got;
    session_cache_put(HID_A, session_cache_generation(), &c);
    session_cache_flush();
    assert_false(session_cache_get(HID_A, true, now, &got));
    session_cache_put(HID_A, session_cache_generation(), &c);
    session_cache_event(true); /* a notification heard */
    assert_false(session_cache_get(HID_A, true, now, &got));
    /* read, then a change before it is kept: not kept */
    uint64_t gen = session_cache_generation();
    session_cache_flush();
    session_cache_put(HID_A, gen, &c);
    assert_false(session_cache_get(HID_A, true, now, &got));
    /* a logout forgets its own session */
    session_cache_put(HID_A, session_cache_generation(), &c);
    session_cache_forget(HID_A);
    assert_false(session_cache_get(HID_A, true, now, &got));
    session_cache_event(false);
}

/* The session's own limits are checked on what is kept: expired, idle, or due for its
 * last_seen to be written (the database must see the request). */
static void test_session_limits(void **state)
{
    (void)state;
    session_cache_event(true);
    int64_t now = time(NULL);
    struct session_cached c = entry("tz", now, true), got;
    c.sess.expires_at = now;
    session_cache_put(HID_A, session_cache_generation(), &c);
    assert_false(session_cache_get(HID_A, true, now, &got));
    c = entry("tz", now, true);
    c.last_seen = now - SESSION_TOUCH;
    session_cache_put(HID_A, session_cache_generation(), &c);
    assert_false(session_cache_get(HID_A, true, now, &got));
    c.last_seen = now - SESSION_TOUCH + 1;
    session_cache_put(HID_A, session_cache_generation(), &c);
    assert_true(session_cache_get(HID_A, true, now, &got));
    session_cache_event(false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_off_keeps_nothing),
        cmocka_unit_test(test_kept_and_found),
        cmocka_unit_test(test_changes_forget),
        cmocka_unit_test(test_session_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
