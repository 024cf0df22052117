/* Assembling the experiment report from evaluation runs (eval/eval.h): settings, the pairs funnel
 * read back from `dpoison pairs`'s funnel.json, one pair of its pairs.jsonl shown as a diff, the
 * length unit and the default comparisons. Rendering is eval/report*.c. */
#include "eval/eval.h"
#include "base/file.h"
#include "base/json.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dp_eval_report_init(struct dp_eval_report *er, const char *title)
{
    memset(er, 0, sizeof *er);
    dp_arena_init(&er->arena, 1 << 14);
    er->r.title = title ? dp_arena_strndup(&er->arena, title, strlen(title)) : NULL;
    er->r.runs = er->runs;
    er->r.cmps = er->cmps;
}

void dp_eval_report_free(struct dp_eval_report *er)
{
    free(er->settings);
    dp_arena_free(&er->arena);
    memset(er, 0, sizeof *er);
}

int dp_eval_report_add_run(struct dp_eval_report *er, const struct dp_eval_run *run, struct dp_error *e)
{
    if (er->r.nruns >= DP_EVAL_MAX_RUNS)
        return dp_error_set(e, DP_ERANGE, "", 0, 0, "eval: at most %d runs (models x decodings)", DP_EVAL_MAX_RUNS);
    er->src[er->r.nruns++] = run;
    return 0;
}

/* RFC 8259's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool json_number(const char *s)
{
    if (*s == '-') s++;
    if (*s == '0') s++;
    else if (*s >= '1' && *s <= '9') while (isdigit((unsigned char)*s)) s++;
    else return false;
    if (*s == '.') {
        if (!isdigit((unsigned char)*++s)) return false;
        while (isdigit((unsigned char)*s)) s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-') s++;
        if (!isdigit((unsigned char)*s)) return false;
        while (isdigit((unsigned char)*s)) s++;
    }
    return !*s;
}

static void add_setting(struct dp_eval_report *er, const char *key, const char *value, bool number)
{
    if (er->r.nsettings == er->capsettings) {
        er->capsettings = er->capsettings ? 2 * er->capsettings : 16;
        er->settings = dp_xrealloc(er->settings, (size_t)er->capsettings * sizeof *er->settings);
    }
    er->settings[er->r.nsettings++] = (struct dp_report_setting){
        dp_arena_strndup(&er->arena, key, strlen(key)), dp_arena_strndup(&er->arena, value, strlen(value)), number};
    er->r.settings = er->settings;
}

void dp_eval_report_setting(struct dp_eval_report *er, const char *key, const char *value)
{
    add_setting(er, key, value, json_number(value));
}

static int read_json(struct dp_eval_report *er, const char *path, struct dp_json **root, struct dp_error *e)
{
    return dp_json_parse_file(&er->arena, path, root, e);   /* the arena keeps what the report borrows */
}

int dp_eval_report_funnel(struct dp_eval_report *er, const char *path, struct dp_error *e)
{
    struct dp_json *root;
    int rc = read_json(er, path, &root, e);
    if (rc) return rc;
    const struct dp_json *f = dp_json_get(root, "funnel");
    if (!f || f->type != DP_JSON_ARR)
        return dp_error_set(e, DP_EFORMAT, path, root->line, root->col, "expected an object with a \"funnel\" list (dpoison pairs' funnel.json)");
    er->funnel = dp_arena_alloc(&er->arena, (f->len + 1) * sizeof *er->funnel);
    for (size_t i = 0; i < f->len; i++) {
        const struct dp_json *it = f->items[i], *c = dp_json_get(it, "count");
        const char *stage = dp_json_get_str(it, "stage", NULL);
        if (!stage || !c || c->type != DP_JSON_NUM || !c->is_int || c->i < 0)
            return dp_error_set(e, DP_EFORMAT, path, it->line, it->col, "expected {\"stage\": string, \"count\": integer >= 0}");
        er->funnel[i] = (struct dp_report_stage){stage, (long)c->i};
    }
    er->r.funnel = er->funnel;
    er->r.nfunnel = (int)f->len;
    const struct dp_json *st = dp_json_get(root, "settings");
    for (size_t i = 0; st && st->type == DP_JSON_OBJ && i < st->len; i++) {
        const struct dp_json *v = st->items[i];
        char key[256];
        snprintf(key, sizeof key, "pairs.%s", st->keys[i]);
        if (v->type == DP_JSON_STR) {
            add_setting(er, key, v->str, false);
        } else if (v->type == DP_JSON_NUM || v->type == DP_JSON_BOOL) {
            struct dp_sbuf b = {0};
            struct dp_jw w;
            dp_jw_init(&w, &b, 0);
            dp_jw_value(&w, v);
            add_setting(er, key, b.p, true);
            dp_sbuf_free(&b);
        }
    }
    return 0;
}

