//! palisade::tls end to end: rustls and OpenSSL clients against `openssl s_server` on
//! 127.0.0.1, with a PKI made for the test.

use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

#[cfg(feature = "openssl")]
use openssl::ssl::HandshakeError;
use palisade::tls::{
    ChainVerifier, ClientConfig, PalisadeVerifier, Purpose, TlsVersion, TrustSource, VerifyError,
    verify_server_chain,
};
use palisade::trust::{EnvVars, TrustStore};
use palisade::verify::ServerName;
use rustls::pki_types::CertificateDer;

use crate::tls_fixture::{LEAF_NAMES, Pki};

/// What a handshake gave, or why it failed.
#[derive(Debug)]
struct Handshake {
    version: String,
    alpn: Option<Vec<u8>>,
}

#[derive(Debug)]
enum Failure {
    /// Our verifier's reason.
    Verify(VerifyError),
    /// Anything else, as text.
    Other(String),
}

#[derive(Clone, Copy, Debug)]
enum Backend {
    #[cfg(feature = "openssl")]
    Openssl,
    Rustls,
}

// OpenSSL only when the facade's `openssl` feature is on (.ci/run turns it on; a plain
// `cargo test --workspace` needs no OpenSSL to build).
const BACKENDS: &[Backend] = &[
    #[cfg(feature = "openssl")]
    Backend::Openssl,
    Backend::Rustls,
];

fn connect(backend: Backend, config: &ClientConfig, port: u16) -> Result<Handshake, Failure> {
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    match backend {
        Backend::Rustls => rustls_connect(config, tcp),
        #[cfg(feature = "openssl")]
        Backend::Openssl => openssl_connect(config, tcp),
    }
}

fn rustls_connect(config: &ClientConfig, mut tcp: TcpStream) -> Result<Handshake, Failure> {
    let rustls_config = config
        .to_rustls()
        .map_err(|e| Failure::Other(e.to_string()))?;
    let mut conn = rustls::ClientConnection::new(
        Arc::new(rustls_config),
        config.rustls_server_name().unwrap(),
    )
    .unwrap();
    while conn.is_handshaking() {
        if let Err(err) = conn.complete_io(&mut tcp) {
            return Err(match PalisadeVerifier::reason(&err) {
                Some(reason) => Failure::Verify(reason.clone()),
                None => Failure::Other(err.to_string()),
            });
        }
    }
    Ok(Handshake {
        version: format!("{:?}", conn.protocol_version().unwrap()),
        alpn: conn.alpn_protocol().map(<[u8]>::to_vec),
    })
}

#[cfg(feature = "openssl")]
fn openssl_connect(config: &ClientConfig, tcp: TcpStream) -> Result<Handshake, Failure> {
    let connector = config
        .to_openssl()
        .map_err(|e| Failure::Other(e.to_string()))?;
    let name = config.server_name().to_string();
    let result = connector
        .configure()
        .unwrap()
        .verify_hostname(false)
        .connect(&name, tcp);
    match result {
        Ok(stream) => Ok(Handshake {
            version: stream.ssl().version_str().to_owned(),
            alpn: stream.ssl().selected_alpn_protocol().map(<[u8]>::to_vec),
        }),
        Err(HandshakeError::Failure(mid)) => {
            // OpenSSL says only "application verification failure" for our name check: the
            // reasons come from checking the chain the server sent again.
            let chain: Vec<CertificateDer<'static>> = mid
                .ssl()
                .peer_cert_chain()
                .map(|certs| {
                    certs
                        .iter()
                        .map(|c| CertificateDer::from(c.to_der().unwrap()))
                        .collect()
                })
                .unwrap_or_default();
            let store = config.load_trust().unwrap();
            match verify_server_chain(&chain, &store, config.server_name(), SystemTime::now()) {
                Err(reason) if !chain.is_empty() => Err(Failure::Verify(reason)),
                _ => Err(Failure::Other(mid.error().to_string())),
            }
        }
        Err(other) => Err(Failure::Other(other.to_string())),
    }
}

fn config(pki: &Pki, host: &str) -> ClientConfig {
    ClientConfig::new(ServerName::try_from(host).unwrap())
        .with_trust(TrustSource::PemFile(pki.ca.clone()))
}

