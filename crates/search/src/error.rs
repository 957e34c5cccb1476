//! Errors of the search crate. Messages are read by operators (CLI, logs) and say what to do.

use std::path::PathBuf;

/// Everything that can go wrong while indexing or searching.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Another `SearchIndex` (this process or another) holds the index writer lock.
    #[error(
        "全文索引目录 {0} 正被另一个进程使用（每个索引目录只能有一个写入者）；请停止其他实例，或为本实例配置单独的索引目录"
    )]
    Locked(PathBuf),
    /// The directory holds an index built with another schema (older version of the program).
    #[error(
        "全文索引目录 {path} 的结构与当前版本不一致：{detail}；请删除该目录后运行 reindex 重建索引"
    )]
    SchemaMismatch {
        /// Index directory.
        path: PathBuf,
        /// tantivy's explanation.
        detail: String,
    },
    /// The index directory could not be created or opened.
    #[error("无法打开全文索引目录 {path}：{source}")]
    Io {
        /// Index directory.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A document to index carries a value we cannot use.
    #[error("信息 {item_id} 无法编入全文索引：{reason}")]
    InvalidDoc {
        /// The item's id.
        item_id: i64,
        /// What is wrong.
        reason: String,
    },
    /// Any other failure inside the search engine (disk full, corrupted files…).
    #[error("全文索引出错：{0}；索引可随时通过 reindex 重建")]
    Engine(#[from] tantivy::TantivyError),
    /// A previous panic inside the writer poisoned its lock.
    #[error("全文索引写入器状态异常，请重启服务")]
    Poisoned,
}

/// Result alias of this crate.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;
