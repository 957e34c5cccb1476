//! `gongkai reindex`: rebuilds the full-text search index (`<data_dir>/search`) from the
//! database. The index is built into a fresh directory next to it and then put in place, so an
//! interrupted run leaves the old index untouched. A running server holds the index (tantivy's
//! writer lock): the command then refuses with a message saying what to do.

use std::path::Path;

use anyhow::Result;
use gongkai_web::indexer::{self, ReindexError};

use super::database;
use crate::cli::DbArgs;

pub fn run(args: &DbArgs, data_dir: Option<&Path>) -> Result<()> {
    let config = database::config(args, data_dir)?;
    database::runtime()?.block_on(async {
        let store = database::open(&config, false).await?;
        println!("正在从 {} 重建全文索引……", database::describe(&config));
        let result = indexer::reindex(&store, &config.data_dir).await;
        store.close().await;
        match result {
            Ok(rebuilt) => {
                println!(
                    "全文索引已重建：{} 条已发布信息，用时 {:.1} 秒（索引目录 {}）",
                    rebuilt.count,
                    rebuilt.elapsed.as_secs_f64(),
                    indexer::index_dir(&config.data_dir).display()
                );
                Ok(())
            }
            Err(e @ ReindexError::ServerRunning(_)) => Err(anyhow::anyhow!(e)),
            Err(e) => Err(anyhow::anyhow!("全文索引重建失败：{e}")),
        }
    })
}
