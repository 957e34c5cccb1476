//! Where the store gets "now" from. Production uses [`SystemClock`]; tests inject a
//! [`ManualClock`] and move it forward to test lockouts, session expiry and job backoff without
//! sleeping.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, SubsecRound, Utc};

/// The date in China (UTC+8, no daylight saving) of an instant: every legal period is counted in
/// Beijing dates, whatever the server's time zone. The one conversion of the platform.
pub fn china_date(t: DateTime<Utc>) -> chrono::NaiveDate {
    (t + Duration::hours(8)).date_naive()
}

/// A source of the current instant (UTC).
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to. Cloning shares the same instant.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    /// Sets the current instant.
    pub fn set(&self, to: DateTime<Utc>) {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *guard = to;
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *guard += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Instants are stored with microsecond precision; truncating `now` once keeps values returned by
/// a write equal to the same values read back.
pub(crate) fn now_micros(clock: &dyn Clock) -> DateTime<Utc> {
    clock.now().trunc_subsecs(6)
}
