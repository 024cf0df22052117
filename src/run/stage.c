/* Fingerprints, stage records and answers meta files (run/stage.h). Records are small JSON
 * objects written atomically; a stage record is written once when the stage starts (complete:
 * false) and once when it ends, so a killed stage is recognised and resumed, and a stage whose
 * options changed is redone from scratch. */
#include "run/stage.h"
#include "base/arena.h"
#include "base/file.h"
#include "base/json.h"
#include "base/map.h"
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- descriptions */

void dp_run_desc_add(struct dp_run_desc *d, const char *key, const char *fmt, ...)
{
    char val[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(val, sizeof val, fmt, ap);
    va_end(ap);
    for (char *p = val; *p; p++)
        if (*p == '\n') *p = ' ';
    dp_sbuf_printf(&d->text, "%s=%s\n", key, val);
}

uint64_t dp_run_desc_fp(const struct dp_run_desc *d) { return dp_hash_bytes(d->text.p ? d->text.p : "", d->text.n); }

void dp_run_desc_free(struct dp_run_desc *d) { dp_sbuf_free(&d->text); }

/* The value of key in "k=v\n" text, as [*v, *v + *n); false when absent. */
static bool desc_get(const char *text, const char *key, size_t klen, const char **v, size_t *n)
{
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);
        if ((size_t)(end - p) > klen && !strncmp(p, key, klen) && p[klen] == '=') {
            *v = p + klen + 1;
            *n = (size_t)(end - *v);
            return true;
        }
        p = nl ? nl + 1 : end;
    }
    return false;
}

static void diff_side(const char *a, const char *b, bool a_is_old, struct dp_sbuf *out)
{
    for (const char *p = a; p && *p;) {
        const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p), *eq = memchr(p, '=', (size_t)(end - p));
        if (eq) {
            size_t klen = (size_t)(eq - p), an = (size_t)(end - eq - 1), bn;
            const char *bv;
            bool in_b = desc_get(b, p, klen, &bv, &bn);
            bool differ = !in_b || an != bn || memcmp(eq + 1, bv, an);
            if (differ && (a_is_old || !in_b)) {   /* changed keys once (from the old side) */
                if (out->n) dp_sbuf_puts(out, "; ");
                dp_sbuf_printf(out, "%.*s: ", (int)klen, p);
                if (a_is_old) dp_sbuf_printf(out, "%.*s -> %.*s", (int)an, eq + 1, in_b ? (int)bn : 6, in_b ? bv : "(none)");
                else dp_sbuf_printf(out, "(none) -> %.*s", (int)an, eq + 1);
            }
        }
        p = nl ? nl + 1 : end;
    }
}

void dp_run_desc_diff(const char *old_text, const char *new_text, char *out, size_t n)
{
    struct dp_sbuf b = {0};
    diff_side(old_text ? old_text : "", new_text ? new_text : "", true, &b);
    diff_side(new_text ? new_text : "", old_text ? old_text : "", false, &b);
    snprintf(out, n, "%s", b.p ? b.p : "");
    dp_sbuf_free(&b);
}

/* ---------------------------------------------------------------- fingerprints */

int dp_run_fp_file(const char *path, uint64_t *fp, struct dp_error *e)
{
    char *text;
    size_t n;
    int rc = dp_file_read(path, &text, &n, e);
    if (rc) return rc;
    *fp = dp_hash_bytes(text, n);
    free(text);
    return 0;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && !strcmp(s + n - k, suf);
}

