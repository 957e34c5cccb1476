//! Login throttling and sessions, with an injected clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::IpAddr;

use chrono::Duration;
use common::each_backend;
use gongkai_store::{
    ACCOUNT_MAX_FAILURES, AuditFilter, IP_MAX_FAILURES, LOCK_DURATION, StoreError,
    sessions::{ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, TOUCH_INTERVAL},
};

fn ip(s: &str) -> Option<IpAddr> {
    Some(s.parse().unwrap())
}

const PW: &str = "Gongkai-2026x";

#[tokio::test]
async fn login_success_and_failure_are_audited() {
    each_backend(|db| async move {
        let organ = db.organ("某区人民政府", None).await;
        let user = db.user("zhangsan", PW, organ.id).await;
        let users = db.store.users();

        let ok = users
            .authenticate(" ZhangSan ", PW, ip("10.0.0.1"))
            .await
            .unwrap();
        assert_eq!(ok.id, user.id);

        let err = users
            .authenticate("zhangsan", "wrong-Password1", ip("10.0.0.1"))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::InvalidCredentials));
        assert_eq!(err.to_string(), "用户名或密码错误");
        // Unknown user: the same error.
        let err = users
            .authenticate("nobody", PW, ip("10.0.0.1"))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::InvalidCredentials));
        let err = users
            .authenticate("'; DROP TABLE users; --", PW, ip("10.0.0.1"))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::InvalidCredentials));
        assert_eq!(db.count("users").await, 1);

        let audit = db.store.audit();
        let ok_entries = audit
            .list(&AuditFilter {
                action: Some("auth.login_succeeded".into()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(ok_entries.total, 1);
        assert_eq!(ok_entries.entries[0].actor_user_id, Some(user.id));
        assert_eq!(ok_entries.entries[0].actor_ip, ip("10.0.0.1"));
        let failed = audit
            .list(&AuditFilter {
                action: Some("auth.login_failed".into()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(failed.total, 3);
        assert_eq!(
            failed.entries[2].after.as_ref().unwrap()["reason"],
            "bad_password"
        );
        assert_eq!(
            failed.entries[1].after.as_ref().unwrap()["reason"],
            "unknown_user"
        );
        assert_eq!(
            failed.entries[1].after.as_ref().unwrap()["username"],
            "nobody"
        );

        // Deactivated: right password → a specific error; wrong password → the generic one.
        db.store
            .users()
            .deactivate(&db.admin(), user.id)
            .await
            .unwrap();
        let err = users
            .authenticate("zhangsan", PW, ip("10.0.0.1"))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::AccountDisabled));
        assert_eq!(err.to_string(), "该账号已停用，请联系系统管理员");
        let err = users
            .authenticate("zhangsan", "Wrong-2026xx", ip("10.0.0.1"))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::InvalidCredentials));
        assert!(db.store.verify_audit_chain().await.unwrap().is_ok());
    })
    .await;
}

