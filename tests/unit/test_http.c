/* The server's pure parts: route matcher, arena, cookies and CSRF tokens, role scoping, static
 * path resolution, the OpenAPI document against the routes table; accounts and sessions on a
 * store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/scope.h"
#include "domain/session.h"
#include "domain/user.h"
#include "http/cookie.h"
#include "http/request.h"
#include "http/route.h"
#include "util/arena.h"

#include "testutil.h"

/* ---- routes ---- */

static void test_route_literal(void **state)
{
    struct route_params rp;
    assert_true(route_match("/healthz", "/healthz", &rp));
    assert_int_equal(rp.n, 0);
    assert_false(route_match("/healthz", "/healthz/", &rp));
    assert_false(route_match("/healthz", "/health", &rp));
    assert_false(route_match("/healthz", "/healthzz", &rp));
    assert_false(route_match("/api/v1/children", "/api/v1/children/", &rp));
    assert_false(route_match("/api/v1/children", "", &rp));
}

static void test_route_params(void **state)
{
    struct route_params rp;
    char v[16];
    assert_true(route_match("/api/v1/children/{id}", "/api/v1/children/42", &rp));
    assert_int_equal(rp.n, 1);
    assert_true(route_param(&rp, "id", v, sizeof(v)));
    assert_string_equal(v, "42");
    assert_false(route_param(&rp, "other", v, sizeof(v)));
    /* a parameter is one non-empty segment */
    assert_false(route_match("/api/v1/children/{id}", "/api/v1/children/", &rp));
    assert_false(route_match("/api/v1/children/{id}", "/api/v1/children/4/2", &rp));
    assert_true(route_match("/a/{x}/b/{y}", "/a/1/b/22", &rp));
    assert_int_equal(rp.n, 2);
    assert_true(route_param(&rp, "y", v, sizeof(v)));
    assert_string_equal(v, "22");
    /* too long for the caller's buffer: refused, not cut */
    assert_true(route_match("/a/{x}", "/a/12345678901234567890", &rp));
    assert_false(route_param(&rp, "x", v, sizeof(v)));
}

static void h(struct request *r)
{
}

static void test_route_find(void **state)
{
    static const struct route routes[] = {
        {.method = "GET", .pattern = "/s", .handler = h, .perm = PERM_PUBLIC},
        {.method = "POST", .pattern = "/s", .handler = h, .perm = PERM_PUBLIC},
        {.method = "GET", .pattern = "/c/{id}", .handler = h, .perm = PERM_CHILDREN},
    };
    struct route_params rp;
    bool known;
    assert_ptr_equal(route_find(routes, 3, "POST", "/s", &rp, &known), &routes[1]);
    assert_ptr_equal(route_find(routes, 3, "HEAD", "/c/1", &rp, &known), &routes[2]);
    assert_null(route_find(routes, 3, "DELETE", "/s", &rp, &known));
    assert_true(known); /* 405 */
    assert_null(route_find(routes, 3, "GET", "/x", &rp, &known));
    assert_false(known); /* 404 */
}

/* ---- arena ---- */

static void test_arena(void **state)
{
    struct arena a;
    arena_init(&a, 64);
    char *s = arena_strdup(&a, "保学");
    assert_string_equal(s, "保学");
    void *p[100];
    for (int i = 0; i < 100; i++) {
        p[i] = arena_alloc(&a, (size_t)i + 1);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        memset(p[i], i, (size_t)i + 1);
    }
    for (int i = 0; i < 100; i++)
        assert_int_equal(((unsigned char *)p[i])[i], (unsigned char)i);
    /* larger than a block, and the block's free space is kept */
    char *big = arena_alloc(&a, 10000);
    memset(big, 'x', 10000);
    char *after = arena_printf(&a, "%s-%d", "记录", 7);
    assert_string_equal(after, "记录-7");
    char *longer = arena_printf(&a, "%0300d", 5);
    assert_int_equal(strlen(longer), 300);
    assert_string_equal(s, "保学");
    assert_true(a.total > 10000);
    arena_release(&a);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
    arena_release(&a); /* twice is harmless */
}

/* ---- cookies and tokens ---- */

static void cookie_is(const char *header, const char *want)
{
    char v[80];
    bool ok = cookie_get(header, SESSION_COOKIE, v, sizeof(v));
    if (!want) {
        if (ok)
            fail_msg("cookie in [%s] found as [%s], expected none", header ? header : "(null)", v);
        return;
    }
    if (!ok)
        fail_msg("no cookie in [%s]", header);
    assert_string_equal(v, want);
}

/* The session cookie of a province's server names its county before the id. */
static void session_is(const char *header, const char *sid, const char *county)
{
    char id[65] = "", c[8] = "x";
    bool ok = cookie_session_get(header, id, sizeof(id), c);
    if (!sid) {
        if (ok)
            fail_msg("session in [%s] found as [%s] of [%s], expected none", header, id, c);
        assert_string_equal(c, "");
        return;
    }
    if (!ok)
        fail_msg("no session in [%s]", header);
    assert_string_equal(id, sid);
    assert_string_equal(c, county);
}

