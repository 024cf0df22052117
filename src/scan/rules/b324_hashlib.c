/* B324 hashlib: weak hashes (md4, md5, sha, sha1) from hashlib, directly or through
 * hashlib.new(name), unless usedforsecurity is given and not "True"; and crypt's weak methods
 * (crypt.crypt salt / crypt.mksalt method METHOD_CRYPT, METHOD_MD5, METHOD_BLOWFISH).
 * Why: MD5 and SHA1 collisions are practical; a hash used for security must resist them.
 * Example: `hashlib.md5(data)` -> "Use of weak MD5 hash for security. Consider usedforsecurity=False". */
#include "scan/scan.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

extern const struct dp_scan_rule dp_rule_B324;

static const char *const weak_hashes[] = {"md4", "md5", "sha", "sha1", NULL};
static const char *const weak_crypt[] = {"METHOD_CRYPT", "METHOD_MD5", "METHOD_BLOWFISH", NULL};

static bool in(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (!strcmp(s, *set)) return true;
    return false;
}

/* keywords.get("usedforsecurity", "True") == "True" */
static bool for_security(const struct dp_py_node *call)
{
    const struct dp_py_node *v = dp_scan_call_kw(call, "usedforsecurity");
    const char *s;
    return !v || (dp_scan_literal(v, &s) == DP_SCAN_LIT_STR && !strcmp(s, "True"));
}

/* call_args[i] if there are positional arguments, else call_keywords.get(kw), as a str or NULL. */
static const char *arg_str(const struct dp_py_node *call, int i, const char *kw)
{
    const struct dp_py_list *args = &call->v.Call.args;
    const struct dp_py_node *v = args->n ? (i < args->n ? args->items[i] : NULL) : dp_scan_call_kw(call, kw);
    const char *s;
    return dp_scan_literal(v, &s) == DP_SCAN_LIT_STR ? s : NULL;
}

static void upper(char *dst, size_t cap, const char *s)
{
    size_t k = 0;
    for (; *s && k + 1 < cap; s++) dst[k++] = (char)toupper((unsigned char)*s);
    dst[k] = 0;
}

static void report(struct dp_scan_ctx *ctx, int sev, const char *fmt, const char *name)
{
    char up[256], text[512];
    upper(up, sizeof up, name);
    snprintf(text, sizeof text, fmt, up);
    dp_scan_report(ctx, &dp_rule_B324, ctx->node, sev, DP_SCAN_HIGH, 327, text);
}

static void hashlib_check(struct dp_scan_ctx *ctx)
{
    const char *q = ctx->qualname, *func = ctx->name;
    bool has_hashlib = false, has_crypt = false;
    for (const char *p = q; *p;) {   /* components of the dotted name */
        const char *e = strchr(p, '.');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        has_hashlib |= len == 7 && !strncmp(p, "hashlib", 7);
        has_crypt |= len == 5 && !strncmp(p, "crypt", 5);
        if (!e) break;
        p = e + 1;
    }
    const struct dp_py_node *call = ctx->node;
    if (has_hashlib) {
        if (in(func, weak_hashes)) {
            if (for_security(call))
                report(ctx, DP_SCAN_HIGH, "Use of weak %s hash for security. Consider usedforsecurity=False", func);
        } else if (!strcmp(func, "new")) {
            const char *name = arg_str(call, 0, "name");
            char low[64];
            size_t k = 0;
            for (const char *s = name; s && *s && k + 1 < sizeof low; s++) low[k++] = (char)tolower((unsigned char)*s);
            low[k] = 0;
            if (name && strlen(name) < sizeof low && in(low, weak_hashes) && for_security(call))
                report(ctx, DP_SCAN_HIGH, "Use of weak %s hash for security. Consider usedforsecurity=False", name);
        }
    } else if (has_crypt && (!strcmp(func, "crypt") || !strcmp(func, "mksalt"))) {
        bool crypt = !strcmp(func, "crypt");
        const char *name;
        if (crypt) {   /* args[1] if len(args) > 1 else keywords.get("salt") */
            const char *s;
            const struct dp_py_node *v = call->v.Call.args.n > 1 ? call->v.Call.args.items[1]
                                                                 : dp_scan_call_kw(call, "salt");
            name = dp_scan_literal(v, &s) == DP_SCAN_LIT_STR ? s : NULL;
        } else {
            name = arg_str(call, 0, "method");
        }
        if (name && in(name, weak_crypt))
            report(ctx, DP_SCAN_MEDIUM, "Use of insecure crypt.%s hash function.", name);
    }
}

const struct dp_scan_rule dp_rule_B324 = {
    .id = "B324",
    .name = "hashlib",
    .kinds = {DP_PY_Call, -1},
    .fn = hashlib_check,
    .bandit = true,
};
