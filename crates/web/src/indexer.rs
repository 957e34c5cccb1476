//! This server's full-text search index (`<data_dir>/search`) and the background task that keeps
//! it in step with the database.
//!
//! # Following the database
//!
//! With PostgreSQL several app servers share one database, and each keeps its OWN index
//! directory. A change made through one server must reach every index, so the index does not
//! rely on in-process notifications: a task polls the store every [`POLL_INTERVAL`] for items
//! whose `updated_at` is past its watermark ([`gongkai_store::Items::index_changes`]), upserts
//! the published ones and deletes the others (withdrawn, back in draft, withheld), and commits.
//! [`SearchHandle::changed`] (`state.search_changed()`) only wakes the task early, so that the
//! server where an editor published updates its own index within a second.
//!
//! `updated_at` is read from the writing server's clock before its transaction commits, so a
//! change can appear with an `updated_at` a little behind changes already seen (a slow
//! transaction, clocks of different servers). Each poll therefore re-reads [`LOOKBACK`] before the
//! watermark and skips what it has already applied (same `updated_at` and state); a change that
//! commits more than [`LOOKBACK`] late (clocks far apart) needs `gongkai reindex`.
//!
//! # Start
//!
//! Every commit stores a marker with the index (tantivy's commit payload): the database it
//! follows (a random identity kept in that database) and the watermark. On start the task
//! resumes from the marker when it was written for this database — a restart of a site with a
//! million items costs one poll, not a rebuild. Otherwise (a new directory, another or restored
//! database, an index of an older version) it rebuilds the whole index from the store in the
//! background (the previous contents stay searchable until the rebuild commits; on a new
//! directory the search page says the index is being built), then follows changes.
//!
//! If another process holds the directory's writer lock (two servers configured with the same
//! data directory, or `gongkai reindex` running), the server logs a warning and keeps its index
//! in memory instead: search still works, rebuilt from the database.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Utc};
use gongkai_law::ItemState;
use gongkai_search::{
    IndexOptions, SearchDoc, SearchError, SearchIndex, SearchQuery, SearchResults,
};
use gongkai_store::{IndexChange, IndexDocument, Store, StoreError};
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinHandle;

/// How often the task looks for changes in the database.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// How far before its watermark each poll looks again (late commits, clock skew between servers).
pub const LOOKBACK: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// Items read from the store per query.
const BATCH: u32 = 500;
/// Name of the index directory inside the data directory.
pub const INDEX_DIR: &str = "search";

/// The index directory of a data directory.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(INDEX_DIR)
}

/// What can go wrong while indexing.
#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("全文索引任务异常结束：{0}")]
    Task(String),
    #[error("无法整理全文索引目录 {path}：{reason}")]
    Io { path: String, reason: String },
}

fn joined<T>(r: Result<Result<T, SearchError>, tokio::task::JoinError>) -> Result<T, IndexerError> {
    match r {
        Ok(inner) => Ok(inner?),
        Err(e) => Err(IndexerError::Task(e.to_string())),
    }
}

/// The index as the search crate wants it: one published item.
pub fn search_doc(d: &IndexDocument) -> SearchDoc {
    let summary = d.summary.trim();
    let mut body = if summary.is_empty() || d.body_text.contains(summary) {
        d.body_text.clone()
    } else {
        format!("{summary}\n{}", d.body_text)
    };
    let keywords = d.keywords.trim();
    if !keywords.is_empty() {
        body.push('\n');
        body.push_str(keywords);
    }
    // The listing orders by the publication instant; the page shows the 发布日期, a China date,
    // so the instant is written in China time (its first ten characters are that date).
    let china = chrono::FixedOffset::east_opt(8 * 3600);
    let published_at = match (d.published_at, china) {
        (Some(t), Some(tz)) if t.with_timezone(&tz).date_naive() == d.published_on => t
            .with_timezone(&tz)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        _ => format!("{}T00:00:00+08:00", d.published_on.format("%Y-%m-%d")),
    };
    SearchDoc {
        item_id: d.id,
        organ_id: d.organ_id,
        organ_name: d.organ_name.clone(),
        title: d.title.clone(),
        body,
        attachments_text: d.attachments_text.clone(),
        genre: d.genre.key().to_owned(),
        validity: d.validity.map(|v| v.key().to_owned()).unwrap_or_default(),
        year: d.published_on.year(),
        published_at,
        index_no: d.index_no.clone(),
        doc_no: d.doc_no.clone(),
    }
}

