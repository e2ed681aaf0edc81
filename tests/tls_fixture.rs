//! A throw-away PKI and `openssl s_server` on 127.0.0.1, for the end-to-end TLS tests.
//!
//! Shared by `tests/tls.rs` (the facade) and `cli/tests/connect.rs` (the command), which
//! include this file with `#[path]`.

use std::fs;
use std::io::Write as _;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
};
use openssl::x509::{X509, X509Name};

const DAY: i64 = 86_400;

/// A temporary directory, removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let dir = std::env::temp_dir().join(format!(
            "palisade-{tag}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A test CA, an intermediate, a leaf for `localhost`/`127.0.0.1`, an expired leaf and an
/// unrelated CA, as PEM files.
pub(crate) struct Pki {
    pub(crate) dir: TempDir,
    /// The test root CA.
    pub(crate) ca: PathBuf,
    /// A CA that issued nothing here.
    pub(crate) other_ca: PathBuf,
    /// `other_ca` then `ca`: a bundle for SSL_CERT_FILE.
    pub(crate) bundle: PathBuf,
    /// The intermediate CA.
    pub(crate) intermediate: PathBuf,
    /// The valid leaf alone, and leaf + intermediate.
    pub(crate) leaf: PathBuf,
    pub(crate) chain: PathBuf,
    /// The expired leaf alone, and expired leaf + intermediate.
    pub(crate) expired: PathBuf,
    pub(crate) expired_chain: PathBuf,
    /// The key of both leaves.
    pub(crate) key: PathBuf,
    /// A client certificate (clientAuth) + intermediate, and its key.
    #[allow(dead_code)] // used by tests/tls.rs only
    pub(crate) client_chain: PathBuf,
    #[allow(dead_code)]
    pub(crate) client_key: PathBuf,
}

/// The names the leaf presents.
pub(crate) const LEAF_NAMES: &[&str] = &["localhost", "test.palisade.example"];

impl Pki {
    pub(crate) fn new() -> Self {
        let dir = TempDir::new("pki");
        let now = i64::try_from(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs(),
        )
        .unwrap();
        let ca_key = ec_key();
        let ca = cert(
            "Palisade Test Root CA",
            None,
            &ca_key,
            Kind::Ca,
            now - 60 * DAY,
            now + 3650 * DAY,
        );
        let other_key = ec_key();
        let other = cert(
            "Palisade Other Root CA",
            None,
            &other_key,
            Kind::Ca,
            now - 60 * DAY,
            now + 3650 * DAY,
        );
        let int_key = ec_key();
        let int = cert(
            "Palisade Test Intermediate CA",
            Some((&ca, &ca_key)),
            &int_key,
            Kind::Ca,
            now - 60 * DAY,
            now + 1000 * DAY,
        );
        let leaf_key = ec_key();
        let leaf = cert(
            "localhost",
            Some((&int, &int_key)),
            &leaf_key,
            Kind::Leaf,
            now - DAY,
            now + 90 * DAY,
        );
        let expired = cert(
            "localhost",
            Some((&int, &int_key)),
            &leaf_key,
            Kind::Leaf,
            now - 30 * DAY,
            now - 2 * DAY,
        );
        let client_key = ec_key();
        let client = cert(
            "Palisade Test Client",
            Some((&int, &int_key)),
            &client_key,
            Kind::Client,
            now - DAY,
            now + 90 * DAY,
        );
        let write = |name: &str, certs: &[&X509]| {
            let path = dir.path().join(name);
            let mut pem = Vec::new();
            for c in certs {
                pem.extend(c.to_pem().unwrap());
            }
            fs::write(&path, pem).unwrap();
            path
        };
        let pki = Self {
            ca: write("ca.pem", &[&ca]),
            other_ca: write("other_ca.pem", &[&other]),
            bundle: write("bundle.pem", &[&other, &ca]),
            intermediate: write("intermediate.pem", &[&int]),
            leaf: write("leaf.pem", &[&leaf]),
            chain: write("chain.pem", &[&leaf, &int]),
            expired: write("expired.pem", &[&expired]),
            expired_chain: write("expired_chain.pem", &[&expired, &int]),
            key: dir.path().join("leaf.key"),
            client_chain: write("client_chain.pem", &[&client, &int]),
            client_key: dir.path().join("client.key"),
            dir,
        };
        fs::write(&pki.key, leaf_key.private_key_to_pem_pkcs8().unwrap()).unwrap();
        fs::write(
            &pki.client_key,
            client_key.private_key_to_pem_pkcs8().unwrap(),
        )
        .unwrap();
        pki
    }

