#!/usr/bin/env python3
"""Checks a folder written by `dpoison train` against its input model with a PyTorch loader of
safetensors (tools/ref/st_io.py, independent of dpoison's reader):
  - the same tensor names, shapes and dtypes as the input; config.json and tokenizer files copied;
  - the tensors equal, bit for bit, the fp32 masters dpoison itself loads from the output
    (DUMP: written by `test_dpo_parity dump OUT DUMP`);
  - with --adapter DIR (LoRA): every adapted weight equals W + (alpha / r) B A computed here in
    fp32 from the input and the PEFT adapter, rounded to the input dtype (at most one unit in the
    last place apart, from summation order), and every other tensor is byte-identical.
Prints "ok - ..." / "not ok - ..." lines.
usage: train_roundtrip.py INPUT OUTPUT DUMP [--adapter DIR]"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import st_io  # noqa: E402


def ulps(a, b):
    """max distance in units of the last place of a's dtype (16-bit floats)."""
    ia, ib = a.view(torch.int16).int(), b.view(torch.int16).int()
    return (ia - ib).abs().max().item() if a.numel() else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("dump")
    ap.add_argument("--adapter")
    a = ap.parse_args()
    fails = 0

    def report(ok, msg):
        nonlocal fails
        fails += not ok
        print(f"{'ok' if ok else 'not ok'} - roundtrip {msg}")

    src, out = st_io.read_model(a.input), st_io.read_model(a.output)
    same = sorted(src) == sorted(out) and all(src[k].shape == out[k].shape and src[k].dtype == out[k].dtype for k in src)
    report(same, f"{len(out)} tensors with the input's names, shapes and dtypes")
    for fn in ("config.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json"):
        p, q = os.path.join(a.input, fn), os.path.join(a.output, fn)
        if os.path.exists(p):
            report(os.path.exists(q) and open(p, "rb").read() == open(q, "rb").read(), f"{fn} copied")
    dump = st_io.read(a.dump)
    bad = [k for k in out if k in dump and not torch.equal(out[k].float(), dump[k])]
    report(not bad and all(k in dump for k in out if k != "lm_head.weight"),
           f"PyTorch and dpoison load identical tensors ({len(dump)} compared)" + (f"; differ: {bad[:3]}" if bad else ""))
    if a.adapter:
        with open(os.path.join(a.adapter, "adapter_config.json")) as f:
            cfg = json.load(f)
        ad = st_io.read(os.path.join(a.adapter, "adapter_model.safetensors"))
        scale = cfg["lora_alpha"] / cfg["r"]
        worst, merged = 0, set()
        for k, A in ad.items():
            if ".lora_A." not in k:
                continue
            name = k[len("base_model.model."):].replace(".lora_A", "")
            B = ad[k.replace("lora_A", "lora_B")]
            want = (src[name].float() + scale * (B.float() @ A.float())).to(src[name].dtype)
            got = out[name]
            worst = max(worst, ulps(got, want) if got.dtype != torch.float32 else
                        ((got - want).abs().max() / want.abs().max()).item())
            merged.add(name)
        report(worst <= 1, f"{len(merged)} LoRA-merged weights = W + s B A (max {worst} ulp apart)")
        untouched = [k for k in src if k not in merged]
        report(all(torch.equal(src[k].view(torch.uint8) if src[k].dtype != torch.float32 else src[k],
                               out[k].view(torch.uint8) if out[k].dtype != torch.float32 else out[k])
                   for k in untouched), f"{len(untouched)} other tensors byte-identical")
        report(cfg.get("peft_type") == "LORA" and cfg.get("task_type") == "CAUSAL_LM" and len(ad) == 2 * len(merged),
               "PEFT adapter_config.json and adapter tensors")
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
