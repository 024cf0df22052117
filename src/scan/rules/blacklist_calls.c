/* Bandit 1.9.4's call blacklist (bandit/blacklists/calls.py as run on Python >= 3.9): one row per
 * test id, in Bandit's order. Qualnames are fnmatch globs over the call's qualified name. The
 * retired rows (B309, B322, B325) are absent, as in Bandit; B324 is a plugin (b324_hashlib.c). */
#include "scan/rules/blacklist.h"
#include "scan/scan.h"
#include <stddef.h>

#define Q(...) (const char *const[]){__VA_ARGS__, NULL}
#define XML_MSG "Using {name} to parse untrusted XML data is known to be vulnerable to XML attacks. " \
                "Replace {name} with its defusedxml equivalent function or make sure " \
                "defusedxml.defuse_stdlib() is called"

const struct dp_scan_blacklist dp_blacklist_calls[] = {
    {"B301", "pickle", 502, DP_SCAN_MEDIUM,
     "Pickle and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue.",
     Q("pickle.loads", "pickle.load", "pickle.Unpickler", "dill.loads", "dill.load", "dill.Unpickler",
       "shelve.open", "shelve.DbfilenameShelf", "jsonpickle.decode", "jsonpickle.unpickler.decode",
       "jsonpickle.unpickler.Unpickler", "pandas.read_pickle")},
    {"B302", "marshal", 502, DP_SCAN_MEDIUM, "Deserialization with the marshal module is possibly dangerous.",
     Q("marshal.load", "marshal.loads")},
    {"B303", "md5", 327, DP_SCAN_MEDIUM, "Use of insecure MD2, MD4, MD5, or SHA1 hash function.",
     Q("Crypto.Hash.MD2.new", "Crypto.Hash.MD4.new", "Crypto.Hash.MD5.new", "Crypto.Hash.SHA.new",
       "Cryptodome.Hash.MD2.new", "Cryptodome.Hash.MD4.new", "Cryptodome.Hash.MD5.new",
       "Cryptodome.Hash.SHA.new", "cryptography.hazmat.primitives.hashes.MD5",
       "cryptography.hazmat.primitives.hashes.SHA1")},
    {"B304", "ciphers", 327, DP_SCAN_HIGH,
     "Use of insecure cipher {name}. Replace with a known secure cipher such as AES.",
     Q("Crypto.Cipher.ARC2.new", "Crypto.Cipher.ARC4.new", "Crypto.Cipher.Blowfish.new",
       "Crypto.Cipher.DES.new", "Crypto.Cipher.XOR.new", "Cryptodome.Cipher.ARC2.new",
       "Cryptodome.Cipher.ARC4.new", "Cryptodome.Cipher.Blowfish.new", "Cryptodome.Cipher.DES.new",
       "Cryptodome.Cipher.XOR.new", "cryptography.hazmat.primitives.ciphers.algorithms.ARC4",
       "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish",
       "cryptography.hazmat.primitives.ciphers.algorithms.IDEA")},
    {"B305", "cipher_modes", 327, DP_SCAN_MEDIUM, "Use of insecure cipher mode {name}.",
     Q("cryptography.hazmat.primitives.ciphers.modes.ECB")},
    {"B306", "mktemp_q", 377, DP_SCAN_MEDIUM, "Use of insecure and deprecated function (mktemp).",
     Q("tempfile.mktemp")},
    {"B307", "eval", 78, DP_SCAN_MEDIUM,
     "Use of possibly insecure function - consider using safer ast.literal_eval.", Q("eval")},
    {"B308", "mark_safe", 79, DP_SCAN_MEDIUM,
     "Use of mark_safe() may expose cross-site scripting vulnerabilities and should be reviewed.",
     Q("django.utils.safestring.mark_safe")},
    {"B310", "urllib_urlopen", 22, DP_SCAN_MEDIUM,
     "Audit url open for permitted schemes. Allowing use of file:/ or custom schemes is often unexpected.",
     Q("urllib.urlopen", "urllib.request.urlopen", "urllib.urlretrieve", "urllib.request.urlretrieve",
       "urllib.URLopener", "urllib.request.URLopener", "urllib.FancyURLopener",
       "urllib.request.FancyURLopener", "urllib2.urlopen", "urllib2.Request",
       "six.moves.urllib.request.urlopen", "six.moves.urllib.request.urlretrieve",
       "six.moves.urllib.request.URLopener", "six.moves.urllib.request.FancyURLopener")},
    {"B311", "random", 330, DP_SCAN_LOW,
     "Standard pseudo-random generators are not suitable for security/cryptographic purposes.",
     Q("random.Random", "random.random", "random.randrange", "random.randint", "random.choice",
       "random.choices", "random.uniform", "random.triangular", "random.randbytes", "random.getrandbits")},
    {"B312", "telnetlib", 319, DP_SCAN_HIGH,
     "Telnet-related functions are being called. Telnet is considered insecure. Use SSH or some other encrypted protocol.",
     Q("telnetlib.*")},
    {"B313", "xml_bad_cElementTree", 20, DP_SCAN_MEDIUM, XML_MSG,
     Q("xml.etree.cElementTree.parse", "xml.etree.cElementTree.iterparse",
       "xml.etree.cElementTree.fromstring", "xml.etree.cElementTree.XMLParser")},
    {"B314", "xml_bad_ElementTree", 20, DP_SCAN_MEDIUM, XML_MSG,
     Q("xml.etree.ElementTree.parse", "xml.etree.ElementTree.iterparse",
       "xml.etree.ElementTree.fromstring", "xml.etree.ElementTree.XMLParser")},
    {"B315", "xml_bad_expatreader", 20, DP_SCAN_MEDIUM, XML_MSG, Q("xml.sax.expatreader.create_parser")},
    {"B316", "xml_bad_expatbuilder", 20, DP_SCAN_MEDIUM, XML_MSG,
     Q("xml.dom.expatbuilder.parse", "xml.dom.expatbuilder.parseString")},
    {"B317", "xml_bad_sax", 20, DP_SCAN_MEDIUM, XML_MSG,
     Q("xml.sax.parse", "xml.sax.parseString", "xml.sax.make_parser")},
    {"B318", "xml_bad_minidom", 20, DP_SCAN_MEDIUM, XML_MSG,
     Q("xml.dom.minidom.parse", "xml.dom.minidom.parseString")},
    {"B319", "xml_bad_pulldom", 20, DP_SCAN_MEDIUM, XML_MSG,
     Q("xml.dom.pulldom.parse", "xml.dom.pulldom.parseString")},
    {"B320", "xml_bad_etree", 20, DP_SCAN_MEDIUM,
     "Using {name} to parse untrusted XML data is known to be vulnerable to XML attacks. "
     "Replace {name} with its defusedxml equivalent function.",
     Q("lxml.etree.parse", "lxml.etree.fromstring", "lxml.etree.RestrictedElement",
       "lxml.etree.GlobalParserTLS", "lxml.etree.getDefaultParser", "lxml.etree.check_docinfo")},
    {"B321", "ftplib", 319, DP_SCAN_HIGH,
     "FTP-related functions are being called. FTP is considered insecure. Use SSH/SFTP/SCP or some other encrypted protocol.",
     Q("ftplib.*")},
    {"B323", "unverified_context", 295, DP_SCAN_MEDIUM,
     "By default, Python will create a secure, verified ssl context for use in such classes as "
     "HTTPSConnection. However, it still allows using an insecure context via the "
     "_create_unverified_context that  reverts to the previous behavior that does not validate "
     "certificates or perform hostname checks.",
     Q("ssl._create_unverified_context")},
    {NULL, NULL, 0, 0, NULL, NULL},
};
