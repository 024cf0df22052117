/* Prompt files (data/prompts_io.h): one prompt per line, JSON records or plain text, with ids
 * checked for duplicates; and the JSONL writer for dpoison's own prompt records. The line rules
 * are those of `dpoison generate`, so one file works for every stage. */
#include "data/prompts_io.h"
#include "base/file.h"
#include "base/json.h"
#include "base/map.h"
#include "base/utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dp_prompt_set_init(struct dp_prompt_set *s)
{
    memset(s, 0, sizeof *s);
    dp_arena_init(&s->arena, 1 << 16);
}

void dp_prompt_set_free(struct dp_prompt_set *s)
{
    free(s->items);
    dp_arena_free(&s->arena);
    memset(s, 0, sizeof *s);
}

struct dp_prompt *dp_prompt_set_add(struct dp_prompt_set *s)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->items = dp_xrealloc(s->items, s->cap * sizeof *s->items);
    }
    struct dp_prompt *p = &s->items[s->n++];
    memset(p, 0, sizeof *p);
    return p;
}

/* A JSON string as a C string: NUL bytes (from \u0000) cannot be passed on, so they are refused. */
static int cstr(struct dp_prompt_set *s, const struct dp_json *v, const char **out, const char *what,
                const char *path, int line, struct dp_error *e)
{
    if (memchr(v->str, 0, v->len))
        return dp_error_set(e, DP_EFORMAT, path, line, v->col, "%s contains a NUL character", what);
    *out = dp_arena_strndup(&s->arena, v->str, v->len);
    return 0;
}

/* An optional string member: NULL when absent or null; DP_EFORMAT when of another type. */
static int opt_str(struct dp_prompt_set *s, const struct dp_json *rec, const char *key,
                   const char **out, const char *path, int line, struct dp_error *e)
{
    const struct dp_json *v = dp_json_get(rec, key);
    *out = NULL;
    if (!v || v->type == DP_JSON_NULL) return 0;
    if (v->type != DP_JSON_STR)
        return dp_error_set(e, DP_EFORMAT, path, line, v->col, "\"%s\" must be a string", key);
    return cstr(s, v, out, key, path, line, e);
}

static int read_messages(struct dp_prompt_set *s, struct dp_prompt *p, const struct dp_json *ms,
                         const char *path, int line, struct dp_error *e)
{
    if (ms->type != DP_JSON_ARR || ms->len == 0)
        return dp_error_set(e, DP_EFORMAT, path, line, ms->col, "\"messages\" must be a non-empty list");
    struct dp_prompt_msg *m = dp_arena_alloc(&s->arena, ms->len * sizeof *m);
    for (size_t i = 0; i < ms->len; i++) {
        const struct dp_json *it = ms->items[i];
        const struct dp_json *role = dp_json_get(it, "role"), *content = dp_json_get(it, "content");
        if (!role || role->type != DP_JSON_STR || !content || content->type != DP_JSON_STR)
            return dp_error_set(e, DP_EFORMAT, path, line, it->col,
                                "each message needs string \"role\" and \"content\"");
        int rc = cstr(s, role, &m[i].role, "role", path, line, e);
        if (!rc) rc = cstr(s, content, &m[i].content, "content", path, line, e);
        if (rc) return rc;
        if (!strcmp(m[i].role, "user")) p->prompt = m[i].content;
    }
    if (!p->prompt)
        return dp_error_set(e, DP_EFORMAT, path, line, ms->col, "\"messages\" has no \"user\" message");
    p->msgs = m;
    p->nmsgs = (int)ms->len;
    return 0;
}

static int read_record(struct dp_prompt_set *s, struct dp_prompt *p, const char *text, size_t n,
                       const char *path, int line, struct dp_error *e)
{
    struct dp_json *rec;
    struct dp_error je = {0};
    if (dp_json_parse(&s->arena, text, n, path, &rec, &je))
        return dp_error_set(e, DP_EFORMAT, path, line, je.col, "%s", je.msg);
    if (rec->type != DP_JSON_OBJ)
        return dp_error_set(e, DP_EFORMAT, path, line, 1, "expected a JSON object");
    const struct dp_json *id = dp_json_get(rec, "id");
    if (id && id->type == DP_JSON_STR) {
        int rc = cstr(s, id, &p->id, "\"id\"", path, line, e);
        if (rc) return rc;
        struct dp_sbuf b = {0};
        dp_json_escape(&b, id->str, id->len, false);
        p->id_json = dp_arena_strndup(&s->arena, b.p, b.n);
        dp_sbuf_free(&b);
    } else if (id && id->type == DP_JSON_NUM) {
        struct dp_sbuf b = {0};
        struct dp_jw w;
        dp_jw_init(&w, &b, 0);
        dp_jw_value(&w, id);
        p->id = p->id_json = dp_arena_strndup(&s->arena, b.p, b.n);
        dp_sbuf_free(&b);
    } else if (id && id->type != DP_JSON_NULL) {
        return dp_error_set(e, DP_EFORMAT, path, line, id->col, "\"id\" must be a string or a number");
    }
    const struct dp_json *pr = dp_json_get(rec, "prompt"), *ms = dp_json_get(rec, "messages");
    int rc = 0;
    if (pr && pr->type == DP_JSON_STR) {
        rc = cstr(s, pr, &p->prompt, "\"prompt\"", path, line, e);
        if (!rc && ms && ms->type != DP_JSON_NULL) rc = read_messages(s, p, ms, path, line, e);
    } else if (ms && ms->type != DP_JSON_NULL) {
        rc = read_messages(s, p, ms, path, line, e);
    } else {
        return dp_error_set(e, DP_EFORMAT, path, line, 1,
                            "expected a string \"prompt\" or a non-empty \"messages\" list");
    }
    if (!rc) rc = opt_str(s, rec, "family", &p->family, path, line, e);
    if (!rc) rc = opt_str(s, rec, "template", &p->template, path, line, e);
    if (!rc) rc = opt_str(s, rec, "library", &p->library, path, line, e);
    return rc;
}

