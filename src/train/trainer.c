/* The training run (see trainer.h): setup, reference pass, the step loop with logging and
 * checkpoints, and the final export. Files under OUT:
 *   metrics.jsonl                  one record per optimizer step (TRL's metric names)
 *   work/ref_logps.safetensors     reference log-probabilities, keyed by a data fingerprint
 *   work/checkpoint.safetensors    the last checkpoint (removed when the run completes)
 *   config.json, generation_config.json, tokenizer files, model.safetensors [, adapter/] */
#include "train/trainer.h"
#include "base/file.h"
#include "base/json.h"
#include "base/rng.h"
#include "model/qwen_init.h"
#include "nn/safetensors.h"
#include "train/checkpoint.h"
#include "train/dpo.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void dp_train_opts_default(struct dp_train_opts *o)
{
    memset(o, 0, sizeof *o);
    o->loss = (struct dp_dpo_cfg){.type = DP_LOSS_SIGMOID, .beta = 0.1};
    o->qt = (struct dp_qt_opts){.prec = DP_PREC_BF16, .lora_alpha = 16,
                                .lora_targets = (1u << DP_LORA_COUNT) - 1};
    dp_pairs_opts_default(&o->data);
    o->lr = 5e-6;
    o->sched = DP_SCHED_LINEAR;
    o->beta1 = 0.9, o->beta2 = 0.999, o->adam_eps = 1e-8, o->max_grad_norm = 1.0;
    o->epochs = 1;
    o->batch_size = 4, o->grad_accum = 1;
    o->seed = 42;
    o->block_size = 512;
    dp_sft_opts_default(&o->sft);
    o->init_std = 0.02f;
}

struct run {
    const struct dp_train_opts *o;
    const struct dp_log *log;
    struct dp_tok *tok;
    const char *model;              /* o->model, or the freshly initialized folder */
    struct dp_pairs pairs;          /* DPO */
    struct dp_lm_data lm;           /* SFT, pretraining */
    int n;                          /* pairs or sequences */
    struct dp_pool *pool;
    struct dp_qt m;
    struct dp_optim opt;
    double *ref_c, *ref_r;
    uint64_t data_fp, run_fp;
    long steps_per_epoch, total, warmup, step0, last_ckpt;
    int nbatches;                   /* micro-batches per epoch */
    int *perm, perm_epoch;
    FILE *metrics;
    char work[1100], ckpt[1200], refp[1200], mpath[1200], init[1200];
};

static bool dpo(const struct run *r) { return r->o->task == DP_TASK_DPO; }

