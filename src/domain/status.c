#include "domain/status.h"

#include "util/common.h"

static const struct {
    const char *key, *label;
} statuses[ST__COUNT] = {
    [ST_ENROLLED] = {"enrolled", "本县在读"},
    [ST_ENROLLED_ELSEWHERE] = {"enrolled_elsewhere", "外出就读"},
    [ST_NOT_ENROLLED] = {"not_enrolled", "适龄未入学"},
    [ST_DROPPED_OUT] = {"dropped_out", "辍学"},
    [ST_SUSPENDED] = {"suspended", "休学"},
    [ST_PENDING_REVIEW] = {"pending_review", "疑似记录待复核"},
    [ST_COMPLETED] = {"completed", "已完成义务教育"},
    [ST_NOT_YET] = {"not_yet_school_age", "未到入学年龄"},
    [ST_BEYOND] = {"beyond_age", "超出义务教育年龄"},
    [ST_INACTIVE] = {"inactive", "户籍非正常（迁出/死亡/注销）"},
};

const char *status_key(enum child_status s)
{
    return statuses[s].key;
}

const char *status_label(enum child_status s)
{
    return statuses[s].label;
}

int status_parse(const char *key)
{
    for (int s = 0; s < ST__COUNT; s++)
        if (!strcmp(key, statuses[s].key))
            return s;
    return -1;
}