static void test_cookie_session_county(void **state)
{
    (void)state;
    session_is("baoxue_session=abc", "abc", "");
    session_is("a=1; baoxue_session=140521.abc", "abc", "140521");
    /* a county is six digits, and an id follows it */
    session_is("baoxue_session=14052.abc", NULL, NULL);
    session_is("baoxue_session=1405211.abc", NULL, NULL);
    session_is("baoxue_session=14052x.abc", NULL, NULL);
    session_is("baoxue_session=140521.", NULL, NULL);
    session_is("baoxue_session=.abc", NULL, NULL);
    session_is("other=140521.abc", NULL, NULL);
    /* an id longer than its buffer is none */
    session_is("baoxue_session=140521."
               "0123456789012345678901234567890123456789012345678901234567890123456789",
               NULL, NULL);
}

static void test_cookie_parse(void **state)
{
    cookie_is("baoxue_session=abc", "abc");
    cookie_is("a=1; baoxue_session=abc; b=2", "abc");
    cookie_is("a=1;baoxue_session=abc", "abc");
    cookie_is("  baoxue_session = abc  ", "abc");
    cookie_is("baoxue_session=\"abc\"", "abc");
    cookie_is("xbaoxue_session=abc", NULL);
    cookie_is("baoxue_sessionx=abc", NULL);
    cookie_is("baoxue_session=", NULL);
    cookie_is("baoxue_session", NULL);
    cookie_is("", NULL);
    cookie_is(NULL, NULL);
    cookie_is("a=b=c; baoxue_session=x=y", "x=y");
    /* too long for the buffer: refused, never cut */
    char longc[200];
    snprintf(longc, sizeof(longc), "baoxue_session=%0150d", 1);
    cookie_is(longc, NULL);
    /* the first of two wins */
    cookie_is("baoxue_session=one; baoxue_session=two", "one");
}

static void test_cookie_set(void **state)
{
    char c[256];
    cookie_session(c, sizeof(c), "abc", 28800, false);
    assert_string_equal(c, "baoxue_session=abc; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict");
    cookie_session(c, sizeof(c), "", 0, true);
    assert_non_null(strstr(c, "Max-Age=0"));
    assert_non_null(strstr(c, "; Secure"));
}

static void test_tokens(void **state)
{
    char a[TOKEN_HEX + 1], b[TOKEN_HEX + 1];
    token_new(a);
    token_new(b);
    assert_int_equal(strlen(a), TOKEN_HEX);
    assert_int_equal(strspn(a, "0123456789abcdef"), TOKEN_HEX);
    assert_string_not_equal(a, b);
    assert_true(token_equal(a, a));
    assert_false(token_equal(a, b));
    assert_false(token_equal(a, NULL));
    assert_false(token_equal(a, ""));
    char shorter[TOKEN_HEX];
    memcpy(shorter, a, TOKEN_HEX - 1);
    shorter[TOKEN_HEX - 1] = '\0';
    assert_false(token_equal(a, shorter));
}

static void test_lockout_backoff(void **state)
{
    assert_int_equal(login_lock_seconds(0), 0);
    assert_int_equal(login_lock_seconds(LOGIN_FREE_FAILURES - 1), 0);
    assert_int_equal(login_lock_seconds(LOGIN_FREE_FAILURES), LOGIN_LOCK_BASE);
    assert_int_equal(login_lock_seconds(LOGIN_FREE_FAILURES + 1), 2 * LOGIN_LOCK_BASE);
    assert_int_equal(login_lock_seconds(LOGIN_FREE_FAILURES + 100), LOGIN_LOCK_MAX);
}

/* ---- scoping ---- */

