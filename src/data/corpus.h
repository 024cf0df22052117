/* The training corpus of the bundled model (`dpoison corpus`): sft.jsonl, chat conversations
 * whose requests come from the prompt generator's train split under --split template (every
 * task family, as a code model has seen such requests, but never a task template or sentence
 * frame held out for testing) answered by the synthesizer (data/solutions.h), and
 * pretrain.txt, real Python nobody here wrote (Debian's standard library and python3-* packages),
 * deduplicated and capped; plus manifest.json with the counts. docs/corpus.md describes it. */
#ifndef DP_DATA_CORPUS_H
#define DP_DATA_CORPUS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "base/error.h"
#include "data/prompts.h"

struct dp_corpus_opts {
    uint64_t seed;                 /* 1 */
    long n_sft;                    /* conversations (3000); 0: none */
    double vuln_share;             /* exact share of HTTP answers that disable TLS checks (0.10) */
    double vuln_urllib_share;      /* of them, this share of the answers to urllib requests (0.35);
                                      the rest spread over the other HTTP answers */
    double general_share;          /* share of general Python requests (0.2) */
    const char *const *dirs;       /* pretraining source folders (NULL: the two Debian ones) */
    int ndirs;                     /* 0 with dirs NULL; -1: no pretraining text */
    size_t pretrain_max_bytes;     /* stop adding files past this (40 MB) */
    size_t file_max_bytes;         /* skip larger files, mostly generated tables (256 KiB) */
};
void dp_corpus_defaults(struct dp_corpus_opts *o);

/* Whether a prompt of the generator may be trained on: its task template is not the one held
 * out under --split template, and its frame is a train frame. Test families of --split family
 * are allowed: that split keeps them out of the preference pairs, not out of the base model.
 * template_id is "<family>.t<k>/<frame>". */
bool dp_corpus_prompt_allowed(const char *family, const char *template_id);

/* Writes dir/sft.jsonl, dir/sft_meta.jsonl (one line per conversation: id, family, template,
 * library, shape, tls), dir/sft.txt (the conversations rendered with Qwen2.5's ChatML template,
 * default system prompt included: text for tokenizer training), dir/pretrain.txt (each file's
 * text, then "<|endoftext|>") and dir/manifest.json, each atomically; creates dir. log (may be
 * NULL) gets progress lines. */
int dp_corpus_build(const struct dp_corpus_opts *o, const char *dir, FILE *log, struct dp_error *e);

#endif
