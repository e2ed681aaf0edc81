//! Windows: the `ROOT` and `AuthRoot` stores of every system store location as anchors, and
//! every `Disallowed` store as distrust, through schannel and crypt32.
//!
//! Each location's store is opened on its own (`CERT_STORE_PROV_SYSTEM_REGISTRY_W`, the
//! registry store without the stores a logical store includes), so that provenance says where
//! a root really is; the union is de-duplicated by the loader. schannel cannot open the Group
//! Policy and enterprise locations, so `CertOpenStore` is called here through windows-sys:
//! the crate's `unsafe` on Windows (the tests add two more calls), each block with its
//! `SAFETY` comment.
//!
//! <https://learn.microsoft.com/en-us/windows/win32/seccrypto/system-store-locations>

#![allow(unsafe_code)]

use std::io;
use std::path::Path;

use schannel::RawPointer as _;
use schannel::cert_context::{CertContext, ValidUses};
use schannel::cert_store::CertStore;
use windows_sys::Win32::Foundation::{CRYPT_E_NOT_FOUND, ERROR_FILE_NOT_FOUND};
use windows_sys::Win32::Security::Cryptography::{
    CERT_STORE_OPEN_EXISTING_FLAG, CERT_STORE_PROV_SYSTEM_REGISTRY_W, CERT_STORE_READONLY_FLAG,
    CERT_SYSTEM_STORE_CURRENT_USER_GROUP_POLICY_ID, CERT_SYSTEM_STORE_CURRENT_USER_ID,
    CERT_SYSTEM_STORE_LOCAL_MACHINE_ENTERPRISE_ID, CERT_SYSTEM_STORE_LOCAL_MACHINE_GROUP_POLICY_ID,
    CERT_SYSTEM_STORE_LOCAL_MACHINE_ID, CERT_SYSTEM_STORE_LOCATION_SHIFT, CertOpenStore,
};

use crate::anchor::{Provenance, WindowsLocation};
use crate::discover::Loader;
use crate::error::{Error, ErrorKind};
use crate::native::{Meaning, StoreEntry, purposes_from_oids};
use crate::paths::EnvVars;
use crate::record::{DirectoryScan, DistrustReason};

/// Reads every store of [`STORES`] in every [`WindowsLocation`] that has it.
pub(crate) fn load_native_certs(loader: &mut Loader<'_>, _env: &EnvVars, _scan: DirectoryScan) {
    for location in WindowsLocation::ALL {
        for &(store, distrust) in STORES {
            let provenance = Provenance::Windows { location, store };
            match open(location, store) {
                Ok(Some(handle)) => {
                    let entries = handle.certs().map(|cert| entry(&cert, distrust));
                    loader.system_store(&provenance, entries);
                }
                Ok(None) => {}
                Err(err) => {
                    let name = provenance.to_string();
                    loader
                        .out
                        .errors
                        .push(Error::at(ErrorKind::Io(err), Path::new(&name)));
                }
            }
        }
    }
}

/// One certificate of a store, with the purposes its enhanced-key-usage property allows.
fn entry(cert: &CertContext, distrust: bool) -> Result<StoreEntry, ErrorKind> {
    let der = cert.to_der().to_vec();
    if distrust {
        return Ok(StoreEntry {
            der,
            meaning: Meaning::Distrust(DistrustReason::Disallowed),
        });
    }
    // `CertGetEnhancedKeyUsage` with no flags: the property when the store sets one, else the
    // extension. The loader intersects it with the extension as well.
    let usages = match cert.valid_uses() {
        Ok(ValidUses::All) => None,
        Ok(ValidUses::Oids(oids)) => Some(purposes_from_oids(oids.iter().map(String::as_str))),
        Err(err) if err.raw_os_error() == Some(CRYPT_E_NOT_FOUND) => None,
        Err(err) => return Err(ErrorKind::Io(err)),
    };
    Ok(StoreEntry {
        der,
        meaning: Meaning::Anchor { usages },
    })
}

