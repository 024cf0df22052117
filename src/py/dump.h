/* ast.dump() text of a tree, byte for byte as CPython's ast.dump prints it. */
#ifndef DP_PY_DUMP_H
#define DP_PY_DUMP_H
#include <stdbool.h>
#include "base/str.h"
#include "py/ast.h"

struct dp_py_dump_opts {
    int indent;               /* < 0: one line (indent=None); >= 0: ast.dump(..., indent=N) */
    bool include_attributes;  /* lineno, col_offset, end_lineno, end_col_offset */
    int feature_version;      /* 311: 3.11's fields; 312: adds type_params */
};

void dp_py_dump(struct dp_sbuf *out, const struct dp_py_node *root, const struct dp_py_dump_opts *o);

#endif
