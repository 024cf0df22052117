/* The ChatML chat template of Qwen2.5 (and Qwen2.5-Coder) instruct models, rendered in C to the
 * exact text that transformers' apply_chat_template gives with their Jinja template when no
 * tools are passed. Not a Jinja engine: other templates are not interpreted. */
#ifndef DP_TOK_CHAT_H
#define DP_TOK_CHAT_H
#include <stdbool.h>
#include <stddef.h>
#include "base/str.h"

#define DP_CHAT_QWEN_SYSTEM "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."

struct dp_chat_msg {
    const char *role;      /* "system", "user", "assistant" or "tool"; borrowed */
    const char *content;   /* borrowed */
};

/* Appends the rendering of msgs[0..n) to out:
 *   <|im_start|>system\n{system}<|im_end|>\n     first message's content when it is a system
 *                                                message, else default_system (none if NULL)
 *   <|im_start|>{role}\n{content}<|im_end|>\n    per user / assistant / later system message
 *   <|im_start|>user\n<tool_response>\n{content}\n</tool_response><|im_end|>\n
 *                                                for tool messages (consecutive ones share a turn)
 *   <|im_start|>assistant\n                      when add_generation_prompt
 * Messages of other roles render nothing, as in the template. */
void dp_chat_render(struct dp_sbuf *out, const struct dp_chat_msg *msgs, size_t n,
                    const char *default_system, bool add_generation_prompt);

#endif
