/* The plugin rules' hand-written regex matchers against Python's `re`: every row of
 * regex_golden.json (frozen by gen_regex_golden.py from the 3.11 standard library's names and
 * strings plus edge cases) holds a string and whether Bandit's RE_CANDIDATES and SIMPLE_SQL_RE
 * match it; dp_plug_password_name and dp_plug_sql_like must answer the same. */
#include "harness.h"
#include "base/file.h"
#include "base/json.h"
#include "scan/rules/plugin_util.h"
#include <stdlib.h>

static const char *golden = "tests/scan/plugins/regex_golden.json";

static void check_golden(bool sql)
{
    struct dp_arena a;
    struct dp_error e = {0};
    struct dp_json *root = NULL;
    char *text = NULL;
    size_t n = 0;
    int bad = 0;
    dp_arena_init(&a, 1 << 16);
    EXPECT(dp_file_read(golden, &text, &n, &e) == 0);
    if (text) EXPECT(dp_json_parse(&a, text, n, golden, &root, &e) == 0);
    EXPECT(root && root->type == DP_JSON_ARR && root->len > 2000);
    for (size_t i = 0; root && i < root->len; i++) {
        const struct dp_json *row = root->items[i];
        const struct dp_json *s = row->items[0], *want = row->items[sql ? 2 : 1];
        bool got = sql ? dp_plug_sql_like(s->str, s->len) : dp_plug_password_name(s->str, s->len);
        if (got != want->b && bad++ < 10)
            fprintf(stderr, "%s: %s(%s) = %d, Python's re says %d\n", golden,
                    sql ? "sql" : "password", s->str, got, want->b);
    }
    EXPECT_INT(bad, 0);
    free(text);
    dp_arena_free(&a);
}

static void password_names_match_python(void) { check_golden(false); }
static void sql_strings_match_python(void) { check_golden(true); }

int main(void)
{
    RUN(password_names_match_python);
    RUN(sql_strings_match_python);
    TEST_END();
}