int dp_run_fp_model(const char *dir, uint64_t *fp, struct dp_error *e)
{
    struct stat st;
    if (stat(dir, &st) || !S_ISDIR(st.st_mode))
        return dp_error_set(e, DP_ENOTFOUND, "", 0, 0, "model folder %s: not found", dir);
    struct dp_sbuf b = {0};
    dp_sbuf_printf(&b, "%s/config.json", dir);
    if (dp_file_exists(b.p) != 1) {
        dp_sbuf_free(&b);
        return dp_error_set(e, DP_ENOTFOUND, "", 0, 0, "model folder %s: not a Hugging Face model folder (no config.json)", dir);
    }
    char real[PATH_MAX];
    dp_sbuf_reset(&b);
    dp_sbuf_puts(&b, realpath(dir, real) ? real : dir);
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t nn = 0;
    for (struct dirent *de; d && (de = readdir(d));) {
        if (!ends_with(de->d_name, ".json") && !ends_with(de->d_name, ".safetensors")) continue;
        names = dp_xrealloc(names, (nn + 1) * sizeof *names);
        names[nn++] = dp_xstrdup(de->d_name);
    }
    if (d) closedir(d);
    qsort(names, nn, sizeof *names, name_cmp);
    for (size_t i = 0; i < nn; i++) {
        char path[PATH_MAX + 256];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (!stat(path, &st))
            dp_sbuf_printf(&b, "\n%s %lld %lld.%09ld", names[i], (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                           st.st_mtim.tv_nsec);
        free(names[i]);
    }
    free(names);
    *fp = dp_hash_bytes(b.p, b.n);
    dp_sbuf_free(&b);
    return 0;
}

/* ---------------------------------------------------------------- records */

static int write_record(const char *path, const char *stage, const struct dp_run_desc *d, bool complete,
                        double seconds, struct dp_error *e)
{
    struct dp_sbuf b = {0};
    struct dp_jw w;
    dp_jw_init(&w, &b, 2);
    w.ascii = false;
    dp_jw_obj_begin(&w);
    if (stage) { dp_jw_key(&w, "stage"); dp_jw_str(&w, stage); }
    char hex[17];
    snprintf(hex, sizeof hex, "%016" PRIx64, dp_run_desc_fp(d));
    dp_jw_key(&w, "fingerprint");
    dp_jw_str(&w, hex);
    if (stage) {
        dp_jw_key(&w, "complete");
        dp_jw_bool(&w, complete);
        dp_jw_key(&w, "seconds");
        dp_jw_num(&w, complete ? (double)(long)(seconds * 10 + 0.5) / 10 : 0);
    }
    dp_jw_key(&w, "inputs");
    dp_jw_obj_begin(&w);
    for (const char *p = d->text.p; p && *p;) {
        const char *nl = strchr(p, '\n'), *eq = strchr(p, '=');
        dp_jw_keyn(&w, p, (size_t)(eq - p));
        dp_jw_strn(&w, eq + 1, (size_t)(nl - eq - 1));
        p = nl + 1;
    }
    dp_jw_obj_end(&w);
    dp_jw_obj_end(&w);
    dp_sbuf_putc(&b, '\n');
    int rc = dp_file_write_atomic(path, b.p, b.n, e);
    dp_sbuf_free(&b);
    return rc;
}

/* Reads a record at path into st (absent: st->fp ""). */
static int read_record(const char *path, struct dp_run_stage *st, struct dp_error *e)
{
    memset(st, 0, sizeof *st);
    if (dp_file_exists(path) != 1) return 0;
    struct dp_arena a;
    dp_arena_init(&a, 4096);
    struct dp_json *root;
    int rc = dp_json_parse_file(&a, path, &root, e);
    const char *fp = rc ? NULL : dp_json_get_str(root, "fingerprint", NULL);
    const struct dp_json *in = rc ? NULL : dp_json_get(root, "inputs");
    if (!rc && (!fp || strlen(fp) != 16 || !in || in->type != DP_JSON_OBJ))
        rc = dp_error_set(e, DP_EFORMAT, path, 1, 1, "not a dpoison stage record (remove it to redo the stage)");
    if (!rc) {
        memcpy(st->fp, fp, 17);
        st->complete = dp_json_get_bool(root, "complete", false);
        st->seconds = dp_json_get_num(root, "seconds", 0);
        struct dp_sbuf d = {0};
        for (size_t i = 0; i < in->len; i++)
            if (in->items[i]->type == DP_JSON_STR) dp_sbuf_printf(&d, "%s=%s\n", in->keys[i], in->items[i]->str);
        st->desc = d.p ? dp_sbuf_take(&d) : dp_xstrdup("");
    }
    dp_arena_free(&a);
    return rc;
}

int dp_run_stage_read(const char *dir, struct dp_run_stage *st, struct dp_error *e)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/stage.json", dir);
    return read_record(path, st, e);
}

