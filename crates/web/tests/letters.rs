#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Letters to the applicant (告知书) over HTTP: generated from the case with the outcome's
//! article, the reasons and the withheld parts; downloaded by staff as Word and PDF and by the
//! applicant from the tracking page with the secret only; templates edited by the administrator
//! are checked before they are saved, and a letter already issued never changes.

mod common;

use common::cases::{register_letter_with_secret, step};
use common::{TestApp, demo_ids, each_backend};
use gongkai_law::Outcome;
use reqwest::StatusCode;

/// Whether this machine can make PDFs with Chinese text (CI installs fonts-noto-cjk and sets
/// GONGKAI_REQUIRE_CJK_FONTS, where a missing font is a failure).
fn pdf_possible(status: StatusCode, body: &[u8]) -> bool {
    if status == StatusCode::SERVICE_UNAVAILABLE {
        assert!(
            std::env::var_os("GONGKAI_REQUIRE_CJK_FONTS").is_none(),
            "no CJK font: {}",
            String::from_utf8_lossy(body)
        );
        eprintln!(
            "skipping the PDF checks: no CJK font on this machine (apt-get install fonts-noto-cjk)"
        );
        return false;
    }
    true
}

fn text_of(bytes: &[u8], name: &str) -> String {
    gongkai_docs::read_document(bytes, Some(name))
        .unwrap()
        .plain_text()
}

#[tokio::test]
async fn a_reply_letter_is_generated_downloaded_and_reaches_the_applicant() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let (case, no, secret) =
            register_letter_with_secret(&app, &mut officer, s, "2026-11-16").await;
        // No reply yet: the reply letter is refused with the reason.
        let token = officer.get(&case).await.csrf();
        let r = officer
            .post(
                &format!("{case}/letters"),
                &[("csrf_token", token.as_str()), ("letter", "reply")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("尚未记录答复"), "{}", r.body);

        let r = step(
            &mut officer,
            &case,
            "reply",
            &[
                ("on", "2026-11-24"),
                ("outcome", Outcome::PartiallyGranted.key()),
                ("reason", "部分内容涉及个人隐私"),
                ("withheld_what_1", "投标人联系人的手机号码"),
                ("withheld_basis_1", Outcome::DeniedThirdPartyRights.key()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = officer
            .post(
                &format!("{case}/letters"),
                &[("csrf_token", token.as_str()), ("letter", "reply")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&case).await;
        let link = page
            .body
            .split(&format!("{case}/letters/"))
            .nth(1)
            .and_then(|p| p.split('/').next())
            .unwrap()
            .to_owned();
        let (status, headers, docx) = officer
            .get_bytes(&format!("{case}/letters/{link}/docx"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .contains("wordprocessingml")
        );
        let text = text_of(&docx, "letter.docx");
        assert!(text.contains("投标人联系人的手机号码"), "{text}");
        assert!(text.contains("第三十七条"), "{text}");
        assert!(text.contains(&no), "{text}");
        assert!(text.contains("行政复议"), "the remedies are stated: {text}");

        let (status, _, pdf) = officer
            .get_bytes(&format!("{case}/letters/{link}/pdf"))
            .await;
        if pdf_possible(status, &pdf) {
            assert_eq!(status, StatusCode::OK);
            assert!(pdf.starts_with(b"%PDF"));
            let text = text_of(&pdf, "letter.pdf");
            assert!(text.contains("投标人联系人的手机号码"), "{text}");
        }

        // The applicant: the tracking page lists the letter; the download needs the secret.
        let mut public = app.browser();
        let r = public
            .post(
                "/track",
                &[("no", no.as_str()), ("secret", secret.as_str())],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("告知书"), "{}", r.body);
        let r = public
            .post(
                "/track/letter",
                &[
                    ("no", no.as_str()),
                    ("secret", secret.as_str()),
                    ("letter", link.as_str()),
                    ("format", "docx"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let r = public
            .post(
                "/track/letter",
                &[
                    ("no", no.as_str()),
                    ("secret", "WRONGSECRET"),
                    ("letter", link.as_str()),
                    ("format", "docx"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(!r.body.contains("投标人"));
    })
    .await;
}

#[tokio::test]
async fn edited_templates_are_checked_and_never_change_an_issued_letter() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let (case, _, _) = register_letter_with_secret(&app, &mut officer, s, "2026-11-16").await;
        let r = step(
            &mut officer,
            &case,
            "reply",
            &[("on", "2026-11-24"), ("outcome", Outcome::UnableNotHeld.key())],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let token = officer.get(&case).await.csrf();
        let r = officer
            .post(
                &format!("{case}/letters"),
                &[("csrf_token", token.as_str()), ("letter", "reply")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        let mut admin = app.login_as("demo-admin").await;
        let list = admin.get(&format!("/admin/organs/{s}/letter-templates")).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("/guide/letters"));
        let edit = format!("/admin/organs/{s}/letter-templates/reply_unable");
        let form = admin.get(&edit).await;
        assert_eq!(form.status, StatusCode::OK);
        // An unknown variable: refused, shown again, nothing saved.
        let r = admin
            .submit(
                &edit,
                &edit,
                &[("action", "save"), ("source", "答复告知书\n\n{{ no_such_thing }}")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("模板未保存"), "{}", r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM letter_templates").await, 0);
        // A loop that never ends is stopped, not run.
        let r = admin
            .submit(
                &edit,
                &edit,
                &[
                    ("action", "save"),
                    (
                        "source",
                        "答复告知书\n\n{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
                    ),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        // A valid edit: saved; new letters use it; the issued one keeps its text.
        let default = form
            .body
            .split("name=\"source\"")
            .nth(1)
            .and_then(|p| p.split_once('>'))
            .map(|(_, rest)| rest.split("</textarea>").next().unwrap().to_owned())
            .unwrap();
        let default = default
            .replace("&#123;", "{")
            .replace("&#125;", "}")
            .replace("&quot;", "\"")
            .replace("&#34;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        let edited = format!("{default}\n\n本机关特别提示：如有疑问请来电。");
        let r = admin
            .submit(&edit, &edit, &[("action", "save"), ("source", edited.as_str())])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM letter_templates").await, 1);
        let r = officer
            .post(
                &format!("{case}/letters"),
                &[("csrf_token", token.as_str()), ("letter", "reply")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id: i64 = case.rsplit('/').next().unwrap().parse().unwrap();
        let issued = app.store().letters().issued(id).await.unwrap();
        assert_eq!(issued.len(), 2);
        assert!(!issued[0].body_text.contains("本机关特别提示"));
        assert!(issued[1].body_text.contains("本机关特别提示"));
        // Reset: back to the default.
        let r = admin.submit(&edit, &edit, &[("action", "reset")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM letter_templates").await, 0);
        // A handler (科室承办人) may not edit the organ's templates.
        let mut handler = app.login_as("demo-handler").await;
        assert_eq!(handler.get(&edit).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}
