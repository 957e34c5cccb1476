//! The annual report's storage (条例第四十九、五十条): one draft per organ and year, edits only in
//! draft and only from the version seen, draft → review → published with four eyes, frozen
//! numbered versions, a revision with its reason, audited writes — on SQLite and, when
//! configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::each_backend;
use gongkai_store::{Actor, FigureEntry, Narrative, ReportFigures, ReportStatus, StoreError};
use serde_json::json;

fn as_user(id: i64) -> Actor {
    Actor {
        user_id: Some(id),
        ip: None,
    }
}

#[tokio::test]
async fn a_report_goes_from_draft_through_review_to_frozen_versions() {
    each_backend(|db| async move {
        let organ = db.organ("某街道办事处", None).await;
        let writer = db.user("writer", "Writer-Pass-2026", organ.id).await;
        let reviewer = db.user("reviewer", "Review-Pass-2026", organ.id).await;
        let reports = db.store.annual_reports();

        // Opening twice gives the one draft.
        let r = reports
            .open(&as_user(writer.id), organ.id, 2025)
            .await
            .unwrap();
        let again = reports
            .open(&as_user(writer.id), organ.id, 2025)
            .await
            .unwrap();
        assert_eq!(r.id, again.id);
        assert_eq!(r.status, ReportStatus::Draft);
        assert!(r.narrative.is_empty());

        // Text and figures are saved from the version seen; a stale form writes nothing.
        let text = Narrative {
            overview: "（一）主动公开：……".into(),
            problems: "（一）存在的主要问题：……".into(),
            ..Narrative::default()
        };
        let r = reports
            .save_narrative(&as_user(writer.id), r.id, &text, r.version)
            .await
            .unwrap();
        assert_eq!(r.narrative, text);
        let stale = reports
            .save_narrative(
                &as_user(writer.id),
                r.id,
                &Narrative::default(),
                r.version - 1,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(stale, StoreError::StaleVersion { .. }),
            "{stale:?}"
        );

        let figures = ReportFigures {
            licensing: FigureEntry::new("12", "区政务服务平台"),
            penalty: FigureEntry::new("0", "无行政处罚权"),
            coercion: FigureEntry::new("0", "无行政强制权"),
            fees: FigureEntry::new("0.35", "财政非税系统"),
        };
        // A figure without its source is refused, with nothing written.
        let mut unsourced = figures.clone();
        unsourced.licensing.source.clear();
        let e = reports
            .save_figures(&as_user(writer.id), r.id, &unsourced, r.version)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("来源"), "{e}");
        let r = reports
            .save_figures(&as_user(writer.id), r.id, &figures, r.version)
            .await
            .unwrap();
        assert_eq!(r.figures, figures);

        let mut explanations = BTreeMap::new();
        explanations.insert(
            "X-CARRY@table3.carried_over.total".to_owned(),
            "上年报告有误".to_owned(),
        );
        explanations.insert("EMPTY".to_owned(), "   ".to_owned());
        let r = reports
            .save_explanations(&as_user(writer.id), r.id, &explanations, r.version)
            .await
            .unwrap();
        assert_eq!(r.explanations.len(), 1, "blank explanations are dropped");

        // Submitted: nothing can be edited until sent back.
        let r = reports
            .submit(&as_user(writer.id), r.id, r.version)
            .await
            .unwrap();
        assert_eq!(r.status, ReportStatus::InReview);
        assert_eq!(r.submitted_by, Some(writer.id));
        let e = reports
            .save_narrative(&as_user(writer.id), r.id, &text, r.version)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("审核中"), "{e}");

        // Four eyes: the submitter cannot publish.
        let snapshot = json!({"tables": {"year": 2025}, "marker": 1});
        let e = reports
            .publish(
                &as_user(writer.id),
                r.id,
                &snapshot,
                "2026-01-20".parse().unwrap(),
                r.version,
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains("另一位审核人"), "{e}");
        // Sent back with a note, then resubmitted and published by the reviewer.
        let e = reports
            .send_back(&as_user(reviewer.id), r.id, "  ", r.version)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("退回意见"), "{e}");
        let r = reports
            .send_back(&as_user(reviewer.id), r.id, "正文第五部分未写完", r.version)
            .await
            .unwrap();
        assert_eq!(r.status, ReportStatus::Draft);
        assert_eq!(r.review_note, "正文第五部分未写完");
        let r = reports
            .submit(&as_user(writer.id), r.id, r.version)
            .await
            .unwrap();
        let (r, v1) = reports
            .publish(
                &as_user(reviewer.id),
                r.id,
                &snapshot,
                "2026-01-20".parse().unwrap(),
                r.version,
            )
            .await
            .unwrap();
        assert_eq!(r.status, ReportStatus::Published);
        assert_eq!(v1.number, 1);
        assert_eq!(v1.reason, "");
        assert_eq!(v1.published_by, Some(reviewer.id));
        assert_eq!(v1.submitted_by, Some(writer.id));

        // Published: editing needs a revision with its reason.
        let e = reports
            .save_narrative(&as_user(writer.id), r.id, &text, r.version)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("更正"), "{e}");
        let e = reports
            .revise(&as_user(writer.id), r.id, "", r.version)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("更正原因"), "{e}");
        let r = reports
            .revise(
                &as_user(writer.id),
                r.id,
                "表三“结转下年度”少计 1 件",
                r.version,
            )
            .await
            .unwrap();
        assert_eq!(r.status, ReportStatus::Draft);
        let r = reports
            .submit(&as_user(writer.id), r.id, r.version)
            .await
            .unwrap();
        let snapshot2 = json!({"tables": {"year": 2025}, "marker": 2});
        let (_, v2) = reports
            .publish(
                &as_user(reviewer.id),
                r.id,
                &snapshot2,
                "2026-02-03".parse().unwrap(),
                r.version,
            )
            .await
            .unwrap();
        assert_eq!(v2.number, 2);
        assert_eq!(v2.reason, "表三“结转下年度”少计 1 件");

        // Both versions stay, each with its own frozen snapshot; the latest is version 2.
        let versions = reports.versions(r.id).await.unwrap();
        assert_eq!(
            versions.iter().map(|v| v.number).collect::<Vec<_>>(),
            vec![1, 2]
        );
        let (_, first) = reports.snapshot(r.id, 1).await.unwrap().unwrap();
        assert_eq!(first["marker"], 1);
        let latest = reports.latest_published(&[organ.id], 2025).await.unwrap();
        assert_eq!(latest[&organ.id].0.number, 2);
        assert_eq!(latest[&organ.id].1["marker"], 2);
        assert!(
            reports
                .latest_published(&[organ.id], 2024)
                .await
                .unwrap()
                .is_empty()
        );
        let list = reports.list(organ.id).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].latest.as_ref().unwrap().number, 2);

        // Every step is in the audit log.
        let actions: i64 = db.count("audit_log").await;
        assert!(actions >= 12, "{actions}");
    })
    .await;
}

#[tokio::test]
async fn a_report_cannot_be_opened_for_an_unknown_organ_or_a_silly_year() {
    each_backend(|db| async move {
        let organ = db.organ("某局", None).await;
        let reports = db.store.annual_reports();
        assert!(reports.open(&db.admin(), 999_999, 2025).await.is_err());
        let e = reports.open(&db.admin(), organ.id, 25).await.unwrap_err();
        assert!(e.to_string().contains("四位数字"), "{e}");
        assert!(reports.get(organ.id, 25).await.unwrap().is_none());
    })
    .await;
}
