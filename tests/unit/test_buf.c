#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * util/buf: the one growable buffer. Its invariants (never NULL, always NUL-terminated at
 * len, BUF_INIT owns nothing) hold after every operation; growth keeps what was there.
 */

/* The invariants every buffer keeps, whatever was done to it. */
static void invariants(const struct buf *b)
{
    assert_non_null(b->buf);
    assert_int_equal(b->buf[b->len], '\0');
    if (b->alloc)
        assert_true(b->len < b->alloc);
    else
        assert_int_equal(b->len, 0);
}

static void test_init_is_empty_and_owns_nothing(void **state)
{
    struct buf a = BUF_INIT, b;
    invariants(&a);
    assert_int_equal(a.alloc, 0);
    assert_string_equal(a.buf, "");
    buf_init(&b, 0);
    invariants(&b);
    assert_int_equal(b.alloc, 0);
    /* a hint allocates room for it and its NUL, and stays empty */
    buf_init(&b, 100);
    invariants(&b);
    assert_true(b.alloc >= 101);
    assert_int_equal(b.len, 0);
    buf_release(&b);
    invariants(&b);
    assert_int_equal(b.alloc, 0);
    /* releasing an empty buffer, twice, is fine */
    buf_release(&a);
    buf_release(&a);
    invariants(&a);
}

static void test_add_grows_and_keeps_content(void **state)
{
    struct buf b = BUF_INIT;
    char expect[5000];
    size_t n = 0;
    /* one byte at a time across many reallocations, and strings, and raw bytes */
    for (int i = 0; i < 1000; i++) {
        buf_addch(&b, 'a' + i % 26);
        expect[n++] = (char)('a' + i % 26);
        invariants(&b);
    }
    for (int i = 0; i < 100; i++) {
        buf_adds(&b, "保学");
        memcpy(expect + n, "保学", strlen("保学"));
        n += strlen("保学");
        buf_add(&b, "xyz", 2);
        memcpy(expect + n, "xy", 2);
        n += 2;
        invariants(&b);
    }
    assert_int_equal(b.len, n);
    assert_memory_equal(b.buf, expect, n);
    /* adding nothing changes nothing, not even on an empty buffer */
    struct buf e = BUF_INIT;
    buf_add(&e, "ignored", 0);
    buf_adds(&e, "");
    buf_addchars(&e, 'x', 0);
    assert_int_equal(e.alloc, 0);
    invariants(&e);
    buf_release(&b);
}

static void test_binary_content_keeps_its_nuls(void **state)
{
    struct buf b = BUF_INIT;
    const char bytes[] = {'a', '\0', 'b', '\0', '\0', 'c'};
    buf_add(&b, bytes, sizeof(bytes));
    buf_addch(&b, '\0');
    assert_int_equal(b.len, sizeof(bytes) + 1);
    assert_memory_equal(b.buf, bytes, sizeof(bytes));
    assert_int_equal(b.buf[6], '\0');
    invariants(&b);
    buf_release(&b);
}

static void test_addf_matches_snprintf_at_every_length(void **state)
{
    struct buf b = BUF_INIT;
    char expect[8192] = "";
    size_t n = 0;
    /* lengths around every power of two the buffer passes while growing */
    for (int i = 0; i < 300; i++) {
        char piece[64];
        int k = snprintf(piece, sizeof(piece), "%d:%s;%05.1f|%c", i, i % 3 ? "乡镇" : "", i / 7.0,
                         'A' + i % 26);
        buf_addf(&b, "%d:%s;%05.1f|%c", i, i % 3 ? "乡镇" : "", i / 7.0, 'A' + i % 26);
        memcpy(expect + n, piece, (size_t)k);
        n += (size_t)k;
        invariants(&b);
    }
    assert_int_equal(b.len, n);
    assert_memory_equal(b.buf, expect, n);
    /* one formatted piece longer than anything the buffer held */
    struct buf big = BUF_INIT;
    buf_adds(&big, "x");
    buf_addf(&big, "%3000s|", "end");
    assert_int_equal(big.len, 1 + 3000 + 1);
    assert_string_equal(big.buf + big.len - 4, "end|");
    invariants(&big);
    /* an empty format on a buffer that owns nothing */
    struct buf e = BUF_INIT;
    buf_addf(&e, "%s", "");
    assert_int_equal(e.len, 0);
    invariants(&e);
    buf_release(&e);
    buf_release(&big);
    buf_release(&b);
}

static void vadd(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(b, fmt, ap);
    va_end(ap);
}

/* buf_vaddf formats twice when the first try does not fit: the va_list must survive that. */
static void test_vaddf_survives_the_second_pass(void **state)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "ab");
    char longer[600];
    memset(longer, 'z', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    vadd(&b, "[%s|%d|%s]", longer, 42, "尾");
    assert_int_equal(b.len, 2 + 1 + 599 + 1 + 2 + 1 + strlen("尾") + 1);
    assert_memory_equal(b.buf, "ab[", 3);
    assert_string_equal(b.buf + 3 + 599, "|42|尾]");
    buf_release(&b);
}