static void test_roles(void **state)
{
    for (int r = 0; r < ROLE__COUNT; r++) {
        assert_int_equal(role_parse(role_key((enum role)r)), r);
        assert_true(role_has((enum role)r, PERM_PUBLIC));
        assert_true(role_has((enum role)r, PERM_SESSION));
    }
    assert_int_equal(role_parse("nobody"), -1);
    assert_true(role_has(ROLE_ADMIN, PERM_AUDIT));
    assert_false(role_has(ROLE_COUNTY, PERM_AUDIT));
    assert_true(role_has(ROLE_COUNTY, PERM_FULL_ID));
    assert_false(role_has(ROLE_SUPERVISOR, PERM_FULL_ID)); /* never full IDs */
    assert_false(role_has(ROLE_SUPERVISOR, PERM_WRITE));   /* read-only */
    assert_false(role_has(ROLE_TOWNSHIP, PERM_FULL_ID));
    /* a department reads the children of its own lists (scope_reads_run), not their history */
    assert_true(role_has(ROLE_DEPARTMENT, PERM_CHILDREN));
    assert_false(role_has(ROLE_DEPARTMENT, PERM_CHILD_FILE));
    assert_true(role_has(ROLE_TOWNSHIP, PERM_CHILD_FILE));
    assert_false(role_has(ROLE__COUNT, PERM_PUBLIC));
    /* 销号 is approved by the county (issue 11) */
    assert_true(role_has(ROLE_COUNTY, PERM_APPROVE));
    assert_true(role_has(ROLE_ADMIN, PERM_APPROVE));
    for (int r = ROLE_TOWNSHIP; r < ROLE__COUNT; r++)
        assert_false(role_has((enum role)r, PERM_APPROVE));
    assert_non_null(strstr(perm_refusal(PERM_APPROVE), "县教育局"));
    /* casework: the township works its own; the supervisor reads; settings are the admin's */
    assert_true(role_has(ROLE_TOWNSHIP, PERM_CASEWORK));
    assert_true(role_has(ROLE_SUPERVISOR, PERM_CASEWORK));
    assert_false(role_has(ROLE_SCHOOL, PERM_CASEWORK));
    assert_false(role_has(ROLE_DEPARTMENT, PERM_CASEWORK));
    assert_false(role_has(ROLE_TOWNSHIP, PERM_REGISTRY));
    assert_true(role_has(ROLE_COUNTY, PERM_REGISTRY));
    assert_false(role_has(ROLE_SUPERVISOR, PERM_REGISTRY));
    assert_true(role_has(ROLE_ADMIN, PERM_SETTINGS));
    assert_false(role_has(ROLE_COUNTY, PERM_SETTINGS));
}

static void test_scope_filter(void **state)
{
    struct scope tz = {.role = ROLE_TOWNSHIP, .township = "140521100"};
    const char *t = NULL, *sch = "x";
    assert_true(scope_filter(&tz, &t, &sch));
    assert_string_equal(t, "140521100"); /* forced */
    assert_null(sch);
    t = "140521100";
    assert_true(scope_filter(&tz, &t, &sch));
    t = "140521101";
    assert_false(scope_filter(&tz, &t, &sch)); /* another township: nothing */
    t = "";
    assert_true(scope_filter(&tz, &t, &sch));
    assert_string_equal(t, "140521100");

    struct scope county = {.role = ROLE_COUNTY};
    t = "140521101";
    assert_true(scope_filter(&county, &t, &sch));
    assert_string_equal(t, "140521101");
    assert_null(sch);
    t = NULL;
    assert_true(scope_filter(&county, &t, &sch));
    assert_null(t);

    struct scope school = {.role = ROLE_SCHOOL, .school = "2114052101"};
    t = NULL;
    assert_true(scope_filter(&school, &t, &sch));
    assert_string_equal(sch, "2114052101");

    struct scope dept = {.role = ROLE_DEPARTMENT, .user = "gongan", .department = "police"};
    assert_false(scope_filter(&dept, &t, &sch));
    /* its reach is the run whose population list it uploaded */
    assert_true(scope_reads_run(&dept, "police"));
    assert_false(scope_reads_run(&dept, ""));
    assert_false(scope_reads_run(&dept, "civil_affairs"));
    assert_false(scope_reads_run(&county, "police")); /* the county reads by scope_filter */
    struct scope legacy = {.role = ROLE_DEPARTMENT, .department = "县公安局户政科"};
    assert_false(scope_reads_run(&legacy, "县公安局户政科")); /* not of the vocabulary */
}

static void test_scope_allows(void **state)
{
    struct scope tz = {.role = ROLE_TOWNSHIP, .township = "140521100"};
    assert_true(scope_allows(&tz, "140521100", ""));
    assert_false(scope_allows(&tz, "140521101", ""));
    assert_false(scope_allows(&tz, "", ""));
    struct scope broken = {.role = ROLE_TOWNSHIP, .township = ""};
    assert_false(scope_allows(&broken, "", "")); /* an empty region sees nothing */
    struct scope school = {.role = ROLE_SCHOOL, .school = "S1"};
    assert_true(scope_allows(&school, "140521101", "S1"));
    assert_false(scope_allows(&school, "140521101", "S2"));
    assert_false(scope_allows(&school, "140521101", ""));
    struct scope sup = {.role = ROLE_SUPERVISOR};
    assert_true(scope_allows(&sup, "140521101", ""));
    struct scope dept = {.role = ROLE_DEPARTMENT};
    assert_false(scope_allows(&dept, "140521101", ""));
}

/* ---- static files ---- */