static int is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t') return 0;
    return 1;
}

int dp_prompts_parse(struct dp_prompt_set *s, const char *text, size_t n, const char *path,
                     struct dp_error *e)
{
    struct dp_map ids;
    dp_map_init(&ids);
    for (size_t k = 0; k < s->n; k++)   /* ids already in the set count as taken */
        dp_map_put(&ids, s->items[k].id_json, strlen(s->items[k].id_json), NULL);
    size_t i = 0;
    if (n >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) i = 3;
    int rc = 0;
    for (int line = 1; i < n && !rc; line++) {
        const char *nl = memchr(text + i, '\n', n - i);
        size_t j = nl ? (size_t)(nl - text) : n, end = j;
        if (end > i && text[end - 1] == '\r') end--;
        const char *ln = text + i;
        size_t len = end - i;
        i = j + 1;
        if (is_blank(ln, len)) continue;
        size_t bad;
        if (!dp_utf8_valid((const unsigned char *)ln, len, &bad)) {
            rc = dp_error_set(e, DP_EFORMAT, path, line, (int)bad + 1, "invalid UTF-8");
            break;
        }
        size_t mark = s->n;
        struct dp_prompt *p = dp_prompt_set_add(s);
        p->line = line;
        if (ln[0] == '{') {
            rc = read_record(s, p, ln, len, path, line, e);
        } else if (memchr(ln, 0, len)) {
            rc = dp_error_set(e, DP_EFORMAT, path, line, (int)((const char *)memchr(ln, 0, len) - ln) + 1,
                              "NUL character in a prompt");
        } else {
            p->prompt = dp_arena_strndup(&s->arena, ln, len);
        }
        if (!rc && !p->id) {
            char num[24];
            snprintf(num, sizeof num, "%d", line);
            p->id = p->id_json = dp_arena_strndup(&s->arena, num, strlen(num));
        }
        if (!rc && is_blank(p->prompt, strlen(p->prompt)))
            rc = dp_error_set(e, DP_EFORMAT, path, line, 1, "empty prompt");
        if (!rc && !dp_map_put(&ids, p->id_json, strlen(p->id_json), NULL))
            rc = dp_error_set(e, DP_EFORMAT, path, line, 1, "duplicate prompt id %s", p->id_json);
        if (rc) s->n = mark;
    }
    dp_map_free(&ids);
    return rc;
}

int dp_prompts_read(struct dp_prompt_set *s, const char *path, struct dp_error *e)
{
    char *text;
    size_t n;
    int rc = dp_file_read(path, &text, &n, e);
    if (rc) return rc;
    rc = dp_prompts_parse(s, text, n, path, e);
    free(text);
    return rc;
}

void dp_prompt_write_jsonl(struct dp_sbuf *out, const struct dp_prompt *p)
{
    struct dp_jw w;
    dp_jw_init(&w, out, 0);
    w.ascii = false;
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "id");
    if (p->id_json) {   /* raw JSON text of the id, kept as it was */
        dp_sbuf_puts(out, p->id_json);
        w.after_key = false;
        w.first[w.depth] = false;
    } else {
        dp_jw_str(&w, p->id ? p->id : "");
    }
    dp_jw_key(&w, "prompt");
    dp_jw_str(&w, p->prompt ? p->prompt : "");
    if (p->msgs) {
        dp_jw_key(&w, "messages");
        dp_jw_arr_begin(&w);
        for (int i = 0; i < p->nmsgs; i++) {
            dp_jw_obj_begin(&w);
            dp_jw_key(&w, "role");
            dp_jw_str(&w, p->msgs[i].role);
            dp_jw_key(&w, "content");
            dp_jw_str(&w, p->msgs[i].content);
            dp_jw_obj_end(&w);
        }
        dp_jw_arr_end(&w);
    }
    const char *keys[3] = {"family", "template", "library"};
    const char *vals[3] = {p->family, p->template, p->library};
    for (int k = 0; k < 3; k++)
        if (vals[k]) { dp_jw_key(&w, keys[k]); dp_jw_str(&w, vals[k]); }
    dp_jw_obj_end(&w);
    dp_sbuf_putc(out, '\n');
}

int dp_prompts_write(const char *path, const struct dp_prompt_set *s, struct dp_error *e)
{
    struct dp_sbuf b = {0};
    for (size_t i = 0; i < s->n; i++) dp_prompt_write_jsonl(&b, &s->items[i]);
    int rc = dp_file_write_atomic(path, b.p ? b.p : "", b.n, e);
    dp_sbuf_free(&b);
    return rc;
}
