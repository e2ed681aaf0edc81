#!/usr/bin/env python3
"""Times CPython's os.urandom and secrets, the Python peers of palisade-random.

Prints nanoseconds per call (best of 7 repeats, as `python3 -m timeit` reports) so that the
numbers sit beside `cargo bench -p palisade-bench --bench random` in docs/BENCHMARKS.md.
Run in the same session as the criterion benchmarks: this machine is noisy.
"""
import sys
import timeit

CASES = [
    ("os.urandom(32)", "import os", "os.urandom(32)"),
    ("os.urandom(1 MiB)", "import os", "os.urandom(1 << 20)"),
    ("secrets.token_hex(32)", "import secrets", "secrets.token_hex(32)"),
    ("secrets.token_urlsafe(32)", "import secrets", "secrets.token_urlsafe(32)"),
    ("secrets.randbelow(1000)", "import secrets", "secrets.randbelow(1000)"),
]


def main():
    print(f"# {sys.version.split()[0]}")
    for name, setup, stmt in CASES:
        timer = timeit.Timer(stmt, setup)
        number, _ = timer.autorange()
        best = min(timer.repeat(repeat=7, number=number)) / number
        print(f"{name:28} {best * 1e9:12.1f} ns")


if __name__ == "__main__":
    main()
