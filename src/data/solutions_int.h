/* Internals of the answer synthesizer, shared by its files: the per-answer state (choices drawn
 * from the seed, the code being written, the imports it needs), the line emitter, and the entry
 * points of the HTTP writer (solutions_http.c, with the per-library calls of solutions_lib.c)
 * and the general-task writer (solutions_general.c). Not part of the API. */
#ifndef DP_DATA_SOLUTIONS_INT_H
#define DP_DATA_SOLUTIONS_INT_H
#include "base/arena.h"
#include "base/rng.h"
#include "base/str.h"
#include "data/solutions.h"

/* Plain `import x` lines, in the order they are written (standard library, then third party);
 * `from x import y` lines go through sol_from_import and are sorted. */
enum sol_import {
    IMP_ARGPARSE, IMP_ASYNCIO, IMP_BASE64, IMP_CSV, IMP_HASHLIB, IMP_JSON, IMP_LOGGING, IMP_OS,
    IMP_RANDOM, IMP_RE, IMP_SHUTIL, IMP_SSL, IMP_SYS, IMP_TIME, IMP_URLLIB_ERROR, IMP_URLLIB_PARSE,
    IMP_URLLIB_REQUEST,
    IMP_AIOHTTP, IMP_HTTPX, IMP_REQUESTS, IMP_URLLIB3,
    IMP_COUNT
};
/* Names taken from typing (written as one `from typing import ...`). */
enum { TY_ANY = 1, TY_DICT = 2, TY_LIST = 4, TY_OPTIONAL = 8, TY_ITERATOR = 16 };

enum sol_shape { SHAPE_FUNC, SHAPE_SCRIPT, SHAPE_CLASS };
enum sol_errors { ERR_NONE, ERR_RETURN_NONE, ERR_RERAISE };

struct sol {
    struct dp_rng rng;
    struct dp_sbuf head;         /* module-level lines after the imports (constants, logger) */
    struct dp_sbuf body;         /* the rest of the module */
    struct dp_sbuf *out;         /* where L() writes: head or body */
    int ind;                     /* indentation level of L() */
    bool imports[IMP_COUNT];
    unsigned typing;
    const char *from_imports[12];/* "from x import y" lines (static strings) */
    int nfrom;

    const char *family;          /* family id answered */
    int k;                       /* its task template */
    bool general;
    const char *slot[32];        /* per dp_pslots() slot: the value the prompt used, or NULL */
    unsigned want;               /* WANT_* constraints read from the prompt */
    int want_secs;               /* "Use a timeout of N seconds." */
    enum dp_plib lib;
    enum dp_sol_tls tls;
    enum sol_shape shape;
    enum sol_errors errors;
    bool is_async;               /* aiohttp, or httpx's AsyncClient */
    bool hints, generics;        /* type hints; builtin generics (dict[str, Any]) over typing's */
    bool doc, logging, session, raise_status, consts, timeout_param, warn_silence;
    bool in_generator;           /* inside a generator: bare `return` only */
    bool ua_done;                /* the HEADERS constant with a User-Agent is written */
    int timeout;                 /* seconds; 0: no timeout argument */
    char timeout_expr[32];       /* how the code spells it: "10", "timeout", "self.timeout" */
    bool json_load;              /* urllib: json.load(resp) rather than json.loads(read()) */
    bool ctx_head;               /* urllib TLS: the context is a module constant */
    bool ctx_ready;              /* urllib TLS: a local `ctx` exists in the function being written */
    const char *r;               /* response variable */
    const char *sess;            /* session / client expression ("session", "self.session") */
    char fname[64];              /* the function (or method) name */
    char cls[64];                /* class name in SHAPE_CLASS */
    char url[256];               /* the URL of the request, from the prompt or drawn */
    char path[128];              /* a file name the request mentions, or drawn */
    const char *prompt;
    unsigned notes;              /* NOTE_* bits: what the explanation talks about */
    struct dp_arena arena;       /* every sol_fmt string, freed with the answer */
};

