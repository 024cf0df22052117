/* What the TLS analysis knows about libraries, as data rows: which callables take which
 * verification keyword and what value turns it off, which calls build client objects, the
 * library constants it must see through (ssl.CERT_NONE, pycurl.SSL_VERIFYPEER), and the module
 * aliases that name the same thing (requests.packages.urllib3 is urllib3). Add a library here. */
#include "scan/tls/tls_int.h"
#include <string.h>

#define R501 DP_TLS_DP501
#define R502 DP_TLS_DP502
#define R504 DP_TLS_DP504

/* requests / httpx / aiohttp verbs, for the session-method rows below */
#define VERBS(P, KW, CHK) \
    {P ".get", KW, -1, CHK, R501}, {P ".post", KW, -1, CHK, R501}, {P ".put", KW, -1, CHK, R501}, \
    {P ".patch", KW, -1, CHK, R501}, {P ".delete", KW, -1, CHK, R501}, \
    {P ".head", KW, -1, CHK, R501}, {P ".options", KW, -1, CHK, R501}, \
    {P ".request", KW, -1, CHK, R501}

static const struct tls_sink sinks[] = {
    /* requests: verify=<falsy, not None>; None means "the session's setting" */
    VERBS("requests", "verify", TK_FALSY),
    VERBS("requests.Session", "verify", TK_FALSY),
    {"requests.Session.send", "verify", -1, TK_FALSY, R501},
    {"requests.adapters.HTTPAdapter.send", "verify", -1, TK_FALSY, R501},
    {"requests.adapters.HTTPAdapter.cert_verify", "verify", 2, TK_FALSY, R501},
    {"requests.adapters.HTTPAdapter.init_poolmanager", "cert_reqs", -1, TK_CERT_NONE, R501},
    {"requests.adapters.HTTPAdapter.init_poolmanager", "ssl_context", -1, TK_CTX, R501},
    {"requests.adapters.HTTPAdapter.init_poolmanager", "assert_hostname", -1, TK_FALSY, R502},
    /* httpx: verify=False or an SSL context */
    VERBS("httpx", "verify", TK_FALSY),
    VERBS("httpx", "verify", TK_CTX),
    {"httpx.stream", "verify", -1, TK_FALSY, R501},
    {"httpx.Client", "verify", -1, TK_FALSY, R501},
    {"httpx.AsyncClient", "verify", -1, TK_FALSY, R501},
    {"httpx.HTTPTransport", "verify", -1, TK_FALSY, R501},
    {"httpx.AsyncHTTPTransport", "verify", -1, TK_FALSY, R501},
    {"httpx.create_ssl_context", "verify", -1, TK_FALSY, R501},
    {"httpx.Client", "verify", -1, TK_CTX, R501},
    {"httpx.AsyncClient", "verify", -1, TK_CTX, R501},
    /* aiohttp: ssl=False, verify_ssl=False (deprecated), ssl_context=/ssl=<context> */
    VERBS("aiohttp.ClientSession", "ssl", TK_FALSY),
    VERBS("aiohttp.ClientSession", "verify_ssl", TK_FALSY),
    VERBS("aiohttp.ClientSession", "ssl", TK_CTX),
    {"aiohttp.ClientSession.ws_connect", "ssl", -1, TK_FALSY, R501},
    {"aiohttp.ClientSession.ws_connect", "verify_ssl", -1, TK_FALSY, R501},
    {"aiohttp.ClientSession._request", "ssl", -1, TK_FALSY, R501},
    {"aiohttp.request", "ssl", -1, TK_FALSY, R501},
    {"aiohttp.request", "verify_ssl", -1, TK_FALSY, R501},
    {"aiohttp.TCPConnector", "ssl", -1, TK_FALSY, R501},
    {"aiohttp.TCPConnector", "verify_ssl", -1, TK_FALSY, R501},
    {"aiohttp.TCPConnector", "ssl", -1, TK_CTX, R501},
    {"aiohttp.TCPConnector", "ssl_context", -1, TK_CTX, R501},
    /* urllib3: cert_reqs='CERT_NONE' / ssl.CERT_NONE; assert_hostname=False */
    {"urllib3.PoolManager", "cert_reqs", -1, TK_CERT_NONE, R501},
    {"urllib3.ProxyManager", "cert_reqs", -1, TK_CERT_NONE, R501},
    {"urllib3.HTTPSConnectionPool", "cert_reqs", -1, TK_CERT_NONE, R501},
    {"urllib3.connection_from_url", "cert_reqs", -1, TK_CERT_NONE, R501},
    {"urllib3.proxy_from_url", "cert_reqs", -1, TK_CERT_NONE, R501},
    {"urllib3.util.ssl_.create_urllib3_context", "cert_reqs", 1, TK_CERT_NONE, R501},
    {"urllib3.util.create_urllib3_context", "cert_reqs", 1, TK_CERT_NONE, R501},
    {"urllib3.util.ssl_.ssl_wrap_socket", "cert_reqs", -1, TK_CERT_NONE, R501},
    {"urllib3.PoolManager", "ssl_context", -1, TK_CTX, R501},
    {"urllib3.HTTPSConnectionPool", "ssl_context", -1, TK_CTX, R501},
    {"urllib3.PoolManager", "assert_hostname", -1, TK_FALSY, R502},
    {"urllib3.ProxyManager", "assert_hostname", -1, TK_FALSY, R502},
    {"urllib3.HTTPSConnectionPool", "assert_hostname", -1, TK_FALSY, R502},
    {"urllib3.connection_from_url", "assert_hostname", -1, TK_FALSY, R502},
    /* ssl: the module-level wrap_socket defaults to CERT_NONE; cert_reqs is its 5th parameter */
    {"ssl.wrap_socket", "cert_reqs", 4, TK_CERT_NONE, R501},
    /* the standard library's clients taking a context */
    {"urllib.request.urlopen", "context", -1, TK_CTX, R501},
    {"urllib.request.HTTPSHandler", "context", -1, TK_CTX, R501},
    {"urllib.request.HTTPSHandler", "check_hostname", -1, TK_FALSY, R502},
    {"http.client.HTTPSConnection", "context", -1, TK_CTX, R501},
    {"http.client.HTTPSConnection", "check_hostname", -1, TK_FALSY, R502},
    {"xmlrpc.client.ServerProxy", "context", -1, TK_CTX, R501},
    {"smtplib.SMTP_SSL", "context", -1, TK_CTX, R501},
    {"ftplib.FTP_TLS", "context", -1, TK_CTX, R501},
    {"poplib.POP3_SSL", "context", -1, TK_CTX, R501},
    {"imaplib.IMAP4_SSL", "ssl_context", -1, TK_CTX, R501},
    {"nntplib.NNTP_SSL", "ssl_context", -1, TK_CTX, R501},
    {"asyncio.open_connection", "ssl", -1, TK_CTX, R501},
    {"websockets.connect", "ssl", -1, TK_CTX, R501},
    {"websockets.client.connect", "ssl", -1, TK_CTX, R501},
    /* httplib2: Http(cache, timeout, proxy_info, ca_certs, disable_ssl_certificate_validation) */
    {"httplib2.Http", "disable_ssl_certificate_validation", 4, TK_TRUTHY, R501},
    /* tornado */
    {"tornado.httpclient.HTTPRequest", "validate_cert", -1, TK_FALSY, R501},
    {"tornado.httpclient.AsyncHTTPClient.fetch", "validate_cert", -1, TK_FALSY, R501},
    {"tornado.httpclient.HTTPClient.fetch", "validate_cert", -1, TK_FALSY, R501},
    /* websocket-client: sslopt={'cert_reqs': ssl.CERT_NONE} */
    {"websocket.create_connection", "sslopt", -1, TK_SSLOPT, R501},
    {"websocket.WebSocket", "sslopt", -1, TK_SSLOPT, R501},
    {"websocket.WebSocket.connect", "sslopt", -1, TK_SSLOPT, R501},
    {"websocket.WebSocketApp.run_forever", "sslopt", -1, TK_SSLOPT, R501},
    /* other clients whose verification flag is as well known */
    {"boto3.client", "verify", -1, TK_FALSY, R501},
    {"boto3.resource", "verify", -1, TK_FALSY, R501},
    {"boto3.session.Session.client", "verify", -1, TK_FALSY, R501},
    {"boto3.session.Session.resource", "verify", -1, TK_FALSY, R501},
    {"botocore.session.Session.create_client", "verify", -1, TK_FALSY, R501},
    {"hvac.Client", "verify", -1, TK_FALSY, R501},
    {"elasticsearch.Elasticsearch", "verify_certs", -1, TK_FALSY, R501},
    {"pymongo.MongoClient", "tlsAllowInvalidCertificates", -1, TK_TRUTHY, R501},
    {"pymongo.MongoClient", "tlsInsecure", -1, TK_TRUTHY, R501},
    {"pymongo.MongoClient", "ssl_cert_reqs", -1, TK_CERT_NONE, R501},
    {"pymongo.MongoClient", "tlsAllowInvalidHostnames", -1, TK_TRUTHY, R502},
    {"ldap3.Tls", "validate", -1, TK_CERT_NONE, R501},
    /* child processes started with a doctored environment */
    {"subprocess.run", "env", -1, TK_ENV, R504},
    {"subprocess.Popen", "env", -1, TK_ENV, R504},
    {"subprocess.call", "env", -1, TK_ENV, R504},
    {"subprocess.check_call", "env", -1, TK_ENV, R504},
    {"subprocess.check_output", "env", -1, TK_ENV, R504},
    {"os.execve", "env", 2, TK_ENV, R504},
    {"os.spawnve", "env", 3, TK_ENV, R504},
};