#[test]
fn success_with_the_test_ca_as_root() {
    let pki = Pki::new();
    let Some(server) = pki.server(&[]) else {
        return;
    };
    for &backend in BACKENDS {
        for host in ["localhost", "127.0.0.1"] {
            let done = connect(backend, &config(&pki, host), server.port).unwrap();
            assert_eq!(done.alpn, None, "{backend:?}");
            assert!(
                done.version.contains("1") && done.version.contains("3"),
                "{done:?}"
            );
        }
    }
}

#[test]
fn wrong_host_fails_naming_the_presented_names() {
    let pki = Pki::new();
    let Some(server) = pki.server(&[]) else {
        return;
    };
    for &backend in BACKENDS {
        let failure = connect(backend, &config(&pki, "wrong.example"), server.port).unwrap_err();
        let Failure::Verify(VerifyError::NameMismatch(mismatch)) = &failure else {
            panic!("{backend:?}: {failure:?}");
        };
        assert_eq!(mismatch.expected, "wrong.example");
        let text = mismatch.to_string();
        for name in LEAF_NAMES {
            assert!(text.contains(name), "{backend:?}: {text}");
        }
    }
}

#[test]
fn untrusted_root_fails_with_the_roots_sources() {
    let pki = Pki::new();
    let Some(server) = pki.server(&[]) else {
        return;
    };
    for &backend in BACKENDS {
        let config =
            config(&pki, "localhost").with_trust(TrustSource::PemFile(pki.other_ca.clone()));
        let failure = connect(backend, &config, server.port).unwrap_err();
        let Failure::Verify(VerifyError::UntrustedRoot {
            issuer,
            anchors,
            sources,
            refused,
        }) = &failure
        else {
            panic!("{backend:?}: {failure:?}");
        };
        assert!(issuer.contains("Palisade Test Root CA"), "{issuer}");
        assert_eq!(*anchors, 1);
        assert!(
            sources[0].contains(&pki.other_ca.display().to_string()),
            "{sources:?}"
        );
        assert!(refused.is_empty(), "{refused:?}");
    }
}

#[test]
fn expired_leaf_fails() {
    let pki = Pki::new();
    let Some(server) = pki.expired_server() else {
        return;
    };
    for &backend in BACKENDS {
        let failure = connect(backend, &config(&pki, "localhost"), server.port).unwrap_err();
        let Failure::Verify(VerifyError::Expired { subject, not_after }) = &failure else {
            panic!("{backend:?}: {failure:?}");
        };
        assert!(subject.contains("localhost"), "{subject}");
        let now = SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        assert!(
            not_after.unix_timestamp() < i64::try_from(now.as_secs()).unwrap(),
            "{not_after}"
        );
        let text = VerifyError::Expired {
            subject: subject.clone(),
            not_after: *not_after,
        }
        .to_string();
        assert!(text.ends_with('Z'), "{text}");
    }
}

#[test]
fn alpn_h2_is_negotiated_when_the_server_offers_it() {
    let pki = Pki::new();
    let Some(server) = pki.server(&["-alpn", "h2"]) else {
        return;
    };
    for &backend in BACKENDS {
        let config = config(&pki, "localhost").with_alpn(["h2", "http/1.1"]);
        let done = connect(backend, &config, server.port).unwrap();
        assert_eq!(done.alpn.as_deref(), Some(&b"h2"[..]), "{backend:?}");
    }
}

#[test]
fn min_tls13_against_a_tls12_server_fails_clearly() {
    let pki = Pki::new();
    let Some(server) = pki.server(&["-no_tls1_3"]) else {
        return;
    };
    for &backend in BACKENDS {
        let config = config(&pki, "localhost").with_versions(TlsVersion::Tls13, TlsVersion::Tls13);
        let failure = connect(backend, &config, server.port).unwrap_err();
        let Failure::Other(message) = &failure else {
            panic!("{backend:?}: {failure:?}");
        };
        assert!(
            message.to_lowercase().contains("version"),
            "{backend:?}: {message}"
        );
        // TLS 1.3 suites alone mean TLS 1.3 alone, not TLS 1.2 with the default suites.
        let tls13_suites = self::config(&pki, "localhost")
            .with_cipher_suites(["TLS_AES_256_GCM_SHA384"])
            .unwrap();
        let failure = connect(backend, &tls13_suites, server.port).unwrap_err();
        assert!(
            matches!(failure, Failure::Other(_)),
            "{backend:?}: {failure:?}"
        );
        // and TLS 1.2 itself works against that server
        let done = connect(backend, &self::config(&pki, "localhost"), server.port).unwrap();
        assert!(done.version.contains('2'), "{done:?}");
    }
}

