#!/usr/bin/env bash
# Regenerates the test certificates in verify/tests/data/certs/ with the openssl CLI.
# Tests never run this script; its output is committed. Each certificate is self-signed with
# one fixed throwaway key (tests check names only, never signatures) and written as PEM and DER.
#
#   usage: verify/scripts/gen_certs.sh      (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../tests/data/certs"

key=$(mktemp)
trap 'rm -f "$key"' EXIT
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key" 2>/dev/null

# make NAME SUBJECT [SAN [EXTRA_CONFIG]]
make() {
    local name=$1 subject=$2 san=${3:-} extra=${4:-}
    local cfg
    cfg=$(mktemp)
    {
        echo "[req]"
        echo "distinguished_name = dn"
        echo "x509_extensions = ext"
        echo "prompt = no"
        echo "[dn]"
        echo "[ext]"
        echo "basicConstraints = critical, CA:FALSE"
        [ -n "$san" ] && echo "subjectAltName = $san"
        [ -n "$extra" ] && printf '%s\n' "$extra"
    } >"$cfg"
    openssl req -new -x509 -key "$key" -config "$cfg" -subj "$subject" -days 36500 \
        -set_serial 1 -utf8 -out "$name.pem" 2>/dev/null
    openssl x509 -in "$name.pem" -outform DER -out "$name.der"
    rm -f "$cfg"
}

make dns_wildcard "/CN=example.com" "DNS:*.example.com, DNS:example.org"
make dns_single "/CN=unrelated.example" "DNS:www.example.com"
make cn_only "/CN=example.com"
make cn_and_san "/CN=example.com" "DNS:www.example.com"
make ip_v4 "/CN=192.0.2.1" "IP:192.0.2.1, IP:2001:db8::1"
make ip_mapped "/CN=mapped" "IP:::ffff:192.0.2.1"
make idna "/CN=idna" "DNS:xn--fa-hia.de, DNS:*.xn--bcher-kva.example"
make invalid_then_valid "/CN=mixed" \
    "DNS:*.*.example.com, DNS:w*.example.com, DNS:*.com, DNS:example.com., DNS:www.example.com"
make partial_wildcard "/CN=partial" "DNS:f*.example.com, DNS:*o.example.net, DNS:xn--*.example.org"
make many_types "/CN=types" "email:a@example.com, URI:https://example.com/, DNS:example.com, IP:198.51.100.7"
make no_names "/O=Palisade"
make dns_ip_text "/CN=192.0.2.1" "DNS:192.0.2.1, DNS:2001:db8::1"
make dns_upper "/CN=upper" "DNS:WWW.EXAMPLE.COM, DNS:*.EXAMPLE.ORG"
make dns_underscore "/CN=underscore" "DNS:_acme.example.com, DNS:*._tcp.example.com"

# Two subjectAltName extensions: openssl's config keeps one per name, so the second is written
# under the unassigned OID 2.5.29.99 (DER 06 03 55 1d 63), whose encoding is then patched to
# subjectAltName's 2.5.29.17 (06 03 55 1d 11). That breaks the signature, which no test checks.
make duplicate_san "/CN=dup" "DNS:a.example.com" \
    "2.5.29.99 = DER:30:0f:82:0d:62:2e:65:78:61:6d:70:6c:65:2e:63:6f:6d"
python3 - <<'PY'
der = open("duplicate_san.der", "rb").read()
assert der.count(b"\x06\x03\x55\x1d\x63") == 1
open("duplicate_san.der", "wb").write(der.replace(b"\x06\x03\x55\x1d\x63", b"\x06\x03\x55\x1d\x11"))
PY
openssl x509 -inform DER -in duplicate_san.der -out duplicate_san.pem

# For the benchmarks (bench/benches/verify.rs): one subjectAltName, and a hundred.
make san_1 "/CN=bench" "DNS:www.example.com"
make san_100 "/CN=bench" "$(for i in $(seq 0 99); do printf 'DNS:host-%d.example.com,' "$i"; done | sed 's/,$//')"
