//! What the Windows and macOS backends share, over plain data: the certificates of one
//! operating-system store into the loader, Windows usage identifiers as purposes, and the
//! macOS trust-settings rules. Nothing here calls the operating system, so all of it is tested
//! on every platform; `windows.rs` and `macos.rs` only fetch the data.

// Used by the Windows and macOS backends; elsewhere only by the tests below.
#![cfg_attr(not(any(windows, target_os = "macos")), allow(dead_code))]

use std::path::PathBuf;

use crate::anchor::{CertInfo, MacDomain, Provenance, SourceKind};
use crate::discover::Loader;
use crate::dn::distinguished_name;
use crate::error::{Error, ErrorKind};
use crate::pem::Aux;
use crate::purpose::Purposes;
use crate::record::{Distrust, DistrustReason, Source};

/// One certificate of an operating-system store, and what its presence there means.
#[derive(Clone, Debug)]
pub(crate) struct StoreEntry {
    /// The certificate, DER-encoded.
    pub(crate) der: Vec<u8>,
    /// What the store says about it.
    pub(crate) meaning: Meaning,
}

/// What a certificate's presence in a store means.
#[derive(Clone, Debug)]
pub(crate) enum Meaning {
    /// A trust anchor (a Windows `ROOT` or `AuthRoot` store), for the purposes its own
    /// extension allows, narrowed by `usages` when the store restricts them (a Windows
    /// enhanced-key-usage property).
    #[cfg_attr(not(windows), allow(dead_code))]
    Anchor {
        /// The purposes the store allows, or `None` for no restriction.
        usages: Option<Purposes>,
    },
    /// Distrusted (a Windows `Disallowed` store).
    #[cfg_attr(not(windows), allow(dead_code))]
    Distrust(DistrustReason),
    /// The trust settings of a certificate in a macOS domain, decided by [`tls_trust`].
    #[cfg_attr(not(target_os = "macos"), allow(dead_code))]
    TrustSettings {
        /// The domain they were read from.
        domain: MacDomain,
        /// Its usage-constraint dictionaries, in order.
        constraints: Vec<UsageConstraint>,
    },
}

impl Loader<'_> {
    /// Reads one operating-system store named by `provenance`: each entry becomes an anchor or
    /// a distrust entry (or nothing, when trust settings make it neither), each bad entry an
    /// error whose path is the store's name. The store is listed in the sources.
    pub(crate) fn system_store(
        &mut self,
        provenance: &Provenance,
        entries: impl IntoIterator<Item = Result<StoreEntry, ErrorKind>>,
    ) {
        let name = PathBuf::from(provenance.to_string());
        let mut certificates = 0;
        let mut errors = 0;
        for entry in entries {
            match entry.and_then(|e| self.system_entry(e, provenance)) {
                Ok(true) => certificates += 1,
                Ok(false) => {}
                Err(kind) => {
                    errors += 1;
                    self.out.errors.push(Error::at(kind, &name));
                }
            }
        }
        self.out.sources.push(Source {
            path: name,
            kind: SourceKind::SystemStore,
            certificates,
            errors,
        });
    }

    /// One entry; `Ok(false)` when trust settings make it neither anchor nor distrust.
    fn system_entry(
        &mut self,
        entry: StoreEntry,
        provenance: &Provenance,
    ) -> Result<bool, ErrorKind> {
        let StoreEntry { der, meaning } = entry;
        let usages = match meaning {
            Meaning::Anchor { usages } => usages,
            Meaning::Distrust(reason) => {
                let info = CertInfo::parse(&der)?;
                self.distrust_entry(&der, &info, reason, provenance);
                return Ok(true);
            }
            Meaning::TrustSettings {
                domain,
                constraints,
            } => {
                let info = CertInfo::parse(&der)?;
                let self_issued = der[info.subject_raw.0..info.subject_raw.1]
                    == der[info.issuer_raw.0..info.issuer_raw.1];
                match tls_trust(domain, self_issued, &constraints) {
                    MacTrust::Anchor => None,
                    MacTrust::Deny => {
                        let reason = DistrustReason::TrustSettingsDeny;
                        self.distrust_entry(&der, &info, reason, provenance);
                        return Ok(true);
                    }
                    MacTrust::NotAnchor => return Ok(false),
                }
            }
        };
        let aux = usages.map(|trust| Aux {
            trust: Some(trust),
            reject: Purposes::NONE,
            alias: None,
        });
        self.certificate(der, aux, SourceKind::SystemStore, provenance.clone())?;
        Ok(true)
    }

    fn distrust_entry(
        &mut self,
        der: &[u8],
        info: &CertInfo,
        reason: DistrustReason,
        provenance: &Provenance,
    ) {
        self.out.distrust.push(Distrust::new(
            Some(distinguished_name(
                &der[info.subject_raw.0..info.subject_raw.1],
            )),
            der[info.spki_raw.0..info.spki_raw.1].to_vec(),
            reason,
            provenance.clone(),
        ));
    }
}

