/* Field descriptors of every AST node kind, generated from ast.def: what the dumper and the
 * generic child walker iterate over. Internal to src/py and tools that print trees. */
#ifndef DP_PY_AST_META_H
#define DP_PY_AST_META_H
#include <stdint.h>
#include "py/ast.h"

enum dp_py_ftype {
    DP_PY_FT_T_NODE, DP_PY_FT_T_OPT, DP_PY_FT_T_LIST, DP_PY_FT_T_IDENT, DP_PY_FT_T_OPTID,
    DP_PY_FT_T_IDLIST, DP_PY_FT_T_CONST, DP_PY_FT_T_INT, DP_PY_FT_T_CTX, DP_PY_FT_T_BOOLOP,
    DP_PY_FT_T_BINOP, DP_PY_FT_T_UNOP, DP_PY_FT_T_CMPOPS
};

struct dp_py_field {
    const char *name;
    uint8_t type;       /* enum dp_py_ftype */
    uint8_t since312;   /* only in Python 3.12's field set */
    uint16_t offset;    /* from the start of struct dp_py_node */
};

struct dp_py_kind_info {
    const char *name;
    uint8_t category;   /* enum dp_py_category */
    uint8_t nfields;
    const struct dp_py_field *fields;
};

const struct dp_py_kind_info *dp_py_kind_info(int kind);

#endif
