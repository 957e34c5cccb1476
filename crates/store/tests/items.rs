//! Items of proactive disclosure (主动公开): the editorial workflow and its permissions, the
//! 索引号 (format, sequence, uniqueness under concurrency, imports), the Art 26 figures, the
//! public lists and the reference data — on SQLite and, when configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use common::{TestDb, credit_code, each_backend};
use gongkai_calendar::Calendar;
use gongkai_law::PublicationChannel as C;
use gongkai_law::{
    Art20Item, EditorialError, Genre, ItemState, PublicationChannel, SecrecyCheck, Validity,
    WithholdBasis,
};
use gongkai_store::{
    Actor, ApproveInput, AuditFilter, EditorialRights, ImportedItem, Item, ItemContent,
    NewAttachment, NewOrgan, Organ, OrganContact, OrganKind, PublicFilter, ReferenceKind,
    RevisionInput, Store, StoreError, ValidationError, WithholdInput,
};

const TOPIC: &str = "综合政务\\政务公开";
const OTHER_TOPIC: &str = "财政、金融、审计\\财政";

const WRITER: EditorialRights = EditorialRights {
    can_write: true,
    can_review: false,
};
const REVIEWER: EditorialRights = EditorialRights {
    can_write: true,
    can_review: true,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn today(db: &TestDb) -> NaiveDate {
    db.store.now().date_naive()
}

/// An organ with a credit code, two writers and two reviewers.
struct Office {
    organ: Organ,
    code: String,
    writer: Actor,
    writer2: Actor,
    reviewer: Actor,
    reviewer2: Actor,
}

async fn organ_with_code(db: &TestDb, name: &str, body: &str) -> Organ {
    db.store
        .organs()
        .create(
            &db.admin(),
            &NewOrgan {
                parent_id: None,
                name: name.to_owned(),
                credit_code: Some(credit_code(body)),
                kind: OrganKind::Department,
                contact: OrganContact::default(),
            },
        )
        .await
        .unwrap()
}

async fn office(db: &TestDb, prefix: &str, body: &str) -> Office {
    let organ = organ_with_code(db, &format!("{prefix}局"), body).await;
    let mut actors = Vec::new();
    for role in ["writer", "writer2", "reviewer", "reviewer2"] {
        let user = db
            .user(&format!("{prefix}.{role}"), "Gongkai-2026x", organ.id)
            .await;
        actors.push(Actor::user(user.id, None));
    }
    let [writer, writer2, reviewer, reviewer2]: [Actor; 4] = actors.try_into().unwrap();
    Office {
        code: organ.credit_code.as_ref().unwrap().as_str().to_owned(),
        organ,
        writer,
        writer2,
        reviewer,
        reviewer2,
    }
}

fn content(title: &str, formed_on: NaiveDate) -> ItemContent {
    ItemContent {
        department_id: None,
        title: title.to_owned(),
        summary: "内容概述".to_owned(),
        body_html: "<p>正文</p>".to_owned(),
        body_text: "正文".to_owned(),
        genre: Genre::WorkUpdate,
        topic: TOPIC.to_owned(),
        domain: None,
        art20_item: None,
        doc_no: None,
        keywords: String::new(),
        formed_on,
        validity: None,
        interprets_item_id: None,
        channels: vec![PublicationChannel::Column],
    }
}

fn document(title: &str, genre: Genre, formed_on: NaiveDate) -> ItemContent {
    ItemContent {
        genre,
        art20_item: Art20Item::new(1),
        doc_no: Some(format!("{title}〔2026〕1号")),
        validity: Some(Validity::Valid),
        ..content(title, formed_on)
    }
}

fn approval(published_on: NaiveDate) -> ApproveInput {
    ApproveInput {
        checks: SecrecyCheck::ALL.to_vec(),
        note: Some("同意发布".to_owned()),
        published_on,
    }
}

fn imported(c: ItemContent, published_on: NaiveDate, index_no: Option<String>) -> ImportedItem {
    ImportedItem {
        content: c,
        published_on,
        index_no,
    }
}

/// A draft by the office's writer, submitted for review.
async fn in_review(db: &TestDb, o: &Office, c: &ItemContent, cal: &Calendar) -> Item {
    let items = db.store.items();
    let item = items.create(&o.writer, o.organ.id, c, cal).await.unwrap();
    items.submit(&o.writer, item.id, WRITER).await.unwrap()
}

/// A draft taken through review and published on `on` by the office's reviewer.
async fn published(
    db: &TestDb,
    o: &Office,
    c: &ItemContent,
    on: NaiveDate,
    cal: &Calendar,
) -> Item {
    let item = in_review(db, o, c, cal).await;
    db.store
        .items()
        .approve(&o.reviewer, item.id, REVIEWER, &approval(on))
        .await
        .unwrap()
}

fn serial_of(index_no: &str) -> u32 {
    index_no.rsplit_once('-').unwrap().1.parse().unwrap()
}

async fn item_actions(store: &Store, item_id: i64) -> Vec<String> {
    let page = store
        .audit()
        .list(&AuditFilter {
            entity: Some("item".to_owned()),
            entity_id: Some(item_id.to_string()),
            limit: Some(500),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    // Newest first: reverse into the order of the steps.
    page.entries.into_iter().rev().map(|e| e.action).collect()
}

async fn audit_total(store: &Store) -> i64 {
    store
        .audit()
        .list(&AuditFilter::default())
        .await
        .unwrap()
        .total
}

async fn assert_chain_ok(store: &Store) {
    let report = store.verify_audit_chain().await.unwrap();
    assert!(report.is_ok(), "{report:?}");
}

fn public(organ_id: i64) -> PublicFilter {
    PublicFilter {
        organ_id: Some(organ_id),
        page: 1,
        per_page: 20,
        ..PublicFilter::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Workflow and permissions
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn draft_submit_approve_publishes_with_sequential_index_numbers_of_the_publication_year() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "seq", "11350100MB0000001").await;
        let items = db.store.items();
        let formed = d("2026-11-20");

        let draft = items
            .create(&o.writer, o.organ.id, &content("第一条", formed), &cal)
            .await
            .unwrap();
        assert_eq!(draft.state, ItemState::Draft);
        assert_eq!(draft.index_no, None);
        assert_eq!(draft.author_id, o.writer.user_id);
        assert_eq!(draft.version, 1);
        let submitted = items.submit(&o.writer, draft.id, WRITER).await.unwrap();
        assert_eq!(submitted.state, ItemState::InReview);
        // Only a reviewer publishes, and an unpublished item is not public.
        assert_eq!(
            items.list_public(&public(o.organ.id)).await.unwrap().total,
            0
        );

        let first = items
            .approve(&o.reviewer, draft.id, REVIEWER, &approval(today(&db)))
            .await
            .unwrap();
        assert_eq!(first.state, ItemState::Published);
        assert_eq!(first.index_no, Some(format!("{}/2026-00001", o.code)));
        assert_eq!(first.published_on, Some(d("2026-11-25")));
        assert_eq!(first.published_at, Some(common::t0()));
        assert_eq!(first.reviewer_id, o.reviewer.user_id);
        assert_eq!(first.secrecy_checks, SecrecyCheck::ALL.to_vec());
        assert_eq!(first.review_note.as_deref(), Some("同意发布"));
        assert_eq!(first.published_late(), Some(false));
        assert_eq!(items.get(first.id).await.unwrap().unwrap(), first);

        let second = published(&db, &o, &content("第二条", formed), today(&db), &cal).await;
        assert_eq!(second.index_no, Some(format!("{}/2026-00002", o.code)));

        // The year of the 索引号 is the year of the 发布日期, not of the 成文日期…
        let across = published(
            &db,
            &o,
            &content("跨年", d("2025-12-30")),
            d("2026-01-05"),
            &cal,
        )
        .await;
        assert_eq!(across.index_no, Some(format!("{}/2026-00003", o.code)));
        // …and every year has its own sequence.
        let last_year = published(
            &db,
            &o,
            &content("去年", d("2025-06-02")),
            d("2025-06-10"),
            &cal,
        )
        .await;
        assert_eq!(last_year.index_no, Some(format!("{}/2025-00001", o.code)));
        let page = items.list_public(&public(o.organ.id)).await.unwrap();
        assert_eq!(page.total, 4);
        assert_chain_ok(&db.store).await;
    })
    .await;
}

#[tokio::test]
async fn a_reviewer_cannot_approve_or_reject_their_own_item() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "own", "11350100MB0000002").await;
        let items = db.store.items();
        let own = items
            .create(
                &o.reviewer,
                o.organ.id,
                &content("自己写的", d("2026-11-20")),
                &cal,
            )
            .await
            .unwrap();
        items.submit(&o.reviewer, own.id, REVIEWER).await.unwrap();
        let before = items.get(own.id).await.unwrap().unwrap();
        let err = items
            .approve(&o.reviewer, own.id, REVIEWER, &approval(today(&db)))
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Editorial(EditorialError::OwnItem)),
            "{err:?}"
        );
        assert!(err.to_string().contains("不能审核自己撰写的信息"), "{err}");
        let err = items
            .reject(&o.reviewer, own.id, REVIEWER, "再改改")
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Editorial(EditorialError::OwnItem)),
            "{err:?}"
        );
        assert_eq!(items.get(own.id).await.unwrap().unwrap(), before);
        // Another reviewer may.
        let done = items
            .approve(&o.reviewer2, own.id, REVIEWER, &approval(today(&db)))
            .await
            .unwrap();
        assert_eq!(done.state, ItemState::Published);
        assert_eq!(done.reviewer_id, o.reviewer2.user_id);
    })
    .await;
}

