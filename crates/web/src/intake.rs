//! The online application (依申请公开) shared by the portal form and the JSON API: the raw
//! Art 29 fields as typed, checked field by field so that every problem is reported next to its
//! field at once (the store stops at the first), then handed to the store, which validates
//! again with the same law-crate rules and writes.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::NaiveDate;
use gongkai_law::{ApplicantType, Channel, CreditCode, IdDocument, IdDocumentKind, ProvisionForm};
use gongkai_store::applications::NewAttachment;
use gongkai_store::applications::{
    ADDRESS_MAX, CREDIT_CODE_KIND, DELIVERY_MAX, DESCRIPTION_MAX, EMAIL_MAX, NAME_MAX, PHONE_MAX,
};
use gongkai_store::{Actor, Application, NewApplication, StoreError};
use serde::Deserialize;

use crate::rate_limit::RateLimiter;
use crate::state::AppState;

/// Per-field messages in Chinese, keyed by the field name of the form and the API.
pub type FieldErrors = BTreeMap<&'static str, String>;

/// The key of errors that belong to no single field.
pub const GENERAL: &str = "application";

/// The fields as submitted (form or JSON); every one optional so a missing field is reported
/// like an empty one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawApplication {
    pub applicant_type: String,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub description: String,
    pub provision_form: String,
    pub delivery: String,
}

/// The identity-document choices of the form: the person kinds of the law crate, then the
/// 统一社会信用代码 of 法人或者其他组织.
pub fn id_type_options() -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = IdDocumentKind::ALL
        .iter()
        .map(|k| (k.key(), k.label()))
        .collect();
    v.push((CREDIT_CODE_KIND, "统一社会信用代码（法人或者其他组织）"));
    v
}

fn text(
    errors: &mut FieldErrors,
    field: &'static str,
    label: &str,
    value: &str,
    max: usize,
    multiline: bool,
) -> String {
    let value = value.trim();
    if value.chars().count() > max {
        errors.insert(field, format!("{label}不能超过 {max} 个字符，请删减"));
    } else if value
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        errors.insert(
            field,
            format!("{label}含有不允许的控制字符，请删除后重新填写"),
        );
    }
    value.to_owned()
}

