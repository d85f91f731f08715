#include "domain/settings.h"

#include "store/store.h"
#include "util/common.h"

int settings_load(struct store *s, const struct setting_field *fields, size_t n, void *base)
{
    struct buf v = BUF_INIT;
    int ret = 0;
    for (size_t i = 0; i < n && ret == 0; i++) {
        int rc = store_get_setting(s, fields[i].key, &v);
        if (rc < 0)
            ret = -1;
        else if (rc == 1 && fields[i].type == SETTING_INT)
            *(int *)((char *)base + fields[i].offset) = (int)strtol(v.buf, NULL, 10);
        else if (rc == 1)
            *(double *)((char *)base + fields[i].offset) = strtod(v.buf, NULL);
    }
    buf_release(&v);
    return ret;
}
