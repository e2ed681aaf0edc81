#!/usr/bin/env python3
"""Whole-process timings of `palisade hash` against `openssl dgst`, `sha256sum` and `b2sum`.

What users compare is the whole command, so this times processes: each round runs every
command once, in turn (paired), so that load from other processes on a small machine falls on
all alike; then it reports the median wall, user and system time of each and its ratio to the
peer on the same work. Every output is checked against the peer's digest first.

    cargo build --release -p palisade-cli
    python3 scripts/bench_hash_cli.py [--rounds 7] [--size-mib 256] [--dir /tmp/palisade-bench]

The files are written once into --dir and read once before timing, so they are in the page
cache (the case the goals name: "one 256 MiB file in the page cache").
"""

import argparse
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def cpu_flags():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                return ", ".join(f for f in ("sha_ni", "avx2", "bmi2", "avx512f") if f in flags)
    except OSError:
        pass
    return ""


def write_file(path, size):
    if path.exists() and path.stat().st_size == size:
        return
    with open(path, "wb") as f:
        left = size
        while left:
            chunk = os.urandom(min(left, 1 << 20))
            f.write(chunk)
            left -= len(chunk)


def digest_of(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    # `openssl dgst` prints `ALG(file)= hex`, coreutils and palisade `hex  file`.
    return [line.split("= ")[-1].split()[0] for line in out.splitlines()]


def time_once(cmd):
    t0 = time.perf_counter()
    r0 = os.times()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    t1 = time.perf_counter()
    r1 = os.times()
    return (t1 - t0, r1.children_user - r0.children_user, r1.children_system - r0.children_system)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--size-mib", type=int, default=256)
    ap.add_argument("--dir", default="/tmp/palisade-bench")
    ap.add_argument("--palisade", default=str(ROOT / "target/release/palisade"))
    args = ap.parse_args()
    if not os.access(args.palisade, os.X_OK):
        sys.exit(f"{args.palisade}: not built (cargo build --release -p palisade-cli)")
    d = pathlib.Path(args.dir)
    d.mkdir(parents=True, exist_ok=True)
    big = d / "big"
    write_file(big, args.size_mib << 20)
    many = [d / f"part{i}" for i in range(8)]
    for p in many:
        write_file(p, 32 << 20)
    for p in [big, *many]:
        subprocess.run(["cat", str(p)], check=True, stdout=subprocess.DEVNULL)

    pal = args.palisade
    f = str(big)
    parts = [str(p) for p in many]
    # (label, palisade command, [(peer label, peer command)])
    cases = [
        ("sha256", [pal, "hash", "-a", "sha256", f],
         [("openssl dgst -sha256", ["openssl", "dgst", "-sha256", f]), ("sha256sum", ["sha256sum", f])]),
        ("sha512", [pal, "hash", "-a", "sha512", f], [("openssl dgst -sha512", ["openssl", "dgst", "-sha512", f])]),
        ("md5", [pal, "hash", "-a", "md5", f], [("openssl dgst -md5", ["openssl", "dgst", "-md5", f])]),
        ("sha1", [pal, "hash", "-a", "sha1", f], [("openssl dgst -sha1", ["openssl", "dgst", "-sha1", f])]),
        ("sha3-256", [pal, "hash", "-a", "sha3_256", f],
         [("openssl dgst -sha3-256", ["openssl", "dgst", "-sha3-256", f])]),
        ("blake2b", [pal, "hash", "-a", "blake2b", f], [("b2sum", ["b2sum", f])]),
        ("sha256, 8 x 32 MiB", [pal, "hash", "-a", "sha256", *parts],
         [("sha256sum", ["sha256sum", *parts]),
          ("openssl dgst -sha256 (sequential)", ["openssl", "dgst", "-sha256", *parts]),
          ("palisade hash -j 1", [pal, "hash", "-j", "1", *parts])]),
    ]
    commands = {}
    for label, ours, peers in cases:
        commands[(label, "palisade")] = ours
        for name, cmd in peers:
            if shutil.which(cmd[0]) is None and not os.access(cmd[0], os.X_OK):
                print(f"SKIPPED: {name}: {cmd[0]} is not installed")
                continue
            commands[(label, name)] = cmd
            if digest_of(cmd) != digest_of(ours):
                sys.exit(f"{label}: {name} and palisade disagree")
    samples = {key: [] for key in commands}
    for _ in range(args.rounds):
        for key, cmd in commands.items():
            samples[key].append(time_once(cmd))

    def med(key, i):
        return statistics.median(s[i] for s in samples[key])

    print(f"CPU: {cpu_model()} ({os.cpu_count()} logical CPUs; {cpu_flags()}); "
          f"{platform.system()} {platform.release()}")
    ossl = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    print(f"{ossl}; {args.rounds} paired rounds, medians; files in the page cache\n")
    print("| work | palisade wall (user / sys) | peer | peer wall (user / sys) | ratio |")
    print("|---|---|---|---|---|")
    for label, _, peers in cases:
        ours = (label, "palisade")
        for name, _ in peers:
            key = (label, name)
            if key not in samples:
                continue
            ratio = med(ours, 0) / med(key, 0)
            print(f"| {label} | {med(ours, 0) * 1000:.0f} ms ({med(ours, 1) * 1000:.0f} / "
                  f"{med(ours, 2) * 1000:.0f}) | {name} | {med(key, 0) * 1000:.0f} ms "
                  f"({med(key, 1) * 1000:.0f} / {med(key, 2) * 1000:.0f}) | **{ratio:.2f}x** |")


if __name__ == "__main__":
    main()
