/* Which new passwords are refused: too short or long, one character repeated, a run of
 * consecutive characters, the account's own name, or one of the passwords every guessing list
 * starts with. */
#include <strings.h>

#include "domain/user.h"
#include "util/common.h"
#include "util/utf8.h"

/*
 * The commonest passwords of at least PASSWORD_MIN characters (shorter ones are refused
 * anyway), lowercase: the heads of the public lists (RockYou, the yearly SplashData and NordPass
 * lists, the 2011 CSDN leak) and what Chinese users favour: 520/1314 (我爱你一生一世), 8 and 6,
 * pinyin, keyboard walks. Compared without regard to case.
 */
static const char *const common[] = {
    "password",     "password1",        "password12",       "password123",  "passw0rd",
    "p@ssw0rd",     "p@ssword",         "passwd123",        "pass1234",     "pass@123",
    "password!",    "iloveyou",         "iloveyou1",        "iloveyou2",    "sunshine",
    "princess",     "football",         "baseball",         "basketball",   "superman",
    "batman123",    "trustno1",         "whatever",         "starwars",     "computer",
    "michelle",     "jennifer",         "corvette",         "mercedes",     "internet",
    "liverpool",    "chelsea1",         "arsenal1",         "letmein1",     "letmein123",
    "welcome1",     "welcome123",       "welcome2026",      "changeme",     "changeme1",
    "default1",     "secret123",        "admin123",         "admin1234",    "admin888",
    "admin@123",    "administrator",    "root1234",         "root123456",   "test1234",
    "test123456",   "guest123",         "user1234",         "qwerty123",    "qwerty12",
    "qwertyui",     "qwertyuiop",       "qwertyuiop123",    "qwer1234",     "1234qwer",
    "q1w2e3r4",     "q1w2e3r4t5",       "q1w2e3r4t5y6",     "1q2w3e4r",     "1q2w3e4r5t",
    "1q2w3e4r5t6y", "1qaz2wsx",         "1qaz2wsx3edc",     "1qazxsw2",     "zaq12wsx",
    "zaq1xsw2",     "!qaz2wsx",         "1qaz!qaz",         "qazwsxedc",    "qazwsx123",
    "qweasdzxc",    "qweasd123",        "123qweasd",        "123qweasdzxc", "asdfghjkl",
    "asdf1234",     "asdfasdf",         "1234asdf",         "zxcvbnm1",     "zxcvbnm123",
    "zxcvbnm,",     "abc12345",         "abc123456",        "abc123abc",    "abcd1234",
    "abcd12345",    "1234abcd",         "abcdefg1",         "abcdefgh1",    "a1234567",
    "a12345678",    "a123456789",       "a123123123",       "a1b2c3d4",     "a1b2c3d4e5",
    "1a2b3c4d",     "aa123456",         "aa12345678",       "aaa123456",    "abc@1234",
    "123456aa",     "123456abc",        "123456abcd",       "123456qq",     "1234567a",
    "12345678a",    "123456789a",       "1234567890a",      "qq123456",     "qq1234567",
    "qq12345678",   "qq5201314",        "11111111",         "111111111",    "1111111111",
    "00000000",     "000000000",        "88888888",         "888888888",    "66666666",
    "666666666",    "99999999",         "12345678",         "123456789",    "1234567890",
    "12345678910",  "0123456789",       "87654321",         "987654321",    "9876543210",
    "12341234",     "11223344",         "12121212",         "123123123",    "123321123",
    "12344321",     "1234554321",       "147258369",        "147852369",    "123654789",
    "789456123",    "741852963",        "963852741",        "159357456",    "159753123",
    "1597534682",   "13141314",         "131452000",        "1314520520",   "5201314520",
    "52013145",     "520520520",        "521521521",        "woaini1314",   "woaini520",
    "woaini521",    "woaini123",        "woaini123456",     "aini1314",     "iloveyou1314",
    "wo123456",     "5201314a",         "a5201314",         "7758521a",     "zhang123456",
    "wang123456",   "li123456",         "liu123456",        "chen123456",   "zhangwei",
    "wangwei1",     "nihao123",         "nihao123456",      "baoxue123",    "baoxue2026",
    "jiaoyuju",     "jiaoyu123",        "kongchuo123",      "woshishui",    "dearbook",
    "qazwsxedcrfv", "zxcvbnmasdfghjkl", "1q2w3e4r5t6y7u8i", "password2026", "admin2026",
    "123456789abc", "abcdefghi",        "abcdefgh",         "monkey123",    "dragon123",
    "master123",    "shadow123",        "michael1",         "jordan23",     "football1",
    "princess1",    "sunshine1",        "qwerty1234",       "welcome@123",  "admin@1234",
    "p@ssw0rd1",    "pa$$w0rd",         "iloveu1314",       "1314woaini",
};

static bool is_common(const char *pw)
{
    for (size_t i = 0; i < ARRAY_SIZE(common); i++)
        if (!strcasecmp(pw, common[i]))
            return true;
    return false;
}

/* One character over and over ("aaaaaaaa", eight spaces, "哈哈哈哈哈哈哈哈"). */
static bool all_same(const char *pw)
{
    size_t len = strlen(pw), n;
    unsigned first, cp;
    n = utf8_decode(pw, len, &first);
    for (size_t i = n; i < len; i += n) {
        n = utf8_decode(pw + i, len - i, &cp);
        if (cp != first)
            return false;
    }
    return true;
}

/* Consecutive characters up or down: "23456789", "hgfedcba". */
static bool a_run(const char *pw)
{
    size_t n = strlen(pw);
    int step = n > 1 ? (unsigned char)pw[1] - (unsigned char)pw[0] : 0;
    if (step != 1 && step != -1)
        return false;
    for (size_t i = 2; i < n; i++)
        if ((unsigned char)pw[i] - (unsigned char)pw[i - 1] != step)
            return false;
    return true;
}

int password_check(const char *pw, const char *name, struct buf *err)
{
    size_t n = strlen(pw);
    if (!utf8_valid(pw, n, false)) {
        buf_adds(err, "密码含有无效的字符编码");
        return -1;
    }
    size_t chars = 0;
    for (const char *p = pw; *p; p++) {
        chars += ((unsigned char)*p & 0xC0) != 0x80;
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            buf_adds(err, "密码不能含有控制字符（换行、制表符等）");
            return -1;
        }
    }
    if (chars < PASSWORD_MIN) {
        buf_addf(err, "密码太短：至少 %d 个字符", PASSWORD_MIN);
        return -1;
    }
    if (n > PASSWORD_MAX) {
        buf_addf(err, "密码太长：至多 %d 个字节", PASSWORD_MAX);
        return -1;
    }
    if (all_same(pw)) {
        buf_adds(err, "密码不能是同一个字符的重复（如 11111111、8 个空格）");
        return -1;
    }
    if (a_run(pw)) {
        buf_adds(err, "密码不能是连续的字符（如 12345678、abcdefgh）");
        return -1;
    }
    if (name && *name && !strcasecmp(pw, name)) {
        buf_adds(err, "密码不能与用户名相同");
        return -1;
    }
    if (is_common(pw)) {
        buf_adds(err, "这是最常见的密码之一，很容易被猜中，请换一个（可以用几个词加数字，如 "
                      "“春天-教室-2026”）");
        return -1;
    }
    return 0;
}
