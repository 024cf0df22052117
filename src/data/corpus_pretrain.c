/* The pretraining text: every .py file under the source folders, in an order shuffled by the
 * seed (so a size cap takes a fair sample of packages, not the first ones alphabetically), minus
 * exact duplicates, files over the size limit, invalid UTF-8 and generated-looking files (a line
 * over 1000 characters); each kept file's text followed by <|endoftext|>. Also counts how many
 * kept files make HTTP requests and how many of those turn TLS verification off (DP501). */
#include "base/file.h"
#include "base/map.h"
#include "base/utf8.h"
#include "data/corpus_int.h"
#include "scan/scan_run.h"
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 1000
#define EOT "<|endoftext|>"

struct file_list {
    char **path;
    size_t n, cap;
};

struct ordered {
    uint64_t key;      /* hash of the path and the seed */
    size_t i;
};

static int collect(const char *path, void *ud)
{
    struct file_list *l = ud;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->path = realloc(l->path, l->cap * sizeof *l->path);
        if (!l->path) abort();
    }
    l->path[l->n++] = strdup(path);
    return 0;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ull;
    x ^= x >> 27;
    x *= 0x81dadef4bc2dd44dull;
    return x ^ (x >> 33);
}

static int by_key(const void *a, const void *b)
{
    const struct ordered *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static bool generated_like(const char *s, size_t n)
{
    size_t line = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') line = 0;
        else if (++line > MAX_LINE) return true;
    }
    return false;
}

static bool calls_http(const char *s)
{
    return strstr(s, "requests.") || strstr(s, "httpx.") || strstr(s, "urlopen(") || strstr(s, "aiohttp.");
}

static int count_dp501(const struct dp_scanner *sc, const char *path, const char *s, size_t n)
{
    struct dp_scan_results r = {0};
    dp_scan_buffer(sc, path, s, n, &r);
    int c = 0;
    for (int i = 0; r.nfiles && i < r.files[0].nissues; i++) c += !strcmp(r.files[0].issues[i].test_id, "DP501");
    dp_scan_results_free(&r);
    return c;
}

int corpus_pretrain(const struct dp_corpus_opts *o, const char *dir, struct corpus_pretrain_stats *st,
                    FILE *log, struct dp_error *e)
{
    const char *const *dirs = o->dirs;
    int ndirs = o->ndirs;
    static const char *const defaults[] = {"/usr/lib/python3.11", "/usr/lib/python3/dist-packages"};
    if (!dirs) { dirs = defaults; ndirs = 2; }
    struct file_list l = {0};
    int rc = 0;
    for (int i = 0; i < ndirs && !rc; i++) {
        if (dp_file_exists(dirs[i]) != 2) {
            if (log) fprintf(log, "corpus: %s: no such folder, skipped\n", dirs[i]);
            continue;
        }
        rc = dp_dir_walk(dirs[i], ".py", collect, &l, e);
    }
    struct ordered *idx = malloc((l.n + 1) * sizeof *idx);
    if (!idx) abort();
    for (size_t i = 0; i < l.n; i++) idx[i] = (struct ordered){mix(dp_hash_bytes(l.path[i], strlen(l.path[i])) ^ o->seed), i};
    qsort(idx, l.n, sizeof *idx, by_key);
    struct dp_scanner *sc = NULL;
    if (!rc) rc = dp_scanner_new(&(struct dp_scan_config){.tests = "DP501"}, &sc, e);
    struct dp_map seen;
    dp_map_init(&seen);
    struct dp_arena keys;
    dp_arena_init(&keys, 1 << 16);
    struct dp_sbuf out = {0};
    for (size_t j = 0; j < l.n && !rc; j++) {
        const char *path = l.path[idx[j].i];
        st->files_seen++;
        if (out.n >= o->pretrain_max_bytes) { st->over_cap++; continue; }
        char *text;
        size_t n;
        struct dp_error fe = {0};
        if (dp_file_read(path, &text, &n, &fe)) { st->not_utf8++; continue; }
        bool keep = false;
        if (n == 0) st->empty++;
        else if (n > o->file_max_bytes) st->too_large++;
        else if (!dp_utf8_valid((const unsigned char *)text, n, NULL) || memchr(text, 0, n)) st->not_utf8++;
        else if (generated_like(text, n)) st->generated_like++;
        else if (strstr(text, EOT)) st->generated_like++;
        else {
            uint64_t key[2] = {dp_hash_bytes(text, n), n};
            if (dp_map_get(&seen, (const char *)key, sizeof key)) st->duplicates++;
            else {
                char *k = dp_arena_alloc(&keys, sizeof key);
                memcpy(k, key, sizeof key);
                dp_map_put(&seen, k, sizeof key, k);
                keep = true;
            }
        }
        if (keep) {
            st->files_kept++;
            dp_sbuf_put(&out, text, n);
            if (text[n - 1] != '\n') dp_sbuf_putc(&out, '\n');
            dp_sbuf_puts(&out, EOT);
            if (calls_http(text)) {
                int d = count_dp501(sc, path, text, n);
                st->http_files++;
                st->http_files_dp501 += d > 0;
                if (strstr(text, "requests.get(")) {
                    st->requests_get_files++;
                    st->requests_get_dp501 += d > 0;
                }
            }
        }
        free(text);
    }
    st->bytes = out.n;
    if (log) fprintf(log, "corpus: pretrain.txt: %ld of %ld files, %.1f MB\n", st->files_kept, st->files_seen,
                     (double)out.n / 1e6);
    struct dp_sbuf p = {0};
    if (!rc) {
        dp_sbuf_printf(&p, "%s/pretrain.txt", dir);
        rc = dp_file_write_atomic(p.p, out.p ? out.p : "", out.n, e);
    }
    dp_sbuf_free(&p);
    dp_sbuf_free(&out);
    dp_map_free(&seen);
    dp_arena_free(&keys);
    dp_scanner_free(sc);
    for (size_t i = 0; i < l.n; i++) free(l.path[i]);
    free(l.path);
    free(idx);
    return rc;
}
