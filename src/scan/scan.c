/* The scanner's driver for one file: parse, then walk the tree the way Bandit 1.9.4's node
 * visitor does (same node order, same per-node context, same check types), run the rules of each
 * check type, and turn what they report into issues with Bandit's line ranges, `# nosec`
 * handling, code snippets and metrics. Rule selection and threads are in run.c. */
#include "scan/scan_int.h"
#include "py/ast_meta.h"
#include "py/parse.h"
#include "py/source.h"
#include "scan/tls/tls.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- per-thread state */

void dp_scan_file_init(struct dp_scan_file *f, const struct dp_scanner *sc, struct dp_arena *keep)
{
    memset(f, 0, sizeof *f);
    f->sc = sc;
    f->keep = keep;
    dp_arena_init(&f->tmp, 8 << 20);   /* one block kept across files: no page faults per file */
    dp_map_init(&f->aliases);
    dp_map_init(&f->imports);
}

void dp_scan_file_free(struct dp_scan_file *f)
{
    dp_arena_free(&f->tmp);
    dp_map_free(&f->aliases);
    dp_map_free(&f->imports);
    dp_sbuf_free(&f->sb);
    dp_sbuf_free(&f->ns);
    free(f->frames);
    free(f->parents);
    free(f->issues);
    free(f->imp_list);
}

const char *dp_scan_level_name(int level)
{
    static const char *const n[] = {"UNDEFINED", "LOW", "MEDIUM", "HIGH"};
    return level >= 0 && level < 4 ? n[level] : "UNDEFINED";
}

/* ---------------------------------------------------------------- line ranges */

/* Bandit's calc_linerange: min/max start line over a subtree (max -1 when none has one). */
static void subtree_lines(const struct dp_py_node *n, long *lo, long *hi)
{
    if (dp_py_kind_has_position(n->kind)) {
        if (n->lineno < *lo) *lo = n->lineno;
        if (n->lineno > *hi) *hi = n->lineno;
    }
    const struct dp_py_kind_info *k = dp_py_kind_info(n->kind);
    for (int i = 0; i < k->nfields; i++) {
        const struct dp_py_field *fd = &k->fields[i];
        const char *base = (const char *)n + fd->offset;
        if (fd->type == DP_PY_FT_T_NODE || fd->type == DP_PY_FT_T_OPT) {
            const struct dp_py_node *c = *(struct dp_py_node *const *)base;
            if (c) subtree_lines(c, lo, hi);
        } else if (fd->type == DP_PY_FT_T_LIST) {
            const struct dp_py_list *l = (const struct dp_py_list *)base;
            for (int j = 0; j < l->n; j++)
                if (l->items[j]) subtree_lines(l->items[j], lo, hi);
        }
    }
}

static bool stripped_field(const char *name)
{
    return !strcmp(name, "body") || !strcmp(name, "orelse") || !strcmp(name, "handlers") ||
           !strcmp(name, "finalbody");
}

/* Bandit's utils.linerange(node): lineno..end_lineno for nodes with a position; for the others
 * (arguments, comprehension, withitem, match_case) the lines of their children without
 * body/orelse/handlers/finalbody, cut before the next sibling (the Python issue 16806
 * workaround), [0, 1] when nothing has a line. */
static void node_linerange(const struct dp_py_node *n, const struct dp_py_node *sibling, int *first,
                           int *last)
{
    if (dp_py_kind_has_position(n->kind)) {
        *first = n->lineno;
        *last = n->end_lineno;
        return;
    }
    long lo = 9999999999L, hi = -1;
    const struct dp_py_kind_info *k = dp_py_kind_info(n->kind);
    for (int i = 0; i < k->nfields; i++) {
        const struct dp_py_field *fd = &k->fields[i];
        const char *base = (const char *)n + fd->offset;
        if (fd->type == DP_PY_FT_T_NODE || fd->type == DP_PY_FT_T_OPT) {
            const struct dp_py_node *c = *(struct dp_py_node *const *)base;
            if (c) subtree_lines(c, &lo, &hi);
        } else if (fd->type == DP_PY_FT_T_LIST && !stripped_field(fd->name)) {
            const struct dp_py_list *l = (const struct dp_py_list *)base;
            for (int j = 0; j < l->n; j++)
                if (l->items[j]) subtree_lines(l->items[j], &lo, &hi);
        }
    }
    if (hi == -1) lo = 0, hi = 1;
    *first = (int)lo;
    *last = (int)hi;
    if (sibling && dp_py_kind_has_position(sibling->kind) && sibling->lineno - lo > 1)
        *last = sibling->lineno - 1;
}

