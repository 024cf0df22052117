/* Qwen2 decoder in fp32 from F32/F16/BF16 weights: loading a Hugging Face folder into one packed
 * weight buffer, an inference state with a KV cache of several sequence slots, and a forward
 * pass that appends tokens to any set of slots at once (batched prefill and decode of sequences
 * of different lengths in one call). A slot's results do not depend on the other slots. */
#ifndef DP_MODEL_QWEN_H
#define DP_MODEL_QWEN_H
#include <stdbool.h>
#include <stdint.h>
#include "base/error.h"
#include "model/qwen_config.h"
#include "nn/matmul.h"
#include "nn/pool.h"

/* Shapes: C hidden, H/Hkv heads of D, F MLP width, V vocab, Q = (H + 2 Hkv) D. */
struct dp_qwen_layer {
    float *ln1;            /* [C] input_layernorm.weight */
    struct dp_wmat qkv;    /* [Q, C] q_proj, k_proj, v_proj stacked by rows */
    float *qkv_bias;       /* [Q] */
    struct dp_wmat o;      /* [C, H D] o_proj */
    float *ln2;            /* [C] post_attention_layernorm.weight */
    struct dp_wmat gu;     /* [2F, C] gate_proj, up_proj stacked by rows */
    struct dp_wmat down;   /* [C, F] down_proj */
};

struct dp_qwen {
    struct dp_qwen_config cfg;
    struct dp_qwen_layer *layers;   /* [L], malloc'd */
    struct dp_wmat embed;  /* [V, C] embed_tokens */
    struct dp_wmat lm_head;   /* [V, C]; the same memory as embed when tied */
    float *norm;           /* [C] model.norm.weight */
    void *mem;             /* one mapping holding every weight (huge pages when possible) */
    size_t mem_bytes;
    enum dp_dtype wdtype;  /* storage of the matrices: BF16 (from BF16 files) or F32 */
};

/* Loads DIR (config.json + safetensors, single or sharded). Every tensor the config needs must
 * be present with its exact shape and a float dtype; errors name the file and tensor. Packing
 * runs on pool (may be NULL). The caller frees with dp_qwen_free. */
int dp_qwen_load(struct dp_qwen *m, const char *dir, struct dp_pool *pool, struct dp_error *e);
void dp_qwen_free(struct dp_qwen *m);

/* ---------------------------------------------------------------- inference state */

/* Parts of the forward pass that dp_qwen_state.prof times. */
enum { DP_QPROF_PRODUCTS,   /* the layers' matrix products: q/k/v, o, gate/up, down */
       DP_QPROF_HEAD,       /* final norm and LM head */
       DP_QPROF_ATTN,       /* RoPE, the cache writes and attention */
       DP_QPROF_ROWS,       /* embedding, residual adds, norms, SwiGLU */
       DP_QPROF_N };

struct dp_qwen_state {
    int nslots, tcap, mtok;   /* slots; cache positions per slot (multiple of 16); rows per pass */
    int nthreads;
    int32_t *len;          /* [nslots] tokens in each slot's cache */
    float *kt;             /* [L, nslots, Hkv, tcap/16, D, 16] keys, transposed in blocks of 16 */
    float *v;              /* [L, nslots, Hkv, tcap, D] */
    float *cos_t, *sin_t;  /* [tcap, D/2] */
    /* activations of one pass of up to mtok rows */
    float *x, *xn, *qkv, *att, *gu, *h, *proj;   /* [mtok, C|C|Q|HD|2F|F|C] */
    float *last;           /* [mtok, C] normed rows whose logits are wanted */
    float *attp;           /* [nthreads, 2 tcap] attention probabilities */
    uint16_t *xbf;         /* bf16 copy of a matmul input */
    int32_t *pos, *ids;    /* [mtok] */
    void *mem, *kv_mem;   /* activations (huge pages); the cache (small pages: it fills slowly) */
    size_t mem_bytes, kv_bytes;
    double *prof;          /* NULL, or [DP_QPROF_N] seconds that dp_qwen_forward adds to */
};

/* A state for nslots sequences of up to tcap tokens each (rounded up to 16), running passes of
 * up to mtok rows on nthreads threads. Memory is reserved, not touched: pages fill as the cache
 * does. Free with dp_qwen_state_free. */
int dp_qwen_state_init(struct dp_qwen_state *s, const struct dp_qwen *m, int nslots, int tcap,
                       int mtok, int nthreads, struct dp_error *e);
void dp_qwen_state_free(struct dp_qwen_state *s);
/* Empties a slot. */
void dp_qwen_state_reset(struct dp_qwen_state *s, int slot);
/* Makes slot dst hold the first n cached tokens of slot src (n <= len[src]): a shared prompt is
 * computed once for several samples. */
void dp_qwen_state_copy(struct dp_qwen_state *s, const struct dp_qwen *m, int dst, int src, int n);

/* Appends tokens to slots and computes logits. Entry i adds ntok[i] >= 1 tokens (the next ones
 * in tok, which holds sum(ntok) ids) to slot slot[i]; a slot may appear only once. logits:
 *   all_logits false: [n, V], the logits after each entry's last token;
 *   all_logits true:  [sum(ntok), V], after every token.
 * DP_ERANGE when a slot would pass tcap or an id is outside the vocabulary; nothing is changed
 * then. */
int dp_qwen_forward(const struct dp_qwen *m, struct dp_qwen_state *s, struct dp_pool *pool,
                    enum dp_prec prec, int n, const int *slot, const int *ntok, const int32_t *tok,
                    float *logits, bool all_logits, struct dp_error *e);

/* Memory helpers: n bytes of zeroed anonymous memory, 2 MiB aligned, huge pages requested when
 * huge (fast to touch, but resident 2 MiB at a time). NULL on failure. Free with
 * dp_big_free(p, n). */
void *dp_big_alloc(size_t n, bool huge);
void dp_big_free(void *p, size_t n);

#endif
