/* A freshly initialized Qwen2 model, as transformers' Qwen2PreTrainedModel._init_weights makes
 * one: linear and embedding weights from N(0, initializer_range), biases 0, RMSNorm weights 1.
 * Seeded: the same config, seed and dtype give the same bytes. */
#ifndef DP_MODEL_QWEN_INIT_H
#define DP_MODEL_QWEN_INIT_H
#include <stdint.h>
#include "base/error.h"
#include "model/qwen_config.h"
#include "nn/dtype.h"

/* Writes path (a safetensors file, atomically) with every tensor c needs, named as Hugging
 * Face names them, in dtype (F32 or BF16, rounded to nearest even). */
int dp_qwen_init_random(const struct dp_qwen_config *c, const char *path, uint64_t seed, float std,
                        enum dp_dtype dtype, struct dp_error *e);

#endif
