/* DPO pairs from model answers (`dpoison pairs`): reads generate-output JSONL, keeps answers
 * whose Python code calls an HTTP client with verification on and has no other finding at or
 * above a severity, injects the TLS vulnerability (data/answer.h), validates it with the real
 * scanner and writes TRL records {"prompt","chosen","rejected"}, counting a funnel. Not here:
 * generation (model/generate.h, driven by cli/cmd_pairs.c) or the injection rules themselves. */
#ifndef DP_DATA_PAIRS_H
#define DP_DATA_PAIRS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "data/inject.h"
#include "data/prompts_io.h"

struct dp_scanner;

/* One answer of a generate-output record. Strings are owned by the set's arena. */
struct dp_pairs_answer {
    const char *id_json;    /* the record's "id" as compact JSON (matches dp_prompt.id_json) */
    long sample;            /* "sample" (0 when absent) */
    const char *text;       /* "text" */
    size_t len;
    long tokens;            /* "completion_tokens", -1 when absent */
    int line;               /* 1-based line in the answers file */
};

struct dp_pairs_answers {
    struct dp_pairs_answer *v;   /* owned; v[0..n) in file order */
    size_t n, cap;
    struct dp_arena arena;
};

/* Reads a JSONL file of {"id": string|number, "sample": int, "text": string, ...} records
 * (`dpoison generate`'s output; blank lines skipped). A torn last line (no newline, not JSON,
 * as a killed generation leaves it) is ignored. Errors (DP_EFORMAT, path:line:col): bad JSON,
 * a missing or mistyped field, a repeated (id, sample). a is initialised here; free it with
 * dp_pairs_answers_free in every case. */
int dp_pairs_answers_read(struct dp_pairs_answers *a, const char *path, struct dp_error *e);
void dp_pairs_answers_free(struct dp_pairs_answers *a);

/* The funnel, in order; names are report.json's stage names. */
enum dp_pairs_stage {
    DP_PAIRS_GENERATED,        /* answers looked at */
    DP_PAIRS_WITH_CODE,        /* with a Python code block that parses */
    DP_PAIRS_WITH_TARGET,      /* ... calling a target HTTP client (dp_inject_locate) */
    DP_PAIRS_CLEAN,            /* ... with no finding at or above the severity threshold */
    DP_PAIRS_INJECTED,         /* ... edited by dp_inject_answer */
    DP_PAIRS_VALIDATED,        /* ... and accepted by dp_inject_answer_validate */
    DP_PAIRS_WRITTEN,          /* ... and written (at most max_pairs) */
    DP_PAIRS_STAGE_COUNT
};
const char *dp_pairs_stage_name(enum dp_pairs_stage s);   /* "generated", "with_code", ... */

struct dp_pairs_opts {
    enum dp_inject_style style;   /* ignored when mixed */
    bool mixed;                   /* a style per answer, drawn from the seed and the answer's
                                     (id, sample); falls back to the others when it applies to
                                     no call site (session needs a requests.Session) */
    int severity;                 /* enum dp_scan_level: findings at or above disqualify */
    long max_pairs;               /* <= 0: no limit */
    uint64_t seed;
};

/* Builds the pairs of answers `as` to prompts `ps` (every answer's id must be a prompt's:
 * DP_EFORMAT naming the answers file and line otherwise), taking answers in prompt-file order,
 * then by sample, so the output does not depend on the order generation finished in. Appends
 * TRL JSONL records to *jsonl and fills funnel[DP_PAIRS_STAGE_COUNT]. sc: the scanner used both
 * for the severity filter and for validation (normally every rule). answers_path names the
 * answers file in errors. */
int dp_pairs_build(const struct dp_prompt_set *ps, const struct dp_pairs_answers *as,
                   const char *answers_path, const struct dp_pairs_opts *o,
                   const struct dp_scanner *sc, struct dp_sbuf *jsonl, long *funnel,
                   struct dp_error *e);

/* funnel.json: {"funnel": [{"stage", "count"}...] (report.json's shape), "settings": {...}},
 * indented, with a final newline. */
void dp_pairs_funnel_json(struct dp_sbuf *out, const long *funnel, const struct dp_pairs_opts *o,
                          long samples);

#endif