#[tokio::test]
async fn account_lockout_and_unlock_after_lock_time() {
    each_backend(|db| async move {
        let organ = db.organ("某区人民政府", None).await;
        db.user("zhangsan", PW, organ.id).await;
        let users = db.store.users();
        // Failures from different addresses still count for the account.
        for i in 0..ACCOUNT_MAX_FAILURES {
            if i > 0 {
                db.clock.advance(Duration::seconds(10));
            }
            let err = users
                .authenticate("zhangsan", "Wrong-2026xx", ip(&format!("10.0.1.{i}")))
                .await
                .unwrap_err();
            assert!(matches!(err, StoreError::InvalidCredentials), "attempt {i}");
        }
        // Locked: even the right password is refused, from anywhere.
        let err = users
            .authenticate("zhangsan", PW, ip("10.9.9.9"))
            .await
            .unwrap_err();
        match &err {
            StoreError::LoginLocked { minutes, .. } => assert_eq!(*minutes, 15),
            other => panic!("expected LoginLocked, got {other:?}"),
        }
        assert_eq!(
            err.to_string(),
            "登录失败次数过多，已暂时锁定，请于 15 分钟后再试"
        );
        assert!(matches!(
            users.authenticate("ZHANGSAN", PW, None).await.unwrap_err(),
            StoreError::LoginLocked { .. }
        ));
        // Other accounts are not affected.
        db.user("lisi", PW, organ.id).await;
        users
            .authenticate("lisi", PW, ip("10.9.9.9"))
            .await
            .unwrap();

        // Still locked one second before the end.
        db.clock.advance(LOCK_DURATION - Duration::seconds(1));
        assert!(matches!(
            users
                .authenticate("zhangsan", PW, ip("10.9.9.9"))
                .await
                .unwrap_err(),
            StoreError::LoginLocked { minutes: 1, .. }
        ));
        db.clock.advance(Duration::seconds(1));
        users
            .authenticate("zhangsan", PW, ip("10.9.9.9"))
            .await
            .unwrap();

        // After a success the account counter starts again from zero.
        for _ in 0..ACCOUNT_MAX_FAILURES - 1 {
            let _ = users
                .authenticate("zhangsan", "Wrong-2026xx", ip("10.0.2.1"))
                .await;
        }
        users
            .authenticate("zhangsan", PW, ip("10.0.2.1"))
            .await
            .unwrap();
        let _ = users
            .authenticate("zhangsan", "Wrong-2026xx", ip("10.0.2.1"))
            .await;
        users
            .authenticate("zhangsan", PW, ip("10.0.2.1"))
            .await
            .unwrap();

        // Failures older than the window are forgotten.
        for _ in 0..ACCOUNT_MAX_FAILURES - 1 {
            let _ = users
                .authenticate("zhangsan", "Wrong-2026xx", ip("10.0.3.1"))
                .await;
        }
        db.clock
            .advance(gongkai_store::FAILURE_WINDOW + Duration::seconds(1));
        let _ = users
            .authenticate("zhangsan", "Wrong-2026xx", ip("10.0.3.1"))
            .await;
        users
            .authenticate("zhangsan", PW, ip("10.0.3.1"))
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn admin_unlock_and_purge_of_old_counters() {
    each_backend(|db| async move {
        let organ = db.organ("某区人民政府", None).await;
        db.user("zhangsan", PW, organ.id).await;
        let users = db.store.users();
        for _ in 0..ACCOUNT_MAX_FAILURES {
            let _ = users.authenticate("zhangsan", "Wrong-2026xx", None).await;
        }
        assert!(matches!(
            users.authenticate("zhangsan", PW, None).await.unwrap_err(),
            StoreError::LoginLocked { .. }
        ));
        assert!(users.unlock_login(&db.admin(), "ZhangSan").await.unwrap());
        assert!(!users.unlock_login(&db.admin(), "zhangsan").await.unwrap());
        users.authenticate("zhangsan", PW, None).await.unwrap();
        let unlocks = db
            .store
            .audit()
            .list(&AuditFilter {
                action: Some("auth.unlock".into()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(unlocks.total, 1);

        let _ = users
            .authenticate("someone", "Wrong-2026xx", ip("10.0.0.5"))
            .await;
        assert_eq!(db.count("login_attempts").await, 2);
        assert_eq!(users.purge_stale_login_attempts().await.unwrap(), 0);
        db.clock.advance(gongkai_store::FAILURE_WINDOW);
        assert_eq!(users.purge_stale_login_attempts().await.unwrap(), 2);
    })
    .await;
}

#[tokio::test]
async fn unknown_accounts_are_throttled_too() {
    each_backend(|db| async move {
        let users = db.store.users();
        for _ in 0..ACCOUNT_MAX_FAILURES {
            let _ = users.authenticate("ghost", "Whatever-123", None).await;
        }
        // Same answer as for a real locked account: the name's existence is not revealed.
        assert!(matches!(
            users
                .authenticate("ghost", "Whatever-123", None)
                .await
                .unwrap_err(),
            StoreError::LoginLocked { .. }
        ));
    })
    .await;
}

#[tokio::test]
async fn ip_lockout_spans_accounts_and_expires() {
    each_backend(|db| async move {
        let organ = db.organ("某区人民政府", None).await;
        db.user("victim", PW, organ.id).await;
        let users = db.store.users();
        let attacker = ip("203.0.113.7");
        // Password spraying: one try per account name, many names.
        for i in 0..IP_MAX_FAILURES {
            let err = users
                .authenticate(&format!("user{i}"), "Spring2026!", attacker)
                .await
                .unwrap_err();
            assert!(matches!(err, StoreError::InvalidCredentials), "attempt {i}");
        }
        // The address is locked, even for a correct login…
        assert!(matches!(
            users
                .authenticate("victim", PW, attacker)
                .await
                .unwrap_err(),
            StoreError::LoginLocked { .. }
        ));
        // …but the account itself is not: from elsewhere it works.
        users
            .authenticate("victim", PW, ip("198.51.100.1"))
            .await
            .unwrap();
        // IPv6 is throttled per /64: another address in the same /64 shares the counter.
        for i in 0..IP_MAX_FAILURES {
            let _ = users
                .authenticate(
                    &format!("v6user{i}"),
                    "Spring2026!",
                    ip(&format!("2001:db8:aa:bb::{:x}", i + 1)),
                )
                .await;
        }
        assert!(matches!(
            users
                .authenticate("victim", PW, ip("2001:db8:aa:bb::ffff"))
                .await
                .unwrap_err(),
            StoreError::LoginLocked { .. }
        ));
        users
            .authenticate("victim", PW, ip("2001:db8:aa:cc::1"))
            .await
            .unwrap();

        db.clock.advance(LOCK_DURATION);
        users.authenticate("victim", PW, attacker).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn lockout_survives_a_restart() {
    each_backend(|db| async move {
        let organ = db.organ("某区人民政府", None).await;
        db.user("zhangsan", PW, organ.id).await;
        for _ in 0..ACCOUNT_MAX_FAILURES {
            let _ = db
                .store
                .users()
                .authenticate("zhangsan", "Wrong-2026xx", None)
                .await;
        }
        // Another process (a second app server, or after a restart) sees the lock.
        let other = db.another_store().await;
        assert!(matches!(
            other
                .users()
                .authenticate("zhangsan", PW, None)
                .await
                .unwrap_err(),
            StoreError::LoginLocked { .. }
        ));
        other.close().await;
    })
    .await;
}

#[tokio::test]
async fn sessions_token_hashing_touch_and_idle_expiry() {
    each_backend(|db| async move {
        let organ = db.organ("某区人民政府", None).await;
        let user = db.user("zhangsan", PW, organ.id).await;
        let sessions = db.store.sessions();
        let (token, session) = sessions
            .create(user.id, ip("10.0.0.1"), Some("Mozilla/5.0 (X11) 测试"))
            .await
            .unwrap();
        assert_eq!(token.expose().len(), 64);
        assert!(!format!("{token:?}").contains(token.expose()));
        assert!(!format!("{session:?}").contains(&session.csrf_token));
        assert_eq!(session.csrf_token.len(), 64);
        assert_ne!(session.id, token.expose(), "only the hash is stored");
        assert_eq!(session.expires_at, common::t0() + ABSOLUTE_TIMEOUT);

        // The raw token is not in the database.
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url)
            .await
            .unwrap();
        let stored: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(stored, vec![session.id.clone()]);

        let loaded = sessions.load(token.expose()).await.unwrap().unwrap();
        assert_eq!(loaded.user.id, user.id);
        assert_eq!(loaded.session.csrf_token, session.csrf_token);
        assert_eq!(
            loaded.session.user_agent.as_deref(),
            Some("Mozilla/5.0 (X11) 测试")
        );
        assert_eq!(loaded.session.ip, ip("10.0.0.1"));

        // Garbage tokens find nothing.
        for bad in ["", "abc", "'; DROP TABLE sessions; --", &"0".repeat(64)] {
            assert!(sessions.load(bad).await.unwrap().is_none(), "{bad}");
        }

        // last_seen_at is written at most once per TOUCH_INTERVAL.
        db.clock.advance(TOUCH_INTERVAL - Duration::seconds(1));
        let s = sessions.load(token.expose()).await.unwrap().unwrap();
        assert_eq!(s.session.last_seen_at, common::t0());
        db.clock.advance(Duration::seconds(1));
        let s = sessions.load(token.expose()).await.unwrap().unwrap();
        assert_eq!(s.session.last_seen_at, common::t0() + TOUCH_INTERVAL);

        // Idle just under the limit: still valid (and touched); then idle past it: gone.
        db.clock.advance(IDLE_TIMEOUT - Duration::seconds(1));
        assert!(sessions.load(token.expose()).await.unwrap().is_some());
        db.clock.advance(IDLE_TIMEOUT);
        assert!(sessions.load(token.expose()).await.unwrap().is_none());
        assert_eq!(db.count("sessions").await, 0, "expired session deleted");
    })
    .await;
}

#[tokio::test]
async fn sessions_absolute_expiry() {
    each_backend(|db| async move {
        let organ = db.organ("某区人民政府", None).await;
        let user = db.user("zhangsan", PW, organ.id).await;
        let sessions = db.store.sessions();
        let (token, _) = sessions.create(user.id, None, None).await.unwrap();
        // Active every 10 minutes: the idle timeout never strikes, the absolute one does.
        let step = Duration::minutes(10);
        let mut elapsed = Duration::zero();
        while elapsed + step < ABSOLUTE_TIMEOUT {
            db.clock.advance(step);
            elapsed += step;
            assert!(
                sessions.load(token.expose()).await.unwrap().is_some(),
                "after {elapsed}"
            );
        }
        db.clock.advance(ABSOLUTE_TIMEOUT - elapsed);
        assert!(sessions.load(token.expose()).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn password_change_and_deactivation_log_out_everywhere() {
    each_backend(|db| async move {
        let organ = db.organ("某区人民政府", None).await;
        let user = db.user("zhangsan", PW, organ.id).await;
        let other = db.user("lisi", PW, organ.id).await;
        let sessions = db.store.sessions();
        let (t1, _) = sessions
            .create(user.id, ip("10.0.0.1"), None)
            .await
            .unwrap();
        let (t2, _) = sessions
            .create(user.id, ip("10.0.0.2"), None)
            .await
            .unwrap();
        let (t3, _) = sessions.create(other.id, None, None).await.unwrap();
        assert_eq!(sessions.list_for_user(user.id).await.unwrap().len(), 2);

        db.clock.advance(Duration::minutes(1));
        db.store
            .users()
            .set_password(
                &gongkai_store::Actor::user(user.id, None),
                user.id,
                "Gongkai-2027y",
            )
            .await
            .unwrap();
        assert!(sessions.load(t1.expose()).await.unwrap().is_none());
        assert!(sessions.load(t2.expose()).await.unwrap().is_none());
        assert!(sessions.load(t3.expose()).await.unwrap().is_some());
        let audit = db
            .store
            .audit()
            .list(&AuditFilter {
                action: Some("user.set_password".into()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(
            audit.entries[0].after.as_ref().unwrap()["sessions_ended"],
            2
        );

        // Logout, logout everywhere.
        let (t4, _) = sessions.create(user.id, None, None).await.unwrap();
        let (t5, _) = sessions.create(user.id, None, None).await.unwrap();
        assert!(sessions.delete(t4.expose()).await.unwrap());
        assert!(!sessions.delete(t4.expose()).await.unwrap());
        assert!(sessions.load(t5.expose()).await.unwrap().is_some());
        assert_eq!(sessions.delete_all_for_user(user.id).await.unwrap(), 1);
        assert!(sessions.load(t5.expose()).await.unwrap().is_none());

        // Deactivation ends sessions; no new ones for an inactive user.
        db.store
            .users()
            .deactivate(&db.admin(), other.id)
            .await
            .unwrap();
        assert!(sessions.load(t3.expose()).await.unwrap().is_none());
        assert!(matches!(
            sessions.create(other.id, None, None).await.unwrap_err(),
            StoreError::AccountDisabled
        ));
        assert!(matches!(
            sessions.create(4242, None, None).await.unwrap_err(),
            StoreError::NotFound { .. }
        ));

        // Purge removes what has expired.
        sessions.create(user.id, None, None).await.unwrap();
        db.clock.advance(IDLE_TIMEOUT);
        assert_eq!(sessions.purge_expired().await.unwrap(), 1);
        assert_eq!(db.count("sessions").await, 0);
    })
    .await;
}