/* Tasks and cases: who reaches which, for which action (404 unreadable, 403 read-only). */
static void test_scope_object_reach(void **state)
{
    (void)state;
    struct scope town = {.role = ROLE_TOWNSHIP, .township = "140521100"};
    struct scope school = {.role = ROLE_SCHOOL, .school = "2114052101", .school_name = "实验小学"};
    struct scope nameless = {.role = ROLE_SCHOOL, .school = ""};
    struct scope dept = {.role = ROLE_DEPARTMENT, .department = "police"};
    struct scope civil = {.role = ROLE_DEPARTMENT, .department = "civil_affairs"};
    struct scope county = {.role = ROLE_COUNTY};
    struct scope sup = {.role = ROLE_SUPERVISOR};
    struct object_ties registration = {"140521101", TIE_REGISTRATION};
    struct object_ties own = {"140521100", 0}, other = {"140521101", 0};
    struct object_ties pupil = {"140521101", TIE_SCHOOL_RECORD};
    struct object_ties returned = {"140521101", TIE_RETURNED_TO};
    struct object_ties paired = {"140521101", TIE_TEACHER};

    assert_int_equal(scope_object_allows(&town, SCOPE_CASE, &own, ACT_WRITE), OUT_OK);
    assert_int_equal(scope_object_allows(&town, SCOPE_CASE, &other, ACT_READ), OUT_NOT_FOUND);
    assert_int_equal(scope_object_allows(&county, SCOPE_TASK, &other, ACT_WRITE), OUT_OK);
    /* a school: reads what is tied to it, writes only its teachers' visits and follow-ups */
    assert_int_equal(scope_object_allows(&school, SCOPE_CASE, &other, ACT_READ), OUT_NOT_FOUND);
    assert_int_equal(scope_object_allows(&school, SCOPE_CASE, &pupil, ACT_READ), OUT_OK);
    assert_int_equal(scope_object_allows(&school, SCOPE_CASE, &pupil, ACT_ATTEMPT), OUT_FORBIDDEN);
    assert_int_equal(scope_object_allows(&school, SCOPE_CASE, &paired, ACT_ATTEMPT), OUT_OK);
    assert_int_equal(scope_object_allows(&school, SCOPE_CASE, &paired, ACT_FOLLOW_UP),
                     OUT_FORBIDDEN);
    assert_int_equal(scope_object_allows(&school, SCOPE_CASE, &returned, ACT_FOLLOW_UP), OUT_OK);
    assert_int_equal(scope_object_allows(&school, SCOPE_CASE, &returned, ACT_WRITE), OUT_FORBIDDEN);
    assert_int_equal(scope_object_allows(&school, SCOPE_TASK, &pupil, ACT_READ), OUT_OK);
    assert_int_equal(scope_object_allows(&school, SCOPE_TASK, &returned, ACT_READ), OUT_NOT_FOUND);
    assert_int_equal(scope_object_allows(&school, SCOPE_TASK, &pupil, ACT_WRITE), OUT_FORBIDDEN);
    assert_int_equal(scope_object_allows(&nameless, SCOPE_CASE, &pupil, ACT_READ), OUT_NOT_FOUND);
    /* a department: what its duty needs. The police read 户籍问题 outcomes and change nothing;
     * no case; 民政 reads no task. A supervisor reads everything */
    assert_int_equal(scope_object_allows(&dept, SCOPE_TASK, &registration, ACT_READ), OUT_OK);
    assert_int_equal(scope_object_allows(&dept, SCOPE_TASK, &registration, ACT_WRITE),
                     OUT_FORBIDDEN);
    assert_int_equal(scope_object_allows(&dept, SCOPE_TASK, &other, ACT_READ), OUT_NOT_FOUND);
    assert_int_equal(scope_object_allows(&dept, SCOPE_CASE, &other, ACT_READ), OUT_NOT_FOUND);
    assert_int_equal(scope_object_allows(&civil, SCOPE_TASK, &registration, ACT_READ),
                     OUT_NOT_FOUND);
    assert_false(scope_reads_story(&dept));
    assert_true(scope_reads_story(&sup));
    /* a village (村两委): the tasks and cases of its villages' children (TIE_VILLAGE, which
     * casework_ties gives only for the account's own villages), in its own township only; it
     * records outcomes, 劝返 and follow-ups, and sees the contact; the rest of a case is the
     * township's */
    struct scope village = {.user_id = 9, .role = ROLE_VILLAGE, .township = "140521100"};
    struct object_ties mine = {"140521100", TIE_VILLAGE};
    struct object_ties next_village = {"140521100", 0};
    struct object_ties elsewhere = {"140521101", TIE_VILLAGE};
    assert_int_equal(scope_object_allows(&village, SCOPE_TASK, &mine, ACT_READ), OUT_OK);
    assert_int_equal(scope_object_allows(&village, SCOPE_TASK, &mine, ACT_VERIFY), OUT_OK);
    assert_int_equal(scope_object_allows(&village, SCOPE_TASK, &mine, ACT_WRITE), OUT_FORBIDDEN);
    assert_int_equal(scope_object_allows(&town, SCOPE_TASK, &own, ACT_VERIFY), OUT_OK);
    assert_int_equal(scope_object_allows(&school, SCOPE_TASK, &pupil, ACT_VERIFY), OUT_FORBIDDEN);
    /* the guardian's phone and address: the accounts of the people assigned to the child now
     * (TIE_ASSIGNED), no one else of the township, village or school */
    struct object_ties mine_assigned = {"140521100", TIE_VILLAGE | TIE_ASSIGNED};
    struct object_ties own_assigned = {"140521100", TIE_ASSIGNED};
    struct object_ties paired_assigned = {"140521101", TIE_TEACHER | TIE_ASSIGNED};
    assert_int_equal(scope_object_allows(&village, SCOPE_TASK, &mine, ACT_CONTACT), OUT_FORBIDDEN);
    assert_int_equal(scope_object_allows(&village, SCOPE_TASK, &mine_assigned, ACT_CONTACT),
                     OUT_OK);
    assert_int_equal(scope_object_allows(&town, SCOPE_CASE, &own, ACT_CONTACT), OUT_FORBIDDEN);
    assert_int_equal(scope_object_allows(&town, SCOPE_CASE, &own_assigned, ACT_CONTACT), OUT_OK);
    assert_int_equal(scope_object_allows(&school, SCOPE_CASE, &paired, ACT_CONTACT), OUT_FORBIDDEN);
    assert_int_equal(scope_object_allows(&school, SCOPE_CASE, &paired_assigned, ACT_CONTACT),
                     OUT_OK);
    /* assigned, but the object is out of reach: it does not exist for the account */
    struct object_ties far_assigned = {"140521101", TIE_ASSIGNED};
    assert_int_equal(scope_object_allows(&town, SCOPE_CASE, &far_assigned, ACT_CONTACT),
                     OUT_NOT_FOUND);
    assert_int_equal(scope_object_allows(&county, SCOPE_CASE, &own_assigned, ACT_CONTACT),
                     OUT_FORBIDDEN);
    assert_int_equal(scope_object_allows(&village, SCOPE_CASE, &mine, ACT_ATTEMPT), OUT_OK);
    assert_int_equal(scope_object_allows(&village, SCOPE_CASE, &mine, ACT_FOLLOW_UP), OUT_OK);
    assert_int_equal(scope_object_allows(&village, SCOPE_CASE, &mine, ACT_WRITE), OUT_FORBIDDEN);
    assert_int_equal(scope_object_allows(&village, SCOPE_TASK, &next_village, ACT_READ),
                     OUT_NOT_FOUND);
    assert_int_equal(scope_object_allows(&village, SCOPE_CASE, &next_village, ACT_READ),
                     OUT_NOT_FOUND);
    assert_int_equal(scope_object_allows(&village, SCOPE_TASK, &elsewhere, ACT_READ),
                     OUT_NOT_FOUND);
    assert_int_equal(scope_object_allows(&village, SCOPE_TASK, &registration, ACT_READ),
                     OUT_NOT_FOUND);
    struct scope townless = {.user_id = 9, .role = ROLE_VILLAGE};
    assert_int_equal(scope_object_allows(&townless, SCOPE_TASK, &mine, ACT_READ), OUT_NOT_FOUND);
    /* its lists: the tasks and cases tied to its villages, never a township's */
    bool lall;
    const char *ltown;
    unsigned lties;
    assert_true(scope_list_reach(&village, SCOPE_TASK, &lall, &ltown, &lties));
    assert_false(lall);
    assert_null(ltown);
    assert_int_equal(lties, TIE_VILLAGE);
    assert_true(scope_list_reach(&village, SCOPE_CASE, &lall, &ltown, &lties));
    assert_int_equal(lties, TIE_VILLAGE);
    /* a township reaches its tasks by township, never by a village's tie */
    assert_true(scope_list_reach(&town, SCOPE_TASK, &lall, &ltown, &lties));
    assert_int_equal(lties & TIE_VILLAGE, 0);
    /* no township-wide list, no child record beyond its tasks and cases, no counts */
    const char *ft = NULL, *fs = NULL;
    assert_false(scope_filter(&village, &ft, &fs));
    assert_false(scope_allows(&village, "140521100", ""));
    assert_false(role_has(ROLE_VILLAGE, PERM_CHILDREN));
    assert_false(role_has(ROLE_VILLAGE, PERM_SUMMARY));
    assert_false(role_has(ROLE_VILLAGE, PERM_CASEWORK));
    assert_true(role_has(ROLE_VILLAGE, PERM_CASES));
    assert_true(role_has(ROLE_VILLAGE, PERM_WRITE));
    assert_true(role_reads_objects(ROLE_VILLAGE, SCOPE_TASK));
    assert_true(role_reads_objects(ROLE_VILLAGE, SCOPE_CASE));
    assert_int_equal(role_parse("village"), ROLE_VILLAGE);
    assert_int_equal(role_parse("村"), ROLE_VILLAGE);
    /* a school's tie bits do not make a township's registration task the school's */
    assert_int_equal(scope_object_allows(&school, SCOPE_TASK, &registration, ACT_READ),
                     OUT_NOT_FOUND);
    assert_int_equal(scope_object_allows(&sup, SCOPE_TASK, &other, ACT_READ), OUT_OK);
    assert_int_equal(scope_object_allows(&sup, SCOPE_CASE, &own, ACT_FOLLOW_UP), OUT_FORBIDDEN);

    /* the lists reach the same */
    bool all;
    const char *t;
    unsigned ties;
    assert_true(scope_list_reach(&county, SCOPE_CASE, &all, &t, &ties));
    assert_true(all);
    assert_true(scope_list_reach(&town, SCOPE_TASK, &all, &t, &ties));
    assert_false(all);
    assert_string_equal(t, "140521100");
    assert_true(scope_list_reach(&school, SCOPE_CASE, &all, &t, &ties));
    assert_null(t);
    assert_int_equal(ties, TIE_SCHOOL_RECORD | TIE_RETURNED_TO | TIE_TEACHER);
    assert_true(scope_list_reach(&school, SCOPE_TASK, &all, &t, &ties));
    assert_int_equal(ties, TIE_SCHOOL_RECORD | TIE_TEACHER);
    assert_false(scope_list_reach(&nameless, SCOPE_CASE, &all, &t, &ties));
    assert_true(scope_list_reach(&dept, SCOPE_TASK, &all, &t, &ties));
    assert_false(all);
    assert_null(t);
    assert_int_equal(ties, TIE_REGISTRATION);
    assert_false(scope_list_reach(&dept, SCOPE_CASE, &all, &t, &ties));
    assert_false(scope_list_reach(&civil, SCOPE_TASK, &all, &t, &ties));
    /* the new permissions */
    assert_true(role_has(ROLE_SCHOOL, PERM_CASES));
    assert_true(role_has(ROLE_DEPARTMENT, PERM_UPLOAD));
    assert_false(role_has(ROLE_DEPARTMENT, PERM_IMPORT));
    assert_false(role_has(ROLE_SCHOOL, PERM_UPLOAD));
    assert_false(role_has(ROLE_SUPERVISOR, PERM_UPLOAD));
}