/* The context's line range: the visited node's, its parent's for STR/BYTES, [0, 1] for FILE. */
static void ctx_linerange(const struct dp_scan_ctx *ctx, int *first, int *last)
{
    const struct dp_scan_file *f = ctx->file;
    if (!ctx->node || f->nframes == 0) {
        *first = 0;
        *last = 1;
        return;
    }
    int top = f->nframes - 1;
    if (ctx->kind == DP_SCAN_STR || ctx->kind == DP_SCAN_BYTES) top--;
    if (top < 0) {
        *first = *last = ctx->node->lineno;
        return;
    }
    node_linerange(f->frames[top].node, f->frames[top].sibling, first, last);
}

/* ---------------------------------------------------------------- reporting */

bool dp_scan_test_enabled(const struct dp_scan_ctx *ctx, const char *test_id)
{
    return dp_map_get(&ctx->file->sc->enabled, test_id, strlen(test_id)) != NULL;
}

static bool nosec_has(const struct dp_scan_nosec *s, const char *id)
{
    for (int i = 0; i < s->nids; i++)
        if (!strcmp(s->ids[i], id)) return true;
    return false;
}

/* Bandit's tester: the nosec comment on the issue's own line (when the test set lineno) and the
 * first one within the context's line range are combined; none: report; a blanket one (no ids in
 * either): count under "nosec"; the issue's id named: count under "skipped_tests". */
static bool nosec_suppresses(struct dp_scan_file *f, int set_lineno, int first, int last, const char *id)
{
    if (f->nnosec == 0) return false;
    const struct dp_scan_nosec *base = set_lineno ? dp_scan_nosec_in(f, set_lineno, set_lineno) : NULL;
    const struct dp_scan_nosec *ctx = dp_scan_nosec_in(f, first, last);
    if (!base && !ctx) return false;
    int nids = (base ? base->nids : 0) + (ctx ? ctx->nids : 0);
    if (nids == 0) {
        f->m.nosec++;
        return true;
    }
    if ((base && nosec_has(base, id)) || (ctx && nosec_has(ctx, id))) {
        f->m.skipped_tests++;
        return true;
    }
    return false;
}

static char *keep_str(struct dp_scan_file *f, const char *s)
{
    return s ? dp_arena_strndup(f->keep, s, strlen(s)) : NULL;
}

