/* Shared by the subcommands in src/cli/: the only code that prints to the user and exits. */
#ifndef DP_CLI_H
#define DP_CLI_H
#include <stdbool.h>
#include "base/error.h"

#define DP_CMD(name, summary) int dp_cmd_##name(int argc, char **argv);
#include "cli/commands.def"
#undef DP_CMD

/* Prints "dpoison: <error>" to stderr. */
void cli_error(const struct dp_error *e);
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parses an integer option value; false (with a message) when it is not one. */
bool cli_int(const char *opt, const char *val, long lo, long hi, long *out);
bool cli_is_help(const char *arg);

/* The option parser and run of `dpoison train`, `sft` and `pretrain` (cmd_train.c): o holds
 * the command's defaults, help its usage text. */
struct dp_train_opts;
int cli_train_main(int argc, char **argv, struct dp_train_opts *o, const char *help);

#endif
