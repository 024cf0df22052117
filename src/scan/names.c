/* Names as Bandit resolves them: import aliases and the imports set (visit_Import /
 * visit_ImportFrom), call names through aliases (utils.get_call_name), the module's qualified
 * name from its path, argument literals (Context._get_literal_value) and the blacklist's glob.
 * Bandit qualifies names through import aliases only; no data flow is tracked here. */
#include "scan/scan_int.h"
#include <string.h>
#include <sys/stat.h>

void dp_scan_map_clear(struct dp_map *m)
{
    if (m->len == 0) return;
    memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->len = 0;
}

static const char *lookup(const struct dp_map *m, const char *k)
{
    void **v = dp_map_get(m, k, strlen(k));
    return v ? (const char *)*v : NULL;
}

static void put(struct dp_map *m, const char *k, const char *v)
{
    dp_map_put(m, k, strlen(k), (void *)v);
}

static void add_import(struct dp_scan_file *f, const char *name)
{
    if (!dp_map_put(&f->imports, name, strlen(name), (void *)name)) return;
    if (f->nimp == f->capimp) {
        f->capimp = f->capimp ? 2 * f->capimp : 32;
        f->imp_list = dp_xrealloc(f->imp_list, (size_t)f->capimp * sizeof *f->imp_list);
    }
    f->imp_list[f->nimp++] = name;
}

/* visit_Import: `import a.b as c` maps c -> a.b; every name goes into imports. visit_ImportFrom:
 * `from m import x as y` maps y (or x) -> m.x and adds m.x; the relative level is ignored, and
 * without a module (`from . import x`) it is handled as an Import. */
void dp_scan_note_import(struct dp_scan_file *f, const struct dp_py_node *n)
{
    const char *module = n->kind == DP_PY_ImportFrom ? n->v.ImportFrom.module : NULL;
    const struct dp_py_list *names = n->kind == DP_PY_ImportFrom ? &n->v.ImportFrom.names : &n->v.Import.names;
    for (int i = 0; i < names->n; i++) {
        const struct dp_py_node *al = names->items[i];
        if (!al) continue;
        const char *name = al->v.alias.name, *as = al->v.alias.asname;
        if (!module) {
            if (as) put(&f->aliases, as, name);
            add_import(f, name);
            continue;
        }
        size_t lm = strlen(module), ln = strlen(name);
        char *full = dp_arena_alloc_raw(&f->tmp, lm + ln + 2);
        memcpy(full, module, lm);
        full[lm] = '.';
        memcpy(full + lm + 1, name, ln + 1);
        put(&f->aliases, as ? as : name, full);
        add_import(f, full);
    }
}

/* _get_attr_qual_name into sb. Alias keys are identifiers, so only a Name can be an alias (the
 * dotted names Bandit also looks up can never be keys). */
static void qual_into(const struct dp_scan_file *f, const struct dp_py_node *e, struct dp_sbuf *sb)
{
    if (e->kind == DP_PY_Name) {
        const char *a = lookup(&f->aliases, e->v.Name.id);
        dp_sbuf_puts(sb, a ? a : e->v.Name.id);
    } else if (e->kind == DP_PY_Attribute) {
        qual_into(f, e->v.Attribute.value, sb);
        dp_sbuf_putc(sb, '.');
        dp_sbuf_puts(sb, e->v.Attribute.attr);
    }
}

static const char *qual(struct dp_scan_file *f, const struct dp_py_node *e)
{
    if (e->kind == DP_PY_Name) {
        const char *a = lookup(&f->aliases, e->v.Name.id);
        return a ? a : e->v.Name.id;
    }
    if (e->kind != DP_PY_Attribute) return "";
    dp_sbuf_reset(&f->sb);
    qual_into(f, e, &f->sb);
    return dp_arena_strndup(&f->tmp, f->sb.p, f->sb.n);
}

const char *dp_scan_call_name(struct dp_scan_file *f, const struct dp_py_node *call)
{
    return qual(f, call->v.Call.func);
}

const char *dp_scan_qualname(struct dp_scan_ctx *ctx, const struct dp_py_node *e)
{
    return e ? qual(ctx->file, e) : "";
}

const char *dp_scan_alias(const struct dp_scan_ctx *ctx, const char *name)
{
    return lookup(&ctx->file->aliases, name);
}

bool dp_scan_is_module_imported_exact(const struct dp_scan_ctx *ctx, const char *module)
{
    return lookup(&ctx->file->imports, module) != NULL;
}

/* Rules ask this on every call; imports only grow, so each module's answer is cached with the
 * number of imports already searched, and only newer imports are searched again. */
