//! macOS: the certificates with trust settings in the user, admin and system domains, decided
//! by the rules in `native::tls_trust` (Go 1.17's). This file only fetches the data: the
//! certificates (security-framework) and each one's usage-constraint dictionaries, which
//! security-framework reduces to one answer without the host-name rule, so they are read here
//! through `SecTrustSettingsCopyTrustSettings` (the crate's one `unsafe` call on macOS).
//!
//! <https://developer.apple.com/documentation/security/1400261-sectrustsettingscopytrustsetting>

#![allow(unsafe_code)]

use std::io;
use std::path::Path;
use std::ptr;

use core_foundation::array::{CFArray, CFArrayRef};
use core_foundation::base::{CFType, TCFType as _};
use core_foundation::dictionary::CFDictionary;
use core_foundation::number::CFNumber;
use core_foundation::string::CFString;
use security_framework::certificate::SecCertificate;
use security_framework::trust_settings::{Domain, TrustSettings};
use security_framework_sys::base::{errSecItemNotFound, errSecSuccess};
use security_framework_sys::trust_settings::SecTrustSettingsCopyTrustSettings;

use crate::anchor::{MacDomain, Provenance};
use crate::discover::Loader;
use crate::error::{Error, ErrorKind};
use crate::native::{Meaning, StoreEntry, UsageConstraint};
use crate::paths::EnvVars;
use crate::record::DirectoryScan;

/// Reads the certificates with trust settings in each domain, user first.
pub(crate) fn load_native_certs(loader: &mut Loader<'_>, _env: &EnvVars, _scan: DirectoryScan) {
    for (domain, sf_domain) in DOMAINS {
        let provenance = Provenance::MacOs { domain };
        let settings = TrustSettings::new(sf_domain);
        let certs = match settings.iter() {
            Ok(certs) => certs,
            Err(err) => {
                let name = provenance.to_string();
                loader.out.errors.push(Error::at(
                    ErrorKind::Io(io::Error::other(err)),
                    Path::new(&name),
                ));
                continue;
            }
        };
        let entries = certs.filter_map(|cert| {
            // Go: "Certs found in the system domain are always trusted"; their settings are
            // not read (this is most of the time a full load takes).
            let constraints = if domain == MacDomain::System {
                Ok(Some(Vec::new()))
            } else {
                usage_constraints(&cert, sf_domain)
            };
            constraints
                .map(|c| {
                    c.map(|constraints| StoreEntry {
                        der: cert.to_der(),
                        meaning: Meaning::TrustSettings {
                            domain,
                            constraints,
                        },
                    })
                })
                .transpose()
        });
        loader.system_store(&provenance, entries);
    }
}

/// A certificate's usage constraints in one domain; `None` when it has no settings there.
fn usage_constraints(
    cert: &SecCertificate,
    domain: Domain,
) -> Result<Option<Vec<UsageConstraint>>, ErrorKind> {
    let mut array: CFArrayRef = ptr::null();
    // SAFETY: `cert` is a live certificate reference for the call and `array` a valid
    // out-pointer; on success it receives an array this function owns (the Create rule).
    let status = unsafe {
        SecTrustSettingsCopyTrustSettings(cert.as_concrete_TypeRef(), domain.into(), &mut array)
    };
    if status == errSecItemNotFound {
        return Ok(None);
    }
    if status != errSecSuccess {
        let err = security_framework::base::Error::from_code(status);
        return Err(ErrorKind::Io(io::Error::other(err)));
    }
    if array.is_null() {
        return Ok(Some(Vec::new()));
    }
    // SAFETY: `array` is non-null and owned by us (from a Copy function), so wrapping under
    // the create rule releases it exactly once; Apple documents its elements as
    // usage-constraint dictionaries with string keys.
    let array: CFArray<CFDictionary<CFString, CFType>> =
        unsafe { CFArray::wrap_under_create_rule(array) };
    let policy_name = CFString::from_static_string("kSecTrustSettingsPolicyName");
    let policy_string = CFString::from_static_string("kSecTrustSettingsPolicyString");
    let result = CFString::from_static_string("kSecTrustSettingsResult");
    let mut constraints = Vec::new();
    for dict in array.iter() {
        let policy = match dict.find(&policy_name) {
            None => None,
            Some(value) => Some(
                value
                    .downcast::<CFString>()
                    .ok_or_else(|| malformed("kSecTrustSettingsPolicyName is not a string"))?
                    .to_string(),
            ),
        };
        let result = match dict.find(&result) {
            None => None,
            Some(value) => Some(
                value
                    .downcast::<CFNumber>()
                    .and_then(|n| n.to_i64())
                    .ok_or_else(|| malformed("kSecTrustSettingsResult is not an integer"))?,
            ),
        };
        constraints.push(UsageConstraint {
            policy,
            restricted_to_name: dict.contains_key(&policy_string),
            result,
        });
    }
    Ok(Some(constraints))
}

fn malformed(reason: &'static str) -> ErrorKind {
    ErrorKind::Io(io::Error::new(io::ErrorKind::InvalidData, reason))
}

/// The domains, in the order read: a root trusted in several lists each as provenance.
const DOMAINS: [(MacDomain, Domain); 3] = [
    (MacDomain::User, Domain::User),
    (MacDomain::Admin, Domain::Admin),
    (MacDomain::System, Domain::System),
];
