//! palisade::tls against the usual rustls set-up, in one run.
//!
//! `cargo bench -p palisade-bench --bench tls`; ratios go to docs/BENCHMARKS.md.
//!
//! - `tls_config`: building a rustls `ClientConfig` from the system store, with
//!   `palisade::tls::ClientConfig::to_rustls` (TrustStore::system, anchors parsed for
//!   rustls-webpki) and with rustls-native-certs' usual set-up (`load_native_certs`, a
//!   `RootCertStore`, `with_root_certificates`, which builds the stock `WebPkiServerVerifier`).
//! - `tls_handshake`: a full TLS 1.3 handshake in memory (no sockets, so no scheduler noise)
//!   between a rustls client and a rustls server with an intermediate, with Palisade's verifier
//!   and with the stock webpki verifier, trusting the same one root. Both use aws-lc-rs.
//! - `tls_verify_server_cert`: the two verifiers alone on that server's chain.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::{BasicConstraints, ExtendedKeyUsage, SubjectAlternativeName};
use openssl::x509::{X509, X509Name};
use palisade::tls::{ClientConfig, PalisadeVerifier, TrustSource};
use palisade::trust::{EnvVars, TrustStore};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConnection, RootCertStore, ServerConnection};

fn config(c: &mut Criterion) {
    let mut group = c.benchmark_group("tls_config");
    let name = palisade::verify::ServerName::try_from("example.com").unwrap();
    group.bench_function("palisade_to_rustls", |b| {
        b.iter(|| {
            black_box(
                ClientConfig::new(name.clone())
                    .with_trust(TrustSource::System)
                    .to_rustls()
                    .unwrap(),
            )
        })
    });
    group.bench_function("rustls_native_certs", |b| {
        b.iter(|| {
            let mut roots = RootCertStore::empty();
            roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
            black_box(
                rustls::ClientConfig::builder_with_provider(Arc::new(
                    rustls::crypto::aws_lc_rs::default_provider(),
                ))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(roots)
                .with_no_client_auth(),
            )
        })
    });
    group.finish();
}

fn handshake(c: &mut Criterion) {
    let pki = TestPki::new();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let server = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(pki.chain.clone(), pki.key.clone_key())
            .unwrap(),
    );
    // Palisade: a store holding only the test CA.
    let dir = std::env::temp_dir().join(format!("palisade-bench-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, pki.ca_pem.as_slice()).unwrap();
    let store = TrustStore::builder()
        .env_vars(EnvVars::none().with_ssl_cert_file(&ca_file))
        .build();
    let ours = Arc::new(
        ClientConfig::new("localhost".parse().unwrap())
            .with_trust(TrustSource::Store(Arc::new(store)))
            .with_versions(
                palisade::tls::TlsVersion::Tls13,
                palisade::tls::TlsVersion::Tls13,
            )
            .to_rustls()
            .unwrap(),
    );
    let mut roots = RootCertStore::empty();
    roots.add(pki.ca.clone()).unwrap();
    let stock = Arc::new(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_root_certificates(roots.clone())
            .with_no_client_auth(),
    );
    // Both must succeed before they are timed.
    do_handshake(&ours, &server);
    do_handshake(&stock, &server);
    // The verifiers alone, on the chain the server sends.
    let palisade_verifier = PalisadeVerifier::new(Arc::new(
        TrustStore::builder()
            .env_vars(EnvVars::none().with_ssl_cert_file(&ca_file))
            .build(),
    ))
    .unwrap();
    let webpki_verifier = WebPkiServerVerifier::builder(Arc::new(roots.clone()))
        .build()
        .unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    let now = UnixTime::now();
    let verify = |v: &dyn ServerCertVerifier| {
        v.verify_server_cert(&pki.chain[0], &pki.chain[1..], &name, &[], now)
            .unwrap()
    };
    verify(&palisade_verifier);
    verify(webpki_verifier.as_ref());
    let mut group = c.benchmark_group("tls_verify_server_cert");
    group.bench_function("palisade_verifier", |b| {
        b.iter(|| black_box(verify(&palisade_verifier)))
    });
    group.bench_function("webpki_verifier", |b| {
        b.iter(|| black_box(verify(webpki_verifier.as_ref())))
    });
    group.finish();
    let mut group = c.benchmark_group("tls_handshake");
    group.bench_function("palisade_verifier", |b| {
        b.iter(|| do_handshake(&ours, &server))
    });
    group.bench_function("webpki_verifier", |b| {
        b.iter(|| do_handshake(&stock, &server))
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

/// One full handshake, bytes passed in memory.
fn do_handshake(client: &Arc<rustls::ClientConfig>, server: &Arc<rustls::ServerConfig>) {
    let mut c = ClientConnection::new(
        Arc::clone(client),
        ServerName::try_from("localhost").unwrap(),
    )
    .unwrap();
    let mut s = ServerConnection::new(Arc::clone(server)).unwrap();
    let mut buf = Vec::new();
    while c.is_handshaking() || s.is_handshaking() {
        buf.clear();
        while c.wants_write() {
            c.write_tls(&mut buf).unwrap();
        }
        let mut read = buf.as_slice();
        while !read.is_empty() {
            s.read_tls(&mut read).unwrap();
            s.process_new_packets().unwrap();
        }
        buf.clear();
        while s.wants_write() {
            s.write_tls(&mut buf).unwrap();
        }
        let mut read = buf.as_slice();
        while !read.is_empty() {
            c.read_tls(&mut read).unwrap();
            c.process_new_packets().unwrap();
        }
    }
    black_box((c, s));
}

struct TestPki {
    ca: CertificateDer<'static>,
    ca_pem: Vec<u8>,
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl TestPki {
    fn new() -> Self {
        let ca_key = ec_key();
        let ca = cert("Bench Root CA", None, &ca_key, true);
        let int_key = ec_key();
        let int = cert(
            "Bench Intermediate CA",
            Some((&ca, &ca_key)),
            &int_key,
            true,
        );
        let leaf_key = ec_key();
        let leaf = cert("localhost", Some((&int, &int_key)), &leaf_key, false);
        let der = |c: &X509| CertificateDer::from(c.to_der().unwrap());
        Self {
            ca: der(&ca),
            ca_pem: ca.to_pem().unwrap(),
            chain: vec![der(&leaf), der(&int)],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
                leaf_key.private_key_to_pkcs8().unwrap(),
            )),
        }
    }
}

fn ec_key() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap()
}

fn cert(cn: &str, issuer: Option<(&X509, &PKey<Private>)>, key: &PKey<Private>, ca: bool) -> X509 {
    let mut name = X509Name::builder().unwrap();
    name.append_entry_by_nid(Nid::COMMONNAME, cn).unwrap();
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
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(30).unwrap())
        .unwrap();
    if ca {
        b.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
            .unwrap();
    } else {
        b.append_extension(ExtendedKeyUsage::new().server_auth().build().unwrap())
            .unwrap();
        let san = SubjectAlternativeName::new()
            .dns("localhost")
            .build(&b.x509v3_context(issuer.map(|(c, _)| &**c), None))
            .unwrap();
        b.append_extension(san).unwrap();
    }
    b.sign(issuer.map_or(key, |(_, k)| k), MessageDigest::sha256())
        .unwrap();
    b.build()
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = config, handshake
}
criterion_main!(benches);
