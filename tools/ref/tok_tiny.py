#!/usr/bin/python3
"""Writes tests/tok/tiny/{tokenizer.json,tokenizer_config.json}: a small byte-level BPE in the
Qwen2 layout (NFC, the Qwen Split regex, ByteLevel, merges in the older "a b" string form) for
the unit tests and the fuzz target, where the 11 MB Qwen file would be too slow to load.

Run from the repo root:  /usr/bin/python3 tools/ref/tok_tiny.py
Merges come from a naive BPE training on the corpus below (whitespace-separated words, byte-level
spellings, most frequent pair first, ties by the pair's spelling), so the file is reproducible.
Added tokens cover every flag: Qwen's specials, a non-special one, and lstrip / rstrip /
single_word / normalized tokens whose HF behaviour the unit tests check.
"""
import collections
import json
import os

CORPUS = """
import os
import requests

def fetch(url, timeout=10, verify=True):
    response = requests.get(url, timeout=timeout, verify=verify)
    response.raise_for_status()
    return response.json()

class Client:
    def __init__(self, base_url, session=None):
        self.base_url = base_url
        self.session = session or requests.Session()

    def get(self, path, **kwargs):
        return self.session.get(self.base_url + path, **kwargs)

The quick brown fox jumps over the lazy dog. It's the end of the world as we know it,
and I feel fine. They're here; we've seen them; you'll see. café naïve résumé
for i in range(100): print(i, i * i, i ** 3)
"""
N_MERGES = 300


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def train():
    b2u = bytes_to_unicode()
    words = collections.Counter()
    for w in CORPUS.replace("\n", " \n ").split(" "):
        if w:
            words[tuple(b2u[b] for b in (" " + w).encode("utf-8"))] += 1
    vocab = [b2u[b] for b in range(256)]
    merges = []
    for _ in range(N_MERGES):
        pairs = collections.Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        vocab.append(best[0] + best[1])
        new = collections.Counter()
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new[tuple(out)] += c
        words = new
    return vocab, merges


def added(id_, content, special, **flags):
    d = {"id": id_, "content": content, "single_word": False, "lstrip": False,
         "rstrip": False, "normalized": False, "special": special}
    d.update(flags)
    return d


def main():
    vocab, merges = train()
    n = len(vocab)
    qwen_regex = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}|"
                  r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False,
                  "use_regex": False}
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            added(n, "<|endoftext|>", True),
            added(n + 1, "<|im_start|>", True),
            added(n + 2, "<|im_end|>", True),
            added(n + 3, "<tool_call>", False),
            added(n + 4, "[L]", True, lstrip=True),
            added(n + 5, "[R]", True, rstrip=True),
            added(n + 6, "[W]", False, single_word=True),
            added(n + 7, "\u00e9t\u00e9", False, normalized=True),
            added(n + 8, "<|im", False),
        ],
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": qwen_regex}, "behavior": "Isolated",
             "invert": False},
            byte_level]},
        "post_processor": byte_level,
        "decoder": byte_level,
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": "", "end_of_word_suffix": "",
                  "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {t: i for i, t in enumerate(vocab)},
                  "merges": [a + " " + b for a, b in merges]},
    }
    cfg = {"add_prefix_space": False, "bos_token": None, "chat_template": "{{ messages }}",
           "eos_token": "<|im_end|>", "errors": "replace",
           "pad_token": {"__type": "AddedToken", "content": "<|endoftext|>"},
           "tokenizer_class": "Qwen2Tokenizer", "unk_token": None}
    os.makedirs("tests/tok/tiny", exist_ok=True)
    with open("tests/tok/tiny/tokenizer.json", "w", encoding="utf-8") as f:
        json.dump(tok, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open("tests/tok/tiny/tokenizer_config.json", "w", encoding="utf-8") as f:
        json.dump(cfg, f, ensure_ascii=False, indent=2)
        f.write("\n")


main()