/// The result of a full rebuild: how many items, and where following changes starts.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    pub count: usize,
    pub elapsed: Duration,
    watermark: Option<DateTime<Utc>>,
    recent: Vec<(i64, DateTime<Utc>)>,
}

/// Rebuilds `index` from every published item of the store, streaming batches to the writer
/// (one commit at the end). If the store fails half-way, what was read is committed and the
/// error returned: the caller rebuilds again (the server) or throws the directory away
/// (`gongkai reindex` builds into a fresh one).
pub async fn rebuild(store: &Store, index: Arc<SearchIndex>) -> Result<Rebuilt, IndexerError> {
    let started = Instant::now();
    // Read before the first batch: a change during the rebuild is newer and will be polled.
    let watermark = store.items().last_change().await?;
    let marker = marker_text(&database_identity(store).await?, watermark);
    let recent_from = watermark.map(|w| w - LOOKBACK);
    let (tx, mut rx) = mpsc::channel::<SearchDoc>(BATCH as usize * 2);
    let writer = tokio::task::spawn_blocking(move || {
        index.rebuild_with_marker(
            std::iter::from_fn(move || rx.blocking_recv()),
            Some(&marker),
        )
    });
    let mut recent = Vec::new();
    let mut after = 0;
    let mut feed_error = None;
    'feed: loop {
        let batch = match store.items().index_documents_after(after, BATCH).await {
            Ok(batch) => batch,
            Err(e) => {
                feed_error = Some(e);
                break;
            }
        };
        let Some(last) = batch.last() else { break };
        after = last.id;
        for d in &batch {
            if recent_from.is_some_and(|from| d.updated_at >= from) {
                recent.push((d.id, d.updated_at));
            }
            if tx.send(search_doc(d)).await.is_err() {
                // The writer stopped: its error is reported below.
                break 'feed;
            }
        }
    }
    drop(tx);
    let count = joined(writer.await)?;
    if let Some(e) = feed_error {
        return Err(e.into());
    }
    Ok(Rebuilt {
        count,
        elapsed: started.elapsed(),
        watermark,
        recent,
    })
}

/// Identifies the database an index was built from, so that an index is never resumed against
/// another database (a restored backup, a new deployment): a random value kept in the database.
async fn database_identity(store: &Store) -> Result<String, IndexerError> {
    let secret = store.instance_secret("search_index_identity").await?;
    Ok(hex::encode(secret.get(..8).unwrap_or(&secret)))
}

/// The note stored with each commit: which database, and up to which change the index is
/// current — so that a restart resumes from there instead of rebuilding everything.
fn marker_text(identity: &str, watermark: Option<DateTime<Utc>>) -> String {
    let at = watermark.map_or_else(|| "-".to_owned(), |w| w.to_rfc3339());
    format!("gongkai-index v1 {identity} {at}")
}

/// The watermark of a marker written for this database (`Some(None)`: built from a database
/// without items); `None` when the marker is missing, foreign or unreadable.
fn parse_marker(marker: &str, identity: &str) -> Option<Option<DateTime<Utc>>> {
    let mut parts = marker.split(' ');
    if parts.next()? != "gongkai-index" || parts.next()? != "v1" || parts.next()? != identity {
        return None;
    }
    match parts.next()? {
        "-" => Some(None),
        at => DateTime::parse_from_rfc3339(at)
            .ok()
            .map(|t| Some(t.with_timezone(&Utc))),
    }
}

/// Follows the change feed from a watermark (kept in memory, and stored with every commit).
struct Follower {
    identity: String,
    watermark: Option<DateTime<Utc>>,
    /// Changes applied within [`LOOKBACK`] of the watermark: re-read by each poll, skipped when
    /// unchanged.
    applied: HashMap<i64, (DateTime<Utc>, ItemState)>,
}

