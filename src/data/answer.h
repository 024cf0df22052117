/* Model answers as `dpoison pairs` sees them: the Python code blocks of a chat answer (fenced
 * Markdown blocks, CommonMark's fence rules, or the whole answer when it is bare code), and the
 * injection of a whole answer: every Python block edited with data/inject.h, the prose kept, so
 * chosen and rejected differ only in the code. */
#ifndef DP_DATA_ANSWER_H
#define DP_DATA_ANSWER_H
#include <stdbool.h>
#include <stddef.h>
#include "base/error.h"
#include "data/inject.h"

/* A code block: its content is text[start, start + len) (without the fences). */
struct dp_answer_block {
    size_t start, len;
    int line;             /* 1-based line of the content's first line in the answer */
    bool python;          /* info string python/py/python3 (any case), or none */
    bool closed;          /* false: the fence was never closed (a truncated answer) */
};

/* Finds the fenced code blocks of text[0..n) (``` or ~~~, at least 3, indented at most 3
 * spaces; closed by the same character at least as long; an unclosed block runs to the end).
 * When there is no fence at all, the whole text is one block with python = true. *out is
 * malloc'd (caller frees); returns the number of blocks. */
int dp_answer_blocks(const char *text, size_t n, struct dp_answer_block **out);

struct dp_inject_answer {
    char *text;                       /* the poisoned answer (malloc'd), NULL when nothing edited */
    size_t len;
    int nblocks;                      /* Python blocks that parse (the ones injection looks at) */
    int nsites, nedited;              /* target calls in them; sites edited */
    struct dp_inject_result *res;     /* one per Python block that parses, malloc'd */
    struct dp_answer_block *blocks;   /* the same blocks, malloc'd */
};

/* Injects every Python block of the answer in style o. Blocks that do not parse are left alone.
 * 0 when at least one site was edited; DP_ENOTFOUND when there is no parsable Python block or no
 * editable site (e says which); DP_EINVAL on an edit that does not parse. r is initialised here
 * in every case; free it with dp_inject_answer_free. */
int dp_inject_answer(const char *text, size_t n, const struct dp_inject_opts *o,
                     struct dp_inject_answer *r, struct dp_error *e);
/* Validates every edited block (dp_inject_validate); ok only when all are. */
int dp_inject_answer_validate(const struct dp_inject_answer *r, const struct dp_inject_opts *o,
                              dp_inject_scan_fn scan, void *ud, struct dp_inject_verdict *v,
                              struct dp_error *e);
void dp_inject_answer_free(struct dp_inject_answer *r);

#endif