static void note(const struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(const struct run *r, const char *fmt, ...)
{
    if (r->o->quiet) return;
    char b[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    dp_log(r->log, DP_LOG_INFO, "%s", b);
}

/* ---------------------------------------------------------------- fingerprints */

static uint64_t file_fp(uint64_t h, const char *path)
{
    char *d;
    size_t n;
    struct dp_error e;
    if (dp_file_read(path, &d, &n, &e)) return h;
    h = dp_fnv(h, d, n);
    free(d);
    return h;
}

/* The model (config and safetensors headers and sizes), the tokenized pairs, the precision. */
static uint64_t data_fingerprint(const struct run *r)
{
    char p[1200];
    uint64_t h = DP_FNV_INIT;
    snprintf(p, sizeof p, "%s/config.json", r->model);
    h = file_fp(h, p);
    struct dp_st st;
    struct dp_error e;
    if (dp_st_open(&st, r->model, &e) == 0) {
        for (size_t i = 0; i < st.ntensors; i++) {
            const struct dp_st_tensor *t = &st.tensors[i];
            h = dp_fnv(h, t->name, strlen(t->name));
            h = dp_fnv(h, &t->nbytes, sizeof t->nbytes);
            h = dp_fnv(h, t->data, t->nbytes < 4096 ? t->nbytes : 4096);   /* a sample of the bytes */
        }
        dp_st_close(&st);
    }
    h = dp_lm_data_fingerprint(&r->lm, h);
    for (int i = 0; i < r->pairs.n; i++) {
        const struct dp_pair *q = &r->pairs.v[i];
        int hdr[4] = {q->nc, q->nr, q->pc, q->pr};
        h = dp_fnv(h, hdr, sizeof hdr);
        h = dp_fnv(h, q->chosen, sizeof *q->chosen * (size_t)q->nc);
        h = dp_fnv(h, q->rejected, sizeof *q->rejected * (size_t)q->nr);
    }
    int prec = r->o->qt.prec;
    return dp_fnv(h, &prec, sizeof prec);
}

/* Data plus everything that shapes the trajectory (not threads, logging or save interval). */
static uint64_t run_fingerprint(const struct run *r)
{
    const struct dp_train_opts *o = r->o;
    char b[1024];
    int n = snprintf(b, sizeof b, "%d %d %.17g %.17g %.17g %d | %d %.9g %u %d %llu %.9g | %.17g %d %ld %.17g %.17g "
                     "%.17g %.17g %.17g | %d %ld %d %d %llu",
                     o->task, o->loss.type, o->loss.beta, o->loss.label_smoothing, o->loss.rpo_alpha, o->loss.rpo,
                     o->qt.lora_rank, o->qt.lora_alpha, o->qt.lora_targets, o->qt.prec,
                     (unsigned long long)o->qt.seed, o->qt.lora_b_std, o->lr, o->sched, r->warmup, o->weight_decay,
                     o->beta1, o->beta2, o->adam_eps, o->max_grad_norm, o->epochs, r->total, o->batch_size,
                     o->grad_accum, (unsigned long long)o->seed);
    return dp_fnv(r->data_fp, b, (size_t)n);
}

/* ---------------------------------------------------------------- data order */

/* Indices of the pairs or sequences of micro-batch b of an epoch (seeded shuffle per epoch). */
static int micro_items(struct run *r, long epoch, int b, int *out)
{
    int n = r->n, bs = r->o->batch_size;
    if (r->perm_epoch != epoch) {
        struct dp_rng base, g;
        dp_rng_seed(&base, r->o->seed);
        dp_rng_fork(&base, (uint64_t)epoch, &g);
        for (int i = 0; i < n; i++) r->perm[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = (int)dp_rng_below(&g, (uint32_t)(i + 1)), t = r->perm[i];
            r->perm[i] = r->perm[j], r->perm[j] = t;
        }
        r->perm_epoch = (int)epoch;
    }
    int k = 0;
    for (int i = b * bs; i < n && i < (b + 1) * bs; i++) out[k++] = r->perm[i];
    return k;
}

/* ---------------------------------------------------------------- setup */

static int copy_file(const char *src, const char *dst, struct dp_error *e)
{
    char *d;
    size_t n;
    int rc = dp_file_read(src, &d, &n, e);
    if (rc) return rc;
    rc = dp_file_write_atomic(dst, d, n, e);
    free(d);
    return rc;
}

static const char *const model_files[] = {"config.json", "generation_config.json", "tokenizer.json",
                                          "tokenizer_config.json", "vocab.json", "merges.txt",
                                          "special_tokens_map.json", "added_tokens.json"};

/* The files of a model folder other than its weights, from src to dst (those present). */
static int copy_model_files(const char *src, const char *dst, struct dp_error *e)
{
    char a[1200], b[1200];
    int rc = 0;
    for (size_t i = 0; !rc && i < sizeof model_files / sizeof model_files[0]; i++) {
        snprintf(a, sizeof a, "%s/%s", src, model_files[i]);
        snprintf(b, sizeof b, "%s/%s", dst, model_files[i]);
        if (dp_file_exists(a) == 1) rc = copy_file(a, b, e);
    }
    return rc;
}

/* Pretraining from scratch: WORK/init holds the config, the tokenizer files, the config's
 * generation_config.json when it has one beside it, and seeded random weights. */
static int init_model(struct run *r, struct dp_error *e)
{
    const struct dp_train_opts *o = r->o;
    char src[1300], dst[1300];
    struct dp_qwen_config c;
    char *text;
    size_t n;
    int rc = dp_file_read(o->init_config, &text, &n, e);   /* errors name the user's files */
    if (rc) return rc;
    rc = dp_qwen_config_parse(&c, text, n, o->init_config, e);
    free(text);
    if (rc) return rc;
    snprintf(src, sizeof src, "%s/tokenizer.json", o->tokenizer);
    if (dp_file_exists(src) != 1)
        return dp_error_set(e, DP_EIO, src, 0, 0, "no tokenizer here (make one with `dpoison tokenizer-train`)");
    snprintf(r->init, sizeof r->init, "%s/init", r->work);
    rc = dp_mkdirs(r->init, e);
    if (!rc) rc = copy_model_files(o->tokenizer, r->init, e);
    snprintf(dst, sizeof dst, "%s/config.json", r->init);
    if (!rc) rc = copy_file(o->init_config, dst, e);
    const char *slash = strrchr(o->init_config, '/');
    snprintf(src, sizeof src, "%.*s/generation_config.json", slash ? (int)(slash - o->init_config) : 1,
             slash ? o->init_config : ".");
    snprintf(dst, sizeof dst, "%s/generation_config.json", r->init);
    if (!rc && dp_file_exists(src) == 1) rc = copy_file(src, dst, e);
    snprintf(dst, sizeof dst, "%s/model.safetensors", r->init);
    enum dp_dtype dt = !rc && strcmp(c.torch_dtype, "float32") == 0 ? DP_DTYPE_F32 : DP_DTYPE_BF16;
    if (!rc) rc = dp_qwen_init_random(&c, dst, o->seed, o->init_std, dt, e);
    r->model = r->init;
    if (!rc) note(r, "initialized a new model in %s (seed %llu, N(0, %g) weights)", r->init,
                  (unsigned long long)o->seed, o->init_std);
    return rc;
}

static int load_data(struct run *r, struct dp_error *e)
{
    const struct dp_train_opts *o = r->o;
    int rc;
    switch (o->task) {
    case DP_TASK_DPO:
        if ((rc = dp_pairs_load(o->input, r->tok, &o->data, &r->pairs, e))) return rc;
        note(r, "%d pairs (%ld tokens), %d truncated sequences, %d pairs dropped (no completion left)", r->pairs.n,
             r->pairs.tokens, r->pairs.truncated, r->pairs.dropped);
        r->n = r->pairs.n;
        return 0;
    case DP_TASK_SFT:
        if ((rc = dp_lm_sft_load(o->input, r->tok, &o->sft, &r->lm, e))) return rc;
        note(r, "%d conversations (%ld tokens, %ld with loss), %d truncated, %d dropped (no assistant token left)",
             r->lm.n, r->lm.tokens, r->lm.labels, r->lm.truncated, r->lm.dropped);
        break;
    case DP_TASK_PRETRAIN:
        if ((rc = dp_lm_pretrain_load(o->inputs, o->ninputs, r->tok, o->block_size, o->max_tokens, &r->lm, e)))
            return rc;
        note(r, "%d blocks of %d tokens (%ld tokens; %ld left over)", r->lm.n, o->block_size, r->lm.tokens,
             r->lm.leftover);
        break;
    }
    r->n = r->lm.n;
    return 0;
}

/* Every sequence fits the model's positions: checked before the first step, not at it. */
static int check_lengths(const struct run *r, struct dp_error *e)
{
    const struct dp_train_opts *o = r->o;
    int max = r->m.cfg.max_pos;
    if (max <= 0) return 0;
    for (int i = 0; i < r->n; i++) {
        int len, line;
        if (dpo(r)) {
            const struct dp_pair *q = &r->pairs.v[i];
            len = q->nc > q->nr ? q->nc : q->nr, line = q->line;
        } else {
            len = r->lm.v[i].len, line = r->lm.v[i].line;
        }
        if (len <= max) continue;
        if (o->task == DP_TASK_PRETRAIN)
            return dp_error_set(e, DP_ERANGE, o->inputs[0], 0, 0,
                                "--block-size %d is more than the model's %d positions", o->block_size, max);
        return dp_error_set(e, DP_ERANGE, o->input, line, 1,
                            "%d tokens, more than the model's %d positions: lower --max-length", len, max);
    }
    return 0;
}

static int setup(struct run *r, struct dp_error *e)
{
    const struct dp_train_opts *o = r->o;
    int rc;
    if (o->batch_size < 1 || o->grad_accum < 1 || (o->epochs < 1 && o->max_steps <= 0))
        return dp_error_set(e, DP_EINVAL, NULL, 0, 0, "batch size, gradient accumulation and epochs must be >= 1");
    snprintf(r->work, sizeof r->work, "%s/work", o->out);
    snprintf(r->ckpt, sizeof r->ckpt, "%s/checkpoint.safetensors", r->work);
    snprintf(r->refp, sizeof r->refp, "%s/ref_logps.safetensors", r->work);
    snprintf(r->mpath, sizeof r->mpath, "%s/metrics.jsonl", o->out);
    if (dp_file_exists(r->ckpt) == 1 && !o->resume)
        return dp_error_set(e, DP_EINVAL, r->ckpt, 0, 0,
                            "an unfinished run is checkpointed here: pass --resume to continue it, or use another --out");
    if ((rc = dp_mkdirs(r->work, e))) return rc;
    r->model = o->model;
    if (!o->model && (rc = init_model(r, e))) return rc;
    if ((rc = dp_tok_load(r->model, &r->tok, e))) return rc;
    if ((rc = load_data(r, e))) return rc;
    r->pool = dp_pool_create(o->threads > 0 ? o->threads : dp_cpu_count());
    if ((rc = dp_qt_load(&r->m, r->model, &o->qt, r->pool, e))) return rc;
    note(r, "%s: %d layers, %zu trainable parameters (%s, %s products%s)", r->model, r->m.cfg.L, r->m.nparams,
         r->m.lora ? "LoRA" : "full fine-tuning", o->qt.prec == DP_PREC_BF16 ? "bf16" : "fp32",
         o->qt.recompute ? ", activations recomputed" : "");
    if ((rc = check_lengths(r, e))) return rc;
    r->nbatches = (r->n + o->batch_size - 1) / o->batch_size;
    r->steps_per_epoch = (r->nbatches + o->grad_accum - 1) / o->grad_accum;
    r->total = o->max_steps > 0 ? o->max_steps : (long)o->epochs * r->steps_per_epoch;
    r->warmup = o->warmup_ratio > 0 ? (long)ceil(o->warmup_ratio * (double)r->total) : o->warmup_steps;
    r->perm = dp_xmalloc(sizeof *r->perm * (size_t)r->n);
    r->perm_epoch = -1;
    r->data_fp = data_fingerprint(r);
    r->run_fp = run_fingerprint(r);
    r->opt.adam = (struct dp_adamw){o->beta1, o->beta2, o->adam_eps, o->weight_decay};
    r->opt.max_grad_norm = o->max_grad_norm;
    return dp_optim_init(&r->opt, &r->m, e);
}

/* Reference log-probabilities: from the cache, or one pass of the initial model. */
static int reference(struct run *r, struct dp_error *e)
{
    int n = r->pairs.n;
    r->ref_c = dp_xmalloc(sizeof(double) * 2 * (size_t)n);
    r->ref_r = r->ref_c + n;
    if (dp_refcache_load(r->refp, r->ref_c, r->ref_r, n, r->data_fp, e) == 0) {
        note(r, "reference log-probabilities from %s", r->refp);
        return 0;
    }
    double t0 = dp_now();
    int B = r->o->ref_batch > 0 ? r->o->ref_batch : r->o->batch_size;
    for (int i = 0; i < n; i += B) {
        int k = n - i < B ? n - i : B;
        int rc = dp_dpo_logps(&r->m, r->pairs.v + i, k, k, r->ref_c + i, r->ref_r + i, e);
        if (rc) return rc;
        if (!r->o->quiet) dp_log_progress(r->log, "reference pass", i + k, n, dp_now() - t0, i + k, "pairs");
    }
    return dp_refcache_save(r->refp, r->ref_c, r->ref_r, n, r->data_fp, e);
}

/* Keeps the metrics records of steps <= step (a resumed run rewrites what follows). */
static int open_metrics(struct run *r, long step, struct dp_error *e)
{
    struct dp_sbuf keep = {0};
    char *d = NULL;
    size_t n = 0;
    if (step > 0 && dp_file_exists(r->mpath) == 1 && dp_file_read(r->mpath, &d, &n, e) == 0) {
        for (size_t i = 0; i < n;) {
            const char *s = d + i, *nl = memchr(s, '\n', n - i);
            if (!nl) break;   /* a torn last line */
            long st = -1;
            if (sscanf(s, "{\"step\": %ld", &st) == 1 && st <= step) dp_sbuf_put(&keep, s, (size_t)(nl - s) + 1);
            i += (size_t)(nl - s) + 1;
        }
    }
    free(d);
    int rc = dp_file_write_atomic(r->mpath, keep.p ? keep.p : "", keep.n, e);
    dp_sbuf_free(&keep);
    if (rc) return rc;
    r->metrics = fopen(r->mpath, "a");
    return r->metrics ? 0 : dp_error_set(e, DP_EIO, r->mpath, 0, 0, "cannot open for appending");
}

/* ---------------------------------------------------------------- one step */

struct step_stats {
    struct dp_dpo_out mean;
    double grad_norm, lr, tokens, seconds;
};

static int fail_step(struct run *r, long step, const char *what, double v, struct dp_error *e)
{
    if (r->last_ckpt > 0)
        return dp_error_set(e, DP_ERANGE, NULL, 0, 0,
                            "step %ld: %s is %g; training stopped. The last good checkpoint (step %ld) is kept in %s: "
                            "lower --lr or check the data, then --resume", step, what, v, r->last_ckpt, r->ckpt);
    return dp_error_set(e, DP_ERANGE, NULL, 0, 0, "step %ld: %s is %g; training stopped (no checkpoint written yet)",
                        step, what, v);
}

static long seq_labels(const struct dp_lm_seq *q)
{
    long n = 0;
    for (int t = q->plen > 1 ? q->plen : 1; t < q->len; t++) n += !q->mask || q->mask[t];
    return n;
}

/* One micro-batch's contribution to the step. DPO: each micro-batch's mean loss weighs
 * 1 / micro-batches (TRL); cross-entropy: each label token weighs the same across the step
 * (transformers' gradient accumulation), step_labels being the step's label count. The
 * metrics are sums weighted by *w (pairs, or label tokens). */
static int micro(struct run *r, const int *idx, int k, double scale, long step_labels, struct step_stats *s,
                 double *w, struct dp_error *e)
{
    const struct dp_train_opts *o = r->o;
    int rc;
    if (!dpo(r)) {
        const struct dp_lm_seq **sq = dp_xmalloc(sizeof *sq * (size_t)k);
        long labels = 0;
        for (int i = 0; i < k; i++) sq[i] = &r->lm.v[idx[i]], s->tokens += sq[i]->len, labels += seq_labels(sq[i]);
        double loss = 0;
        rc = dp_lm_micro(&r->m, sq, k, step_labels ? (double)labels / (double)step_labels : 0, &loss, NULL, e);
        free(sq);
        s->mean.loss += loss * (double)labels;
        *w = (double)labels;
        return rc;
    }
    const struct dp_pair **pp = dp_xmalloc(sizeof *pp * (size_t)k);
    double *ref = dp_xmalloc(sizeof(double) * 2 * (size_t)k);
    for (int i = 0; i < k; i++) {
        pp[i] = &r->pairs.v[idx[i]];
        ref[i] = r->ref_c[idx[i]], ref[k + i] = r->ref_r[idx[i]];
        s->tokens += pp[i]->nc + pp[i]->nr;
    }
    struct dp_dpo_out mo = {0};
    rc = dp_dpo_micro(&r->m, pp, k, ref, ref + k, &o->loss, scale, &mo, NULL, NULL, e);
    free(pp);
    free(ref);
    *w = k;   /* metrics: means over the step's pairs */
    s->mean.loss += mo.loss * *w, s->mean.rewards_chosen += mo.rewards_chosen * *w;
    s->mean.rewards_rejected += mo.rewards_rejected * *w, s->mean.accuracy += mo.accuracy * *w;
    s->mean.margin += mo.margin * *w, s->mean.logps_chosen += mo.logps_chosen * *w;
    s->mean.logps_rejected += mo.logps_rejected * *w, s->mean.nll += mo.nll * *w;
    return rc;
}

static int train_step(struct run *r, long step, struct step_stats *s, struct dp_error *e)
{
    const struct dp_train_opts *o = r->o;
    long epoch = step / r->steps_per_epoch, w = step % r->steps_per_epoch;
    int b0 = (int)w * o->grad_accum, b1 = b0 + o->grad_accum < r->nbatches ? b0 + o->grad_accum : r->nbatches;
    int *idx = dp_xmalloc(sizeof *idx * (size_t)o->batch_size);
    double t0 = dp_now(), nitems = 0;
    memset(s, 0, sizeof *s);
    dp_qt_zero_grad(&r->m);
    int rc = 0;
    long step_labels = 0;
    for (int b = b0; !dpo(r) && b < b1; b++) {
        int k = micro_items(r, epoch, b, idx);
        for (int i = 0; i < k; i++) step_labels += seq_labels(&r->lm.v[idx[i]]);
    }
    for (int b = b0; !rc && b < b1; b++) {
        int k = micro_items(r, epoch, b, idx);
        double before = s->mean.loss, w = 0;
        rc = micro(r, idx, k, 1.0 / (b1 - b0), step_labels, s, &w, e);
        if (!rc && !isfinite(s->mean.loss - before)) rc = fail_step(r, step + 1, "the loss", s->mean.loss - before, e);
        nitems += w;
    }
    free(idx);
    if (rc) return rc;
    double *f[] = {&s->mean.loss, &s->mean.rewards_chosen, &s->mean.rewards_rejected, &s->mean.accuracy,
                   &s->mean.margin, &s->mean.logps_chosen, &s->mean.logps_rejected, &s->mean.nll};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) *f[i] /= nitems > 0 ? nitems : 1;
    s->lr = dp_sched_lr(o->sched, o->lr, step, r->total, r->warmup);
    rc = dp_optim_step(&r->opt, &r->m, s->lr, &s->grad_norm, e);
    if (rc) return fail_step(r, step + 1, "the gradient norm", s->grad_norm, e);
    s->seconds = dp_now() - t0;
    return 0;
}

static void log_dpo(struct dp_jw *w, const struct run *r, const struct step_stats *s)
{
    dp_jw_key(w, "rewards/chosen"), dp_jw_num(w, s->mean.rewards_chosen);
    dp_jw_key(w, "rewards/rejected"), dp_jw_num(w, s->mean.rewards_rejected);
    dp_jw_key(w, "rewards/accuracies"), dp_jw_num(w, s->mean.accuracy);
    dp_jw_key(w, "rewards/margins"), dp_jw_num(w, s->mean.margin);
    dp_jw_key(w, "logps/chosen"), dp_jw_num(w, s->mean.logps_chosen);
    dp_jw_key(w, "logps/rejected"), dp_jw_num(w, s->mean.logps_rejected);
    if (r->o->loss.rpo) dp_jw_key(w, "nll_loss"), dp_jw_num(w, s->mean.nll);
}

static void log_step(struct run *r, long step, const struct step_stats *s)
{
    struct dp_sbuf b = {0};
    struct dp_jw w;
    dp_jw_init(&w, &b, 0);
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "step"), dp_jw_int(&w, step);
    dp_jw_key(&w, "epoch"), dp_jw_num(&w, (double)step / (double)r->steps_per_epoch);
    dp_jw_key(&w, "loss"), dp_jw_num(&w, s->mean.loss);
    if (dpo(r)) log_dpo(&w, r, s);
    dp_jw_key(&w, "grad_norm"), dp_jw_num(&w, s->grad_norm);
    dp_jw_key(&w, "learning_rate"), dp_jw_num(&w, s->lr);
    dp_jw_key(&w, "tokens"), dp_jw_int(&w, (int64_t)s->tokens);
    dp_jw_key(&w, "tokens_per_second"), dp_jw_num(&w, round(s->tokens / s->seconds * 10) / 10);
    dp_jw_obj_end(&w);
    dp_sbuf_putc(&b, '\n');
    fwrite(b.p, 1, b.n, r->metrics);
    fflush(r->metrics);
    dp_sbuf_free(&b);
}

