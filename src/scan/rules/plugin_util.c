/* Bandit 1.9.4's Context accessors, name regexes and literal printing for the plugin rules.
 * Behaviour follows bandit/core/context.py and the plugins' own helpers, quirks included:
 * True/False/None read as the strings "True"/"False"/"None", a Name reads as its id, an
 * attribute argument as its attribute name, and anything else (a call, a subscript) as None.
 * The regexes are hand-written matchers for Python's re semantics (IGNORECASE on str). */
#include "scan/rules/plugin_util.h"
#include <string.h>
#include "base/utf8.h"
#include "py/repr.h"

/* ============================================================================ tree === */

const struct dp_py_node *dp_plug_up(const struct dp_scan_ctx *ctx, int up)
{
    int i = ctx->nparents - up;
    return up >= 1 && i >= 0 ? ctx->parents[i] : NULL;
}

bool dp_plug_is_str(const struct dp_py_node *n)
{
    return n && n->kind == DP_PY_Constant && n->v.Constant.value.kind == DP_PY_CONST_STR;
}

bool dp_plug_str_visit(const struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *p = dp_plug_up(ctx, 1);   /* the driver already skips Expr parents */
    return ctx->kind == DP_SCAN_STR && dp_plug_is_str(ctx->node) && p && p->kind != DP_PY_Expr;
}

/* ================================================================== literal values === */

static struct dp_plug_lit lit_str(const struct dp_py_node *e, const char *s, size_t n)
{
    struct dp_plug_lit v = {DP_PLUG_LIT_STR, s, n, e};
    return v;
}

struct dp_plug_lit dp_plug_literal(const struct dp_py_node *e)
{
    struct dp_plug_lit v = {DP_PLUG_LIT_NONE, NULL, 0, e};
    if (!e) return v;
    switch (e->kind) {
    case DP_PY_Constant: {
        const struct dp_py_const *c = &e->v.Constant.value;
        switch (c->kind) {
        case DP_PY_CONST_NONE: return lit_str(e, "None", 4);
        case DP_PY_CONST_TRUE: return lit_str(e, "True", 4);
        case DP_PY_CONST_FALSE: return lit_str(e, "False", 5);
        case DP_PY_CONST_ELLIPSIS: return v;   /* Bandit: "what do we want to do with this?" -> None */
        case DP_PY_CONST_STR: return lit_str(e, c->s, c->n);
        case DP_PY_CONST_BYTES: v.kind = DP_PLUG_LIT_BYTES; v.s = c->s; v.n = c->n; return v;
        default: v.kind = DP_PLUG_LIT_NUM; return v;
        }
    }
    case DP_PY_Name: return lit_str(e, e->v.Name.id, strlen(e->v.Name.id));
    case DP_PY_List: v.kind = DP_PLUG_LIT_LIST; return v;
    case DP_PY_Tuple: v.kind = DP_PLUG_LIT_TUPLE; return v;
    case DP_PY_Set: v.kind = DP_PLUG_LIT_SET; return v;
    case DP_PY_Dict: v.kind = DP_PLUG_LIT_DICT; return v;
    default: return v;
    }
}

struct dp_plug_lit dp_plug_arg_value(const struct dp_py_node *e)
{
    if (e && e->kind == DP_PY_Attribute)
        return lit_str(e, e->v.Attribute.attr, strlen(e->v.Attribute.attr));
    return dp_plug_literal(e);
}

static const struct dp_py_list *lit_elts(struct dp_plug_lit v)
{
    switch (v.kind) {
    case DP_PLUG_LIT_LIST: return &v.node->v.List.elts;
    case DP_PLUG_LIT_TUPLE: return &v.node->v.Tuple.elts;
    case DP_PLUG_LIT_SET: return &v.node->v.Set.elts;
    case DP_PLUG_LIT_DICT: return &v.node->v.Dict.keys;
    default: return NULL;
    }
}

bool dp_plug_lit_truthy(struct dp_plug_lit v)
{
    const struct dp_py_const *c;
    switch (v.kind) {
    case DP_PLUG_LIT_NONE: return false;
    case DP_PLUG_LIT_STR: case DP_PLUG_LIT_BYTES: return v.n > 0;
    case DP_PLUG_LIT_NUM:
        c = &v.node->v.Constant.value;
        if (c->kind == DP_PY_CONST_INT) return strcmp(c->s, "0") != 0;
        return c->f != 0.0;
    default: return lit_elts(v)->n > 0;
    }
}

bool dp_plug_lit_eq(struct dp_plug_lit v, const char *s)
{
    size_t n = strlen(s);
    return v.kind == DP_PLUG_LIT_STR && v.n == n && memcmp(v.s, s, n) == 0;
}

