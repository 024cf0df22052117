#!/usr/bin/env python3
"""PyTorch side of bench/generate.sh: the independent Qwen2 reference (tests/model/qwen_ref.py)
timed on the same random-weight model and the same workloads as bench/gen_bench.c: prefill
tokens/s for a P-token prompt, decode tokens/s at batch 1 and at batch B (after a 16-token
prompt each). Prints "key value" lines.
usage: gen_torch.py MODEL [--threads N] [--dtype bf16|f32] [--prompt P] [--steps S] [--batch B]"""
import argparse
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "model"))
from qwen_ref import Qwen2Ref  # noqa: E402


def decode(m, B, steps, V, g):
    cache = m.new_cache()
    ids = torch.randint(0, V, (B, 16), generator=g)
    logits = m.forward(ids, cache, last_only=True)
    t0 = time.perf_counter()
    for _ in range(steps):
        nxt = torch.argmax(logits[:, -1, :], dim=-1, keepdim=True)
        logits = m.forward(nxt, cache, last_only=True)
    return B * steps / (time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--dtype", default="bf16", choices=["bf16", "f32"])
    ap.add_argument("--prompt", type=int, default=512)
    ap.add_argument("--steps", type=int, default=32)
    ap.add_argument("--batch", type=int, default=16)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_grad_enabled(False)
    t0 = time.perf_counter()
    m = Qwen2Ref(a.model, torch.bfloat16 if a.dtype == "bf16" else torch.float32)
    print(f"load_s {time.perf_counter() - t0:.2f}")
    V = m.c["vocab_size"]
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(0, V, (1, a.prompt), generator=g)
    best = 1e30
    for _ in range(2):
        t0 = time.perf_counter()
        m.forward(ids, m.new_cache(), last_only=True)
        best = min(best, time.perf_counter() - t0)
    print(f"prefill_tok_s {a.prompt / best:.1f}")
    decode(m, 1, 2, V, g)
    print(f"decode1_tok_s {decode(m, 1, a.steps, V, g):.2f}")
    print(f"decode{a.batch}_tok_s {decode(m, a.batch, a.steps, V, g):.2f}")
    print(f"peak_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()
