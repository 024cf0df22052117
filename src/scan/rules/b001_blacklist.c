/* B001, Bandit's built-in blacklist test: on a Call, Import or ImportFrom, the first enabled row
 * of the blacklists (rules/blacklist_*.c) that matches reports its own id (B3xx/B4xx) with test
 * name "blacklist"; one hit per node at most. Calls match their qualified name against the call
 * rows, then the import rows, with fnmatch (`__import__("x")` and `importlib.import_module("x")`
 * match "x"); imports match `module.name` by prefix, reporting the imported name. */
#include "scan/rules/blacklist.h"
#include "scan/scan.h"
#include <stdio.h>
#include <string.h>

extern const struct dp_scan_rule dp_rule_B001;

static void report(struct dp_scan_ctx *ctx, const struct dp_scan_blacklist *row, const char *name)
{
    char text[2048];
    size_t k = 0, nl = strlen(name);
    for (const char *m = row->message; *m && k + 1 < sizeof text;) {
        if (!strncmp(m, "{name}", 6)) {
            size_t c = nl < sizeof text - 1 - k ? nl : sizeof text - 1 - k;
            memcpy(text + k, name, c);
            k += c;
            m += 6;
        } else {
            text[k++] = *m++;
        }
    }
    text[k] = 0;
    struct dp_scan_report_args a = {.test_id = row->id, .severity = row->severity, .confidence = DP_SCAN_HIGH,
                                    .cwe = row->cwe, .text = text, .col_offset = -1};
    dp_scan_report_ex(ctx, &dp_rule_B001, &a);
}

/* The name a call is checked under, or NULL when Bandit would get no string. */
static const char *call_name(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *call = ctx->node, *func = call->v.Call.func;
    const struct dp_py_list *args = &call->v.Call.args;
    if (func->kind == DP_PY_Name && !strcmp(func->v.Name.id, "__import__")) {
        if (args->n == 0) return "";
        const struct dp_py_node *a0 = args->items[0];
        if (a0->kind == DP_PY_Constant && a0->v.Constant.value.kind == DP_PY_CONST_STR) return a0->v.Constant.value.s;
        return "UNKNOWN";
    }
    const char *name = ctx->qualname;
    if (strcmp(name, "importlib.import_module") && strcmp(name, "importlib.__import__")) return name;
    const char *s;
    const struct dp_py_node *arg = args->n ? args->items[0] : dp_scan_call_kw(call, "name");
    return dp_scan_literal(arg, &s) == DP_SCAN_LIT_STR ? s : NULL;
}

static bool test_on(struct dp_scan_ctx *ctx, const char *id) { return dp_scan_test_enabled(ctx, id); }

/* The first dotted part of every qualname of both tables, sorted (bytewise). No row has a
 * wildcard in its first part, so a call whose name starts otherwise matches no row: the check
 * skips the rows for the great majority of calls. tests/scan/test_scan.c checks the list. */
static const char *const roots[] = {
    "Crypto", "Cryptodome", "cPickle", "cryptography", "dill", "django", "eval", "ftplib", "jsonpickle",
    "lxml", "marshal", "pandas", "pickle", "pyghmi", "random", "shelve", "six", "ssl", "subprocess",
    "telnetlib", "tempfile", "twisted", "urllib", "urllib2", "wsgiref", "xml", "xmlrpc",
};

bool dp_blacklist_root_known(const char *name, size_t n)
{
    int lo = 0, hi = (int)(sizeof roots / sizeof roots[0]);
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        int c = strncmp(roots[mid], name, n);
        if (c == 0) c = roots[mid][n] ? 1 : 0;
        if (c == 0) return true;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return false;
}

static void blacklist(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *n = ctx->node;
    if (n->kind == DP_PY_Call) {
        const char *name = call_name(ctx);
        if (!name) return;
        const char *dot = strchr(name, '.');
        if (!dp_blacklist_root_known(name, dot ? (size_t)(dot - name) : strlen(name))) return;
        const struct dp_scan_blacklist *tables[2] = {dp_blacklist_calls, dp_blacklist_imports};
        for (int t = 0; t < 2; t++)
            for (const struct dp_scan_blacklist *row = tables[t]; row->id; row++) {
                if (!test_on(ctx, row->id)) continue;
                for (const char *const *q = row->qualnames; *q; q++)
                    if (dp_scan_fnmatch(name, *q)) {
                        report(ctx, row, name);
                        return;
                    }
            }
        return;
    }
    const char *module = n->kind == DP_PY_ImportFrom ? n->v.ImportFrom.module : NULL;
    const struct dp_py_list *names = n->kind == DP_PY_ImportFrom ? &n->v.ImportFrom.names : &n->v.Import.names;
    char full[1024];
    for (const struct dp_scan_blacklist *row = dp_blacklist_imports; row->id; row++) {
        if (!test_on(ctx, row->id)) continue;
        for (int i = 0; i < names->n; i++) {
            const char *nm = names->items[i]->v.alias.name;
            if (module) snprintf(full, sizeof full, "%s.%s", module, nm);
            else snprintf(full, sizeof full, "%s", nm);
            for (const char *const *q = row->qualnames; *q; q++)
                if (!strncmp(full, *q, strlen(*q))) {
                    report(ctx, row, nm);
                    return;
                }
        }
    }
}

const struct dp_scan_rule dp_rule_B001 = {
    .id = "B001",
    .name = "blacklist",
    .kinds = {DP_PY_Call, DP_PY_Import, DP_PY_ImportFrom, -1},
    .fn = blacklist,
    .bandit = true,
};