bool dp_plug_lit_in(struct dp_plug_lit v, const char *const *list)
{
    for (; *list; list++)
        if (dp_plug_lit_eq(v, *list)) return true;
    return false;
}

bool dp_plug_lit_num_eq(struct dp_plug_lit v, long k)
{
    if (v.kind != DP_PLUG_LIT_NUM) return false;
    const struct dp_py_const *c = &v.node->v.Constant.value;
    if (c->kind == DP_PY_CONST_INT) return c->i_fits && c->i == k;
    if (c->kind == DP_PY_CONST_FLOAT) return c->f == (double)k;
    return c->f == 0.0 && k == 0;   /* an imaginary literal equals an int only as 0j == 0 */
}

/* repr() of an element of a container literal (Python prints elements with repr). */
static void lit_repr(struct dp_sbuf *out, struct dp_plug_lit v)
{
    if (v.kind == DP_PLUG_LIT_STR) dp_py_repr_str(out, v.s, v.n);
    else if (v.kind == DP_PLUG_LIT_NONE) dp_sbuf_puts(out, "None");
    else dp_plug_lit_str(out, v);
}

/* How Python prints an AST object inside a dict: the object address is left out. */
static void node_repr(struct dp_sbuf *out, const struct dp_py_node *n)
{
    if (!n) { dp_sbuf_puts(out, "None"); return; }
    dp_sbuf_printf(out, "<ast.%s object>", dp_py_kind_name(n->kind));
}

void dp_plug_lit_str(struct dp_sbuf *out, struct dp_plug_lit v)
{
    const struct dp_py_list *l = lit_elts(v);
    switch (v.kind) {
    case DP_PLUG_LIT_NONE: dp_sbuf_puts(out, "None"); return;
    case DP_PLUG_LIT_STR: dp_sbuf_put(out, v.s, v.n); return;
    case DP_PLUG_LIT_BYTES: dp_py_repr_bytes(out, v.s, v.n); return;
    case DP_PLUG_LIT_NUM: dp_py_repr_const(out, &v.node->v.Constant.value); return;
    case DP_PLUG_LIT_DICT:
        dp_sbuf_putc(out, '{');
        for (int i = 0; i < l->n; i++) {
            if (i) dp_sbuf_puts(out, ", ");
            node_repr(out, l->items[i]);
            dp_sbuf_puts(out, ": ");
            node_repr(out, v.node->v.Dict.values.items[i]);
        }
        dp_sbuf_putc(out, '}');
        return;
    default: break;
    }
    if (v.kind == DP_PLUG_LIT_SET && l->n == 0) { dp_sbuf_puts(out, "set()"); return; }
    dp_sbuf_putc(out, v.kind == DP_PLUG_LIT_LIST ? '[' : v.kind == DP_PLUG_LIT_TUPLE ? '(' : '{');
    for (int i = 0; i < l->n; i++) {
        if (i) dp_sbuf_puts(out, ", ");
        lit_repr(out, dp_plug_literal(l->items[i]));
    }
    if (v.kind == DP_PLUG_LIT_TUPLE && l->n == 1) dp_sbuf_putc(out, ',');
    dp_sbuf_putc(out, v.kind == DP_PLUG_LIT_LIST ? ']' : v.kind == DP_PLUG_LIT_TUPLE ? ')' : '}');
}

/* ================================================================== call accessors === */

int dp_plug_nargs(const struct dp_py_node *call) { return call->v.Call.args.n; }

struct dp_plug_lit dp_plug_arg_at(const struct dp_py_node *call, int i)
{
    if (i < call->v.Call.args.n) return dp_plug_arg_value(call->v.Call.args.items[i]);
    return dp_plug_literal(NULL);
}

const struct dp_py_node *dp_plug_kw_node(const struct dp_py_node *call, const char *name)
{
    const struct dp_py_node *last = NULL;
    const struct dp_py_list *kws = &call->v.Call.keywords;
    for (int i = 0; i < kws->n; i++) {
        const char *arg = kws->items[i]->v.keyword.arg;
        if (arg && strcmp(arg, name) == 0) last = kws->items[i];
    }
    return last;
}

bool dp_plug_kw_present(const struct dp_py_node *call, const char *name)
{
    return dp_plug_kw_node(call, name) != NULL;
}

struct dp_plug_lit dp_plug_kw_value(const struct dp_py_node *call, const char *name)
{
    const struct dp_py_node *kw = dp_plug_kw_node(call, name);
    return dp_plug_arg_value(kw ? kw->v.keyword.value : NULL);
}

int dp_plug_kw_check(const struct dp_py_node *call, const char *name, const char *const *vals)
{
    struct dp_plug_lit v = dp_plug_kw_value(call, name);
    if (v.kind == DP_PLUG_LIT_NONE) return -1;
    return dp_plug_lit_in(v, vals) ? 1 : 0;
}

