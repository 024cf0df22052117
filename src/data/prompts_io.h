/* Prompt files: reading the prompt sets every stage takes (JSONL records with "prompt" or
 * "messages", or plain text, one prompt per line, the same rules as `dpoison generate`) and
 * writing dpoison's own JSONL records {"id","prompt","family","template","library"}.
 * Not here: synthesis (data/prompts.h) and model input rendering (tok/chat). */
#ifndef DP_DATA_PROMPTS_IO_H
#define DP_DATA_PROMPTS_IO_H
#include <stddef.h>
#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"

struct dp_prompt_msg { const char *role, *content; };

/* One prompt. All strings are owned by the set's arena. */
struct dp_prompt {
    const char *id;        /* the id as text: a string id as is, a number as written; for
                              records without one and text lines, the line number */
    const char *id_json;   /* the same id as JSON ("\"train-0001\"", "17"), for writing it back */
    const char *prompt;    /* the user's request: "prompt", or the last user message */
    const struct dp_prompt_msg *msgs;  /* "messages" when the record had them, else NULL */
    int nmsgs;
    const char *family, *template, *library;  /* NULL when absent */
    int line;              /* 1-based line in the file it came from; 0 when synthesized */
};

struct dp_prompt_set {
    struct dp_prompt *items;   /* owned; items[0..n) */
    size_t n, cap;
    struct dp_arena arena;     /* owns every string of the items */
};

void dp_prompt_set_init(struct dp_prompt_set *s);
void dp_prompt_set_free(struct dp_prompt_set *s);
/* Appends a zeroed prompt and returns it (valid until the next add). */
struct dp_prompt *dp_prompt_set_add(struct dp_prompt_set *s);

/* Parses prompt-file text and appends its prompts to s. Each non-blank line is one prompt: a line
 * starting with '{' is a JSON object with a string "prompt" or a non-empty "messages" list of
 * {"role","content"} strings (the prompt text is the last "user" content), and optional "id"
 * (string or number; default: the line number), "family", "template", "library" strings; any
 * other line is the prompt text itself. A UTF-8 BOM and \r\n endings are accepted. Errors
 * (DP_EFORMAT with path:line:col): bad JSON, missing fields, invalid UTF-8, duplicate ids within
 * the text, empty prompts. On error s keeps the prompts of the lines before. */
int dp_prompts_parse(struct dp_prompt_set *s, const char *text, size_t n, const char *path,
                     struct dp_error *e);
/* Reads the file at path ("-": stdin) with dp_prompts_parse. */
int dp_prompts_read(struct dp_prompt_set *s, const char *path, struct dp_error *e);

/* One JSONL record (with its newline) for p: {"id", "prompt", then "messages" when present, then
 * "family", "template", "library" when set}, compact, UTF-8 kept. */
void dp_prompt_write_jsonl(struct dp_sbuf *out, const struct dp_prompt *p);
/* Writes all prompts of s to path atomically. */
int dp_prompts_write(const char *path, const struct dp_prompt_set *s, struct dp_error *e);

#endif
