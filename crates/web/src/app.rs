//! Starting and stopping the server: [`App::build`] connects the database, runs migrations,
//! seeds the demo if asked, binds the listener (port 0 in tests) and serves in the background;
//! the returned [`Server`] knows its address and shuts down gracefully (in-flight requests
//! finish).

use std::future::Future;
use std::net::SocketAddr;

use gongkai_store::Store;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::demo::{self, DemoAccount};
use crate::error::StartError;
use crate::routes;
use crate::state::AppState;
use crate::worker::Worker;

/// Entry point of the web application.
pub struct App;

/// A running server.
pub struct Server {
    addr: SocketAddr,
    store: Store,
    demo: Vec<DemoAccount>,
    stop: watch::Sender<bool>,
    task: JoinHandle<std::io::Result<()>>,
    /// The search indexer (`indexer.rs`), stopped with the server.
    indexer: JoinHandle<()>,
    /// The job worker (`worker.rs`: mail, deadline reminders), stopped with the server.
    worker: Worker,
    worker_task: JoinHandle<()>,
}

impl App {
    /// Opens (creating it if needed) the data directory and the database, migrates, and starts
    /// serving `config.bind`.
    pub async fn build(config: Config) -> Result<Server, StartError> {
        for dir in [config.data_dir.clone(), config.data_dir.join("uploads")] {
            std::fs::create_dir_all(&dir).map_err(|e| StartError::DataDir {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })?;
        }
        let store = Store::connect(&config.effective_database_url()).await?;
        store.migrate().await?;
        App::build_with_store(config, store).await
    }

    /// Starts serving with an already connected and migrated store (tests inject one with a
    /// manual clock).
    pub async fn build_with_store(config: Config, store: Store) -> Result<Server, StartError> {
        let demo = if config.demo {
            demo::seed(&store).await?;
            let calendar = crate::calendar_files::load_calendar(&config.data_dir)
                .map_err(StartError::Calendar)?;
            demo::seed_items(&store, &calendar, store.today()).await?;
            demo::ACCOUNTS.to_vec()
        } else {
            Vec::new()
        };
        let secret = match secret_key(&config)? {
            Some(key) => key,
            // Shared through the database, so that every server behind a load balancer accepts
            // the login forms the others signed (no state that matters lives in one process).
            None => store.instance_secret("login_form_key").await?,
        };
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|e| StartError::Bind {
                addr: config.bind.to_string(),
                reason: e.to_string(),
            })?;
        let addr = listener.local_addr().map_err(|e| StartError::Bind {
            addr: config.bind.to_string(),
            reason: e.to_string(),
        })?;
        let calendar =
            crate::calendar_files::load_calendar(&config.data_dir).map_err(StartError::Calendar)?;
        // The index directory is per server (`<data_dir>/search`); rebuilt in the background.
        let search = crate::indexer::SearchHandle::open(&config.data_dir).map_err(|e| {
            StartError::DataDir {
                path: crate::indexer::index_dir(&config.data_dir)
                    .display()
                    .to_string(),
                reason: e.to_string(),
            }
        })?;
        // Checked before serving: a bad mail setting stops the start with a Chinese message.
        let worker = Worker::from_config(store.clone(), calendar.clone(), &config)?;
        let state = AppState::new(store.clone(), config, secret, calendar, search.clone());
        let jobs_nudge = state.jobs_nudge();
        let app = routes::router(state).into_make_service_with_connect_info::<SocketAddr>();
        let (stop, mut stopped) = watch::channel(false);
        let indexer = search.spawn_indexer(store.clone(), stop.subscribe());
        let worker_task = worker.spawn(stop.subscribe(), jobs_nudge);
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // Either a stop request or the Server being dropped ends the wait.
                    let _ = stopped.wait_for(|s| *s).await;
                })
                .await
        });
        tracing::info!(%addr, "server started");
        Ok(Server {
            addr,
            store,
            demo,
            stop,
            task,
            indexer,
            worker,
            worker_task,
        })
    }
}

/// The configured key of the login-form token signatures (hex), if any.
fn secret_key(config: &Config) -> Result<Option<Vec<u8>>, StartError> {
    match &config.secret_key {
        Some(hex_key) => {
            let key =
                hex::decode(hex_key.trim()).map_err(|_| crate::error::ConfigError::Invalid {
                    key: "secret_key",
                    value: "（已隐藏）".to_owned(),
                    hint: "应为十六进制字符串，例如用 `openssl rand -hex 32` 生成",
                })?;
            if key.len() < 32 {
                return Err(crate::error::ConfigError::Invalid {
                    key: "secret_key",
                    value: "（已隐藏）".to_owned(),
                    hint: "至少 32 字节（64 位十六进制）",
                }
                .into());
            }
            Ok(Some(key))
        }
        None => Ok(None),
    }
}

impl Server {
    /// The address actually bound (the real port when 0 was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://addr`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The store the server uses.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// This server's job worker (tests drive sweeps and jobs through it).
    pub fn worker(&self) -> &Worker {
        &self.worker
    }

    /// The demo logins (empty unless started with `demo`).
    pub fn demo_accounts(&self) -> &[DemoAccount] {
        &self.demo
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits for the end.
    pub async fn shutdown(self) -> Result<(), StartError> {
        let _ = self.stop.send(true);
        let served = Server::join(self.task).await;
        // The indexer stops at its next await; an interrupted rebuild is redone at next start.
        let _ = self.indexer.await;
        // The worker finishes the job in hand (at most one SMTP timeout), then stops.
        let _ = self.worker_task.await;
        served
    }

    /// Serves until `signal` completes (then shuts down gracefully) or the server fails.
    pub async fn run_until(mut self, signal: impl Future<Output = ()>) -> Result<(), StartError> {
        tokio::select! {
            () = signal => {
                tracing::info!("shutdown requested: finishing in-flight requests");
                self.shutdown().await
            }
            result = &mut self.task => Server::flatten(result),
        }
    }

    async fn join(task: JoinHandle<std::io::Result<()>>) -> Result<(), StartError> {
        Server::flatten(task.await)
    }

    fn flatten(
        result: Result<std::io::Result<()>, tokio::task::JoinError>,
    ) -> Result<(), StartError> {
        match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StartError::Serve(e.to_string())),
            Err(e) => Err(StartError::Serve(e.to_string())),
        }
    }
}
