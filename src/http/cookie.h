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

/*
 * The session of a Cookie request header: its id into sid (sid_size bytes) and the county it
 * belongs to into county. On a province's server (http/counties.h) a county's session cookie
 * is "140521.<id>"; the province's own accounts', and every session of a county's own server,
 * the id alone (county ""). false when there is no session cookie, or it is malformed.
 */
bool cookie_session_get(const char *header, char *sid, size_t sid_size, char county[8]);

/* The Set-Cookie value for a new session (max_age seconds; 0 clears the cookie). */
void cookie_session(char *out, size_t size, const char *value, long max_age, bool secure);

#endif
