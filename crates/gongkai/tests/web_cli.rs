//! `gongkai serve --help`, `migrate`, `admin …` and `audit-log verify` as an administrator runs
//! them: the real binary on a fresh SQLite data directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use gongkai_store::{CreditCode, Store};
use sqlx::{AssertSqlSafe, Connection};

fn gongkai(data_dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    cmd.arg("--data-dir").arg(data_dir).args(args);
    cmd.env_remove("GONGKAI_DATABASE_URL")
        .env_remove("GONGKAI_NEW_PASSWORD");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run gongkai");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-webcli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn url(dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("gongkai.db").display())
}

#[test]
fn serve_help_documents_every_configuration_key() {
    let dir = temp_dir("help");
    let o = gongkai(&dir, &["serve", "--help"], &[], None);
    assert!(o.status.success());
    let text = out(&o);
    for key in [
        "bind",
        "data_dir",
        "database_url",
        "log_format",
        "public_url",
        "secure_cookies",
        "secret_key",
        "demo",
        "GONGKAI_DATABASE_URL",
        "--demo",
        "--config",
    ] {
        assert!(text.contains(key), "serve --help lacks {key}");
    }
}

#[tokio::test]
async fn admin_commands_create_list_and_reset_accounts() {
    let dir = temp_dir("admin");
    let o = gongkai(&dir, &["admin", "list-users"], &[], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("gongkai migrate"), "{}", out(&o));
    let o = gongkai(&dir, &["migrate"], &[], None);
    assert!(o.status.success(), "{}", out(&o));

    let body = "11410402MB0000009";
    let code = format!("{body}{}", CreditCode::check_char_for(body).unwrap());
    let bad = format!("{body}{}", if code.ends_with('0') { '1' } else { '0' });
    let o = gongkai(
        &dir,
        &[
            "admin",
            "create-organ",
            "--name",
            "某街道办事处",
            "--kind",
            "subdistrict",
            "--credit-code",
            &bad,
        ],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("校验位错误"), "{}", out(&o));
    let o = gongkai(
        &dir,
        &[
            "admin",
            "create-organ",
            "--name",
            "某区人民政府",
            "--kind",
            "government",
        ],
        &[],
        None,
    );
    assert!(o.status.success(), "{}", out(&o));
    let o = gongkai(
        &dir,
        &[
            "admin",
            "create-organ",
            "--name",
            "某街道办事处",
            "--kind",
            "subdistrict",
            "--credit-code",
            &code,
            "--parent",
            "某区人民政府",
        ],
        &[],
        None,
    );
    assert!(o.status.success(), "{}", out(&o));
    let o = gongkai(
        &dir,
        &["admin", "create-organ", "--name", "x", "--kind", "planet"],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("不是有效的机关类型"), "{}", out(&o));
    let store = Store::connect(&url(&dir)).await.unwrap();
    let organs = store.organs().list().await.unwrap();
    let district = organs.iter().find(|o| o.name == "某区人民政府").unwrap();
    let street = organs.iter().find(|o| o.name == "某街道办事处").unwrap();
    assert_eq!(street.parent_id, Some(district.id));

    let o = gongkai(
        &dir,
        &[
            "admin",
            "create-user",
            "--organ",
            "不存在的机关",
            "--username",
            "li.si",
            "--role",
            "officer",
        ],
        &[("GONGKAI_NEW_PASSWORD", "Li-Si-Pass-2026")],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("找不到"));
    let o = gongkai(
        &dir,
        &[
            "admin",
            "create-user",
            "--organ",
            &code,
            "--username",
            "li.si",
            "--role",
            "officer",
            "--display-name",
            "李四",
        ],
        &[("GONGKAI_NEW_PASSWORD", "Li-Si-Pass-2026")],
        None,
    );
    assert!(o.status.success(), "{}", out(&o));
    let o = gongkai(
        &dir,
        &[
            "admin",
            "create-user",
            "--organ",
            "某街道办事处",
            "--username",
            "wang.wu",
            "--role",
            "editor",
        ],
        &[],
        Some("weak\n"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("密码长度至少"), "{}", out(&o));
    let o = gongkai(
        &dir,
        &[
            "admin",
            "create-user",
            "--organ",
            "x",
            "--username",
            "a",
            "--role",
            "boss",
        ],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("不是有效的角色"), "{}", out(&o));

    let o = gongkai(
        &dir,
        &["admin", "list-users", "--organ", "某街道办事处"],
        &[],
        None,
    );
    let text = out(&o);
    assert!(
        text.contains("li.si") && text.contains("李四") && text.contains("信息公开专员"),
        "{text}"
    );

    let o = gongkai(
        &dir,
        &["admin", "reset-password", "--username", "li.si"],
        &[],
        Some("New-Pass-2026x\n"),
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        store
            .users()
            .authenticate("li.si", "New-Pass-2026x", None)
            .await
            .is_ok()
    );
    store.close().await;
}

#[tokio::test]
async fn audit_log_verify_detects_tampering() {
    let dir = temp_dir("auditlog");
    assert!(gongkai(&dir, &["migrate"], &[], None).status.success());
    let store = Store::connect(&url(&dir)).await.unwrap();
    gongkai_web::demo::seed(&store).await.unwrap();
    store.close().await;

    let o = gongkai(&dir, &["audit-log", "verify"], &[], None);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("审计日志完整"));

    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&url(&dir)).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; \
         UPDATE audit_log SET action = 'organ.nothing_happened' WHERE seq = 3;"
            .to_owned(),
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();

    let o = gongkai(&dir, &["audit-log", "verify"], &[], None);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("第 3 条") && text.contains("篡改"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// One HTTP/1.1 GET over a plain socket (the test needs no HTTP client for this).
fn http_get(addr: &str, path: &str) -> String {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    response
}

/// Starts `gongkai serve --demo` on a free port and returns the child and the address it printed.
fn start_serve(dir: &Path) -> (std::process::Child, String, Vec<String>) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(dir)
        .args([
            "serve",
            "--demo",
            "--bind",
            "127.0.0.1:0",
            "--log-format",
            "json",
        ])
        .env_remove("GONGKAI_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = Vec::new();
    let mut reader = std::io::BufReader::new(stdout);
    let mut addr = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            panic!("serve ended early: {lines:?}");
        }
        if let Some(rest) = line.trim().strip_prefix("gongkai 已启动：http://") {
            addr = rest.to_owned();
        }
        let done = line.contains("Ctrl-C");
        lines.push(line);
        if done {
            break;
        }
    }
    // Keep draining stdout in the background so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut reader, &mut rest);
    });
    (child, addr, lines)
}