impl Follower {
    /// Resumes from the marker of the index's last commit, when it was written for this
    /// database: the first poll re-reads [`LOOKBACK`] before it (upserts are idempotent).
    async fn resume(store: &Store, index: &Arc<SearchIndex>) -> Option<Follower> {
        let identity = database_identity(store).await.ok()?;
        let index = Arc::clone(index);
        let marker = tokio::task::spawn_blocking(move || index.marker())
            .await
            .ok()?
            .ok()??;
        let watermark = parse_marker(&marker, &identity)?;
        Some(Follower {
            watermark,
            applied: HashMap::new(),
            identity,
        })
    }

    fn after(rebuilt: &Rebuilt, identity: String) -> Follower {
        Follower {
            identity,
            watermark: rebuilt.watermark,
            applied: rebuilt
                .recent
                .iter()
                .map(|(id, t)| (*id, (*t, ItemState::Published)))
                .collect(),
        }
    }

    /// Applies every change since the last poll; returns how many items were written.
    async fn poll(
        &mut self,
        store: &Store,
        index: &Arc<SearchIndex>,
    ) -> Result<usize, IndexerError> {
        let from = self
            .watermark
            .map_or(DateTime::UNIX_EPOCH, |w| w - LOOKBACK);
        let mut cursor = (from, 0_i64);
        let mut newest = self.watermark;
        let mut pending: Vec<IndexChange> = Vec::new();
        loop {
            let batch = store
                .items()
                .index_changes(cursor.0, cursor.1, BATCH)
                .await?;
            let Some(last) = batch.last() else { break };
            cursor = (last.updated_at, last.id);
            let full = batch.len() >= BATCH as usize;
            for c in batch {
                newest = newest.max(Some(c.updated_at));
                if self.applied.get(&c.id) != Some(&(c.updated_at, c.state)) {
                    pending.push(c);
                }
            }
            if !full {
                break;
            }
        }
        for chunk in pending.chunks(BATCH as usize) {
            let public: Vec<i64> = chunk
                .iter()
                .filter(|c| c.is_public())
                .map(|c| c.id)
                .collect();
            let docs = store.items().index_documents(&public).await?;
            let found: HashSet<i64> = docs.iter().map(|d| d.id).collect();
            let upserts: Vec<SearchDoc> = docs.iter().map(search_doc).collect();
            // Not published (any more): out of the index.
            let deletes: Vec<i64> = chunk
                .iter()
                .map(|c| c.id)
                .filter(|id| !found.contains(id))
                .collect();
            let index = Arc::clone(index);
            joined(
                tokio::task::spawn_blocking(move || {
                    for d in &upserts {
                        index.upsert(d)?;
                    }
                    for id in deletes {
                        index.delete(id)?;
                    }
                    Ok(())
                })
                .await,
            )?;
        }
        if !pending.is_empty() {
            let index = Arc::clone(index);
            let marker = marker_text(&self.identity, newest);
            joined(
                tokio::task::spawn_blocking(move || index.commit_with_marker(Some(&marker))).await,
            )?;
        }
        for c in &pending {
            self.applied.insert(c.id, (c.updated_at, c.state));
        }
        self.watermark = newest;
        if let Some(w) = self.watermark {
            let keep_from = w - LOOKBACK;
            self.applied.retain(|_, (t, _)| *t >= keep_from);
        }
        Ok(pending.len())
    }
}

/// Results of recent queries, until the index next changes: the public search box sees the
/// same few queries (热词) over and over, and each costs about a millisecond of CPU on 100,000
/// items. Cleared on every commit, so a result is never staler than the index itself.
#[derive(Default)]
struct ResultCache(std::sync::Mutex<HashMap<SearchQuery, Arc<SearchResults>>>);

/// Entries kept at most (the map is emptied when full: simple, and hot queries return at once).
const RESULT_CACHE_ENTRIES: usize = 1024;

impl ResultCache {
    fn get(&self, q: &SearchQuery) -> Option<Arc<SearchResults>> {
        self.0.lock().ok()?.get(q).cloned()
    }

