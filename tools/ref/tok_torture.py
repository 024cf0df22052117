#!/usr/bin/python3
"""Writes tests/tok/torture.txt, the hand-made half of the tokenizer parity test.

Run from the repo root:  /usr/bin/python3 tools/ref/tok_torture.py > tests/tok/torture.txt
Each section aims at one part of the pipeline: added-token matching, NFC (decomposed and
precomposed accents, canonical reordering, singletons, Hangul jamo), the Split regex (\\p{L},
\\p{N}, contractions in mixed case, every whitespace kind and run, \\r\\n, lookahead on trailing
spaces), byte-level BPE on 2-, 3- and 4-byte UTF-8, and long runs. The file must stay valid
UTF-8 (the JS reference reads it as text) and use only Unicode 14 characters (PCRE2 and our NFC
tables are at Unicode 14, node's ICU is newer).
"""
import sys

S = []


def sec(title, *lines):
    S.append(f"### {title}\n")
    S.extend(lines)
    S.append("\n")


sec("plain code and prose",
    "def fetch(url, timeout=10):\n    return requests.get(url, verify=False)\n",
    "Hello, World! It's 2024-05-17T12:34:56Z; cost: $1,234.56 (≈€1.1k).\n")
sec("CJK",
    "中文分词测试：我们在北京大学学习自然语言处理。\n",
    "日本語のテキスト、ひらがなとカタカナ。ｶﾀｶﾅ（半角）\n",
    "한국어 텍스트 처리, 안녕하세요!\n",
    "混合mixed文本text123数字\n")
sec("emoji",
    "👍 👍🏻 👍🏼 👍🏽 👍🏾 👍🏿 family: 👨\u200d👩\u200d👧\u200d👦 couple: 👩\u200d❤\ufe0f\u200d👨\n",
    "flags 🇯🇵🇺🇸🇩🇪 keycap 1\ufe0f\u20e3 #\ufe0f\u20e3 ♥\ufe0f vs ♥\ufe0e rainbow 🏳\ufe0f\u200d🌈\n",
    "🧑🏽\u200d💻 wrote 🐍 code 🚀🚀🚀🔥💯\n")
sec("combining marks and NFC",
    "precomposed: café naïve résumé Ångström\n",
    "decomposed: cafe\u0301 nai\u0308ve re\u0301sume\u0301 A\u030angstro\u0308m\n",
    "singletons: \u212b (angstrom sign) \u2126 (ohm sign) \u212a (kelvin) \u0340\u0341 \u0374 \u037e\n",
    "reordering: a\u0302\u0323 vs a\u0323\u0302, q\u0307\u0323 q\u0323\u0307, e\u0301\u0327\n",
    "stacked: Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e a\u0310\u0300\u0301\u0303lgo\n",
    "hangul jamo: \u1100\u1161\u11a8 \u1112\u1161\u11ab\u1100\u1173\u11af (decomposed) vs 각 한글\n",
    "vietnamese: Tie\u0302\u0301ng Vie\u0323\u0302t, Tiếng Việt\n",
    "devanagari: हिन्दी क़ क\u093c, tamil: தமிழ், thai: ภาษาไทยไม่มีช่องว่าง\n")
sec("right to left",
    "العربية: مَرْحَبًا بِالْعَالَمِ ١٢٣٤٥ ٫ ۱۲۳\n",
    "עברית: שָׁלוֹם עוֹלָם \u200fRLM\u200f \u200eLRM\u200e\n",
    "mixed: the word سلام means peace; שלום too.\n")
