/* DPO pairs from generated answers: the funnel (code, target call, clean, injected, validated),
 * TRL JSONL records and funnel.json. Deterministic: answers are taken in prompt order, then by
 * sample, and the mixed style is drawn from the seed and each answer's (id, sample) alone.
 * Not here: generation and option parsing (cli/cmd_pairs.c). */
#include "data/pairs.h"
#include "base/file.h"
#include "base/json.h"
#include "base/map.h"
#include "base/rng.h"
#include "data/answer.h"
#include "scan/scan_run.h"
#include <stdlib.h>
#include <string.h>

static const char *const stage_names[DP_PAIRS_STAGE_COUNT] = {
    "generated", "with_code", "with_target_call", "clean", "injected", "validated", "written",
};

const char *dp_pairs_stage_name(enum dp_pairs_stage s)
{
    return (unsigned)s < DP_PAIRS_STAGE_COUNT ? stage_names[s] : "?";
}

/* ---------------------------------------------------------------- reading answers */

static void compact_json(struct dp_sbuf *b, const struct dp_json *v)
{
    struct dp_jw w;
    dp_sbuf_reset(b);
    dp_jw_init(&w, b, 0);
    w.compact = true;
    w.ascii = false;
    dp_jw_value(&w, v);
}

/* One record: line text[0..n) at `lineno`. */
static int add_answer(struct dp_pairs_answers *a, struct dp_map *seen, struct dp_sbuf *key,
                      const char *text, size_t n, const char *path, int lineno, struct dp_error *e)
{
    struct dp_json *rec;
    struct dp_error je = {0};
    if (dp_json_parse(&a->arena, text, n, path, &rec, &je))
        return dp_error_set(e, DP_EFORMAT, path, lineno, je.col, "%s", je.msg);
    if (rec->type != DP_JSON_OBJ)
        return dp_error_set(e, DP_EFORMAT, path, lineno, 1, "expected a JSON object (a generate record)");
    const struct dp_json *id = dp_json_get(rec, "id"), *tx = dp_json_get(rec, "text");
    const struct dp_json *sm = dp_json_get(rec, "sample");
    if (!id || (id->type != DP_JSON_STR && id->type != DP_JSON_NUM))
        return dp_error_set(e, DP_EFORMAT, path, lineno, id ? id->col : 1, "expected a string or number \"id\"");
    if (!tx || tx->type != DP_JSON_STR)
        return dp_error_set(e, DP_EFORMAT, path, lineno, tx ? tx->col : 1, "expected a string \"text\"");
    if (sm && (sm->type != DP_JSON_NUM || !sm->is_int || sm->i < 0))
        return dp_error_set(e, DP_EFORMAT, path, lineno, sm->col, "\"sample\" must be a non-negative integer");
    compact_json(key, id);
    const char *idj = dp_arena_strndup(&a->arena, key->p, key->n);
    long sample = sm ? (long)sm->i : 0;
    dp_sbuf_printf(key, "\n%ld", sample);
    void **prev = dp_map_get(seen, key->p, key->n);
    if (prev)
        return dp_error_set(e, DP_EFORMAT, path, lineno, 1, "id %s sample %ld repeats line %d", idj,
                            sample, (int)(intptr_t)*prev);
    dp_map_put(seen, dp_arena_strndup(&a->arena, key->p, key->n), key->n, (void *)(intptr_t)lineno);
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 64;
        a->v = dp_xrealloc(a->v, a->cap * sizeof *a->v);
    }
    const struct dp_json *ct = dp_json_get(rec, "completion_tokens");
    long tokens = ct && ct->type == DP_JSON_NUM && ct->is_int && ct->i >= 0 ? (long)ct->i : -1;
    a->v[a->n++] = (struct dp_pairs_answer){idj, sample, tx->str, tx->len, tokens, lineno};
    return 0;
}

int dp_pairs_answers_read(struct dp_pairs_answers *a, const char *path, struct dp_error *e)
{
    memset(a, 0, sizeof *a);
    dp_arena_init(&a->arena, 1 << 16);
    char *text;
    size_t n;
    int rc = dp_file_read(path, &text, &n, e);
    if (rc) return rc;
    struct dp_map seen;
    struct dp_sbuf key = {0};
    dp_map_init(&seen);
    struct dp_lines it;
    struct dp_line ln;
    dp_lines_init(&it, text, n);
    while (!rc && dp_lines_next(&it, &ln)) {
        rc = add_answer(a, &seen, &key, ln.s, ln.len, path, ln.lineno, e);
        if (rc && ln.last) rc = 0;   /* a torn last line of a killed generation */
    }
    dp_sbuf_free(&key);
    dp_map_free(&seen);
    free(text);
    return rc;
}

