/* The rows of 招生入学 (issue 17, casework/entrants.h): the county draws the 学区 (a village's
 * school, set, removed, or a whole sheet imported); a school records an entrant's application
 * (the county may record for any school). The functions check who may. */
#include "casework/entrants.h"
#include "verb/rows.h"

#include "util/common.h"

static const struct verb_field set_fields[] = {
    FIELD(struct catchment_input, township, VT_TEXT, "乡镇", VF_REQUIRED, NULL, "名称或区划代码"),
    FIELD(struct catchment_input, village, VT_TEXT, "村（社区）", VF_REQUIRED, NULL,
          "按户籍名单的写法"),
    FIELD(struct catchment_input, school, VT_TEXT, "学校", VF_REQUIRED, NULL,
          "学籍中的学校标识码或名称"),
};

static int set_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return catchment_set(c->s, c->scope, in, c->actor, &c->msg, o);
}

const struct verb verb_catchment_set = {
    .name = "catchment.set",
    .summary = "学区：把一个村（社区）划入一所学校（已划的改划）",
    .method = "POST",
    .path = "/api/v1/catchment",
    .perm = PERM_WRITE,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .audit = "catchment_set",
    .size = sizeof(struct catchment_input),
    .fields = FIELDS(set_fields),
    .run = set_run,
};

static const struct verb_field remove_fields[] = {
    FIELD(struct catchment_input, township, VT_TEXT, "乡镇", VF_REQUIRED, NULL, "名称或区划代码"),
    FIELD(struct catchment_input, village, VT_TEXT, "村（社区）", VF_REQUIRED, NULL,
          "按户籍名单的写法"),
};

static int remove_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return catchment_remove(c->s, c->scope, in, c->actor, &c->msg, o);
}

const struct verb verb_catchment_remove = {
    .name = "catchment.remove",
    .summary = "学区：取消一个村（社区）的学区（该村儿童列为未划学区）",
    .method = "POST",
    .path = "/api/v1/catchment/removals",
    .perm = PERM_WRITE,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .audit = "catchment_remove",
    .size = sizeof(struct catchment_input),
    .fields = FIELDS(remove_fields),
    .run = remove_run,
};

struct import_input {
    const char *unused;
};

static int import_run(struct verb_call *c, const void *in, struct outcome *o)
{
    (void)in;
    return catchment_import(c->s, c->scope, c->in_path, c->actor, &c->msg, o);
}

const struct verb verb_catchment_import = {
    .name = "catchment.import",
    .summary =
        "学区：导入学区表（xlsx、xls、csv；乡镇、村（社区）、学校三列），逐行检查，全部无误才写入",
    .method = "POST",
    .path = "/api/v1/catchment/imports",
    .perm = PERM_WRITE,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .audit = "catchment_import",
    .flags = VERB_FILE_IN,
    .size = sizeof(struct import_input),
    .fields = NULL,
    .nfields = 0,
    .run = import_run,
};

static const struct verb_field apply_fields[] = {
    FIELD(struct entrant_input, school, VT_TEXT, "学校", 0, NULL,
          "学籍中的学校标识码或名称（学校账号默认本校）"),
    FIELD(struct entrant_input, name, VT_NAME, "儿童姓名", VF_REQUIRED, NULL, NULL),
    FIELD(struct entrant_input, id_number, VT_TEXT, "身份证号", 0, NULL, "18位；没有时写出生日期"),
    FIELD(struct entrant_input, birth, VT_DATE, "出生日期", 0, NULL, "有身份证号时可不填"),
    FIELD(struct entrant_input, guardian, VT_NAME, "监护人", 0, NULL, NULL),
    FIELD(struct entrant_input, phone, VT_TEXT, "联系电话", 0, NULL, NULL),
    FIELD(struct entrant_input, address, VT_TEXT, "现住址", 0, NULL, NULL),
    FIELD(struct entrant_input, migrant, VT_YESNO, "随迁子女", 0, NULL, "是或否，默认否"),
    FIELD(struct entrant_input, hukou, VT_TEXT, "户籍所在地", 0, NULL, "如：河南省信阳市光山县"),
    FIELD(struct entrant_input, township, VT_TEXT, "居住乡镇", 0, NULL, "名称或区划代码"),
    FIELD(struct entrant_input, village, VT_TEXT, "居住村（社区）", 0, NULL, NULL),
};

static int apply_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id = 0;
    int rc = entrant_apply(c->s, c->scope, in, c->actor, &id, &c->msg, o);
    if (rc == 0)
        c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return rc;
}

const struct verb verb_entrants_apply = {
    .name = "entrants.apply",
    .summary = "入学登记：学校录入一名明年入学儿童的申请（随迁子女等户籍名单中没有的儿童）",
    .method = "POST",
    .path = "/api/v1/entrants/applications",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .audit = "entrant_apply",
    .flags = VERB_CREATES,
    .size = sizeof(struct entrant_input),
    .fields = FIELDS(apply_fields),
    .run = apply_run,
};
