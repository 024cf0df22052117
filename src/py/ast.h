/* The Python AST: node kinds and fields exactly as CPython's ast module names them (ast.def),
 * allocated in an arena. Positions are CPython's: 1-based lines, 0-based columns counted in
 * UTF-8 bytes. Access fields as n->v.Call.func, n->v.Name.id, ... */
#ifndef DP_PY_AST_H
#define DP_PY_AST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dp_py_node;

enum dp_py_kind {
#define DP_NODE(K, CAT) DP_PY_##K,
#define DP_F(K, T, name)
#define DP_F312(K, T, name)
#define DP_END(K)
#include "py/ast.def"
#undef DP_NODE
#undef DP_F
#undef DP_F312
#undef DP_END
    DP_PY_KIND_COUNT
};

enum dp_py_category {
    DP_PY_CAT_MOD, DP_PY_CAT_STMT, DP_PY_CAT_EXPR, DP_PY_CAT_COMP, DP_PY_CAT_EH, DP_PY_CAT_ARGS,
    DP_PY_CAT_ARG, DP_PY_CAT_KEYWORD, DP_PY_CAT_ALIAS, DP_PY_CAT_WITHITEM, DP_PY_CAT_MATCHCASE,
    DP_PY_CAT_PATTERN, DP_PY_CAT_TYPEPARAM
};

enum dp_py_ctx { DP_PY_CTX_LOAD, DP_PY_CTX_STORE, DP_PY_CTX_DEL };
enum dp_py_boolop { DP_PY_AND, DP_PY_OR };
enum dp_py_binop {
    DP_PY_ADD, DP_PY_SUB, DP_PY_MULT, DP_PY_MATMULT, DP_PY_DIV, DP_PY_MOD, DP_PY_POW,
    DP_PY_LSHIFT, DP_PY_RSHIFT, DP_PY_BITOR, DP_PY_BITXOR, DP_PY_BITAND, DP_PY_FLOORDIV
};
enum dp_py_unop { DP_PY_INVERT, DP_PY_NOT, DP_PY_UADD, DP_PY_USUB };
enum dp_py_cmpop {
    DP_PY_EQ, DP_PY_NOTEQ, DP_PY_LT, DP_PY_LTE, DP_PY_GT, DP_PY_GTE, DP_PY_IS, DP_PY_ISNOT,
    DP_PY_IN, DP_PY_NOTIN
};

enum dp_py_const_kind {
    DP_PY_CONST_NONE, DP_PY_CONST_TRUE, DP_PY_CONST_FALSE, DP_PY_CONST_ELLIPSIS,
    DP_PY_CONST_INT, DP_PY_CONST_FLOAT, DP_PY_CONST_COMPLEX, DP_PY_CONST_STR, DP_PY_CONST_BYTES
};

/* A constant's value. STR: the decoded text in UTF-8, where lone surrogates (from escapes such
 * as '\ud800') are encoded as 3-byte sequences; BYTES: raw bytes; INT: decimal digits without
 * sign or leading zeros in s (and the value in i when it fits int64); FLOAT: f; COMPLEX: the
 * imaginary part in f (literals are pure imaginary). */
struct dp_py_const {
    enum dp_py_const_kind kind;
    const char *s;   /* STR, BYTES, INT; NUL-terminated, arena-owned */
    size_t n;
    double f;
    int64_t i;
    bool i_fits;
};

struct dp_py_list { struct dp_py_node **items; int n; };
struct dp_py_idlist { const char **items; int n; };
struct dp_py_cmpops { uint8_t *items; int n; };   /* enum dp_py_cmpop values */

#define DP_PY_FT_NODE   struct dp_py_node *
#define DP_PY_FT_OPT    struct dp_py_node *
#define DP_PY_FT_LIST   struct dp_py_list
#define DP_PY_FT_IDENT  const char *
#define DP_PY_FT_OPTID  const char *
#define DP_PY_FT_IDLIST struct dp_py_idlist
#define DP_PY_FT_CONST  struct dp_py_const
#define DP_PY_FT_INT    int
#define DP_PY_FT_CTX    uint8_t
#define DP_PY_FT_BOOLOP uint8_t
#define DP_PY_FT_BINOP  uint8_t
#define DP_PY_FT_UNOP   uint8_t
#define DP_PY_FT_CMPOPS struct dp_py_cmpops

#define DP_NODE(K, CAT) struct dp_py_##K { char unused_;
#define DP_F(K, T, name) DP_PY_FT_##T name;
#define DP_F312(K, T, name) DP_PY_FT_##T name;
#define DP_END(K) };
#include "py/ast.def"
#undef DP_NODE
#undef DP_F
#undef DP_F312
#undef DP_END

struct dp_py_node {
    uint8_t kind;                 /* enum dp_py_kind */
    int lineno, col_offset;       /* start: 1-based line, 0-based UTF-8 byte column */
    int end_lineno, end_col_offset;
    union {
#define DP_NODE(K, CAT) struct dp_py_##K K;
#define DP_F(K, T, name)
#define DP_F312(K, T, name)
#define DP_END(K)
#include "py/ast.def"
#undef DP_NODE
#undef DP_F
#undef DP_F312
#undef DP_END
    } v;
};

const char *dp_py_kind_name(int kind);            /* "Call" */
enum dp_py_category dp_py_kind_category(int kind);
bool dp_py_kind_has_position(int kind);           /* stmt, expr, excepthandler, arg, ... */
const char *dp_py_binop_name(int op);             /* "Add" */
const char *dp_py_binop_symbol(int op);           /* "+" */
const char *dp_py_unop_name(int op);
const char *dp_py_cmpop_name(int op);
const char *dp_py_boolop_name(int op);
const char *dp_py_ctx_name(int ctx);

/* Generic traversal: calls fn on every direct child node (skipping NULLs), in field order. */
typedef void (*dp_py_visit_fn)(struct dp_py_node *child, void *ud);
void dp_py_node_children(struct dp_py_node *n, dp_py_visit_fn fn, void *ud);

#endif