#[tokio::test]
async fn a_writer_without_review_rights_cannot_approve_or_take_reviewer_steps() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "wr", "11350100MB0000003").await;
        let items = db.store.items();
        let item = in_review(&db, &o, &content("待审", d("2026-11-20")), &cal).await;
        // Neither the author nor another writer.
        for actor in [&o.writer, &o.writer2] {
            let err = items
                .approve(actor, item.id, WRITER, &approval(today(&db)))
                .await
                .unwrap_err();
            assert!(
                matches!(
                    err,
                    StoreError::Editorial(EditorialError::NotAReviewer { .. })
                ),
                "{err:?}"
            );
            assert!(err.to_string().contains("审核人"), "{err}");
        }
        let err = items
            .reject(&o.writer2, item.id, WRITER, "不行")
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::Editorial(EditorialError::NotAReviewer { .. })
        ));
        // A user with no editorial rights at all cannot even write.
        let nobody = EditorialRights {
            can_write: false,
            can_review: false,
        };
        let draft = items
            .create(
                &o.writer,
                o.organ.id,
                &content("草稿", d("2026-11-20")),
                &cal,
            )
            .await
            .unwrap();
        let err = items
            .submit(&o.writer2, draft.id, nobody)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Editorial(EditorialError::NotAWriter { .. })
            ),
            "{err:?}"
        );
        // A published item is revised, not edited; a writer may not revise it.
        let public_item = items
            .approve(&o.reviewer, item.id, REVIEWER, &approval(today(&db)))
            .await
            .unwrap();
        let err = items
            .edit(&o.writer, item.id, WRITER, &public_item.content, &cal)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Editorial(EditorialError::WrongState { .. })
            ),
            "{err:?}"
        );
        let err = items
            .revise(
                &o.writer,
                item.id,
                WRITER,
                &RevisionInput {
                    content: public_item.content.clone(),
                    reason: "改".to_owned(),
                },
                &cal,
            )
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::Editorial(EditorialError::NotAReviewer { .. })
        ));
        assert_eq!(items.get(item.id).await.unwrap().unwrap(), public_item);
    })
    .await;
}

#[tokio::test]
async fn approve_with_an_incomplete_secrecy_checklist_is_refused_naming_the_missing_points() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "chk", "11350100MB0000004").await;
        let items = db.store.items();
        let item = in_review(&db, &o, &content("待审", d("2026-11-20")), &cal).await;
        let audit_before = audit_total(&db.store).await;
        let checks = vec![
            SecrecyCheck::NoStateSecret,
            SecrecyCheck::NoSecurityRisk,
            SecrecyCheck::NoPrivacyOrConsent,
            SecrecyCheck::NotInternalOrProcess,
        ];
        let err = items
            .approve(
                &o.reviewer,
                item.id,
                REVIEWER,
                &ApproveInput {
                    checks,
                    note: None,
                    published_on: today(&db),
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Rule(_)), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("保密审查未完成"), "{msg}");
        assert!(
            msg.contains(SecrecyCheck::PersonalDataRemoved.label()),
            "{msg}"
        );
        assert!(
            msg.contains(SecrecyCheck::AccurateAndConsistent.label()),
            "{msg}"
        );
        assert!(!msg.contains(SecrecyCheck::NoStateSecret.label()), "{msg}");
        // An empty checklist names all six.
        let err = items
            .approve(
                &o.reviewer,
                item.id,
                REVIEWER,
                &ApproveInput {
                    checks: Vec::new(),
                    note: None,
                    published_on: today(&db),
                },
            )
            .await
            .unwrap_err();
        for c in SecrecyCheck::ALL {
            assert!(err.to_string().contains(c.label()), "{err}");
        }
        // Nothing changed: same item, no audit entry, no 索引号 taken.
        assert_eq!(items.get(item.id).await.unwrap().unwrap(), item);
        assert_eq!(audit_total(&db.store).await, audit_before);
        let done = items
            .approve(&o.reviewer, item.id, REVIEWER, &approval(today(&db)))
            .await
            .unwrap();
        assert_eq!(done.index_no, Some(format!("{}/2026-00001", o.code)));
    })
    .await;
}