static void test_static_resolve(void **state)
{
    char *root = tu_path(tu_dir, "web");
    char *sub = tu_path(root, "assets");
    assert_int_equal(mkdir(root, 0755), 0);
    assert_int_equal(mkdir(sub, 0755), 0);
    free(tu_write_str(root, "index.html", "<html>"));
    free(tu_write_str(sub, "app.js", "x"));
    free(tu_write_str(tu_dir, "secret.txt", "secret"));
    char *link = tu_path(root, "escape.txt");
    char *target = tu_path(tu_dir, "secret.txt");
    assert_int_equal(symlink(target, link), 0);
    char out[4096];
    assert_true(static_resolve(root, "/", out, sizeof(out)));
    assert_non_null(strstr(out, "/web/index.html"));
    assert_true(static_resolve(root, "/assets/app.js", out, sizeof(out)));
    assert_true(static_resolve(root, "/assets", out, sizeof(out)) == false); /* no index */
    assert_false(static_resolve(root, "/../secret.txt", out, sizeof(out)));
    assert_false(static_resolve(root, "/assets/../../secret.txt", out, sizeof(out)));
    assert_false(static_resolve(root, "/./index.html", out, sizeof(out)));
    assert_false(static_resolve(root, "/..", out, sizeof(out)));
    assert_false(static_resolve(root, "/escape.txt", out, sizeof(out))); /* symlink out */
    assert_false(static_resolve(root, "/assets\\..\\..\\secret.txt", out, sizeof(out)));
    assert_false(static_resolve(root, "//etc/passwd", out, sizeof(out)));
    assert_false(static_resolve(root, "/nope.html", out, sizeof(out)));
    assert_false(static_resolve(root, "relative", out, sizeof(out)));
    free(root);
    free(sub);
    free(link);
    free(target);
}

