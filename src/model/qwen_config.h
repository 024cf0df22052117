/* Hugging Face config files of a Qwen2-family model folder: config.json (architecture) and
 * generation_config.json (sampling defaults and stop ids), with transformers' defaults for
 * absent fields. Features dpoison does not implement (rope_scaling, sliding windows, another
 * activation) are refused with an error rather than run wrongly. */
#ifndef DP_MODEL_QWEN_CONFIG_H
#define DP_MODEL_QWEN_CONFIG_H
#include <stdbool.h>
#include <stdint.h>
#include "base/error.h"

#define DP_MAX_STOP_IDS 8

struct dp_qwen_config {
    int V;            /* vocab_size */
    int C;            /* hidden_size */
    int L;            /* num_hidden_layers */
    int H, Hkv, D;    /* num_attention_heads, num_key_value_heads, head dim (hidden / heads) */
    int F;            /* intermediate_size */
    int max_pos;      /* max_position_embeddings */
    float eps;        /* rms_norm_eps */
    double theta;     /* rope_theta */
    bool tied;        /* tie_word_embeddings */
    int32_t bos;      /* bos_token_id, -1 when none */
    int32_t eos[DP_MAX_STOP_IDS];   /* eos_token_id (int or list) */
    int n_eos;
    char torch_dtype[16];
};

struct dp_gen_config {
    bool do_sample;          /* default false */
    float temperature;       /* 1.0 */
    float top_p;             /* 1.0 */
    int top_k;               /* 50 */
    float repetition_penalty;   /* 1.0 */
    int max_new_tokens;      /* -1 when unset */
    int32_t eos[DP_MAX_STOP_IDS];   /* stop ids */
    int n_eos;
    int32_t pad;             /* -1 when none */
};

/* Parses config.json text (path names it in errors: path:line:col). */
int dp_qwen_config_parse(struct dp_qwen_config *c, const char *text, size_t n, const char *path,
                         struct dp_error *e);
/* Reads DIR/config.json. */
int dp_qwen_config_load(struct dp_qwen_config *c, const char *dir, struct dp_error *e);

/* transformers' GenerationConfig defaults, stop ids taken from the model config. */
void dp_gen_config_default(struct dp_gen_config *g, const struct dp_qwen_config *c);
int dp_gen_config_parse(struct dp_gen_config *g, const char *text, size_t n, const char *path,
                        struct dp_error *e);
/* Reads DIR/generation_config.json over the defaults; a missing file is not an error. */
int dp_gen_config_load(struct dp_gen_config *g, const struct dp_qwen_config *c, const char *dir,
                       struct dp_error *e);

#endif
