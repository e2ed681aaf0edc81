#!/usr/bin/env bash
# Runs every example: the TLS clients against a local `openssl s_server` (127.0.0.1 only), with
# SSL_CERT_FILE naming a test CA so that their "system" trust source finds it, and the others
# on files made here, each output checked. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/test_pki.sh
. scripts/test_pki.sh

# A scratch directory in $dir, removed with the server (if any) when the script exits.
scratch

# A CA and a leaf for localhost / 127.0.0.1, and a server with them.
make_ca "$dir" ca "Palisade Example CA"
make_leaf "$dir" ca
start_server "$dir"

for example in rustls_client openssl_client; do
    echo "--- $example"
    env -u SSL_CERT_DIR SSL_CERT_FILE="$dir/ca.pem" cargo run --quiet --locked -p palisade \
        --features rustls,openssl --example "$example" -- "127.0.0.1:$port" localhost \
        >"$dir/out"
    cat "$dir/out"
    grep -q "^anchor:   CN=Palisade Example CA" "$dir/out"
    grep -q "^response: HTTP/1.0 200 ok" "$dir/out"
done
echo "--- hash_file"
printf 'abc' >"$dir/abc"
cargo run --quiet --locked -p palisade --example hash_file -- "$dir/abc" "$dir/leaf.pem" >"$dir/out"
cat "$dir/out"
# FIPS 180-2's example: SHA-256 of "abc"; and the same line sha256sum writes for the leaf.
grep -qx "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  $dir/abc" "$dir/out"
grep -qxF "$(sha256sum "$dir/leaf.pem")" "$dir/out"
cargo run --quiet --locked -p palisade --example hash_file -- --algorithm SHA3-256 "$dir/abc" \
    | grep -q "^3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532  "
echo "--- make_token"
cargo run --quiet --locked -p palisade --example make_token -- 16
echo "--- rand_010"
cargo run --quiet --locked -p palisade --example rand_010 >"$dir/out"
cat "$dir/out"
# The shuffle is a permutation of 1..=10, the draws are in their ranges, the key is 16 bytes.
shuffled=$(sed -n 's/^shuffled: \[\(.*\)\]$/\1/p' "$dir/out")
[[ "$(tr -d ' ' <<<"$shuffled" | tr ',' '\n' | sort -n | paste -sd,)" == "1,2,3,4,5,6,7,8,9,10" ]] ||
    { echo "rand_010: not a permutation of 1..=10: $shuffled" >&2; exit 1; }
grep -qx "die: [1-6]" "$dir/out"
# (a draw just below 1 prints as 1.000000)
grep -qx "fraction: [01]\.[0-9]\{6\}" "$dir/out"
grep -qx "pick: deck\[[0-9]\] = \([1-9]\|10\)" "$dir/out"
grep -qx "key: [0-9a-f]\{32\}" "$dir/out"
grep -qx "u64: [0-9]\+" "$dir/out"
echo "--- check_name"
cargo run --quiet --locked -p palisade --example check_name -- "$dir/leaf.pem" localhost
echo "--- print_trust_anchors"
# Into a file, so that `head` closing its pipe early cannot fail the step under pipefail.
env -u SSL_CERT_DIR SSL_CERT_FILE="$dir/ca.pem" cargo run --quiet --locked -p palisade \
    --example print_trust_anchors >"$dir/out"
head -3 "$dir/out"
grep -q "CN=Palisade Example CA" "$dir/out"