int dp_plug_kw_lineno(const struct dp_py_node *call, const char *name)
{
    const struct dp_py_list *kws = &call->v.Call.keywords;
    for (int i = 0; i < kws->n; i++) {
        const char *arg = kws->items[i]->v.keyword.arg;
        if (arg && strcmp(arg, name) == 0) return kws->items[i]->v.keyword.value->lineno;
    }
    return 0;
}

/* ================================================================= qualified names === */

const char *dp_plug_qual(const struct dp_scan_ctx *ctx) { return ctx->qualname ? ctx->qualname : ""; }

const char *dp_plug_qual_last(const char *qual)
{
    const char *dot = strrchr(qual, '.');
    return dot ? dot + 1 : qual;
}

const char *dp_plug_name(const struct dp_scan_ctx *ctx)
{
    return ctx->name ? ctx->name : dp_plug_qual_last(dp_plug_qual(ctx));
}

bool dp_plug_qual_has_part(const char *qual, const char *part)
{
    size_t n = strlen(part);
    for (const char *p = qual;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len == n && memcmp(p, part, n) == 0) return true;
        if (!dot) return false;
        p = dot + 1;
    }
}

bool dp_plug_qual_first_is(const char *qual, const char *first)
{
    size_t n = strlen(first);
    return strncmp(qual, first, n) == 0 && (qual[n] == '.' || qual[n] == '\0');
}

bool dp_plug_in(const char *s, const char *const *list)
{
    for (; *list; list++)   /* first byte first: rules ask this for every call */
        if ((*list)[0] == s[0] && strcmp(s, *list) == 0) return true;
    return false;
}

/* ====================================================================== the regexes === */

/* One character of s at i folded the way Python's re IGNORECASE folds it for the ASCII
 * letters in Bandit's patterns: ASCII case, plus U+0130/U+0131 ~ i, U+017F ~ s and the
 * Kelvin sign U+212A ~ k. *len gets the bytes consumed; returns 0 for anything else. */
static char fold_at(const char *s, size_t n, size_t i, size_t *len)
{
    unsigned char c = (unsigned char)s[i];
    uint32_t cp;
    *len = 1;
    if (c < 0x80) return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    *len = dp_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    if (*len == 0) { *len = 1; return 0; }
    return cp == 0x130 || cp == 0x131 ? 'i' : cp == 0x17F ? 's' : cp == 0x212A ? 'k' : 0;
}

/* s[i..] starts with the lowercase ASCII word w (folded); returns the end or 0. */
static size_t word_at(const char *s, size_t n, size_t i, const char *w)
{
    for (; *w; w++) {
        size_t len;
        if (i >= n || fold_at(s, n, i, &len) != *w) return 0;
        i += len;
    }
    return i;
}