const struct tls_sink *tls_sinks(int *n)
{
    *n = (int)(sizeof sinks / sizeof sinks[0]);
    return sinks;
}

/* Calls that build an object the analysis follows: callable -> type. */
static const struct { const char *callable, *type; } ctors[] = {
    {"requests.Session", "requests.Session"},
    {"requests.adapters.HTTPAdapter", "requests.adapters.HTTPAdapter"},
    {"httpx.Client", "httpx.Client"},
    {"httpx.AsyncClient", "httpx.AsyncClient"},
    {"aiohttp.ClientSession", "aiohttp.ClientSession"},
    {"aiohttp.TCPConnector", "aiohttp.TCPConnector"},
    {"urllib3.PoolManager", "urllib3.PoolManager"},
    {"urllib3.ProxyManager", "urllib3.PoolManager"},
    {"urllib3.HTTPSConnectionPool", "urllib3.HTTPSConnectionPool"},
    {"urllib3.connection_from_url", "urllib3.HTTPSConnectionPool"},
    {"pycurl.Curl", "pycurl.Curl"},
    {"httplib2.Http", "httplib2.Http"},
    {"tornado.httpclient.AsyncHTTPClient", "tornado.httpclient.AsyncHTTPClient"},
    {"tornado.httpclient.HTTPClient", "tornado.httpclient.HTTPClient"},
    {"websocket.WebSocketApp", "websocket.WebSocketApp"},
    {"websocket.WebSocket", "websocket.WebSocket"},
    {"boto3.session.Session", "boto3.session.Session"},
    {"botocore.session.get_session", "botocore.session.Session"},
    {"botocore.session.Session", "botocore.session.Session"},
    {"http.client.HTTPSConnection", "http.client.HTTPSConnection"},
    {"ssl.SSLContext", "ssl.SSLContext"},
    {"ssl.create_default_context", "ssl.SSLContext"},
    {"ssl._create_unverified_context", "ssl.SSLContext"},
    {"ssl._create_stdlib_context", "ssl.SSLContext"},
    {"ssl._create_default_https_context", "ssl.SSLContext"},
    {"urllib3.util.ssl_.create_urllib3_context", "ssl.SSLContext"},
    {"urllib3.util.create_urllib3_context", "ssl.SSLContext"},
};

