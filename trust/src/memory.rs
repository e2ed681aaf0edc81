//! Roots a program gives in memory (its own PEM bundle, or DER certificates), read the way a
//! bundle file is: each certificate kept once, non-CAs flagged, a bad block costing only itself.

use std::path::{Path, PathBuf};

use crate::anchor::{Provenance, SourceKind};
use crate::discover::{Collected, Loader};
use crate::error::{Error, Position};
use crate::pem::{self, BlockKind};
use crate::record::Source;

/// The name of the one [`Source`] a store from memory lists.
pub(crate) const MEMORY_SOURCE: &str = "memory";

/// Reads PEM text (or one DER certificate, as a bundle file may be) into a [`Collected`].
pub(crate) fn collect_pem(bytes: &[u8]) -> Collected {
    let mut blocks = Vec::new();
    let mut errors = Vec::new();
    pem::parse_file(bytes, &mut blocks, &mut errors);
    let mut memory = Memory::new();
    memory.bad += errors.len();
    memory.loader.out.errors.extend(errors);
    for block in blocks {
        match block.kind {
            BlockKind::Certificate { der, aux } => {
                memory.take(der, aux, block.position);
            }
            // Not a blocklist: a bare public key is not an anchor, as in a bundle file.
            BlockKind::PublicKey(_) => {}
        }
    }
    memory.finish()
}

/// Reads DER certificates into a [`Collected`]; the `n`th (from 1) is block `n`.
pub(crate) fn collect_der<I>(certs: I) -> Collected
where
    I: IntoIterator,
    I::Item: AsRef<[u8]>,
{
    let mut memory = Memory::new();
    for (i, der) in certs.into_iter().enumerate() {
        // Line 0: a DER certificate has no text, so no line to point at.
        let position = Position {
            block: i + 1,
            line: 0,
        };
        memory.take(der.as_ref().to_vec(), None, position);
    }
    memory.finish()
}

/// A load from memory in progress.
struct Memory {
    loader: Loader<'static>,
    certificates: usize,
    bad: usize,
}

impl Memory {
    fn new() -> Self {
        Self {
            loader: Loader::new(Path::new("/")),
            certificates: 0,
            bad: 0,
        }
    }

    fn take(&mut self, der: Vec<u8>, aux: Option<pem::Aux>, position: Position) {
        let provenance = Provenance::Memory {
            index: position.block,
        };
        match self
            .loader
            .certificate(der, aux, SourceKind::Memory, provenance)
        {
            Ok(()) => self.certificates += 1,
            Err(kind) => {
                self.bad += 1;
                self.loader
                    .out
                    .errors
                    .push(Error::new(kind).with_position(position));
            }
        }
    }

    fn finish(mut self) -> Collected {
        self.loader.out.sources.push(Source {
            path: PathBuf::from(MEMORY_SOURCE),
            kind: SourceKind::Memory,
            certificates: self.certificates,
            errors: self.bad,
        });
        self.loader.out
    }
}

#[cfg(test)]
mod tests {
    use crate::anchor::CaStatus;
    use crate::error::ErrorKind;
    use crate::pem::pem_to_der;
    use crate::store::TrustStore;

    use super::*;

    const ROOT_A: &str = include_str!("../tests/data/root_a.pem");
    const ROOT_B: &str = include_str!("../tests/data/root_b.pem");
    const ROOT_B_DER: &[u8] = include_bytes!("../tests/data/root_b.der");
    const ROOT_C_REJECTED: &str = include_str!("../tests/data/root_c_rejected.pem");
    const SNAKEOIL: &str = include_str!("../tests/data/snakeoil.pem");
    const BAD_BASE64: &str = "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n";
    const UNTERMINATED: &str = "-----BEGIN CERTIFICATE-----\nMAA=\n";

    /// What a store from memory holds, compared as a whole.
    #[derive(Debug, Eq, PartialEq)]
    struct Seen {
        /// Each anchor: its subject's CN, whether a TLS anchor, its provenance indices.
        anchors: Vec<(String, bool, Vec<usize>)>,
        /// Each error: its block and line.
        errors: Vec<(usize, usize)>,
        /// The one source's counts: certificates, bad blocks.
        source: (usize, usize),
    }

    fn seen(store: &TrustStore) -> Seen {
        let anchors = store
            .anchors()
            .iter()
            .map(|a| {
                let cn = a
                    .subject()
                    .rsplit("CN=")
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let indices = a
                    .provenance()
                    .iter()
                    .map(|p| match p {
                        Provenance::Memory { index } => *index,
                        other => panic!("not from memory: {other}"),
                    })
                    .collect();
                (cn, a.is_tls_server_anchor(), indices)
            })
            .collect();
        let errors = store
            .errors()
            .iter()
            .map(|e| {
                assert_eq!(e.path(), None, "{e}");
                e.position().map_or((0, 0), |p| (p.block, p.line))
            })
            .collect();
        let [source] = store.sources() else {
            panic!("one source expected: {:?}", store.sources());
        };
        assert_eq!(
            (source.path.to_str(), source.kind),
            (Some("memory"), SourceKind::Memory)
        );
        Seen {
            anchors,
            errors,
            source: (source.certificates, source.errors),
        }
    }

