/* safetensors reader (mmap + validation, single or sharded) and atomic writer. Validation
 * follows the Rust reference implementation: header length bounded by the file and by 100 MB,
 * a JSON object of known dtypes with non-negative shapes, numel x dtype size equal to the
 * offsets' span, spans inside the data area and not overlapping, no duplicate names. */
#include "nn/safetensors.h"
#include "base/file.h"
#include "base/json.h"
#include "base/str.h"
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define ST_MAX_HEADER (100u << 20)

struct dp_st_file {
    const char *path;      /* arena */
    void *map;             /* mmap'd (owned when mapped) */
    size_t size;
    int mapped;
};

struct span { uint64_t begin, end; size_t idx; };

/* DP_EFORMAT "file: tensor 'name': msg" (or "file: msg" when name is NULL). */
static int bad(struct dp_error *e, const char *file, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(struct dp_error *e, const char *file, const char *name, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (name) return dp_error_set(e, DP_EFORMAT, file, 0, 0, "tensor '%.200s': %s", name, msg);
    return dp_error_set(e, DP_EFORMAT, file, 0, 0, "%s", msg);
}

static void shape_str(char *buf, size_t cap, int ndim, const int64_t *shape)
{
    size_t k = (size_t)snprintf(buf, cap, "[");
    for (int i = 0; i < ndim && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%lld", i ? ", " : "", (long long)shape[i]);
    if (k < cap) snprintf(buf + k, cap - k, "]");
}

/* ---------------------------------------------------------------- header parsing */

/* A non-negative JSON integer, or -1. */
static int64_t json_uint(const struct dp_json *v)
{
    if (!v || v->type != DP_JSON_NUM || !v->is_int || v->i < 0) return -1;
    return v->i;
}

static int cmp_span(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    if (x->begin != y->begin) return x->begin < y->begin ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

/* Parses one tensor entry of file f into t (data pointer relative to base, checked later). */
static int parse_entry(const char *file, const char *name, const struct dp_json *v,
                       struct dp_st_tensor *t, uint64_t *begin, uint64_t *end, struct dp_error *e)
{
    if (v->type != DP_JSON_OBJ) return bad(e, file, name, "entry is not an object");
    const struct dp_json *dt = dp_json_get(v, "dtype"), *sh = dp_json_get(v, "shape"),
                         *off = dp_json_get(v, "data_offsets");
    if (!dt || dt->type != DP_JSON_STR) return bad(e, file, name, "missing string 'dtype'");
    int d = dp_dtype_parse(dt->str, dt->len);
    if (d < 0) return bad(e, file, name, "unknown dtype '%.40s'", dt->str);
    if (!sh || sh->type != DP_JSON_ARR) return bad(e, file, name, "missing array 'shape'");
    if (sh->len > DP_ST_MAX_DIMS) return bad(e, file, name, "more than 8 dimensions");
    if (!off || off->type != DP_JSON_ARR || off->len != 2)
        return bad(e, file, name, "'data_offsets' is not an array [begin, end]");
    t->name = name;
    t->dtype = (enum dp_dtype)d;
    t->ndim = (int)sh->len;
    uint64_t numel = 1;
    for (size_t i = 0; i < sh->len; i++) {
        int64_t x = json_uint(sh->items[i]);
        if (x < 0) return bad(e, file, name, "shape holds a value that is not a size");
        t->shape[i] = x;
        if (__builtin_mul_overflow(numel, (uint64_t)x, &numel))
            return bad(e, file, name, "shape overflows");
    }
    uint64_t nbytes;
    if (numel > INT64_MAX || __builtin_mul_overflow(numel, (uint64_t)dp_dtype_size(t->dtype), &nbytes))
        return bad(e, file, name, "shape overflows");
    int64_t b = json_uint(off->items[0]), en = json_uint(off->items[1]);
    if (b < 0 || en < 0 || en < b)
        return bad(e, file, name, "data_offsets must be integers with begin <= end");
    if ((uint64_t)(en - b) != nbytes) {
        char sb[120];
        shape_str(sb, sizeof sb, t->ndim, t->shape);
        return bad(e, file, name, "shape %s x %s = %llu bytes but data_offsets span %llu", sb,
                   dp_dtype_name(t->dtype), (unsigned long long)nbytes,
                   (unsigned long long)(en - b));
    }
    t->numel = (int64_t)numel;
    t->nbytes = (size_t)nbytes;
    *begin = (uint64_t)b;
    *end = (uint64_t)en;
    return 0;
}

static void st_push(struct dp_st *st, const struct dp_st_tensor *t)
{
    if (st->ntensors == st->cap) {
        st->cap = st->cap ? 2 * st->cap : 64;
        st->tensors = dp_xrealloc(st->tensors, st->cap * sizeof *st->tensors);
    }
    st->tensors[st->ntensors++] = *t;
}

static int check_metadata(const char *file, const struct dp_json *v, struct dp_error *e)
{
    if (v->type != DP_JSON_OBJ) return bad(e, file, NULL, "'__metadata__' is not an object");
    for (size_t i = 0; i < v->len; i++)
        if (v->items[i]->type != DP_JSON_STR)
            return dp_error_set(e, DP_EFORMAT, file, 0, 0, "'__metadata__' value '%s' is not a string",
                                v->keys[i]);
    return 0;
}

/* Validates the file image buf[0..n) and appends its tensors (file index fi). */
static int parse_file(struct dp_st *st, size_t fi, struct dp_error *e)
{
    const struct dp_st_file *f = &st->files[fi];
    const unsigned char *buf = f->map;
    size_t n = f->size;
    const char *file = f->path;
    if (n < 8) return bad(e, file, NULL, "file too short for a safetensors header (%zu bytes)", n);
    uint64_t hlen = 0;
    for (int i = 7; i >= 0; i--) hlen = hlen << 8 | buf[i];
    if (hlen > ST_MAX_HEADER)
        return dp_error_set(e, DP_EFORMAT, file, 0, 0, "header length %llu exceeds the 100 MB limit",
                            (unsigned long long)hlen);
    if (hlen > n - 8)
        return dp_error_set(e, DP_EFORMAT, file, 0, 0,
                            "header length %llu runs past the end of the file (%zu bytes)",
                            (unsigned long long)hlen, n);
    if (hlen < 2 || buf[8] != '{')
        return bad(e, file, NULL, "header does not start with '{'");
    struct dp_json *root;
    struct dp_error je = {0};
    if (dp_json_parse(&st->arena, (const char *)buf + 8, (size_t)hlen, file, &root, &je)) {
        return dp_error_set(e, DP_EFORMAT, file, 0, 0, "header JSON %d:%d: %s", je.line, je.col,
                            je.msg);
    }
    if (root->type != DP_JSON_OBJ) return bad(e, file, NULL, "header is not a JSON object");
    size_t dlen = n - 8 - (size_t)hlen;
    const unsigned char *data = buf + 8 + hlen;
    struct span *sp = dp_xmalloc((root->len + 1) * sizeof *sp);
    size_t nsp = 0;
    int rc = 0;
    for (size_t i = 0; i < root->len && !rc; i++) {
        const char *name = root->keys[i];
        if (strlen(name) != root->keylens[i]) {
            rc = bad(e, file, NULL, "tensor name holds a NUL byte");
            break;
        }
        if (!strcmp(name, "__metadata__")) {
            rc = check_metadata(file, root->items[i], e);
            continue;
        }
        struct dp_st_tensor t = {0};
        uint64_t b = 0, en = 0;
        if ((rc = parse_entry(file, name, root->items[i], &t, &b, &en, e))) break;
        if (en > dlen) {
            rc = dp_error_set(e, DP_EFORMAT, file, 0, 0,
                              "tensor '%s': data_offsets [%llu, %llu] run past the data area "
                              "(%zu bytes)", name, (unsigned long long)b, (unsigned long long)en, dlen);
            break;
        }
        if (dp_map_get(&st->by_name, name, strlen(name))) {
            const struct dp_st_tensor *o = dp_st_get(st, name);
            rc = dp_error_set(e, DP_EFORMAT, file, 0, 0, "tensor '%s': defined twice (also in %s)",
                              name, o->file);
            break;
        }
        t.data = data + b;
        t.file = file;
        st_push(st, &t);
        dp_map_put(&st->by_name, name, strlen(name), (void *)(uintptr_t)st->ntensors);
        if (b < en) sp[nsp++] = (struct span){b, en, st->ntensors - 1};
    }
    if (!rc && nsp > 1) {
        qsort(sp, nsp, sizeof *sp, cmp_span);
        for (size_t i = 1; i < nsp; i++)
            if (sp[i].begin < sp[i - 1].end) {
                rc = dp_error_set(e, DP_EFORMAT, file, 0, 0,
                                  "tensor '%s': data_offsets [%llu, %llu] overlap tensor '%s' [%llu, %llu]",
                                  st->tensors[sp[i].idx].name, (unsigned long long)sp[i].begin,
                                  (unsigned long long)sp[i].end, st->tensors[sp[i - 1].idx].name,
                                  (unsigned long long)sp[i - 1].begin,
                                  (unsigned long long)sp[i - 1].end);
                break;
            }
    }
    free(sp);
    return rc;
}

/* ---------------------------------------------------------------- opening */

static void st_init(struct dp_st *st, const char *where)
{
    memset(st, 0, sizeof *st);
    dp_arena_init(&st->arena, 1 << 16);
    dp_map_init(&st->by_name);
    st->where = dp_arena_strndup(&st->arena, where, strlen(where));
}

static size_t st_add_file(struct dp_st *st, const char *path)
{
    st->files = dp_xrealloc(st->files, (st->nfiles + 1) * sizeof *st->files);
    struct dp_st_file *f = &st->files[st->nfiles];
    memset(f, 0, sizeof *f);
    f->path = dp_arena_strndup(&st->arena, path, strlen(path));
    return st->nfiles++;
}

static int map_file(struct dp_st_file *f, struct dp_error *e)
{
    int fd = open(f->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return dp_error_set(e, DP_EIO, f->path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        close(fd);
        return dp_error_set(e, DP_EIO, f->path, 0, 0, "not a regular file");
    }
    f->size = (size_t)sb.st_size;
    if (f->size == 0) {
        close(fd);
        return dp_error_set(e, DP_EFORMAT, f->path, 0, 0, "empty file, not safetensors");
    }
    void *p = mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
    int err = errno;
    close(fd);
    if (p == MAP_FAILED) return dp_error_set(e, DP_EIO, f->path, 0, 0, "cannot map: %s", strerror(err));
    f->map = p;
    f->mapped = 1;
    return 0;
}

static int open_one(struct dp_st *st, const char *path, struct dp_error *e)
{
    size_t fi = st_add_file(st, path);
    int rc = map_file(&st->files[fi], e);
    return rc ? rc : parse_file(st, fi, e);
}

/* path of a sibling file: the folder of index + name. */
static char *sibling(const char *index, const char *name)
{
    const char *slash = strrchr(index, '/');
    size_t dl = slash ? (size_t)(slash - index) + 1 : 0;
    char *p = dp_xmalloc(dl + strlen(name) + 1);
    memcpy(p, index, dl);
    strcpy(p + dl, name);
    return p;
}

static int open_index(struct dp_st *st, const char *index, struct dp_error *e)
{
    struct dp_json *root;
    int rc = dp_json_parse_file(&st->arena, index, &root, e);
    if (rc) return rc;
    const struct dp_json *wm = dp_json_get(root, "weight_map");
    if (!wm || wm->type != DP_JSON_OBJ)
        return dp_error_set(e, DP_EFORMAT, index, 0, 0, "no 'weight_map' object");
    struct dp_map shards;
    dp_map_init(&shards);
    for (size_t i = 0; i < wm->len && !rc; i++) {   /* open each shard once, in order */
        const struct dp_json *v = wm->items[i];
        if (v->type != DP_JSON_STR || !v->len || strchr(v->str, '/') || !strcmp(v->str, "..") ||
            strlen(v->str) != v->len) {
            rc = dp_error_set(e, DP_EFORMAT, index, v->line, v->col,
                              "tensor '%s': shard must be a plain file name", wm->keys[i]);
            break;
        }
        if (dp_map_get(&shards, v->str, v->len)) continue;
        dp_map_put(&shards, v->str, v->len, (void *)1);
        char *p = sibling(index, v->str);
        rc = open_one(st, p, e);
        free(p);
    }
    dp_map_free(&shards);
    for (size_t i = 0; i < wm->len && !rc; i++) {   /* every listed tensor is where it says */
        const struct dp_st_tensor *t = dp_st_get(st, wm->keys[i]);
        const char *slash = t ? strrchr(t->file, '/') : NULL;
        const char *base = t ? (slash ? slash + 1 : t->file) : NULL;
        if (!t || strcmp(base, wm->items[i]->str)) {
            rc = dp_error_set(e, DP_EFORMAT, index, wm->items[i]->line, wm->items[i]->col,
                              "tensor '%s': not found in %s", wm->keys[i], wm->items[i]->str);
        }
    }
    return rc;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

int dp_st_open(struct dp_st *st, const char *path, struct dp_error *e)
{
    st_init(st, path);
    int rc;
    if (dp_file_exists(path) == 2) {
        struct dp_sbuf p = {0};
        dp_sbuf_printf(&p, "%s/model.safetensors.index.json", path);
        if (dp_file_exists(p.p) == 1) {
            rc = open_index(st, p.p, e);
        } else {
            dp_sbuf_reset(&p);
            dp_sbuf_printf(&p, "%s/model.safetensors", path);
            if (dp_file_exists(p.p) == 1) rc = open_one(st, p.p, e);
            else rc = dp_error_set(e, DP_ENOTFOUND, path, 0, 0,
                                   "no model.safetensors or model.safetensors.index.json here");
        }
        dp_sbuf_free(&p);
    } else if (ends_with(path, ".index.json")) {
        rc = open_index(st, path, e);
    } else {
        rc = open_one(st, path, e);
    }
    if (rc) dp_st_close(st);
    return rc;
}

int dp_st_open_mem(struct dp_st *st, const void *buf, size_t n, const char *name,
                   struct dp_error *e)
{
    st_init(st, name);
    size_t fi = st_add_file(st, name);
    st->files[fi].map = (void *)buf;
    st->files[fi].size = n;
    int rc = parse_file(st, fi, e);
    if (rc) dp_st_close(st);
    return rc;
}

void dp_st_release(const struct dp_st *st, const struct dp_st_tensor *t)
{
    const char *p = t->data;
    for (size_t i = 0; i < st->nfiles; i++) {
        const struct dp_st_file *f = &st->files[i];
        const char *base = f->map;
        if (!f->mapped || p < base || p + t->nbytes > base + f->size) continue;
        size_t pg = (size_t)sysconf(_SC_PAGESIZE);
        uintptr_t b = (uintptr_t)p & ~(uintptr_t)(pg - 1);
        uintptr_t end = ((uintptr_t)(p + t->nbytes) + pg - 1) & ~(uintptr_t)(pg - 1);   /* inside the mapping */
        madvise((void *)b, end - b, MADV_DONTNEED);   /* read-only file pages: refetched if read again */
        return;
    }
}

void dp_st_close(struct dp_st *st)
{
    for (size_t i = 0; i < st->nfiles; i++)
        if (st->files[i].mapped) munmap(st->files[i].map, st->files[i].size);
    free(st->files);
    free(st->tensors);
    dp_map_free(&st->by_name);
    dp_arena_free(&st->arena);
    memset(st, 0, sizeof *st);
}

const struct dp_st_tensor *dp_st_get(const struct dp_st *st, const char *name)
{
    void **v = dp_map_get(&st->by_name, name, strlen(name));
    return v ? &st->tensors[(uintptr_t)*v - 1] : NULL;
}

int dp_st_require(const struct dp_st *st, const char *name, int ndim, const int64_t *shape,
                  const struct dp_st_tensor **out, struct dp_error *e)
{
    const struct dp_st_tensor *t = dp_st_get(st, name);
    *out = NULL;
    if (!t) return dp_error_set(e, DP_EFORMAT, st->where, 0, 0, "tensor '%s': missing", name);
    if (!dp_dtype_is_float(t->dtype))
        return dp_error_set(e, DP_EFORMAT, t->file, 0, 0,
                            "tensor '%s': dtype %s, expected F32, F16 or BF16", name,
                            dp_dtype_name(t->dtype));
    int same = t->ndim == ndim;
    for (int i = 0; same && i < ndim; i++) same = t->shape[i] == shape[i];
    if (!same) {
        char a[120], b[120];
        shape_str(a, sizeof a, t->ndim, t->shape);
        shape_str(b, sizeof b, ndim, shape);
        return dp_error_set(e, DP_EFORMAT, t->file, 0, 0, "tensor '%s': shape %s, expected %s",
                            name, a, b);
    }
    *out = t;
    return 0;
}

/* ---------------------------------------------------------------- writer */

static int write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        ssize_t k = write(fd, p, n > (1u << 30) ? (1u << 30) : n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int build_header(struct dp_sbuf *h, const struct dp_st_wtensor *t, size_t n,
                        const char *const *meta, size_t nmeta, const char *path,
                        struct dp_error *e)
{
    struct dp_jw w;
    dp_jw_init(&w, h, 0);
    w.compact = true;
    w.ascii = false;
    dp_jw_obj_begin(&w);
    if (nmeta) {
        dp_jw_key(&w, "__metadata__");
        dp_jw_obj_begin(&w);
        for (size_t i = 0; i < nmeta; i++) {
            dp_jw_key(&w, meta[2 * i]);
            dp_jw_str(&w, meta[2 * i + 1]);
        }
        dp_jw_obj_end(&w);
    }
    uint64_t off = 0;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(t[i].name, "__metadata__") || t[i].ndim < 0 || t[i].ndim > DP_ST_MAX_DIMS)
            return dp_error_set(e, DP_EINVAL, path, 0, 0, "tensor '%s': bad name or rank", t[i].name);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(t[i].name, t[j].name))
                return dp_error_set(e, DP_EINVAL, path, 0, 0, "tensor '%s': written twice", t[i].name);
        uint64_t nb = dp_dtype_size(t[i].dtype);
        dp_jw_key(&w, t[i].name);
        dp_jw_obj_begin(&w);
        dp_jw_key(&w, "dtype");
        dp_jw_str(&w, dp_dtype_name(t[i].dtype));
        dp_jw_key(&w, "shape");
        dp_jw_arr_begin(&w);
        for (int d = 0; d < t[i].ndim; d++) {
            dp_jw_int(&w, t[i].shape[d]);
            nb *= (uint64_t)t[i].shape[d];
        }
        dp_jw_arr_end(&w);
        dp_jw_key(&w, "data_offsets");
        dp_jw_arr_begin(&w);
        dp_jw_int(&w, (int64_t)off);
        dp_jw_int(&w, (int64_t)(off + nb));
        dp_jw_arr_end(&w);
        dp_jw_obj_end(&w);
        off += nb;
    }
    dp_jw_obj_end(&w);
    while (h->n % 8) dp_sbuf_putc(h, ' ');
    return 0;
}

int dp_st_write(const char *path, const struct dp_st_wtensor *t, size_t n,
                const char *const *meta, size_t nmeta, struct dp_error *e)
{
    struct dp_sbuf h = {0}, tmp = {0};
    dp_sbuf_put(&h, "\0\0\0\0\0\0\0\0", 8);
    int rc = build_header(&h, t, n, meta, nmeta, path, e);
    if (rc) {
        dp_sbuf_free(&h);
        return rc;
    }
    uint64_t hl = h.n - 8;
    for (int i = 0; i < 8; i++) h.p[i] = (char)(hl >> (8 * i));
    const char *slash = strrchr(path, '/');
    if (slash) dp_sbuf_printf(&tmp, "%.*s/.%s.tmp.%d", (int)(slash - path), path, slash + 1, (int)getpid());
    else dp_sbuf_printf(&tmp, ".%s.tmp.%d", path, (int)getpid());
    int fd = open(tmp.p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = dp_error_set(e, DP_EIO, path, 0, 0, "cannot create %s: %s", tmp.p, strerror(errno));
        goto out;
    }
    int bad = write_all(fd, h.p, h.n);
    for (size_t i = 0; i < n && !bad; i++) {
        size_t nb = dp_dtype_size(t[i].dtype);
        for (int d = 0; d < t[i].ndim; d++) nb *= (size_t)t[i].shape[d];
        bad = write_all(fd, t[i].data, nb);
    }
    if (!bad) bad = fsync(fd);
    int err = errno;
    if (close(fd) && !bad) bad = 1, err = errno;
    if (!bad && rename(tmp.p, path)) bad = 1, err = errno;
    if (bad) {
        unlink(tmp.p);
        rc = dp_error_set(e, DP_EIO, path, 0, 0, "cannot write: %s", strerror(err));
        goto out;
    }
    char *dir = slash ? dp_xmalloc((size_t)(slash - path) + 2) : dp_xstrdup(".");
    if (slash) {
        size_t dl = slash == path ? 1 : (size_t)(slash - path);
        memcpy(dir, path, dl);
        dir[dl] = 0;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
out:
    dp_sbuf_free(&h);
    dp_sbuf_free(&tmp);
    return rc;
}
