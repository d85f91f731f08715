/* The 通报's numbers and names (report/bulletin.h): pure functions, tests/unit/test_bulletin.c. */
#include "report/bulletin.h"

#include "util/common.h"

void bulletin_doc_number(const char *prefix, int year, int number, char *out, size_t size)
{
    snprintf(out, size, "%s〔%d〕%d号", prefix ? prefix : "", year, number);
}

int bulletin_next_number(const int *taken, size_t n)
{
    int max = 0;
    for (size_t i = 0; i < n; i++)
        if (taken[i] > max)
            max = taken[i];
    return max + 1;
}

void bulletin_office_default(const char *county_name, char *office, size_t osize, char *prefix,
                             size_t psize)
{
    const char *name = county_name && *county_name ? county_name : "县";
    snprintf(office, osize, "%s教育局", name);
    /* the first character of the name (UTF-8), then 教通 */
    size_t n = 1;
    while (name[n] && ((unsigned char)name[n] & 0xC0) == 0x80)
        n++;
    snprintf(prefix, psize, "%.*s教通", (int)n, name);
}

int bulletin_term_parse(const char *text, int *year, bool *autumn)
{
    if (!text)
        return -1;
    char *end;
    long y = strtol(text, &end, 10);
    if (end == text || y < 2000 || y > 2100)
        return -1;
    if (strstr(end, "秋") || strstr(end, "autumn") || strstr(end, "上学期") ||
        strstr(end, "第一学期"))
        *autumn = true;
    else if (strstr(end, "春") || strstr(end, "spring") || strstr(end, "下学期") ||
             strstr(end, "第二学期"))
        *autumn = false;
    else
        return -1;
    *year = (int)y;
    return 0;
}
