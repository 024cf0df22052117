/* B103 set_bad_file_permissions (Bandit 1.9.4, plugins/general_bad_file_permissions.py).
 * What it does: flags a two-argument call whose short name contains "chmod" when the literal
 * integer mode gives the group or others write or execute permission: HIGH when others may
 * write, MEDIUM otherwise; HIGH confidence, CWE-732.
 * Why it is bad: world- or group-writable (or executable) files let other local users plant
 * or run code and tamper with data.
 * Example:
 *     os.chmod("/etc/app.conf", 0o777)   # B103 HIGH: "...permissive mask 0o777 on file (/etc/app.conf)."
 *     os.chmod(path, 0o755)              # B103 MEDIUM
 *     os.chmod(path, mode)               # not flagged: the mode is not a literal */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B103 = {
    "B103", "set_bad_file_permissions", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

/* Python's oct() of a non-negative decimal digit string; also returns the value mod 512. */
static unsigned oct_digits(struct dp_sbuf *out, const char *dec)
{
    size_t n = strlen(dec);
    char num[512], rev[600];
    size_t nr = 0;
    if (n >= sizeof num) n = sizeof num - 1;   /* ints beyond 500 digits: keep the low part */
    memcpy(num, dec, n);
    num[n] = '\0';
    unsigned low = 0, place = 1;
    for (;;) {   /* long division of the decimal string by 8 */
        unsigned rem = 0;
        size_t w = 0;
        bool zero = true;
        for (size_t i = 0; i < n; i++) {
            unsigned cur = rem * 10 + (unsigned)(num[i] - '0');
            num[w] = (char)('0' + cur / 8);
            rem = cur % 8;
            if (num[w] != '0' || !zero) { zero = false; w++; }
        }
        if (nr < sizeof rev) rev[nr++] = (char)('0' + rem);
        if (place < 512) { low += rem * place; place *= 8; }
        n = w;
        if (n == 0) break;
    }
    dp_sbuf_puts(out, "0o");
    while (nr) dp_sbuf_putc(out, rev[--nr]);
    return low;
}

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *call = ctx->node;
    if (!strstr(dp_plug_name(ctx), "chmod") || dp_plug_nargs(call) != 2) return;
    struct dp_plug_lit mode = dp_plug_arg_at(call, 1);
    if (mode.kind != DP_PLUG_LIT_NUM || mode.node->v.Constant.value.kind != DP_PY_CONST_INT) return;
    struct dp_sbuf octs = {0}, text = {0};
    unsigned low = oct_digits(&octs, mode.node->v.Constant.value.s);
    if (low & (0002 | 0020 | 0010 | 0001)) {   /* S_IWOTH | S_IWGRP | S_IXGRP | S_IXOTH */
        struct dp_plug_lit file = dp_plug_arg_at(call, 0);
        dp_sbuf_printf(&text, "Chmod setting a permissive mask %s on file (", octs.p);
        if (file.kind != DP_PLUG_LIT_NONE) dp_plug_lit_str(&text, file);
        else dp_sbuf_puts(&text, "NOT PARSED");   /* `if filename is None` */
        dp_sbuf_puts(&text, ").");
        dp_plug_report(ctx, &dp_rule_B103, 0, (low & 0002) ? DP_SCAN_HIGH : DP_SCAN_MEDIUM,
                       DP_SCAN_HIGH, 732, text.p);
    }
    dp_sbuf_free(&octs);
    dp_sbuf_free(&text);
}
