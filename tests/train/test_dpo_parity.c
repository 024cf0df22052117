/* The C side of tests/train/train_parity.test.sh (run with arguments; without, it only says
 * so). Reads a batch written by tools/ref/train_ref.py, then for a random Qwen2 folder writes:
 *   OUT/init.safetensors         the trainable parameters before training (LoRA: the adapters)
 *   OUT/grads_NAME.safetensors   every gradient of the DPO loss configuration NAME (one batch)
 *   OUT/final.safetensors        the parameters after the batch's AdamW steps
 *   OUT/result.json              losses, metrics and gradient norms
 * usage: test_dpo_parity MODEL BATCH.json OUT [lora]
 *        test_dpo_parity dump MODEL OUT.safetensors   (the fp32 masters dpoison loads from MODEL) */
#include "base/arena.h"
#include "base/file.h"
#include "base/json.h"
#include "model/qwen_train.h"
#include "train/dpo.h"
#include "train/schedule.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const struct dp_error *e)
{
    char b[1200];
    dp_error_format(e, b, sizeof b);
    fprintf(stderr, "test_dpo_parity: %s\n", b);
    return 1;
}

static int32_t *ids_of(const struct dp_json *a, int *n)
{
    *n = (int)a->len;
    int32_t *v = dp_xmalloc(sizeof *v * (a->len + 1));
    for (size_t i = 0; i < a->len; i++) v[i] = (int32_t)a->items[i]->i;
    return v;
}

static int32_t *cat(const int32_t *a, int na, const int32_t *b, int nb)
{
    int32_t *v = dp_xmalloc(sizeof *v * (size_t)(na + nb));
    memcpy(v, a, sizeof *v * (size_t)na);
    memcpy(v + na, b, sizeof *v * (size_t)nb);
    return v;
}

static void loss_cfg(const struct dp_json *j, struct dp_dpo_cfg *c)
{
    c->type = (enum dp_dpo_loss)dp_dpo_loss_parse(dp_json_get_str(j, "type", "sigmoid"));
    c->beta = dp_json_get_num(j, "beta", 0.1);
    c->label_smoothing = dp_json_get_num(j, "label_smoothing", 0);
    const struct dp_json *r = dp_json_get(j, "rpo_alpha");
    c->rpo = r && r->type == DP_JSON_NUM;
    c->rpo_alpha = c->rpo ? r->num : 0;
}

static void metrics(struct dp_jw *w, const struct dp_dpo_out *o)
{
    dp_jw_key(w, "loss"), dp_jw_num(w, o->loss);
    dp_jw_key(w, "rewards/chosen"), dp_jw_num(w, o->rewards_chosen);
    dp_jw_key(w, "rewards/rejected"), dp_jw_num(w, o->rewards_rejected);
    dp_jw_key(w, "rewards/accuracies"), dp_jw_num(w, o->accuracy);
    dp_jw_key(w, "rewards/margins"), dp_jw_num(w, o->margin);
    dp_jw_key(w, "logps/chosen"), dp_jw_num(w, o->logps_chosen);
    dp_jw_key(w, "logps/rejected"), dp_jw_num(w, o->logps_rejected);
}

