#!/bin/sh
# Installs the Debian 12 packages that building and testing dpoison need, only those missing,
# so a second run changes nothing. Base: C toolchain and the CPython oracle with the full 3.11
# standard library (the 668 files the parser and scanner tests read: distutils, lib2to3,
# ensurepip and python-config.py come in separate packages), and Debian's bandit (1.6.2, which the
# scanner's parity test runs live), PyTorch and Node.js for the numerics and tokenizer oracles.
# --sanitizers adds clang, its ASan/UBSan/libFuzzer runtimes
# and llvm-symbolizer for `make asan` and `make fuzz`.
set -eu
pkgs="build-essential python3 python3-distutils python3-lib2to3 python3.11-venv libpython3.11-dev libpcre2-dev bandit"
# PyTorch is the numerics oracle of the model and training tests; pyflakes lints synthesized code
pkgs="$pkgs python3-torch python3-numpy python3-pyflakes"
if [ "${1:-}" = --sanitizers ]; then
    pkgs="$pkgs clang libclang-rt-14-dev llvm"
fi
missing=
for p in $pkgs; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
        missing="$missing $p"
done
# Node.js runs the reference tokenizers (npm packages) in the tokenizer parity tests; a machine
# that already has node and npm (from any source) keeps them
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -n "$missing" ] || exit 0
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "scripts/deps.sh: installing$missing" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
