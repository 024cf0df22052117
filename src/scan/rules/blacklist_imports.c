/* Bandit 1.9.4's import blacklist (bandit/blacklists/imports.py): one row per test id, in
 * Bandit's order. Qualnames are prefixes of the imported name (`import pickletools` starts with
 * "pickle", as in Bandit); the rows also apply to calls (`importlib.import_module("pickle")`).
 * B414 (pycryptodome) was retired by Bandit and is absent. */
#include "scan/rules/blacklist.h"
#include "scan/scan.h"
#include <stddef.h>
#include <string.h>

#define Q(...) (const char *const[]){__VA_ARGS__, NULL}
#define XML_MSG "Using {name} to parse untrusted XML data is known to be vulnerable to XML attacks. " \
                "Replace {name} with the equivalent defusedxml package, or make sure " \
                "defusedxml.defuse_stdlib() is called."

const struct dp_scan_blacklist dp_blacklist_imports[] = {
    {"B401", "import_telnetlib", 319, DP_SCAN_HIGH,
     "A telnet-related module is being imported.  Telnet is considered insecure. Use SSH or some other encrypted protocol.",
     Q("telnetlib")},
    {"B402", "import_ftplib", 319, DP_SCAN_HIGH,
     "A FTP-related module is being imported.  FTP is considered insecure. Use SSH/SFTP/SCP or some other encrypted protocol.",
     Q("ftplib")},
    {"B403", "import_pickle", 502, DP_SCAN_LOW, "Consider possible security implications associated with {name} module.",
     Q("pickle", "cPickle", "dill", "shelve")},
    {"B404", "import_subprocess", 78, DP_SCAN_LOW,
     "Consider possible security implications associated with the subprocess module.", Q("subprocess")},
    {"B405", "import_xml_etree", 20, DP_SCAN_LOW, XML_MSG, Q("xml.etree.cElementTree", "xml.etree.ElementTree")},
    {"B406", "import_xml_sax", 20, DP_SCAN_LOW, XML_MSG, Q("xml.sax")},
    {"B407", "import_xml_expat", 20, DP_SCAN_LOW, XML_MSG, Q("xml.dom.expatbuilder")},
    {"B408", "import_xml_minidom", 20, DP_SCAN_LOW, XML_MSG, Q("xml.dom.minidom")},
    {"B409", "import_xml_pulldom", 20, DP_SCAN_LOW, XML_MSG, Q("xml.dom.pulldom")},
    {"B410", "import_lxml", 20, DP_SCAN_LOW,
     "Using {name} to parse untrusted XML data is known to be vulnerable to XML attacks. "
     "Replace {name} with the equivalent defusedxml package.",
     Q("lxml")},
    {"B411", "import_xmlrpclib", 20, DP_SCAN_HIGH,
     "Using {name} to parse untrusted XML data is known to be vulnerable to XML attacks. Use "
     "defusedxml.xmlrpc.monkey_patch() function to monkey-patch xmlrpclib and mitigate XML vulnerabilities.",
     Q("xmlrpc")},
    {"B412", "import_httpoxy", 284, DP_SCAN_HIGH, "Consider possible security implications associated with {name} module.",
     Q("wsgiref.handlers.CGIHandler", "twisted.web.twcgi.CGIScript", "twisted.web.twcgi.CGIDirectory")},
    {"B413", "import_pycrypto", 327, DP_SCAN_HIGH,
     "The pyCrypto library and its module {name} are no longer actively maintained and have been "
     "deprecated. Consider using pyca/cryptography library.",
     Q("Crypto.Cipher", "Crypto.Hash", "Crypto.IO", "Crypto.Protocol", "Crypto.PublicKey", "Crypto.Random",
       "Crypto.Signature", "Crypto.Util")},
    {"B415", "import_pyghmi", 319, DP_SCAN_HIGH,
     "An IPMI-related module is being imported. IPMI is considered insecure. Use an encrypted protocol.",
     Q("pyghmi")},
    {NULL, NULL, 0, 0, NULL, NULL},
};

const struct dp_scan_blacklist *dp_blacklist_find(const char *id)
{
    const struct dp_scan_blacklist *t = id[0] == 'B' && id[1] == '3' ? dp_blacklist_calls : dp_blacklist_imports;
    for (; t->id; t++)
        if (!strcmp(t->id, id)) return t;
    return NULL;
}
