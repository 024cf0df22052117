/* Python security scanner: Bandit 1.9.4's tests (same IDs, names, severities, confidences, CWE,
 * texts and quirks) plus dpoison's own DP5xx TLS-verification analysis. The driver (scan.c) walks
 * each file's AST the way Bandit's node visitor does and calls the rules registered for each node
 * kind in rules.def; rules live one per file in rules/. Running many files, filters and reports
 * are in scan_run.h; this header is what a rule needs. */
#ifndef DP_SCAN_SCAN_H
#define DP_SCAN_SCAN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "base/map.h"
#include "py/ast.h"

/* Bandit's RANKING; also the index into per-level metric counters. */
enum dp_scan_level { DP_SCAN_UNDEFINED, DP_SCAN_LOW, DP_SCAN_MEDIUM, DP_SCAN_HIGH };

/* Check types beyond the AST node kinds (Bandit's "Str", "Bytes" and "File" checks). A rule asks
 * for them in dp_scan_rule.kinds like any enum dp_py_kind value:
 * - DP_SCAN_STR / DP_SCAN_BYTES: a str / bytes Constant whose parent is not an Expr statement
 *   (docstrings and bare string statements are skipped); the line range is the parent's.
 * - DP_SCAN_FILE: once per file after the walk; ctx->node is NULL, line 0, range [0, 1].
 * Bandit's dispatch quirks are kept: ClassDef runs no rules, a Constant runs only STR/BYTES rules,
 * and `from . import x` (ImportFrom without module) runs the Import rules, not ImportFrom's. */
enum {
    DP_SCAN_STR = DP_PY_KIND_COUNT,
    DP_SCAN_BYTES,
    DP_SCAN_FILE,
    DP_SCAN_KIND_COUNT
};

/* One finding. Strings are owned by the scan's result arena. Columns are CPython's (UTF-8 bytes). */
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
    const char *code;            /* the numbered source lines Bandit prints ("12 x = 1\n13 ...") */
    const char *more_info;       /* documentation URL */
};

struct dp_scan_file;   /* per-file driver state (scan.c); opaque to rules */

/* What a rule sees at a node (Bandit's Context): the node, its resolved names, the file's imports. */
struct dp_scan_ctx {
    const struct dp_py_node *node;       /* the node being visited (NULL for DP_SCAN_FILE) */
    const struct dp_py_node *stmt;       /* the innermost statement containing it (or itself) */
    const char *qualname;                /* Call: Bandit's call_function_name_qual ("subprocess.Popen");
                                            FunctionDef: module.Class.func; else NULL */
    const char *name;                    /* Call: call_function_name (last dotted part); FunctionDef: its name */
    const struct dp_py_node *const *parents;  /* ancestors, outermost first (parents[nparents-1] is
                                                 Bandit's node._bandit_parent; the Module included) */
    int nparents;
    const char *path;                    /* file as reported ("./x.py", "dir/y.py", "<stdin>") */
    const char *src;                     /* the source text the tree was parsed from */
    size_t src_len;
    int kind;                            /* the check type being run: enum dp_py_kind or DP_SCAN_* */
    struct dp_scan_file *file;           /* driver state: imports, results (opaque to rules) */
};

/* Rule callback: inspects ctx->node (of a kind the rule registered for) and reports. Like a
 * Bandit test it should report at most once per call (Bandit tests return one Issue). */
typedef void (*dp_scan_rule_fn)(struct dp_scan_ctx *ctx);

struct dp_scan_rule {
    const char *id, *name;      /* "B101", "assert_used" (Bandit's test_name) */
    int kinds[4];               /* check types it wants (enum dp_py_kind or DP_SCAN_*); unused
                                   entries 0 or -1 (0 is Module, which is never visited) */
    dp_scan_rule_fn fn;
    bool bandit;                /* part of the Bandit-compatible profile */
    const char *more_info;      /* optional documentation URL; NULL: Bandit's URL for B ids */
};

