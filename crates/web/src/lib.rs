//! The web platform of gongkai: the public portal (the 政府信息公开 column of each organ) and the
//! back office (organs, departments, users and roles, audit log), server-rendered with askama,
//! no JavaScript.
//!
//! ```no_run
//! # async fn demo() -> Result<(), gongkai_web::StartError> {
//! let config = gongkai_web::Config {
//!     bind: "127.0.0.1:0".parse().unwrap_or(std::net::SocketAddr::from(([127, 0, 0, 1], 0))),
//!     ..gongkai_web::Config::default()
//! };
//! let server = gongkai_web::App::build(config).await?;
//! println!("{}", server.url());
//! server.shutdown().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Request path: security headers and metrics wrap every route; every `/admin` route passes the
//! guard (`guard.rs`: session → [`authz`] → CSRF) with the permission its row of the route table
//! (`routes.rs`) declares.

mod api;
mod app;
pub mod authz;
pub mod batch_audit;
pub mod calendar_files;
pub mod config;
mod cookies;
pub mod csrf;
pub mod demo;
mod error;
mod guard;
mod health;
pub mod indexer;
mod intake;
pub mod item_import;
pub mod mail;
mod metrics;
mod pages;
mod pdf_render;
pub mod rate_limit;
pub mod reminders;
pub mod report_reminders;
pub mod routes;
pub mod security_headers;
mod session;
mod state;
pub mod svg_chart;
pub mod uploads;
pub mod worker;

pub use app::{App, Server};
pub use config::{Config, KEYS_HELP, LogFormat};
pub use error::{ConfigError, StartError};
