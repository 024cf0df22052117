/* Next-token cross-entropy training data and micro-batches: `dpoison pretrain` (raw text and
 * code packed into fixed-length blocks, as transformers' run_clm group_texts does) and
 * `dpoison sft` (chat conversations through the ChatML template, loss on the assistant turns
 * only, as TRL's SFTTrainer with assistant_only_loss). */
#ifndef DP_TRAIN_LM_H
#define DP_TRAIN_LM_H
#include <stdbool.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "model/qwen_train.h"
#include "tok/tok.h"

/* One training sequence. Labels: positions t >= max(plen, 1) with mask[t] != 0 (mask NULL:
 * all of them). ids and mask point into the owning dp_lm_data's buffers. */
struct dp_lm_seq {
    const int32_t *ids;
    const uint8_t *mask;
    int len, plen;
    int line;                /* source line (SFT) or block number (pretrain), 1-based */
};

struct dp_lm_data {
    struct dp_lm_seq *v;
    int n;
    long tokens;             /* all tokens of all sequences */
    long labels;             /* tokens that carry a loss */
    int truncated;           /* SFT: conversations cut at max_length */
    int dropped;             /* SFT: records left with no assistant token */
    long leftover;           /* pretrain: tokens after the last full block (not used) */
    int32_t *ids;            /* owned */
    uint8_t *mask;           /* owned (SFT) */
};
void dp_lm_data_free(struct dp_lm_data *d);

/* Pretraining: every file is tokenized whole (special tokens such as <|endoftext|> between
 * documents become their ids), the files are concatenated in the order given, and the stream
 * is cut into blocks of block tokens; the remainder is dropped. max_tokens > 0 stops reading
 * there. DP_EFORMAT when not one block fits. */
int dp_lm_pretrain_load(const char *const *paths, int npaths, struct dp_tok *tok, int block, long max_tokens,
                        struct dp_lm_data *out, struct dp_error *e);

struct dp_sft_opts {
    int max_length;          /* tokens per conversation, the rest cut off (1024; 0: no limit) */
    const char *system;      /* default system prompt (Qwen's); NULL: none */
};
void dp_sft_opts_default(struct dp_sft_opts *o);

/* One SFT record rendered as segments of text, each with or without loss:
 *   {"messages": [...]}                   every assistant turn's content and its <|im_end|>
 *   {"prompt": ..., "completion": ...}    strings (the prompt as one user turn) or message lists
 *   {"text": "..."}                       raw text, all of it
 * Segments come from the arena; the fuzz target runs this alone. */
struct dp_sft_seg { const char *text; bool loss; };
int dp_sft_parse(struct dp_arena *a, const char *line, size_t n, const char *path, int lineno,
                 const struct dp_sft_opts *o, struct dp_sft_seg **segs, int *nsegs, struct dp_error *e);

/* Reads and tokenizes every record of a JSONL file (blank lines skipped). */
int dp_lm_sft_load(const char *path, struct dp_tok *tok, const struct dp_sft_opts *o, struct dp_lm_data *out,
                   struct dp_error *e);

/* Order-sensitive hash of the sequences (ids, labels), for checkpoints and resume. */
uint64_t dp_lm_data_fingerprint(const struct dp_lm_data *d, uint64_t h);

/* Forward and backward of seqs[0..k): loss = mean over their label tokens of -log p; the
 * gradient of scale * loss accumulates into m->grads. *loss and *labels (may be NULL) receive
 * the mean loss and the label count. A batch without labels is skipped (loss 0). */
int dp_lm_micro(struct dp_qt *m, const struct dp_lm_seq *const *seqs, int k, double scale, double *loss,
                long *labels, struct dp_error *e);
/* Mean loss over seqs[0..n) in batches of B, without gradients (evaluation). */
int dp_lm_eval(struct dp_qt *m, const struct dp_lm_seq *seqs, int n, int B, double *loss, struct dp_error *e);

#endif