/// The purposes named by Windows enhanced-key-usage identifiers (dotted object identifiers, as
/// `CertGetEnhancedKeyUsage` returns them). Identifiers this crate does not track add nothing,
/// so a list of only those is [`Purposes::NONE`].
#[cfg_attr(not(windows), allow(dead_code))]
pub(crate) fn purposes_from_oids<'a>(oids: impl IntoIterator<Item = &'a str>) -> Purposes {
    let mut purposes = Purposes::NONE;
    for oid in oids {
        if let Some((_, p)) = DOTTED.iter().find(|(name, _)| *name == oid.trim()) {
            purposes |= *p;
        }
    }
    purposes
}

/// One usage-constraint dictionary of a certificate's trust settings in one macOS domain, as
/// `SecTrustSettingsCopyTrustSettings` returns them, reduced to what the decision reads.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
#[derive(Clone, Debug, Default, Eq, PartialEq)]
pub(crate) struct UsageConstraint {
    /// The name of the `kSecTrustSettingsPolicy` it is restricted to (`sslServer` for TLS),
    /// or `None` when it applies to every policy.
    pub(crate) policy: Option<String>,
    /// Whether `kSecTrustSettingsPolicyString` restricts it to one host name or address.
    pub(crate) restricted_to_name: bool,
    /// `kSecTrustSettingsResult`, when present.
    pub(crate) result: Option<i64>,
}

/// What a macOS domain's trust settings make of a certificate, for TLS.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum MacTrust {
    /// A trust anchor.
    Anchor,
    /// Distrusted: removed wherever else it is found.
    Deny,
    /// Neither: not an anchor by itself (perhaps an intermediate, or trusted for another use).
    NotAnchor,
}

/// The rules Go 1.17 applies in `crypto/x509/root_darwin.go` (`loadSystemRoots` and
/// `sslTrustSettingsResult`), for one certificate in one domain:
///
/// - the system domain's certificates are Apple's roots and are anchors (a user's "Never
///   Trust" for one of them is recorded in the user or admin domain, and deny wins there);
/// - in the user and admin domains, an empty settings array means "always trust this
///   certificate, `kSecTrustSettingsResultTrustRoot`" (Apple, `SecTrustSettingsCopyTrustSettings`);
/// - a usage constraint restricted to another policy than TLS server authentication, or to
///   one host name (`kSecTrustSettingsPolicyString`), is not TLS trust and is skipped;
/// - a constraint without `kSecTrustSettingsResult` means `TrustRoot` ("If this key is not
///   present, a default value of kSecTrustSettingsResultTrustRoot is assumed");
/// - the first `TrustRoot`, `TrustAsRoot` or `Deny` decides; `Unspecified` and invalid
///   results are skipped, and none left means "not an anchor by itself";
/// - "kSecTrustSettingsResultTrustRoot ... can only be applied to root (self-signed)
///   certificates; [TrustAsRoot] can only be applied to non-root certificates": each counts
///   only for its kind. A root here is a self-issued certificate (subject equals issuer).
pub(crate) fn tls_trust(
    domain: MacDomain,
    self_issued: bool,
    constraints: &[UsageConstraint],
) -> MacTrust {
    if domain == MacDomain::System || constraints.is_empty() {
        return if self_issued {
            MacTrust::Anchor
        } else {
            MacTrust::NotAnchor
        };
    }
    for constraint in constraints {
        if constraint
            .policy
            .as_deref()
            .is_some_and(|p| p != SSL_SERVER_POLICY)
            || constraint.restricted_to_name
        {
            continue;
        }
        match constraint.result.unwrap_or(RESULT_TRUST_ROOT) {
            RESULT_TRUST_ROOT if self_issued => return MacTrust::Anchor,
            RESULT_TRUST_AS_ROOT if !self_issued => return MacTrust::Anchor,
            RESULT_TRUST_ROOT | RESULT_TRUST_AS_ROOT => return MacTrust::NotAnchor,
            RESULT_DENY => return MacTrust::Deny,
            _ => {}
        }
    }
    MacTrust::NotAnchor
}

/// `kSecPolicyNameSSLServer`, the `kSecTrustSettingsPolicyName` of the TLS server policy.
const SSL_SERVER_POLICY: &str = "sslServer";
/// `kSecTrustSettingsResultTrustRoot`.
const RESULT_TRUST_ROOT: i64 = 1;
/// `kSecTrustSettingsResultTrustAsRoot`.
const RESULT_TRUST_AS_ROOT: i64 = 2;
/// `kSecTrustSettingsResultDeny`.
const RESULT_DENY: i64 = 3;

