//! A throw-away PKI (made with rcgen: pure Rust, no OpenSSL needed to build the tests) and
//! `openssl s_server` on 127.0.0.1, for the end-to-end TLS tests.
//!
//! Shared by `tests/tls.rs` (the facade) and `cli/tests/connect.rs` (the command), which
//! include this file with `#[path]`, next to `tests/s_server.rs` (the server), which each of
//! them declares as `crate::s_server`.

use std::ffi::OsStr;
use std::fs;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DistinguishedName,
    DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose,
    RevokedCertParams, SanType, SerialNumber,
};

pub(crate) use crate::s_server::Server;

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
    /// A CRL of the intermediate that lists the valid leaf (PEM), and one that lists nothing
    /// (DER).
    pub(crate) revoked_crl: PathBuf,
    pub(crate) empty_crl: PathBuf,
    /// The valid leaf, then the intermediate re-issued (same name and key) by a bridge CA, the
    /// bridge (issued by the root), then the intermediate: a path of two intermediates comes
    /// first, one of one intermediate exists.
    #[allow(dead_code)] // used by tests/tls.rs only
    pub(crate) long_chain: PathBuf,
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
        let ca = Ca::new(
            "Palisade Test Root CA",
            None,
            now - 60 * DAY,
            now + 3650 * DAY,
        );
        let other = Ca::new(
            "Palisade Other Root CA",
            None,
            now - 60 * DAY,
            now + 3650 * DAY,
        );
        let int = Ca::new(
            "Palisade Test Intermediate CA",
            Some(&ca),
            now - 60 * DAY,
            now + 1000 * DAY,
        );
        let bridge = Ca::new(
            "Palisade Test Bridge CA",
            Some(&ca),
            now - 60 * DAY,
            now + 1000 * DAY,
        );
        let bridged = int.reissued_by(&bridge);
        let leaf_key = KeyPair::generate().unwrap();
        let (leaf, leaf_serial) = int.issue(
            "localhost",
            &leaf_key,
            Kind::Leaf,
            now - DAY,
            now + 90 * DAY,
        );
        let (expired, _) = int.issue(
            "localhost",
            &leaf_key,
            Kind::Leaf,
            now - 30 * DAY,
            now - 2 * DAY,
        );
        let client_key = KeyPair::generate().unwrap();
        let (client, _) = int.issue(
            "Palisade Test Client",
            &client_key,
            Kind::Client,
            now - DAY,
            now + 90 * DAY,
        );
        let write = |name: &str, certs: &[&str]| {
            let path = dir.path().join(name);
            fs::write(&path, certs.concat()).unwrap();
            path
        };
        let pki = Self {
            ca: write("ca.pem", &[&ca.pem]),
            other_ca: write("other_ca.pem", &[&other.pem]),
            bundle: write("bundle.pem", &[&other.pem, &ca.pem]),
            intermediate: write("intermediate.pem", &[&int.pem]),
            leaf: write("leaf.pem", &[&leaf]),
            chain: write("chain.pem", &[&leaf, &int.pem]),
            expired: write("expired.pem", &[&expired]),
            expired_chain: write("expired_chain.pem", &[&expired, &int.pem]),
            key: dir.path().join("leaf.key"),
            client_chain: write("client_chain.pem", &[&client, &int.pem]),
            client_key: dir.path().join("client.key"),
            revoked_crl: write(
                "revoked.crl.pem",
                &[&int.crl(&[leaf_serial], now).pem().unwrap()],
            ),
            empty_crl: dir.path().join("empty.crl"),
            long_chain: write("long_chain.pem", &[&leaf, &bridged, &bridge.pem, &int.pem]),
            dir,
        };
        // PKCS#8 PEM, which `openssl s_server -key` and palisade::tls both read.
        fs::write(&pki.key, leaf_key.serialize_pem()).unwrap();
        fs::write(&pki.client_key, client_key.serialize_pem()).unwrap();
        fs::write(&pki.empty_crl, int.crl(&[], now).der()).unwrap();
        pki
    }

    /// `openssl s_server` with the valid leaf; `None`, after printing that the test is
    /// skipped, when there is no `openssl` command.
    pub(crate) fn server(&self, extra: &[&str]) -> Option<Server> {
        start(&self.leaf, &self.key, &self.intermediate, extra)
    }

    /// `openssl s_server` with the expired leaf, as [`Pki::server`].
    pub(crate) fn expired_server(&self) -> Option<Server> {
        start(&self.expired, &self.key, &self.intermediate, &[])
    }
}

