/* struct dp_error helpers. */
#include "base/error.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int dp_error_set(struct dp_error *e, int code, const char *path, int line, int col,
                 const char *fmt, ...)
{
    if (!e) return code;
    e->code = code;
    snprintf(e->path, sizeof e->path, "%s", path ? path : "");
    e->line = line;
    e->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

void dp_error_format(const struct dp_error *e, char *buf, size_t n)
{
    if (e->path[0] && e->line > 0 && e->col > 0)
        snprintf(buf, n, "%s:%d:%d: %s", e->path, e->line, e->col, e->msg);
    else if (e->path[0] && e->line > 0)
        snprintf(buf, n, "%s:%d: %s", e->path, e->line, e->msg);
    else if (e->path[0])
        snprintf(buf, n, "%s: %s", e->path, e->msg);
    else
        snprintf(buf, n, "%s", e->msg);
}

const char *dp_error_name(int code)
{
    switch (code) {
    case DP_OK: return "ok";
    case DP_EIO: return "I/O error";
    case DP_ESYNTAX: return "syntax error";
    case DP_EFORMAT: return "format error";
    case DP_ENOMEM: return "out of memory";
    case DP_EINVAL: return "invalid argument";
    case DP_ERANGE: return "out of range";
    case DP_ENOTFOUND: return "not found";
    }
    return "error";
}