#[tokio::test]
async fn reject_needs_a_reason_and_returns_the_item_to_draft_with_it() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "rej", "11350100MB0000005").await;
        let items = db.store.items();
        let item = in_review(&db, &o, &content("待审", d("2026-11-20")), &cal).await;
        let err = items
            .reject(&o.reviewer, item.id, REVIEWER, "   ")
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ValidationError::Empty { .. })),
            "{err:?}"
        );
        assert!(err.to_string().contains("退回理由"), "{err}");
        assert_eq!(items.get(item.id).await.unwrap().unwrap(), item);

        let back = items
            .reject(&o.reviewer, item.id, REVIEWER, "  请补充文号  ")
            .await
            .unwrap();
        assert_eq!(back.state, ItemState::Draft);
        assert_eq!(back.review_note.as_deref(), Some("请补充文号"));
        assert_eq!(back.reviewer_id, o.reviewer.user_id);
        assert_eq!(back.index_no, None);
        // A draft cannot be approved; the author edits and submits again.
        let err = items
            .approve(&o.reviewer, item.id, REVIEWER, &approval(today(&db)))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Editorial(EditorialError::WrongState { .. })
            ),
            "{err:?}"
        );
        let mut fixed = item.content.clone();
        fixed.doc_no = Some("某发〔2026〕3号".to_owned());
        let edited = items
            .edit(&o.writer, item.id, WRITER, &fixed, &cal)
            .await
            .unwrap();
        assert_eq!(edited.content.doc_no.as_deref(), Some("某发〔2026〕3号"));
        items.submit(&o.writer, item.id, WRITER).await.unwrap();
        let done = items
            .approve(&o.reviewer, item.id, REVIEWER, &approval(today(&db)))
            .await
            .unwrap();
        assert_eq!(done.state, ItemState::Published);
        assert_eq!(
            item_actions(&db.store, item.id).await,
            [
                "item.create",
                "item.submit",
                "item.reject",
                "item.edit",
                "item.submit",
                "item.publish"
            ]
        );
        assert_chain_ok(&db.store).await;
    })
    .await;
}

#[tokio::test]
async fn withhold_needs_a_future_rereview_date_and_comes_due_then_release_sends_it_back_to_review()
{
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "wh", "11350100MB0000006").await;
        let items = db.store.items();
        let item = in_review(&db, &o, &content("涉及第三方", d("2026-11-20")), &cal).await;
        let input = |rereview_on: NaiveDate| WithholdInput {
            basis: WithholdBasis::ThirdPartyRights,
            reason: "涉及个人隐私，权利人不同意公开".to_owned(),
            rereview_on,
        };
        for bad in [today(&db), today(&db) - Duration::days(1)] {
            let err = items
                .withhold(&o.reviewer, item.id, REVIEWER, &input(bad))
                .await
                .unwrap_err();
            assert!(matches!(err, StoreError::Rule(_)), "{err:?}");
            assert!(err.to_string().contains("复查日期应晚于今天"), "{err}");
        }
        let err = items
            .withhold(
                &o.reviewer,
                item.id,
                REVIEWER,
                &WithholdInput {
                    reason: String::new(),
                    ..input(d("2027-05-25"))
                },
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("不予公开理由"), "{err}");
        assert_eq!(items.get(item.id).await.unwrap().unwrap(), item);

        let rereview_on = d("2026-12-25");
        let held = items
            .withhold(&o.reviewer, item.id, REVIEWER, &input(rereview_on))
            .await
            .unwrap();
        assert_eq!(held.state, ItemState::Withheld);
        assert_eq!(held.withhold_basis, Some(WithholdBasis::ThirdPartyRights));
        assert_eq!(held.rereview_on, Some(rereview_on));
        assert_eq!(
            held.review_note.as_deref(),
            Some("涉及个人隐私，权利人不同意公开")
        );
        assert_eq!(held.index_no, None);
        assert_eq!(
            items.list_public(&public(o.organ.id)).await.unwrap().total,
            0
        );

        // Not due yet…
        assert!(
            items
                .rereview_due(o.organ.id, today(&db))
                .await
                .unwrap()
                .is_empty()
        );
        db.clock.advance(Duration::days(29));
        assert!(
            items
                .rereview_due(o.organ.id, today(&db))
                .await
                .unwrap()
                .is_empty()
        );
        // …due on the day.
        db.clock.advance(Duration::days(1));
        assert_eq!(today(&db), rereview_on);
        let due = items.rereview_due(o.organ.id, today(&db)).await.unwrap();
        assert_eq!(due.iter().map(|i| i.id).collect::<Vec<_>>(), [item.id]);
        assert_eq!(due[0].state, ItemState::Withheld);

        // Still withheld for now: the next re-review date must be in the future.
        let err = items
            .keep_withheld(&o.reviewer, item.id, REVIEWER, today(&db), "仍不宜公开")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Rule(_)), "{err:?}");
        let kept = items
            .keep_withheld(
                &o.reviewer,
                item.id,
                REVIEWER,
                d("2027-01-25"),
                "仍不宜公开",
            )
            .await
            .unwrap();
        assert_eq!(kept.state, ItemState::Withheld);
        assert_eq!(kept.rereview_on, Some(d("2027-01-25")));
        assert!(
            items
                .rereview_due(o.organ.id, today(&db))
                .await
                .unwrap()
                .is_empty()
        );

        // Release: back to review, with the releasing reviewer as the one who may not approve.
        let err = items
            .release(&o.writer, item.id, WRITER, "权利人已同意")
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::Editorial(EditorialError::NotAReviewer { .. })
        ));
        let released = items
            .release(&o.reviewer, item.id, REVIEWER, "权利人已同意公开")
            .await
            .unwrap();
        assert_eq!(released.state, ItemState::InReview);
        assert_eq!(released.rereview_on, None);
        assert_eq!(released.review_note.as_deref(), Some("权利人已同意公开"));
        let err = items
            .approve(&o.reviewer, item.id, REVIEWER, &approval(today(&db)))
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Editorial(EditorialError::OwnItem)),
            "{err:?}"
        );
        let done = items
            .approve(&o.reviewer2, item.id, REVIEWER, &approval(today(&db)))
            .await
            .unwrap();
        assert_eq!(done.state, ItemState::Published);
        assert_eq!(done.index_no, Some(format!("{}/2026-00001", o.code)));
        assert_eq!(
            item_actions(&db.store, item.id).await,
            [
                "item.create",
                "item.submit",
                "item.withhold",
                "item.keep_withheld",
                "item.release",
                "item.publish"
            ]
        );
        assert_chain_ok(&db.store).await;
    })
    .await;
}

#[tokio::test]
async fn revising_a_published_item_adds_a_version_and_keeps_its_index_number() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "rev", "11350100MB0000007").await;
        let items = db.store.items();
        let first = published(
            &db,
            &o,
            &content("原标题", d("2026-11-20")),
            today(&db),
            &cal,
        )
        .await;
        db.clock.advance(Duration::days(2));

        let mut changed = first.content.clone();
        changed.title = "更正后的标题".to_owned();
        let err = items
            .revise(
                &o.reviewer,
                first.id,
                REVIEWER,
                &RevisionInput {
                    content: changed.clone(),
                    reason: " ".to_owned(),
                },
                &cal,
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("修订说明"), "{err}");
        // Revising is a reviewer's step (the 信息公开专员 who publishes corrections).
        let revised = items
            .revise(
                &o.reviewer,
                first.id,
                REVIEWER,
                &RevisionInput {
                    content: changed,
                    reason: "更正标题错字".to_owned(),
                },
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(revised.version, 2);
        assert_eq!(revised.content.title, "更正后的标题");
        assert_eq!(revised.index_no, first.index_no);
        assert_eq!(revised.published_on, first.published_on);
        assert_eq!(revised.state, ItemState::Published);

        let versions = items.versions(first.id).await.unwrap();
        assert_eq!(
            versions
                .iter()
                .map(|v| (v.version, v.reason.as_str()))
                .collect::<Vec<_>>(),
            [(2, "更正标题错字"), (1, "首次发布")]
        );
        assert_eq!(versions[0].snapshot["content"]["title"], "更正后的标题");
        assert_eq!(versions[1].snapshot["content"]["title"], "原标题");
        assert_eq!(versions[0].changed_by, o.reviewer.user_id);
        assert_eq!(versions[0].changed_at, common::t0() + Duration::days(2));
        assert_eq!(versions[1].changed_at, common::t0());
        // The public list shows the current version once.
        let page = items.list_public(&public(o.organ.id)).await.unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.items[0].title, "更正后的标题");
        assert_eq!(page.items[0].index_no, first.index_no);
    })
    .await;
}