bool dp_scan_is_module_imported_like(const struct dp_scan_ctx *ctx, const char *module)
{
    struct dp_scan_file *f = ctx->file;
    int c = 0;
    while (c < f->nlike && !(f->like[c].ptr == module && !strcmp(f->like[c].module, module))) c++;
    if (c == f->nlike) {   /* the same text under another pointer */
        c = 0;
        while (c < f->nlike && strcmp(f->like[c].module, module)) c++;
    }
    if (c == f->nlike) {
        if (c == (int)(sizeof f->like / sizeof f->like[0])) c = 0;   /* full: reuse the first slot */
        else f->nlike++;
        f->like[c].module = dp_arena_strndup(&f->tmp, module, strlen(module));
        f->like[c].ptr = module;
        f->like[c].checked = 0;
        f->like[c].found = false;
    }
    for (int i = f->like[c].checked; i < f->nimp && !f->like[c].found; i++)
        f->like[c].found = strstr(f->imp_list[i], module) != NULL;
    f->like[c].checked = f->nimp;
    return f->like[c].found;
}

const struct dp_py_node *dp_scan_call_kw(const struct dp_py_node *call, const char *kw)
{
    if (!call || call->kind != DP_PY_Call) return NULL;
    const struct dp_py_list *k = &call->v.Call.keywords;
    for (int i = 0; i < k->n; i++) {
        const struct dp_py_node *w = k->items[i];
        if (w && w->v.keyword.arg && !strcmp(w->v.keyword.arg, kw)) return w->v.keyword.value;
    }
    return NULL;
}

enum dp_scan_lit dp_scan_literal(const struct dp_py_node *e, const char **s)
{
    *s = NULL;
    if (!e) return DP_SCAN_LIT_NONE;
    switch (e->kind) {
    case DP_PY_Attribute: *s = e->v.Attribute.attr; return DP_SCAN_LIT_STR;
    case DP_PY_Name: *s = e->v.Name.id; return DP_SCAN_LIT_STR;
    case DP_PY_Constant:
        switch (e->v.Constant.value.kind) {
        case DP_PY_CONST_STR: *s = e->v.Constant.value.s; return DP_SCAN_LIT_STR;
        case DP_PY_CONST_TRUE: *s = "True"; return DP_SCAN_LIT_STR;
        case DP_PY_CONST_FALSE: *s = "False"; return DP_SCAN_LIT_STR;
        case DP_PY_CONST_NONE: *s = "None"; return DP_SCAN_LIT_STR;
        default: return DP_SCAN_LIT_OTHER;
        }
    case DP_PY_List: case DP_PY_Tuple: case DP_PY_Set: case DP_PY_Dict:
        return DP_SCAN_LIT_OTHER;
    default:
        return DP_SCAN_LIT_NONE;
    }
}

bool dp_scan_call_kw_is(const struct dp_py_node *call, const char *kw, const char *value)
{
    const char *s;
    return dp_scan_literal(dp_scan_call_kw(call, kw), &s) == DP_SCAN_LIT_STR && !strcmp(s, value);
}

/* os.path.split: (head, tail) with head's trailing slashes removed unless it is all slashes. */
static size_t split_head(const char *p, size_t n, size_t *tail)
{
    size_t i = n;
    while (i > 0 && p[i - 1] != '/') i--;
    *tail = i;
    size_t h = i;
    while (h > 0 && p[h - 1] == '/') h--;
    return h == 0 ? i : h;   /* "/x" -> "/", "a//x" -> "a" */
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* utils.get_module_qualname_from_path; "" where Bandit raises InvalidModulePath. */
void dp_scan_module_qualname(const char *path, struct dp_sbuf *out)
{
    size_t n = strlen(path), tail;
    size_t head = split_head(path, n, &tail);
    dp_sbuf_reset(out);
    if (head == 0 || tail == n) return;
    /* splitext: drop the last extension unless the dot only leads the name */
    size_t end = n, dot = n;
    for (size_t i = n; i > tail; i--)
        if (path[i - 1] == '.') { dot = i - 1; break; }
    if (dot < n) {
        size_t lead = tail;
        while (lead < n && path[lead] == '.') lead++;
        if (dot >= lead) end = dot;
    }
    /* parts are prepended: collect them right to left */
    const char *parts[256];
    size_t lens[256];
    int np = 0;
    parts[np] = path + tail, lens[np++] = end - tail;
    struct dp_sbuf probe = {0};
    while (np < 256) {
        if ((head == 1 && path[0] == '/') || (head == 1 && path[0] == '.')) break;
        dp_sbuf_reset(&probe);
        dp_sbuf_put(&probe, path, head);
        dp_sbuf_puts(&probe, "/__init__.py");
        if (!is_file(probe.p)) break;
        size_t t2;
        size_t h2 = split_head(path, head, &t2);
        parts[np] = path + t2, lens[np++] = head - t2;
        if (h2 == 0) break;
        head = h2;
    }
    dp_sbuf_free(&probe);
    for (int i = np - 1; i >= 0; i--) {
        dp_sbuf_put(out, parts[i], lens[i]);
        if (i) dp_sbuf_putc(out, '.');
    }
}

bool dp_scan_fnmatch(const char *s, const char *p)
{
    const char *star = NULL, *ss = NULL;
    while (*s) {
        if (*p == '*') { star = p++; ss = s; continue; }
        if (*p && (*p == '?' || *p == *s)) { p++, s++; continue; }
        if (!star) return false;
        p = star + 1;
        s = ++ss;
    }
    while (*p == '*') p++;
    return *p == 0;
}
