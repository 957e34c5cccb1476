//! A small in-process rate limiter for the public endpoints that write or look up cases: the
//! online application (条例 Art 29: anyone may apply, so spam control must work without accounts
//! or third-party services) and the tracking lookup (the secret must not be guessable).
//!
//! Sliding window per (client IP, key): the instants of the counted events in the last window
//! are kept, older ones dropped. Memory is bounded: at most [`MAX_ENTRIES`] (IP, key) pairs;
//! when full, pairs whose events have all left the window are evicted first, then the least
//! recently used.
//!
//! Each app server limits locally: with several servers behind a load balancer a client gets
//! up to N × the limit. That is accepted — the limit stops floods and guessing, it is not a
//! quota — and it keeps the database free of a hot counter table. Behind a reverse proxy every
//! request comes from the proxy's address, so the proxy must limit per client itself (the
//! `X-Forwarded-For` header is not trusted here: any client could set it).

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most (IP, key) pairs remembered at once.
pub const MAX_ENTRIES: usize = 10_000;

/// One limit: at most `max` counted events per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub key: &'static str,
    pub max: usize,
    pub window: Duration,
}

/// Successful online applications (form and API together) per IP: a person files a handful at
/// most; a flood of fake applications would bury the office's Art 33 clocks.
pub const APPLY: Limit = Limit {
    key: "apply",
    max: 5,
    window: Duration::from_secs(10 * 60),
};

/// Failed tracking lookups per IP: 80-bit secrets cannot be guessed at this pace, and an
/// applicant who mistypes a few times is not locked out for long.
pub const TRACK: Limit = Limit {
    key: "track",
    max: 10,
    window: Duration::from_secs(10 * 60),
};

#[derive(Debug, Default)]
struct Entry {
    events: VecDeque<Instant>,
    last_seen: Option<Instant>,
}

/// The limiter (cheap to clone; one per server).
#[derive(Debug, Clone, Default)]
pub struct RateLimiter {
    inner: Arc<Mutex<HashMap<(IpAddr, &'static str), Entry>>>,
}

/// Requests without a recorded peer address share one bucket rather than escaping the limit.
fn ip_or_unknown(ip: Option<IpAddr>) -> IpAddr {
    ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

impl RateLimiter {
    pub fn new() -> Self {
        Self::default()
    }

    /// True if `ip` may still do one more counted event under `limit` (nothing is recorded).
    pub fn allowed(&self, ip: Option<IpAddr>, limit: Limit) -> bool {
        self.allowed_at(ip, limit, Instant::now())
    }

    /// Counts one event of `ip` under `limit`.
    pub fn record(&self, ip: Option<IpAddr>, limit: Limit) {
        self.record_at(ip, limit, Instant::now());
    }

    fn allowed_at(&self, ip: Option<IpAddr>, limit: Limit, now: Instant) -> bool {
        // A poisoned lock means another request panicked mid-update; the counts are still
        // usable, and refusing every applicant would be worse.
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        match map.get_mut(&(ip_or_unknown(ip), limit.key)) {
            Some(entry) => {
                prune(entry, limit.window, now);
                entry.events.len() < limit.max
            }
            None => true,
        }
    }

    fn record_at(&self, ip: Option<IpAddr>, limit: Limit, now: Instant) {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let key = (ip_or_unknown(ip), limit.key);
        if !map.contains_key(&key) && map.len() >= MAX_ENTRIES {
            evict(&mut map, limit.window, now);
        }
        let entry = map.entry(key).or_default();
        prune(entry, limit.window, now);
        entry.events.push_back(now);
        // Never more than `max` instants per pair: memory per entry stays bounded too.
        while entry.events.len() > limit.max {
            entry.events.pop_front();
        }
        entry.last_seen = Some(now);
    }

    /// Pairs remembered (for tests).
    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn prune(entry: &mut Entry, window: Duration, now: Instant) {
    while entry
        .events
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= window)
    {
        entry.events.pop_front();
    }
}

/// Frees room: first every pair with nothing left in its window (the longest window of the
/// limits is used, so no live count is lost), then, if still full, the least recently seen pair.
fn evict(map: &mut HashMap<(IpAddr, &'static str), Entry>, window: Duration, now: Instant) {
    let window = window.max(APPLY.window).max(TRACK.window);
    map.retain(|_, e| {
        e.events
            .back()
            .is_some_and(|t| now.saturating_duration_since(*t) < window)
    });
    if map.len() >= MAX_ENTRIES
        && let Some(oldest) = map.iter().min_by_key(|(_, e)| e.last_seen).map(|(k, _)| *k)
    {
        map.remove(&oldest);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const L: Limit = Limit {
        key: "t",
        max: 2,
        window: Duration::from_secs(60),
    };

    #[test]
    fn blocks_after_max_and_recovers_after_window() {
        let r = RateLimiter::new();
        let ip = Some("10.0.0.1".parse().unwrap());
        let other = Some("10.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        assert!(r.allowed_at(ip, L, t0));
        r.record_at(ip, L, t0);
        r.record_at(ip, L, t0 + Duration::from_secs(10));
        assert!(!r.allowed_at(ip, L, t0 + Duration::from_secs(20)));
        assert!(r.allowed_at(other, L, t0 + Duration::from_secs(20)));
        // The first event leaves the window at t0 + 60 s.
        assert!(!r.allowed_at(ip, L, t0 + Duration::from_secs(59)));
        assert!(r.allowed_at(ip, L, t0 + Duration::from_secs(61)));
    }

    #[test]
    fn memory_is_bounded() {
        let r = RateLimiter::new();
        let t0 = Instant::now();
        for i in 0..(MAX_ENTRIES as u32 + 50) {
            let ip = IpAddr::V4(Ipv4Addr::from(i));
            r.record_at(Some(ip), L, t0 + Duration::from_millis(u64::from(i)));
        }
        assert!(r.len() <= MAX_ENTRIES);
        // Long after the window, one new pair clears all the stale ones.
        r.record_at(None, L, t0 + Duration::from_secs(3600));
        assert_eq!(r.len(), 1);
    }
}
