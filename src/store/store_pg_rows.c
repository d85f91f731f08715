/*
 * The PostgreSQL store's columns of the current row (store_pg.c steps the statements): results
 * come in text format; a boolean reads as 1 or 0 and bytea is decoded from hex, so that a
 * caller reads the row as it would SQLite's.
 */
#include "store/store_pg_impl.h"

#include "util/common.h"

#define BYTEAOID 17

static bool has_value(struct pg_stmt *x, int col)
{
    return x->res && x->row >= 0 && x->row < PQntuples(x->res) && col >= 0 &&
           col < PQnfields(x->res);
}

bool pg_is_null(struct stmt *st, int col)
{
    struct pg_stmt *x = PST(st);
    return !has_value(x, col) || PQgetisnull(x->res, x->row, col);
}

const char *pg_col_text(struct stmt *st, int col)
{
    struct pg_stmt *x = PST(st);
    return has_value(x, col) ? PQgetvalue(x->res, x->row, col) : "";
}

int64_t pg_col_int(struct stmt *st, int col)
{
    const char *t = pg_col_text(st, col);
    /* a boolean expression reads as 1 or 0, as in SQLite */
    if (t[0] == 't' && !t[1])
        return 1;
    if (t[0] == 'f' && !t[1])
        return 0;
    return strtoll(t, NULL, 10);
}

double pg_col_double(struct stmt *st, int col)
{
    return strtod(pg_col_text(st, col), NULL);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

const void *pg_col_blob(struct stmt *st, int col, size_t *len)
{
    struct pg_stmt *x = PST(st);
    *len = 0;
    if (pg_is_null(st, col))
        return NULL;
    const char *t = PQgetvalue(x->res, x->row, col);
    size_t n = (size_t)PQgetlength(x->res, x->row, col);
    if (PQftype(x->res, col) != BYTEAOID) {
        *len = n; /* text read as bytes, as SQLite does */
        return t;
    }
    buf_reset(&x->blob);
    if (n >= 2 && t[0] == '\\' && t[1] == 'x') {
        buf_grow(&x->blob, (n - 2) / 2);
        for (size_t i = 2; i + 1 < n; i += 2) {
            int hi = hexval(t[i]), lo = hexval(t[i + 1]);
            if (hi < 0 || lo < 0)
                break;
            x->blob.buf[x->blob.len++] = (char)(hi << 4 | lo);
        }
        x->blob.buf[x->blob.len] = '\0';
    } else {
        size_t m = 0;
        unsigned char *u = PQunescapeBytea((const unsigned char *)t, &m);
        if (u)
            buf_add(&x->blob, u, m);
        PQfreemem(u);
    }
    *len = x->blob.len;
    return x->blob.buf;
}
