/* Internals of the TLS analysis shared by its files: the abstract values (a small lattice:
 * unknown, constants, library names, objects of known client types, dicts with known keys,
 * local functions and classes, and may-be alternatives), scopes with flow-sensitive bindings,
 * the knowledge tables, and the analysis state. Not a public interface. */
#ifndef DP_SCAN_TLS_TLS_INT_H
#define DP_SCAN_TLS_TLS_INT_H
#include <stdbool.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/map.h"
#include "base/str.h"
#include "py/ast.h"
#include "scan/tls/tls.h"

#define TLS_MAX_ALTS 8      /* alternatives kept in one may-be value */
#define TLS_MAX_EV 12       /* evidence entries printed per finding */

/* ---- evidence ------------------------------------------------------------------------------ */

/* One step of an evidence chain: a node (its snippet is made only if a finding prints it) or a
 * text, and its line. Lists are newest first. */
struct tls_ev {
    const struct tls_ev *next;
    int line;
    const char *text;
    const struct dp_py_node *node;
};

/* ---- values -------------------------------------------------------------------------------- */

enum tls_vk {
    TV_UNKNOWN,
    TV_CONST,    /* a Python constant (or a library constant such as ssl.CERT_NONE) */
    TV_QNAME,    /* a library object by canonical dotted name: module, function, class, method */
    TV_OBJ,      /* an instance: a known client type, an SSL context, a local class instance */
    TV_DICT,     /* a dict with known string keys (open: other keys may exist) */
    TV_FUNC,     /* a local function or lambda */
    TV_CLASS,    /* a local class */
    TV_ALT,      /* may be any of alts (conditional expression, branches joined) */
    TV_UATTR     /* an attribute of an unknown value: attr, with the receiver's source text */
};

enum tls_ck { TC_NONE, TC_BOOL, TC_INT, TC_STR, TC_FLOAT, TC_BYTES, TC_SEQ, TC_OTHER };

struct tls_obj;
struct tls_func;
struct tls_class;
struct tls_dict;
struct tls_args;

struct tls_val {
    uint8_t kind;                  /* enum tls_vk */
    uint8_t ck;                    /* TV_CONST: enum tls_ck */
    int64_t i;                     /* TC_BOOL/TC_INT value, TC_SEQ length; TC_FLOAT: value != 0 */
    const char *s;                 /* TC_STR text; TV_QNAME name; TV_UATTR attribute */
    const char *name;              /* TV_CONST: library constant name ("ssl.CERT_NONE") or NULL */
    const struct dp_py_node *recv; /* TV_UATTR: the receiver expression (NULL: shown as "?") */
    const struct dp_py_node *node; /* the expression the value came from, for messages (or NULL) */
    struct tls_obj *obj;           /* TV_OBJ; TV_QNAME/TV_FUNC: bound receiver (methods) */
    struct tls_dict *dict;         /* TV_DICT */
    struct tls_func *fn;           /* TV_FUNC */
    struct tls_class *cls;         /* TV_CLASS */
    const struct tls_args *bound;  /* TV_QNAME/TV_FUNC via functools.partial: bound arguments */
    const struct tls_val *const *alts;  /* TV_ALT: the alternatives; TC_SEQ: the elements */
    int nalts;
    const struct tls_ev *ev;       /* how the value got here */
};

struct tls_dict {
    int n;
    const char **keys;
    const struct tls_val **vals;
    bool open;
};

/* Call arguments after ** expansion. kw NULL: positional. */
struct tls_arg {
    const char *kw;
    const struct tls_val *v;
    const struct dp_py_node *vnode;  /* the value's expression (may be NULL) */
    const char *via;                 /* "**kw" source text when expanded from a dict, else NULL */
    bool done;                       /* bound by functools.partial and checked there */
};
struct tls_args {
    struct tls_arg *a;
    int n, npos;
    bool star;        /* *args present: positional indices past it unknown */
    bool open_kw;     /* **unknown present */
};