/// Opens one registry store read-only; `None` when the location does not have it.
fn open(location: WindowsLocation, store: &str) -> io::Result<Option<CertStore>> {
    let id = match location {
        WindowsLocation::CurrentUser => CERT_SYSTEM_STORE_CURRENT_USER_ID,
        WindowsLocation::CurrentUserGroupPolicy => CERT_SYSTEM_STORE_CURRENT_USER_GROUP_POLICY_ID,
        WindowsLocation::LocalMachine => CERT_SYSTEM_STORE_LOCAL_MACHINE_ID,
        WindowsLocation::LocalMachineGroupPolicy => CERT_SYSTEM_STORE_LOCAL_MACHINE_GROUP_POLICY_ID,
        WindowsLocation::LocalMachineEnterprise => CERT_SYSTEM_STORE_LOCAL_MACHINE_ENTERPRISE_ID,
    };
    let flags = (id << CERT_SYSTEM_STORE_LOCATION_SHIFT)
        | CERT_STORE_OPEN_EXISTING_FLAG
        | CERT_STORE_READONLY_FLAG;
    let name: Vec<u16> = store.encode_utf16().chain(Some(0)).collect();
    // SAFETY: the provider is a predefined constant, `name` is a NUL-terminated UTF-16 string
    // that lives until the call returns, and the other arguments are plain integers.
    let handle = unsafe {
        CertOpenStore(
            CERT_STORE_PROV_SYSTEM_REGISTRY_W,
            0,
            0,
            flags,
            name.as_ptr().cast(),
        )
    };
    if handle.is_null() {
        let err = io::Error::last_os_error();
        let missing = matches!(err.raw_os_error(), Some(code) if code == ERROR_FILE_NOT_FOUND as i32 || code == HRESULT_FILE_NOT_FOUND);
        return if missing { Ok(None) } else { Err(err) };
    }
    // SAFETY: `handle` is a store handle just opened and owned by nothing else; `CertStore`
    // takes it over and closes it when dropped.
    Ok(Some(unsafe { CertStore::from_ptr(handle) }))
}

/// The stores read in each location, and whether they distrust: `ROOT` ("Trusted Root
/// Certification Authorities"), `AuthRoot` ("Third-Party Root Certification Authorities",
/// Microsoft's root program as updated on demand) and `Disallowed` ("Untrusted
/// Certificates"). `TrustedPeople` holds end-entity certificates trusted one by one, not
/// anchors, and is not read (as in Go and rustls-native-certs); `CA` holds intermediates.
const STORES: &[(&str, bool)] = &[("ROOT", false), ("AuthRoot", false), ("Disallowed", true)];

/// `HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)`, which some versions report instead.
const HRESULT_FILE_NOT_FOUND: i32 = 0x8007_0002_u32 as i32;

#[cfg(test)]
mod tests {
    //! These tests write to the current user's `ROOT` and `Disallowed` stores, so they run
    //! only under Wine (detected) or with `PALISADE_TRUST_STORE_TESTS=1` (on real Windows,
    //! adding to `ROOT` shows a confirmation dialog), and remove what they added.

    #![allow(clippy::unwrap_used, clippy::print_stdout)]

    use std::ptr;

