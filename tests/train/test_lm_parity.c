/* The C side of tests/train/lm_parity.test.sh (run with arguments; without, it only says so).
 * Reads a batch written by tools/ref/lm_ref.py and, for a random Qwen2 folder loaded for full
 * fine-tuning with exact fp32 products (--precision f32), writes:
 *   OUT/grads_NAME.safetensors   every gradient of the mean next-token cross-entropy of group
 *                                NAME (dp_lm_micro over the whole group, scale 1)
 *   OUT/final.safetensors        the parameters after the batch's AdamW steps
 *   OUT/result.json              per group: loss and label count; per step: loss, grad norm, lr
 * Groups: "sft" (sequences with label masks), "pretrain" (equal blocks, no mask), and the same
 * groups again with recomputed activations and threads ("NAME_recompute").
 * usage: test_lm_parity MODEL BATCH.json OUT */
#include "base/arena.h"
#include "base/file.h"
#include "base/json.h"
#include "model/qwen_train.h"
#include "train/dpo.h"
#include "train/lm.h"
#include "train/schedule.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const struct dp_error *e)
{
    char b[1200];
    dp_error_format(e, b, sizeof b);
    fprintf(stderr, "test_lm_parity: %s\n", b);
    return 1;
}

struct group {
    const char *name;
    int n;
    struct dp_lm_seq *s;
    const struct dp_lm_seq **p;
};

static void group_of(const struct dp_json *g, struct group *out)
{
    const struct dp_json *sj = dp_json_get(g, "seqs");
    out->name = dp_json_get_str(g, "name", "x");
    out->n = (int)sj->len;
    out->s = dp_xcalloc((size_t)out->n, sizeof *out->s);
    out->p = dp_xcalloc((size_t)out->n, sizeof *out->p);
    for (int i = 0; i < out->n; i++) {
        const struct dp_json *q = sj->items[i], *ij = dp_json_get(q, "ids"), *mj = dp_json_get(q, "mask");
        int32_t *ids = dp_xmalloc(sizeof *ids * (ij->len + 1));
        uint8_t *mask = mj && mj->type == DP_JSON_ARR ? dp_xmalloc(mj->len + 1) : NULL;
        for (size_t t = 0; t < ij->len; t++) ids[t] = (int32_t)ij->items[t]->i;
        for (size_t t = 0; mask && t < mj->len; t++) mask[t] = (uint8_t)(mj->items[t]->i != 0);
        out->s[i] = (struct dp_lm_seq){ids, mask, (int)ij->len, (int)dp_json_get_int(q, "plen", 0), i + 1};
        out->p[i] = &out->s[i];
    }
}

static void group_free(struct group *g)
{
    for (int i = 0; i < g->n; i++) free((void *)g->s[i].ids), free((void *)g->s[i].mask);
    free(g->s), free(g->p);
}

/* Gradients of each group's loss on a model loaded with opts; names get suffix. */
static int grads(const char *model, const struct dp_qt_opts *o, struct dp_pool *pool, struct group *g, int ng,
                 const char *suffix, const char *out, struct dp_jw *w, struct dp_error *e)
{
    struct dp_qt m;
    int rc = dp_qt_load(&m, model, o, pool, e);
    bool loaded = rc == 0;
    char path[1200], key[128];
    for (int k = 0; !rc && k < ng; k++) {
        double loss = 0;
        long labels = 0;
        dp_qt_zero_grad(&m);
        rc = dp_lm_micro(&m, g[k].p, g[k].n, 1.0, &loss, &labels, e);
        snprintf(path, sizeof path, "%s/grads_%s%s.safetensors", out, g[k].name, suffix);
        if (!rc) rc = dp_qt_dump(&m, path, true, e);
        snprintf(key, sizeof key, "%s%s", g[k].name, suffix);
        dp_jw_key(w, key);
        dp_jw_obj_begin(w);
        dp_jw_key(w, "loss"), dp_jw_num(w, loss);
        dp_jw_key(w, "labels"), dp_jw_int(w, labels);
        dp_jw_obj_end(w);
    }
    if (loaded) dp_qt_free(&m);
    return rc;
}