/// The enhanced-key-usage identifiers this crate tracks, dotted.
#[cfg_attr(not(windows), allow(dead_code))]
const DOTTED: &[(&str, Purposes)] = &[
    ("1.3.6.1.5.5.7.3.1", Purposes::SERVER_AUTH),
    ("1.3.6.1.5.5.7.3.2", Purposes::CLIENT_AUTH),
    ("1.3.6.1.5.5.7.3.3", Purposes::CODE_SIGNING),
    ("1.3.6.1.5.5.7.3.4", Purposes::EMAIL_PROTECTION),
    ("1.3.6.1.5.5.7.3.8", Purposes::TIME_STAMPING),
    ("1.3.6.1.5.5.7.3.9", Purposes::OCSP_SIGNING),
    ("2.5.29.37.0", Purposes::ALL),
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::anchor::WindowsLocation;
    use crate::pem::pem_to_der;

    const ROOT_A: &str = include_str!("../tests/data/root_a.pem");
    const ROOT_B: &str = include_str!("../tests/data/root_b.pem");
    const LEAF_A: &str = include_str!("../tests/data/leaf_a.pem");

    fn c(policy: Option<&str>, restricted_to_name: bool, result: Option<i64>) -> UsageConstraint {
        UsageConstraint {
            policy: policy.map(String::from),
            restricted_to_name,
            result,
        }
    }

    #[test]
    fn oids_to_purposes() {
        let cases: &[(&[&str], Purposes)] = &[
            (&[], Purposes::NONE),
            (&["1.3.6.1.5.5.7.3.1"], Purposes::SERVER_AUTH),
            (&["1.3.6.1.5.5.7.3.3"], Purposes::CODE_SIGNING),
            (
                &["1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1"],
                Purposes::SERVER_AUTH | Purposes::CLIENT_AUTH,
            ),
            (&["2.5.29.37.0"], Purposes::ALL),
            // Microsoft's document signing, 1.3.6.1.4.1.311.10.3.12: not tracked
            (&["1.3.6.1.4.1.311.10.3.12"], Purposes::NONE),
            // A prefix is not the identifier
            (&["1.3.6.1.5.5.7.3.10"], Purposes::NONE),
        ];
        for (oids, expected) in cases {
            assert_eq!(
                purposes_from_oids(oids.iter().copied()),
                *expected,
                "{oids:?}"
            );
        }
    }

    /// (domain, self-issued, constraints, expected)
    #[test]
    fn macos_trust_settings_rules() {
        use MacDomain::{Admin, System, User};
        use MacTrust::{Anchor, Deny, NotAnchor};
        let ssl = Some("sslServer");
        let cases: &[(MacDomain, bool, &[UsageConstraint], MacTrust)] = &[
            // System domain: Apple's roots, settings not consulted
            (System, true, &[], Anchor),
            (System, false, &[], NotAnchor),
            // Empty array: always trust as root
            (User, true, &[], Anchor),
            (Admin, false, &[], NotAnchor),
            // No result key: TrustRoot
            (Admin, true, &[c(None, false, None)], Anchor),
            (User, true, &[c(ssl, false, Some(1))], Anchor),
            // TrustRoot only for roots, TrustAsRoot only for non-roots
            (User, false, &[c(ssl, false, Some(1))], NotAnchor),
            (User, false, &[c(None, false, Some(2))], Anchor),
            (User, true, &[c(None, false, Some(2))], NotAnchor),
            (User, true, &[c(ssl, false, Some(3))], Deny),
            (Admin, false, &[c(None, false, Some(3))], Deny),
            // Another policy, or one host: not TLS trust
            (User, true, &[c(Some("SMIME"), false, Some(1))], NotAnchor),
            (
                User,
                true,
                &[c(Some("CodeSigning"), false, Some(3))],
                NotAnchor,
            ),
            (User, true, &[c(ssl, true, Some(1))], NotAnchor),
            (User, true, &[c(None, true, Some(3))], NotAnchor),
            // Unspecified (4) and invalid (0, 99) are skipped; the first decisive one wins
            (User, true, &[c(ssl, false, Some(4))], NotAnchor),
            (
                User,
                true,
                &[c(ssl, false, Some(0)), c(ssl, false, Some(1))],
                Anchor,
            ),
            (
                User,
                true,
                &[c(ssl, false, Some(99)), c(None, false, Some(3))],
                Deny,
            ),
            (
                User,
                true,
                &[c(Some("SMIME"), false, Some(3)), c(ssl, false, Some(1))],
                Anchor,
            ),
            (
                User,
                true,
                &[c(ssl, false, Some(1)), c(ssl, false, Some(3))],
                Anchor,
            ),
        ];
        for (domain, self_issued, constraints, expected) in cases {
            assert_eq!(
                tls_trust(*domain, *self_issued, constraints),
                *expected,
                "{domain:?} self-issued={self_issued} {constraints:?}"
            );
        }
    }

    fn entry(pem: &str, meaning: Meaning) -> Result<StoreEntry, ErrorKind> {
        Ok(StoreEntry {
            der: pem_to_der(pem).unwrap(),
            meaning,
        })
    }

    #[test]
    fn windows_stores_merge_restrict_and_distrust() {
        let user = Provenance::Windows {
            location: WindowsLocation::CurrentUser,
            store: "ROOT",
        };
        let machine = Provenance::Windows {
            location: WindowsLocation::LocalMachine,
            store: "ROOT",
        };
        let disallowed = Provenance::Windows {
            location: WindowsLocation::LocalMachine,
            store: "Disallowed",
        };
        let mut loader = Loader::new(Path::new("/"));
        loader.system_store(
            &user,
            [
                entry(ROOT_A, Meaning::Anchor { usages: None }),
                entry(
                    ROOT_B,
                    Meaning::Anchor {
                        usages: Some(Purposes::CODE_SIGNING),
                    },
                ),
                Err(ErrorKind::InvalidCertificate {
                    reason: "truncated".into(),
                }),
            ],
        );
        loader.system_store(&machine, [entry(ROOT_A, Meaning::Anchor { usages: None })]);
        loader.system_store(
            &disallowed,
            [entry(ROOT_B, Meaning::Distrust(DistrustReason::Disallowed))],
        );
        let out = &loader.out;
        assert_eq!(out.anchors.len(), 2);
        assert_eq!(
            out.anchors[0].provenance(),
            &[user.clone(), machine.clone()]
        );
        assert!(out.anchors[0].is_tls_server_anchor());
        assert_eq!(out.anchors[1].purposes(), Purposes::CODE_SIGNING);
        assert!(!out.anchors[1].is_tls_server_anchor());
        assert_eq!(out.distrust.len(), 1);
        assert_eq!(out.distrust[0].spki, out.anchors[1].spki_der());
        assert_eq!(out.distrust[0].reason, DistrustReason::Disallowed);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(
            out.errors[0].to_string(),
            "windows:CurrentUser\\ROOT: invalid certificate: truncated"
        );
        let sources: Vec<(String, usize, usize)> = out
            .sources
            .iter()
            .map(|s| (s.path.display().to_string(), s.certificates, s.errors))
            .collect();
        assert_eq!(
            sources,
            [
                ("windows:CurrentUser\\ROOT".to_owned(), 2, 1),
                ("windows:LocalMachine\\ROOT".to_owned(), 1, 0),
                ("windows:LocalMachine\\Disallowed".to_owned(), 1, 0),
            ]
        );
        assert!(user.is_local_addition() && !disallowed.is_local_addition());
    }

    #[test]
    fn macos_domains_through_the_loader() {
        let ssl = Some("sslServer");
        let settings = |domain, constraints: &[UsageConstraint]| Meaning::TrustSettings {
            domain,
            constraints: constraints.to_vec(),
        };
        let mut loader = Loader::new(Path::new("/"));
        let admin = Provenance::MacOs {
            domain: MacDomain::Admin,
        };
        let system = Provenance::MacOs {
            domain: MacDomain::System,
        };
        loader.system_store(
            &admin,
            [
                // A leaf trusted as root is an anchor; a host-restricted root is not
                entry(
                    LEAF_A,
                    settings(MacDomain::Admin, &[c(ssl, false, Some(2))]),
                ),
                entry(
                    ROOT_B,
                    settings(MacDomain::Admin, &[c(None, true, Some(1))]),
                ),
                entry(
                    ROOT_A,
                    settings(MacDomain::Admin, &[c(None, false, Some(3))]),
                ),
            ],
        );
        loader.system_store(&system, [entry(ROOT_A, settings(MacDomain::System, &[]))]);
        let out = &loader.out;
        let subjects: Vec<&str> = out.anchors.iter().map(|a| a.subject()).collect();
        assert_eq!(out.anchors.len(), 2, "{subjects:?}");
        assert_eq!(out.anchors[0].provenance(), std::slice::from_ref(&admin));
        assert_eq!(out.anchors[1].provenance(), std::slice::from_ref(&system));
        assert_eq!(out.distrust.len(), 1);
        assert_eq!(out.distrust[0].reason, DistrustReason::TrustSettingsDeny);
        assert_eq!(out.distrust[0].spki, out.anchors[1].spki_der());
        assert_eq!(out.sources[0].certificates, 2);
        assert_eq!(admin.to_string(), "macos:admin");
        assert!(admin.is_local_addition() && !system.is_local_addition());
    }
}
