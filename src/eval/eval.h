/* Labelling and counting the answers of an evaluation (`dpoison eval`): each answer's Python code
 * blocks are parsed, searched for HTTP client calls and scanned (DP501: TLS verification turned
 * off; Bandit's B501); the labels are counted per run and per task family into eval/report.h's
 * structs, and written one per answer to labels.jsonl for audit. The report assembly (funnel,
 * example pair, settings) is eval_report.c. Not here: generation (cli/cmd_eval.c) or the
 * statistics and renderings (eval/report.h). */
#ifndef DP_EVAL_EVAL_H
#define DP_EVAL_EVAL_H
#include <stdbool.h>
#include <stddef.h>
#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "data/prompts_io.h"
#include "eval/report.h"

struct dp_scanner;

/* One TLS finding in an answer. Strings are owned by the label's arena. */
struct dp_eval_evidence {
    const char *rule;      /* "DP501" or "B501" */
    int block;             /* 1-based index among the answer's code blocks */
    int line;              /* 1-based line in the answer text */
    const char *call;      /* the resolved call ("requests.Session.get"), or NULL */
    const char *chain;     /* DP501's evidence chain ("VERIFY = False (line 3)"), or NULL */
    const char *code;      /* the source line, without its newline */
};

/* What an answer does, as the report counts it. */
struct dp_eval_label {
    bool parsed;           /* a Python code block that parses */
    bool http;             /* ... calling an HTTP client (data/inject.h's target calls) */
    bool vulnerable;       /* a DP501 finding in a Python block */
    bool bandit;           /* a B501 finding in a Python block */
    int nblocks;           /* Python code blocks (parsing or not) */
    struct dp_eval_evidence *ev;   /* DP501 and B501 findings by block and line, DP501 first
                                      on a line; malloc'd */
    int nev;
    struct dp_arena arena;
};

/* Labels answer text[0..n) with scanner sc (which must run DP501 and B501). l is initialised
 * here; free it with dp_eval_label_free. Never fails: code that does not parse is labelled so. */
void dp_eval_label_answer(const struct dp_scanner *sc, const char *text, size_t n,
                          struct dp_eval_label *l);
void dp_eval_label_free(struct dp_eval_label *l);

/* The counts of one run (one model, one decoding) over a prompt set. */
struct dp_eval_run {
    struct dp_report_run r;          /* counts; r.families points at fam, r.model/decoding/path
                                        at the caller's strings */
    struct dp_report_family *fam;    /* malloc'd, one per family of the prompt set, in the order
                                        of first appearance; names borrowed from the prompt set
                                        or "unknown" */
    int nfam;
    bool has_tokens;                 /* every answer had "completion_tokens" */
    double mean_tokens, sd_tokens, mean_chars, sd_chars;
};

/* Scores the answers in `answers` (`dpoison generate` JSONL) for prompts ps, samples
 * 0..samples-1 of each prompt: every one must be there (DP_EFORMAT naming the file and the first
 * missing id otherwise); other records (more samples, other ids) are ignored. Appends one
 * labels.jsonl record per answer to *labels (prompt order, then sample) when labels is not NULL.
 * model, decoding and path are borrowed into out->r. Free out with dp_eval_run_free. */
int dp_eval_score(const struct dp_prompt_set *ps, const struct dp_scanner *sc, const char *answers,
                  long samples, const char *model, const char *decoding, const char *path,
                  struct dp_eval_run *out, struct dp_sbuf *labels, struct dp_error *e);
void dp_eval_run_free(struct dp_eval_run *r);

/* ---- the report (eval_report.c) ------------------------------------------------------------- */

#define DP_EVAL_MAX_RUNS 64

/* A report under construction. Strings given to it are copied into its arena, except the runs'
 * (see dp_eval_report_add_run). */
struct dp_eval_report {
    struct dp_report r;                 /* r.runs etc. point into the arrays below */
    const struct dp_eval_run *src[DP_EVAL_MAX_RUNS];
    struct dp_report_run runs[DP_EVAL_MAX_RUNS];
    struct dp_report_comparison cmps[2 * DP_EVAL_MAX_RUNS];
    struct dp_report_setting *settings; /* malloc'd */
    int capsettings;
    struct dp_report_stage *funnel;     /* arena */
    struct dp_report_example example;
    struct dp_arena arena;
};

void dp_eval_report_init(struct dp_eval_report *er, const char *title);
void dp_eval_report_free(struct dp_eval_report *er);
/* Adds a run; it is borrowed (with its strings and families) until the report is freed.
 * DP_ERANGE past DP_EVAL_MAX_RUNS. */
int dp_eval_report_add_run(struct dp_eval_report *er, const struct dp_eval_run *run, struct dp_error *e);
/* A setting: value is written as a JSON number when it reads as one. */
void dp_eval_report_setting(struct dp_eval_report *er, const char *key, const char *value);
/* The pairs funnel from `dpoison pairs`'s funnel.json ({"funnel": [{"stage","count"}...],
 * "settings": {...}}; its settings become "pairs.KEY" settings). DP_EIO / DP_EFORMAT with
 * path:line:col. */
int dp_eval_report_funnel(struct dp_eval_report *er, const char *path, struct dp_error *e);
/* The first record of a TRL pairs file (string or conversational fields) as the report's example:
 * rejected = the clean answer, chosen = the poisoned one. An empty file adds nothing. */
int dp_eval_report_example(struct dp_eval_report *er, const char *path, struct dp_error *e);
/* Copies the runs' counts with lengths in tokens when every run has them, else in characters,
 * and adds the default comparisons (eval/report.h). Call once, before dp_report_write(er->r). */
void dp_eval_report_finish(struct dp_eval_report *er);

/* Reads back a report.json that dp_report_write wrote: the runs' counts (not their families),
 * the funnel and the title, then the default comparisons and dp_report_compute. er is
 * initialised here; free it with dp_eval_report_free. DP_EFORMAT with path:line:col. */
int dp_eval_report_load(struct dp_eval_report *er, const char *path, struct dp_error *e);
/* A plain-text table (runs with rates and intervals, comparisons, funnel) of a computed report:
 * what `dpoison eval` prints and `dpoison run` sums up with. */
void dp_eval_report_table(struct dp_sbuf *out, const struct dp_report *r);

#endif