const char *tls_ctor_type(const char *qn)
{
    for (size_t i = 0; i < sizeof ctors / sizeof ctors[0]; i++)
        if (!strcmp(ctors[i].callable, qn)) return ctors[i].type;
    return NULL;
}

static const struct { const char *name; int64_t val; } consts[] = {
    {"ssl.CERT_NONE", 0}, {"ssl.CERT_OPTIONAL", 1}, {"ssl.CERT_REQUIRED", 2},
    {"ssl.VerifyMode.CERT_NONE", 0}, {"ssl.VerifyMode.CERT_OPTIONAL", 1},
    {"ssl.VerifyMode.CERT_REQUIRED", 2},
    {"ssl.PROTOCOL_SSLv2", 0}, {"ssl.PROTOCOL_SSLv3", 1}, {"ssl.PROTOCOL_SSLv23", 2},
    {"ssl.PROTOCOL_TLS", 2}, {"ssl.PROTOCOL_TLSv1", 3}, {"ssl.PROTOCOL_TLSv1_1", 4},
    {"ssl.PROTOCOL_TLSv1_2", 5}, {"ssl.PROTOCOL_TLS_CLIENT", 16}, {"ssl.PROTOCOL_TLS_SERVER", 17},
    {"ssl._SSLMethod.PROTOCOL_TLS_CLIENT", 16}, {"ssl._SSLMethod.PROTOCOL_TLS_SERVER", 17},
    {"ssl._SSLMethod.PROTOCOL_TLS", 2},
    {"pycurl.SSL_VERIFYPEER", 64}, {"pycurl.SSL_VERIFYHOST", 81},
    {"pycurl.Curl.SSL_VERIFYPEER", 64}, {"pycurl.Curl.SSL_VERIFYHOST", 81},
    {"pycurl.PROXY_SSL_VERIFYPEER", 248}, {"pycurl.PROXY_SSL_VERIFYHOST", 249},
};