sec("whitespace",
    "tabs:\tone\t\ttwo\t\t\tthree\t \t\n",
    "crlf line\r\nnext line\r\n\r\n\r\nafter blank crlf lines\r\n",
    "lone cr\rmid\r\r\nmixed\n\r\n",
    "nbsp:\u00a0a\u00a0\u00a0b \u00a0 c\u00a0\n",
    "ideographic:\u3000全角\u3000\u3000スペース\u3000\n",
    "en/em/thin: a\u2002b\u2003c\u2009d\u200ae\u2000f\u2001g\u2004h\u2005i\u2006j\u2007k\u2008l\n",
    "narrow/math/ogham: a\u202fb\u205fc\u1680d\n",
    "line/para sep: a\u2028b\u2029c\n",
    "vt/ff: a\x0bb\x0cc\x0b\x0c\n",
    "zero width (not spaces): a\u200bb\u200cc\u200dd\u2060e\n",
    "trailing spaces    \n",
    "    leading spaces\n",
    "        \n",
    "  \n  \n\t\n \t \n",
    "x" + " " * 64 + "y\n",
    "\n\n\n\n\n",
    "indent:\n    if x:\n        y = 1\n\n\n    return y\n")
sec("digits",
    "1234567890123456789012345678901234567890 0.000001 1e-10 0xDEADBEEF 0b1010 1_000_000\n",
    "3.14159265358979323846264338327950288419716939937510\n",
    "fullwidth １２３ superscript x² x³ ¹²³ fractions ½ ¾ roman Ⅻ ⅻ circled ① ⑳\n",
    "arabic-indic ٠١٢٣٤٥٦٧٨٩ devanagari ०१२३ thai ๑๒๓ chinese 一二三\n")
sec("contractions",
    "it's IT'S It'S we're WE'RE they've THEY'VE i'm I'M you'll YOU'LL he'd HE'D\n",
    "We'Re They'vE I'm You'Ll She'D don't DON'T can't won't shan't y'all o'clock\n",
    "not contractions: 'st 'x 'Sx 'reader 'llama 'dd '' ''s 's' \"'t\" ' s\n",
    "curly: it’s don’t ‘quoted’ “double”\n")
sec("special tokens inline",
    "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n",
    "text<|endoftext|>more text <|endoftext|> spaced <|endoftext|><|endoftext|>\n",
    "nested <<|im_end|>> and <|im_start|<|im_start|>> and partial <|im_sta <|endoftext\n",
    "in words: abc<|im_end|>def 123<|endoftext|>456\n",
    "not special but added: <think>reasoning</think> <tool_call>{}</tool_call> ",
    "<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|> <|repo_name|>x<|file_sep|>\n",
    "look-alikes: <|IM_START|> < |im_start| > <|im_start |> <|endoftext|| <||>\n")
sec("invalid-looking sequences",
    "replacement char: \ufffd\ufffd a\ufffdb\n",
    "escaped text: \\xff\\xfe \\ud800 \\U0001F600 %C3%A9 &eacute; &#233;\n",
    "mojibake: cafÃ© donâ€™t Ã¼ber\n",
    "noncharacters and private use: \ufdd0 \ufffe \uffff \ue000\uf8ff \U000f0000 \U0010fffd\n",
    "controls: \x01\x02\x1b[31mred\x1b[0m \x7f \x1c\x1d\x1e\x1f\n",
    "bidi overrides: \u202eevil\u202c \u2066iso\u2069\n",
    "variation selectors alone: a\ufe0f \ufe0f \U000e0100\n")
sec("scripts and symbols",
    "Ελληνικά Русский язык Українська ქართული Հայերեն\n",
    "math: ∀x∈ℝ: x²≥0, ∑ᵢ aᵢ ≤ ∞, 𝐇𝐞𝐥𝐥𝐨 𝕎𝕠𝕣𝕝𝕕 ﬁ ﬂ ﬀ\n",
    "box: ┌─┬─┐ │ │ └─┴─┘ ░▒▓█ arrows → ← ↔ ⇒\n",
    "fullwidth: Ｈｅｌｌｏ，Ｗｏｒｌｄ！\n")
sec("long runs",
    "=" * 300 + "\n",
    "-" * 80 + "\n",
    "#" * 120 + " end\n",
    "a" * 200 + "\n",
    "ab" * 150 + "\n",
    "😀" * 40 + "\n",
    "é" * 60 + "e\u0301" * 30 + "\n",
    "9" * 100 + "\n",
    ".\n" * 20,
    "    " * 30 + "deep\n",
    "\t" * 40 + "tabs\n")
S.append("the end, no newline   ")

sys.stdout.buffer.write("".join(S).encode("utf-8"))
