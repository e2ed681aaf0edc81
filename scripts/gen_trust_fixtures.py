#!/usr/bin/env python3
"""Generates the certificates palisade-trust's fixture tests build distribution layouts from.

Writes trust/tests/data/*.pem. Needs Python's `cryptography` package and the `openssl` command
(for the `TRUSTED CERTIFICATE` blocks, which only OpenSSL writes). Tests never run this: the
output is committed, and regenerating it changes every certificate (new keys).
"""
import datetime
import pathlib
import subprocess

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OUT = pathlib.Path(__file__).resolve().parent.parent / "trust" / "tests" / "data"


def name(cn):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "XX"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Palisade Test"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def cert(cn, *, ca=True, issuer=None, eku=None, start=2020, end=2045):
    key = ec.generate_private_key(ec.SECP256R1())
    issuer_name, issuer_key = (issuer[0].subject, issuer[1]) if issuer else (name(cn), key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.datetime(start, 1, 1, tzinfo=datetime.timezone.utc))
        .not_valid_after(datetime.datetime(end, 1, 1, tzinfo=datetime.timezone.utc))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    return builder.sign(issuer_key, hashes.SHA256()), key


def write(filename, certificate):
    (OUT / filename).write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def trusted(source, filename, *flags):
    """`openssl x509 -trustout` with trust (-addtrust) or reject (-addreject) purposes."""
    subprocess.run(
        ["openssl", "x509", "-in", str(OUT / source), "-out", str(OUT / filename), "-trustout",
         *flags],
        check=True,
    )


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    root_a = cert("Palisade Test Root A")
    write("root_a.pem", root_a[0])
    write("root_b.pem", cert("Palisade Test Root B")[0])
    root_c = cert("Palisade Test Root C")
    write("root_c.pem", root_c[0])
    (OUT / "root_c_key.pem").write_bytes(root_c[1].public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    write("root_email.pem", cert("Palisade Test Email Root",
                                 eku=[ExtendedKeyUsageOID.EMAIL_PROTECTION])[0])
    write("root_expired.pem", cert("Palisade Test Expired Root", start=2000, end=2010)[0])
    write("snakeoil.pem", cert("localhost", ca=False)[0])
    # A company's own root, installed only in a hashed directory; and a re-keyed CA: two roots
    # with one subject (so one OpenSSL subject hash: <hash>.0 and <hash>.1).
    write("root_company.pem", cert("Palisade Test Company Root")[0])
    write("root_rekeyed_1.pem", cert("Palisade Test Rekeyed Root", start=2020)[0])
    write("root_rekeyed_2.pem", cert("Palisade Test Rekeyed Root", start=2024)[0])
    write("leaf_a.pem", cert("www.example.test", ca=False, issuer=root_a,
                             eku=[ExtendedKeyUsageOID.SERVER_AUTH])[0])
    trusted("root_a.pem", "root_a_trusted.pem", "-addtrust", "serverAuth", "-setalias", "Root A")
    trusted("root_c.pem", "root_c_rejected.pem", "-addreject", "serverAuth")
    trusted("root_email.pem", "root_email_trusted.pem", "-addtrust", "emailProtection")
    subprocess.run(["openssl", "x509", "-in", str(OUT / "root_b.pem"), "-outform", "DER",
                    "-out", str(OUT / "root_b.der")], check=True)


if __name__ == "__main__":
    main()