bool tls_const_lookup(const char *qn, int64_t *val)
{
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (!strcmp(consts[i].name, qn)) {
            *val = consts[i].val;
            return true;
        }
    return false;
}

/* Prefix rewrites, whole dotted components: from -> to. First match wins. */
#define ALIAS(FROM, TO) {FROM, sizeof FROM - 1, TO}
static const struct { const char *from; size_t n; const char *to; } aliases[] = {
    ALIAS("pip._vendor.requests", "requests"),
    ALIAS("pip._vendor.urllib3", "urllib3"),
    ALIAS("requests.packages.urllib3", "urllib3"),
    ALIAS("requests.api", "requests"),
    ALIAS("requests.sessions.Session", "requests.Session"),
    ALIAS("requests.sessions.session", "requests.Session"),
    ALIAS("requests.session", "requests.Session"),
    ALIAS("urllib3.poolmanager", "urllib3"),
    ALIAS("urllib3.connectionpool", "urllib3"),
    ALIAS("urllib3.util.ssl_.CERT_NONE", "ssl.CERT_NONE"),
    ALIAS("httpx._api", "httpx"),
    ALIAS("httpx._client", "httpx"),
    ALIAS("httpx._transports.default", "httpx"),
    ALIAS("aiohttp.client", "aiohttp"),
    ALIAS("aiohttp.connector", "aiohttp"),
    ALIAS("six.moves.urllib", "urllib"),
    ALIAS("future.moves.urllib", "urllib"),
    ALIAS("urllib2", "urllib.request"),
    ALIAS("httplib", "http.client"),
    ALIAS("websocket._core", "websocket"),
    ALIAS("websocket._app", "websocket"),
};

const char *tls_canon(struct tls_state *st, const char *qn)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        size_t n = aliases[i].n;
        if (qn[0] == aliases[i].from[0] && !strncmp(qn, aliases[i].from, n) && (qn[n] == '\0' || qn[n] == '.'))
            return tls_strcat(st, aliases[i].to, qn + n, NULL);
    }
    return qn;
}