/* Python's str.isspace() for the code point at i (what re's \s matches); *len = bytes. */
static bool space_at(const char *s, size_t n, size_t i, size_t *len)
{
    unsigned char c = (unsigned char)s[i];
    uint32_t cp;
    *len = 1;
    if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    *len = dp_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    if (*len == 0) { *len = 1; return false; }
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* --- RE_CANDIDATES = (^W$|_W_|^W_|_W$), W = (pas+wo?r?d|pass(phrase)?|pwd|token|secrete?) */

static bool pw_end_ok(const char *s, size_t n, size_t j)
{
    return j == n || s[j] == '_' || (j + 1 == n && s[j] == '\n');   /* $ also before a final \n */
}

static bool pw_at(const char *s, size_t n, size_t i)
{
    size_t j, k, len;
    if ((j = word_at(s, n, i, "pa")) != 0 && j < n && fold_at(s, n, j, &len) == 's') {
        while (j < n && fold_at(s, n, j, &len) == 's') j += len;
        if ((k = word_at(s, n, j, "w")) != 0) {
            if (k < n && fold_at(s, n, k, &len) == 'o') k += len;
            if (k < n && fold_at(s, n, k, &len) == 'r') k += len;
            if ((k = word_at(s, n, k, "d")) != 0 && pw_end_ok(s, n, k)) return true;
        }
    }
    if ((j = word_at(s, n, i, "pass")) != 0) {
        if (pw_end_ok(s, n, j)) return true;
        if ((k = word_at(s, n, j, "phrase")) != 0 && pw_end_ok(s, n, k)) return true;
    }
    if ((j = word_at(s, n, i, "pwd")) != 0 && pw_end_ok(s, n, j)) return true;
    if ((j = word_at(s, n, i, "token")) != 0 && pw_end_ok(s, n, j)) return true;
    if ((j = word_at(s, n, i, "secret")) != 0) {
        if (pw_end_ok(s, n, j)) return true;
        if ((k = word_at(s, n, j, "e")) != 0 && pw_end_ok(s, n, k)) return true;
    }
    return false;
}

bool dp_plug_password_name(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((i == 0 || s[i - 1] == '_') && pw_at(s, n, i)) return true;
    return false;
}

/* --- SIMPLE_SQL_RE = (select\s.*from\s|delete\s+from\s|insert\s+into\s.*values[\s(]|
 *                      update\s.*set\s), IGNORECASE | DOTALL */

/* End of the first "w\s" at or after from, or 0. */
static size_t find_word_space(const char *s, size_t n, size_t from, const char *w)
{
    size_t len;
    for (size_t i = from; i < n; i++) {
        size_t j = word_at(s, n, i, w);
        if (j && j < n && space_at(s, n, j, &len)) return j + len;
    }
    return 0;
}

/* End of "a\s+b\s" starting exactly at i, or 0. */
static size_t two_words_at(const char *s, size_t n, size_t i, const char *a, const char *b)
{
    size_t j = word_at(s, n, i, a), len, k;
    if (!j || j >= n || !space_at(s, n, j, &len)) return 0;
    while (j < n && space_at(s, n, j, &len)) j += len;
    k = word_at(s, n, j, b);
    return k && k < n && space_at(s, n, k, &len) ? k + len : 0;
}

bool dp_plug_sql_like(const char *s, size_t n)
{
    size_t e, len;
    if ((e = find_word_space(s, n, 0, "select")) && find_word_space(s, n, e, "from")) return true;
    if ((e = find_word_space(s, n, 0, "update")) && find_word_space(s, n, e, "set")) return true;
    for (size_t i = 0; i < n; i++)
        if (two_words_at(s, n, i, "delete", "from")) return true;
    for (size_t i = 0; i < n; i++) {
        if (!(e = two_words_at(s, n, i, "insert", "into"))) continue;
        for (size_t k = e; k < n; k++) {
            size_t j = word_at(s, n, k, "values");
            if (j && j < n && (s[j] == '(' || space_at(s, n, j, &len))) return true;
        }
        return false;   /* the first insert-into leaves the most room after it */
    }
    return false;
}

/* ================================================== Bandit's default configuration === */

const char *const dp_plug_shell_subprocess[] = {
    "subprocess.Popen", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
    "subprocess.run", NULL};
const char *const dp_plug_shell_shell[] = {
    "os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "popen2.popen2",
    "popen2.popen3", "popen2.popen4", "popen2.Popen3", "popen2.Popen4", "commands.getoutput",
    "commands.getstatusoutput", "subprocess.getoutput", "subprocess.getstatusoutput", NULL};
const char *const dp_plug_shell_no_shell[] = {
    "os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execv", "os.execve", "os.execvp",
    "os.execvpe", "os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnlpe", "os.spawnv",
    "os.spawnve", "os.spawnvp", "os.spawnvpe", "os.startfile", NULL};

const char *const dp_plug_bad_ssl_versions[] = {
    "PROTOCOL_SSLv2", "SSLv2_METHOD", "SSLv23_METHOD", "PROTOCOL_SSLv3", "PROTOCOL_TLSv1",
    "SSLv3_METHOD", "TLSv1_METHOD", "PROTOCOL_TLSv1_1", "TLSv1_1_METHOD", NULL};

bool dp_plug_has_shell(const struct dp_py_node *call)
{
    const struct dp_py_node *kw = dp_plug_kw_node(call, "shell"), *v;
    if (!kw) return false;
    v = kw->v.keyword.value;
    switch (v->kind) {
    case DP_PY_Constant:
        switch (v->v.Constant.value.kind) {
        case DP_PY_CONST_NONE: case DP_PY_CONST_FALSE: return false;
        case DP_PY_CONST_TRUE: case DP_PY_CONST_ELLIPSIS: return true;
        case DP_PY_CONST_STR: case DP_PY_CONST_BYTES: return v->v.Constant.value.n > 0;
        default: return dp_plug_lit_truthy(dp_plug_literal(v));
        }
    case DP_PY_List: return v->v.List.elts.n > 0;
    case DP_PY_Dict: return v->v.Dict.keys.n > 0;
    default: return true;   /* a Name can never be False/None in Python 3 */
    }
}

/* ======================================================================= reporting === */

void dp_plug_report(struct dp_scan_ctx *ctx, const struct dp_scan_rule *rule, int lineno,
                    int severity, int confidence, int cwe, const char *text)
{
    struct dp_scan_report_args a = {0};
    a.severity = severity;
    a.confidence = confidence;
    a.cwe = cwe;
    a.text = text;
    a.lineno = lineno > 0 ? lineno : 0;   /* 0: the context's line */
    a.col_offset = -1;                    /* the context's column */
    dp_scan_report_ex(ctx, rule, &a);
}