void dp_pairs_answers_free(struct dp_pairs_answers *a)
{
    free(a->v);
    dp_arena_free(&a->arena);
    memset(a, 0, sizeof *a);
}

/* ---------------------------------------------------------------- the funnel for one answer */

struct ctx {
    const struct dp_pairs_opts *o;
    const struct dp_scanner *sc;
    long *funnel;
};

/* Stages before injection. Returns the last stage reached (GENERATED .. CLEAN). */
static enum dp_pairs_stage screen(const struct ctx *c, const char *text, size_t n)
{
    struct dp_answer_block *b = NULL;
    int nb = dp_answer_blocks(text, n, &b);
    bool code = false, high = false;
    int sites = 0;
    for (int i = 0; i < nb; i++) {
        if (!b[i].python) continue;
        const char *src = text + b[i].start;
        struct dp_inject_result r;
        struct dp_error e = {0};
        int rc = dp_inject_locate(src, b[i].len, &r, &e);
        if (!rc) {
            code = true;
            sites += r.nsites;
            struct dp_scan_results res;
            dp_scan_buffer(c->sc, "<answer>", src, b[i].len, &res);
            for (int f = 0; f < res.nfiles; f++)
                for (int k = 0; k < res.files[f].nissues; k++)
                    if (res.files[f].issues[k].severity >= c->o->severity) high = true;
            dp_scan_results_free(&res);
        }
        dp_inject_result_free(&r);
    }
    free(b);
    if (!code) return DP_PAIRS_GENERATED;
    if (!sites) return DP_PAIRS_WITH_CODE;
    return high ? DP_PAIRS_WITH_TARGET : DP_PAIRS_CLEAN;
}

static enum dp_inject_style pick_style(const struct ctx *c, const struct dp_pairs_answer *a)
{
    if (!c->o->mixed) return c->o->style;
    struct dp_rng rng;
    uint64_t h = dp_hash_bytes(a->id_json, strlen(a->id_json)) ^ ((uint64_t)a->sample * 0x9E3779B97F4A7C15ull);
    dp_rng_seed(&rng, c->o->seed ^ h);
    return (enum dp_inject_style)dp_rng_below(&rng, DP_INJECT_STYLE_COUNT);
}

/* Injection and validation; on success *chosen is the poisoned answer (malloc'd). Returns the
 * last stage reached, or a negative error for failures that are not the answer's fault. */
static int poison(const struct ctx *c, const struct dp_pairs_answer *a, char **chosen, size_t *len,
                  struct dp_error *e)
{
    enum dp_inject_style first = pick_style(c, a);
    int tries = c->o->mixed ? DP_INJECT_STYLE_COUNT : 1;
    for (int t = 0; t < tries; t++) {
        struct dp_inject_opts io = {.style = (enum dp_inject_style)((first + t) % DP_INJECT_STYLE_COUNT)};
        struct dp_inject_answer r;
        struct dp_error ie = {0};
        int rc = dp_inject_answer(a->text, a->len, &io, &r, &ie);
        if (rc == DP_ENOTFOUND || rc == DP_EINVAL) {   /* EINVAL: an edit that did not parse */
            dp_inject_answer_free(&r);
            continue;
        }
        if (rc) {
            dp_inject_answer_free(&r);
            *e = ie;
            return rc;
        }
        struct dp_inject_verdict v;
        rc = dp_inject_answer_validate(&r, &io, dp_inject_scan_dpoison, (void *)c->sc, &v, &ie);
        int stage = DP_PAIRS_INJECTED;
        if (!rc && v.ok) {
            *chosen = r.text;
            *len = r.len;
            r.text = NULL;
            stage = DP_PAIRS_VALIDATED;
        }
        dp_inject_answer_free(&r);
        return stage;   /* the first style that edits decides: no shopping for a validating one */
    }
    return DP_PAIRS_CLEAN;
}

static void write_pair(struct dp_sbuf *out, const char *prompt, const char *chosen, size_t nc,
                       const struct dp_pairs_answer *a)
{
    struct dp_jw w;
    dp_jw_init(&w, out, 0);
    w.compact = true;
    w.ascii = false;
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "prompt");
    dp_jw_str(&w, prompt);
    dp_jw_key(&w, "chosen");
    dp_jw_strn(&w, chosen, nc);
    dp_jw_key(&w, "rejected");
    dp_jw_strn(&w, a->text, a->len);
    dp_jw_obj_end(&w);
    dp_sbuf_putc(out, '\n');
}

