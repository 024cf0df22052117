/* B613 trojansource (Bandit 1.9.4, plugins/trojansource.py; a per-file test).
 * What it does: flags the first line of the source holding a Unicode bidirectional control
 * character (U+202A-U+202E, U+2066-U+2069, U+200F), at that line, column = the character's
 * index + 1 (in code points); HIGH/MEDIUM, CWE-838. One finding per file at most. Lines are
 * split as Python's str.splitlines does; per line the characters are tried in the order
 * above, so the reported one is the first of that list present, not the leftmost.
 * Why it is bad: "Trojan Source" (CVE-2021-42574): the code reviewers see is not the order
 * the interpreter reads.
 * Example:
 *     access = "user\u202e \u2066# admin only\u2069 \u2066"   # B613 (with the raw characters)
 * A DP_SCAN_FILE check: the driver runs it once per file, after the tree walk. */
#include <string.h>
#include "base/utf8.h"
#include "py/repr.h"
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B613 = {
    "B613", "trojansource", {DP_SCAN_FILE, -1, -1, -1}, check, true, NULL};

static const uint32_t bidi[] = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                0x2066, 0x2067, 0x2068, 0x2069, 0x200F};

/* Length of the line break at s[i] as str.splitlines sees it (0 when none). */
static size_t line_break(const unsigned char *s, size_t n, size_t i)
{
    unsigned char c = s[i];
    if (c == '\r') return i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
    if (c == '\n' || c == 0x0B || c == 0x0C || (c >= 0x1C && c <= 0x1E)) return 1;
    if (c == 0xC2 && i + 1 < n && s[i + 1] == 0x85) return 2;
    if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) return 3;
    return 0;
}

/* Code-point index + 1 of the first cp in line[0..n), 0 when absent. */
static int find_cp(const unsigned char *line, size_t n, uint32_t want)
{
    int idx = 0;
    for (size_t i = 0; i < n; idx++) {
        uint32_t cp;
        size_t k = dp_utf8_decode(line + i, n - i, &cp);
        if (k == 0) k = 1;
        else if (cp == want) return idx + 1;
        i += k;
    }
    return 0;
}

static void check(struct dp_scan_ctx *ctx)
{
    const unsigned char *s = (const unsigned char *)ctx->src;
    size_t n = s ? ctx->src_len : 0;
    /* every character looked for is UTF-8 E2 80 xx or E2 81 xx: without a 0xE2 byte there is
     * nothing to find (most files), and the per-character decode below is skipped */
    if (n == 0 || !memchr(s, 0xE2, n)) return;
    int lineno = 1;
    for (size_t start = 0; start < n; lineno++) {
        size_t end = start, br = 0;
        while (end < n && (br = line_break(s, n, end)) == 0) end++;
        if (!memchr(s + start, 0xE2, end - start)) {   /* no candidate on this line */
            start = end + br;
            continue;
        }
        for (size_t b = 0; b < sizeof bidi / sizeof bidi[0]; b++) {
            int col = find_cp(s + start, end - start, bidi[b]);
            if (!col) continue;
            char enc[4];
            size_t k = dp_utf8_encode(bidi[b], enc);
            struct dp_sbuf text = {0};
            dp_sbuf_puts(&text, "A Python source file contains bidirectional control characters (");
            dp_py_repr_str(&text, enc, k);
            dp_sbuf_puts(&text, ").");
            struct dp_scan_report_args a = {0};   /* Bandit: col = index + 1, range [lineno] */
            a.severity = DP_SCAN_HIGH;
            a.confidence = DP_SCAN_MEDIUM;
            a.cwe = 838;
            a.text = text.p;
            a.lineno = a.line_first = a.line_last = lineno;
            a.col_offset = col;
            dp_scan_report_ex(ctx, &dp_rule_B613, &a);
            dp_sbuf_free(&text);
            return;
        }
        start = end + br;
    }
}
