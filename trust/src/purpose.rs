//! What a trust anchor may be used for: extended key usages, as a small set.

use std::fmt;

/// A set of purposes (extended key usages) a trust anchor is trusted for.
///
/// A root's purposes are what its own extended-key-usage extension allows (everything when it
/// has none), narrowed by the trust list of a `TRUSTED CERTIFICATE` block, minus that block's
/// reject list.
///
/// # Examples
///
/// ```
/// use palisade_trust::Purposes;
///
/// let p = Purposes::SERVER_AUTH | Purposes::CLIENT_AUTH;
/// assert!(p.contains(Purposes::SERVER_AUTH));
/// assert!(!p.contains(Purposes::CODE_SIGNING));
/// assert_eq!(p.to_string(), "serverAuth,clientAuth");
/// ```
#[derive(Clone, Copy, Debug, Default, Eq, Hash, PartialEq)]
pub struct Purposes(u8);

impl Purposes {
    /// No purpose at all.
    pub const NONE: Self = Self(0);
    /// TLS server authentication, `id-kp-serverAuth` (1.3.6.1.5.5.7.3.1).
    pub const SERVER_AUTH: Self = Self(1);
    /// TLS client authentication, `id-kp-clientAuth` (1.3.6.1.5.5.7.3.2).
    pub const CLIENT_AUTH: Self = Self(1 << 1);
    /// Code signing, `id-kp-codeSigning` (1.3.6.1.5.5.7.3.3).
    pub const CODE_SIGNING: Self = Self(1 << 2);
    /// S/MIME, `id-kp-emailProtection` (1.3.6.1.5.5.7.3.4).
    pub const EMAIL_PROTECTION: Self = Self(1 << 3);
    /// Time stamping, `id-kp-timeStamping` (1.3.6.1.5.5.7.3.8).
    pub const TIME_STAMPING: Self = Self(1 << 4);
    /// OCSP response signing, `id-kp-OCSPSigning` (1.3.6.1.5.5.7.3.9).
    pub const OCSP_SIGNING: Self = Self(1 << 5);
    /// Every purpose, as `anyExtendedKeyUsage` (2.5.29.37.0) or no restriction at all means.
    pub const ALL: Self = Self(0b11_1111);

    /// Whether every purpose in `other` is in `self`.
    pub fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The purposes in both sets.
    pub fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    /// The purposes of `self` that are not in `other`.
    pub fn difference(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    /// The purpose named by a DER-encoded object identifier (the content octets, without tag
    /// and length), or `None` for one this crate does not track.
    pub(crate) fn from_oid(oid: &[u8]) -> Option<Self> {
        if oid == ANY_EKU {
            return Some(Self::ALL);
        }
        let last = oid.strip_prefix(KP_PREFIX)?;
        match last {
            [1] => Some(Self::SERVER_AUTH),
            [2] => Some(Self::CLIENT_AUTH),
            [3] => Some(Self::CODE_SIGNING),
            [4] => Some(Self::EMAIL_PROTECTION),
            [8] => Some(Self::TIME_STAMPING),
            [9] => Some(Self::OCSP_SIGNING),
            _ => None,
        }
    }
}

impl std::ops::BitOr for Purposes {
    type Output = Self;

    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for Purposes {
    fn bitor_assign(&mut self, rhs: Self) {
        self.0 |= rhs.0;
    }
}

impl fmt::Display for Purposes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Self::ALL {
            return f.write_str("any");
        }
        if self.is_empty() {
            return f.write_str("none");
        }
        let mut first = true;
        for (purpose, name) in NAMES {
            if self.contains(*purpose) {
                if !first {
                    f.write_str(",")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}

const NAMES: &[(Purposes, &str)] = &[
    (Purposes::SERVER_AUTH, "serverAuth"),
    (Purposes::CLIENT_AUTH, "clientAuth"),
    (Purposes::CODE_SIGNING, "codeSigning"),
    (Purposes::EMAIL_PROTECTION, "emailProtection"),
    (Purposes::TIME_STAMPING, "timeStamping"),
    (Purposes::OCSP_SIGNING, "OCSPSigning"),
];

/// 1.3.6.1.5.5.7.3 (id-kp), DER content octets.
const KP_PREFIX: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03];

/// 2.5.29.37.0 (anyExtendedKeyUsage), DER content octets.
const ANY_EKU: &[u8] = &[0x55, 0x1d, 0x25, 0x00];

#[cfg(test)]
mod tests {
    use super::*;

    const OIDS: &[(&[u8], Option<Purposes>)] = &[
        (&[0x2b, 6, 1, 5, 5, 7, 3, 1], Some(Purposes::SERVER_AUTH)),
        (&[0x2b, 6, 1, 5, 5, 7, 3, 2], Some(Purposes::CLIENT_AUTH)),
        (
            &[0x2b, 6, 1, 5, 5, 7, 3, 4],
            Some(Purposes::EMAIL_PROTECTION),
        ),
        (&[0x55, 0x1d, 0x25, 0x00], Some(Purposes::ALL)),
        // id-kp-ipsecIKE (17) is not tracked
        (&[0x2b, 6, 1, 5, 5, 7, 3, 17], None),
        (&[], None),
    ];

    #[test]
    fn oids_map_to_purposes() {
        for &(oid, expected) in OIDS {
            assert_eq!(Purposes::from_oid(oid), expected, "{oid:02x?}");
        }
    }

    #[test]
    fn display_names() {
        assert_eq!(Purposes::ALL.to_string(), "any");
        assert_eq!(Purposes::NONE.to_string(), "none");
        let p = Purposes::ALL.difference(Purposes::SERVER_AUTH);
        assert_eq!(
            p.to_string(),
            "clientAuth,codeSigning,emailProtection,timeStamping,OCSPSigning"
        );
    }
}
