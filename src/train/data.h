/* Preference pairs from TRL's JSONL into token ids, as TRL's DPOTrainer prepares them:
 * {"prompt", "chosen", "rejected"} as strings or as conversational message lists (also the
 * implicit-prompt form with only "chosen"/"rejected" conversations sharing a prefix); the chat
 * template on the prompt (ChatML with Qwen's default system prompt; plain-string records go
 * through it as one user turn unless raw); completions that end with exactly one <|im_end|>
 * (TRL appends an eos after the template's own <|im_end|>\n: we do not double it); prompt,
 * completion and total-length truncation as TRL does it (see dp_pairs_opts). */
#ifndef DP_TRAIN_DATA_H
#define DP_TRAIN_DATA_H
#include <stdbool.h>
#include "base/arena.h"
#include "base/error.h"
#include "tok/tok.h"
#include "train/dpo.h"

struct dp_pairs_opts {
    int max_length;              /* prompt + completion (TRL: 1024); 0: no limit */
    int max_prompt_length;       /* keeps the prompt's last tokens (TRL: 512); 0: no limit */
    int max_completion_length;   /* keeps the completion's first tokens; 0: no limit */
    bool keep_start;             /* past max_length: drop the end (TRL keep_start), else the start */
    bool raw;                    /* no chat template for plain-string records (TRL's behaviour) */
    const char *system;          /* default system prompt; NULL: none */
};
void dp_pairs_opts_default(struct dp_pairs_opts *o);

/* One record rendered to text: the prompt (template applied) and the completions. end_*: the
 * completion text already ends with the end-of-turn token, so none is appended. All strings
 * come from the arena. */
struct dp_pair_text {
    const char *prompt, *chosen, *rejected;
    bool end_chosen, end_rejected;
};
/* Parses one JSONL line (path and lineno name it in errors: DP_EFORMAT path:line:col). */
int dp_pair_parse(struct dp_arena *a, const char *line, size_t n, const char *path, int lineno,
                  const struct dp_pairs_opts *o, struct dp_pair_text *out, struct dp_error *e);

/* A JSON list of {"role", "content"} messages (content: a string or a list of text parts) into
 * arena-allocated messages; key names the list in errors. */
struct dp_json;
struct dp_chat_msg;
int dp_train_msgs(struct dp_arena *a, const struct dp_json *arr, const char *path, const char *key,
                  struct dp_chat_msg **v, size_t *n, struct dp_error *e);

struct dp_pairs {
    struct dp_pair *v;           /* malloc'd; each pair's sequences malloc'd */
    int n;
    int dropped;                 /* records whose completions were truncated away entirely */
    int truncated;               /* sequences shortened by one of the limits */
    long tokens;                 /* total tokens of all sequences */
};
/* Reads and tokenizes every record of path (blank lines skipped). The end-of-turn id is
 * <|im_end|> when the tokenizer has it, else its eos token. Free with dp_pairs_free. */
int dp_pairs_load(const char *path, struct dp_tok *tok, const struct dp_pairs_opts *o, struct dp_pairs *out,
                  struct dp_error *e);
void dp_pairs_free(struct dp_pairs *p);

#endif