static void test_static_types(void **state)
{
    assert_string_equal(static_content_type("/a/index.html"), "text/html; charset=utf-8");
    assert_string_equal(static_content_type("x.JS"), "text/javascript; charset=utf-8");
    assert_string_equal(static_content_type("font.woff2"), "font/woff2");
    assert_string_equal(static_content_type("noext"), "application/octet-stream");
    assert_string_equal(static_content_type("dir.v1/noext"), "application/octet-stream");
    assert_true(static_is_hashed("/assets/app.3f9a1c2e.js"));
    assert_true(static_is_hashed("index-BkX2c9aZ.css"));
    assert_false(static_is_hashed("/index.html"));
    assert_false(static_is_hashed("app.js"));
    assert_false(static_is_hashed("echarts.min.js"));
}

/* ---- the OpenAPI document is exactly the routes table ---- */

static void test_openapi_matches_routes(void **state)
{
    size_t nroutes;
    const struct route *routes = routes_all(&nroutes);
    json_error_t je;
    json_t *doc = json_loads(openapi_document(), 0, &je);
    if (!doc)
        fail_msg("openapi.json is not JSON: %s (line %d)", je.text, je.line);
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
    json_t *paths = json_object_get(doc, "paths");
    assert_non_null(paths);
    for (size_t i = 0; i < nroutes; i++) {
        char m[16];
        size_t k = 0;
        for (; routes[i].method[k] && k < sizeof(m) - 1; k++)
            m[k] = (char)(routes[i].method[k] | 0x20);
        m[k] = '\0';
        json_t *op = json_object_get(json_object_get(paths, routes[i].pattern), m);
        if (!op)
            fail_msg("route %s %s is not in openapi.json", routes[i].method, routes[i].pattern);
        assert_string_equal(json_string_value(json_object_get(op, "summary")), routes[i].summary);
    }
    /* and nothing else */
    const char *path;
    json_t *item;
    size_t ops = 0;
    json_object_foreach(paths, path, item)
    {
        const char *method;
        json_t *op;
        json_object_foreach(item, method, op)
        {
            bool found = false;
            for (size_t i = 0; i < nroutes; i++)
                if (!strcmp(routes[i].pattern, path) && !strcasecmp(routes[i].method, method))
                    found = true;
            if (!found)
                fail_msg("openapi.json has %s %s, which no route serves", method, path);
            ops++;
        }
    }
    assert_int_equal(ops, nroutes);
    json_decref(doc);
}

