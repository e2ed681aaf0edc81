//! A handle that keeps a store and reloads it only when one of its sources changed.

use std::sync::{Arc, Mutex, PoisonError};

use crate::files::Stamp;
use crate::store::{Builder, TrustStore};

/// A cached [`TrustStore`] for programs that ask often: [`CachedTrustStore::get`] re-checks
/// the size, modification time and inode of every path the last load looked at (including
/// those that did not exist) and reloads only when one changed.
///
/// # Examples
///
/// ```
/// use palisade_trust::CachedTrustStore;
///
/// let cache = CachedTrustStore::new(palisade_trust::TrustStore::builder());
/// let first = cache.get();
/// let second = cache.get();
/// assert!(std::sync::Arc::ptr_eq(&first, &second)); // nothing changed in between
/// ```
#[derive(Debug)]
pub struct CachedTrustStore {
    builder: Builder,
    current: Mutex<Arc<TrustStore>>,
}

impl CachedTrustStore {
    /// Loads the store once now.
    pub fn new(builder: Builder) -> Self {
        let store = Arc::new(builder.build());
        Self {
            builder,
            current: Mutex::new(store),
        }
    }

    /// The store, reloaded first if any source changed since the last load.
    pub fn get(&self) -> Arc<TrustStore> {
        // A panic elsewhere while holding the lock cannot leave the `Arc` half-written.
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if is_stale(&current) {
            *current = Arc::new(self.builder.build());
        }
        Arc::clone(&current)
    }

    /// Reloads now, whatever the stamps say.
    pub fn reload(&self) -> Arc<TrustStore> {
        let store = Arc::new(self.builder.build());
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        *current = Arc::clone(&store);
        store
    }
}

/// Whether any watched path now differs from when the store was loaded.
fn is_stale(store: &TrustStore) -> bool {
    store
        .watched
        .iter()
        .any(|(path, stamp)| Stamp::of(path) != *stamp)
}
