//! What every handler shares: the store, the configuration, the metrics and the signing key.

use std::sync::Arc;

use gongkai_store::Store;

use crate::config::Config;
use crate::metrics::Metrics;

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Store,
    pub config: Config,
    pub metrics: Metrics,
    /// Key of the login-form token signature (see `csrf.rs`).
    pub secret: Vec<u8>,
}

impl AppState {
    pub fn new(store: Store, config: Config, secret: Vec<u8>) -> Self {
        AppState(Arc::new(Inner {
            store,
            config,
            metrics: Metrics::default(),
            secret,
        }))
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    pub fn secret(&self) -> &[u8] {
        &self.0.secret
    }
}