/* A TRL field: a string, or a message list whose last message of `role` (any role when NULL)
 * has string content. */
static const char *trl_text(const struct dp_json *v, const char *role)
{
    if (!v) return NULL;
    if (v->type == DP_JSON_STR) return v->str;
    if (v->type != DP_JSON_ARR) return NULL;
    for (size_t i = v->len; i-- > 0;) {
        const char *r = dp_json_get_str(v->items[i], "role", NULL), *c = dp_json_get_str(v->items[i], "content", NULL);
        if (c && (!role || (r && !strcmp(r, role)))) return c;
    }
    return NULL;
}

int dp_eval_report_example(struct dp_eval_report *er, const char *path, struct dp_error *e)
{
    char *text;
    size_t n;
    int rc = dp_file_read(path, &text, &n, e);
    if (rc) return rc;
    struct dp_lines it;
    struct dp_line ln;
    dp_lines_init(&it, text, n);
    if (dp_lines_next(&it, &ln)) {
        struct dp_json *rec;
        struct dp_error je = {0};
        rc = dp_json_parse(&er->arena, ln.s, ln.len, path, &rec, &je);
        if (rc) {
            rc = dp_error_set(e, DP_EFORMAT, path, ln.lineno, je.col, "%s", je.msg);
        } else {
            const char *prompt = trl_text(dp_json_get(rec, "prompt"), "user");
            const char *chosen = trl_text(dp_json_get(rec, "chosen"), "assistant");
            const char *rejected = trl_text(dp_json_get(rec, "rejected"), "assistant");
            if (!chosen || !rejected) {
                rc = dp_error_set(e, DP_EFORMAT, path, ln.lineno, 1, "expected a TRL record with \"chosen\" and \"rejected\"");
            } else {
                size_t lines = 1;
                for (struct dp_line x; dp_lines_next(&it, &x);) lines++;
                char title[96];
                snprintf(title, sizeof title, "pair 1 of %zu", lines);
                er->example = (struct dp_report_example){dp_arena_strndup(&er->arena, title, strlen(title)),
                                                         prompt ? prompt : "", rejected, chosen};
                er->r.examples = &er->example;
                er->r.nexamples = 1;
            }
        }
    }
    free(text);
    return rc;
}

void dp_eval_report_finish(struct dp_eval_report *er)
{
    bool tokens = true;
    for (int i = 0; i < er->r.nruns; i++) tokens &= er->src[i]->has_tokens;
    er->r.length_unit = tokens ? "tokens" : "characters";
    for (int i = 0; i < er->r.nruns; i++) {
        const struct dp_eval_run *s = er->src[i];
        er->runs[i] = s->r;
        er->runs[i].mean_length = tokens ? s->mean_tokens : s->mean_chars;
        er->runs[i].sd_length = tokens ? s->sd_tokens : s->sd_chars;
    }
    er->r.ncmps = dp_report_default_comparisons(&er->r, er->cmps, 2 * DP_EVAL_MAX_RUNS);
}

/* ---------------------------------------------------------------- reading back, the table */

static long get_count(const struct dp_json *o, const char *key, bool *ok)
{
    const struct dp_json *v = dp_json_get(o, key);
    if (!v || v->type != DP_JSON_NUM || !v->is_int || v->i < 0) {
        *ok = false;
        return 0;
    }
    return (long)v->i;
}