int dp_run_stage_write(const char *dir, const char *stage, const struct dp_run_desc *d, bool complete,
                       double seconds, struct dp_error *e)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/stage.json", dir);
    int rc = dp_mkdirs(dir, e);
    return rc ? rc : write_record(path, stage, d, complete, seconds, e);
}

void dp_run_stage_free(struct dp_run_stage *st)
{
    free(st->desc);
    memset(st, 0, sizeof *st);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path) ? -1 : 0;
}

int dp_run_stage_wipe(const char *dir, struct dp_error *e)
{
    if (!dp_file_exists(dir)) return 0;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/stage.json", dir);
    if (dp_file_exists(path) != 1)
        return dp_error_set(e, DP_EINVAL, "", 0, 0, "%s exists but was not made by dpoison run (no stage.json): "
                            "remove it or use another --workdir", dir);
    if (nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS))
        return dp_error_set(e, DP_EIO, dir, 0, 0, "cannot remove the previous stage's files: %s", strerror(errno));
    return 0;
}

int dp_run_answers_meta(const char *answers, const struct dp_run_desc *d, bool *reuse, char *why,
                        size_t nwhy, struct dp_error *e)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s.meta", answers);
    struct dp_run_stage old;
    char hex[17];
    snprintf(hex, sizeof hex, "%016" PRIx64, dp_run_desc_fp(d));
    int rc = read_record(path, &old, e);
    if (rc) return rc;
    *reuse = old.fp[0] && !strcmp(old.fp, hex);
    if (why) {
        if (old.fp[0] && !*reuse) dp_run_desc_diff(old.desc, d->text.p, why, nwhy);
        else if (nwhy) why[0] = 0;
    }
    dp_run_stage_free(&old);
    if (*reuse) return 0;
    if (unlink(answers) && errno != ENOENT)
        return dp_error_set(e, DP_EIO, answers, 0, 0, "cannot remove stale answers: %s", strerror(errno));
    return write_record(path, NULL, d, false, 0, e);
}

/* ---------------------------------------------------------------- the bundled model */

int dp_run_bundled_model(const char *exe_dir, char **out, struct dp_error *e)
{
    char self[PATH_MAX], cwd[PATH_MAX];
    if (!exe_dir) {
        ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
        self[k > 0 ? k : 0] = 0;
        char *slash = strrchr(self, '/');
        if (slash) *slash = 0;
        exe_dir = self[0] ? self : ".";
    }
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, ".");
    const char *fmt[4] = {"%s/" DP_RUN_BUNDLED_MODEL, "%s/../" DP_RUN_BUNDLED_MODEL,
                          "%s/../share/dpoison/" DP_RUN_BUNDLED_MODEL, "%s/" DP_RUN_BUNDLED_MODEL};
    struct dp_sbuf looked = {0};
    for (int i = 0; i < 4; i++) {
        char cand[PATH_MAX + 64], real[PATH_MAX], cfg[PATH_MAX + 80];
        snprintf(cand, sizeof cand, fmt[i], i < 3 ? exe_dir : cwd);
        const char *show = realpath(cand, real) ? real : cand;
        snprintf(cfg, sizeof cfg, "%s/config.json", show);
        if (dp_file_exists(cfg) == 1) {
            *out = dp_xstrdup(show);
            dp_sbuf_free(&looked);
            return 0;
        }
        if (looked.n) dp_sbuf_puts(&looked, ", ");
        dp_sbuf_puts(&looked, cand);
    }
    dp_error_set(e, DP_ENOTFOUND, "", 0, 0, "the bundled model (" DP_RUN_BUNDLED_MODEL ") is not there (looked in %s): "
                 "pass --model DIR (a Hugging Face Qwen2-family folder), or build the bundled model first (README.md)", looked.p);
    dp_sbuf_free(&looked);
    return DP_ENOTFOUND;
}
