//! Test harness: every test body gets a real server on port 0 over a fresh SQLite file, then
//! (when `GONGKAI_TEST_DATABASE_URL` is set) over a freshly created PostgreSQL database that is
//! dropped afterwards. The store's clock is a `ManualClock` the test can move.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{TimeZone, Utc};
use gongkai_store::{ManualClock, Store, StoreOptions};
use gongkai_web::{App, Config, Server};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use sqlx::{AssertSqlSafe, Connection};

pub mod cases;

pub const PG_ENV: &str = "GONGKAI_TEST_DATABASE_URL";

pub struct TestApp {
    pub server: Server,
    pub url: String,
    pub clock: ManualClock,
    pub db_url: String,
    pub client: reqwest::Client,
    /// This server's own data directory (search index, uploads): servers run side by side.
    pub data_dir: tempfile::TempDir,
}

impl TestApp {
    pub fn store(&self) -> &Store {
        self.server.store()
    }

    /// A browser with an empty cookie jar.
    pub fn browser(&self) -> Browser {
        Browser {
            client: self.client.clone(),
            base: self.url.clone(),
            cookies: BTreeMap::new(),
        }
    }

    /// A browser logged in as `username` (demo password).
    pub async fn login_as(&self, username: &str) -> Browser {
        let password = gongkai_web::demo::ACCOUNTS
            .iter()
            .find(|a| a.username == username)
            .map(|a| a.password)
            .expect("demo account");
        let mut b = self.browser();
        let r = b.login(username, password).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login {username}: {}",
            r.body
        );
        b
    }

    pub async fn raw(&self, sql: &str) {
        let mut conn = sqlx::AnyConnection::connect(&self.db_url).await.unwrap();
        sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let mut conn = sqlx::AnyConnection::connect(&self.db_url).await.unwrap();
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(sql.to_owned()))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        n
    }
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    /// The first CSRF token in the page's forms.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self.body.find(marker).expect("page has a csrf field") + marker.len();
        let end = self.body[start..].find('"').unwrap() + start;
        self.body[start..end].to_owned()
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }
}

/// A minimal browser: keeps cookies, never follows redirects (tests look at them).
#[derive(Clone)]
pub struct Browser {
    client: reqwest::Client,
    base: String,
    pub cookies: BTreeMap<String, String>,
}

impl Browser {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&mut self, req: reqwest::RequestBuilder) -> Resp {
        let req = if self.cookies.is_empty() {
            req
        } else {
            req.header("cookie", self.cookie_header())
        };
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        for c in headers.get_all("set-cookie") {
            let c = c.to_str().unwrap();
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        let body = res.text().await.unwrap();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let req = self.client.get(format!("{}{path}", self.base));
        self.finish(req).await
    }

    /// GET the raw bytes of `path` (downloads).
    pub async fn get_bytes(&mut self, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if !self.cookies.is_empty() {
            req = req.header("cookie", self.cookie_header());
        }
        let res = req.send().await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        (status, headers, res.bytes().await.unwrap().to_vec())
    }

    /// POST a multipart form (an upload) with the token of `form_page` as its first field.
    pub async fn upload(
        &mut self,
        form_page: &str,
        action: &str,
        file_field: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Resp {
        let token = self.get(form_page).await.csrf();
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token)
            .part(
                file_field.to_owned(),
                reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
            );
        let req = self
            .client
            .post(format!("{}{action}", self.base))
            .multipart(form);
        self.finish(req).await
    }

    /// POST a multipart form with text `fields` and `files` (field, file name, bytes), with the
    /// token of `form_page` as its first field — what a browser sends for a form with a file input.
    pub async fn submit_multipart(
        &mut self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Resp {
        let token = self.get(form_page).await.csrf();
        let mut form = reqwest::multipart::Form::new().text("csrf_token", token);
        for (k, v) in fields {
            form = form.text((*k).to_owned(), (*v).to_owned());
        }
        for (field, name, bytes) in files {
            form = form.part(
                (*field).to_owned(),
                reqwest::multipart::Part::bytes(bytes.clone()).file_name((*name).to_owned()),
            );
        }
        let req = self
            .client
            .post(format!("{}{action}", self.base))
            .multipart(form);
        self.finish(req).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Resp {
        let req = self.client.post(format!("{}{path}", self.base)).form(form);
        self.finish(req).await
    }

    pub async fn post_with_headers(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self.client.post(format!("{}{path}", self.base)).form(form);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.finish(req).await
    }

    /// GET the form for its token, then POST it with the token added.
    pub async fn submit(&mut self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.get(form_page).await.csrf();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    pub async fn login(&mut self, username: &str, password: &str) -> Resp {
        self.submit(
            "/admin/login",
            "/admin/login",
            &[
                ("username", username),
                ("password", password),
                ("next", "/admin"),
            ],
        )
        .await
    }
}

/// The instant tests start at.
pub fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 1, 0, 0).unwrap()
}

/// A server on `url` (already created), its configuration adjusted by `configure` (e.g. a mail
/// transport). A second call on the same URL is a second server on the same database (a
/// restart, or another node behind the load balancer).
pub async fn start_with(
    url: String,
    demo: bool,
    configure: &(dyn Fn(&mut Config) + Send + Sync),
) -> TestApp {
    let clock = ManualClock::new(t0());
    let store = Store::connect_with(
        &url,
        StoreOptions {
            max_connections: Some(5),
            clock: Arc::new(clock.clone()),
        },
    )
    .await
    .unwrap();
    store.migrate().await.unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.path().to_path_buf(),
        demo,
        ..Config::default()
    };
    configure(&mut config);
    let server = App::build_with_store(config, store).await.unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        url: server.url(),
        server,
        clock,
        db_url: url,
        client,
        data_dir,
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| i + authority_start);
    let mut out = format!("{}/{}", &base[..path_start], db);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

async fn admin_exec(admin_url: &str, sql: String) {
    let mut admin = sqlx::PgConnection::connect(admin_url).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(sql))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
}

fn rethrow(result: Result<(), tokio::task::JoinError>, backend: &str) {
    if let Err(e) = result {
        if e.is_panic() {
            eprintln!("test failed on {backend}");
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("test task on {backend} did not finish: {e}");
    }
}

/// Runs `body` against a demo-seeded server on SQLite, then on PostgreSQL if configured.
pub async fn each_backend<F, Fut>(body: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    each_backend_with(&|_| {}, body).await;
}

/// [`each_backend`] with the server's configuration adjusted by `configure`.
pub async fn each_backend_with<F, Fut>(configure: &(dyn Fn(&mut Config) + Send + Sync), body: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("gongkai.db").display()
    );
    let app = start_with(url, true, configure).await;
    rethrow(tokio::spawn(body(app)).await, "SQLite");
    drop(dir);

    if let Ok(admin_url) = std::env::var(PG_ENV) {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "gongkai_web_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            nanos
        );
        admin_exec(&admin_url, format!("CREATE DATABASE {name}")).await;
        let app = start_with(with_database(&admin_url, &name), true, configure).await;
        let result = tokio::spawn(body(app)).await;
        admin_exec(
            &admin_url,
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await;
        rethrow(result, "PostgreSQL");
    }
}

/// Ids of the demo data.
pub struct DemoIds {
    pub district: i64,
    pub subdistrict: i64,
}

pub async fn demo_ids(app: &TestApp) -> DemoIds {
    let organs = app.store().organs().list().await.unwrap();
    let id = |name: &str| organs.iter().find(|o| o.name == name).unwrap().id;
    DemoIds {
        district: id("新华区人民政府"),
        subdistrict: id("新华区西市场街道办事处"),
    }
}