static bool names(const char *full, const char *mod, const char *name)
{
    size_t m = strlen(mod), n = strlen(name);
    return !strncmp(full, mod, m) && full[m] == '.' && !strncmp(full + m + 1, name, n) &&
           (full[m + 1 + n] == '\0' || full[m + 1 + n] == '.');
}

/* Names a star import binds besides the rows above. */
static const char *const knows_extra[] = {
    "urllib3.disable_warnings", "urllib3.exceptions", "warnings.filterwarnings",
    "warnings.simplefilter", "os.environ", "os.putenv", "functools.partial",
    "asyncio.to_thread", "ssl.Purpose", "urllib3.exceptions.InsecureRequestWarning",
};

bool tls_tables_knows(const char *mod, const char *name)
{
    if (name[0] == '_') return false;   /* a star import skips private names */
    int n;
    const struct tls_sink *s = tls_sinks(&n);
    for (int i = 0; i < n; i++)
        if (names(s[i].callable, mod, name)) return true;
    for (size_t i = 0; i < sizeof ctors / sizeof ctors[0]; i++)
        if (names(ctors[i].callable, mod, name)) return true;
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (names(consts[i].name, mod, name)) return true;
    for (size_t i = 0; i < sizeof knows_extra / sizeof knows_extra[0]; i++)
        if (names(knows_extra[i], mod, name)) return true;
    return false;
}

static bool under(const char *full, const char *mod, size_t m)
{
    return !strncmp(full, mod, m) && full[m] == '.';
}

bool tls_tables_knows_module(const char *mod)
{
    size_t m = strlen(mod);
    int n;
    const struct tls_sink *s = tls_sinks(&n);
    for (int i = 0; i < n; i++)
        if (under(s[i].callable, mod, m)) return true;
    for (size_t i = 0; i < sizeof ctors / sizeof ctors[0]; i++)
        if (under(ctors[i].callable, mod, m)) return true;
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (under(consts[i].name, mod, m)) return true;
    for (size_t i = 0; i < sizeof knows_extra / sizeof knows_extra[0]; i++)
        if (under(knows_extra[i], mod, m)) return true;
    return false;
}

bool tls_known_root(const char *qn)
{
#define ROOT(S) {S, sizeof S - 1}
    static const struct { const char *s; size_t n; } roots[] = {
        ROOT("aiohttp"), ROOT("anyio"), ROOT("ast"), ROOT("asyncio"), ROOT("boto3"), ROOT("botocore"),
        ROOT("builtins"), ROOT("concurrent"), ROOT("elasticsearch"), ROOT("ftplib"), ROOT("functools"),
        ROOT("http"), ROOT("httplib2"), ROOT("httpx"), ROOT("hvac"), ROOT("imaplib"), ROOT("json"),
        ROOT("ldap3"), ROOT("multiprocessing"), ROOT("nntplib"), ROOT("os"), ROOT("poplib"),
        ROOT("pycurl"), ROOT("pymongo"), ROOT("requests"), ROOT("smtplib"), ROOT("ssl"),
        ROOT("starlette"), ROOT("subprocess"), ROOT("threading"), ROOT("tornado"), ROOT("trio"),
        ROOT("urllib"), ROOT("urllib3"), ROOT("warnings"), ROOT("websocket"), ROOT("websockets"),
        ROOT("xmlrpc"),
    };
#undef ROOT
    const char *dot = strchr(qn, '.');
    size_t n = dot ? (size_t)(dot - qn) : strlen(qn);
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
        if (roots[i].n == n && roots[i].s[0] == qn[0] && !memcmp(roots[i].s, qn, n)) return true;
    return false;
}

bool tls_is_http_verb(const char *attr)
{
    static const char *const verbs[] = {"get", "post", "put", "patch", "delete", "head",
                                        "options", "request", "send", "stream", "ws_connect"};
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (verbs[i][0] == attr[0] && !strcmp(verbs[i], attr)) return true;
    return false;
}
