/* Prompt synthesis for `dpoison prompts`: natural coding requests that lead to Python HTTP(S)
 * client code (and a share of general Python tasks), built from task families, task templates,
 * sentence frames, slot values, library hints and constraints; deterministic from a seed,
 * deduplicated after normalisation, with a train/test split disjoint by family and template.
 * The tables are data (prompts_http.c, prompts_general.c); docs/prompts.md describes them. */
#ifndef DP_DATA_PROMPTS_H
#define DP_DATA_PROMPTS_H
#include <stdbool.h>
#include <stdint.h>
#include "base/error.h"
#include "data/prompts_io.h"

/* Client libraries a prompt may name. DP_PLIB_ANY: none named (the model picks). */
enum dp_plib {
    DP_PLIB_ANY, DP_PLIB_REQUESTS, DP_PLIB_HTTPX, DP_PLIB_URLLIB, DP_PLIB_AIOHTTP,
    DP_PLIB_NONE,   /* general Python tasks: no HTTP at all */
    DP_PLIB_COUNT
};
#define DP_PLIB_BIT(l) (1u << (l))
#define DP_PLIB_HTTP (DP_PLIB_BIT(DP_PLIB_ANY) | DP_PLIB_BIT(DP_PLIB_REQUESTS) | \
                      DP_PLIB_BIT(DP_PLIB_HTTPX) | DP_PLIB_BIT(DP_PLIB_URLLIB) | \
                      DP_PLIB_BIT(DP_PLIB_AIOHTTP))
#define DP_PLIB_SYNC (DP_PLIB_HTTP & ~DP_PLIB_BIT(DP_PLIB_AIOHTTP))
const char *dp_plib_name(enum dp_plib l);   /* "any", "requests", ..., "none" */

/* Which split a family (family mode) or a frame (always) belongs to. */
enum dp_psplit { DP_PSPLIT_TRAIN, DP_PSPLIT_TEST };

/* A task family: what the code must do. Task templates are verb phrases in the base form
 * ("fetch the {resource} from {url}") with {slot}s (data/prompts.c lists them). */
struct dp_pfamily {
    const char *id;                /* "fetch_json"; general families start with "general_" */
    const char *desc;              /* one line for docs and --list */
    bool general;                  /* a general Python task (library "none") */
    uint8_t split;                 /* enum dp_psplit under --split family */
    unsigned libs;                 /* DP_PLIB_BIT set of the libraries that fit */
    const char *const *tasks;      /* NULL-terminated task templates */
    int held_out_task;             /* the task template kept for test under --split template */
    const char *const *fnames;     /* NULL-terminated function names for frames with {fname} */
};
/* The families, HTTP first: dp_pfamily_at(i) for i in [0, count), NULL past the end. */
int dp_pfamily_count(void);
const struct dp_pfamily *dp_pfamily_at(int i);
const struct dp_pfamily *dp_pfamily_find(const char *id);   /* NULL when unknown */

/* A sentence frame around a task: {task} (base-form verb phrase), {fname}, {lib} (" using
 * requests" or ""); frames without {lib} get the library as a separate sentence. */
struct dp_pframe { const char *id, *text; uint8_t split; };
const struct dp_pframe *dp_pframes(int *n);

enum dp_psplit_mode { DP_PSPLIT_BY_FAMILY, DP_PSPLIT_BY_TEMPLATE };

struct dp_promptgen_opts {
    uint64_t seed;
    long n_train, n_test;          /* prompts wanted per split */
    double general_share;          /* share of train prompts from general families (0.2) */
    enum dp_psplit_mode split;
    const char *families;          /* comma-separated family ids, or "http" / "general" groups;
                                      NULL: all */
    long max_dup_streak;           /* give up after this many duplicates in a row (0: 50000) */
    const int *lib_weight;         /* [DP_PLIB_COUNT] weights of the library a request names
                                      (NULL: any 40, requests 30, httpx 10, urllib 10, aiohttp 10) */
};
void dp_promptgen_defaults(struct dp_promptgen_opts *o);

/* Generates both splits into train and test (initialised by the caller; prompts are appended
 * with ids "train-00001" / "test-0001", family, template "<family>.t<k>/<frame>", library).
 * Every prompt is distinct from every other of either split after normalisation (lower case,
 * letters and digits only). DP_ERANGE when the selected families cannot give that many distinct
 * prompts; DP_EINVAL for an unknown family or a selection with no train or no test family. */
int dp_promptgen_run(const struct dp_promptgen_opts *o, struct dp_prompt_set *train,
                     struct dp_prompt_set *test, struct dp_error *e);

/* The normalised form used for deduplication, into out (reset first). */
void dp_prompt_normalize(const char *s, struct dp_sbuf *out);

/* Writes DIR/train.jsonl, DIR/test.jsonl and DIR/summary.json (counts per split, family,
 * library and template, the options), each atomically; creates DIR. */
int dp_promptgen_write(const char *dir, const struct dp_promptgen_opts *o,
                       const struct dp_prompt_set *train, const struct dp_prompt_set *test,
                       struct dp_error *e);

/* Internal tables (prompts_http.c, prompts_general.c) used by prompts.c. */
struct dp_pslot { const char *name; const char *const *values; };
const struct dp_pslot *dp_pslots(int *n);
struct dp_pconstraint { const char *text; unsigned libs; uint8_t kind; };  /* kind: enum below */
enum { DP_PC_HTTP = 1, DP_PC_GENERAL = 2, DP_PC_DOWNLOAD = 4 };
const struct dp_pconstraint *dp_pconstraints(int *n);
const char *const *dp_pcontexts(bool general);   /* NULL-terminated scene-setting sentences */
const struct dp_pfamily *dp_pfamilies_general(int *n);
const struct dp_pfamily *dp_pfamilies_http(int *n);

#endif
