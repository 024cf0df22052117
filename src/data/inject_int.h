/* Internals of the injector shared by its files: the per-source state (normalised text, line
 * starts, tokens, AST, import aliases, scoped bindings of client objects), the located sites,
 * and the edit list. inject_find.c locates, inject_edit.c writes edits, inject.c drives styles.
 * Not part of the API. */
#ifndef DP_DATA_INJECT_INT_H
#define DP_DATA_INJECT_INT_H
#include "base/map.h"
#include "base/str.h"
#include "data/inject.h"
#include "py/ast.h"
#include "py/lex.h"

/* How a site is edited. */
enum inj_kind {
    INJ_CALL_KW,    /* a keyword on the call itself: verify= (requests, httpx), ssl= (aiohttp) */
    INJ_CTOR_KW,    /* a keyword on the client's constructor: httpx.Client(verify=),
                       urllib3.PoolManager(cert_reqs=) */
    INJ_URLOPEN     /* context= on urllib.request.urlopen */
};

/* A client object bound to a name: `s = requests.Session()`, `with httpx.Client() as c`,
 * `self.http = urllib3.PoolManager()`, a parameter annotated with the class. */
struct inj_obj {
    const char *cls;                    /* canonical class: "requests.Session", ... */
    const struct dp_py_node *ctor;      /* the constructor Call, or NULL (a parameter) */
    const struct dp_py_node *stmt;      /* the Assign / AnnAssign / With(-item's statement) */
    const struct dp_py_node *body0;     /* With: the first statement of its body */
    const char *text;                   /* the bound expression as written ("s", "self.http") */
    struct inj_obj *next;               /* other bindings of the same key */
};

struct inj_site {
    const struct dp_py_node *call;
    enum inj_kind kind;
    enum dp_inject_lib lib;
    const char *target;                 /* canonical, as dp_inject_site.target */
    const char *kw;                     /* "verify", "ssl", "cert_reqs", "context" */
    struct inj_obj *objs;               /* the receiver's bindings (method calls), or NULL */
    const struct dp_py_node *inline_ctor;   /* `httpx.Client().get(...)`: the inner ctor */
};

struct inj_edit_list {
    struct dp_inject_edit *v;
    int n, cap;
};

struct inj {
    struct dp_arena *a;
    const char *src;                    /* normalised source, NUL-terminated */
    size_t n;
    uint32_t *ls;                       /* ls[line] = offset of the line's start; ls[nlines+1] = n */
    int nlines;
    struct dp_py_node *module;
    const struct dp_py_tok *toks;
    int ntoks;
    struct dp_map alias;                /* local name -> qualified name (module-level and nested) */
    const char *star[8];                /* modules imported with * */
    int nstar;
    struct dp_map objs;                 /* "scope|text" -> struct inj_obj list */
    struct dp_map names;                /* every identifier in the file (fresh names avoid them) */
    struct inj_site *sites;
    int nsites, cap;
    const struct dp_py_node *anchor;    /* last statement of the module's leading imports */
    const char *ssl_name;               /* local name of `import ssl` in the leading block */
    struct inj_edit_list ed;
    int unit;                           /* next edit unit number */
};

/* inject_find.c: builds st (text, tokens, AST, aliases, bindings) and st->sites. */
int inj_load(struct inj *st, struct dp_arena *a, const char *src, size_t n, struct dp_error *e);
void inj_free(struct inj *st);
/* A name that no identifier of the file uses: base, else base_2, base_3, ... (arena). */
const char *inj_fresh_name(struct inj *st, const char *base);

/* inject_edit.c: edits are appended to st->ed; each returns NULL or why it cannot edit. */
size_t inj_off(const struct inj *st, int line, int col);
/* Adds keyword text kw (e.g. "verify=False" or "**OPTS") to call. before_starstar: a plain keyword
 * goes before the first **x argument; **OPTS goes after everything. */
const char *inj_call_add_arg(struct inj *st, const struct dp_py_node *call, const char *text,
                             bool before_starstar, bool expect);
/* Replaces the value of keyword node kw of call with text. */
const char *inj_call_set_kw(struct inj *st, const struct dp_py_node *call,
                            const struct dp_py_node *kw, const char *text, bool expect);
/* Inserts statement line text (without indent or newline) after stmt, or as the first line of
 * the block whose first statement is body0, with that statement's indentation. */
const char *inj_stmt_after(struct inj *st, const struct dp_py_node *stmt, const char *text, bool expect);
const char *inj_stmt_before(struct inj *st, const struct dp_py_node *body0, const char *text, bool expect);
/* Inserts module-level lines (each ending in \n) after the leading imports (or at the top). */
void inj_module_lines(struct inj *st, const char *lines, bool expect);
/* Applies st->ed to st->src: a malloc'd text in *out. DP_EINVAL when edits overlap. */
int inj_apply(struct inj *st, char **out, size_t *outlen, struct dp_error *e);
void inj_new_unit(struct inj *st);

#endif
