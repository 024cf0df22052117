/* Helpers shared by the Bandit plugin rules (rules/b1xx..b7xx): Bandit 1.9.4's Context accessors
 * (literal values, call keywords and positional arguments, line of a keyword), its name
 * regexes (password-like names, SQL statements) and Python's str() of literal values, written
 * over py/ast.h. The blacklists (B3xx/B4xx) and the DP rules do not use this. */
#ifndef DP_SCAN_RULES_PLUGIN_UTIL_H
#define DP_SCAN_RULES_PLUGIN_UTIL_H
#include <stdbool.h>
#include <stddef.h>
#include "base/str.h"
#include "py/ast.h"
#include "scan/scan.h"

/* ---- tree ---------------------------------------------------------------------------- */

/* The up-th ancestor of ctx->node (1: parent, 2: grandparent), NULL past the root. */
const struct dp_py_node *dp_plug_up(const struct dp_scan_ctx *ctx, int up);
bool dp_plug_is_str(const struct dp_py_node *n);       /* Constant holding a str */
/* A DP_SCAN_STR visit (Bandit's "Str" check): ctx->node is a str Constant whose parent is not
 * an Expr statement (docstrings and bare string statements run no string test). */
bool dp_plug_str_visit(const struct dp_scan_ctx *ctx);

/* ---- Bandit's literal values (Context._get_literal_value) --------------------------- */

enum dp_plug_lit_kind {
    DP_PLUG_LIT_NONE,    /* Python None: not a literal Bandit knows (a call, a subscript, ...) */
    DP_PLUG_LIT_STR,     /* str: a str constant, or "True"/"False"/"None", a Name's id, an attribute */
    DP_PLUG_LIT_BYTES,
    DP_PLUG_LIT_NUM,     /* int, float or complex constant (node is the Constant) */
    DP_PLUG_LIT_LIST, DP_PLUG_LIT_TUPLE, DP_PLUG_LIT_SET,
    DP_PLUG_LIT_DICT     /* keys and values stay AST nodes, as in Bandit */
};

/* A literal value. s/n point into the tree (or at a static "True"/"False"/"None"). */
struct dp_plug_lit {
    enum dp_plug_lit_kind kind;
    const char *s;
    size_t n;
    const struct dp_py_node *node;   /* the expression it came from */
};

struct dp_plug_lit dp_plug_literal(const struct dp_py_node *e);   /* _get_literal_value(e) */
/* An element of Context.call_args / call_keywords: the attribute name for an Attribute,
 * the literal value otherwise. */
struct dp_plug_lit dp_plug_arg_value(const struct dp_py_node *e);
bool dp_plug_lit_truthy(struct dp_plug_lit v);                     /* bool(v) */
bool dp_plug_lit_eq(struct dp_plug_lit v, const char *s);         /* v == 's' */
bool dp_plug_lit_in(struct dp_plug_lit v, const char *const *list);   /* NULL-terminated */
/* v is an int equal to k (Python's 0 == 0.0 == 0j too; False/True are strings here). */
bool dp_plug_lit_num_eq(struct dp_plug_lit v, long k);
/* Python's str(v) (containers as their repr; dict entries and sets as Bandit's AST objects
 * print, with the object address left out). Appends to out. */
void dp_plug_lit_str(struct dp_sbuf *out, struct dp_plug_lit v);

/* ---- call accessors (ctx->node is the Call) ----------------------------------------- */

int dp_plug_nargs(const struct dp_py_node *call);
/* get_call_arg_at_position(i): DP_PLUG_LIT_NONE past the end. */
struct dp_plug_lit dp_plug_arg_at(const struct dp_py_node *call, int i);
bool dp_plug_kw_present(const struct dp_py_node *call, const char *name);   /* name in call_keywords */
struct dp_plug_lit dp_plug_kw_value(const struct dp_py_node *call, const char *name);  /* get_call_arg_value */
/* check_call_arg_value(name, vals): -1 when the keyword is absent or not a literal (None),
 * 1 when its value equals one of the NULL-terminated vals, 0 otherwise. */
int dp_plug_kw_check(const struct dp_py_node *call, const char *name, const char *const *vals);
/* get_lineno_for_call_arg(name): the line of the first such keyword's value, 0 when none. */
int dp_plug_kw_lineno(const struct dp_py_node *call, const char *name);
/* The last keyword node called name (what Bandit's keyword dict keeps), or NULL. */
const struct dp_py_node *dp_plug_kw_node(const struct dp_py_node *call, const char *name);

/* ---- qualified names ----------------------------------------------------------------- */

const char *dp_plug_qual(const struct dp_scan_ctx *ctx);   /* call_function_name_qual, "" when unknown */
const char *dp_plug_name(const struct dp_scan_ctx *ctx);   /* call_function_name */
bool dp_plug_qual_has_part(const char *qual, const char *part);   /* part in qual.split(".") */
bool dp_plug_qual_first_is(const char *qual, const char *first);  /* qual.split(".")[0] == first */
const char *dp_plug_qual_last(const char *qual);                  /* qual.split(".")[-1] */
bool dp_plug_in(const char *s, const char *const *list);          /* NULL-terminated list */

/* ---- Bandit's regexes ---------------------------------------------------------------- */

/* general_hardcoded_password.RE_CANDIDATES.search(s): a password-like word
 * (pas+wo?r?d, pass, passphrase, pwd, token, secret, secrete; any case) standing alone or
 * delimited by '_'. */
bool dp_plug_password_name(const char *s, size_t n);
/* injection_sql.SIMPLE_SQL_RE.search(s). */
bool dp_plug_sql_like(const char *s, size_t n);

/* ---- Bandit's default configuration (shell_injection, ssl_with_bad_version) ---------- */

extern const char *const dp_plug_shell_subprocess[];   /* subprocess.Popen, ... */
extern const char *const dp_plug_shell_shell[];        /* os.system, ... */
extern const char *const dp_plug_shell_no_shell[];     /* os.execl, ... */
/* ssl_with_bad_version.bad_protocol_versions (B502, B503). */
extern const char *const dp_plug_bad_ssl_versions[];

/* injection_shell.has_shell: the `shell` keyword's value is truthy the way Bandit decides it
 * (a constant by its value, a list or dict literal when non-empty, anything else true). */
bool dp_plug_has_shell(const struct dp_py_node *call);

/* ---- reporting ------------------------------------------------------------------------ */

/* Reports at the context node like Bandit's tester: the line is `lineno` when > 0 (an
 * Issue(lineno=...)), the node's otherwise; column, end column and line range stay the
 * context's. */
void dp_plug_report(struct dp_scan_ctx *ctx, const struct dp_scan_rule *rule, int lineno,
                    int severity, int confidence, int cwe, const char *text);

#endif