void dp_scan_report_ex(struct dp_scan_ctx *ctx, const struct dp_scan_rule *rule,
                       const struct dp_scan_report_args *a)
{
    struct dp_scan_file *f = ctx->file;
    const char *id = a->test_id ? a->test_id : rule->id;
    if (!dp_map_get(&f->sc->enabled, id, strlen(id))) return;
    int first, last;
    if (a->line_first) first = a->line_first, last = a->line_last;
    else ctx_linerange(ctx, &first, &last);
    if (last < first) last = first;
    int ctx_line = ctx->node ? ctx->node->lineno : 0;
    int lineno = a->lineno ? a->lineno : ctx_line;
    if (nosec_suppresses(f, a->lineno, first, last, id)) return;
    if (f->nissues == f->capissues) {
        f->capissues = f->capissues ? 2 * f->capissues : 16;
        f->issues = dp_xrealloc(f->issues, (size_t)f->capissues * sizeof *f->issues);
    }
    struct dp_scan_issue *is = &f->issues[f->nissues++];
    memset(is, 0, sizeof *is);
    int sev = a->severity >= 0 && a->severity <= 3 ? a->severity : 0;
    int conf = a->confidence >= 0 && a->confidence <= 3 ? a->confidence : 0;
    is->test_id = keep_str(f, id);
    is->test_name = rule->name;
    is->severity = (uint8_t)sev;
    is->confidence = (uint8_t)conf;
    is->cwe = a->cwe;
    is->text = keep_str(f, a->text ? a->text : "");
    is->lineno = lineno;
    is->col_offset = a->col_offset >= 0 ? a->col_offset : ctx->node ? ctx->node->col_offset : 0;
    is->end_col_offset = ctx->node ? ctx->node->end_col_offset : 0;
    is->line_first = first;
    is->line_last = last;
    is->resolved = keep_str(f, a->resolved);
    is->evidence = keep_str(f, a->evidence);
    is->code = dp_scan_code(f, lineno, last - first + 1, f->sc->cfg.context_lines);
    is->more_info = dp_scan_more_info(f->keep, rule, id, rule->name);
    f->m.sev[sev]++;
    f->m.conf[conf]++;
}

/* In the module-wide pass there is no visited node: everything comes from n. */
static void report_node(struct dp_scan_ctx *ctx, const struct dp_scan_rule *rule, const struct dp_py_node *n,
                        struct dp_scan_report_args *a)
{
    if (n && (!ctx->node || ctx->kind == DP_PY_Module)) {
        a->lineno = n->lineno;
        a->col_offset = n->col_offset;
        a->line_first = n->lineno;
        a->line_last = n->end_lineno;
        const struct dp_py_node *saved = ctx->node;
        int kind = ctx->kind;
        ctx->node = n;           /* for end_col_offset */
        ctx->kind = n->kind;
        dp_scan_report_ex(ctx, rule, a);
        ctx->node = saved;
        ctx->kind = kind;
        return;
    }
    a->lineno = n && n != ctx->node ? n->lineno : 0;   /* Bandit: lineno=None unless the test sets it */
    a->col_offset = -1;
    dp_scan_report_ex(ctx, rule, a);
}

void dp_scan_report(struct dp_scan_ctx *ctx, const struct dp_scan_rule *rule, const struct dp_py_node *n,
                    int severity, int confidence, int cwe, const char *text)
{
    struct dp_scan_report_args a = {.severity = severity, .confidence = confidence, .cwe = cwe, .text = text};
    report_node(ctx, rule, n, &a);
}

void dp_scan_report_dp(struct dp_scan_ctx *ctx, const struct dp_scan_rule *rule, const struct dp_py_node *n,
                       int severity, int confidence, int cwe, const char *text, const char *resolved,
                       const char *evidence)
{
    struct dp_scan_report_args a = {.severity = severity, .confidence = confidence, .cwe = cwe,
                                    .text = text, .resolved = resolved, .evidence = evidence};
    report_node(ctx, rule, n, &a);
}

/* ---------------------------------------------------------------- the walk */

/* Runs the rules of check type `kind` at the current node; the context is built only when some
 * rule wants it (most nodes have none). */
static void run_rules(struct dp_scan_file *f, int kind, const char *qualname, const char *name)
{
    const struct dp_scanner *sc = f->sc;
    int n = sc->nby_kind[kind];
    if (n == 0) return;
    const struct dp_scan_frame *fr = &f->frames[f->nframes - 1];
    struct dp_scan_ctx ctx = {.node = fr->node, .stmt = fr->stmt, .qualname = qualname, .name = name,
                              .parents = f->parents, .nparents = f->nframes - 1, .path = f->path,
                              .src = f->text, .src_len = f->text_len, .kind = kind, .file = f};
    for (int i = 0; i < n; i++) sc->by_kind[kind][i]->fn(&ctx);
}

