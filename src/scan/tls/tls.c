/* Entry point of the TLS analysis: sets up the state for one module, runs the module body and
 * then every function body, decides the deferred object findings, and hands the findings out
 * sorted by position with their evidence chains rendered. Also the DP5xx rule descriptions. */
#include "scan/tls/tls_int.h"
#include "scan/scan.h"
#include <stdlib.h>
#include <string.h>

static const struct dp_tls_rule_info infos[DP_TLS_RULE_COUNT] = {
    {"DP501", "tls_cert_verification_disabled", DP_SCAN_HIGH, 295,
     "TLS certificate verification disabled"},
    {"DP502", "tls_hostname_verification_disabled", DP_SCAN_MEDIUM, 297,
     "TLS hostname verification disabled"},
    {"DP503", "tls_insecure_warnings_silenced", DP_SCAN_LOW, 295,
     "TLS verification warnings silenced"},
    {"DP504", "tls_verification_disabled_by_environment", DP_SCAN_HIGH, 295,
     "TLS certificate verification disabled through the environment"},
    {"DP505", "tls_context_unverified_by_default", DP_SCAN_MEDIUM, 295,
     "TLS context that does not verify certificates by default used by a client"},
};

const struct dp_tls_rule_info *dp_tls_rule_info(enum dp_tls_rule r)
{
    return r < DP_TLS_RULE_COUNT ? &infos[r] : &infos[0];
}

/* ---- findings -------------------------------------------------------------------------------- */

struct ev_item { int line; const char *text; };

static int add_list(struct tls_state *st, struct ev_item *it, int n, int cap, const struct tls_ev *ev)
{
    const struct tls_ev *stack[64];
    int k = 0;
    for (; ev && k < 64; ev = ev->next) stack[k++] = ev;
    while (k > 0 && n < cap) {
        const struct tls_ev *e = stack[--k];
        const char *text = e->text ? e->text : tls_snip(st, e->node);
        if (text[0]) it[n++] = (struct ev_item){e->line, text};
    }
    return n;
}

static const char *render(struct tls_state *st, const struct tls_ev *const *lists, int nl,
                          const struct dp_py_node *node)
{
    struct ev_item it[96];
    int n = 0;
    for (int i = 0; i < nl; i++) n = add_list(st, it, n, 95, lists[i]);
    if (node) it[n++] = (struct ev_item){node->lineno, tls_snip(st, node)};
    /* drop repeats and snippets contained in another one on the same line */
    bool drop[96] = {false};
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n && !drop[i]; j++) {
            if (i == j || drop[j] || it[i].line != it[j].line) continue;
            if (!strcmp(it[i].text, it[j].text)) drop[i] = j < i;
            else if (strstr(it[j].text, it[i].text)) drop[i] = true;
        }
    struct ev_item keep[96];
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!drop[i]) keep[k++] = it[i];
    for (int i = 1; i < k; i++) {   /* stable sort by line */
        struct ev_item x = keep[i];
        int j = i - 1;
        for (; j >= 0 && keep[j].line > x.line; j--) keep[j + 1] = keep[j];
        keep[j + 1] = x;
    }
    int first = k > TLS_MAX_EV ? k - TLS_MAX_EV : 0;
    struct dp_sbuf b = {0};
    for (int i = first; i < k; i++)
        dp_sbuf_printf(&b, "%s%s (line %d)", i > first ? "; " : "", keep[i].text, keep[i].line);
    const char *s = dp_arena_strndup(&st->a, b.p ? b.p : "", b.n);
    dp_sbuf_free(&b);
    return s;
}

void tls_report(struct tls_state *st, enum dp_tls_rule rule, int conf, const struct dp_py_node *node,
                const char *resolved, const char *text, const struct tls_ev *ev1,
                const struct tls_ev *ev2, const struct tls_ev *ev3)
{
    if (!node || st->quiet) return;
    if (st->nreps == st->capreps) {
        st->capreps = st->capreps ? st->capreps * 2 : 16;
        st->reps = dp_xrealloc(st->reps, (size_t)st->capreps * sizeof *st->reps);
    }
    const struct tls_ev *lists[3] = {ev1, ev2, ev3};
    struct tls_rep *r = &st->reps[st->nreps++];
    r->rule = (uint8_t)rule;
    r->conf = (uint8_t)conf;
    r->node = node;
    r->resolved = resolved;
    r->text = text;
    r->evidence = render(st, lists, 3, node);
}

