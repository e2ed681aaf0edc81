#!/usr/bin/env python3
"""Differential vectors for palisade-digest from CPython's hashlib and hmac.

Writes random cases for every algorithm palisade-digest offers, computed by this Python:
messages of 0 to 3 blocks and around the block boundaries, 1 MiB messages, SHAKE at several
lengths, BLAKE2 with digest_size / key / salt / person, HMAC with keys shorter than, equal to
and longer than the block, PBKDF2 and scrypt with small costs.

  scripts/gen_digest_vectors.py > digest/tests/data/python_hashlib.txt     # committed
  scripts/gen_digest_vectors.py --seed 1234 --quick                       # the live test

Byte strings are hex. A long message is given as `msg_shake128 = SEED` with `msg_len = N`:
the message is the first N bytes of SHAKE128(SEED), which both sides can regenerate (and
SHAKE128 itself is checked against FIPS 202 vectors).
"""

import argparse
import hashlib
import hmac
import random
import ssl
import sys

ALGORITHMS = [
    "blake2b", "blake2s", "md5", "sha1", "sha224", "sha256", "sha384", "sha512",
    "sha512_224", "sha512_256", "sha3_224", "sha3_256", "sha3_384", "sha3_512",
    "shake_128", "shake_256",
]
HMAC_ALGORITHMS = [a for a in ALGORITHMS if not a.startswith("shake")]


def record(out, **fields):
    out.write("\n")
    for key, value in fields.items():
        if isinstance(value, bytes):
            value = value.hex()
        out.write(f"{key} = {value}\n")


def digest_of(name, data, xof_len=None):
    h = hashlib.new(name, data)
    return h.digest(xof_len) if name.startswith("shake") else h.digest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--quick", action="store_true", help="leave out the 1 MiB messages")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    out.write("# Differential vectors: CPython hashlib/hmac computed every `md`, `mac` and `dk`.\n")
    out.write(f"# Source: scripts/gen_digest_vectors.py --seed {args.seed}"
              f"{' --quick' if args.quick else ''}; Python {sys.version.split()[0]}, "
              f"{ssl.OPENSSL_VERSION}.\n")

    for name in ALGORITHMS:
        block = hashlib.new(name).block_size
        sizes = sorted({0, 1, 3, block - 1, block, block + 1, 2 * block - 9, 2 * block,
                        3 * block - 1, 3 * block, rng.randrange(3 * block)})
        for size in sizes:
            msg = rng.randbytes(size)
            if name.startswith("shake"):
                for xof_len in (1, 32, rng.randrange(2, 300)):
                    record(out, kind="hash", algorithm=name, msg=msg, length=xof_len,
                           md=digest_of(name, msg, xof_len))
            else:
                record(out, kind="hash", algorithm=name, msg=msg, md=digest_of(name, msg))
        if not args.quick:
            seed = rng.randbytes(16)
            size = (1 << 20) + rng.randrange(2)
            msg = hashlib.shake_128(seed).digest(size)
            fields = dict(kind="hash", algorithm=name, msg_shake128=seed, msg_len=size)
            if name.startswith("shake"):
                fields.update(length=64, md=digest_of(name, msg, 64))
            else:
                fields.update(md=digest_of(name, msg))
            record(out, **fields)

    for name, cls in (("blake2b", hashlib.blake2b), ("blake2s", hashlib.blake2s)):
        for _ in range(24):
            size = rng.randrange(1, cls.MAX_DIGEST_SIZE + 1)
            key = rng.randbytes(rng.choice([0, 1, cls.MAX_KEY_SIZE, rng.randrange(cls.MAX_KEY_SIZE)]))
            salt = rng.randbytes(rng.randrange(cls.SALT_SIZE + 1))
            person = rng.randbytes(rng.randrange(cls.PERSON_SIZE + 1))
            msg = rng.randbytes(rng.choice([0, 1, 64, 128, 129, rng.randrange(400)]))
            md = cls(msg, digest_size=size, key=key, salt=salt, person=person).digest()
            record(out, kind="blake2", algorithm=name, digest_size=size, key=key, salt=salt,
                   person=person, msg=msg, md=md)

    for name in HMAC_ALGORITHMS:
        block = hashlib.new(name).block_size
        for key_len in sorted({0, 1, 20, block - 1, block, block + 1, 2 * block + 3}):
            key = rng.randbytes(key_len)
            msg = rng.randbytes(rng.choice([0, 1, 64, block, rng.randrange(3 * block)]))
            record(out, kind="hmac", algorithm=name, key=key, msg=msg,
                   mac=hmac.new(key, msg, name).digest())

    for name in HMAC_ALGORITHMS:
        for _ in range(3):
            password = rng.randbytes(rng.choice([0, 8, 200]))
            salt = rng.randbytes(rng.randrange(40))
            iterations = rng.randrange(1, 60)
            dklen = rng.randrange(1, 150)
            record(out, kind="pbkdf2", algorithm=name, password=password, salt=salt,
                   iterations=iterations, dklen=dklen,
                   dk=hashlib.pbkdf2_hmac(name, password, salt, iterations, dklen))

    for _ in range(6):
        password = rng.randbytes(rng.randrange(30))
        salt = rng.randbytes(rng.randrange(30))
        n, r, p = 1 << rng.randrange(1, 8), rng.randrange(1, 5), rng.randrange(1, 4)
        dklen = rng.randrange(1, 100)
        record(out, kind="scrypt", password=password, salt=salt, n=n, r=r, p=p, dklen=dklen,
               dk=hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, dklen=dklen))


if __name__ == "__main__":
    main()
