/* Scanner internals shared by the driver files (scan.c: the visitor and reporting; nosec.c:
 * comments, `# nosec`, line counts and code snippets; names.c: qualified names and imports;
 * run.c: rule selection, files and threads). Not for rules: they include only scan.h. */
#ifndef DP_SCAN_SCAN_INT_H
#define DP_SCAN_SCAN_INT_H
#include "base/str.h"
#include "scan/scan.h"
#include "scan/scan_run.h"

#define DP_SCAN_MAX_PER_KIND 128   /* rules per check type (Call has ~40) */

/* A configured scanner: immutable after dp_scanner_new, shared by all threads. */
struct dp_scanner {
    struct dp_scan_config cfg;
    const struct dp_scan_rule *by_kind[DP_SCAN_KIND_COUNT][DP_SCAN_MAX_PER_KIND];
    int nby_kind[DP_SCAN_KIND_COUNT];
    bool is_stmt[DP_PY_KIND_COUNT];   /* dp_py_kind_category(k) == DP_PY_CAT_STMT */
    /* per kind, the fields that hold child nodes (from ast_meta), in field order: the walk's table */
    struct { uint16_t offset; bool list; } child[DP_PY_KIND_COUNT][8];
    uint8_t nchild[DP_PY_KIND_COUNT];
    struct dp_map enabled;     /* test id -> non-NULL when it runs (rules and blacklist rows) */
    struct dp_map known;       /* id or test name -> id: what `# nosec X` may name */
    bool tls;                  /* run the module-wide DP TLS pass */
    int nenabled;
    struct dp_sbuf warn;       /* "Unknown test found in profile: X\n" lines */
};

/* One `# nosec` comment: the line, and the ids it names (none: a blanket nosec). */
struct dp_scan_nosec {
    int line;
    int nids;
    const char **ids;
};

/* One node on the walk's path, with what Bandit attaches to it. */
struct dp_scan_frame {
    const struct dp_py_node *node;
    const struct dp_py_node *sibling;   /* Bandit's _bandit_sibling (next item of the same list) */
    const struct dp_py_node *stmt;      /* innermost statement at or above this node */
};

/* Per-thread scanning state; the per-file parts are reset by each file. */
struct dp_scan_file {
    const struct dp_scanner *sc;
    struct dp_arena tmp;               /* AST and per-file scratch: reset per file */
    struct dp_arena *keep;             /* results: lives until the results are freed */
    struct dp_map aliases;             /* import alias -> qualified name */
    struct dp_map imports;             /* imported names (a set; value = key) */
    const char **imp_list;             /* the same names in the order they were first imported */
    int nimp, capimp;
    struct { const char *module, *ptr; int checked; bool found; } like[16];   /* imported_like cache */
    int nlike;
    struct dp_sbuf sb;                 /* scratch for names */
    struct dp_sbuf ns;                 /* Bandit's namespace: module.Class.func */
    struct dp_scan_frame *frames;
    int nframes, capframes;
    const struct dp_py_node **parents; /* frames' nodes, for ctx->parents */
    /* the file being scanned */
    const char *path;
    const char *raw;                   /* the bytes as read */
    size_t raw_len;
    const char *text;                  /* the decoded text (raw without BOM) */
    size_t text_len;
    const uint32_t *line_start;        /* lazily built: offsets of lines 1..nlines in text */
    int nlines;
    struct dp_scan_nosec *nosec;       /* sorted by line */
    int nnosec;
    /* findings of this file */
    struct dp_scan_issue *issues;
    int nissues, capissues;
    struct dp_scan_metrics m;
};

void dp_scan_file_init(struct dp_scan_file *f, const struct dp_scanner *sc, struct dp_arena *keep);
void dp_scan_file_free(struct dp_scan_file *f);
/* Scans one buffer into out (strings in f->keep). Never fails: a file that does not parse gets
 * out->error set, as Bandit lists it under errors[]. */
void dp_scan_file_run(struct dp_scan_file *f, const char *path, const char *data, size_t n,
                      struct dp_scan_result_file *out);

/* nosec.c */
long dp_scan_count_loc(const char *s, size_t n);
/* Finds the `# nosec` comments of f->text into f->nosec (tmp arena). */
void dp_scan_find_nosec(struct dp_scan_file *f);
/* The first nosec entry on a line in [first, last], or NULL. */
const struct dp_scan_nosec *dp_scan_nosec_in(const struct dp_scan_file *f, int first, int last);
/* Bandit's Issue.get_code: numbered lines around lineno (context_lines, the range's length). */
const char *dp_scan_code(struct dp_scan_file *f, int lineno, int nrange, int context_lines);
/* Bandit's docs_utils.get_url for an id (rule may be NULL for blacklist rows). */
const char *dp_scan_more_info(struct dp_arena *a, const struct dp_scan_rule *rule, const char *test_id,
                              const char *test_name);

/* names.c */
void dp_scan_map_clear(struct dp_map *m);
/* Updates aliases and imports for an Import / ImportFrom node, as Bandit's visitor does. */
void dp_scan_note_import(struct dp_scan_file *f, const struct dp_py_node *n);
/* get_call_name: the qualified name of a call's function ("" when none), in the tmp arena. */
const char *dp_scan_call_name(struct dp_scan_file *f, const struct dp_py_node *call);
/* Bandit's module qualified name from a path (pkg.sub.mod while __init__.py files are found). */
void dp_scan_module_qualname(const char *path, struct dp_sbuf *out);

#endif