    /// `openssl s_server` with the valid leaf; `None`, after printing that the test is
    /// skipped, when there is no `openssl` command.
    pub(crate) fn server(&self, extra: &[&str]) -> Option<Server> {
        Server::start(&self.leaf, &self.key, &self.intermediate, extra)
    }

    /// `openssl s_server` with the expired leaf, as [`Pki::server`].
    pub(crate) fn expired_server(&self) -> Option<Server> {
        Server::start(&self.expired, &self.key, &self.intermediate, &[])
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Ca,
    Client,
    Leaf,
}

fn ec_key() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap()
}

fn cert(
    cn: &str,
    issuer: Option<(&X509, &PKey<Private>)>,
    key: &PKey<Private>,
    kind: Kind,
    not_before: i64,
    not_after: i64,
) -> X509 {
    let mut name = X509Name::builder().unwrap();
    name.append_entry_by_nid(Nid::COMMONNAME, cn).unwrap();
    name.append_entry_by_nid(Nid::ORGANIZATIONNAME, "Palisade tests")
        .unwrap();
    let name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    let mut serial = BigNum::new().unwrap();
    serial.rand(64, MsbOption::MAYBE_ZERO, false).unwrap();
    b.set_serial_number(&serial.to_asn1_integer().unwrap())
        .unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(issuer.map_or(&name, |(c, _)| c.subject_name()))
        .unwrap();
    b.set_pubkey(key).unwrap();
    b.set_not_before(&Asn1Time::from_unix(not_before).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::from_unix(not_after).unwrap())
        .unwrap();
    match kind {
        Kind::Client => {
            b.append_extension(BasicConstraints::new().critical().build().unwrap())
                .unwrap();
            b.append_extension(ExtendedKeyUsage::new().client_auth().build().unwrap())
                .unwrap();
        }
        Kind::Ca => {
            b.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
                .unwrap();
            b.append_extension(
                KeyUsage::new()
                    .critical()
                    .key_cert_sign()
                    .crl_sign()
                    .build()
                    .unwrap(),
            )
            .unwrap();
        }
        Kind::Leaf => {
            b.append_extension(BasicConstraints::new().critical().build().unwrap())
                .unwrap();
            b.append_extension(
                KeyUsage::new()
                    .critical()
                    .digital_signature()
                    .build()
                    .unwrap(),
            )
            .unwrap();
            b.append_extension(ExtendedKeyUsage::new().server_auth().build().unwrap())
                .unwrap();
            let mut san = SubjectAlternativeName::new();
            for dns in LEAF_NAMES {
                san.dns(dns);
            }
            san.ip("127.0.0.1");
            let san = san
                .build(&b.x509v3_context(issuer.map(|(c, _)| &**c), None))
                .unwrap();
            b.append_extension(san).unwrap();
        }
    }
    let signer = issuer.map_or(key, |(_, k)| k);
    b.sign(signer, MessageDigest::sha256()).unwrap();
    b.build()
}

/// `openssl s_server -www` on 127.0.0.1, killed on drop.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
}

impl Server {
    fn start(cert: &Path, key: &Path, chain: &Path, extra: &[&str]) -> Option<Self> {
        if Command::new("openssl").arg("version").output().is_err() {
            #[allow(clippy::print_stderr)] // a skipped live test says so (house rule)
            {
                eprintln!("SKIPPED: no openssl command to run the test server");
            }
            return None;
        }
        // A free port can be taken between our probe and the server's bind: retry.
        for _ in 0..5 {
            let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let mut child = Command::new("openssl")
                .arg("s_server")
                .arg("-accept")
                .arg(format!("127.0.0.1:{port}"))
                .arg("-cert")
                .arg(cert)
                .arg("-key")
                .arg(key)
                .arg("-cert_chain")
                .arg(chain)
                .args(["-www", "-quiet"])
                .args(extra)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                    return Some(Self { child, port });
                }
                thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("openssl s_server did not start");
    }

    // Used by cli/tests/connect.rs.
    #[allow(dead_code)]
    pub(crate) fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stdin) = self.child.stdin.as_mut() {
            let _ = stdin.write_all(b"Q\n");
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