/* Constraint sentences of dp_pconstraints() found in the prompt. */
enum {
    WANT_TIMEOUT = 1 << 0, WANT_GRACEFUL = 1 << 1, WANT_RAISE = 1 << 2, WANT_NONE_ON_FAIL = 1 << 3,
    WANT_ENV_URL = 1 << 4, WANT_UA = 1 << 5, WANT_SESSION = 1 << 6, WANT_ASYNC = 1 << 7,
    WANT_STREAM = 1 << 8, WANT_HINTS = 1 << 9, WANT_DOC = 1 << 10, WANT_LOG = 1 << 11,
    WANT_SHORT = 1 << 12, WANT_NO_PRINT = 1 << 13, WANT_EXAMPLE = 1 << 14, WANT_EXPLAIN = 1 << 15,
    WANT_MAIN = 1 << 16, WANT_PATHLIB = 1 << 17, WANT_VALUEERROR = 1 << 18, WANT_STDLIB = 1 << 19,
    WANT_FAST = 1 << 20, WANT_SINGLE = 1 << 21
};

enum {
    NOTE_TIMEOUT = 1, NOTE_RAISE = 2, NOTE_SESSION = 4, NOTE_STREAM = 8, NOTE_TRY = 16,
    NOTE_LOGGING = 32, NOTE_ASYNC = 64, NOTE_BACKOFF = 128, NOTE_PAGES = 256, NOTE_ENV = 512,
    NOTE_TLS = 1024
};

/* solutions.c: the emitter. L writes one line at the current indentation (printf format). */
void sol_line(struct sol *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define L(...) sol_line(s, __VA_ARGS__)
void sol_blank(struct sol *s);   /* one blank line before what follows */
void sol_gap(struct sol *s);     /* two blank lines at the top level, one inside a block */
static inline void sol_in(struct sol *s) { s->ind++; }
static inline void sol_out(struct sol *s) { s->ind--; }
void sol_import(struct sol *s, enum sol_import i);
void sol_from_import(struct sol *s, const char *line);   /* "from x import y", a static string */
/* The printf result, kept until the answer is done. */
const char *sol_fmt(struct sol *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Uniform choice of one of n strings / index below n; true with probability p. */
const char *sol_pick(struct sol *s, const char *const *v, int n);
#define PICK(...) sol_pick(s, (const char *const[]){__VA_ARGS__}, \
                           (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)))
int sol_below(struct sol *s, int n);
bool sol_chance(struct sol *s, double p);
/* Type hint text: "dict[str, Any]" or "Dict[str, Any]" (with the import), "" without hints.
 * which: "json", "dict", "list_dict", "list_str", "str", "bool", "int", "float", "none",
 * "bytes", "path". opt: Optional[...] around it. */
const char *sol_hint(struct sol *s, const char *which, bool opt);
/* ": <hint>" / " -> <hint>" or "" when hints are off. */
const char *sol_ann(struct sol *s, const char *which);
const char *sol_ret(struct sol *s, const char *which, bool opt);

/* solutions_lib.c: one HTTP request in the chosen library's idiom. Expressions are Python text;
 * NULL members are left out. */
struct hreq {
    const char *method;          /* "get", "post", "put", "patch", "delete", "head" */
    const char *url;
    const char *params, *headers, *json, *data, *auth;
    const char *files, *fpath;   /* an open binary file to upload, and its path */
    bool stream;                 /* the body is read in chunks */
    int timeout;                 /* 0: the style's */
};
/* Opens the client the task runs in when there is one (requests.Session / httpx.Client when
 * the style wants one, aiohttp.ClientSession always); returns the blocks opened. */
int lib_client_open(struct sol *s);
/* SHAPE_CLASS: the lines of __init__ that make the client (self.session / self.client / an
 * SSL context), with the TLS settings. */
