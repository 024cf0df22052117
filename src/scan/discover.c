/* Which files a scan reads, as Bandit's discover_files decides: explicit files as given (with
 * "./" prepended to relative ones), folders walked with -r keeping *.py and *.pyw, exclusions by
 * glob or by substring of the path, the result sorted and without duplicates. */
#include "scan/scan_int.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_EXCLUDE ".svn,CVS,.bzr,.hg,.git,__pycache__,.tox,.eggs,*.egg"

struct strvec { char **v; int n, cap; };

static void vec_push(struct strvec *s, char *str)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->v = dp_xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
    }
    s->v[s->n++] = str;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* _is_file_included: matches an include glob (unless explicit) and no exclude glob/substring. */
static bool included(const char *path, const struct strvec *ex, bool enforce_glob)
{
    if (enforce_glob && !dp_scan_fnmatch(path, "*.py") && !dp_scan_fnmatch(path, "*.pyw")) return false;
    for (int i = 0; i < ex->n; i++)
        if (dp_scan_fnmatch(path, ex->v[i]) || strstr(path, ex->v[i])) return false;
    return true;
}

static char *join(const char *dir, const char *name)
{
    size_t ld = strlen(dir), ln = strlen(name);
    bool slash = ld && dir[ld - 1] != '/';
    char *p = dp_xmalloc(ld + ln + 2);
    memcpy(p, dir, ld);
    if (slash) p[ld++] = '/';
    memcpy(p + ld, name, ln + 1);
    return p;
}

/* os.walk without following symlinked folders; symlinks to files are files. */
static void walk(const char *dir, const struct strvec *ex, struct strvec *files, struct strvec *excluded)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char *p = join(dir, de->d_name);
        struct stat lst, st;
        bool isdir = de->d_type == DT_DIR, islink = de->d_type == DT_LNK;
        if (de->d_type == DT_UNKNOWN && lstat(p, &lst) == 0) {
            islink = S_ISLNK(lst.st_mode);
            isdir = S_ISDIR(lst.st_mode);
        }
        if (islink) isdir = stat(p, &st) == 0 && S_ISDIR(st.st_mode);   /* listed, not followed */
        if (isdir) {
            if (!islink) walk(p, ex, files, excluded);
            free(p);
        } else if (included(p, ex, true)) {
            vec_push(files, p);
        } else {
            vec_push(excluded, p);
        }
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Sorts and drops duplicates (Bandit keeps sets). */
static void sort_unique(struct strvec *s)
{
    if (s->n == 0) return;
    qsort(s->v, (size_t)s->n, sizeof *s->v, cmp_str);
    int k = 1;
    for (int i = 1; i < s->n; i++) {
        if (!strcmp(s->v[i], s->v[k - 1])) free(s->v[i]);
        else s->v[k++] = s->v[i];
    }
    s->n = k;
}

int dp_scan_discover(char *const *targets, int n, bool recursive, const char *exclude,
                     struct dp_scan_targets *out, struct dp_error *e)
{
    memset(out, 0, sizeof *out);
    struct strvec ex = {0}, files = {0}, excl = {0};
    const char *p = exclude ? exclude : DEFAULT_EXCLUDE;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len) {
            char *item = dp_xmalloc(len + 3);
            memcpy(item, p, len);
            item[len] = 0;
            if (is_dir(item)) memcpy(item + len, "/*", 3);
            vec_push(&ex, item);
        }
        if (!c) break;
        p = c + 1;
    }
    for (int i = 0; i < n; i++) {
        const char *t = targets[i];
        if (strcmp(t, "-") && is_dir(t)) {
            if (recursive) walk(t, &ex, &files, &excl);
            else dp_sbuf_printf(&out->warn, "Skipping directory (%s), use -r flag to scan contents\n", t);
        } else if (included(t, &ex, false)) {
            vec_push(&files, !strcmp(t, "-") || t[0] == '/' ? dp_xstrdup(t) : join(".", t));
        } else {
            vec_push(&excl, dp_xstrdup(t));
        }
    }
    for (int i = 0; i < ex.n; i++) free(ex.v[i]);
    free(ex.v);
    sort_unique(&files);
    sort_unique(&excl);
    out->files = files.v;
    out->nfiles = files.n;
    out->excluded = excl.v;
    out->nexcluded = excl.n;
    (void)e;
    return 0;
}

void dp_scan_targets_free(struct dp_scan_targets *t)
{
    for (int i = 0; i < t->nfiles; i++) free(t->files[i]);
    for (int i = 0; i < t->nexcluded; i++) free(t->excluded[i]);
    free(t->files);
    free(t->excluded);
    dp_sbuf_free(&t->warn);
    memset(t, 0, sizeof *t);
}