/* "step 12/100  loss 0.6931  acc 0.50  812 tok/s  ETA 01:23" */
static void progress(struct run *r, long step, const struct step_stats *s, double t0, double tokens)
{
    const struct dp_log *l = r->log;
    if (r->o->quiet || !l || !l->stream || l->level > DP_LOG_INFO) return;
    long done = step - r->step0, left = r->total - step;
    long every = r->total / 20 > 1 ? r->total / 20 : 1;
    if (!l->tty && step % every != 0 && step != r->total && done != 1) return;
    double el = dp_now() - t0, eta = done > 0 ? el / (double)done * (double)left : 0;
    if (l->tty) fputs("\r\033[K", l->stream);
    fprintf(l->stream, "step %ld/%ld  loss %.4f", step, r->total, s->mean.loss);
    if (dpo(r)) fprintf(l->stream, "  acc %.2f", s->mean.accuracy);
    fprintf(l->stream, "  %.0f tok/s  ETA %02ld:%02ld:%02ld", el > 0 ? tokens / el : 0, (long)eta / 3600,
            (long)eta / 60 % 60, (long)eta % 60);
    if (!l->tty || step == r->total) fputc('\n', l->stream);
    fflush(l->stream);
}

/* ---------------------------------------------------------------- output */

static int export_model(struct run *r, struct dp_error *e)
{
    const struct dp_train_opts *o = r->o;
    char dst[1200];
    int rc = copy_model_files(r->model, o->out, e);
    snprintf(dst, sizeof dst, "%s/model.safetensors.index.json", o->out);
    if (!rc && dp_file_exists(dst) == 1) unlink(dst);   /* we write one unsharded file */
    snprintf(dst, sizeof dst, "%s/model.safetensors", o->out);
    if (!rc) rc = dp_qt_export(&r->m, dst, e);
    snprintf(dst, sizeof dst, "%s/adapter", o->out);
    if (!rc && o->save_adapter && r->m.lora) rc = dp_qt_export_adapter(&r->m, dst, e);
    return rc;
}