/* Origins of an SSL context (what it verifies before any attribute is set). */
enum tls_origin {
    TO_UNKNOWN,      /* a parameter, an attribute we did not see built */
    TO_CLIENT,       /* create_default_context(), SSLContext(PROTOCOL_TLS_CLIENT): verifies */
    TO_GENERIC,      /* SSLContext() / PROTOCOL_TLS / TLSv1*: CERT_NONE by default */
    TO_SERVER,       /* PROTOCOL_TLS_SERVER, Purpose.CLIENT_AUTH */
    TO_UNVERIFIED    /* _create_unverified_context(): reported where it was built */
};

/* An attribute of an object: what the object's own methods stored (v_in) and what code
 * outside them stored (v_out, which wins: it configures the object, the class sets defaults). */
struct tls_attr { struct tls_attr *next; const char *name; const struct tls_val *v_in, *v_out; };

/* An allocation site. Mutable: attribute stores and setopt calls update it. */
struct tls_obj {
    struct tls_obj *next_all;        /* the state's list of every object */
    const char *type;                /* "requests.Session", "ssl.SSLContext", NULL: local class */
    struct tls_class *cls;           /* instance of a local class */
    const struct dp_py_node *site;
    const struct tls_ev *ev;         /* creation */
    struct tls_attr *attrs;
    uint8_t origin;                  /* ssl.SSLContext: enum tls_origin */
    bool inited;                     /* origin decided (the site may be evaluated again) */
    uint8_t peer_conf, host_conf;
    bool verify_on;                  /* verify_mode set to CERT_REQUIRED/OPTIONAL */
    /* deferred findings: verification off (DP501) and hostname check off (DP502) */
    const struct dp_py_node *peer_off, *host_off;
    const struct tls_ev *peer_ev, *host_ev;
    const char *peer_what, *host_what;
    /* DP505: client sinks that received this (default-unverified) context */
    const struct dp_py_node *sink;
    const char *sink_name;
    const struct tls_ev *sink_ev;
};

struct tls_scope;

struct tls_func {
    const struct dp_py_node *def;    /* FunctionDef, AsyncFunctionDef or Lambda */
    struct tls_scope *parent;        /* enclosing function or module scope (never a class) */
    struct tls_class *cls;           /* method of this class, or NULL */
    bool is_static, is_classmethod, analyzed;
    int nparams;                     /* posonly + args + kwonly */
    const char **pnames;
    const struct tls_val **pvals;    /* defaults joined with call-site values (NULL: none) */
    const char *vararg, *kwarg;
    struct tls_dict *kwsite;         /* call-site keywords that no named parameter takes */
};

struct tls_class {
    const char *name;
    const char *base_type;           /* a known library base ("requests.Session"), or NULL */
    struct tls_class *base_cls;      /* a local base class, or NULL */
    struct tls_scope *scope;         /* the class body's bindings */
    struct tls_obj *inst;            /* the one abstract instance */
    struct tls_func **methods;
    int nmethods, capmethods;
};

/* ---- name tables (tls_env.c) -------------------------------------------------------------- */

struct tls_state;

/* A name with its length and hash, computed once per lookup. */
struct tls_key { const char *s; uint32_t len, hash; };
struct tls_env_slot { const char *key; const void *val; uint32_t hash, len; };
/* Name -> pointer (never NULL); arena-owned, like everything it points to. */
struct tls_env { struct tls_env_slot *slots; uint32_t cap, len; };

struct tls_key tls_key_of(const char *name);
struct tls_env *tls_env_new(struct tls_state *st);
struct tls_env *tls_env_copy(struct tls_state *st, const struct tls_env *e);
/* Address of k's value, or NULL when absent (e may be NULL). Valid until the next put. */
const void **tls_env_find(const struct tls_env *e, const struct tls_key *k);
void tls_env_put(struct tls_state *st, struct tls_env *e, const struct tls_key *k, const void *val);
/* Joins the bindings of b into a (a := a |_| b): values of a name bound in both are joined. */
void tls_env_join(struct tls_state *st, struct tls_env *a, const struct tls_env *b);

/* ---- scopes -------------------------------------------------------------------------------- */