#[tokio::test]
async fn withdraw_removes_from_the_public_list_and_repeal_keeps_it_public_and_marked() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "wd", "11350100MB0000008").await;
        let items = db.store.items();
        let doc = published(
            &db,
            &o,
            &document("某规范性文件", Genre::NormativeDocument, d("2026-11-20")),
            today(&db),
            &cal,
        )
        .await;
        let news = published(
            &db,
            &o,
            &content("工作动态", d("2026-11-20")),
            today(&db),
            &cal,
        )
        .await;
        assert_eq!(
            items.list_public(&public(o.organ.id)).await.unwrap().total,
            2
        );

        // 废止: still public, marked.
        let err = items
            .change_validity(
                &o.reviewer,
                doc.id,
                REVIEWER,
                Validity::Repealed,
                today(&db),
                "",
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("变更理由"), "{err}");
        let repealed = items
            .change_validity(
                &o.reviewer,
                doc.id,
                REVIEWER,
                Validity::Repealed,
                d("2026-12-01"),
                "被新文件替代",
            )
            .await
            .unwrap();
        assert_eq!(repealed.state, ItemState::Published);
        assert_eq!(repealed.content.validity, Some(Validity::Repealed));
        assert_eq!(repealed.validity_changed_on, Some(d("2026-12-01")));
        assert_eq!(repealed.validity_reason.as_deref(), Some("被新文件替代"));
        assert_eq!(repealed.index_no, doc.index_no);
        let page = items.list_public(&public(o.organ.id)).await.unwrap();
        assert_eq!(page.total, 2);
        let line = page.items.iter().find(|i| i.id == doc.id).unwrap();
        assert_eq!(line.validity, Some(Validity::Repealed));

        // 撤回: gone from the public list, reason and date kept, no step afterwards.
        let err = items
            .withdraw(&o.writer, news.id, WRITER, "内容有误", today(&db))
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::Editorial(EditorialError::NotAReviewer { .. })
        ));
        let withdrawn = items
            .withdraw(&o.reviewer, news.id, REVIEWER, "内容有误", today(&db))
            .await
            .unwrap();
        assert_eq!(withdrawn.state, ItemState::Withdrawn);
        assert_eq!(withdrawn.withdrawn_on, Some(today(&db)));
        assert_eq!(withdrawn.review_note.as_deref(), Some("内容有误"));
        assert_eq!(
            withdrawn.index_no, news.index_no,
            "a 索引号 is never reused"
        );
        let page = items.list_public(&public(o.organ.id)).await.unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(
            page.items.iter().map(|i| i.id).collect::<Vec<_>>(),
            [doc.id]
        );
        let err = items
            .revise(
                &o.reviewer,
                news.id,
                REVIEWER,
                &RevisionInput {
                    content: news.content.clone(),
                    reason: "再发".to_owned(),
                },
                &cal,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Editorial(EditorialError::WrongState { .. })
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("已撤回"), "{err}");
        // The next publication gets a new number; the withdrawn one stays taken.
        let third = published(
            &db,
            &o,
            &content("第三条", d("2026-11-20")),
            today(&db),
            &cal,
        )
        .await;
        assert_eq!(third.index_no, Some(format!("{}/2026-00003", o.code)));
    })
    .await;
}

#[tokio::test]
async fn every_workflow_step_writes_an_audit_entry_and_the_chain_verifies() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "aud", "11350100MB0000009").await;
        let items = db.store.items();
        let c = document("全流程", Genre::NormativeDocument, d("2026-11-20"));
        let item = items.create(&o.writer, o.organ.id, &c, &cal).await.unwrap();
        let mut edited = c.clone();
        edited.summary = "新的概述".to_owned();
        items
            .edit(&o.writer, item.id, WRITER, &edited, &cal)
            .await
            .unwrap();
        items.submit(&o.writer, item.id, WRITER).await.unwrap();
        items
            .reject(&o.reviewer, item.id, REVIEWER, "请修改")
            .await
            .unwrap();
        items.submit(&o.writer, item.id, WRITER).await.unwrap();
        items
            .approve(&o.reviewer, item.id, REVIEWER, &approval(today(&db)))
            .await
            .unwrap();
        let attachment = items
            .add_attachment(
                &o.reviewer,
                item.id,
                REVIEWER,
                &NewAttachment {
                    file_name: "附件1.pdf".to_owned(),
                    media_type: "application/pdf".to_owned(),
                    sha256: "ab".repeat(32),
                    size_bytes: 1234,
                    text: "附件正文".to_owned(),
                },
            )
            .await
            .unwrap();
        let mut revised = edited.clone();
        revised.body_text = "修订后的正文".to_owned();
        items
            .revise(
                &o.reviewer,
                item.id,
                REVIEWER,
                &RevisionInput {
                    content: revised,
                    reason: "补充内容".to_owned(),
                },
                &cal,
            )
            .await
            .unwrap();
        items
            .change_validity(
                &o.reviewer,
                item.id,
                REVIEWER,
                Validity::Expired,
                today(&db),
                "到期",
            )
            .await
            .unwrap();
        items
            .withdraw(&o.reviewer, item.id, REVIEWER, "误发", today(&db))
            .await
            .unwrap();

        assert_eq!(
            item_actions(&db.store, item.id).await,
            [
                "item.create",
                "item.edit",
                "item.submit",
                "item.reject",
                "item.submit",
                "item.publish",
                "item.attach",
                "item.revise",
                "item.validity",
                "item.withdraw",
            ]
        );
        let page = db
            .store
            .audit()
            .list(&AuditFilter {
                entity: Some("item".to_owned()),
                entity_id: Some(item.id.to_string()),
                action: Some("item.publish".to_owned()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        let publish = &page.entries[0];
        assert_eq!(publish.actor_user_id, o.reviewer.user_id);
        assert_eq!(publish.organ_id, Some(o.organ.id));
        assert_eq!(publish.before.as_ref().unwrap()["state"], "in_review");
        let after = publish.after.as_ref().unwrap();
        assert_eq!(after["state"], "published");
        assert_eq!(after["index_no"], format!("{}/2026-00001", o.code));
        assert_eq!(items.attachments(item.id).await.unwrap()[0].id, attachment);
        assert_chain_ok(&db.store).await;
    })
    .await;
}

