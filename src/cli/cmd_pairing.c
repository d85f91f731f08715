/* baoxue pairing: 结对 — a teacher paired with a child still at school (issue 16). Pairing and
 * ending are action rows (verb/rows_pairing.c: pairing add, pairing end); the list of the
 * children to pair is the report at-risk (预警名单). */
#include "cli/cli.h"
#include "cli/sub.h"

static const struct cli_sub reads[] = {
    {NULL, NULL, NULL},
};

static const char about[] = "结对帮扶：学校或县教育局为预警名单上的在校学生安排结对教师。\n"
                            "需要结对的学生见 《预警名单》 报表（baoxue report at-risk）。";

int cmd_pairing(int argc, char **argv)
{
    return cli_dispatch("pairing", reads, about, argc, argv);
}
