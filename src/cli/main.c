/* dpoison: the command-line entry point. Dispatches to one subcommand per file (cmd_*.c), listed
 * in commands.def; `dpoison help` and `dpoison <cmd> --help` teach their use. */
#include "cli/cli.h"
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cmd {
    const char *name, *summary;
    int (*fn)(int, char **);
};

static const struct cmd cmds[] = {
#define DP_CMD(name, summary) {#name, summary, dp_cmd_##name},
#include "cli/commands.def"
#undef DP_CMD
};

void cli_error(const struct dp_error *e)
{
    char buf[1200];
    dp_error_format(e, buf, sizeof buf);
    fprintf(stderr, "dpoison: %s\n", buf);
}

void cli_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dpoison: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

bool cli_int(const char *opt, const char *val, long lo, long hi, long *out)
{
    char *end;
    if (!val) { cli_errorf("%s needs a value", opt); return false; }
    long v = strtol(val, &end, 10);
    if (!*val || *end || v < lo || v > hi) {
        cli_errorf("%s: expected an integer in [%ld, %ld], got '%s'", opt, lo, hi, val);
        return false;
    }
    *out = v;
    return true;
}

bool cli_is_help(const char *arg) { return !strcmp(arg, "-h") || !strcmp(arg, "--help"); }

/* Command names are C identifiers in commands.def; users type '-' for '_' ("tokenizer-train"),
 * and either spelling is accepted. */
static bool name_is(const char *cmd, const char *arg)
{
    for (; *cmd && (*cmd == *arg || (*cmd == '_' && *arg == '-')); cmd++, arg++) {}
    return !*cmd && !*arg;
}

static void put_name(FILE *f, const char *cmd)
{
    char buf[64];
    size_t i = 0;
    for (; cmd[i] && i + 1 < sizeof buf; i++) buf[i] = cmd[i] == '_' ? '-' : cmd[i];
    buf[i] = 0;
    fprintf(f, "  %-16s ", buf);
}

static void usage(FILE *f)
{
    fprintf(f, "dpoison — measure and detect preference-data poisoning of code LLMs\n\n"
               "usage: dpoison <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        put_name(f, cmds[i].name);
        fprintf(f, "%s\n", cmds[i].summary);
    }
    fprintf(f, "  %-16s %s\n", "help", "this text; `dpoison help <command>` for one command");
    fprintf(f, "\nRun `dpoison <command> --help` for the options of a command.\n");
}

int main(int argc, char **argv)
{
    /* Fresh pages are expensive on these machines (a page fault per 4 KiB): let malloc keep and
     * reuse what was freed instead of returning big blocks to the kernel after every file. */
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    if (argc < 2) { usage(stderr); return 2; }
    const char *name = argv[1];
    if (!strcmp(name, "help") || cli_is_help(name)) {
        if (argc > 2) {
            for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
                if (name_is(cmds[i].name, argv[2])) {
                    char *hv[] = {argv[2], "--help", NULL};
                    return cmds[i].fn(2, hv);
                }
            cli_errorf("unknown command '%s'", argv[2]);
            return 2;
        }
        usage(stdout);
        return 0;
    }
    if (!strcmp(name, "--version")) { puts("dpoison 0.1.0"); return 0; }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (name_is(cmds[i].name, name)) return cmds[i].fn(argc - 1, argv + 1);
    cli_errorf("unknown command '%s' (see `dpoison help`)", name);
    return 2;
}
