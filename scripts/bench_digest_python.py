#!/usr/bin/env python3
"""Times CPython's hashlib and hmac on the cases of `cargo bench --bench digest`.

  scripts/bench_digest_python.py            # prints one line per case: name, ns per call

Each case is timed with timeit in several rounds and the best round is kept (the least
disturbed by other work on the machine), as the Python documentation recommends.
"""

import hashlib
import hmac
import ssl
import sys
import timeit


def data(n):
    return bytes(((i * 131) >> 3) & 0xFF for i in range(n))


def best_ns(stmt, number, rounds=7):
    return min(timeit.repeat(stmt, number=number, repeat=rounds)) / number * 1e9


def main():
    print(f"# Python {sys.version.split()[0]}, {ssl.OPENSSL_VERSION}")
    sizes = [(64, "64B", 200_000), (1024, "1KiB", 50_000), (1 << 20, "1MiB", 50)]
    for name in ["sha256", "sha512", "md5", "sha3_256", "blake2b"]:
        ctor = getattr(hashlib, name)
        for size, label, number in sizes:
            d = data(size)
            ns = best_ns(lambda: ctor(d).digest(), number)
            print(f"hash/{name}/{label}\t{ns:.1f}\t{size / ns * 1e3:.0f} MB/s")
    key, msg = data(32), data(64)
    print(f"hmac-sha256/64B/fresh-key\t{best_ns(lambda: hmac.digest(key, msg, 'sha256'), 200_000):.1f}")
    keyed = hmac.new(key, digestmod="sha256")

    def reused():
        h = keyed.copy()
        h.update(msg)
        return h.digest()

    print(f"hmac-sha256/64B/reused-key\t{best_ns(reused, 200_000):.1f}")
    pw, salt = b"correct horse battery staple", b"NaCl and pepper"
    ns = best_ns(lambda: hashlib.pbkdf2_hmac("sha256", pw, salt, 600_000, 32), 1, rounds=5)
    print(f"pbkdf2-sha256/600k\t{ns / 1e6:.1f} ms")
    for size, label in [(32, "32B"), (4096, "4KiB")]:
        a, b = data(size), bytearray(data(size))
        b = bytes(b)
        print(f"compare/{label}/compare_digest\t{best_ns(lambda: hmac.compare_digest(a, b), 500_000):.1f}")
        print(f"compare/{label}/==\t{best_ns(lambda: a == b, 500_000):.1f}")


if __name__ == "__main__":
    main()