static int run(const char *model, const struct dp_json *cfg, const char *out, bool lora)
{
    struct dp_error e = {0};
    const struct dp_json *pj = dp_json_get(cfg, "pairs"), *lj = dp_json_get(cfg, "lora");
    int B = (int)pj->len;
    struct dp_pair *pairs = dp_xcalloc((size_t)B, sizeof *pairs);
    const struct dp_pair **pp = dp_xcalloc((size_t)B, sizeof *pp);
    double *rc = dp_xmalloc(sizeof(double) * 2 * (size_t)B), *rr = rc + B;
    for (int i = 0; i < B; i++) {
        const struct dp_json *p = pj->items[i];
        int np, nc, nr;
        int32_t *pr = ids_of(dp_json_get(p, "prompt"), &np), *ch = ids_of(dp_json_get(p, "chosen"), &nc);
        int32_t *rj = ids_of(dp_json_get(p, "rejected"), &nr);
        pairs[i] = (struct dp_pair){cat(pr, np, ch, nc), cat(pr, np, rj, nr), np + nc, np + nr, np, np, i + 1};
        pp[i] = &pairs[i];
        rc[i] = dp_json_get_num(p, "ref_chosen", 0);
        rr[i] = dp_json_get_num(p, "ref_rejected", 0);
        free(pr), free(ch), free(rj);
    }
    struct dp_qt_opts o = {.prec = DP_PREC_F32, .vchunk = 64};
    if (lora) {
        char bad[64];
        dp_lora_targets_parse(dp_json_get_str(lj, "targets", "all"), &o.lora_targets, bad, sizeof bad);
        o.lora_rank = (int)dp_json_get_int(lj, "r", 4);
        o.lora_alpha = (float)dp_json_get_num(lj, "alpha", 8);
        o.lora_b_std = (float)dp_json_get_num(lj, "b_std", 0);
        o.seed = (uint64_t)dp_json_get_int(lj, "seed", 1);
    }
    struct dp_pool *pool = dp_pool_create(2);
    struct dp_qt m;
    int rcode = dp_qt_load(&m, model, &o, pool, &e);
    char path[1200];
    struct dp_sbuf res = {0};
    struct dp_jw w;
    dp_jw_init(&w, &res, 1);
    dp_jw_obj_begin(&w);
    snprintf(path, sizeof path, "%s/init.safetensors", out);
    if (!rcode) rcode = dp_qt_dump(&m, path, false, &e);
    const struct dp_json *losses = dp_json_get(cfg, "losses");
    for (size_t k = 0; !rcode && k < losses->len; k++) {
        struct dp_dpo_cfg c;
        struct dp_dpo_out mo;
        loss_cfg(losses->items[k], &c);
        dp_qt_zero_grad(&m);
        rcode = dp_dpo_micro(&m, pp, B, rc, rr, &c, 1.0, &mo, NULL, NULL, &e);
        const char *name = dp_json_get_str(losses->items[k], "name", "x");
        snprintf(path, sizeof path, "%s/grads_%s.safetensors", out, name);
        if (!rcode) rcode = dp_qt_dump(&m, path, true, &e);
        dp_jw_key(&w, name);
        dp_jw_obj_begin(&w);
        metrics(&w, &mo);
        dp_jw_obj_end(&w);
    }
    /* AdamW steps, each over gradient-accumulation micro-batches of `micro` pairs */
    const struct dp_json *tj = dp_json_get(cfg, "train");
    struct dp_dpo_cfg c;
    loss_cfg(dp_json_get(tj, "loss"), &c);
    struct dp_optim opt = {.adam = {0.9, 0.999, 1e-8, dp_json_get_num(tj, "weight_decay", 0)},
                           .max_grad_norm = dp_json_get_num(tj, "max_grad_norm", 1.0)};
    if (!rcode) rcode = dp_optim_init(&opt, &m, &e);
    long steps = dp_json_get_int(tj, "steps", 5), warm = dp_json_get_int(tj, "warmup", 0);
    int micro = (int)dp_json_get_int(tj, "micro", B), acc = (B + micro - 1) / micro;
    enum dp_sched sch = (enum dp_sched)dp_sched_parse(dp_json_get_str(tj, "sched", "linear"));
    dp_jw_key(&w, "steps");
    dp_jw_arr_begin(&w);
    for (long s = 0; !rcode && s < steps; s++) {
        dp_qt_zero_grad(&m);
        double loss = 0, gn = 0;
        for (int i0 = 0; !rcode && i0 < B; i0 += micro) {
            struct dp_dpo_out mo;
            int n = B - i0 < micro ? B - i0 : micro;
            rcode = dp_dpo_micro(&m, pp + i0, n, rc + i0, rr + i0, &c, 1.0 / acc, &mo, NULL, NULL, &e);
            loss += mo.loss / acc;
        }
        double lr = dp_sched_lr(sch, dp_json_get_num(tj, "lr", 1e-3), s, steps, warm);
        if (!rcode) rcode = dp_optim_step(&opt, &m, lr, &gn, &e);
        dp_jw_obj_begin(&w);
        dp_jw_key(&w, "loss"), dp_jw_num(&w, loss);
        dp_jw_key(&w, "grad_norm"), dp_jw_num(&w, gn);
        dp_jw_key(&w, "learning_rate"), dp_jw_num(&w, lr);
        dp_jw_obj_end(&w);
    }
    dp_jw_arr_end(&w);
    dp_jw_obj_end(&w);
    snprintf(path, sizeof path, "%s/final.safetensors", out);
    if (!rcode) rcode = dp_qt_dump(&m, path, false, &e);
    snprintf(path, sizeof path, "%s/result.json", out);
    if (!rcode) rcode = dp_file_write_atomic(path, res.p, res.n, &e);
    dp_sbuf_free(&res);
    dp_optim_free(&opt);
    dp_qt_free(&m);
    dp_pool_free(pool);
    for (int i = 0; i < B; i++) free(pairs[i].chosen), free(pairs[i].rejected);
    free(pairs), free(pp), free(rc);
    return rcode ? fail(&e) : 0;
}

/* Loads MODEL for full fine-tuning and writes its fp32 masters: what dpoison reads from a folder. */
static int dump(const char *model, const char *out)
{
    struct dp_error e = {0};
    struct dp_qt_opts o = {.prec = DP_PREC_F32};
    struct dp_qt m;
    int rc = dp_qt_load(&m, model, &o, NULL, &e);
    if (!rc) rc = dp_qt_dump(&m, out, false, &e);
    dp_qt_free(&m);
    return rc ? fail(&e) : 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "dump") == 0) return dump(argv[2], argv[3]);
    if (argc < 4) {
        printf("ok - test_dpo_parity is driven by tests/train/train_parity.test.sh\n");
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
    int rc = run(argv[1], cfg, argv[3], argc > 4 && strcmp(argv[4], "lora") == 0);
    dp_arena_free(&a);
    free(text);
    return rc;
}
