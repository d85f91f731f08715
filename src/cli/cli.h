#ifndef BAOXUE_CLI_H
#define BAOXUE_CLI_H

#include <stdio.h>

/*
 * Subcommands: one file each (cli/cmd_*.c), registered in the table in cli/commands.c.
 * A command returns the process exit status (EXIT_OK, EXIT_RUNTIME, EXIT_INPUT).
 */
struct command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const char *summary;               /* one Chinese line for `baoxue help` */
};

extern const struct command commands[];
const struct command *command_find(const char *name);
int cli_main(int argc, char **argv);
/* How the user invoked baoxue (argv[0]), for "what to run next" hints. */
extern const char *cli_program;

int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_people(int argc, char **argv);
int cmd_placement(int argc, char **argv);
int cmd_care(int argc, char **argv);
int cmd_pairing(int argc, char **argv);
int cmd_illness(int argc, char **argv);
int cmd_meetings(int argc, char **argv);
int cmd_interviews(int argc, char **argv);
int cmd_mental(int argc, char **argv);
int cmd_attendance(int argc, char **argv);
int cmd_warnings(int argc, char **argv);
int cmd_monthly(int argc, char **argv);
int cmd_inspections(int argc, char **argv);
int cmd_rectifications(int argc, char **argv);
int cmd_bulletins(int argc, char **argv);
/* issue 17: 招生入学 (cmd_entrants.c) */
int cmd_catchment(int argc, char **argv);
int cmd_entrants(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_case(int argc, char **argv);
int cmd_tasks(int argc, char **argv);
int cmd_notice(int argc, char **argv);
int cmd_settings(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
/* issue 18: cmd_backup.c */
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_province(int argc, char **argv);

#endif
