#ifndef BAOXUE_COOKIE_H
#define BAOXUE_COOKIE_H

#include <stdbool.h>
#include <stddef.h>

/* The session cookie's name. */
#define SESSION_COOKIE "baoxue_session"

/*
 * The value of cookie `name` in a Cookie request header ("a=1; baoxue_session=…; b=2"),
 * copied into out (size bytes, NUL-terminated). false when absent, empty or too long. A
 * quoted value has its quotes removed; names are compared exactly.
 */
bool cookie_get(const char *header, const char *name, char *out, size_t size);

/* The Set-Cookie value for a new session (max_age seconds; 0 clears the cookie). */
void cookie_session(char *out, size_t size, const char *value, long max_age, bool secure);

#endif
