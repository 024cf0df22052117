/* Running the scanner: the rule registry (rules.def) in Bandit's test order, the test selection
 * of a profile and -t/-s (Bandit's _get_filter, B001 standing for every blacklist row), file
 * discovery as Bandit's discover_files, and the scan of many files on N threads whose results
 * come back in the order of the paths, whatever thread scanned them. */
#include "scan/scan_int.h"
#include "base/log.h"
#include "py/ast_meta.h"
#include <assert.h>
#include "scan/rules/blacklist.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DP_RULE(ID, name, profile) extern const struct dp_scan_rule dp_rule_##ID;
#include "scan/rules.def"
#undef DP_RULE
static const struct dp_scan_rule *const all_rules[] = {
#define DP_RULE(ID, name, profile) &dp_rule_##ID,
#include "scan/rules.def"
#undef DP_RULE
    NULL};

/* ---------------------------------------------------------------- rule selection */

/* Bandit's plugins run in entry-point order (alphabetical by test name), its built-in blacklist
 * (B001) after them; dpoison's rules come last, by id. */
static int rule_order(const void *pa, const void *pb)
{
    const struct dp_scan_rule *a = *(const struct dp_scan_rule *const *)pa;
    const struct dp_scan_rule *b = *(const struct dp_scan_rule *const *)pb;
    int ga = !a->bandit ? 2 : !strcmp(a->id, "B001") ? 1 : 0;
    int gb = !b->bandit ? 2 : !strcmp(b->id, "B001") ? 1 : 0;
    if (ga != gb) return ga - gb;
    return ga == 0 ? strcmp(a->name, b->name) : strcmp(a->id, b->id);
}

static void put_str(struct dp_map *m, const char *k, const char *v) { dp_map_put(m, k, strlen(k), (void *)v); }

/* Adds each comma-separated item of csv (ids or names) to set as ids; unknown ones to warn.
 * Returns the number of items given (known or not): Bandit filters by an include list of unknown
 * ids too, and then runs nothing. */
static int parse_set(struct dp_scanner *s, const char *csv, struct dp_map *set, struct dp_sbuf *warn)
{
    int items = 0;
    if (!csv) return 0;
    const char *p = csv;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len) {
            items++;
            void **id = dp_map_get(&s->known, p, len);
            if (id) put_str(set, (const char *)*id, (const char *)*id);
            else dp_sbuf_printf(warn, "Unknown test found in profile: %.*s\n", (int)len, p);
        }
        if (!e) break;
        p = e + 1;
    }
    return items;
}

static void add_known(struct dp_scanner *s, const char *id, const char *name)
{
    put_str(&s->known, id, id);
    if (name && !dp_map_get(&s->known, name, strlen(name))) put_str(&s->known, name, id);
}

static int select_tests(struct dp_scanner *s, const struct dp_scan_config *cfg, struct dp_sbuf *warn,
                        struct dp_error *e)
{
    struct dp_map inc, exc;
    dp_map_init(&inc);
    dp_map_init(&exc);
    bool have_inc = parse_set(s, cfg->tests, &inc, warn) > 0;
    parse_set(s, cfg->skips, &exc, warn);
    for (int pass = 0; pass < 2; pass++) {   /* B001 stands for every blacklist row */
        struct dp_map *m = pass ? &exc : &inc;
        if (!dp_map_get(m, "B001", 4)) continue;
        const struct dp_scan_blacklist *tables[2] = {dp_blacklist_calls, dp_blacklist_imports};
        for (int t = 0; t < 2; t++)
            for (const struct dp_scan_blacklist *r = tables[t]; r->id; r++) put_str(m, r->id, r->id);
    }
    int rc = 0;
    for (size_t i = 0; i < inc.cap && !rc; i++)
        if (inc.slots[i].key && dp_map_get(&exc, inc.slots[i].key, inc.slots[i].keylen))
            rc = dp_error_set(e, DP_EINVAL, "", 0, 0, "non-exclusive include/exclude test sets: %s",
                              inc.slots[i].key);
    /* every known id that is in the profile, in -t when given, and not in -s */
    for (size_t i = 0; i < s->known.cap && !rc; i++) {
        const struct dp_map_slot *sl = &s->known.slots[i];
        if (!sl->key || strcmp(sl->key, (const char *)sl->val) || !strcmp(sl->key, "B001")) continue;
        if (cfg->bandit_only && sl->key[0] != 'B') continue;
        if (have_inc && !dp_map_get(&inc, sl->key, sl->keylen)) continue;
        if (dp_map_get(&exc, sl->key, sl->keylen)) continue;
        put_str(&s->enabled, sl->key, sl->key);
        s->nenabled++;
    }
    dp_map_free(&inc);
    dp_map_free(&exc);
    return rc;
}

