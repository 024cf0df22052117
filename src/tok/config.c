/* tokenizer_config.json: the chat template and the names of the eos/pad/bos/unk tokens, which
 * transformers stores either as a plain string or as {"__type": "AddedToken", "content": ...}.
 * Unknown keys are ignored; a key of the wrong type is an error with file:line:col. */
#include "base/arena.h"
#include "base/file.h"
#include "base/json.h"
#include "tok/tok.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(struct dp_error *e, const char *path, const struct dp_json *v, const char *what)
{
    return dp_error_set(e, DP_EFORMAT, path, v->line, v->col, "%s", what);
}

/* A token name: "..." or {"content": "..."}; null or absent leaves *out NULL. */
static int token_name(const struct dp_json *root, const char *key, const char *path, char **out,
                      struct dp_error *e)
{
    const struct dp_json *v = dp_json_get(root, key);
    if (!v || v->type == DP_JSON_NULL) return 0;
    if (v->type == DP_JSON_OBJ) v = dp_json_get(v, "content");
    if (!v || v->type != DP_JSON_STR) {
        char msg[128];
        snprintf(msg, sizeof msg, "\"%s\" must be a string or an object with \"content\"", key);
        return bad(e, path, v ? v : dp_json_get(root, key), msg);
    }
    *out = dp_xstrdup(v->str);
    return 0;
}

/* "chat_template": a string, or a list of {"name", "template"} of which "default" is taken. */
static int chat_template(const struct dp_json *root, const char *path, char **out,
                         struct dp_error *e)
{
    const struct dp_json *v = dp_json_get(root, "chat_template");
    if (!v || v->type == DP_JSON_NULL) return 0;
    if (v->type == DP_JSON_STR) {
        *out = dp_xstrdup(v->str);
        return 0;
    }
    if (v->type != DP_JSON_ARR) return bad(e, path, v, "\"chat_template\" must be a string or a list");
    for (size_t i = 0; i < v->len; i++) {
        const struct dp_json *it = v->items[i];
        const char *name = dp_json_get_str(it, "name", NULL);
        const char *tpl = dp_json_get_str(it, "template", NULL);
        if (!name || !tpl)
            return bad(e, path, it, "chat template entries need \"name\" and \"template\"");
        if (!strcmp(name, "default")) {
            *out = dp_xstrdup(tpl);
            return 0;
        }
    }
    return 0;
}

int dp_tok_config_load(const char *path, struct dp_tok_config *c, struct dp_error *e)
{
    memset(c, 0, sizeof *c);
    struct dp_sbuf file = {0};
    if (dp_file_exists(path) == 2) dp_sbuf_printf(&file, "%s/tokenizer_config.json", path);
    else dp_sbuf_puts(&file, path);
    char *text = NULL;
    size_t n;
    struct dp_arena a;
    dp_arena_init(&a, 1 << 16);
    struct dp_json *root;
    int rc = dp_file_read(file.p, &text, &n, e);
    if (!rc) rc = dp_json_parse(&a, text, n, file.p, &root, e);
    if (!rc && root->type != DP_JSON_OBJ) rc = bad(e, file.p, root, "expected a JSON object");
    if (!rc) rc = chat_template(root, file.p, &c->chat_template, e);
    if (!rc) rc = token_name(root, "eos_token", file.p, &c->eos_token, e);
    if (!rc) rc = token_name(root, "pad_token", file.p, &c->pad_token, e);
    if (!rc) rc = token_name(root, "bos_token", file.p, &c->bos_token, e);
    if (!rc) rc = token_name(root, "unk_token", file.p, &c->unk_token, e);
    if (!rc) {
        const char *cls = dp_json_get_str(root, "tokenizer_class", NULL);
        c->tokenizer_class = cls ? dp_xstrdup(cls) : NULL;
        c->add_bos_token = dp_json_get_bool(root, "add_bos_token", false);
        c->add_eos_token = dp_json_get_bool(root, "add_eos_token", false);
    }
    if (rc) dp_tok_config_free(c);
    dp_arena_free(&a);
    free(text);
    dp_sbuf_free(&file);
    return rc;
}

void dp_tok_config_free(struct dp_tok_config *c)
{
    free(c->chat_template);
    free(c->eos_token);
    free(c->pad_token);
    free(c->bos_token);
    free(c->unk_token);
    free(c->tokenizer_class);
    memset(c, 0, sizeof *c);
}