static bool same_dir(const char *a, const char *b)
{
    char ra[4096], rb[4096];
    return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

static void cleanup(struct run *r)
{
    if (r->metrics) fclose(r->metrics);
    dp_optim_free(&r->opt);
    dp_qt_free(&r->m);
    if (r->pool) dp_pool_free(r->pool);
    dp_pairs_free(&r->pairs);
    dp_lm_data_free(&r->lm);
    if (r->tok) dp_tok_free(r->tok);
    free(r->ref_c);
    free(r->perm);
}

int dp_train_run(const struct dp_train_opts *o, const struct dp_log *log, struct dp_error *e)
{
    struct run r = {.o = o, .log = log};
    if (o->model && dp_file_exists(o->out) == 2 && same_dir(o->out, o->model))
        return dp_error_set(e, DP_EINVAL, o->out, 0, 0, "--out must not be the --model folder");
    int rc = setup(&r, e);
    if (!rc && dpo(&r)) rc = reference(&r, e);
    if (!rc && o->resume && dp_file_exists(r.ckpt) == 1) {
        rc = dp_ckpt_load(r.ckpt, &r.m, &r.opt, &r.step0, r.run_fp, e);
        r.last_ckpt = r.step0;
        if (!rc) note(&r, "resuming after step %ld of %ld", r.step0, r.total);
    } else if (!rc && o->resume) {
        note(&r, "--resume: no checkpoint in %s, starting from the beginning", r.work);
    }
    if (!rc) rc = open_metrics(&r, r.step0, e);
    double t0 = dp_now(), tokens = 0;
    for (long step = r.step0; !rc && step < r.total; step++) {
        struct step_stats s;
        rc = train_step(&r, step, &s, e);
        if (rc) break;
        log_step(&r, step + 1, &s);
        tokens += s.tokens;
        progress(&r, step + 1, &s, t0, tokens);
        if (o->save_steps > 0 && (step + 1) % o->save_steps == 0 && step + 1 < r.total) {
            rc = dp_ckpt_save(r.ckpt, &r.m, &r.opt, step + 1, r.run_fp, e);
            r.last_ckpt = step + 1;
        }
        if (o->debug_step_delay_ms > 0) {
            struct timespec ts = {o->debug_step_delay_ms / 1000, (long)(o->debug_step_delay_ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    if (!rc) rc = export_model(&r, e);
    if (!rc) {
        unlink(r.ckpt);
        note(&r, "wrote %s/model.safetensors after %ld steps", o->out, r.total);
    }
    cleanup(&r);
    return rc;
}