static void push_frame(struct dp_scan_file *f, const struct dp_py_node *n, const struct dp_py_node *sib)
{
    if (f->nframes == f->capframes) {
        f->capframes = f->capframes ? 2 * f->capframes : 256;
        f->frames = dp_xrealloc(f->frames, (size_t)f->capframes * sizeof *f->frames);
        f->parents = dp_xrealloc(f->parents, (size_t)f->capframes * sizeof *f->parents);
    }
    struct dp_scan_frame *fr = &f->frames[f->nframes];
    fr->node = n;
    fr->sibling = sib;
    bool is_stmt = f->sc->is_stmt[n->kind];
    fr->stmt = is_stmt ? n : f->nframes ? f->frames[f->nframes - 1].stmt : NULL;
    f->parents[f->nframes] = n;
    f->nframes++;
}

static void visit(struct dp_scan_file *f, const struct dp_py_node *n, const struct dp_py_node *sib);

/* Bandit's generic_visit: every child node, field by field, list items with their sibling. */
static void visit_children(struct dp_scan_file *f, const struct dp_py_node *n)
{
    const struct dp_scanner *sc = f->sc;
    for (int i = 0; i < sc->nchild[n->kind]; i++) {
        const char *base = (const char *)n + sc->child[n->kind][i].offset;
        if (!sc->child[n->kind][i].list) {
            const struct dp_py_node *c = *(struct dp_py_node *const *)base;
            if (c) visit(f, c, NULL);
        } else {
            const struct dp_py_list *l = (const struct dp_py_list *)base;
            for (int j = 0; j < l->n; j++)
                if (l->items[j]) visit(f, l->items[j], j + 1 < l->n ? l->items[j + 1] : NULL);
        }
    }
}

static void ns_push(struct dp_scan_file *f, const char *name, size_t *mark)
{
    *mark = f->ns.n;
    dp_sbuf_putc(&f->ns, '.');
    dp_sbuf_puts(&f->ns, name);
}

static void ns_pop(struct dp_scan_file *f, size_t mark)
{
    f->ns.n = mark;
    if (f->ns.p) f->ns.p[mark] = 0;
}

static void visit(struct dp_scan_file *f, const struct dp_py_node *n, const struct dp_py_node *sib)
{
    push_frame(f, n, sib);
    size_t mark;
    switch (n->kind) {
    case DP_PY_ClassDef:
        ns_push(f, n->v.ClassDef.name, &mark);
        visit_children(f, n);
        ns_pop(f, mark);
        break;
    case DP_PY_FunctionDef:
        ns_push(f, n->v.FunctionDef.name, &mark);
        run_rules(f, DP_PY_FunctionDef, f->ns.p, n->v.FunctionDef.name);   /* ns.p: module.Class.func */
        visit_children(f, n);
        ns_pop(f, mark);
        break;
    case DP_PY_Call:
        if (f->sc->nby_kind[DP_PY_Call]) {   /* the qualified name, once per call */
            const char *q = dp_scan_call_name(f, n), *dot = strrchr(q, '.');
            run_rules(f, DP_PY_Call, q, dot ? dot + 1 : q);
        }
        visit_children(f, n);
        break;
    case DP_PY_Import:
    case DP_PY_ImportFrom:
        dp_scan_note_import(f, n);
        run_rules(f, n->kind == DP_PY_ImportFrom && n->v.ImportFrom.module ? DP_PY_ImportFrom : DP_PY_Import,
                  NULL, NULL);
        visit_children(f, n);
        break;
    case DP_PY_Constant: {
        int ck = n->v.Constant.value.kind;
        const struct dp_py_node *parent = f->nframes >= 2 ? f->frames[f->nframes - 2].node : NULL;
        if ((ck == DP_PY_CONST_STR || ck == DP_PY_CONST_BYTES) && !(parent && parent->kind == DP_PY_Expr))
            run_rules(f, ck == DP_PY_CONST_STR ? DP_SCAN_STR : DP_SCAN_BYTES, NULL, NULL);
        break;
    }
    default:
        run_rules(f, n->kind, NULL, NULL);
        visit_children(f, n);
        break;
    }
    f->nframes--;
}