#[test]
fn ssl_cert_file_bundle_makes_the_system_source_work() {
    let pki = Pki::new();
    let Some(server) = pki.server(&[]) else {
        return;
    };
    // TrustStore::system() reads the process environment; the builder takes the same
    // variables explicitly so that parallel tests do not share them. The command-line test
    // (cli/tests/connect.rs) sets the real SSL_CERT_FILE.
    let store = TrustStore::builder()
        .env_vars(EnvVars::none().with_ssl_cert_file(&pki.bundle))
        .build();
    assert!(store.env_replaced_system());
    let store = Arc::new(store);
    for &backend in BACKENDS {
        let config = config(&pki, "localhost").with_trust(TrustSource::Store(Arc::clone(&store)));
        connect(backend, &config, server.port).unwrap();
    }
}

#[test]
fn verify_server_chain_reports_path_and_provenance() {
    let pki = Pki::new();
    let store = TrustStore::builder()
        .env_vars(EnvVars::none().with_ssl_cert_file(&pki.bundle))
        .build();
    let chain: Vec<CertificateDer<'static>> =
        rustls::pki_types::pem::PemObject::pem_file_iter(&pki.chain)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let name = ServerName::try_from("test.palisade.example").unwrap();
    let verified = verify_server_chain(&chain, &store, &name, SystemTime::now()).unwrap();
    assert_eq!(verified.path().len(), 2);
    assert!(verified.path()[1].subject().contains("Intermediate"));
    assert!(
        verified
            .anchor()
            .subject()
            .contains("Palisade Test Root CA")
    );
    let provenance = verified.provenance()[0].to_string();
    assert_eq!(provenance, format!("{}#2", pki.bundle.display()));
    // The expired leaf, at a time when it was valid and now.
    let expired: Vec<CertificateDer<'static>> =
        rustls::pki_types::pem::PemObject::pem_file_iter(&pki.expired_chain)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let then = SystemTime::now() - Duration::from_secs(10 * 86_400);
    verify_server_chain(&expired, &store, &name, then).unwrap();
    let err = verify_server_chain(&expired, &store, &name, SystemTime::now()).unwrap_err();
    assert!(matches!(err, VerifyError::Expired { .. }), "{err:?}");
    // A client certificate (extendedKeyUsage clientAuth only) is not for a server.
    let client: Vec<CertificateDer<'static>> =
        rustls::pki_types::pem::PemObject::pem_file_iter(&pki.client_chain)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let err = verify_server_chain(&client, &store, &name, SystemTime::now()).unwrap_err();
    assert!(
        matches!(&err, VerifyError::WrongPurpose { subject, .. } if subject.contains("Palisade Test Client")),
        "{err:?}"
    );
    assert!(err.to_string().contains("serverAuth"), "{err}");
    // The leaf alone cannot reach the root.
    let err = verify_server_chain(&chain[..1], &store, &name, SystemTime::now()).unwrap_err();
    assert!(matches!(err, VerifyError::UntrustedRoot { .. }), "{err:?}");
}

#[test]
fn unsupported_combinations_are_errors() {
    let pki = Pki::new();
    let base = config(&pki, "localhost");
    let reversed = base
        .clone()
        .with_versions(TlsVersion::Tls13, TlsVersion::Tls12);
    assert_eq!(
        reversed.to_rustls().unwrap_err().to_string(),
        "maximum protocol version TLSv1.2 is below the minimum TLSv1.3"
    );
    #[cfg(feature = "openssl")]
    assert!(reversed.to_openssl().is_err());
    let ccm = base
        .clone()
        .with_cipher_suites(["TLS_AES_128_CCM_SHA256"])
        .unwrap();
    assert!(ccm.to_rustls().is_err());
    #[cfg(feature = "openssl")]
    ccm.to_openssl().unwrap();
    let tls13_only_suites = base
        .clone()
        .with_cipher_suites(["TLS_AES_128_GCM_SHA256"])
        .unwrap()
        .with_versions(TlsVersion::Tls12, TlsVersion::Tls12);
    assert!(tls13_only_suites.to_rustls().is_err());
    #[cfg(feature = "openssl")]
    assert!(tls13_only_suites.to_openssl().is_err());
    let missing = base.with_trust(TrustSource::PemFile(pki.dir.path().join("missing.pem")));
    let err = missing.to_rustls().unwrap_err().to_string();
    assert!(err.contains("missing.pem"), "{err}");
}