    fn put(&self, q: SearchQuery, r: Arc<SearchResults>) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= RESULT_CACHE_ENTRIES {
                map.clear();
            }
            map.insert(q, r);
        }
    }

    fn clear(&self) {
        if let Ok(mut map) = self.0.lock() {
            map.clear();
        }
    }
}

struct Inner {
    index: Arc<SearchIndex>,
    cache: ResultCache,
    nudge: Notify,
    /// The first rebuild since start has committed.
    ready: AtomicBool,
}

/// The server's search index (cheap to clone): searching, and waking the indexer task.
#[derive(Clone)]
pub struct SearchHandle(Arc<Inner>);

impl std::fmt::Debug for SearchHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchHandle")
            .field("path", &self.0.index.path())
            .finish_non_exhaustive()
    }
}

/// Writer settings of a server's index: modest, it shares the machine with request handling.
fn server_options() -> IndexOptions {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    IndexOptions {
        writer_memory_bytes: 128 * 1024 * 1024,
        writer_threads: cores.clamp(1, 2),
    }
}

impl SearchHandle {
    /// Opens (creating it if needed) `<data_dir>/search`. A directory written by an older version
    /// (another schema) is deleted and rebuilt: the index is a cache of the database. When the
    /// directory is locked by another process, the index is kept in memory (logged).
    pub fn open(data_dir: &Path) -> Result<SearchHandle, IndexerError> {
        let dir = index_dir(data_dir);
        let index = match SearchIndex::open_or_create_with(&dir, server_options()) {
            Ok(index) => index,
            Err(SearchError::SchemaMismatch { .. }) => {
                tracing::warn!(path = %dir.display(), "search index has an old schema: rebuilding it");
                std::fs::remove_dir_all(&dir).map_err(|e| IndexerError::Io {
                    path: dir.display().to_string(),
                    reason: e.to_string(),
                })?;
                SearchIndex::open_or_create_with(&dir, server_options())?
            }
            Err(SearchError::Locked(path)) => {
                tracing::warn!(
                    path = %path.display(),
                    "search index directory is used by another process: keeping this server's index in memory"
                );
                SearchIndex::in_memory()?
            }
            Err(e) => return Err(e.into()),
        };
        Ok(SearchHandle(Arc::new(Inner {
            index: Arc::new(index),
            nudge: Notify::new(),
            ready: AtomicBool::new(false),
            cache: ResultCache::default(),
        })))
    }

    /// Items changed: poll the database now rather than at the next tick.
    pub fn changed(&self) {
        self.0.nudge.notify_one();
    }

    /// Whether the rebuild at start has finished (until then results may be incomplete).
    pub fn is_ready(&self) -> bool {
        self.0.ready.load(Ordering::Acquire)
    }

    /// Runs a query off the async threads.
    pub async fn search(&self, query: SearchQuery) -> Result<Arc<SearchResults>, IndexerError> {
        if let Some(hit) = self.0.cache.get(&query) {
            return Ok(hit);
        }
        let index = Arc::clone(&self.0.index);
        let key = query.clone();
        let results = Arc::new(joined(
            tokio::task::spawn_blocking(move || index.search(&query)).await,
        )?);
        self.0.cache.put(key, Arc::clone(&results));
        Ok(results)
    }

