//! Linux, the BSDs, Android and other Unix systems: the files of every known layout.

use crate::discover::Loader;
use crate::paths::EnvVars;
use crate::record::DirectoryScan;

/// Reads the system store: bundles, directories and blocklists of every known layout.
pub(crate) fn load_native_certs(loader: &mut Loader<'_>, env: &EnvVars, scan: DirectoryScan) {
    loader.system_layout(env, scan);
}
