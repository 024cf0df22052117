/* B609 linux_commands_wildcard_injection (Bandit 1.9.4, plugins/injection_wildcard.py).
 * What it does: flags a shell call (B605's list, or a B602 subprocess call with the literal
 * shell=True) whose first argument (a string, or a list literal joined with spaces) mentions
 * chown, chmod, tar or rsync together with a '*' (HIGH/MEDIUM, CWE-155), at the line of the
 * shell keyword's value when there is one.
 * Why it is bad: the shell expands '*' to file names, and a file named like an option
 * ("--checkpoint-action=exec=sh x.sh") turns into arguments of the command.
 * Example:
 *     os.system("tar cf backup.tar *")                          # B609
 *     subprocess.Popen("chown user *", shell=True)              # B609
 *     subprocess.Popen(["chown", "user", "*"])                  # not flagged: no shell */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B609 = {
    "B609", "linux_commands_wildcard_injection", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static const char *const true_value[] = {"True", NULL};

static void check(struct dp_scan_ctx *ctx)
{
    static const char *const funcs[] = {"chown", "chmod", "tar", "rsync", NULL};
    const struct dp_py_node *call = ctx->node;
    const char *qual = dp_plug_qual(ctx);
    if (!dp_plug_in(qual, dp_plug_shell_shell) &&
        !(dp_plug_in(qual, dp_plug_shell_subprocess) && dp_plug_kw_check(call, "shell", true_value) > 0))
        return;
    if (dp_plug_nargs(call) < 1) return;
    struct dp_plug_lit arg = dp_plug_arg_at(call, 0);
    struct dp_sbuf s = {0};
    if (arg.kind == DP_PLUG_LIT_LIST) {
        const struct dp_py_list *l = &arg.node->v.List.elts;
        for (int i = 0; i < l->n; i++) {
            dp_sbuf_putc(&s, ' ');
            dp_plug_lit_str(&s, dp_plug_literal(l->items[i]));
        }
    } else if (arg.kind == DP_PLUG_LIT_STR) {
        dp_sbuf_put(&s, arg.s, arg.n);
    }
    if (s.n && memchr(s.p, '*', s.n)) {
        for (const char *const *f = funcs; *f; f++) {
            if (!memmem(s.p, s.n, *f, strlen(*f))) continue;
            struct dp_sbuf text = {0};
            dp_sbuf_printf(&text, "Possible wildcard injection in call: %s", qual);
            dp_plug_report(ctx, &dp_rule_B609, dp_plug_kw_lineno(call, "shell"), DP_SCAN_HIGH,
                           DP_SCAN_MEDIUM, 155, text.p);
            dp_sbuf_free(&text);
            break;
        }
    }
    dp_sbuf_free(&s);
}