int dp_scanner_new(const struct dp_scan_config *cfg, struct dp_scanner **out, struct dp_error *e)
{
    struct dp_scanner *s = dp_xcalloc(1, sizeof *s);
    s->cfg = *cfg;
    for (int k = 0; k < DP_PY_KIND_COUNT; k++) {
        s->is_stmt[k] = dp_py_kind_category(k) == DP_PY_CAT_STMT;
        const struct dp_py_kind_info *ki = dp_py_kind_info(k);
        for (int i = 0; i < ki->nfields; i++) {
            const struct dp_py_field *fd = &ki->fields[i];
            bool list = fd->type == DP_PY_FT_T_LIST;
            if (!list && fd->type != DP_PY_FT_T_NODE && fd->type != DP_PY_FT_T_OPT) continue;
            assert(s->nchild[k] < 8);
            s->child[k][s->nchild[k]].offset = fd->offset;
            s->child[k][s->nchild[k]++].list = list;
        }
    }
    if (s->cfg.context_lines == 0) s->cfg.context_lines = 3;
    dp_map_init(&s->enabled);
    dp_map_init(&s->known);
    const struct dp_scan_rule *sorted[256];
    int nr = 0;
    for (int i = 0; all_rules[i]; i++) {
        if (nr == 256) {
            dp_scanner_free(s);
            return dp_error_set(e, DP_ERANGE, "", 0, 0, "more than 256 rules in rules.def");
        }
        sorted[nr++] = all_rules[i];
    }
    qsort(sorted, (size_t)nr, sizeof sorted[0], rule_order);
    for (int i = 0; i < nr; i++)   /* B001's name is not a plugin name Bandit knows */
        add_known(s, sorted[i]->id, strcmp(sorted[i]->id, "B001") ? sorted[i]->name : NULL);
    const struct dp_scan_blacklist *tables[2] = {dp_blacklist_calls, dp_blacklist_imports};
    for (int t = 0; t < 2; t++)
        for (const struct dp_scan_blacklist *r = tables[t]; r->id; r++) add_known(s, r->id, r->name);
    int rc = select_tests(s, cfg, &s->warn, e);
    if (!rc && s->nenabled == 0)
        rc = dp_error_set(e, DP_EINVAL, "", 0, 0, "no tests would be run (check -t / -s / --profile)");
    if (rc) {
        dp_scanner_free(s);
        return rc;
    }
    bool any_blacklist = false;
    for (int t = 0; t < 2; t++)
        for (const struct dp_scan_blacklist *r = tables[t]; r->id; r++)
            any_blacklist |= dp_map_get(&s->enabled, r->id, strlen(r->id)) != NULL;
    for (int i = 0; i < nr; i++) {
        const struct dp_scan_rule *r = sorted[i];
        bool on = !strcmp(r->id, "B001") ? any_blacklist : dp_map_get(&s->enabled, r->id, strlen(r->id)) != NULL;
        if (on && !r->bandit && !strncmp(r->id, "DP5", 3)) s->tls = true;   /* the module-wide pass */
        if (!on || !r->fn) continue;
        for (int k = 0; k < 4; k++) {
            int kind = r->kinds[k];
            if (kind <= 0 || kind >= DP_SCAN_KIND_COUNT) continue;
            if (s->nby_kind[kind] == DP_SCAN_MAX_PER_KIND) {
                dp_scanner_free(s);
                return dp_error_set(e, DP_ERANGE, "", 0, 0, "more than %d rules for one node kind",
                                    DP_SCAN_MAX_PER_KIND);
            }
            s->by_kind[kind][s->nby_kind[kind]++] = r;
        }
    }
    *out = s;
    return 0;
}

void dp_scanner_free(struct dp_scanner *s)
{
    if (!s) return;
    dp_map_free(&s->enabled);
    dp_map_free(&s->known);
    dp_sbuf_free(&s->warn);
    free(s);
}

int dp_scanner_ntests(const struct dp_scanner *s) { return s->nenabled; }

const char *dp_scanner_warnings(const struct dp_scanner *s) { return s->warn.p ? s->warn.p : ""; }

/* ---------------------------------------------------------------- scanning files */

/* Reads a whole file into buf (reused from file to file, so its pages stay mapped); on failure
 * returns strerror's text (Bandit reports e.strerror). */
static const char *read_all(const char *path, struct dp_sbuf *buf)
{
    dp_sbuf_reset(buf);
    int fd = strcmp(path, "-") ? open(path, O_RDONLY) : 0;
    if (fd < 0) return strerror(errno);
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return strerror(EISDIR);
    }
    dp_sbuf_reserve(buf, S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536);
    for (;;) {
        if (buf->n + 1 >= buf->cap) dp_sbuf_reserve(buf, buf->cap);
        ssize_t k = read(fd, buf->p + buf->n, buf->cap - buf->n - 1);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            int err = errno;
            if (fd) close(fd);
            return strerror(err);
        }
        if (k == 0) break;
        buf->n += (size_t)k;
    }
    if (fd) close(fd);
    buf->p[buf->n] = 0;
    return NULL;
}