impl RawApplication {
    /// Checks every field (Art 29 ¶2) and builds the store's input for an online submission
    /// received `today`: Art 31(3) — for the internet channel the receipt date is the day both
    /// sides confirm, and the portal confirms at once by issuing the tracking number.
    pub fn validate(&self, today: NaiveDate) -> Result<NewApplication, FieldErrors> {
        let mut errors = FieldErrors::new();
        let applicant_type = if self.applicant_type.trim().is_empty() {
            errors.insert(
                "applicant_type",
                "请选择申请人类型：自然人，或法人或者其他组织".to_owned(),
            );
            None
        } else {
            match ApplicantType::from_key(&self.applicant_type) {
                Ok(t) => Some(t),
                Err(e) => {
                    errors.insert("applicant_type", e.to_string());
                    None
                }
            }
        };

        // Art 29 ¶2(1): 姓名或者名称、身份证明、联系方式.
        let name = text(
            &mut errors,
            "name",
            "姓名或者名称",
            &self.name,
            NAME_MAX,
            false,
        );
        if name.is_empty() {
            errors.insert(
                "name",
                "请填写申请人的姓名或者名称（条例第二十九条第二款第（一）项）".to_owned(),
            );
        }
        let id_type = self.id_type.trim();
        let mut id_kind = String::new();
        let mut id_number = String::new();
        match applicant_type {
            Some(t) if t.is_organisation() => {
                if !id_type.is_empty() && id_type != CREDIT_CODE_KIND {
                    errors.insert(
                        "id_type",
                        "法人或者其他组织申请的，身份证明请选择“统一社会信用代码”".to_owned(),
                    );
                } else if self.id_number.trim().is_empty() {
                    errors.insert("id_number", "请填写统一社会信用代码（18 位）".to_owned());
                } else {
                    match CreditCode::parse(&self.id_number) {
                        Ok(code) => {
                            id_kind = CREDIT_CODE_KIND.to_owned();
                            id_number = code.as_str().to_owned();
                        }
                        Err(e) => {
                            errors.insert("id_number", e.to_string());
                        }
                    }
                }
            }
            Some(_) => match IdDocumentKind::from_key(id_type) {
                Err(_) => {
                    errors.insert(
                        "id_type",
                        "请选择身份证明的证件类型（自然人不能选择统一社会信用代码）".to_owned(),
                    );
                }
                // The law crate validates: 居民身份证 per GB 11643-1999 (check digit, birth
                // date), other documents by shape.
                Ok(kind) => match IdDocument::parse(kind, &self.id_number, today) {
                    Ok(doc) => {
                        id_kind = kind.key().to_owned();
                        id_number = doc.number().to_owned();
                    }
                    Err(e) => {
                        errors.insert("id_number", e.to_string());
                    }
                },
            },
            None => {}
        }

        let phone = text(
            &mut errors,
            "phone",
            "联系电话",
            &self.phone,
            PHONE_MAX,
            false,
        );
        let email = text(
            &mut errors,
            "email",
            "电子邮箱",
            &self.email,
            EMAIL_MAX,
            false,
        );
        if !email.is_empty() && !errors.contains_key("email") {
            let ok = email
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'));
            if !ok {
                errors.insert(
                    "email",
                    "电子邮箱格式不正确，应形如 name@example.com，请核对".to_owned(),
                );
            }
        }
        let address = text(
            &mut errors,
            "address",
            "通信地址",
            &self.address,
            ADDRESS_MAX,
            true,
        );
        if phone.is_empty() && email.is_empty() && address.is_empty() {
            errors.insert(
                "phone",
                "请至少填写一种联系方式（电话、电子邮箱或通信地址），以便送达补正告知和答复（条例第二十九条第二款第（一）项）"
                    .to_owned(),
            );
        }

        // Art 29 ¶2(2): the information wanted.
        let description = text(
            &mut errors,
            "description",
            "所需政府信息的描述",
            &self.description,
            DESCRIPTION_MAX,
            true,
        );
        if description.is_empty() {
            errors.insert(
                "description",
                "请填写所需政府信息的名称、文号或者便于查询的其他特征性描述（条例第二十九条第二款第（二）项）"
                    .to_owned(),
            );
        }

        // Art 29 ¶2(3): 形式要求，包括获取信息的方式、途径.
        let provision_form = if self.provision_form.trim().is_empty() {
            errors.insert(
                "provision_form",
                "请选择信息的提供形式：纸质、电子邮件、电子数据或查阅抄录".to_owned(),
            );
            None
        } else {
            match ProvisionForm::from_key(&self.provision_form) {
                Ok(f) => Some(f),
                Err(e) => {
                    errors.insert("provision_form", e.to_string());
                    None
                }
            }
        };
        let delivery = text(
            &mut errors,
            "delivery",
            "获取信息的方式、途径",
            &self.delivery,
            DELIVERY_MAX,
            false,
        );

        match (applicant_type, provision_form) {
            (Some(applicant_type), Some(provision_form)) if errors.is_empty() => {
                Ok(NewApplication {
                    applicant_type,
                    applicant_name: name,
                    id_kind,
                    id_number,
                    phone,
                    email,
                    address,
                    description,
                    provision_form,
                    delivery,
                    channel: Channel::Online,
                    received_on: today,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Why an online submission was not stored.
pub enum SubmitError {
    /// The applicant's input: messages per field.
    Invalid(FieldErrors),
    /// The organ does not exist.
    NoOrgan,
    /// Too many submissions from this address.
    RateLimited,
    /// A system error (logged by the caller's error type).
    Store(StoreError),
}

/// Validates and stores an online application to `organ_id` from `ip`, counting it against the
/// per-IP limit. Returns the case and the one-time secret.
pub async fn submit(
    state: &AppState,
    limiter: &RateLimiter,
    ip: Option<IpAddr>,
    organ_id: i64,
    raw: &RawApplication,
    id_copies: &[NewAttachment],
) -> Result<(Application, String), SubmitError> {
    if !limiter.allowed(ip, crate::rate_limit::APPLY) {
        return Err(SubmitError::RateLimited);
    }
    let new = raw.validate(state.today()).map_err(SubmitError::Invalid)?;
    let organ_name = match state.store().organs().get(organ_id).await {
        Ok(Some(organ)) => organ.name,
        Ok(None) => return Err(SubmitError::NoOrgan),
        Err(e) => return Err(SubmitError::Store(e)),
    };
    // The application, its ID copies and the applicant's confirmation mail in one transaction:
    // never one without the others.
    let result = state
        .store()
        .write(&Actor::anonymous(ip), async |tx| {
            let (app, secret) =
                gongkai_store::applications::create(tx, organ_id, &new, state.calendar()).await?;
            for copy in id_copies {
                gongkai_store::applications::add_attachment(tx, app.id, copy).await?;
            }
            crate::mail::notices::confirmation_in(tx, state, &organ_name, &app).await?;
            Ok((app, secret))
        })
        .await;
    match result {
        Ok(created) => {
            limiter.record(ip, crate::rate_limit::APPLY);
            state.jobs_changed();
            Ok(created)
        }
        Err(StoreError::NotFound { .. }) => Err(SubmitError::NoOrgan),
        Err(e) if !e.is_internal() => {
            let mut errors = FieldErrors::new();
            errors.insert(GENERAL, e.to_string());
            Err(SubmitError::Invalid(errors))
        }
        Err(e) => Err(SubmitError::Store(e)),
    }
}