static int run(const char *model, const struct dp_json *cfg, const char *out)
{
    struct dp_error e = {0};
    const struct dp_json *gj = dp_json_get(cfg, "groups"), *tj = dp_json_get(cfg, "train");
    int ng = (int)gj->len;
    struct group *g = dp_xcalloc((size_t)ng, sizeof *g);
    for (int k = 0; k < ng; k++) group_of(gj->items[k], &g[k]);
    struct dp_sbuf res = {0};
    struct dp_jw w;
    dp_jw_init(&w, &res, 1);
    dp_jw_obj_begin(&w);
    struct dp_qt_opts o = {.prec = DP_PREC_F32, .vchunk = 64};
    struct dp_pool *pool = dp_pool_create(2);
    int rc = grads(model, &o, NULL, g, ng, "", out, &w, &e);
    o.recompute = true, o.vchunk = 0;
    if (!rc) rc = grads(model, &o, pool, g, ng, "_recompute", out, &w, &e);
    /* AdamW steps on one group (pretrain's defaults: betas 0.9, 0.95, weight decay 0.1) */
    struct dp_qt m;
    o.recompute = false, o.vchunk = 64;
    bool loaded = false;
    if (!rc) rc = dp_qt_load(&m, model, &o, NULL, &e), loaded = rc == 0;
    const char *gname = dp_json_get_str(tj, "group", "pretrain");
    struct group *tg = &g[0];
    for (int k = 0; k < ng; k++)
        if (strcmp(g[k].name, gname) == 0) tg = &g[k];
    bool inited = false;
    struct dp_optim opt = {.adam = {dp_json_get_num(tj, "beta1", 0.9), dp_json_get_num(tj, "beta2", 0.999), 1e-8,
                                    dp_json_get_num(tj, "weight_decay", 0)},
                           .max_grad_norm = dp_json_get_num(tj, "max_grad_norm", 1.0)};
    if (!rc) rc = dp_optim_init(&opt, &m, &e), inited = rc == 0;
    long steps = dp_json_get_int(tj, "steps", 4), warm = dp_json_get_int(tj, "warmup", 0);
    enum dp_sched sch = (enum dp_sched)dp_sched_parse(dp_json_get_str(tj, "sched", "cosine"));
    dp_jw_key(&w, "steps");
    dp_jw_arr_begin(&w);
    for (long s = 0; !rc && s < steps; s++) {
        double loss = 0, gn = 0, lr = dp_sched_lr(sch, dp_json_get_num(tj, "lr", 1e-3), s, steps, warm);
        dp_qt_zero_grad(&m);
        rc = dp_lm_micro(&m, tg->p, tg->n, 1.0, &loss, NULL, &e);
        if (!rc) rc = dp_optim_step(&opt, &m, lr, &gn, &e);
        dp_jw_obj_begin(&w);
        dp_jw_key(&w, "loss"), dp_jw_num(&w, loss);
        dp_jw_key(&w, "grad_norm"), dp_jw_num(&w, gn);
        dp_jw_key(&w, "learning_rate"), dp_jw_num(&w, lr);
        dp_jw_obj_end(&w);
    }
    dp_jw_arr_end(&w);
    dp_jw_obj_end(&w);
    char path[1200];
    snprintf(path, sizeof path, "%s/final.safetensors", out);
    if (!rc) rc = dp_qt_dump(&m, path, false, &e);
    snprintf(path, sizeof path, "%s/result.json", out);
    if (!rc) rc = dp_file_write_atomic(path, res.p, res.n, &e);
    if (inited) dp_optim_free(&opt);
    if (loaded) dp_qt_free(&m);
    dp_pool_free(pool);
    dp_sbuf_free(&res);
    for (int k = 0; k < ng; k++) group_free(&g[k]);
    free(g);
    return rc ? fail(&e) : 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        printf("ok - test_lm_parity is driven by tests/train/lm_parity.test.sh\n");
        return 0;
    }
    struct dp_error e = {0};
    char *text;
    size_t n;
    if (dp_file_read(argv[2], &text, &n, &e)) return fail(&e);
    struct dp_arena a;
    dp_arena_init(&a, 0);
    struct dp_json *cfg;
    if (dp_json_parse(&a, text, n, argv[2], &cfg, &e)) return fail(&e);
    int rc = run(argv[1], cfg, argv[3]);
    dp_arena_free(&a);
    free(text);
    return rc;
}
