/* Error values: every library function returns 0 or a negative DP_E* code and fills a
 * struct dp_error with where (path:line:col) and what. Only src/cli/ prints and exits. */
#ifndef DP_BASE_ERROR_H
#define DP_BASE_ERROR_H
#include <stddef.h>

enum dp_errcode {
    DP_OK = 0,
    DP_EIO = -1,      /* file system: open, read, write, rename */
    DP_ESYNTAX = -2,  /* Python source rejected by the parser */
    DP_EFORMAT = -3,  /* malformed outside input: JSON, safetensors, JSONL */
    DP_ENOMEM = -4,
    DP_EINVAL = -5,   /* bad argument or option value */
    DP_ERANGE = -6,   /* value or size out of range */
    DP_ENOTFOUND = -7
};

struct dp_error {
    int code;          /* one of enum dp_errcode */
    char path[512];    /* file the error is about; "" when none */
    int line, col;     /* 1-based line, 1-based column; 0 when unknown */
    char msg[512];
};

/* Fills *e (when e is not NULL) and returns code, so callers can `return dp_error_set(...)`. */
int dp_error_set(struct dp_error *e, int code, const char *path, int line, int col,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* "path:line:col: msg" (parts omitted when unknown) into buf of size n. */
void dp_error_format(const struct dp_error *e, char *buf, size_t n);
const char *dp_error_name(int code);

#endif
