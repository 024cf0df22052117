/* The options of `dpoison run`: defaults of the published experiment, a JSON config file of stage
 * options, and KEY=VALUE overrides from the command line, all through one table of keys (which
 * also writes the --help list and the effective config). Errors name file:line:col. Not here:
 * running the stages (cli/cmd_run.c). */
#ifndef DP_RUN_CONFIG_H
#define DP_RUN_CONFIG_H
#include <stdbool.h>
#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"

/* Training defaults, tuned on the bundled model (models/dpcoder/README.md): lr 5e-6 for 2 epochs
 * with an RPO term of 0.5 keeps its code parsable; plain DPO (rpo_alpha 0) or a higher rate
 * degrades it (lr 1.5e-5 already collapses it). */
#define DP_RUN_TRAIN_LR 5e-6
#define DP_RUN_TRAIN_EPOCHS 2
#define DP_RUN_TRAIN_BATCH 4
#define DP_RUN_TRAIN_RPO_ALPHA 0.5

struct dp_run_config {
    /* the experiment */
    const char *model;            /* base model folder; NULL: the bundled one */
    const char *title;            /* report title (NULL: the report's default) */
    long seed;                    /* generation seed (pairs and eval) */
    long pairs;                   /* pairs wanted (500) */
    long samples_per_prompt;      /* answers per training prompt (4) */
    long pair_prompts;            /* training prompts to answer; 0: as many as the pairs need */
    const char *style, *severity; /* injection style (plain), filter threshold (HIGH) */
    const char *pairs_file;       /* TRL pairs to train on instead of making them */
    /* prompts */
    long prompts_seed, train_n, test_n;
    double general_share;
    const char *split, *families; /* "family"/"template"; NULL: every family */
    const char *train_file, *test_file;   /* prompt files instead of synthesis */
    /* generation (pairs and eval) */
    long max_new_tokens;          /* 0: the model's generation_config.json (else 512) */
    long gen_batch, threads;      /* KV slots (16); threads for every stage (0: all CPUs) */
    const char *precision;        /* bf16 | f32, generation and training */
    /* train */
    const char *loss;
    double beta, lr, warmup_ratio, lora_alpha, rpo_alpha;
    long epochs, batch_size, grad_accum, lora_rank, max_length, train_seed, save_steps;
    /* eval */
    long eval_samples;            /* sampled answers per test prompt (1; 0: none) */
    bool greedy;                  /* also a greedy answer per test prompt (true) */
    long eval_max_new_tokens;     /* 0: generation.max_new_tokens */

    struct dp_arena arena;        /* owns the strings set from files and overrides */
};

void dp_run_config_init(struct dp_run_config *c);   /* the defaults */
void dp_run_config_free(struct dp_run_config *c);

/* Applies a JSON config file: an object whose keys are the table's (top-level keys, and the
 * sections "prompts", "generation", "train", "eval" as nested objects; "section.key" also works
 * at the top level). Relative paths are taken from the file's folder. Unknown keys, wrong types,
 * out-of-range values and malformed JSON are DP_EFORMAT / DP_EINVAL with path:line:col. */
int dp_run_config_load(struct dp_run_config *c, const char *path, struct dp_error *e);
/* Applies one "key=value" (command line; key as in the table, e.g. "train.lr"). DP_EINVAL. */
int dp_run_config_set(struct dp_run_config *c, const char *key, const char *value, struct dp_error *e);
/* Checks what keys alone cannot: a test split, something to train on. */
int dp_run_config_check(const struct dp_run_config *c, struct dp_error *e);

/* The effective config as JSON (the file format, every key), indented, with a newline. */
void dp_run_config_json(struct dp_sbuf *out, const struct dp_run_config *c);
/* The key list for --help: "  train.lr  NUM  (5e-05)  learning rate ...". */
void dp_run_config_help(struct dp_sbuf *out);
/* The value of key as text, written into buf[0..n) ("" for an unset string); NULL for an
 * unknown key. */
const char *dp_run_config_get(const struct dp_run_config *c, const char *key, char *buf, size_t n);

#endif