#[test]
fn a_server_name_rustls_refuses_is_an_error_not_a_panic() {
    // palisade-verify accepts a last label that reads as a hexadecimal number; rustls-pki-types
    // does not (WHATWG's "ends in a number" rule). Both calls used to end in an `expect`.
    let config = ClientConfig::new("a.0x1f".parse().unwrap());
    assert_eq!(
        config.rustls_server_name().unwrap_err().to_string(),
        "rustls does not accept \"a.0x1f\" as a server name"
    );
    assert_eq!(
        config.to_rustls().unwrap_err().to_string(),
        "rustls does not accept \"a.0x1f\" as a server name"
    );
    let accepted = ClientConfig::new("a.0xg".parse().unwrap());
    assert!(accepted.rustls_server_name().is_ok());
}

#[test]
fn cipher_suite_choice_is_honoured() {
    let pki = Pki::new();
    let Some(server) = pki.server(&[]) else {
        return;
    };
    let config = config(&pki, "localhost")
        .with_versions(TlsVersion::Tls12, TlsVersion::Tls12)
        .with_cipher_suites(["TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"])
        .unwrap();
    for &backend in BACKENDS {
        let done = connect(backend, &config, server.port).unwrap();
        assert!(done.version.contains('2'), "{done:?}");
    }
}

#[test]
fn client_certificate_is_sent_when_configured() {
    let pki = Pki::new();
    let ca = pki.ca.to_str().unwrap();
    // TLS 1.2, so that the server's rejection arrives before the client's handshake ends.
    let Some(server) = pki.server(&[
        "-Verify",
        "1",
        "-verify_return_error",
        "-CAfile",
        ca,
        "-no_tls1_3",
    ]) else {
        return;
    };
    for &backend in BACKENDS {
        let with_cert =
            config(&pki, "localhost").with_client_auth(&pki.client_chain, &pki.client_key);
        connect(backend, &with_cert, server.port).unwrap();
        let failure = connect(backend, &config(&pki, "localhost"), server.port).unwrap_err();
        assert!(
            matches!(failure, Failure::Other(_)),
            "{backend:?}: {failure:?}"
        );
    }
    // A key file that is not there is an error naming it.
    let missing = pki.dir.path().join("missing.key");
    let config = config(&pki, "localhost").with_client_auth(&pki.client_chain, &missing);
    assert!(
        config
            .to_rustls()
            .unwrap_err()
            .to_string()
            .contains("missing.key")
    );
    #[cfg(feature = "openssl")]
    assert!(
        config
            .to_openssl()
            .unwrap_err()
            .to_string()
            .contains("missing.key")
    );
}

