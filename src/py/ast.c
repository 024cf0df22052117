/* AST metadata generated from ast.def (kind names, categories, field descriptors), operator
 * names, and a generic child walker. */
#include "py/ast.h"
#include "py/ast_meta.h"
#include <stddef.h>

#define FT(T) DP_PY_FT_T_##T
#define DP_NODE(K, CAT) static const struct dp_py_field fields_##K[] = {
#define DP_F(K, T, name) {#name, FT(T), 0, (uint16_t)(offsetof(struct dp_py_node, v) + offsetof(struct dp_py_##K, name))},
#define DP_F312(K, T, name) {#name, FT(T), 1, (uint16_t)(offsetof(struct dp_py_node, v) + offsetof(struct dp_py_##K, name))},
#define DP_END(K) {0, 0, 0, 0}};
#include "py/ast.def"
#undef DP_NODE
#undef DP_F
#undef DP_F312
#undef DP_END

static const struct dp_py_kind_info kinds[DP_PY_KIND_COUNT] = {
#define DP_NODE(K, CAT) {#K, DP_PY_CAT_##CAT, (uint8_t)(sizeof fields_##K / sizeof fields_##K[0] - 1), fields_##K},
#define DP_F(K, T, name)
#define DP_F312(K, T, name)
#define DP_END(K)
#include "py/ast.def"
#undef DP_NODE
#undef DP_F
#undef DP_F312
#undef DP_END
};

const struct dp_py_kind_info *dp_py_kind_info(int kind)
{
    return kind >= 0 && kind < DP_PY_KIND_COUNT ? &kinds[kind] : NULL;
}

const char *dp_py_kind_name(int kind)
{
    return kind >= 0 && kind < DP_PY_KIND_COUNT ? kinds[kind].name : "?";
}

enum dp_py_category dp_py_kind_category(int kind) { return (enum dp_py_category)kinds[kind].category; }

bool dp_py_kind_has_position(int kind)
{
    switch (kinds[kind].category) {
    case DP_PY_CAT_STMT: case DP_PY_CAT_EXPR: case DP_PY_CAT_EH: case DP_PY_CAT_ARG:
    case DP_PY_CAT_KEYWORD: case DP_PY_CAT_ALIAS: case DP_PY_CAT_PATTERN: case DP_PY_CAT_TYPEPARAM:
        return true;
    default:
        return false;
    }
}

const char *dp_py_binop_name(int op)
{
    static const char *const n[] = {"Add", "Sub", "Mult", "MatMult", "Div", "Mod", "Pow", "LShift",
                                    "RShift", "BitOr", "BitXor", "BitAnd", "FloorDiv"};
    return op >= 0 && op < 13 ? n[op] : "?";
}

const char *dp_py_binop_symbol(int op)
{
    static const char *const n[] = {"+", "-", "*", "@", "/", "%", "**", "<<", ">>", "|", "^", "&", "//"};
    return op >= 0 && op < 13 ? n[op] : "?";
}

const char *dp_py_unop_name(int op)
{
    static const char *const n[] = {"Invert", "Not", "UAdd", "USub"};
    return op >= 0 && op < 4 ? n[op] : "?";
}

const char *dp_py_cmpop_name(int op)
{
    static const char *const n[] = {"Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn"};
    return op >= 0 && op < 10 ? n[op] : "?";
}

const char *dp_py_boolop_name(int op) { return op == DP_PY_AND ? "And" : "Or"; }

const char *dp_py_ctx_name(int ctx)
{
    return ctx == DP_PY_CTX_STORE ? "Store" : ctx == DP_PY_CTX_DEL ? "Del" : "Load";
}

void dp_py_node_children(struct dp_py_node *n, dp_py_visit_fn fn, void *ud)
{
    const struct dp_py_kind_info *k = &kinds[n->kind];
    for (int i = 0; i < k->nfields; i++) {
        const struct dp_py_field *f = &k->fields[i];
        char *base = (char *)n + f->offset;
        if (f->type == DP_PY_FT_T_NODE || f->type == DP_PY_FT_T_OPT) {
            struct dp_py_node *c = *(struct dp_py_node **)base;
            if (c) fn(c, ud);
        } else if (f->type == DP_PY_FT_T_LIST) {
            struct dp_py_list *l = (struct dp_py_list *)base;
            for (int j = 0; j < l->n; j++)
                if (l->items[j]) fn(l->items[j], ud);
        }
    }
}