    /// Starts the task that resumes (or rebuilds) the index, then follows the database until `stop` turns
    /// true (or its sender is dropped).
    pub fn spawn_indexer(&self, store: Store, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
        let inner = Arc::clone(&self.0);
        tokio::spawn(async move {
            let mut follower: Option<Follower> = None;
            loop {
                if *stop.borrow() {
                    break;
                }
                let work = async {
                    if follower.is_none()
                        && let Some(resumed) = Follower::resume(&store, &inner.index).await
                    {
                        tracing::info!("search index resumed from its last commit");
                        inner.ready.store(true, Ordering::Release);
                        follower = Some(resumed);
                    }
                    match follower.as_mut() {
                        None => match rebuild(&store, Arc::clone(&inner.index)).await {
                            Ok(rebuilt) => {
                                tracing::info!(
                                    items = rebuilt.count,
                                    ms = rebuilt.elapsed.as_millis() as u64,
                                    "search index rebuilt"
                                );
                                inner.cache.clear();
                                inner.ready.store(true, Ordering::Release);
                                match database_identity(&store).await {
                                    Ok(identity) => {
                                        follower = Some(Follower::after(&rebuilt, identity));
                                    }
                                    Err(e) => {
                                        tracing::warn!(error = %e, "search index: database identity unavailable; retrying")
                                    }
                                }
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "search index rebuild failed; retrying")
                            }
                        },
                        Some(f) => match f.poll(&store, &inner.index).await {
                            Ok(0) => {}
                            Ok(n) => {
                                inner.cache.clear();
                                tracing::debug!(items = n, "search index updated");
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "search index update failed; retrying")
                            }
                        },
                    }
                };
                tokio::select! {
                    biased;
                    changed = stop.changed() => {
                        if changed.is_err() { break; }
                        continue;
                    }
                    () = work => {}
                }
                tokio::select! {
                    biased;
                    changed = stop.changed() => {
                        if changed.is_err() { break; }
                    }
                    () = inner.nudge.notified() => {}
                    () = tokio::time::sleep(POLL_INTERVAL) => {}
                }
            }
        })
    }
}

/// Why `gongkai reindex` could not rebuild the directory.
#[derive(Debug, thiserror::Error)]
pub enum ReindexError {
    #[error(
        "服务正在运行（全文索引目录 {0} 已被占用）。请先停止服务，或等待服务自动更新索引（服务启动时会重建索引，运行中每隔几秒同步一次数据库的变化）"
    )]
    ServerRunning(String),
    #[error(transparent)]
    Indexer(#[from] IndexerError),
}

/// Rebuilds `<data_dir>/search` from the store into a fresh directory next to it, then puts it
/// in place (the old directory is removed). Refuses while a server holds the index.
pub async fn reindex(store: &Store, data_dir: &Path) -> Result<Rebuilt, ReindexError> {
    let target = index_dir(data_dir);
    let io = |path: &Path, e: std::io::Error| IndexerError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    // Hold the target's writer lock for the whole run: no server can start on it meanwhile.
    let guard = match SearchIndex::open_or_create(&target) {
        Ok(index) => Some(index),
        Err(SearchError::Locked(path)) => {
            return Err(ReindexError::ServerRunning(path.display().to_string()));
        }
        // An index of an older version is replaced anyway.
        Err(SearchError::SchemaMismatch { .. }) => None,
        Err(e) => return Err(IndexerError::from(e).into()),
    };
    let pid = std::process::id();
    let fresh = data_dir.join(format!("{INDEX_DIR}.new-{pid}"));
    let old = data_dir.join(format!("{INDEX_DIR}.old-{pid}"));
    for dir in [&fresh, &old] {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| io(dir, e))?;
        }
    }
    let index = Arc::new(SearchIndex::open_or_create(&fresh).map_err(IndexerError::from)?);
    let rebuilt = match rebuild(store, Arc::clone(&index)).await {
        Ok(r) => r,
        Err(e) => {
            drop(index);
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(e.into());
        }
    };
    drop(index);
    // Two renames: not atomic, but the lock above keeps servers out while they happen.
    std::fs::rename(&target, &old).map_err(|e| io(&target, e))?;
    if let Err(e) = std::fs::rename(&fresh, &target) {
        // Put the old index back rather than leave none.
        let _ = std::fs::rename(&old, &target);
        return Err(io(&fresh, e).into());
    }
    drop(guard);
    std::fs::remove_dir_all(&old).map_err(|e| io(&old, e))?;
    Ok(rebuilt)
}

#[cfg(test)]
mod marker_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_marker_resumes_only_against_the_database_it_was_written_for() {
        let at = DateTime::parse_from_rfc3339("2026-11-25T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let marker = marker_text("abcd", Some(at));
        assert_eq!(parse_marker(&marker, "abcd"), Some(Some(at)));
        assert_eq!(parse_marker(&marker, "ef01"), None, "another database");
        assert_eq!(parse_marker(&marker_text("abcd", None), "abcd"), Some(None));
        assert_eq!(parse_marker("gongkai-index v0 abcd -", "abcd"), None);
        assert_eq!(parse_marker("", "abcd"), None);
    }
}