static void test_utf8_and_repeated_chars(void **state)
{
    struct buf b = BUF_INIT;
    buf_add_utf8(&b, 'A');
    buf_add_utf8(&b, 0xE9);    /* é, two bytes */
    buf_add_utf8(&b, 0x4E2D);  /* 中, three */
    buf_add_utf8(&b, 0x20BB7); /* 𠮷, four */
    assert_string_equal(b.buf, "A\xC3\xA9\xE4\xB8\xAD\xF0\xA0\xAE\xB7");
    assert_int_equal(b.len, 1 + 2 + 3 + 4);
    buf_reset(&b);
    buf_addchars(&b, '-', 7);
    buf_addchars(&b, ' ', 1);
    assert_string_equal(b.buf, "------- ");
    invariants(&b);
    buf_release(&b);
}

static void test_trim(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"  abc  ", "abc"},     {"\t\r\nabc\n", "abc"}, {"abc", "abc"},
        {"a b", "a b"},         {" \t\r\n ", ""},       {"", ""},
        {" 　全角 ", "　全角"}, /* an ideographic space is not ASCII whitespace */
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct buf b = BUF_INIT;
        buf_adds(&b, cases[i].in);
        buf_trim(&b);
        assert_string_equal(b.buf, cases[i].out);
        assert_int_equal(b.len, strlen(cases[i].out));
        invariants(&b);
        buf_release(&b);
    }
    /* trimming a buffer that owns nothing leaves it so */
    struct buf e = BUF_INIT;
    buf_trim(&e);
    assert_int_equal(e.alloc, 0);
    invariants(&e);
}

static void test_reset_and_setlen_keep_memory(void **state)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "hello, world");
    size_t alloc = b.alloc;
    char *mem = b.buf;
    buf_setlen(&b, 5);
    assert_string_equal(b.buf, "hello");
    buf_reset(&b);
    assert_string_equal(b.buf, "");
    assert_int_equal(b.alloc, alloc);
    assert_ptr_equal(b.buf, mem);
    buf_adds(&b, "again");
    assert_ptr_equal(b.buf, mem);
    assert_string_equal(b.buf, "again");
    /* setlen 0 on a buffer that owns nothing is allowed */
    struct buf e = BUF_INIT;
    buf_setlen(&e, 0);
    buf_reset(&e);
    invariants(&e);
    buf_release(&b);
}

static void test_detach_hands_over_and_reinits(void **state)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "名册");
    size_t len = 0;
    char *s = buf_detach(&b, &len);
    assert_string_equal(s, "名册");
    assert_int_equal(len, strlen("名册"));
    invariants(&b);
    assert_int_equal(b.alloc, 0);
    /* the buffer is usable again, and what was handed over is not touched by it */
    buf_adds(&b, "x");
    assert_string_equal(s, "名册");
    free(s);
    buf_release(&b);
    /* an empty buffer still hands over a string the caller may free */
    struct buf e = BUF_INIT;
    s = buf_detach(&e, &len);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    assert_true(s != buf_empty_);
    free(s);
    s = buf_detach(&e, NULL); /* len optional */
    free(s);
}

/* Whether f() kills the process with SIGABRT (run in a child). */
static bool aborts(void (*f)(void))
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* no core file, no sanitizer report */
        signal(SIGABRT, SIG_DFL);
        f();
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void setlen_beyond_alloc(void)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "abc");
    buf_setlen(&b, b.alloc);
}

static void setlen_on_unowned(void)
{
    struct buf b = BUF_INIT;
    buf_setlen(&b, 1);
}

static void setlen_within(void)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "abc");
    buf_setlen(&b, b.alloc - 1);
    buf_release(&b);
}

/* A length the buffer cannot hold is a bug, stopped at once rather than written past. */
static void test_setlen_past_the_end_aborts(void **state)
{
    assert_true(aborts(setlen_beyond_alloc));
    assert_true(aborts(setlen_on_unowned));
    assert_false(aborts(setlen_within));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_is_empty_and_owns_nothing),
        cmocka_unit_test(test_add_grows_and_keeps_content),
        cmocka_unit_test(test_binary_content_keeps_its_nuls),
        cmocka_unit_test(test_addf_matches_snprintf_at_every_length),
        cmocka_unit_test(test_vaddf_survives_the_second_pass),
        cmocka_unit_test(test_utf8_and_repeated_chars),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_reset_and_setlen_keep_memory),
        cmocka_unit_test(test_detach_hands_over_and_reinits),
        cmocka_unit_test(test_setlen_past_the_end_aborts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
