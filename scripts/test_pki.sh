# Sourced by scripts/tls_examples.sh and scripts/client_examples.sh: a throw-away PKI made with
# the openssl command, and `openssl s_server -www` on 127.0.0.1 with it.

# scratch: a temporary directory in `dir`; on exit it is removed and the server started by
# start_server (if any) is stopped.
scratch() {
    dir=$(mktemp -d)
    server=
    trap scratch_cleanup EXIT
}
scratch_cleanup() {
    if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$dir"
}

# make_ca DIR NAME CN: a P-256 root, DIR/NAME.pem and DIR/NAME.key.
make_ca() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -keyout "$1/$2.key" -out "$1/$2.pem" -subj "/CN=$3" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
}

# make_leaf DIR CA: DIR/leaf.pem and DIR/leaf.key for localhost and 127.0.0.1, issued by the root
# DIR/CA.pem.
make_leaf() {
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$1/leaf.key" -out "$1/leaf.csr" -subj "/CN=localhost" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n' >"$1/ext"
    openssl x509 -req -in "$1/leaf.csr" -CA "$1/$2.pem" -CAkey "$1/$2.key" -CAcreateserial \
        -days 1 -extfile "$1/ext" -out "$1/leaf.pem" 2>/dev/null
}

# start_server DIR: `openssl s_server -www` with DIR/leaf.pem on a free port of 127.0.0.1; sets
# `server` (its pid) and `port`. The server exits at once when the port is taken: a few tries.
start_server() {
    server=
    for _ in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 20000))
        openssl s_server -accept "127.0.0.1:$port" -cert "$1/leaf.pem" -key "$1/leaf.key" \
            -www -quiet </dev/null >/dev/null 2>&1 &
        server=$!
        for _ in $(seq 100); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
            if ! kill -0 "$server" 2>/dev/null; then break; fi
            sleep 0.05
        done
        kill "$server" 2>/dev/null || true
        server=
    done
    echo "$(basename "$0"): openssl s_server did not start" >&2
    return 1
}