/* ---- accounts and sessions on a store ---- */

static void test_accounts_and_sessions(void **state)
{
    struct tu_fx *fx = *state;
    struct store *s = fx->s;
    struct outcome o = OUTCOME_INIT;
    struct user u = {.role = ROLE_TOWNSHIP};
    snprintf(u.name, sizeof(u.name), "zhang");
    /* a township account needs its township */
    assert_int_equal(user_add(s, &u, "long-enough-1", "t", "cli", &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    assert_string_equal(o.field, "township"); /* the field at fault, named by its key */
    assert_null(strstr(o.msg.buf, "--"));     /* and the message names no option */
    outcome_reset(&o);
    snprintf(u.township, sizeof(u.township), "140521100");
    assert_int_equal(user_add(s, &u, "short", "t", "cli", &o), -1);
    assert_string_equal(o.field, "password");
    outcome_reset(&o);
    assert_int_equal(user_add(s, &u, "long-enough-1", "t", "cli", &o), 0);
    assert_int_equal(user_add(s, &u, "long-enough-1", "t", "cli", &o), -1); /* taken */
    outcome_reset(&o);
    char *hash = tu_text(s, "SELECT password_hash FROM app_user WHERE name = 'zhang'", NULL, NULL);
    assert_non_null(strstr(hash, "$argon2id$"));
    free(hash);

    struct session ses, cur;
    int64_t retry = 0, now = 1800000000;
    assert_int_equal(
        session_login(s, "zhang", "wrong-password", "10.0.0.1", "10.0.0.1", now, &ses, &retry),
        LOGIN_BAD);
    assert_int_equal(
        session_login(s, "nobody", "wrong-password", "10.0.0.1", "10.0.0.1", now, &ses, &retry),
        LOGIN_BAD);
    assert_int_equal(
        session_login(s, "zhang", "long-enough-1", "10.0.0.1", "10.0.0.1", now, &ses, &retry),
        LOGIN_OK);
    assert_int_equal(strlen(ses.id), TOKEN_HEX);
    /* the table holds the hash of the id, never the id */
    assert_int_equal(tu_int(s, "SELECT count(*) FROM session WHERE id_hash = $1", ses.id), 0);
    assert_int_equal(session_lookup(s, ses.id, now + 10, &cur), 1);
    assert_string_equal(cur.user.name, "zhang");
    assert_string_equal(cur.user.township, "140521100");
    assert_string_equal(cur.csrf, ses.csrf);
    assert_int_equal(session_lookup(s, "00", now, &cur), 0);
    /* idle, then expired */
    assert_int_equal(session_lookup(s, ses.id, now + SESSION_IDLE + 1, &cur), 0);
    assert_int_equal(session_lookup(s, ses.id, now + SESSION_TTL + 1, &cur), 0);
    /* disabling ends the session at once */
    assert_int_equal(user_set_disabled(s, "zhang", true, "t", "cli", &o), 0);
    assert_int_equal(session_lookup(s, ses.id, now + 20, &cur), 0);
    assert_int_equal(
        session_login(s, "zhang", "long-enough-1", "10.0.0.1", "10.0.0.1", now, &ses, &retry),
        LOGIN_BAD);
    assert_int_equal(user_set_disabled(s, "zhang", false, "t", "cli", &o), 0);

    /* the lockout: the right password does not help while locked */
    for (int i = 0; i < LOGIN_FREE_FAILURES; i++)
        assert_int_equal(
            session_login(s, "zhang", "bad-bad-bad", "10.0.0.2", "10.0.0.2", now, &ses, &retry),
            LOGIN_BAD);
    assert_int_equal(
        session_login(s, "zhang", "long-enough-1", "10.0.0.2", "10.0.0.2", now + 1, &ses, &retry),
        LOGIN_LOCKED);
    assert_int_equal(retry, LOGIN_LOCK_BASE - 1);
    assert_int_equal(session_login(s, "zhang", "long-enough-1", "10.0.0.2", "10.0.0.2",
                                   now + LOGIN_LOCK_BASE, &ses, &retry),
                     LOGIN_OK);
    /* the pair is a known client now, its count cleared */
    assert_int_equal(tu_int(s,
                            "SELECT failures FROM login_attempt WHERE name = $1"
                            " AND address = '10.0.0.2' AND signed_in_at > 0",
                            "zhang"),
                     0);
    assert_int_equal(tu_int(s,
                            "SELECT count(*) FROM login_attempt WHERE name = $1"
                            " AND address = '10.0.0.2' AND signed_in_at > 0",
                            "zhang"),
                     1);
    assert_true(tu_int(s, "SELECT count(*) FROM audit WHERE action = 'login_failed'", NULL) >= 7);
    /* what locks nothing any more is forgotten a day after its last attempt; a known client
     * is remembered */
    assert_int_equal(
        session_login(s, "ghost", "bad-bad-bad", "10.0.0.3", "10.0.0.3", now, &ses, &retry),
        LOGIN_BAD);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM login_attempt WHERE address = $1", "10.0.0.3"),
                     2);
    assert_int_equal(session_login(s, "zhang", "long-enough-1", "10.0.0.2", "10.0.0.2",
                                   now + LOGIN_FORGET + LOGIN_LOCK_MAX, &ses, &retry),
                     LOGIN_OK);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM login_attempt WHERE address = $1", "10.0.0.3"),
                     0);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM login_attempt WHERE name = $1", "ghost"), 0);
    assert_int_equal(tu_int(s,
                            "SELECT count(*) FROM login_attempt WHERE address = $1"
                            " AND name = 'zhang' AND failures = 0",
                            "10.0.0.2"),
                     1);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM audit WHERE action = 'login_locked'", NULL),
                     1);
    outcome_release(&o);
}

