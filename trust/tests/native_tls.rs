//! `TrustStore::to_native_tls` in real handshakes with a local `openssl s_server` (127.0.0.1
//! only): the store's root is trusted, a store without it is refused, and the system's roots
//! (here `SSL_CERT_FILE`, which OpenSSL reads) are not consulted. Run with `--all-features`.
//!
//! Unix without macOS: there native-tls is OpenSSL, which reads `SSL_CERT_FILE`.
#![cfg(all(feature = "native-tls", unix, not(target_os = "macos")))]
#![allow(clippy::unwrap_used)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use palisade_trust::TrustStore;

#[path = "../../tests/s_server.rs"]
mod s_server;
use s_server::Server;

/// Set in the child process of `the_system_roots_are_not_consulted`: the server's address.
const CHILD_ADDR: &str = "PALISADE_NATIVE_TLS_TEST_ADDR";

#[test]
fn the_store_root_is_trusted_and_no_other() {
    let Some(pki) = Pki::new("trusted") else {
        return;
    };
    let server = serve(&pki);

    let store = TrustStore::from_pem(std::fs::read(pki.path("ca.pem")).unwrap());
    let mut builder = native_tls::TlsConnector::builder();
    assert_eq!(store.to_native_tls(&mut builder), (1, 0));
    let response = get(&builder.build().unwrap(), &server.addr()).unwrap();
    assert!(response.starts_with("HTTP/1.0 200 ok"), "{response}");

    // Another CA only: the server's chain does not verify.
    let store = TrustStore::from_pem(other_root());
    let mut builder = native_tls::TlsConnector::builder();
    assert_eq!(store.to_native_tls(&mut builder), (1, 0));
    let err = get(&builder.build().unwrap(), &server.addr()).unwrap_err();
    assert!(err.contains("certificate verify failed"), "{err}");

    // An empty store trusts nothing: it does not fall back to the system's roots.
    let mut builder = native_tls::TlsConnector::builder();
    assert_eq!(TrustStore::from_pem("").to_native_tls(&mut builder), (0, 0));
    let err = get(&builder.build().unwrap(), &server.addr()).unwrap_err();
    assert!(err.contains("certificate verify failed"), "{err}");
}

/// Runs [`child_without_the_root`] in a process whose `SSL_CERT_FILE` names the server's CA, so
/// that a connector which consulted the built-in roots would trust the server.
#[test]
fn the_system_roots_are_not_consulted() {
    let Some(pki) = Pki::new("system") else {
        return;
    };
    let server = serve(&pki);
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "child_without_the_root",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env("SSL_CERT_FILE", pki.path("ca.pem"))
        .env_remove("SSL_CERT_DIR")
        .env(CHILD_ADDR, server.addr())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The child of [`the_system_roots_are_not_consulted`]; does nothing when run by itself.
#[test]
#[ignore = "run by the_system_roots_are_not_consulted, in a process of its own"]
fn child_without_the_root() {
    let Ok(addr) = std::env::var(CHILD_ADDR) else {
        return;
    };
    // Control: native-tls's own roots here are SSL_CERT_FILE's, which hold the server's CA.
    let plain = native_tls::TlsConnector::new().unwrap();
    let response = get(&plain, &addr).unwrap();
    assert!(response.starts_with("HTTP/1.0 200 ok"), "{response}");

    let store = TrustStore::from_pem(other_root());
    let mut builder = native_tls::TlsConnector::builder();
    assert_eq!(store.to_native_tls(&mut builder), (1, 0));
    let err = get(&builder.build().unwrap(), &addr).unwrap_err();
    assert!(err.contains("certificate verify failed"), "{err}");
}

/// A test root that did not issue the server's certificate.
fn other_root() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/root_a.pem")).unwrap()
}

/// One `GET /` over TLS to `localhost` at `addr`: the response, or the handshake's error.
fn get(connector: &native_tls::TlsConnector, addr: &str) -> Result<String, String> {
    let tcp = TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut tls = connector
        .connect("localhost", tcp)
        .map_err(|e| e.to_string())?;
    tls.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut response = Vec::new();
    // s_server -www closes without close_notify at times: what was read is enough.
    let _ = tls.read_to_end(&mut response);
    Ok(String::from_utf8_lossy(&response).into_owned())
}

/// A CA and a leaf for localhost / 127.0.0.1 made with the `openssl` command, as
/// scripts/tls_examples.sh makes them; in a temporary directory removed on drop.
struct Pki(PathBuf);

impl Pki {
    /// `None`, after saying so, when there is no `openssl` command (CI installs it).
    fn new(tag: &str) -> Option<Self> {
        if Command::new("openssl").arg("version").output().is_err() {
            #[allow(clippy::print_stderr)] // a skipped live test says so (house rule)
            {
                eprintln!("SKIPPED: no openssl command to make the test server");
            }
            return None;
        }
        let dir = std::env::temp_dir().join(format!(
            "palisade-trust-native-tls-{tag}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let pki = Self(dir);
        let ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
        pki.openssl(&format!(
            "req -x509 {ec} -days 2 -keyout ca.key -out ca.pem -subj /CN=Palisade-Test-CA \
             -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign"
        ));
        pki.openssl(&format!(
            "req {ec} -keyout leaf.key -out leaf.csr -subj /CN=localhost"
        ));
        std::fs::write(
            pki.path("ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n\
             basicConstraints=critical,CA:FALSE\n",
        )
        .unwrap();
        pki.openssl(
            "x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
             -extfile ext -out leaf.pem",
        );
        Some(pki)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Runs `openssl` in the directory with `args`, split at whitespace.
    fn openssl(&self, args: &str) {
        let out = Command::new("openssl")
            .args(args.split_whitespace())
            .current_dir(&self.0)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl {args} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `openssl s_server -www` on 127.0.0.1 with the leaf.
fn serve(pki: &Pki) -> Server {
    let (cert, key) = (pki.path("leaf.pem"), pki.path("leaf.key"));
    let args = [
        "-cert".as_ref(),
        cert.as_os_str(),
        "-key".as_ref(),
        key.as_os_str(),
    ];
    // Pki::new already found the openssl command.
    Server::start(&args).unwrap()
}
