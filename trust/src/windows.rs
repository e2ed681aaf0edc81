//! Windows: the system certificate stores are not read yet (issue 8); the environment's
//! files and the builder's extra sources still are.

use crate::discover::Loader;
use crate::error::{Error, ErrorKind};
use crate::paths::EnvVars;
use crate::store::DirectoryScan;

/// Records that the Windows store was not read, so that callers see why there are no roots.
pub(crate) fn load_native_certs(loader: &mut Loader<'_>, _env: &EnvVars, _scan: DirectoryScan) {
    loader
        .out
        .errors
        .push(Error::new(ErrorKind::UnsupportedPlatform { os: "windows" }));
}