struct pool {
    const struct dp_scanner *sc;
    char *const *paths;
    int *order;                /* largest files first: the threads finish together */
    int n;
    atomic_int next;
    struct dp_scan_result_file *files;
    struct dp_arena *arenas;
};

struct worker { struct pool *p; int index; };

static void *work(void *arg)
{
    struct worker *w = arg;
    struct pool *p = w->p;
    struct dp_scan_file f;
    struct dp_sbuf buf = {0};
    dp_scan_file_init(&f, p->sc, &p->arenas[w->index]);
    for (;;) {
        int k = atomic_fetch_add(&p->next, 1);
        if (k >= p->n) break;
        int i = p->order[k];
        const char *path = p->paths[i];
        const char *shown = strcmp(path, "-") ? path : "<stdin>";
        const char *err = read_all(path, &buf);
        if (err) {
            struct dp_scan_result_file *r = &p->files[i];
            memset(r, 0, sizeof *r);
            r->path = dp_arena_strndup(f.keep, shown, strlen(shown));
            r->error = dp_arena_strndup(f.keep, err, strlen(err));
            continue;
        }
        dp_scan_file_run(&f, shown, buf.p, buf.n, &p->files[i]);
    }
    dp_sbuf_free(&buf);
    dp_scan_file_free(&f);
    return NULL;
}

struct sized { long size; int index; };

static int by_size_desc(const void *a, const void *b)
{
    const struct sized *x = a, *y = b;
    if (x->size != y->size) return x->size < y->size ? 1 : -1;
    return x->index - y->index;
}

/* The order in which files are handed out: by decreasing size (results keep the paths' order). */
static int *size_order(char *const *paths, int n)
{
    struct sized *v = dp_xmalloc((size_t)(n > 0 ? n : 1) * sizeof *v);
    for (int i = 0; i < n; i++) {
        struct stat st;
        v[i].index = i;
        v[i].size = strcmp(paths[i], "-") && stat(paths[i], &st) == 0 ? (long)st.st_size : 0;
    }
    qsort(v, (size_t)n, sizeof *v, by_size_desc);
    int *order = dp_xmalloc((size_t)(n > 0 ? n : 1) * sizeof *order);
    for (int i = 0; i < n; i++) order[i] = v[i].index;
    free(v);
    return order;
}

int dp_scan_paths(const struct dp_scanner *s, char *const *paths, int n, int threads,
                  struct dp_scan_results *out, struct dp_error *e)
{
    memset(out, 0, sizeof *out);
    double t0 = dp_now();
    if (threads <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        threads = c > 0 ? (int)c : 1;
    }
    if (threads > n) threads = n > 0 ? n : 1;
    if (threads > 256) threads = 256;
    struct pool p = {.sc = s, .paths = paths, .n = n};
    p.order = size_order(paths, n);
    atomic_init(&p.next, 0);
    p.files = dp_xcalloc(n > 0 ? (size_t)n : 1, sizeof *p.files);
    p.arenas = dp_xcalloc((size_t)threads, sizeof *p.arenas);
    for (int i = 0; i < threads; i++) dp_arena_init(&p.arenas[i], 1 << 16);
    struct worker ws[256];
    pthread_t tid[256];
    int started = 0;
    for (int i = 0; i < threads; i++) ws[i] = (struct worker){&p, i};
    for (int i = 1; i < threads; i++) {
        if (pthread_create(&tid[i], NULL, work, &ws[i]) != 0) break;
        started = i;
    }
    work(&ws[0]);
    for (int i = 1; i <= started; i++) pthread_join(tid[i], NULL);
    free(p.order);
    out->files = p.files;
    out->nfiles = n;
    out->arenas = p.arenas;
    out->narenas = threads;
    out->seconds = dp_now() - t0;
    (void)e;
    return 0;
}

void dp_scan_buffer(const struct dp_scanner *s, const char *path, const char *data, size_t n,
                    struct dp_scan_results *out)
{
    memset(out, 0, sizeof *out);
    out->arenas = dp_xcalloc(1, sizeof *out->arenas);
    out->narenas = 1;
    dp_arena_init(&out->arenas[0], 1 << 16);
    out->files = dp_xcalloc(1, sizeof *out->files);
    out->nfiles = 1;
    struct dp_scan_file f;
    dp_scan_file_init(&f, s, &out->arenas[0]);
    dp_scan_file_run(&f, path, data, n, &out->files[0]);
    dp_scan_file_free(&f);
}

void dp_scan_results_free(struct dp_scan_results *r)
{
    for (int i = 0; i < r->narenas; i++) dp_arena_free(&r->arenas[i]);
    free(r->arenas);
    free(r->files);
    memset(r, 0, sizeof *r);
}
