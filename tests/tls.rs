//! palisade::tls end to end: rustls and OpenSSL clients against `openssl s_server` on
//! 127.0.0.1, with a PKI made for the test.

use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

#[cfg(feature = "openssl")]
use openssl::ssl::HandshakeError;
use palisade::tls::{
    ClientConfig, PalisadeVerifier, TlsVersion, TrustSource, VerifyError, verify_server_chain,
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
