/* baoxue care: the care contacts (关爱联系) of left-behind children (issue 15). Logging one is
 * an action row (verb/rows_care.c: care add); the school's list is the report
 * left-behind-care. */
#include "cli/cli.h"
#include "cli/sub.h"

static const struct cli_sub reads[] = {
    {NULL, NULL, NULL},
};

static const char about[] = "留守儿童关爱联系：学校（结对教师）记录入户、电话、视频、到校联系。\n"
                            "各校本月未联系的留守儿童见 《留守儿童关爱联系情况》 报表。";

int cmd_care(int argc, char **argv)
{
    return cli_dispatch("care", reads, about, argc, argv);
}
