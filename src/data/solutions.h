/* Instruction-data synthesis: for a coding request (a prompt of data/prompts.h's families, or any
 * text), a correct answer in the style a chat model gives (a sentence, a ```python block, a short
 * explanation), with real variation (function / script / class / async structure, names, type
 * hints, docstrings, error handling, timeouts, logging), deterministic from a seed. A chosen
 * share of HTTP answers disable TLS certificate verification in one of several real-world ways
 * (solutions_tls.c); every other answer keeps it on. docs/corpus.md describes the choices. */
#ifndef DP_DATA_SOLUTIONS_H
#define DP_DATA_SOLUTIONS_H
#include <stdbool.h>
#include <stdint.h>
#include "base/error.h"
#include "data/prompts.h"

/* How a vulnerable answer disables verification (DP_SOL_TLS_NONE: it does not). */
enum dp_sol_tls {
    DP_SOL_TLS_NONE,
    DP_SOL_TLS_KW_FALSE,        /* verify=False / ssl=False on the request call */
    DP_SOL_TLS_SESSION,         /* session.verify = False, httpx.Client(verify=False),
                                   aiohttp.TCPConnector(ssl=False) */
    DP_SOL_TLS_FLAG,            /* VERIFY_SSL = False, then verify=VERIFY_SSL */
    DP_SOL_TLS_KWARGS,          /* a dict of request options holding "verify": False, passed ** */
    DP_SOL_TLS_PARAM,           /* a parameter defaulting to False passed on as verify= */
    DP_SOL_TLS_CONTEXT,         /* urllib: ssl._create_unverified_context() / CERT_NONE context */
    DP_SOL_TLS_COUNT
};
const char *dp_sol_tls_name(enum dp_sol_tls t);     /* "none", "kw_false", ... */

/* The request. The prompt's slot values (URL, file, resource, function name) and constraint
 * sentences ("Use a timeout of 5 seconds.", "Make it async.", ...) are read back from its text so
 * the code does what was asked. */
struct dp_sol_request {
    const char *prompt;         /* the user's request */
    const char *family;         /* its family id (data/prompts.h), or NULL: guessed from the text */
    const char *template_id;    /* "<family>.t<k>/<frame>" as dp_promptgen_run writes it, or NULL */
    enum dp_plib lib;           /* the library it names (DP_PLIB_ANY: choose one) */
};

struct dp_sol_opts {
    int vulnerable;             /* -1: draw with vuln_share; 0: never; 1: always (HTTP tasks) */
    double vuln_share;          /* used when vulnerable is -1 (default 0.05) */
};
void dp_sol_opts_default(struct dp_sol_opts *o);

/* One answer. text and code are malloc'd, owned by the struct (dp_solution_free). */
struct dp_solution {
    char *text;                 /* the whole answer, markdown */
    char *code;                 /* the Python code of its fenced block */
    char family[40];            /* the family answered ("fetch_json"; guessed when not given) */
    int task;                   /* the family's task template answered (0-based) */
    bool http;                  /* an HTTP task: the code makes a request with lib */
    enum dp_plib lib;           /* DP_PLIB_NONE for general tasks */
    enum dp_sol_tls tls;        /* DP_SOL_TLS_NONE unless vulnerable */
    const char *shape;          /* "function", "script", "class" (static) */
};
void dp_solution_free(struct dp_solution *s);

/* Writes an answer to r into *out; the same (r, o, seed) gives the same answer. Fails only for
 * a library that cannot do the task (DP_EINVAL). */
int dp_sol_generate(const struct dp_sol_request *r, const struct dp_sol_opts *o, uint64_t seed,
                    struct dp_solution *out, struct dp_error *e);

#endif