#[tokio::test]
async fn publishing_without_a_credit_code_on_the_organ_is_refused() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let organ = db.organ("无代码局", None).await;
        let writer = Actor::user(
            db.user("nocode.writer", "Gongkai-2026x", organ.id).await.id,
            None,
        );
        let reviewer = Actor::user(
            db.user("nocode.reviewer", "Gongkai-2026x", organ.id)
                .await
                .id,
            None,
        );
        let items = db.store.items();
        let item = items
            .create(&writer, organ.id, &content("待发布", d("2026-11-20")), &cal)
            .await
            .unwrap();
        let item = items.submit(&writer, item.id, WRITER).await.unwrap();
        let err = items
            .approve(&reviewer, item.id, REVIEWER, &approval(today(&db)))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::NoCreditCode(name) if name == "无代码局"),
            "{err:?}"
        );
        let msg = err.to_string();
        assert!(
            msg.contains("统一社会信用代码") && msg.contains("无代码局"),
            "{msg}"
        );
        assert!(!err.is_internal());
        assert_eq!(items.get(item.id).await.unwrap().unwrap(), item);
        // An import that needs a new number is refused too, and leaves nothing behind.
        let err = items
            .import(
                &db.admin(),
                organ.id,
                &[imported(
                    content("旧信息", d("2026-01-05")),
                    d("2026-01-06"),
                    None,
                )],
                "台账.xlsx",
                &cal,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NoCreditCode(_)), "{err:?}");
        assert_eq!(db.count("items").await, 1);
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// 索引号 under concurrency
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_approvals_get_distinct_gapless_index_numbers() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "conc", "11350100MB0000010").await;
        let mut ids = Vec::new();
        for n in 0..20 {
            let item = in_review(
                &db,
                &o,
                &content(&format!("并发{n}"), d("2026-11-20")),
                &cal,
            )
            .await;
            ids.push(item.id);
        }
        // Half of the tasks use a second pool, like a second server process: on SQLite they
        // meet at BEGIN IMMEDIATE + busy_timeout instead of the in-process queue.
        let second = db.another_store().await;
        let published_on = today(&db);
        let mut tasks = Vec::new();
        for (t, chunk) in ids.chunks(2).enumerate() {
            let store = if t % 2 == 0 {
                db.store.clone()
            } else {
                second.clone()
            };
            let reviewer = if t % 3 == 0 {
                o.reviewer.clone()
            } else {
                o.reviewer2.clone()
            };
            let chunk = chunk.to_vec();
            tasks.push(tokio::spawn(async move {
                let mut out = Vec::new();
                for id in chunk {
                    let result = store
                        .items()
                        .approve(&reviewer, id, REVIEWER, &approval(published_on))
                        .await;
                    out.push((id, result));
                }
                out
            }));
        }
        let mut numbers = BTreeSet::new();
        for task in tasks {
            for (id, result) in task.await.unwrap() {
                let item = result.unwrap_or_else(|e| panic!("approving {id}: {e:?}"));
                assert_eq!(item.state, ItemState::Published);
                numbers.insert(item.index_no.unwrap());
            }
        }
        assert_eq!(numbers.len(), 20);
        let serials: BTreeSet<u32> = numbers.iter().map(|n| serial_of(n)).collect();
        assert_eq!(serials, (1..=20).collect::<BTreeSet<u32>>());
        for n in &numbers {
            assert!(n.starts_with(&format!("{}/2026-", o.code)), "{n}");
        }
        // The stored rows agree with what the calls returned.
        let page = db
            .store
            .items()
            .list_public(&PublicFilter {
                per_page: 100,
                ..public(o.organ.id)
            })
            .await
            .unwrap();
        let stored: BTreeSet<String> = page.items.into_iter().filter_map(|i| i.index_no).collect();
        assert_eq!(stored, numbers);
        assert_chain_ok(&db.store).await;
        second.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_reviewers_approving_the_same_item_at_once_publish_it_only_once() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "twice", "11350100MB0000011").await;
        let second = db.another_store().await;
        let published_on = today(&db);
        for round in 0..8 {
            let item = in_review(
                &db,
                &o,
                &content(&format!("同时审核{round}"), d("2026-11-20")),
                &cal,
            )
            .await;
            let a = {
                let (store, reviewer) = (db.store.clone(), o.reviewer.clone());
                tokio::spawn(async move {
                    store
                        .items()
                        .approve(&reviewer, item.id, REVIEWER, &approval(published_on))
                        .await
                })
            };
            let b = {
                let (store, reviewer) = (second.clone(), o.reviewer2.clone());
                tokio::spawn(async move {
                    store
                        .items()
                        .approve(&reviewer, item.id, REVIEWER, &approval(published_on))
                        .await
                })
            };
            let results = [a.await.unwrap(), b.await.unwrap()];
            let ok: Vec<&Item> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
            assert_eq!(ok.len(), 1, "round {round}: {results:?}");
            for r in &results {
                if let Err(e) = r {
                    assert!(
                        matches!(e, StoreError::Editorial(EditorialError::WrongState { .. })),
                        "round {round}: {e:?}"
                    );
                }
            }
            // One publication, one number, one version, one audit entry.
            let stored = db.store.items().get(item.id).await.unwrap().unwrap();
            assert_eq!(stored.index_no, ok[0].index_no);
            assert_eq!(
                stored.index_no,
                Some(format!("{}/2026-{:05}", o.code, round + 1)),
                "round {round}: no serial burnt"
            );
            assert_eq!(db.store.items().versions(item.id).await.unwrap().len(), 1);
            let publishes = item_actions(&db.store, item.id)
                .await
                .into_iter()
                .filter(|a| a == "item.publish")
                .count();
            assert_eq!(publishes, 1);
        }
        assert_chain_ok(&db.store).await;
        second.close().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Art 26 figures
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_item_formed_on_2025_01_20_is_due_on_2025_02_21_across_the_spring_festival() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "due", "11350100MB0000012").await;
        let item = db
            .store
            .items()
            .create(
                &o.writer,
                o.organ.id,
                &content("春节前成文", d("2025-01-20")),
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(item.due_on, d("2025-02-21"));
        // Editing the 成文日期 moves the due date.
        let mut c = item.content.clone();
        c.formed_on = d("2025-01-21");
        let edited = db
            .store
            .items()
            .edit(&o.writer, item.id, WRITER, &c, &cal)
            .await
            .unwrap();
        assert_eq!(edited.due_on, d("2025-02-24"));
        // A date the calendar does not cover is refused, not guessed.
        let err = db
            .store
            .items()
            .create(
                &o.writer,
                o.organ.id,
                &content("远期", d("2031-01-20")),
                &cal,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Calendar(_)), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn timeliness_counts_on_time_and_late_items_and_channel_counts_count_each_channel() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "tl", "11350100MB0000013").await;
        let other = office(&db, "tlx", "11350100MB0000014").await;
        let items = db.store.items();
        let with_channels =
            |title: &str, formed: &str, channels: &[PublicationChannel]| ItemContent {
                channels: channels.to_vec(),
                ..content(title, d(formed))
            };
        let batch = [
            // Due 2025-02-21: published on the due date is on time…
            imported(
                with_channels("当天", "2025-01-20", &[C::Column, C::Newspaper]),
                d("2025-02-21"),
                None,
            ),
            // …the next working day is late.
            imported(
                with_channels("迟了", "2025-01-20", &[C::Column]),
                d("2025-02-24"),
                None,
            ),
            imported(
                with_channels("很快", "2025-03-03", &[C::WechatAccount, C::Column]),
                d("2025-03-04"),
                None,
            ),
            // Another year.
            imported(
                with_channels("去年", "2024-05-06", &[C::Weibo]),
                d("2024-07-30"),
                None,
            ),
        ];
        let ids = items
            .import(&db.admin(), o.organ.id, &batch, "台账.xlsx", &cal)
            .await
            .unwrap();
        assert_eq!(ids.len(), 4);
        let first = items.get(ids[0]).await.unwrap().unwrap();
        assert_eq!(first.due_on, d("2025-02-21"));
        assert_eq!(first.published_late(), Some(false));
        assert_eq!(
            items.get(ids[1]).await.unwrap().unwrap().published_late(),
            Some(true)
        );
        // Another organ's late item does not count here.
        items
            .import(
                &db.admin(),
                other.organ.id,
                &[imported(
                    content("别家", d("2025-01-02")),
                    d("2025-06-30"),
                    None,
                )],
                "台账.xlsx",
                &cal,
            )
            .await
            .unwrap();
        // A withdrawn item was still published that year.
        items
            .withdraw(&o.reviewer, ids[2], REVIEWER, "过时", d("2025-05-01"))
            .await
            .unwrap();

        let tally = items.timeliness(o.organ.id, 2025).await.unwrap();
        assert_eq!((tally.published, tally.on_time, tally.late()), (3, 2, 1));
        assert_eq!(tally.on_time_per_mille(), Some(666));
        let tally = items.timeliness(o.organ.id, 2024).await.unwrap();
        assert_eq!((tally.published, tally.on_time), (1, 0));
        let tally = items.timeliness(o.organ.id, 2023).await.unwrap();
        assert_eq!((tally.published, tally.on_time_per_mille()), (0, None));
        let tally = items.timeliness(other.organ.id, 2025).await.unwrap();
        assert_eq!((tally.published, tally.on_time), (1, 0));

        assert_eq!(
            items.channel_counts(o.organ.id, 2025).await.unwrap(),
            [(C::Column, 3), (C::Newspaper, 1), (C::WechatAccount, 1)]
        );
        assert_eq!(
            items.channel_counts(o.organ.id, 2024).await.unwrap(),
            [(C::Weibo, 1)]
        );
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Imports
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_import_with_one_bad_item_imports_nothing_and_takes_no_index_number() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "imp", "11350100MB0000015").await;
        let items = db.store.items();
        let audit_before = audit_total(&db.store).await;
        let mut bad = content("坏的", d("2026-03-02"));
        bad.topic = "不存在\\的主题".to_owned();
        let batch = [
            imported(content("好1", d("2026-03-02")), d("2026-03-03"), None),
            imported(content("好2", d("2026-03-02")), d("2026-03-04"), None),
            imported(content("好3", d("2026-03-02")), d("2026-03-05"), None),
            imported(bad, d("2026-03-06"), None),
        ];
        let err = items
            .import(&db.admin(), o.organ.id, &batch, "台账.xlsx", &cal)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Invalid(ValidationError::UnknownReferenceTerm { .. })
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("不存在\\的主题"), "{err}");
        assert_eq!(
            items.list_public(&public(o.organ.id)).await.unwrap().total,
            0
        );
        assert_eq!(db.count("items").await, 0);
        assert_eq!(db.count("item_versions").await, 0);
        assert_eq!(db.count("item_channels").await, 0);
        assert_eq!(audit_total(&db.store).await, audit_before);
        // The counter did not move.
        let first = published(
            &db,
            &o,
            &content("首条", d("2026-11-20")),
            d("2026-11-25"),
            &cal,
        )
        .await;
        assert_eq!(first.index_no, Some(format!("{}/2026-00001", o.code)));
        // A publication date before the 成文日期 is refused too.
        let err = items
            .import(
                &db.admin(),
                o.organ.id,
                &[imported(
                    content("倒序", d("2026-03-02")),
                    d("2026-03-01"),
                    None,
                )],
                "台账.xlsx",
                &cal,
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("早于成文日期"), "{err}");

        // A good batch: one audit entry for all of it.
        let ids = items
            .import(&db.admin(), o.organ.id, &batch[..3], "台账.xlsx", &cal)
            .await
            .unwrap();
        assert_eq!(ids.len(), 3);
        let numbers: Vec<String> = {
            let mut v = Vec::new();
            for id in &ids {
                let item = items.get(*id).await.unwrap().unwrap();
                assert_eq!(item.state, ItemState::Published);
                assert_eq!(item.version, 1);
                v.push(item.index_no.unwrap());
            }
            v
        };
        assert_eq!(
            numbers,
            [2, 3, 4].map(|n| format!("{}/2026-{n:05}", o.code))
        );
        let page = db
            .store
            .audit()
            .list(&AuditFilter {
                action: Some("item.import".to_owned()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(page.total, 1);
        let after = page.entries[0].after.as_ref().unwrap();
        assert_eq!(after["count"], 3);
        assert_eq!(after["source"], "台账.xlsx");
        assert_eq!(items.versions(ids[0]).await.unwrap()[0].reason, "导入");
        assert_chain_ok(&db.store).await;
    })
    .await;
}

