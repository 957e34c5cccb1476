//! `gongkai serve`: configuration, logging, the server, graceful shutdown on Ctrl-C / SIGTERM.

use anyhow::Result;
use gongkai_web::{App, LogFormat};
use std::path::Path;

use super::database;
use crate::cli::ServeArgs;

pub fn run(args: &ServeArgs, data_dir: Option<&Path>) -> Result<()> {
    let mut config = database::config(&args.db, data_dir)?;
    if let Some(bind) = &args.bind {
        config.bind = gongkai_web::config::parse_bind(bind)?;
    }
    if let Some(format) = &args.log_format {
        config.log_format = gongkai_web::config::parse_log_format(format)?;
    }
    if args.demo {
        config.demo = true;
    }
    init_logging(config.log_format);
    let where_ = database::describe(&config);
    database::runtime()?.block_on(async move {
        let public_url = config.public_url.clone();
        let server = App::build(config).await?;
        println!(
            "gongkai 已启动：{}",
            public_url.unwrap_or_else(|| server.url())
        );
        println!(
            "  门户首页：{}/    工作人员后台：{}/admin",
            server.url(),
            server.url()
        );
        println!("  数据库：{where_}");
        if !server.demo_accounts().is_empty() {
            println!("  演示账号（仅供试用，正式使用前请停用）：");
            for a in server.demo_accounts() {
                println!(
                    "    {:<16} 密码 {:<22} {}",
                    a.username,
                    a.password,
                    a.role.label()
                );
            }
        }
        println!("按 Ctrl-C 停止。");
        server.run_until(shutdown_signal()).await?;
        println!("gongkai 已停止。");
        Ok(())
    })
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("GONGKAI_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Colour codes only on a terminal: in a log file or journal they are noise.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Ctrl-C, or SIGTERM (what service managers and containers send).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
