/* Training checkpoints and the reference log-probability cache, each one safetensors file
 * written atomically (temp file, fsync, rename), so a killed run leaves either the previous
 * file or the new one. A checkpoint holds the trainable parameters, the AdamW moments, the step
 * and a fingerprint of the run's data and options; resuming from it continues bit for bit. */
#ifndef DP_TRAIN_CHECKPOINT_H
#define DP_TRAIN_CHECKPOINT_H
#include <stdint.h>
#include "base/error.h"
#include "model/qwen_train.h"
#include "train/dpo.h"

int dp_ckpt_save(const char *path, const struct dp_qt *m, const struct dp_optim *o, long step, uint64_t fingerprint,
                 struct dp_error *e);
/* Restores m's parameters and o's moments; DP_EFORMAT when the file does not belong to this
 * run (fingerprint or sizes differ). */
int dp_ckpt_load(const char *path, struct dp_qt *m, struct dp_optim *o, long *step, uint64_t fingerprint,
                 struct dp_error *e);

/* Reference log-probabilities of n pairs. Load returns DP_ENOTFOUND (quietly) when the file is
 * missing or was made for other data (fingerprint). */
int dp_refcache_save(const char *path, const double *ref_c, const double *ref_r, int n, uint64_t fingerprint,
                     struct dp_error *e);
int dp_refcache_load(const char *path, double *ref_c, double *ref_r, int n, uint64_t fingerprint,
                     struct dp_error *e);

/* FNV-1a over bytes, continuing from h (start with DP_FNV_INIT). */
#define DP_FNV_INIT 0xcbf29ce484222325ull
uint64_t dp_fnv(uint64_t h, const void *p, size_t n);

#endif