#[tokio::test]
async fn an_imported_index_number_of_the_organ_moves_the_counter_past_it() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "adopt", "11350100MB0000016").await;
        let other = office(&db, "adopt2", "11350100MB0000017").await;
        let items = db.store.items();
        let kept = format!("{}/2026-00007", o.code);
        let ids = items
            .import(
                &db.admin(),
                o.organ.id,
                &[
                    imported(
                        content("旧1", d("2026-02-02")),
                        d("2026-02-03"),
                        Some(format!(" {kept} ")),
                    ),
                    imported(content("旧2", d("2026-02-02")), d("2026-02-04"), None),
                    // A lower serial does not move the counter back.
                    imported(
                        content("旧3", d("2026-02-02")),
                        d("2026-02-05"),
                        Some(format!("{}/2026-00003", o.code)),
                    ),
                    // Another organ's number is kept as it is but moves nothing here.
                    imported(
                        content("旧4", d("2026-02-02")),
                        d("2026-02-06"),
                        Some(format!("{}/2026-00050", other.code)),
                    ),
                    // A number of another year moves that year's counter.
                    imported(
                        content("旧5", d("2025-02-03")),
                        d("2025-02-05"),
                        Some(format!("{}/2025-00012", o.code)),
                    ),
                ],
                "台账.xlsx",
                &cal,
            )
            .await
            .unwrap();
        let numbers: Vec<Option<String>> = {
            let mut v = Vec::new();
            for id in &ids {
                v.push(items.get(*id).await.unwrap().unwrap().index_no);
            }
            v
        };
        assert_eq!(
            numbers,
            [
                Some(kept.clone()),
                Some(format!("{}/2026-00008", o.code)),
                Some(format!("{}/2026-00003", o.code)),
                Some(format!("{}/2026-00050", other.code)),
                Some(format!("{}/2025-00012", o.code)),
            ]
        );
        let next = published(&db, &o, &content("新1", d("2026-11-20")), today(&db), &cal).await;
        assert_eq!(next.index_no, Some(format!("{}/2026-00009", o.code)));
        let last_year = published(
            &db,
            &o,
            &content("补发", d("2025-03-03")),
            d("2025-03-04"),
            &cal,
        )
        .await;
        assert_eq!(last_year.index_no, Some(format!("{}/2025-00013", o.code)));
        // A number of another organ imported here moves THAT organ's counter past it: its own
        // next publication must not collide with the imported number.
        let theirs = published(
            &db,
            &other,
            &content("别家", d("2026-11-20")),
            today(&db),
            &cal,
        )
        .await;
        assert_eq!(theirs.index_no, Some(format!("{}/2026-00051", other.code)));

        // A duplicate 索引号 is refused and the batch leaves nothing behind.
        let before = db.count("items").await;
        let err = items
            .import(
                &db.admin(),
                o.organ.id,
                &[
                    imported(content("新的", d("2026-02-02")), d("2026-02-03"), None),
                    imported(
                        content("重号", d("2026-02-02")),
                        d("2026-02-03"),
                        Some(kept.clone()),
                    ),
                ],
                "台账.xlsx",
                &cal,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Rule(_)), "{err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains(&kept) && msg.contains("已被另一条信息使用"),
            "{msg}"
        );
        assert_eq!(db.count("items").await, before);
        // A malformed 索引号 is refused with the expected form.
        for bad in [
            "没有斜杠",
            "ABC/2026",
            "ABC/2026-0",
            "ABC/2026-100000",
            "/2026-00001",
        ] {
            let err = items
                .import(
                    &db.admin(),
                    o.organ.id,
                    &[imported(
                        content("格式", d("2026-02-02")),
                        d("2026-02-03"),
                        Some(bad.to_owned()),
                    )],
                    "台账.xlsx",
                    &cal,
                )
                .await
                .unwrap_err();
            assert!(err.to_string().contains("索引号“"), "{bad}: {err}");
            assert!(err.to_string().contains("格式不对"), "{bad}: {err}");
        }
        assert_eq!(db.count("items").await, before);
        let again = published(&db, &o, &content("新2", d("2026-11-20")), today(&db), &cal).await;
        assert_eq!(again.index_no, Some(format!("{}/2026-00010", o.code)));
        assert_chain_ok(&db.store).await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Public lists
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_public_filters_by_art20_item_topic_genre_and_year_and_pages_with_totals() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "lst", "11350100MB0000018").await;
        let other = office(&db, "lsty", "11350100MB0000019").await;
        let items = db.store.items();
        let mut batch = Vec::new();
        for n in 1..=5 {
            batch.push(imported(
                content(&format!("动态{n}"), d("2025-04-01")),
                d(&format!("2025-04-{:02}", n + 1)),
                None,
            ));
        }
        for n in 1..=2 {
            let mut c = document(
                &format!("规范{n}"),
                Genre::NormativeDocument,
                d("2026-03-02"),
            );
            c.topic = OTHER_TOPIC.to_owned();
            batch.push(imported(c, d(&format!("2026-03-0{}", n + 2)), None));
        }
        let mut notice = content("预警通知", d("2026-06-01"));
        notice.genre = Genre::Notice;
        notice.art20_item = Art20Item::new(12);
        notice.domain = Some("救灾".to_owned());
        batch.push(imported(notice, d("2026-06-02"), None));
        let ids = items
            .import(&db.admin(), o.organ.id, &batch, "台账.xlsx", &cal)
            .await
            .unwrap();
        // Not public: a draft, and another organ's item is only in the unfiltered list.
        items
            .create(
                &o.writer,
                o.organ.id,
                &content("草稿", d("2026-11-20")),
                &cal,
            )
            .await
            .unwrap();
        items
            .import(
                &db.admin(),
                other.organ.id,
                &[imported(
                    content("别家", d("2026-01-05")),
                    d("2026-01-06"),
                    None,
                )],
                "台账.xlsx",
                &cal,
            )
            .await
            .unwrap();

        let total = |f: PublicFilter| {
            let store = db.store.clone();
            async move { store.items().list_public(&f).await.unwrap().total }
        };
        let base = public(o.organ.id);
        assert_eq!(total(base.clone()).await, 8);
        assert_eq!(
            total(PublicFilter {
                organ_id: None,
                ..base.clone()
            })
            .await,
            9
        );
        assert_eq!(
            total(PublicFilter {
                art20_item: Art20Item::new(1),
                ..base.clone()
            })
            .await,
            2
        );
        assert_eq!(
            total(PublicFilter {
                art20_item: Art20Item::new(12),
                ..base.clone()
            })
            .await,
            1
        );
        assert_eq!(
            total(PublicFilter {
                topic: Some(TOPIC.to_owned()),
                ..base.clone()
            })
            .await,
            6
        );
        assert_eq!(
            total(PublicFilter {
                topic: Some(OTHER_TOPIC.to_owned()),
                ..base.clone()
            })
            .await,
            2
        );
        assert_eq!(
            total(PublicFilter {
                genre: Some(Genre::NormativeDocument),
                ..base.clone()
            })
            .await,
            2
        );
        assert_eq!(
            total(PublicFilter {
                domain: Some("救灾".to_owned()),
                ..base.clone()
            })
            .await,
            1
        );
        assert_eq!(
            total(PublicFilter {
                year: Some(2025),
                ..base.clone()
            })
            .await,
            5
        );
        assert_eq!(
            total(PublicFilter {
                year: Some(2026),
                topic: Some(TOPIC.to_owned()),
                ..base.clone()
            })
            .await,
            1
        );
        assert_eq!(
            total(PublicFilter {
                year: Some(2024),
                ..base.clone()
            })
            .await,
            0
        );

        // Pages: newest first, totals on every page.
        let page_of = |page: u32| {
            let store = db.store.clone();
            let f = PublicFilter {
                page,
                per_page: 3,
                ..base.clone()
            };
            async move { store.items().list_public(&f).await.unwrap() }
        };
        let p1 = page_of(1).await;
        assert_eq!((p1.total, p1.page, p1.per_page, p1.pages()), (8, 1, 3, 3));
        assert_eq!(
            p1.items
                .iter()
                .map(|i| i.title.as_str())
                .collect::<Vec<_>>(),
            ["预警通知", "规范2", "规范1"]
        );
        let p3 = page_of(3).await;
        assert_eq!(p3.total, 8);
        assert_eq!(
            p3.items
                .iter()
                .map(|i| i.title.as_str())
                .collect::<Vec<_>>(),
            ["动态2", "动态1"]
        );
        assert!(page_of(4).await.items.is_empty());
        assert_eq!(page_of(0).await.page, 1, "page 0 reads as the first page");
        let mut seen: Vec<i64> = Vec::new();
        for p in 1..=3 {
            seen.extend(page_of(p).await.items.iter().map(|i| i.id));
        }
        seen.sort_unstable();
        assert_eq!(seen, ids);

        assert_eq!(
            items.art20_counts(o.organ.id).await.unwrap(),
            [
                (Art20Item::new(1).unwrap(), 2),
                (Art20Item::new(12).unwrap(), 1)
            ]
        );
        // (The order of Chinese text depends on the database's collation: compare as a map.)
        let counts: BTreeMap<String, i64> = items
            .term_counts(o.organ.id, false)
            .await
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(
            counts,
            BTreeMap::from([(TOPIC.to_owned(), 6), (OTHER_TOPIC.to_owned(), 2)])
        );
    })
    .await;
}

