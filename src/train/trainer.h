/* The training runs behind `dpoison train` (DPO), `dpoison sft` and `dpoison pretrain`
 * (next-token cross-entropy, see lm.h). DPO: pairs tokenized, reference log-probabilities
 * computed once (cached in OUT/work). All: optimizer steps over seeded shuffles of the data
 * (batch size, gradient accumulation, epochs or max steps, schedule with warmup, clipping),
 * a metrics JSONL with TRL's names, a progress line, atomic checkpoints every N steps with
 * bit-identical --resume, a stop with an error naming the step on a non-finite loss or
 * gradient, and finally a Hugging Face model folder in OUT. */
#ifndef DP_TRAIN_TRAINER_H
#define DP_TRAIN_TRAINER_H
#include <stdbool.h>
#include <stdint.h>
#include "base/error.h"
#include "base/log.h"
#include "model/qwen_train.h"
#include "train/data.h"
#include "train/lm.h"
#include "train/losses.h"
#include "train/schedule.h"

enum dp_train_task { DP_TASK_DPO, DP_TASK_SFT, DP_TASK_PRETRAIN };

struct dp_train_opts {
    enum dp_train_task task;
    const char *model, *out;
    const char *input;               /* DPO: pairs JSONL; SFT: conversations JSONL */
    const char *const *inputs;       /* pretrain: text files */
    int ninputs;
    int block_size;                  /* pretrain: tokens per sequence (512) */
    long max_tokens;                 /* pretrain: read at most this many tokens (0: all) */
    struct dp_sft_opts sft;
    /* pretrain from scratch (instead of model): a config.json, a tokenizer folder, N(0, std)
       weights in the config's torch_dtype (bfloat16, else float32), seeded with seed */
    const char *init_config, *tokenizer;
    float init_std;                  /* 0.02 (Qwen2's initializer_range) */
    struct dp_dpo_cfg loss;          /* sigmoid, beta 0.1 */
    struct dp_qt_opts qt;            /* LoRA, precision (bf16 products), recompute */
    struct dp_pairs_opts data;       /* TRL's truncation defaults */
    double lr;                       /* 5e-6 */
    enum dp_sched sched;             /* linear */
    long warmup_steps;               /* 0; or a ratio of the total when warmup_ratio > 0 */
    double warmup_ratio;
    double weight_decay, beta1, beta2, adam_eps, max_grad_norm;   /* 0, 0.9, 0.999, 1e-8, 1.0 */
    int epochs;                      /* 1 (unless max_steps) */
    long max_steps;                  /* > 0: stop there, cycling epochs as needed */
    int batch_size, grad_accum;      /* pairs per micro-batch (4); micro-batches per step (1) */
    int ref_batch;                   /* pairs per reference forward (batch_size) */
    uint64_t seed;
    int threads;                     /* 0: all CPUs */
    long save_steps;                 /* checkpoint every N steps (0: none) */
    bool resume, save_adapter, quiet;
    int debug_step_delay_ms;         /* tests: sleep after each step, so a kill lands mid-run */
};
void dp_train_opts_default(struct dp_train_opts *o);

/* Runs the whole training; progress and notes go to log. */
int dp_train_run(const struct dp_train_opts *o, const struct dp_log *log, struct dp_error *e);

#endif