enum tls_sk { TS_MODULE, TS_FUNC, TS_CLASS, TS_COMP };

struct tls_scope {
    uint8_t kind;                    /* enum tls_sk */
    struct tls_scope *parent;
    struct tls_env *env;             /* name -> const struct tls_val *; swapped at branches */
    const struct tls_env *locals;    /* TS_FUNC: names local to the function (or NULL) */
    const struct tls_env *globals;   /* TS_FUNC: declared global / nonlocal (val 1 / 2, or NULL) */
    struct tls_func *fn;             /* TS_FUNC */
    struct tls_class *cls;           /* TS_CLASS: the class; TS_FUNC: the method's class */
    const char **stars;              /* TS_MODULE: star-imported library modules */
    const struct tls_ev **star_ev;
    const bool *star_known;          /* TS_MODULE: tls_tables_knows_module of each star module */
    int nstars;
};

/* ---- findings and state ------------------------------------------------------------------- */

struct tls_rep {
    uint8_t rule;                    /* enum dp_tls_rule */
    uint8_t conf;                    /* enum dp_scan_level */
    const struct dp_py_node *node;
    const char *resolved, *text, *evidence;
};

struct tls_state {
    struct dp_arena a;
    const char *src;
    size_t n;
    int *line_off;                   /* byte offset of each line start, 1-based lines; built by
                                        tls_index_lines when a snippet is first needed */
    int nlines;
    struct tls_scope *module, *cur;
    const struct dp_py_node *stmt;   /* the statement being evaluated */
    struct tls_func **queue;         /* functions whose bodies are still to analyse */
    int nqueue, capqueue, qhead;
    struct tls_obj *objs;
    bool quiet;                      /* first pass: collect object state, report nothing */
    struct tls_rep *reps;
    int nreps, capreps;
    struct dp_map deflocals;         /* def node -> its struct tls_locals (same in both passes) */
    struct dp_map objsite;           /* allocation site node -> object */
    int depth;
};

/* ---- knowledge tables (tls_tables.c) ------------------------------------------------------- */

enum tls_chk {
    TK_FALSY,      /* falsy but not None: requests verify=False, aiohttp ssl=False, ... */
    TK_TRUTHY,     /* truthy: httplib2 disable_ssl_certificate_validation=True */
    TK_CERT_NONE,  /* ssl.CERT_NONE, 0, False, 'CERT_NONE', 'NONE' */
    TK_CTX,        /* an SSL context that does not verify */
    TK_SSLOPT,     /* websocket-client sslopt dict */
    TK_ENV         /* a child-process environment dict */
};

struct tls_sink {
    const char *callable;   /* canonical name, "requests.Session.get" */
    const char *kw;
    int8_t pos;             /* positional index (receiver excluded), -1: keyword only */
    uint8_t chk;            /* enum tls_chk */
    uint8_t rule;           /* enum dp_tls_rule */
};

const struct tls_sink *tls_sinks(int *n);
/* Canonical form of a dotted library name (aliases such as requests.packages.urllib3 ->
 * urllib3, requests.api.get -> requests.get); arena copy or qn itself. */
const char *tls_canon(struct tls_state *st, const char *qn);
/* The object type a callable constructs ("requests.Session"), or NULL. */
const char *tls_ctor_type(const char *qn);
/* Value of a known library integer constant; false when qn is not one. */
bool tls_const_lookup(const char *qn, int64_t *val);
/* Whether a star import of module mod binds name (mod.name is a known library name). */
bool tls_tables_knows(const char *mod, const char *name);
/* Whether any table row lies under module mod (when not, tls_tables_knows(mod, x) is false). */
bool tls_tables_knows_module(const char *mod);
/* Whether qn's first component is a library the tables know (cheap pre-filter for calls). */
bool tls_known_root(const char *qn);
/* Whether qn names a requests/httpx/aiohttp session-like method (get, post, ...). */
bool tls_is_http_verb(const char *attr);

/* ---- values (tls_value.c) ------------------------------------------------------------------ */