static int rep_cmp(const void *pa, const void *pb)
{
    const struct tls_rep *a = pa, *b = pb;
    if (a->node->lineno != b->node->lineno) return a->node->lineno < b->node->lineno ? -1 : 1;
    if (a->node->col_offset != b->node->col_offset) return a->node->col_offset < b->node->col_offset ? -1 : 1;
    if (a->rule != b->rule) return a->rule < b->rule ? -1 : 1;
    if (a->node != b->node) return a->node->end_col_offset < b->node->end_col_offset ? -1 : 1;
    if (a->conf != b->conf) return a->conf > b->conf ? -1 : 1;
    return strcmp(a->resolved ? a->resolved : "", b->resolved ? b->resolved : "");
}

/* ---- the analysis ---------------------------------------------------------------------------- */

void tls_index_lines(struct tls_state *st)
{
    if (st->line_off) return;
    int cap = 64;
    st->line_off = dp_xmalloc((size_t)cap * sizeof *st->line_off);
    st->line_off[0] = 0;
    st->line_off[1] = 0;
    st->nlines = 1;
    /* a line ends at \n, \r\n or a lone \r; without any \r, memchr finds every end */
    bool cr = memchr(st->src, '\r', st->n) != NULL;
    for (size_t i = 0; i < st->n; i++) {
        if (!cr) {
            const char *nl = memchr(st->src + i, '\n', st->n - i);
            if (!nl) break;
            i = (size_t)(nl - st->src);
        } else {
            char c = st->src[i];
            if (c != '\n' && !(c == '\r' && (i + 1 >= st->n || st->src[i + 1] != '\n'))) continue;
        }
        if (st->nlines + 2 > cap) {
            cap *= 2;
            st->line_off = dp_xrealloc(st->line_off, (size_t)cap * sizeof *st->line_off);
        }
        st->line_off[++st->nlines] = (int)(i + 1);
    }
}

void dp_tls_analyze(const struct dp_py_node *module, const char *src, size_t n,
                    dp_tls_emit_fn emit, void *ud)
{
    struct tls_state st;
    memset(&st, 0, sizeof st);
    dp_arena_init(&st.a, 1 << 16);
    st.src = src ? src : "";
    st.n = src ? n : 0;
    dp_map_init(&st.objsite);
    dp_map_init(&st.deflocals);
    /* two passes: the first only lets objects collect every attribute store (a method may run
     * before the code that configures its object), the second reports */
    for (int pass = 0; pass < 2 && module && module->kind == DP_PY_Module; pass++) {
        st.quiet = pass == 0;
        st.module = tls_scope_new(&st, TS_MODULE, NULL);
        st.cur = st.module;
        st.stmt = NULL;
        st.nqueue = st.qhead = 0;
        tls_exec_body(&st, &module->v.Module.body);
        tls_run_deferred(&st);
    }
    if (module && module->kind == DP_PY_Module) tls_check_objects(&st);
    if (st.nreps) qsort(st.reps, (size_t)st.nreps, sizeof *st.reps, rep_cmp);
    for (int i = 0; i < st.nreps; i++) {
        const struct tls_rep *r = &st.reps[i];
        if (i > 0 && st.reps[i - 1].node == r->node && st.reps[i - 1].rule == r->rule) continue;
        const struct dp_tls_rule_info *info = dp_tls_rule_info((enum dp_tls_rule)r->rule);
        struct dp_tls_finding f = {
            .rule = (enum dp_tls_rule)r->rule, .severity = info->severity, .confidence = r->conf,
            .cwe = info->cwe, .node = r->node, .text = r->text, .resolved = r->resolved,
            .evidence = r->evidence,
        };
        if (emit) emit(&f, ud);
    }
    dp_map_free(&st.deflocals);
    free(st.queue);
    free(st.reps);
    free(st.line_off);
    dp_map_free(&st.objsite);
    dp_arena_free(&st.a);
}
