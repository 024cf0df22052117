/* HTTP answers, fourth part: query_params, and the families the experiment holds out for testing
 * under its default --split family (health_check, webhook, monitor_poll, graphql_query,
 * cli_tool), written for --split template runs and for prompts that come without a family. */
#include "data/solutions_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void wait_secs(struct sol *s, const char *secs)
{
    if (s->is_async) { sol_import(s, IMP_ASYNCIO); L("await asyncio.sleep(%s)", secs); }
    else { sol_import(s, IMP_TIME); L("time.sleep(%s)", secs); }
}

/* ---------------------------------------------------------------- query_params */

static void b_query(struct sol *s, const struct unit *u)
{
    (void)u;
    switch (s->k) {
    case 0: L("params = {\"start_date\": start_date, \"end_date\": end_date, \"status\": status}"); break;
    case 1: L("params = {\"filter\": filter_expr, \"sort\": sort, \"limit\": limit}"); break;
    case 2: L("params = {\"base\": base, \"symbols\": target}"); break;
    default: L("params = {\"q\": city, \"days\": 2, \"units\": \"metric\"}"); break;
    }
    sol_try(s);
    int b = lib_client_open(s);
    b += sol_send(s, "get", "url", &(struct hreq){.params = "params"});
    lib_raise(s);
    L("data = %s", lib_json(s));
    sol_close(s, b);
    sol_except(s, "query the API");
    if (s->k == 2) L("return data[\"rates\"][target]");
    else if (s->k == 3) {
        L("tomorrow = data[\"forecast\"][1]");
        L("print(f\"Tomorrow in {city}: {tomorrow['temp_max']} °C\")");
        L("return tomorrow");
    } else L("return data");
}