#[test]
fn serve_demo_starts_prints_logins_and_stops_on_sigterm() {
    let dir = temp_dir("serve");
    for round in 0..2 {
        let (mut child, addr, lines) = start_serve(&dir);
        let text = lines.concat();
        assert!(
            text.contains("demo-admin") && text.contains("Demo-Admin-2026"),
            "{text}"
        );
        let health = http_get(&addr, "/healthz");
        assert!(health.starts_with("HTTP/1.1 200"), "{health}");
        let home = http_get(&addr, "/");
        assert!(home.contains("新华区西市场街道办事处"));
        // Seeding is idempotent: the second start finds the demo and adds nothing.
        assert_eq!(
            home.matches("新华区西市场街道办事处").count(),
            1,
            "round {round}"
        );
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = child.wait().unwrap();
        assert!(exit.success(), "graceful exit, got {exit:?}");
    }
    assert!(dir.join("gongkai.db").exists() && dir.join("uploads").is_dir());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Logs in as the demo administrator and returns the session cookie and the CSRF token of the
/// departments page of organ `organ_id`.
async fn admin_session(client: &reqwest::Client, base: &str, organ_id: i64) -> (String, String) {
    let login = client
        .get(format!("{base}/admin/login"))
        .send()
        .await
        .unwrap();
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("gongkai_login_csrf="))
        .unwrap();
    let token = cookie.trim_start_matches("gongkai_login_csrf=").to_owned();
    let r = client
        .post(format!("{base}/admin/login"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", "demo-admin"),
            ("password", "Demo-Admin-2026"),
        ])
        .send()
        .await
        .unwrap();
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("gongkai_session="))
        .unwrap();
    let page = client
        .get(format!("{base}/admin/organs/{organ_id}/departments"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    let end = page[start..].find('"').unwrap() + start;
    (session, page[start..end].to_owned())
}

/// Crash safety: writers hammer the server, which is SIGKILLed at a pseudo-random moment;
/// after each crash every write the server acknowledged (303) is in the database, SQLite's
/// integrity check passes and the audit chain is intact.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill() {
    let dir = temp_dir("crash");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..3u32 {
        let (mut child, addr, _) = start_serve(&dir);
        let base = format!("http://{addr}");
        let store = Store::connect(&url(&dir)).await.unwrap();
        let organ_id = store
            .organs()
            .list()
            .await
            .unwrap()
            .into_iter()
            .find(|o| o.parent_id.is_some())
            .unwrap()
            .id;
        store.close().await;
        let (session, token) = admin_session(&client, &base, organ_id).await;
        let mut writers = Vec::new();
        for w in 0..6u32 {
            let (client, base, session, token) =
                (client.clone(), base.clone(), session.clone(), token.clone());
            writers.push(tokio::spawn(async move {
                let mut done = Vec::new();
                for i in 0..10_000u32 {
                    let name = format!("崩溃测试-{round}-{w}-{i}");
                    let r = client
                        .post(format!("{base}/admin/organs/{organ_id}/departments"))
                        .header("cookie", &session)
                        .form(&[("csrf_token", token.as_str()), ("name", name.as_str())])
                        .send()
                        .await;
                    match r {
                        Ok(r) if r.status() == reqwest::StatusCode::SEE_OTHER => done.push(name),
                        Ok(r) => panic!("unexpected {}", r.status()),
                        Err(_) => break, // the server is gone
                    }
                }
                done
            }));
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        tokio::time::sleep(std::time::Duration::from_millis(
            300 + u64::from(nanos % 700),
        ))
        .await;
        child.kill().unwrap(); // SIGKILL: no graceful shutdown, no flush
        child.wait().unwrap();
        for w in writers {
            acknowledged.extend(w.await.unwrap());
        }

        let store = Store::connect(&url(&dir)).await.unwrap();
        assert!(store.integrity_check().await.unwrap().is_empty());
        let names: std::collections::HashSet<String> = store
            .departments()
            .list(organ_id)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect();
        let missing: Vec<&String> = acknowledged
            .iter()
            .filter(|n| !names.contains(*n))
            .collect();
        assert!(
            missing.is_empty(),
            "round {round}: lost acknowledged writes {missing:?}"
        );
        assert!(store.verify_audit_chain().await.unwrap().is_ok());
        store.close().await;
    }
    assert!(
        acknowledged.len() > 10,
        "the writers got work done: {}",
        acknowledged.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