#[tokio::test]
async fn a_normative_document_is_missing_its_interpretation_until_one_is_published() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "interp", "11350100MB0000020").await;
        let items = db.store.items();
        let ids = items
            .import(
                &db.admin(),
                o.organ.id,
                &[
                    imported(
                        document("规范性文件", Genre::NormativeDocument, d("2026-09-01")),
                        d("2026-09-02"),
                        None,
                    ),
                    imported(
                        document("规章", Genre::Regulation, d("2026-09-01")),
                        d("2026-09-03"),
                        None,
                    ),
                    imported(
                        document("其他文件", Genre::OtherDocument, d("2026-09-01")),
                        d("2026-09-04"),
                        None,
                    ),
                    imported(content("动态", d("2026-09-01")), d("2026-09-05"), None),
                ],
                "台账.xlsx",
                &cal,
            )
            .await
            .unwrap();
        let (normative, regulation) = (ids[0], ids[1]);
        let organ_id = o.organ.id;
        let missing = |store: Store| async move {
            store
                .items()
                .missing_interpretations(organ_id)
                .await
                .unwrap()
                .into_iter()
                .map(|i| i.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(missing(db.store.clone()).await, [regulation, normative]);

        let mut c = content("《规范性文件》解读", d("2026-11-20"));
        c.genre = Genre::Interpretation;
        c.interprets_item_id = Some(normative);
        let interpretation = in_review(&db, &o, &c, &cal).await;
        // Not yet: a draft or an item in review does not count.
        assert_eq!(missing(db.store.clone()).await, [regulation, normative]);
        assert!(
            items
                .interpretations_of(normative)
                .await
                .unwrap()
                .is_empty()
        );
        items
            .approve(
                &o.reviewer,
                interpretation.id,
                REVIEWER,
                &approval(today(&db)),
            )
            .await
            .unwrap();
        assert_eq!(missing(db.store.clone()).await, [regulation]);
        assert_eq!(
            items
                .interpretations_of(normative)
                .await
                .unwrap()
                .iter()
                .map(|i| i.id)
                .collect::<Vec<_>>(),
            [interpretation.id]
        );
        // Withdrawing the interpretation makes the document miss it again.
        items
            .withdraw(
                &o.reviewer,
                interpretation.id,
                REVIEWER,
                "解读有误",
                today(&db),
            )
            .await
            .unwrap();
        assert_eq!(missing(db.store.clone()).await, [regulation, normative]);
        // An interpretation must point at an existing item.
        let mut dangling = c.clone();
        dangling.interprets_item_id = Some(99_999);
        let err = items
            .create(&o.writer, o.organ.id, &dangling, &cal)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn the_search_feed_lists_published_items_with_their_attachment_text() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "feed", "11350100MB0000021").await;
        let items = db.store.items();
        let a = published(
            &db,
            &o,
            &document("甲", Genre::NormativeDocument, d("2026-11-20")),
            today(&db),
            &cal,
        )
        .await;
        let draft = items
            .create(
                &o.writer,
                o.organ.id,
                &content("乙草稿", d("2026-11-20")),
                &cal,
            )
            .await
            .unwrap();
        let c = published(&db, &o, &content("丙", d("2026-11-20")), today(&db), &cal).await;
        for (name, text) in [("一.pdf", "第一份附件"), ("二.pdf", "第二份附件")] {
            items
                .add_attachment(
                    &o.reviewer,
                    a.id,
                    REVIEWER,
                    &NewAttachment {
                        file_name: name.to_owned(),
                        media_type: "application/pdf".to_owned(),
                        sha256: "cd".repeat(32),
                        size_bytes: 10,
                        text: text.to_owned(),
                    },
                )
                .await
                .unwrap();
        }
        let feed = items.for_index(0, 100).await.unwrap();
        assert_eq!(feed.iter().map(|i| i.id).collect::<Vec<_>>(), [a.id, c.id]);
        assert_eq!(feed[0].attachments_text, "第一份附件\n第二份附件");
        assert_eq!(feed[0].index_no, a.index_no);
        assert_eq!(feed[0].doc_no, a.content.doc_no);
        assert_eq!(feed[0].validity, Some(Validity::Valid));
        assert_eq!(feed[1].attachments_text, "");
        assert_eq!(items.for_index(a.id, 100).await.unwrap().len(), 1);
        assert!(feed.iter().all(|i| i.id != draft.id));
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_deactivated_topic_cannot_be_used_for_new_items_but_existing_items_keep_it() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let o = office(&db, "ref", "11350100MB0000022").await;
        let items = db.store.items();
        let name = "综合政务\\新设分类";
        let term = items
            .add_reference_term(&db.admin(), ReferenceKind::Topic, &format!("  {name} "))
            .await
            .unwrap();
        assert_eq!(term.name, name);
        assert!(term.active);
        let active = items
            .reference_terms(ReferenceKind::Topic, false)
            .await
            .unwrap();
        assert_eq!(active.last().unwrap(), &term, "added at the end");
        let err = items
            .add_reference_term(&db.admin(), ReferenceKind::Topic, name)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("已存在"), "{err}");
        // The same name is a different term in the other list.
        items
            .add_reference_term(&db.admin(), ReferenceKind::Domain, name)
            .await
            .unwrap();

        let mut c = content("用新分类", d("2026-11-20"));
        c.topic = name.to_owned();
        let existing = published(&db, &o, &c, today(&db), &cal).await;
        assert_eq!(existing.content.topic, name);

        items
            .set_reference_term_active(&db.admin(), term.id, false)
            .await
            .unwrap();
        let active = items
            .reference_terms(ReferenceKind::Topic, false)
            .await
            .unwrap();
        assert!(active.iter().all(|t| t.id != term.id));
        let all = items
            .reference_terms(ReferenceKind::Topic, true)
            .await
            .unwrap();
        assert!(!all.iter().find(|t| t.id == term.id).unwrap().active);

        let err = items
            .create(&o.writer, o.organ.id, &c, &cal)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Invalid(ValidationError::UnknownReferenceTerm { .. })
            ),
            "{err:?}"
        );
        let msg = err.to_string();
        assert!(
            msg.contains(name) && msg.contains("主题分类的可选范围"),
            "{msg}"
        );
        // The published item keeps it, and still shows under it.
        let kept = items.get(existing.id).await.unwrap().unwrap();
        assert_eq!(kept.content.topic, name);
        assert_eq!(
            items
                .list_public(&PublicFilter {
                    topic: Some(name.to_owned()),
                    ..public(o.organ.id)
                })
                .await
                .unwrap()
                .total,
            1
        );
        // A retired term does not block correcting the item that has it.
        let mut corrected = kept.content.clone();
        corrected.title = format!("{}（更正）", corrected.title);
        let revised = items
            .revise(
                &o.reviewer,
                existing.id,
                REVIEWER,
                &RevisionInput {
                    content: corrected,
                    reason: "更正标题".to_owned(),
                },
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(revised.content.topic, name);
        // Restored, it can be used again.
        items
            .set_reference_term_active(&db.admin(), term.id, true)
            .await
            .unwrap();
        items.create(&o.writer, o.organ.id, &c, &cal).await.unwrap();
        let err = items
            .set_reference_term_active(&db.admin(), 99_999, false)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");

        let page = db
            .store
            .audit()
            .list(&AuditFilter {
                entity: Some("reference_term".to_owned()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        let mut actions: Vec<String> = page.entries.into_iter().map(|e| e.action).collect();
        actions.reverse();
        assert_eq!(
            actions,
            [
                "reference.add",
                "reference.add",
                "reference.active",
                "reference.active"
            ]
        );
        assert_chain_ok(&db.store).await;
    })
    .await;
}
