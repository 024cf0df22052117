/* Python security scanner: Bandit 1.9.4's tests (same IDs, names, severities, confidences, CWE,
 * texts and quirks) plus dpoison's own DP5xx TLS-verification analysis. The driver (scan.c) walks
 * each file's AST the way Bandit's node visitor does and calls the rules registered for each node
 * kind in rules.def; rules live one per file in rules/. */
#ifndef DP_SCAN_SCAN_H
#define DP_SCAN_SCAN_H
#include <stdbool.h>
#include <stddef.h>
#include "base/arena.h"
#include "base/error.h"
#include "base/map.h"
#include "py/ast.h"

enum dp_scan_level { DP_SCAN_UNDEFINED, DP_SCAN_LOW, DP_SCAN_MEDIUM, DP_SCAN_HIGH };

/* One finding. Strings are owned by the result's arena. Columns are CPython's (UTF-8 bytes). */
struct dp_scan_issue {
    const char *test_id;         /* "B501", "DP501" */
    const char *test_name;       /* "request_with_no_cert_validation" */
    uint8_t severity, confidence;
    int cwe;                     /* 0: none */
    const char *text;            /* issue_text */
    int lineno, col_offset, end_col_offset;
    int line_first, line_last;   /* line_range */
    const char *resolved;        /* DP rules: the resolved call ("requests.Session.get"), or NULL */
    const char *evidence;        /* DP rules: the chain, "s = requests.Session() (line 3); s.verify = False (line 4)" */
};

/* What a rule sees at a node (Bandit's Context): the node, its resolved names, the file's imports. */
struct dp_scan_ctx {
    const struct dp_py_node *node;       /* the node being visited */
    const struct dp_py_node *stmt;       /* the innermost statement containing it */
    const char *qualname;                /* Call: Bandit's call_function_name_qual ("subprocess.Popen"), else NULL */
    const char *name;                    /* Call: call_function_name (last dotted part) */
    const struct dp_py_node *const *parents;  /* ancestors, outermost first */
    int nparents;
    const char *path;                    /* file as given */
    const char *src;                     /* normalized source text */
    struct dp_scan_file *file;           /* driver state: imports, results (opaque to rules) */
};

/* Rule callback: inspects ctx->node (of a kind the rule registered for) and reports. */
typedef void (*dp_scan_rule_fn)(struct dp_scan_ctx *ctx);

struct dp_scan_rule {
    const char *id, *name;
    int kinds[4];               /* node kinds it wants (enum dp_py_kind), -1 terminated / unused */
    dp_scan_rule_fn fn;
    bool bandit;                /* part of the Bandit-compatible profile */
};

/* Reports an issue at node n (lineno/col/end_col and line range taken from it). text is copied.
 * Honours `# nosec` (the driver decides). */
void dp_scan_report(struct dp_scan_ctx *ctx, const struct dp_scan_rule *rule, const struct dp_py_node *n,
                    int severity, int confidence, int cwe, const char *text);
/* Same with the DP extras. */
void dp_scan_report_dp(struct dp_scan_ctx *ctx, const struct dp_scan_rule *rule, const struct dp_py_node *n,
                       int severity, int confidence, int cwe, const char *text, const char *resolved,
                       const char *evidence);

/* Import helpers Bandit's context offers. */
bool dp_scan_is_module_imported_exact(const struct dp_scan_ctx *ctx, const char *module);
bool dp_scan_is_module_imported_like(const struct dp_scan_ctx *ctx, const char *module);
/* Bandit's qualified name of an expression (Name/Attribute chain resolved through import aliases),
 * arena-allocated; NULL when the expression is not a dotted name. */
const char *dp_scan_qualname(struct dp_scan_ctx *ctx, const struct dp_py_node *e);
/* Call arguments: keyword value by name (NULL when absent), positional count. */
const struct dp_py_node *dp_scan_call_kw(const struct dp_py_node *call, const char *kw);

#endif