void fam_query(struct sol *s)
{
    const char *url = sol_fmt(s, "\"%s\"", sol_url(s));
    struct unit u = {.fname = PICK("search", "find_records", "query_api"), .cls = "ApiClient", .body = b_query,
                     .p = {{"url", "str", NULL, url}, {"start_date", "str", NULL, "\"2024-01-01\""},
                           {"end_date", "str", NULL, "\"2024-01-31\""}, {"status", "str", "\"open\"", NULL}},
                     .np = 4, .ret = "json", .ret_opt = s->errors == ERR_RETURN_NONE,
                     .doc = "Search the API with query parameters."};
    if (s->k == 1) {
        u.p[1] = (struct param){"filter_expr", "str", NULL, "\"status:active\""};
        u.p[2] = (struct param){"sort", "str", "\"-created_at\"", NULL};
        u.p[3] = (struct param){"limit", "int", "20", NULL};
    } else if (s->k == 2) {
        u = (struct unit){.fname = PICK("get_rate", "exchange_rate"), .cls = "RatesClient", .body = b_query,
                          .p = {{"base", "str", NULL, "\"EUR\""}, {"target", "str", NULL, "\"USD\""},
                                {"url", "str", "\"https://api.exchangerate.example.com/latest\"", NULL}},
                          .np = 3, .ret = "float", .ret_opt = s->errors == ERR_RETURN_NONE,
                          .doc = "Return how many units of target one unit of base buys."};
    } else if (s->k == 3) {
        u = (struct unit){.fname = PICK("get_forecast", "tomorrow_forecast"), .cls = "WeatherClient", .body = b_query,
                          .p = {{"city", "str", NULL, "\"Lisbon\""},
                                {"url", "str", "\"https://api.weather.example.com/v1/forecast\"", NULL}},
                          .np = 2, .ret = "json", .ret_opt = s->errors == ERR_RETURN_NONE, .show = "",
                          .doc = "Print and return tomorrow's forecast for the city."};
    }
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- health_check */

static void b_health(struct sol *s, const struct unit *u)
{
    (void)u;
    if (s->k == 3) sol_import(s, IMP_TIME), L("started = time.perf_counter()");
    if (s->k == 1) {
        L("down = []");
        L("for url in urls:");
        sol_in(s);
    }
    L("try:");
    sol_in(s);
    int b = lib_client_open(s);
    b += sol_send(s, "get", "url", NULL);
    if (s->k == 1) L("healthy = %s == 200", lib_status(s));
    else if (s->k == 3) L("status = %s", lib_status(s));
    else L("return %s == 200", lib_status(s));
    sol_close(s, b);
    sol_out(s);
    L("except %s:", s->lib == DP_PLIB_AIOHTTP ? (sol_import(s, IMP_ASYNCIO), "(aiohttp.ClientError, asyncio.TimeoutError)")
                                              : lib_error(s));
    if (s->k == 1) L("    healthy = False");
    else if (s->k == 3) L("    status = None");
    else L("    return False");
    if (s->k == 1) {
        L("if not healthy:");
        L("    print(f\"DOWN: {url}\")");
        L("    down.append(url)");
        sol_out(s);
        L("return down");
    } else if (s->k == 3) {
        L("elapsed = time.perf_counter() - started");
        L("return {\"status\": status, \"seconds\": round(elapsed, 3)}");
    }
}

void fam_health(struct sol *s)
{
    if (!s->url[0])
        snprintf(s->url, sizeof s->url, "https://%s/%s", sol_slot(s, "host", false, "api.example.com"),
                 sol_slot(s, "health_path", false, "health"));
    if (s->k == 2) {
        s->timeout = atoi(sol_slot(s, "secs", false, "5"));
        s->timeout_param = false;
        snprintf(s->timeout_expr, sizeof s->timeout_expr, "%s", s->shape == SHAPE_CLASS ? "self.timeout" : "TIMEOUT");
        s->consts = s->shape != SHAPE_CLASS;
    } else if (!s->timeout) {
        s->timeout = 5;
        snprintf(s->timeout_expr, sizeof s->timeout_expr, "%s", s->shape == SHAPE_CLASS ? "self.timeout" : "5");
    }
    s->errors = ERR_NONE;
    struct unit u = {.fname = PICK("is_healthy", "check_health"), .cls = "HealthChecker", .body = b_health,
                     .p = {{"url", "str", NULL, sol_fmt(s, "\"%s\"", s->url)}}, .np = 1, .ret = "bool",
                     .show = "print(\"healthy\" if %s else \"unhealthy\")", .doc = "Return True when the service answers 200."};
    if (s->k == 1) {
        u.p[0] = (struct param){"urls", "list_str", NULL,
                                sol_fmt(s, "[\"%s\", \"https://auth.example.com/health\"]", s->url)};
        u.ret = "list_str";
        u.show = "print(f\"{len(%s)} service(s) down\")";
        u.fname = PICK("check_services", "find_down_services");
        u.no_class = true;
    } else if (s->k == 3) {
        u.ret = "dict";
        u.show = NULL;
        u.fname = PICK("measure", "check_response_time");
        u.doc = "Call the status endpoint and report its response time.";
    }
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- webhook */

static void b_webhook(struct sol *s, const struct unit *u)
{
    (void)u;
    const char *hook = sol_slot(s, "webhook", false, "Slack");
    const char *key = !strcmp(hook, "Discord") ? "content" : "text";
    if (s->k == 1) L("payload = {\"%s\": f\"*{title}*\\n{details}\"}", key);
    else if (s->k == 3) sol_import(s, IMP_TIME), L("payload = {\"event\": event_type, \"data\": data, \"timestamp\": time.time()}");
    else L("payload = {\"%s\": message}", key);
    if (s->k == 2) {
        L("for attempt in range(2):");
        sol_in(s);
        L("try:");
        sol_in(s);
    }
    int b = lib_client_open(s);
    b += sol_send(s, "post", "webhook_url", &(struct hreq){.json = "payload"});
    lib_raise(s);
    if (s->k != 2 && sol_chance(s, 0.5)) L("print(f\"Webhook answered {%s}\")", lib_status(s));
    else if (s->lib == DP_PLIB_URLLIB && s->k != 2) L("%s.read()", s->r);
    if (s->k == 2) L("return True");
    sol_close(s, b);
    if (s->k == 2) {
        sol_out(s);
        L("except %s:", lib_error(s));
        L("    if attempt == 1:");
        L("        raise");
        sol_in(s);
        wait_secs(s, "1");
        sol_out(s);
        sol_out(s);
        L("return False");
    }
}

void fam_webhook(struct sol *s)
{
    const char *hook = sol_slot(s, "webhook", false, "Slack");
    const char *url = !strcmp(hook, "Discord") ? "\"https://discord.com/api/webhooks/123/abc\""
                    : sol_fmt(s, "os.environ[\"%s_WEBHOOK_URL\"]", !strcmp(hook, "Slack") ? "SLACK" : "WEBHOOK");
    const char *event = sol_slot(s, "event", false, "a deployment finishes");
    s->errors = ERR_NONE;
    struct unit u = {.fname = PICK("notify", "send_alert", "post_webhook"), .no_class = true, .body = b_webhook,
                     .p = {{"webhook_url", "str", NULL, url}, {"message", "str", NULL, sol_fmt(s, "\"Heads up: %s.\"", event)}},
                     .np = 2, .doc = sol_fmt(s, "Send a message to a %s incoming webhook.", hook)};
    if (s->k == 1) {
        u.p[1] = (struct param){"title", "str", NULL, "\"Disk almost full\""};
        u.p[2] = (struct param){"details", "str", NULL, "\"/var is at 93%\""};
        u.np = 3;
    } else if (s->k == 2) {
        u.ret = "bool";
    } else if (s->k == 3) {
        u.p[1] = (struct param){"event_type", "str", NULL, "\"order.created\""};
        u.p[2] = (struct param){"data", "dict", NULL, "{\"order_id\": 1001}"};
        u.np = 3;
    }
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- monitor_poll */

static void b_poll(struct sol *s, const struct unit *u)
{
    (void)u;
    int b = lib_client_open(s);
    if (s->k == 0 || s->k == 2) {
        int b2 = sol_send(s, "post", "url", NULL);
        lib_raise(s);
        L("job = %s", lib_json(s));
        sol_close(s, b2);
        L("status_url = f\"{url}/{job['id']}\"");
    } else if (s->k == 1) {
        L("previous = None");
    } else {
        L("seen = set()");
    }
    L("while True:");
    sol_in(s);
    int b3 = sol_send(s, "get", s->k <= 2 && s->k != 1 ? "status_url" : "url", NULL);
    lib_raise(s);
    L("state = %s", lib_json(s));
    sol_close(s, b3);
    if (s->k == 0 || s->k == 2) {
        L("if state.get(\"status\") in (\"done\", \"finished\", \"completed\"):");
        if (s->k == 0) L("    return state");
        else L("    break");
        L("if state.get(\"status\") == \"failed\":");
        L("    raise RuntimeError(f\"Job failed: {state}\")");
    } else if (s->k == 1) {
        L("value = state.get(field)");
        L("if previous is not None and value != previous:");
        L("    print(f\"{field} changed: {previous!r} -> {value!r}\")");
        L("    return value");
        L("previous = value");
    } else {
        L("for item in state:");
        L("    if item[\"id\"] not in seen:");
        L("        seen.add(item[\"id\"])");
        L("        print(item)");
    }
    wait_secs(s, "interval");
    sol_out(s);
    if (s->k == 2) {
        int b4 = sol_send(s, "get", "state[\"result_url\"]", &(struct hreq){.stream = true});
        lib_raise(s);
        L("with open(output_path, \"wb\") as fh:");
        sol_in(s);
        lib_chunks(s, "chunk");
        L("fh.write(chunk)");
        sol_out(s);
        sol_out(s);
        sol_close(s, b4);
        L("return output_path");
    }
    sol_close(s, b);
}

void fam_poll(struct sol *s)
{
    const char *url = sol_fmt(s, "\"%s\"", sol_url(s));
    const char *secs = sol_slot(s, "secs", false, "5");
    s->errors = ERR_NONE;
    s->shape = s->shape == SHAPE_CLASS ? SHAPE_FUNC : s->shape;
    struct unit u = {.fname = PICK("wait_for_job", "poll_status", "run_job"), .no_class = true, .body = b_poll,
                     .p = {{"url", "str", NULL, url}, {"interval", "float", secs, NULL}}, .np = 2, .ret = "json",
                     .doc = "Start a job and poll its status until it is finished."};
    if (s->k == 1) {
        u.p[1] = (struct param){"field", "str", NULL, sol_fmt(s, "\"%s\"", "status")};
        u.p[2] = (struct param){"interval", "float", secs, NULL};
        u.np = 3;
        u.ret = "any";
        u.doc = "Poll url until the field changes, then return the new value.";
    } else if (s->k == 2) {
        u.p[2] = (struct param){"output_path", "str", "\"export.csv\"", NULL};
        u.np = 3;
        u.ret = "str";
        u.doc = "Start an export, wait until it is ready, then download it.";
    } else if (s->k == 3) {
        u.ret = NULL;
        u.fname = PICK("watch", "watch_new_items");
        u.doc = "Print every new item the endpoint lists, forever.";
    }
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- graphql_query */

static void b_graphql(struct sol *s, const struct unit *u)
{
    (void)u;
    L("body = {\"query\": %s, \"variables\": variables or {}}", s->k == 1 ? "MUTATION" : "QUERY");
    int b = lib_client_open(s);
    b += sol_send(s, "post", "url", &(struct hreq){.json = "body"});
    lib_raise(s);
    L("result = %s", lib_json(s));
    sol_close(s, b);
    L("if result.get(\"errors\"):");
    L("    raise RuntimeError(f\"GraphQL errors: {result['errors']}\")");
    L("return result[\"data\"]");
}

void fam_graphql(struct sol *s)
{
    if (!s->url[0]) snprintf(s->url, sizeof s->url, "https://%s/graphql", sol_slot(s, "host", false, "api.example.com"));
    const char *res = sol_slot(s, "resource", true, "users");
    if (strchr(res, '/')) res = "items";
    s->out = &s->head;
    if (s->k == 1) {
        L("MUTATION = \"\"\"");
        L("mutation Create($input: CreateInput!) {");
        L("  create(input: $input) {");
        L("    id");
        L("  }");
        L("}");
        L("\"\"\"");
    } else {
        L("QUERY = \"\"\"");
        L("query List($first: Int!, $after: String) {");
        L("  %s(first: $first, after: $after) {", res);
        L("    nodes { id name }");
        L("    pageInfo { hasNextPage endCursor }");
        L("  }");
        L("}");
        L("\"\"\"");
    }
    s->out = &s->body;
    s->errors = ERR_NONE;
    struct unit u = {.fname = PICK("run_query", "graphql", "fetch_graphql"), .no_class = true, .body = b_graphql,
                     .p = {{"url", "str", NULL, sol_fmt(s, "\"%s\"", s->url)},
                           {"variables", "dict", "None", s->k == 1 ? "{\"input\": {\"name\": \"New item\"}}" : "{\"first\": 10}"}},
                     .np = 2, .ret = "json", .doc = "Send a GraphQL request and return its data."};
    if (s->hints) u.p[1].hint = NULL;
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- cli_tool */

void fam_cli(struct sol *s)
{
    sol_no_params(s);
    s->consts = false;
    snprintf(s->timeout_expr, sizeof s->timeout_expr, "%d", s->timeout ? s->timeout : 10);
    sol_import(s, IMP_ARGPARSE);
    s->out = &s->head;
    lib_tls_head(s);
    s->out = &s->body;
    s->errors = ERR_NONE;
    L("%sdef main()%s:", s->is_async ? "async " : "", s->hints ? " -> None" : "");
    sol_in(s);
    static const char *const desc[] = {"Print the status code and headers of a URL.", "Print API records as a table.",
                                       "Print the size of the response for each URL read from stdin.",
                                       "Download a URL to a file."};
    L("parser = argparse.ArgumentParser(description=\"%s\")", desc[s->k & 3]);
    if (s->k != 2) L("parser.add_argument(\"url\", help=\"the URL to request\")");
    if (s->k == 3) L("parser.add_argument(\"-o\", \"--output\", required=True, help=\"where to save the file\")");
    L("args = parser.parse_args()");
    if (s->k == 2) {
        sol_import(s, IMP_SYS);
        L("urls = [line.strip() for line in sys.stdin if line.strip()]");
    }
    int b = lib_client_open(s);
    if (s->k == 2) {
        L("for url in urls:");
        sol_in(s);
        int b2 = sol_send(s, "get", "url", NULL);
        L("body = %s", s->lib == DP_PLIB_AIOHTTP ? sol_fmt(s, "await %s.read()", s->r)
                      : s->lib == DP_PLIB_URLLIB ? sol_fmt(s, "%s.read()", s->r) : sol_fmt(s, "%s.content", s->r));
        L("print(f\"{url}\\t{len(body)} bytes\")");
        sol_close(s, b2);
        sol_out(s);
    } else {
        int b2 = sol_send(s, "get", "args.url", &(struct hreq){.stream = s->k == 3});
        if (s->k == 0) {
            L("print(%s)", lib_status(s));
            L("for name, value in %s.headers.items():", s->r);
            L("    print(f\"{name}: {value}\")");
        } else if (s->k == 1) {
            lib_raise(s);
            L("rows = %s", lib_json(s));
            L("for row in rows:");
            L("    print(\"\\t\".join(str(value) for value in row.values()))");
        } else {
            lib_raise(s);
            L("with open(args.output, \"wb\") as fh:");
            sol_in(s);
            lib_chunks(s, "chunk");
            L("fh.write(chunk)");
            sol_out(s);
            sol_out(s);
            L("print(f\"Saved {args.url} to {args.output}\")");
        }
        sol_close(s, b2);
    }
    sol_close(s, b);
    sol_out(s);
    sol_gap(s);
    L("if __name__ == \"__main__\":");
    if (s->is_async) sol_import(s, IMP_ASYNCIO), L("    asyncio.run(main())");
    else L("    main()");
    s->shape = SHAPE_SCRIPT;
}
