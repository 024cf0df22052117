/* Qwen2 training graph: fp32 master weights (full fine-tuning) or a frozen packed base with LoRA
 * adapters, a forward pass over packed sequences (no padding) that keeps each layer's
 * activations (or only its input, recomputing the rest during the backward pass), the summed
 * log-probability of each sequence's completion tokens, and the backward pass from dL/dlogp
 * into one flat gradient buffer. Parameters are named as Hugging Face (full) or PEFT (LoRA)
 * name them, so checkpoints, exports and the PyTorch parity test share one table. */
#ifndef DP_MODEL_QWEN_TRAIN_H
#define DP_MODEL_QWEN_TRAIN_H
#include <stdbool.h>
#include <stdint.h>
#include "base/error.h"
#include "model/qwen_config.h"
#include "nn/ops_backward.h"

/* LoRA target modules (bit set), in PEFT's names q_proj ... down_proj. */
enum dp_lora_target {
    DP_LORA_Q, DP_LORA_K, DP_LORA_V, DP_LORA_O, DP_LORA_GATE, DP_LORA_UP, DP_LORA_DOWN, DP_LORA_COUNT
};
extern const char *const dp_lora_target_names[DP_LORA_COUNT];   /* "q_proj", ... */
/* Parses "q,k,v,o,gate,up,down" (also "q_proj,..." and "all") into a bit set; -1 when a name
 * is unknown (written to *bad). */
int dp_lora_targets_parse(const char *s, unsigned *out, char *bad, int nbad);

struct dp_qt_opts {
    int lora_rank;           /* 0: full fine-tuning */
    float lora_alpha;        /* scale alpha / rank, as PEFT without rsLoRA */
    unsigned lora_targets;   /* bits 1 << enum dp_lora_target */
    enum dp_prec prec;       /* F32: exact fp32 products; BF16: bf16 products, fp32 accumulation */
    bool recompute;          /* keep only layer inputs; recompute each layer in the backward */
    uint64_t seed;           /* LoRA A initialization */
    float lora_b_std;        /* 0 (PEFT: B = 0); tests set N(0, std) to exercise dA */
    int vchunk;              /* LM-head vocabulary chunk (0: 4096) */
};

/* One named parameter tensor: shape and offset (floats) in the flat parameter buffer. */
struct dp_qt_param {
    char name[112];
    int ndim;
    int64_t shape[2];
    size_t off, numel;
    bool decay;              /* weight decay applies (not to biases and norm weights, as HF) */
};

struct dp_qt_lora {
    int N, K, r, col;        /* adapted output rows N (at column col of the fused output), input K */
    float scale;
    float *A, *B, *dA, *dB;  /* [r, K], [N, r] in the parameter / gradient buffers */
    struct dp_wmat pa, pat, pb, pbt;   /* packed A [r,K], A^T [K,r], B [N,r], B^T [r,N] */
};

struct dp_qt_layer {
    float *ln1, *ln2, *bqkv;             /* [C], [C], [Q] */
    float *Wqkv, *Wo, *Wgu, *Wdown;      /* masters [Q,C], [C,HD], [2F,C], [C,F] (full) or NULL */
    float *dln1, *dln2, *dbqkv, *dWqkv, *dWo, *dWgu, *dWdown;   /* gradients (full) or NULL */
    struct dp_wmat qkv, qkv_t, o, o_t, gu, gu_t, down, down_t;  /* packed W and W^T (full: shared) */
    struct dp_qt_lora *lora[DP_LORA_COUNT];   /* NULL when the module is not adapted */
};

/* A training batch: nseq sequences (for DPO: chosen 0..B-1, then rejected), ids[s][0..len[s]).
 * Completion (label) tokens are positions t >= max(plen[s], 1): each is predicted from t - 1.
 * mask (may be NULL, or mask[s] NULL): only positions t with mask[s][t] != 0 among those are
 * labels (SFT: the assistant turns of a conversation). */