#[derive(Clone, Copy)]
enum Kind {
    /// serverAuth, with the DNS names of [`LEAF_NAMES`] and the IP address 127.0.0.1.
    Leaf,
    /// clientAuth only: the wrong purpose for a server.
    Client,
}

/// A certificate authority: its certificate as PEM and what signs with it.
struct Ca {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
    /// Its subject and validity, to issue it again.
    cn: String,
    validity: (i64, i64),
}

impl Ca {
    /// A P-256 CA, self-signed when `parent` is `None`.
    fn new(cn: &str, parent: Option<&Self>, not_before: i64, not_after: i64) -> Self {
        let key = KeyPair::generate().unwrap();
        Self::with_key(cn, key, parent, (not_before, not_after))
    }

    fn with_key(cn: &str, key: KeyPair, parent: Option<&Self>, validity: (i64, i64)) -> Self {
        let mut params = params(cn, validity.0, validity.1);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = match parent {
            Some(parent) => params.signed_by(&key, &parent.issuer).unwrap(),
            None => params.self_signed(&key).unwrap(),
        };
        Self {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
            cn: cn.to_owned(),
            validity,
        }
    }

    /// This CA's certificate again (same name and key), issued by `parent`, as PEM.
    fn reissued_by(&self, parent: &Self) -> String {
        let key = KeyPair::try_from(self.issuer.key().serialize_der().as_slice()).unwrap();
        Self::with_key(&self.cn, key, Some(parent), self.validity).pem
    }

    /// A CRL signed by this CA that lists `revoked` (issued a day before `now`, valid a week).
    fn crl(&self, revoked: &[SerialNumber], now: i64) -> rcgen::CertificateRevocationList {
        let params = CertificateRevocationListParams {
            this_update: date(now - DAY),
            next_update: date(now + 7 * DAY),
            crl_number: SerialNumber::from(1u64),
            issuing_distribution_point: None,
            revoked_certs: revoked
                .iter()
                .map(|serial| RevokedCertParams {
                    serial_number: serial.clone(),
                    revocation_time: date(now - DAY),
                    reason_code: None,
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        };
        params.signed_by(&self.issuer).unwrap()
    }

    /// An end-entity certificate for `key`, signed by this CA, as PEM, with its serial number.
    fn issue(
        &self,
        cn: &str,
        key: &KeyPair,
        kind: Kind,
        not_before: i64,
        not_after: i64,
    ) -> (String, SerialNumber) {
        let mut params = params(cn, not_before, not_after);
        params.is_ca = IsCa::ExplicitNoCa;
        params.use_authority_key_identifier_extension = true;
        match kind {
            Kind::Leaf => {
                params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
                params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
                params.subject_alt_names = LEAF_NAMES
                    .iter()
                    .map(|dns| SanType::DnsName((*dns).try_into().unwrap()))
                    .chain([SanType::IpAddress(Ipv4Addr::LOCALHOST.into())])
                    .collect();
            }
            Kind::Client => {
                params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
            }
        }
        let serial = params.serial_number.clone().unwrap();
        (params.signed_by(key, &self.issuer).unwrap().pem(), serial)
    }
}

/// Subject `CN=cn, O=Palisade tests`, a random serial and the validity period (Unix seconds).
fn params(cn: &str, not_before: i64, not_after: i64) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, cn);
    name.push(DnType::OrganizationName, "Palisade tests");
    params.distinguished_name = name;
    params.serial_number = Some(SerialNumber::from_slice(&random_serial()));
    params.not_before = date(not_before);
    params.not_after = date(not_after);
    params
}

/// Unix seconds as rcgen's date type.
fn date(unix: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(unix).unwrap()
}

/// A random positive 64-bit serial (the two leaves share a key and an issuer, so rcgen's
/// default, a hash of the key, would repeat).
fn random_serial() -> [u8; 8] {
    let mut serial = [0; 8];
    palisade::random::fill(&mut serial).unwrap();
    serial[0] = (serial[0] & 0x7f) | 0x40;
    serial
}

/// `openssl s_server` with a certificate, its key and the chain it sends after it.
fn start(cert: &Path, key: &Path, chain: &Path, extra: &[&str]) -> Option<Server> {
    let mut args: Vec<&OsStr> = vec![
        "-cert".as_ref(),
        cert.as_os_str(),
        "-key".as_ref(),
        key.as_os_str(),
        "-cert_chain".as_ref(),
        chain.as_os_str(),
    ];
    args.extend(extra.iter().map(OsStr::new));
    Server::start(&args)
}