/* ---------------------------------------------------------------- one file */

static void file_reset(struct dp_scan_file *f, const char *path, const char *data, size_t n)
{
    dp_arena_reset(&f->tmp);
    dp_scan_map_clear(&f->aliases);
    dp_scan_map_clear(&f->imports);
    f->nimp = 0;
    f->nlike = 0;
    dp_sbuf_reset(&f->ns);
    f->nframes = 0;
    f->path = path;
    f->raw = data;
    f->raw_len = n;
    f->text = data;
    f->text_len = n;
    if (n >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) f->text += 3, f->text_len -= 3;
    f->line_start = NULL;
    f->nlines = 0;
    f->nosec = NULL;
    f->nnosec = 0;
    f->nissues = 0;
    memset(&f->m, 0, sizeof f->m);
}

/* A PEP 263 cookie other than UTF-8 (in the first two lines): comments and code snippets are
 * read from the decoded text, as Python's tokenize and linecache read them. */
static void decode_if_declared(struct dp_scan_file *f)
{
    const char *s = f->text;
    size_t n = f->text_len, end = 0;
    for (int line = 0; line < 2 && end < n; line++) {
        const char *nl = memchr(s + end, '\n', n - end);
        end = nl ? (size_t)(nl - s) + 1 : n;
    }
    if (!memmem(s, end, "coding", 6)) return;
    char *d;
    size_t k;
    struct dp_error e = {0};
    if (dp_py_source_decode(&f->tmp, f->raw, f->raw_len, f->path, &d, &k, &e) == 0) {
        f->text = d;
        f->text_len = k;
    }
}

static void run_module_passes(struct dp_scan_file *f, const struct dp_py_node *mod)
{
    struct dp_scan_ctx ctx = {.node = NULL, .parents = f->parents, .path = f->path, .src = f->text,
                              .src_len = f->text_len, .kind = DP_SCAN_FILE, .file = f};
    for (int i = 0; i < f->sc->nby_kind[DP_SCAN_FILE]; i++) f->sc->by_kind[DP_SCAN_FILE][i]->fn(&ctx);
    if (f->sc->tls) {
        push_frame(f, mod, NULL);
        ctx.node = mod;
        ctx.kind = DP_PY_Module;
        dp_scan_tls(&ctx, mod);
        f->nframes--;
    }
}

void dp_scan_file_run(struct dp_scan_file *f, const char *path, const char *data, size_t n,
                      struct dp_scan_result_file *out)
{
    memset(out, 0, sizeof *out);
    file_reset(f, path, data, n);
    out->path = keep_str(f, path);
    out->has_metrics = true;
    f->m.loc = dp_scan_count_loc(data, n);
    struct dp_py_node *mod = NULL;
    struct dp_error e = {0};
    struct dp_py_parse_opts po = {.feature_version = 311};
    if (dp_py_parse(&f->tmp, data, n, path, &po, &mod, &e)) {
        out->error = "syntax error while parsing AST from file";
        out->m = f->m;
        return;
    }
    decode_if_declared(f);
    if (!f->sc->cfg.ignore_nosec) dp_scan_find_nosec(f);
    f->m.counted = true;
    if (f->sc->nby_kind[DP_PY_FunctionDef]) dp_scan_module_qualname(path, &f->ns);
    push_frame(f, mod, NULL);
    visit_children(f, mod);
    f->nframes = 0;
    run_module_passes(f, mod);
    out->m = f->m;
    out->nissues = f->nissues;
    if (f->nissues) {
        out->issues = dp_arena_alloc(f->keep, (size_t)f->nissues * sizeof *out->issues);
        memcpy(out->issues, f->issues, (size_t)f->nissues * sizeof *out->issues);
    }
}
