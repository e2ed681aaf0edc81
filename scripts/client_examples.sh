#!/usr/bin/env bash
# Runs the HTTP client examples (examples/clients: ureq, reqwest blocking and async, hyper-rustls,
# tokio-rustls, native-tls) against a local `openssl s_server -www` (127.0.0.1 only). Each is
# given a CA file and builds a Palisade TrustStore of only that root: it must get `status: 200`
# with the server's CA, and must fail, with a certificate error, with another CA, even though
# SSL_CERT_FILE names the server's CA (no client may fall back to the system's roots). Used by
# .ci/run. The examples are a workspace of their own, built into the root's target directory
# so that the crates both use are not built twice.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/test_pki.sh
. scripts/test_pki.sh

target_dir=${CARGO_TARGET_DIR:-$PWD/target}
manifest=examples/clients/Cargo.toml
clients=(ureq-client reqwest-blocking-client reqwest-async-client hyper-rustls-client
    tokio-rustls-client native-tls-client)

# A scratch directory in $dir, removed with the server (if any) when the script exits.
scratch

cargo fmt --manifest-path "$manifest" --all --check

# The crates both workspaces use are the same versions (the examples' lock started as a copy of
# the root's): a crate of the root lock must not appear in the examples' at another version.
export LC_ALL=C # sort, join and comm must agree on the order
packages() { awk -F'"' '/^name = /{n=$2} /^version = /&&n{print n, $2}' "$1" | sort -u; }
drift=$(join -j1 <(packages Cargo.lock | awk '{print $1}' | sort -u) \
    <(packages examples/clients/Cargo.lock) | sort -u | comm -23 - <(packages Cargo.lock))
if [[ -n "$drift" ]]; then
    echo "examples/clients/Cargo.lock has versions the root Cargo.lock does not:" >&2
    echo "$drift" >&2
    exit 1
fi
cargo build --manifest-path "$manifest" --workspace --locked --target-dir "$target_dir"

# Two CAs (the server's and another) and a leaf for localhost / 127.0.0.1 from the first.
make_ca "$dir" ca "Palisade Client Example ca"
make_ca "$dir" other "Palisade Client Example other"
make_leaf "$dir" ca
start_server "$dir"

url="https://localhost:$port/"
failed=0
for client in "${clients[@]}"; do
    echo "--- $client"
    bin="$target_dir/debug/$client"
    # The system's roots, for any client that would read them, hold the server's CA.
    run() { env -u SSL_CERT_DIR SSL_CERT_FILE="$dir/ca.pem" "$bin" "$@"; }
    if run "$dir/ca.pem" "$url" >"$dir/out" 2>&1 && grep -qx "status: 200" "$dir/out"; then
        echo "server's CA: $(cat "$dir/out")"
    else
        echo "FAILED: $client did not get status 200 with the server's CA:" >&2
        cat "$dir/out" >&2
        failed=1
    fi
    if run "$dir/other.pem" "$url" >"$dir/out" 2>&1; then
        echo "FAILED: $client succeeded with a CA that did not issue the server's certificate:" >&2
        cat "$dir/out" >&2
        failed=1
    elif grep -qiE "certificate|UnknownIssuer|verify" "$dir/out"; then
        echo "other CA:    $(head -c 300 "$dir/out")"
    else
        echo "FAILED: $client failed with another CA, but not on the certificate:" >&2
        cat "$dir/out" >&2
        failed=1
    fi
done
exit "$failed"