/* Reports an issue found by `rule` at the visited node, as Bandit's tester does:
 * - line_number is n->lineno (Bandit's Issue(lineno=...)); pass ctx->node for the usual case;
 * - col_offset, end_col_offset and line_range always come from the visited node (for STR/BYTES
 *   the range is the parent's), exactly as Bandit fills them from its context;
 * - in the module-wide pass (dp_scan_tls) and DP_SCAN_FILE, where there is no visited node, all of
 *   them come from n.
 * `# nosec` is applied here with Bandit 1.9.4's semantics; filtered rules are dropped. text is copied. */
void dp_scan_report(struct dp_scan_ctx *ctx, const struct dp_scan_rule *rule, const struct dp_py_node *n,
                    int severity, int confidence, int cwe, const char *text);
/* Same with the DP extras (copied; either may be NULL). */
void dp_scan_report_dp(struct dp_scan_ctx *ctx, const struct dp_scan_rule *rule, const struct dp_py_node *n,
                       int severity, int confidence, int cwe, const char *text, const char *resolved,
                       const char *evidence);

/* Full control over what a Bandit test may set on its Issue: lineno (0: the context's),
 * col_offset (-1: the context's), line range (first 0: the context's). test_id NULL: rule->id
 * (the blacklist reports B3xx/B4xx ids through its one rule, B001). */
struct dp_scan_report_args {
    const char *test_id;
    int severity, confidence, cwe;
    const char *text;
    int lineno, col_offset, line_first, line_last;
    const char *resolved, *evidence;
};
void dp_scan_report_ex(struct dp_scan_ctx *ctx, const struct dp_scan_rule *rule,
                       const struct dp_scan_report_args *a);

/* Import helpers Bandit's context offers: `module in imports`, and `any(module in i for i in
 * imports)` (a substring test, as Bandit's is_module_imported_like). Imports hold "a.b" for
 * `import a.b` and "a.b" for `from a import b`, added as the walk reaches them. */
bool dp_scan_is_module_imported_exact(const struct dp_scan_ctx *ctx, const char *module);
bool dp_scan_is_module_imported_like(const struct dp_scan_ctx *ctx, const char *module);
/* What an import alias resolves to at this point of the walk ("np" -> "numpy"), or NULL. */
const char *dp_scan_alias(const struct dp_scan_ctx *ctx, const char *name);
/* Bandit's qualified name of an expression (utils._get_attr_qual_name: a Name or an Attribute
 * chain resolved through import aliases; "" for anything else, and ".attr" when the chain starts
 * with a non-name, e.g. f().x -> ".x"), arena-allocated for the file's life. Never NULL. */
const char *dp_scan_qualname(struct dp_scan_ctx *ctx, const struct dp_py_node *e);
/* Call arguments: the value of keyword `kw` (NULL when absent). */
const struct dp_py_node *dp_scan_call_kw(const struct dp_py_node *call, const char *kw);

/* Bandit's view of an argument value (Context._get_literal_value with the `.attr` shortcut of
 * call_args / call_keywords): Attribute -> its attr, Name -> its id, str Constant -> the text,
 * True/False/None -> "True"/"False"/"None": DP_SCAN_LIT_STR with *s set. Other constants and
 * List/Tuple/Set/Dict: DP_SCAN_LIT_OTHER (a Python value that is not a str; inspect the node).
 * Anything else: DP_SCAN_LIT_NONE (Python's None). */
enum dp_scan_lit { DP_SCAN_LIT_NONE, DP_SCAN_LIT_STR, DP_SCAN_LIT_OTHER };
enum dp_scan_lit dp_scan_literal(const struct dp_py_node *e, const char **s);
/* Bandit's context.check_call_arg_value(kw, value) for one str value: the keyword is present and
 * its literal view (above) equals value. */
bool dp_scan_call_kw_is(const struct dp_py_node *call, const char *kw, const char *value);

/* Whether a test id runs in this scan (profile, -t, -s): the blacklist checks its rows with it. */
bool dp_scan_test_enabled(const struct dp_scan_ctx *ctx, const char *test_id);
/* fnmatch with * and ? (Bandit matches call blacklist rows with fnmatch). */
bool dp_scan_fnmatch(const char *name, const char *pat);

/* Severity / confidence names as Bandit prints them ("UNDEFINED", "LOW", "MEDIUM", "HIGH"). */
const char *dp_scan_level_name(int level);

#endif