struct dp_qt_batch {
    int nseq;
    const int32_t *const *ids;
    const int *len, *plen;
    const uint8_t *const *mask;
};

struct dp_qt_acts;
struct dp_qt {
    struct dp_qwen_config cfg;
    struct dp_qt_opts o;
    bool lora;
    enum dp_dtype src_dtype;         /* dtype of the model's matrices on disk */
    /* trainable: one flat buffer of parameters and one of gradients, named by tab */
    float *params, *grads;
    size_t nparams;
    struct dp_qt_param *tab;         /* malloc'd */
    int ntab;
    float *frozen;                   /* LoRA: fp32 embedding, norms and biases (malloc'd) */
    size_t nfrozen;
    struct dp_qt_layer *layers;      /* [L] */
    struct dp_qt_lora *loras;        /* [nlora] */
    int nlora;
    float *embed, *norm, *lm;        /* [V,C], [C], [V,C] (lm == embed when tied); LoRA with a
                                        tied head: embed NULL, rows read from lm_p */
    float *dembed, *dnorm, *dlm;     /* gradients (full) or NULL */
    struct dp_wmat lm_p, lm_t;       /* packed LM head and its transpose */
    bool dirty;                      /* masters changed since packing */
    int packed_fwd, packed_bwd;      /* full: the layer the shared packs hold (-1: none) */
    bool fresh;                      /* gradients zeroed, nothing accumulated yet */
    struct dp_qt_acts *acts;
    struct dp_pool *pool;            /* borrowed */
    struct dp_ws ws;
    float *cos_t, *sin_t;            /* RoPE [tcap, D/2] */
    int tcap;
    char dir[512];                   /* the model folder loaded */
};

/* Loads DIR (config.json + safetensors) for training with opts; all on pool (borrowed, may be
 * NULL). LoRA A is initialized as PEFT does (uniform(+-1/sqrt(K)), seeded), B = 0. The caller
 * frees with dp_qt_free. */
int dp_qt_load(struct dp_qt *m, const char *dir, const struct dp_qt_opts *o, struct dp_pool *pool,
               struct dp_error *e);
void dp_qt_free(struct dp_qt *m);

/* The parameter named name, or NULL. */
const struct dp_qt_param *dp_qt_find(const struct dp_qt *m, const char *name);
/* Sets gradients to zero (lazily: matrices are written by the next backward). */
void dp_qt_zero_grad(struct dp_qt *m);
/* Marks the parameters changed (after an optimizer step or a load): packs are refreshed before
 * the next forward. */
void dp_qt_params_changed(struct dp_qt *m);

/* Forward over the batch: logp[s] = sum of log p(ids[t] | ids[<t]) over completion tokens,
 * ntok[s] their count. train: keep what the backward needs; false: inference only. DP_ERANGE
 * for ids outside the vocabulary or sequences longer than the RoPE table allows (max_pos). */
int dp_qt_forward(struct dp_qt *m, const struct dp_qt_batch *b, bool train, double *logp, int *ntok,
                  struct dp_error *e);
/* Backward of the last training forward with g[s] = dL/dlogp[s]: gradients accumulate into
 * m->grads (see dp_qt_zero_grad). */
void dp_qt_backward(struct dp_qt *m, const double *g);

/* Writes the model as a Hugging Face safetensors file: every tensor of the source folder in its
 * source dtype (full: from the masters, rounded to nearest even; LoRA: W + scale B A merged for
 * adapted weights, other tensors copied byte for byte). */
int dp_qt_export(const struct dp_qt *m, const char *path, struct dp_error *e);
/* Writes a PEFT adapter folder (adapter_config.json, adapter_model.safetensors). LoRA only. */
int dp_qt_export_adapter(const struct dp_qt *m, const char *dir, struct dp_error *e);
/* Writes every trainable parameter (fp32) and, when grads, every gradient as "grad:NAME"
 * (for tests). */
int dp_qt_dump(const struct dp_qt *m, const char *path, bool grads, struct dp_error *e);

#endif