/*
 * A session stays valid while another connection holds SQLite's write lock (an import is one
 * transaction for the whole file): writing last_seen waits out the busy timeout and fails, and
 * the lookup still finds the session. It used to fail the request (服务器内部错误 while a user
 * polled a long import's progress).
 */
static void test_session_lookup_under_a_writer(void **state)
{
    struct tu_fx *fx = *state;
    if (tu_pg())
        skip(); /* PostgreSQL locks rows: the import's inserts never hold the session's */
    struct user u = {.role = ROLE_COUNTY};
    snprintf(u.name, sizeof(u.name), "zhang");
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(user_add(fx->s, &u, "long-enough-1", "t", "cli", &o), 0);
    struct session ses, cur;
    int64_t retry = 0, now = 1800000000;
    assert_int_equal(
        session_login(fx->s, "zhang", "long-enough-1", "10.0.0.1", "10.0.0.1", now, &ses, &retry),
        LOGIN_OK);

    char *path = tu_path(fx->dir, "db.sqlite");
    struct store *writer = tu_store_open(path, STORE_OPEN_EXISTING);
    free(path);
    assert_int_equal(store_begin(writer), 0);
    assert_int_equal(store_run(writer, "UPDATE app_user SET township_code = NULL", 0, NULL), 0);
    /* due for a touch, which cannot be written now */
    assert_int_equal(session_lookup(fx->s, ses.id, now + SESSION_TOUCH + 1, &cur), 1);
    assert_string_equal(cur.user.name, "zhang");
    assert_int_equal(store_rollback(writer), 0);
    store_close(writer);
    outcome_release(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_literal),
        cmocka_unit_test(test_route_params),
        cmocka_unit_test(test_route_find),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_cookie_parse),
        cmocka_unit_test(test_cookie_session_county),
        cmocka_unit_test(test_cookie_set),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_lockout_backoff),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_scope_filter),
        cmocka_unit_test(test_scope_allows),
        cmocka_unit_test(test_scope_object_reach),
        cmocka_unit_test(test_static_resolve),
        cmocka_unit_test(test_static_types),
        cmocka_unit_test(test_openapi_matches_routes),
        cmocka_unit_test_setup_teardown(test_accounts_and_sessions, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_session_lookup_under_a_writer, tu_fx_setup,
                                        tu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