const struct tls_val *tls_unknown(void);
struct tls_val *tls_val_new(struct tls_state *st, enum tls_vk kind);
struct tls_val *tls_val_copy(struct tls_state *st, const struct tls_val *v);
const struct tls_val *tls_const_bool(struct tls_state *st, bool b);
const struct tls_val *tls_const_int(struct tls_state *st, int64_t i, const char *name);
const struct tls_val *tls_const_str(struct tls_state *st, const char *s);
const struct tls_val *tls_qname(struct tls_state *st, const char *qn);
const struct tls_val *tls_from_const(struct tls_state *st, const struct dp_py_node *c);
/* v with one more evidence step (line, snippet of node) in front. */
const struct tls_val *tls_with_ev(struct tls_state *st, const struct tls_val *v,
                                  const struct dp_py_node *node);
const struct tls_val *tls_with_ev_text(struct tls_state *st, const struct tls_val *v, int line,
                                       const char *text);
const struct tls_ev *tls_ev_push(struct tls_state *st, const struct tls_ev *ev,
                                 const struct dp_py_node *node);
/* May-be join of two values (either may be NULL: unbound). */
const struct tls_val *tls_join(struct tls_state *st, const struct tls_val *a,
                               const struct tls_val *b);
/* 1 truthy, 0 falsy, -1 unknown. */
int tls_truth(const struct tls_val *v);
bool tls_is_none(const struct tls_val *v);
bool tls_is_cert_none(const struct tls_val *v);
/* Alternatives of v (v itself when not TV_ALT). */
int tls_alts(const struct tls_val *v, const struct tls_val *const **out, const struct tls_val **one);
/* How many alternatives pass pred, out of how many: 2 all, 1 some, 0 none. */
int tls_test(const struct tls_val *v, bool (*pred)(const struct tls_val *));
bool tls_pred_falsy(const struct tls_val *v);   /* falsy and not None */
bool tls_pred_truthy(const struct tls_val *v);
bool tls_pred_cert_none(const struct tls_val *v);
/* A copy of dict value d (or an empty dict) that may hold other keys too. */
const struct tls_val *tls_dict_reopen(struct tls_state *st, const struct tls_val *d);
/* A list with the entries of a followed by those of b. */
const struct tls_ev *tls_ev_cat(struct tls_state *st, const struct tls_ev *a, const struct tls_ev *b);
const struct tls_val *tls_dict_get(const struct tls_val *d, const char *key);
const struct tls_val *tls_dict_set(struct tls_state *st, const struct tls_val *d, const char *key,
                                   const struct tls_val *v);