void lib_client_init(struct sol *s);
/* The request; afterwards s->r names the response. Returns the blocks opened (with). */
int lib_send(struct sol *s, const struct hreq *q);
void lib_raise(struct sol *s);               /* raise_for_status() or its equivalent */
const char *lib_json(struct sol *s);          /* expression: the body parsed as JSON */
const char *lib_text(struct sol *s);          /* expression: the body as text */
const char *lib_status(struct sol *s);        /* expression: the status code */
void lib_chunks(struct sol *s, const char *var);   /* "for chunk in ...:" (indents) */
const char *lib_error(struct sol *s);         /* the library's base exception for requests */
/* Module-level lines the TLS choice needs (a VERIFY_SSL flag, a context, warnings off). */
void lib_tls_head(struct sol *s);

/* The phrase ("open support tickets") or slug ("tickets") half of the slot value the prompt
 * used, or def when it used none. */
const char *sol_slot(struct sol *s, const char *name, bool slug, const char *def);

/* solutions_http.c: writes the module for an HTTP task; s->lib is a concrete library. A task
 * is written as a unit: one function (or a method of a class in SHAPE_CLASS) with parameters,
 * whose body the family's writer emits; the unit machinery adds the structure around it. */
struct param {
    const char *name, *hint, *def;   /* hint kind for sol_hint; def: default value or NULL */
    const char *example;             /* the value the usage example passes */
};
struct unit {
    const char *fname;               /* default name (the prompt's wins) */
    const char *cls;                 /* class name in SHAPE_CLASS */
    struct param p[6];
    int np;
    const char *ret;                 /* return hint kind; NULL: None */
    bool ret_opt;                    /* Optional[...]: returns None on failure */
    const char *doc;                 /* docstring text */
    void (*body)(struct sol *s, const struct unit *u);
    const char *show;                /* usage: how to show the result, %s = its variable; NULL:
                                        print it; "" : the call alone */
    bool no_class, generator;
    const char *pre;                 /* a module-level definition written before the unit
                                        (dataclass, helper), lines separated by \n */
};
void sol_http(struct sol *s);
/* Whether the family's task reads well as a method of a client class. */
bool sol_class_ok(const char *family, int k);
void sol_unit(struct sol *s, const struct unit *u);
/* try: / except <the library's error> as exc: log or print, then return None or raise. */
void sol_try(struct sol *s);
void sol_except(struct sol *s, const char *what);
/* lib_send for a method and URL with the rest of q; returns the blocks opened. */
int sol_send(struct sol *s, const char *method, const char *url, const struct hreq *more);
void sol_close(struct sol *s, int blocks);
/* For code outside the unit's function (helpers, CLIs): no verify / timeout parameters. */
void sol_no_params(struct sol *s);
/* Where a result goes: `return expr` in a function. */
void sol_return(struct sol *s, const char *expr);
/* A print(...) or logger.info(...) of an f-string body. */
void sol_say(struct sol *s, const char *fstring_body);
/* The example URL for the task: the prompt's, else one built from its slots. */
const char *sol_url(struct sol *s);
/* Family writers: fill and run a unit. solutions_http.c: fetch_json, download_file, post_json,
 * post_form, upload_file; solutions_http3.c: the rest after concurrent_fetch. */
void sol_http_basic(struct sol *s);
void fam_client(struct sol *s);
void fam_oauth(struct sol *s);
void fam_cookies(struct sol *s);
void fam_rate(struct sol *s);
void fam_query(struct sol *s);
void fam_health(struct sol *s);
void fam_webhook(struct sol *s);
void fam_poll(struct sol *s);
void fam_graphql(struct sol *s);
void fam_cli(struct sol *s);
/* solutions_general.c: writes the module for a general task, from the answer templates of
 * solutions_general_tab.c (generated by tools/ref/solutions_general_gen.py). */
struct sol_gentry {
    const char *family;
    int k;
    const char *fname, *cls, *n;     /* defaults: function name, class name, the {n} value */
    const char *imports, *code, *usage;
};
extern const struct sol_gentry sol_general_tab[];
extern const int sol_general_count;
void sol_general(struct sol *s);
/* The intro sentence and the explanation after the code (solutions_text.c). */
void sol_intro(struct sol *s, struct dp_sbuf *out);
void sol_explain(struct sol *s, struct dp_sbuf *out);

#endif