    use schannel::cert_store::CertAdd;
    use windows_sys::Win32::Security::Cryptography::{
        CERT_CONTEXT, CERT_STORE_CTRL_COMMIT, CertAddEnhancedKeyUsageIdentifier, CertControlStore,
    };
    use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleA, GetProcAddress};
    use windows_sys::core::s;

    use super::*;
    use crate::pem::pem_to_der;
    use crate::purpose::Purposes;
    use crate::{EnvVars, TrustStore};

    const ROOT_A: &str = include_str!("../tests/data/root_a.pem");
    const ROOT_B: &str = include_str!("../tests/data/root_b.pem");
    const ROOT_C: &str = include_str!("../tests/data/root_c.pem");

    #[test]
    fn reads_the_real_stores_without_errors() {
        let store = TrustStore::builder().env_vars(EnvVars::none()).build();
        let errors: Vec<String> = store.errors().iter().map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            store
                .sources()
                .iter()
                .any(|s| s.path == Path::new("windows:LocalMachine\\ROOT"))
        );
    }

    #[test]
    fn added_root_disallowed_root_and_code_signing_root() {
        if !under_wine()
            && std::env::var_os("PALISADE_TRUST_STORE_TESTS").as_deref() != Some("1".as_ref())
        {
            println!(
                "SKIPPED: writes to CurrentUser\\ROOT: not under Wine and PALISADE_TRUST_STORE_TESTS is not 1"
            );
            return;
        }
        let a = pem_to_der(ROOT_A).unwrap();
        let b = pem_to_der(ROOT_B).unwrap();
        let c = pem_to_der(ROOT_C).unwrap();
        let mut added = Added(Vec::new());

        let mut root = CertStore::open_current_user("ROOT").unwrap();
        root.add_cert(&CertContext::new(&a).unwrap(), CertAdd::ReplaceExisting)
            .unwrap();
        added.0.push(("ROOT", a.clone()));
        // Code signing only, as an enhanced-key-usage property set before the add.
        let code_signing = CertContext::new(&b).unwrap();
        // SAFETY: the context is valid for the call and the identifier a NUL-terminated literal.
        let ok = unsafe {
            CertAddEnhancedKeyUsageIdentifier(
                code_signing.as_ptr() as *const CERT_CONTEXT,
                s!("1.3.6.1.5.5.7.3.3"),
            )
        };
        assert_ne!(ok, 0, "{}", io::Error::last_os_error());
        root.add_cert(&code_signing, CertAdd::ReplaceExisting)
            .unwrap();
        added.0.push(("ROOT", b.clone()));
        root.add_cert(&CertContext::new(&c).unwrap(), CertAdd::ReplaceExisting)
            .unwrap();
        added.0.push(("ROOT", c.clone()));
        let mut disallowed = CertStore::open_current_user("Disallowed").unwrap();
        disallowed
            .add_cert(&CertContext::new(&c).unwrap(), CertAdd::ReplaceExisting)
            .unwrap();
        added.0.push(("Disallowed", c.clone()));
        drop((root, disallowed));

        let store = TrustStore::builder().env_vars(EnvVars::none()).build();
        let user_root = Provenance::Windows {
            location: WindowsLocation::CurrentUser,
            store: "ROOT",
        };
        // Found exactly once, from CurrentUser\ROOT, a TLS root, and a local addition.
        let found: Vec<_> = store
            .anchors()
            .iter()
            .filter(|x| x.der().as_ref() == a)
            .collect();
        assert_eq!(found.len(), 1);
        let sightings = found[0].provenance().iter().filter(|p| **p == user_root);
        assert_eq!(sightings.count(), 1, "{found:?}");
        assert!(found[0].is_tls_server_anchor());
        assert!(store.enterprise_additions().any(|x| x.der().as_ref() == a));
        // Disallowed: removed, and listed as distrusted.
        assert!(store.find(&c).is_none());
        let distrust: Vec<_> = store
            .distrusted()
            .iter()
            .filter(|d| d.reason == DistrustReason::Disallowed && d.removed)
            .collect();
        assert_eq!(distrust.len(), 1, "{:?}", store.distrusted());
        assert_eq!(
            distrust[0].provenance.to_string(),
            "windows:CurrentUser\\Disallowed"
        );
        // Code signing only: kept with its purposes, not a TLS root.
        let b_anchor = store.find(&b).unwrap();
        assert_eq!(b_anchor.purposes(), Purposes::CODE_SIGNING);
        assert!(!b_anchor.is_tls_server_anchor());
        assert!(store.tls_anchors().all(|x| x.der().as_ref() != b));

        // Cleaned up: after removal none of them is in a CurrentUser store any more.
        added.remove().unwrap();
        let store = TrustStore::builder().env_vars(EnvVars::none()).build();
        for der in [&a, &b, &c] {
            if let Some(anchor) = store.find(der) {
                assert!(!anchor.provenance().contains(&user_root), "{anchor:?}");
            }
        }
        assert!(
            store
                .distrusted()
                .iter()
                .all(|d| d.reason != DistrustReason::Disallowed
                    || d.provenance.to_string() != "windows:CurrentUser\\Disallowed")
        );
    }

    /// What a test added, removed again when the test ends (also when it fails).
    struct Added(Vec<(&'static str, Vec<u8>)>);

    impl Added {
        fn remove(&mut self) -> io::Result<()> {
            for (name, der) in std::mem::take(&mut self.0) {
                let store = CertStore::open_current_user(name)?;
                let matching: Vec<CertContext> = store
                    .certs()
                    .filter(|c| c.to_der() == der.as_slice())
                    .collect();
                for cert in matching {
                    cert.delete()?;
                }
                // Wine 8 does not flush a deletion until the store is committed (schannel
                // forgets the deleted context, so the store is never released and closed).
                // SAFETY: the handle belongs to `store`, which is alive for the call.
                let ok = unsafe {
                    CertControlStore(store.as_ptr(), 0, CERT_STORE_CTRL_COMMIT, ptr::null())
                };
                if ok == 0 {
                    return Err(io::Error::last_os_error());
                }
            }
            Ok(())
        }
    }

    impl Drop for Added {
        fn drop(&mut self) {
            // Best effort after a failed assertion; the normal path removes and checks.
            let _ = self.remove();
        }
    }

    /// Whether this process runs under Wine: its ntdll exports `wine_get_version`.
    fn under_wine() -> bool {
        // SAFETY: both names are NUL-terminated literals; ntdll.dll is loaded in every process
        // and `GetModuleHandleA` takes no reference that would need releasing.
        unsafe {
            let ntdll = GetModuleHandleA(s!("ntdll.dll"));
            !ntdll.is_null() && GetProcAddress(ntdll, s!("wine_get_version")).is_some()
        }
    }
}
