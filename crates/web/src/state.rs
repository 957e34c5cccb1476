//! What every handler shares: the store, the configuration, the metrics and the signing key.

use std::sync::Arc;

use chrono::NaiveDate;
use gongkai_calendar::Calendar;
use gongkai_store::Store;

use crate::config::Config;
use crate::indexer::SearchHandle;
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
    /// The working-day calendar (official years + imported ones), for every legal period.
    pub calendar: Calendar,
    /// This server's full-text index (`indexer.rs`).
    pub search: SearchHandle,
    /// Wakes this server's job worker (`worker.rs`) after a request enqueued a job.
    pub jobs_nudge: Arc<tokio::sync::Notify>,
}

impl AppState {
    pub fn new(
        store: Store,
        config: Config,
        secret: Vec<u8>,
        calendar: Calendar,
        search: SearchHandle,
    ) -> Self {
        AppState(Arc::new(Inner {
            store,
            config,
            metrics: Metrics::default(),
            secret,
            calendar,
            search,
            jobs_nudge: Arc::new(tokio::sync::Notify::new()),
        }))
    }

    pub fn calendar(&self) -> &Calendar {
        &self.0.calendar
    }

    /// Today in China (UTC+8, no daylight saving), from the store's clock: the date every legal
    /// period is counted in.
    pub fn today(&self) -> NaiveDate {
        self.0.store.today()
    }

    /// The full-text search index.
    pub fn search(&self) -> &SearchHandle {
        &self.0.search
    }

    /// Items were published, revised or withdrawn here: update this server's search index now
    /// (the others follow the database within a few seconds anyway).
    pub fn search_changed(&self) {
        self.0.search.changed();
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

    /// A job was enqueued here: let this server's worker run it now rather than at its next
    /// poll (the other servers' workers find it within a few seconds anyway).
    pub fn jobs_changed(&self) {
        self.0.jobs_nudge.notify_one();
    }

    /// The signal [`AppState::jobs_changed`] sends, for the worker.
    pub fn jobs_nudge(&self) -> Arc<tokio::sync::Notify> {
        Arc::clone(&self.0.jobs_nudge)
    }
}