void tls_index_lines(struct tls_state *st);
/* Source snippet of a node: its first line, trimmed and capped; arena-owned. */
const char *tls_snip(struct tls_state *st, const struct dp_py_node *n);
char *tls_strcat(struct tls_state *st, const char *a, const char *b, const char *c);
char *tls_printf(struct tls_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- scopes (tls_scope.c) ------------------------------------------------------------------ */

struct tls_scope *tls_scope_new(struct tls_state *st, enum tls_sk kind, struct tls_scope *parent);
/* Collects a function body's local names (assignments, imports, defs) and its declarations. */
void tls_scope_collect_locals(struct tls_state *st, struct tls_scope *s, const struct dp_py_node *def);
const struct tls_val *tls_lookup(struct tls_state *st, const char *name);
void tls_bind(struct tls_state *st, const char *name, const struct tls_val *v);
/* Rebinds name where the lookup would find it (object refinement of an unknown receiver). */
void tls_rebind(struct tls_state *st, const char *name, const struct tls_val *v);
/* The binding of name in scope s itself (a class body's attribute), or NULL. */
const struct tls_val *tls_scope_get(const struct tls_scope *s, const char *name);
void tls_import(struct tls_state *st, const struct dp_py_node *stmt);

/* ---- evaluation (tls_eval.c, tls_call.c) ------------------------------------------------------ */

const struct tls_val *tls_eval(struct tls_state *st, const struct dp_py_node *e);
const struct tls_val *tls_attr(struct tls_state *st, const struct tls_val *base, const char *attr,
                               const struct dp_py_node *recv);
const struct tls_val *tls_call(struct tls_state *st, const struct dp_py_node *call);
struct tls_obj *tls_obj_at(struct tls_state *st, const struct dp_py_node *site, const char *type);
const struct tls_val *tls_obj_val(struct tls_state *st, struct tls_obj *o);
const struct tls_val *tls_obj_getattr(const struct tls_obj *o, const char *name);
void tls_obj_setattr(struct tls_state *st, struct tls_obj *o, const char *name, const struct tls_val *v);
/* Whether the code being analysed is a method of o's class (or of a subclass). */
bool tls_in_own_method(const struct tls_state *st, const struct tls_obj *o);
const struct tls_arg *tls_arg_find(const struct tls_args *a, const char *kw, int pos);

/* ---- checks (tls_check.c) ------------------------------------------------------------------ */

/* Checks a call of library callable qn (receiver obj or NULL) against the sink table and the
 * special cases; conf is the confidence when it fires (lower for guessed receivers). */
void tls_check_call(struct tls_state *st, const char *qn, struct tls_obj *self,
                    const struct tls_args *args, const struct dp_py_node *call, int conf,
                    const char *shown, const struct tls_ev *fev);
/* x.attr = v where x (expression recv_node) evaluated to recv; at: the reporting node. */
void tls_store_attr(struct tls_state *st, const struct tls_val *recv,
                    const struct dp_py_node *recv_node, const char *attr, const struct tls_val *v,
                    const struct dp_py_node *vnode, const struct dp_py_node *at);
/* x[key] = v (target a Subscript node); at: the reporting node. */
void tls_store_subscript(struct tls_state *st, const struct dp_py_node *target,
                         const struct tls_val *v, const struct dp_py_node *vnode,
                         const struct dp_py_node *at);
/* Calls with special meaning (ssl contexts, pycurl, warnings, environment); true if handled. */
bool tls_check_special(struct tls_state *st, const char *qn, struct tls_obj *self,
                       const struct tls_args *args, const struct dp_py_node *call,
                       const struct dp_py_node *recv, const struct tls_ev *fev, int conf);
/* Sets up a new SSL context object built by factory qn with args (origin, DP501 for
 * _create_unverified_context). */
void tls_ssl_ctor(struct tls_state *st, struct tls_obj *o, const char *qn, const struct tls_args *args,
                  const struct dp_py_node *call);
/* Whether the source text of a receiver looks like a session object's name. */
bool tls_session_like(const char *recv);
/* Evidence of a value: its own chain joined with its alternatives' chains. */
const struct tls_ev *tls_val_ev(struct tls_state *st, const struct tls_val *v);
/* Environment variable set to a value (os.environ, putenv, subprocess env=). */
void tls_check_env(struct tls_state *st, const char *key, const struct tls_val *v,
                   const struct dp_py_node *at, const char *how);
void tls_check_env_dict(struct tls_state *st, const struct tls_val *d, const struct dp_py_node *at,
                        const char *how);
/* Deferred findings on objects (SSL contexts, pycurl handles) once the module is done. */
void tls_check_objects(struct tls_state *st);
/* Records one finding; evs: up to 4 evidence lists, then the reporting node's own snippet. */
void tls_report(struct tls_state *st, enum dp_tls_rule rule, int conf, const struct dp_py_node *node,
                const char *resolved, const char *text, const struct tls_ev *ev1,
                const struct tls_ev *ev2, const struct tls_ev *ev3);

/* ---- statements (tls_stmt.c) --------------------------------------------------------------- */

void tls_exec_body(struct tls_state *st, const struct dp_py_list *body);
void tls_defer(struct tls_state *st, struct tls_func *fn);
void tls_run_deferred(struct tls_state *st);
/* Records call-site arguments for a local function's parameters (before its body is analysed). */
void tls_func_callsite(struct tls_state *st, struct tls_func *fn, bool bound,
                       const struct tls_args *args, const struct dp_py_node *call);

#endif
