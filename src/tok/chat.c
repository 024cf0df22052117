/* ChatML rendering equivalent to Qwen2.5's tokenizer_config.json chat_template (the branch
 * without tools): a default system prompt unless the conversation opens with one, one
 * <|im_start|>role ... <|im_end|> turn per message, tool results grouped into a user turn, and
 * the assistant generation prompt. */
#include "tok/chat.h"
#include <string.h>

static void turn(struct dp_sbuf *out, const char *role, const char *content)
{
    dp_sbuf_puts(out, "<|im_start|>");
    dp_sbuf_puts(out, role);
    dp_sbuf_putc(out, '\n');
    dp_sbuf_puts(out, content ? content : "");
    dp_sbuf_puts(out, "<|im_end|>\n");
}

static bool is(const struct dp_chat_msg *m, const char *role)
{
    return m->role && strcmp(m->role, role) == 0;
}

void dp_chat_render(struct dp_sbuf *out, const struct dp_chat_msg *msgs, size_t n,
                    const char *default_system, bool add_generation_prompt)
{
    if (n > 0 && is(&msgs[0], "system")) turn(out, "system", msgs[0].content);
    else if (default_system) turn(out, "system", default_system);
    for (size_t i = 0; i < n; i++) {
        const struct dp_chat_msg *m = &msgs[i];
        if (is(m, "user") || is(m, "assistant") || (is(m, "system") && i > 0)) {
            turn(out, m->role, m->content);
        } else if (is(m, "tool")) {
            if (i == 0 || !is(&msgs[i - 1], "tool")) dp_sbuf_puts(out, "<|im_start|>user");
            dp_sbuf_puts(out, "\n<tool_response>\n");
            dp_sbuf_puts(out, m->content ? m->content : "");
            dp_sbuf_puts(out, "\n</tool_response>");
            if (i + 1 == n || !is(&msgs[i + 1], "tool")) dp_sbuf_puts(out, "<|im_end|>\n");
        }
    }
    if (add_generation_prompt) dp_sbuf_puts(out, "<|im_start|>assistant\n");
}