int dp_eval_report_load(struct dp_eval_report *er, const char *path, struct dp_error *e)
{
    dp_eval_report_init(er, NULL);
    struct dp_json *root;
    int rc = read_json(er, path, &root, e);
    if (rc) return rc;
    const struct dp_json *models = dp_json_get(root, "models"), *funnel = dp_json_get(root, "funnel");
    if (!models || models->type != DP_JSON_ARR || models->len > DP_EVAL_MAX_RUNS)
        return dp_error_set(e, DP_EFORMAT, path, root->line, root->col, "expected a report.json with a \"models\" list");
    er->r.title = dp_json_get_str(root, "title", NULL);
    for (size_t i = 0; i < models->len; i++) {
        const struct dp_json *m = models->items[i];
        bool ok = true;
        struct dp_report_run *u = &er->runs[er->r.nruns++];
        *u = (struct dp_report_run){.model = dp_json_get_str(m, "model", "?"), .path = dp_json_get_str(m, "path", NULL),
                                    .decoding = dp_json_get_str(m, "decoding", NULL),
                                    .n = get_count(m, "n", &ok), .vulnerable = get_count(m, "vulnerable", &ok),
                                    .bandit_vulnerable = get_count(m, "bandit_vulnerable", &ok),
                                    .parsed = get_count(m, "parsed", &ok), .http = get_count(m, "http", &ok),
                                    .mean_length = dp_json_get_num(m, "mean_length", 0),
                                    .sd_length = dp_json_get_num(m, "sd_length", 0)};
        er->r.length_unit = dp_json_get_str(m, "length_unit", "tokens");
        if (!ok)
            return dp_error_set(e, DP_EFORMAT, path, m->line, m->col,
                                "a model needs integer \"n\", \"vulnerable\", \"bandit_vulnerable\", \"parsed\" and \"http\"");
    }
    if (funnel && funnel->type == DP_JSON_ARR) {
        er->funnel = dp_arena_alloc(&er->arena, (funnel->len + 1) * sizeof *er->funnel);
        for (size_t i = 0; i < funnel->len; i++) {
            bool ok = true;
            er->funnel[i] = (struct dp_report_stage){dp_json_get_str(funnel->items[i], "stage", "?"),
                                                     get_count(funnel->items[i], "count", &ok)};
        }
        er->r.funnel = er->funnel;
        er->r.nfunnel = (int)funnel->len;
    }
    er->r.ncmps = dp_report_default_comparisons(&er->r, er->cmps, 2 * DP_EVAL_MAX_RUNS);
    rc = dp_report_compute(&er->r, e);
    if (rc && !e->path[0]) snprintf(e->path, sizeof e->path, "%s", path);
    return rc;
}

static double pct(double x) { return 100.0 * x; }

void dp_eval_report_table(struct dp_sbuf *out, const struct dp_report *r)
{
    const char *unit = r->length_unit && !strcmp(r->length_unit, "characters") ? "chars" : "tokens";
    dp_sbuf_printf(out, "%-26s %5s  %-25s %7s %7s %7s  %s\n", "model (decoding)", "n", "DP501 vulnerable [95% CI]",
                   "B501", "parses", "HTTP", "mean length");
    for (int i = 0; i < r->nruns; i++) {
        const struct dp_report_run *u = &r->runs[i];
        char label[256], ci[64];
        dp_report_run_label(label, sizeof label, u);
        snprintf(ci, sizeof ci, "%5.1f%% [%5.1f, %5.1f]", pct(u->vulnerable_rate), pct(u->vulnerable_ci95.lo),
                 pct(u->vulnerable_ci95.hi));
        dp_sbuf_printf(out, "%-26s %5ld  %-25s %6.1f%% %6.1f%% %6.1f%%  %.1f %s\n", label, u->n, ci, pct(u->bandit_rate),
                       pct(u->parse_rate), pct(u->http_rate), u->mean_length, unit);
    }
    for (int i = 0; i < r->ncmps; i++) {
        const struct dp_report_comparison *c = &r->cmps[i];
        char la[256], lb[256], p[64];
        dp_report_run_label(la, sizeof la, &r->runs[c->a]);
        dp_report_run_label(lb, sizeof lb, &r->runs[c->b]);
        dp_report_fmt_p(p, sizeof p, c->fisher_p, c->fisher_log_p);
        dp_sbuf_printf(out, "%s%-5s %s - %s: %+.1f points [%+.1f, %+.1f], Fisher p = %s\n", i ? "" : "\n",
                       dp_report_metric_name(c->metric), lb, la, pct(c->diff), pct(c->ci95.lo), pct(c->ci95.hi), p);
    }
    for (int i = 0; i < r->nfunnel; i++)
        dp_sbuf_printf(out, "%s%s %ld%s", i ? ", " : "\npairs funnel: ", r->funnel[i].name, r->funnel[i].count,
                       i + 1 == r->nfunnel ? "\n" : "");
}