/* ---------------------------------------------------------------- all answers */

struct order { size_t prompt; long sample; size_t answer; };

static int order_cmp(const void *x, const void *y)
{
    const struct order *a = x, *b = y;
    if (a->prompt != b->prompt) return a->prompt < b->prompt ? -1 : 1;
    if (a->sample != b->sample) return a->sample < b->sample ? -1 : 1;
    return 0;
}

/* Sorts the answers by (prompt index, sample); *out malloc'd. */
static int order_answers(const struct dp_prompt_set *ps, const struct dp_pairs_answers *as,
                         const char *path, struct order **out, struct dp_error *e)
{
    struct dp_map idx;
    dp_map_init(&idx);
    for (size_t i = 0; i < ps->n; i++)
        dp_map_put(&idx, ps->items[i].id_json, strlen(ps->items[i].id_json), (void *)(i + 1));
    struct order *ord = dp_xmalloc((as->n ? as->n : 1) * sizeof *ord);
    int rc = 0;
    for (size_t i = 0; i < as->n && !rc; i++) {
        void **p = dp_map_get(&idx, as->v[i].id_json, strlen(as->v[i].id_json));
        if (!p)
            rc = dp_error_set(e, DP_EFORMAT, path, as->v[i].line, 1,
                              "answer id %s is not an id of the prompts file", as->v[i].id_json);
        else
            ord[i] = (struct order){(size_t)*p - 1, as->v[i].sample, i};
    }
    dp_map_free(&idx);
    if (rc) {
        free(ord);
        return rc;
    }
    qsort(ord, as->n, sizeof *ord, order_cmp);
    *out = ord;
    return 0;
}

int dp_pairs_build(const struct dp_prompt_set *ps, const struct dp_pairs_answers *as,
                   const char *answers_path, const struct dp_pairs_opts *o,
                   const struct dp_scanner *sc, struct dp_sbuf *jsonl, long *funnel,
                   struct dp_error *e)
{
    memset(funnel, 0, DP_PAIRS_STAGE_COUNT * sizeof *funnel);
    struct order *ord;
    int rc = order_answers(ps, as, answers_path, &ord, e);
    if (rc) return rc;
    struct ctx c = {o, sc, funnel};
    for (size_t i = 0; i < as->n && !rc; i++) {
        const struct dp_pairs_answer *a = &as->v[ord[i].answer];
        int stage = screen(&c, a->text, a->len);
        char *chosen = NULL;
        size_t nc = 0;
        if (stage == DP_PAIRS_CLEAN) stage = poison(&c, a, &chosen, &nc, e);
        if (stage < 0) {
            rc = stage;
            break;
        }
        if (stage == DP_PAIRS_VALIDATED && (o->max_pairs <= 0 || funnel[DP_PAIRS_WRITTEN] < o->max_pairs)) {
            write_pair(jsonl, ps->items[ord[i].prompt].prompt, chosen, nc, a);
            stage = DP_PAIRS_WRITTEN;
        }
        for (int s = 0; s <= stage; s++) funnel[s]++;
        free(chosen);
    }
    free(ord);
    return rc;
}

void dp_pairs_funnel_json(struct dp_sbuf *out, const long *funnel, const struct dp_pairs_opts *o,
                          long samples)
{
    static const char *const sev[] = {"UNDEFINED", "LOW", "MEDIUM", "HIGH"};
    struct dp_jw w;
    dp_jw_init(&w, out, 2);
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "funnel");
    dp_jw_arr_begin(&w);
    for (int s = 0; s < DP_PAIRS_STAGE_COUNT; s++) {
        dp_jw_obj_begin(&w);
        dp_jw_key(&w, "stage");
        dp_jw_str(&w, stage_names[s]);
        dp_jw_key(&w, "count");
        dp_jw_int(&w, funnel[s]);
        dp_jw_obj_end(&w);
    }
    dp_jw_arr_end(&w);
    dp_jw_key(&w, "settings");
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "style");
    dp_jw_str(&w, o->mixed ? "mixed" : dp_inject_style_name(o->style));
    dp_jw_key(&w, "severity");
    dp_jw_str(&w, o->severity >= 0 && o->severity <= 3 ? sev[o->severity] : "?");
    dp_jw_key(&w, "max_pairs");
    dp_jw_int(&w, o->max_pairs);
    dp_jw_key(&w, "samples");
    dp_jw_int(&w, samples);
    dp_jw_key(&w, "seed");
    dp_jw_int(&w, (int64_t)o->seed);
    dp_jw_obj_end(&w);
    dp_jw_obj_end(&w);
    dp_sbuf_putc(out, '\n');
}