#[test]
fn trust_sources_load_as_documented() {
    let pki = Pki::new();
    let Some(server) = pki.server(&[]) else {
        return;
    };
    // The system store plus the test CA: more anchors than the file alone, and it connects.
    let plus = TrustSource::SystemPlus(vec![pki.ca.clone()]);
    let store = plus.load().unwrap();
    assert!(store.tls_anchors().count() > 1);
    assert!(
        store
            .tls_anchors()
            .any(|a| a.subject().contains("Palisade Test Root CA"))
    );
    for &backend in BACKENDS {
        connect(
            backend,
            &config(&pki, "localhost").with_trust(plus.clone()),
            server.port,
        )
        .unwrap();
    }
    // A named file must load completely: one bad block is an error with its place.
    let bad = pki.dir.path().join("bad.pem");
    let mut text = std::fs::read_to_string(&pki.ca).unwrap();
    text.push_str("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
    std::fs::write(&bad, text).unwrap();
    for source in [
        TrustSource::PemFile(bad.clone()),
        TrustSource::SystemPlus(vec![bad.clone()]),
    ] {
        let err = source.load().unwrap_err();
        assert!(err.to_string().contains("bad.pem"), "{err}");
    }
    // A file without any certificate authority for TLS servers.
    let leaf_only = TrustSource::PemFile(pki.leaf.clone());
    let err = leaf_only.load().unwrap_err().to_string();
    assert!(
        err.starts_with("no trusted certificate authorities for TLS servers in"),
        "{err}"
    );
    // ... says what it holds instead: the leaf, which is no certificate authority.
    assert!(err.contains("(1 certificate); \"CN=localhost"), "{err}");
    assert!(
        err.contains("(not a certificate authority: no basicConstraints cA; "),
        "{err}"
    );
}

/// Every certificate of a PEM file.
fn pem_chain(path: &std::path::Path) -> Vec<CertificateDer<'static>> {
    rustls::pki_types::pem::PemObject::pem_file_iter(path)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn chain_verifier_takes_every_input() {
    let pki = Pki::new();
    let store = TrustStore::from_pem(std::fs::read(&pki.ca).unwrap());
    let chain = pem_chain(&pki.chain);
    let client = pem_chain(&pki.client_chain);
    let name = ServerName::try_from("localhost").unwrap();
    let other_name = ServerName::try_from("wrong.example").unwrap();
    // No name: the chain alone. A name it does not present is still refused.
    let verified = ChainVerifier::new(&store).verify(&chain).unwrap();
    assert_eq!(verified.path().len(), 2);
    ChainVerifier::new(&store)
        .name(None)
        .verify(&chain)
        .unwrap();
    let err = ChainVerifier::new(&store)
        .name(Some(&other_name))
        .verify(&chain)
        .unwrap_err();
    assert!(matches!(err, VerifyError::NameMismatch(_)), "{err:?}");
    ChainVerifier::new(&store)
        .name(Some(&name))
        .verify(&chain)
        .unwrap();
    // The time: before the leaf's notBefore (a day ago), after its notAfter (in 90 days).
    let day = Duration::from_secs(86_400);
    let err = ChainVerifier::new(&store)
        .at(SystemTime::now() - 2 * day)
        .verify(&chain)
        .unwrap_err();
    assert!(
        matches!(&err, VerifyError::NotYetValid { subject, .. } if subject.contains("localhost")),
        "{err:?}"
    );
    let err = ChainVerifier::new(&store)
        .at(SystemTime::now() + 100 * day)
        .verify(&chain)
        .unwrap_err();
    assert!(matches!(err, VerifyError::Expired { .. }), "{err:?}");
    ChainVerifier::new(&store)
        .at(SystemTime::now() + 80 * day)
        .verify(&chain)
        .unwrap();
    // The purpose: the client certificate is for clientAuth, the leaf for serverAuth.
    let verified = ChainVerifier::new(&store)
        .purpose(Purpose::ClientAuth)
        .verify(&client)
        .unwrap();
    assert!(
        verified.path()[0]
            .subject()
            .contains("Palisade Test Client")
    );
    let err = ChainVerifier::new(&store)
        .purpose(Purpose::ClientAuth)
        .verify(&chain)
        .unwrap_err();
    assert!(
        matches!(
            &err,
            VerifyError::WrongPurpose {
                purpose: Purpose::ClientAuth,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("is not for a TLS client"), "{err}");
    assert!(err.to_string().contains("clientAuth"), "{err}");
    let err = ChainVerifier::new(&store).verify(&client).unwrap_err();
    assert!(err.to_string().contains("is not for a TLS server"), "{err}");
    // Any OID: serverAuth by number is listed; codeSigning is not.
    ChainVerifier::new(&store)
        .purpose("1.3.6.1.5.5.7.3.1".parse().unwrap())
        .verify(&chain)
        .unwrap();
    let err = ChainVerifier::new(&store)
        .purpose("1.3.6.1.5.5.7.3.3".parse().unwrap())
        .verify(&chain)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("is not for purpose 1.3.6.1.5.5.7.3.3"),
        "{err}"
    );
}

#[test]
fn chain_verifier_checks_crls_and_depth() {
    let pki = Pki::new();
    let store = TrustStore::from_pem(std::fs::read(&pki.ca).unwrap());
    let chain = pem_chain(&pki.chain);
    let client = pem_chain(&pki.client_chain);
    let revoked = std::fs::read(&pki.revoked_crl).unwrap();
    let empty = std::fs::read(&pki.empty_crl).unwrap();
    // The leaf is refused with the CRL that lists it (PEM), accepted without it or with one
    // that lists nothing (DER); the client certificate, which the CRL does not list, passes.
    let err = ChainVerifier::new(&store)
        .crls([&revoked])
        .unwrap()
        .verify(&chain)
        .unwrap_err();
    assert!(
        matches!(&err, VerifyError::Revoked { subject } if subject.contains("localhost")),
        "{err:?}"
    );
    assert!(err.to_string().contains("revoked"), "{err}");
    ChainVerifier::new(&store).verify(&chain).unwrap();
    ChainVerifier::new(&store)
        .crls([&empty])
        .unwrap()
        .verify(&chain)
        .unwrap();
    ChainVerifier::new(&store)
        .purpose(Purpose::ClientAuth)
        .crls([&empty, &revoked])
        .unwrap()
        .verify(&client)
        .unwrap();
    // A bad CRL is an error that says which one (counted over every call) and why.
    let err = ChainVerifier::new(&store)
        .crls([&empty])
        .unwrap()
        .crls([b"not a CRL".as_slice()])
        .unwrap_err();
    assert!(
        matches!(&err, VerifyError::BadCrl { index: 1, message } if message.contains("neither DER nor PEM")),
        "{err:?}"
    );
    let mut truncated = empty.clone();
    truncated.truncate(empty.len() - 10);
    let err = ChainVerifier::new(&store).crls([truncated]).unwrap_err();
    assert!(
        matches!(err, VerifyError::BadCrl { index: 0, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("certificate revocation list 0 "),
        "{err}"
    );
    let pem_of_a_certificate = std::fs::read(&pki.ca).unwrap();
    let err = ChainVerifier::new(&store)
        .crls([pem_of_a_certificate])
        .unwrap_err();
    assert!(
        matches!(err, VerifyError::BadCrl { index: 0, .. }),
        "{err:?}"
    );
    // The depth: the path holds one intermediate.
    let err = ChainVerifier::new(&store)
        .max_depth(0)
        .verify(&chain)
        .unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::PathTooLong {
                max_depth: 0,
                depth: 1
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("maximum depth 0"), "{err}");
    ChainVerifier::new(&store)
        .max_depth(1)
        .verify(&chain)
        .unwrap();
    // A limit refuses a path and path building goes on: the first path found through
    // `long_chain` holds two intermediates, and a path of one exists.
    let long = pem_chain(&pki.long_chain);
    let verified = ChainVerifier::new(&store).verify(&long).unwrap();
    assert_eq!(verified.path().len(), 3, "{:?}", verified.path());
    let verified = ChainVerifier::new(&store)
        .max_depth(1)
        .verify(&long)
        .unwrap();
    assert_eq!(verified.path().len(), 2, "{:?}", verified.path());
    assert_eq!(verified.path()[1].der(), &long[3]);
    let err = ChainVerifier::new(&store)
        .max_depth(0)
        .verify(&long)
        .unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::PathTooLong {
                max_depth: 0,
                depth: 1
            }
        ),
        "{err:?}"
    );
}

/// `openssl verify -CAfile ca -untrusted chain ARGS leaf`: `Some(accepted)`, or `None` (after
/// saying the test is skipped) when there is no `openssl` command.
fn openssl_verify(ca: &std::path::Path, chain: &std::path::Path, args: &[&str]) -> Option<bool> {
    let out = std::process::Command::new("openssl")
        .arg("verify")
        .arg("-CAfile")
        .arg(ca)
        .arg("-untrusted")
        .arg(chain)
        .args(args)
        .arg(chain)
        .output();
    let Ok(out) = out else {
        #[allow(clippy::print_stderr)] // a skipped differential test says so (house rule)
        {
            eprintln!("SKIPPED: no openssl command for the differential test");
        }
        return None;
    };
    Some(out.status.success())
}

/// The inputs of `ChainVerifier` against the same inputs of `openssl verify` (`-purpose`,
/// `-attime`, `-crl_check` with `-CRLfile`, `-verify_depth`), on the same chains.
#[test]
fn chain_verifier_agrees_with_openssl_verify() {
    let pki = Pki::new();
    let store = TrustStore::from_pem(std::fs::read(&pki.ca).unwrap());
    let revoked = std::fs::read(&pki.revoked_crl).unwrap();
    let now = SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let day = 86_400;
    // Away from the certificates' bounds (the fixture's `now` is not this one): at notAfter
    // itself rustls-webpki accepts, as RFC 5280 says (inclusive), and OpenSSL refuses.
    let times = [now - 10 * day, now + 80 * day, now + 100 * day];
    let purposes = [
        (Purpose::ServerAuth, "sslserver"),
        (Purpose::ClientAuth, "sslclient"),
    ];
    let (mut compared, mut accepted) = (0, 0);
    for chain_path in [&pki.chain, &pki.client_chain, &pki.expired_chain] {
        let chain = pem_chain(chain_path);
        for (purpose, openssl_purpose) in &purposes {
            let mut cases: Vec<(ChainVerifier<'_>, Vec<String>)> =
                vec![(ChainVerifier::new(&store), vec![])];
            for &at in &times {
                cases.push((
                    ChainVerifier::new(&store).at(std::time::UNIX_EPOCH + Duration::from_secs(at)),
                    vec!["-attime".into(), at.to_string()],
                ));
            }
            cases.push((
                ChainVerifier::new(&store).crls([&revoked]).unwrap(),
                vec![
                    "-crl_check".into(),
                    "-CRLfile".into(),
                    pki.revoked_crl.display().to_string(),
                ],
            ));
            for depth in [0, 1] {
                cases.push((
                    ChainVerifier::new(&store).max_depth(depth),
                    vec!["-verify_depth".into(), depth.to_string()],
                ));
            }
            for (verifier, mut args) in cases {
                args.extend(["-purpose".into(), (*openssl_purpose).into()]);
                let ours = verifier.purpose(purpose.clone()).verify(&chain);
                let args = args.iter().map(String::as_str).collect::<Vec<_>>();
                let Some(theirs) = openssl_verify(&pki.ca, chain_path, &args) else {
                    return;
                };
                assert_eq!(
                    ours.is_ok(),
                    theirs,
                    "{} {args:?}: ours {ours:?}",
                    chain_path.display()
                );
                compared += 1;
                accepted += usize::from(theirs);
            }
        }
    }
    assert_eq!(compared, 3 * 2 * 7);
    // Both verdicts occur: the comparison can tell them apart.
    assert!(
        0 < accepted && accepted < compared,
        "{accepted} of {compared}"
    );
}

// issue 19: a root the store keeps but does not use (here: the CA's name on a certificate that
// is not a CA) is named in the error, not "not among the 0 trusted roots" alone.
#[test]
fn a_root_that_is_not_a_ca_is_named_when_the_chain_ends_at_it() {
    let pki = Pki::new();
    let mut params = rcgen::CertificateParams::default();
    let mut name = rcgen::DistinguishedName::new();
    name.push(rcgen::DnType::CommonName, "Palisade Test Root CA");
    name.push(rcgen::DnType::OrganizationName, "Palisade tests");
    params.distinguished_name = name;
    let key = rcgen::KeyPair::generate().unwrap();
    let not_a_ca = params.self_signed(&key).unwrap();
    let store = TrustStore::from_pem(not_a_ca.pem());
    assert_eq!(store.tls_anchors().count(), 0);
    let err = ChainVerifier::new(&store)
        .verify(&pem_chain(&pki.chain))
        .unwrap_err();
    let VerifyError::UntrustedRoot {
        anchors, refused, ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(*anchors, 0);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].contains("not a certificate authority"),
        "{refused:?}"
    );
    assert!(refused[0].contains("memory#1"), "{refused:?}");
    let text = err.to_string();
    assert!(
        text.contains("the store holds \"CN=Palisade Test Root CA, O=Palisade tests\" (not a"),
        "{text}"
    );
    // With the real root beside it, the chain verifies.
    let mut both = std::fs::read(&pki.ca).unwrap();
    both.extend_from_slice(not_a_ca.pem().as_bytes());
    ChainVerifier::new(&TrustStore::from_pem(both))
        .verify(&pem_chain(&pki.chain))
        .unwrap();
}