    fn anchor(cn: &str, tls: bool, indices: &[usize]) -> (String, bool, Vec<usize>) {
        (cn.to_owned(), tls, indices.to_vec())
    }

    #[test]
    fn pem_bundles() {
        let cases: &[(&str, Vec<&[u8]>, Seen)] = &[
            (
                "one root",
                vec![ROOT_A.as_bytes()],
                Seen {
                    anchors: vec![anchor("Palisade Test Root A", true, &[1])],
                    errors: vec![],
                    source: (1, 0),
                },
            ),
            (
                "two roots",
                vec![ROOT_A.as_bytes(), ROOT_B.as_bytes()],
                Seen {
                    anchors: vec![
                        anchor("Palisade Test Root A", true, &[1]),
                        anchor("Palisade Test Root B", true, &[2]),
                    ],
                    errors: vec![],
                    source: (2, 0),
                },
            ),
            (
                "the same root twice: one anchor, two provenances",
                vec![ROOT_A.as_bytes(), ROOT_A.as_bytes()],
                Seen {
                    anchors: vec![anchor("Palisade Test Root A", true, &[1, 2])],
                    errors: vec![],
                    source: (2, 0),
                },
            ),
            (
                "a leaf is kept, flagged, and not a TLS anchor",
                vec![SNAKEOIL.as_bytes(), ROOT_B.as_bytes()],
                Seen {
                    anchors: vec![
                        anchor("localhost", false, &[1]),
                        anchor("Palisade Test Root B", true, &[2]),
                    ],
                    errors: vec![],
                    source: (2, 0),
                },
            ),
            (
                "bad blocks cost only themselves and say where they were",
                vec![
                    BAD_BASE64.as_bytes(),
                    ROOT_A.as_bytes(),
                    UNTERMINATED.as_bytes(),
                ],
                Seen {
                    anchors: vec![anchor("Palisade Test Root A", true, &[2])],
                    errors: vec![(1, 1), (3, 15)],
                    source: (1, 2),
                },
            ),
            (
                "one DER certificate is block 0",
                vec![ROOT_B_DER],
                Seen {
                    anchors: vec![anchor("Palisade Test Root B", true, &[0])],
                    errors: vec![],
                    source: (1, 0),
                },
            ),
            (
                "nothing at all is no roots and no error",
                vec![b"\n"],
                Seen {
                    anchors: vec![],
                    errors: vec![],
                    source: (0, 0),
                },
            ),
            (
                "text without a certificate is an error",
                vec![b"not a certificate\n"],
                Seen {
                    anchors: vec![],
                    errors: vec![(0, 0)],
                    source: (0, 1),
                },
            ),
        ];
        for (name, parts, expected) in cases {
            let store = TrustStore::from_pem(parts.concat());
            assert_eq!(&seen(&store), expected, "{name}");
            assert!(store.distrusted().is_empty(), "{name}");
        }
    }

    #[test]
    fn a_trusted_certificate_that_rejects_server_auth_is_distrust() {
        let store = TrustStore::from_pem([ROOT_A, ROOT_C_REJECTED].concat());
        assert_eq!(
            seen(&store).anchors,
            [anchor("Palisade Test Root A", true, &[1])]
        );
        let [distrust] = store.distrusted() else {
            panic!("one distrust entry expected: {:?}", store.distrusted());
        };
        assert!(distrust.removed);
        assert_eq!(distrust.provenance, Provenance::Memory { index: 2 });
    }

    #[test]
    fn der_lists() {
        let root_a = pem_to_der(ROOT_A).unwrap();
        let snakeoil = pem_to_der(SNAKEOIL).unwrap();
        let store = TrustStore::from_certificates([
            &b"not DER"[..],
            &root_a,
            &snakeoil,
            ROOT_B_DER,
            &root_a[..root_a.len() - 1],
        ]);
        assert_eq!(
            seen(&store),
            Seen {
                anchors: vec![
                    anchor("Palisade Test Root A", true, &[2]),
                    anchor("localhost", false, &[3]),
                    anchor("Palisade Test Root B", true, &[4]),
                ],
                errors: vec![(1, 0), (5, 0)],
                source: (3, 2),
            }
        );
        assert_eq!(store.anchors()[1].ca(), CaStatus::NotCa);
        let err = &store.errors()[0];
        assert!(matches!(err.kind(), ErrorKind::InvalidCertificate { .. }));
        assert!(
            err.to_string()
                .starts_with("certificate 1: invalid certificate: "),
            "{err}"
        );
        // What the rustls adapters take: the TLS anchors only.
        assert_eq!(store.certificates().count(), 2);

        let store = TrustStore::from_certificates(Vec::<Vec<u8>>::new());
        assert_eq!(seen(&store).source, (0, 0));
    }

    #[test]
    fn no_input_panics() {
        let der = pem_to_der(ROOT_A).unwrap();
        for len in 0..der.len() {
            let store = TrustStore::from_certificates([&der[..len]]);
            assert_eq!(
                (store.anchors().len(), store.errors().len()),
                (0, 1),
                "{len}"
            );
        }
        // Every truncation that cuts into the END line (without its newline it is whole).
        for len in 0..ROOT_A.trim_end().len() {
            let store = TrustStore::from_pem(&ROOT_A.as_bytes()[..len]);
            assert!(store.anchors().is_empty(), "{len}");
        }
    }
}
