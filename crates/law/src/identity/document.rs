//! The identity document on the application form (条例 Art 29 ¶2(1): 身份证明) and the applicant key
//! derived from it.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CreditCode, ResidentIdNumber, half_width, mask_middle};
use crate::error::{IdDocumentError, UnknownKeyError};

/// Longest accepted document number (passports and passes; the longest real formats have 18).
const NUMBER_MAX_CHARS: usize = 30;
/// Shortest accepted document number, counting letters and digits only.
const NUMBER_MIN_ALNUM: usize = 5;
/// Longest accepted free text of an "other" document (name of the document and its number).
pub const OTHER_DOCUMENT_MAX_CHARS: usize = 50;

/// The kinds of identity document a natural person may give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdDocumentKind {
    /// 居民身份证 (GB 11643-1999 number, validated).
    ResidentId,
    /// 护照 (Chinese or foreign).
    Passport,
    /// 港澳居民来往内地通行证.
    HkMacaoPass,
    /// 台湾居民来往大陆通行证.
    TaiwanPass,
    /// 外国人永久居留身份证.
    ForeignPermanentResidentId,
    /// Any other document, as free text (its name and number).
    Other,
}

impl IdDocumentKind {
    /// All kinds in the order of the form's list.
    pub const ALL: [IdDocumentKind; 6] = [
        IdDocumentKind::ResidentId,
        IdDocumentKind::Passport,
        IdDocumentKind::HkMacaoPass,
        IdDocumentKind::TaiwanPass,
        IdDocumentKind::ForeignPermanentResidentId,
        IdDocumentKind::Other,
    ];

    /// The key used in forms and JSON (also the serde name).
    pub const fn key(self) -> &'static str {
        match self {
            IdDocumentKind::ResidentId => "resident_id",
            IdDocumentKind::Passport => "passport",
            IdDocumentKind::HkMacaoPass => "hk_macao_pass",
            IdDocumentKind::TaiwanPass => "taiwan_pass",
            IdDocumentKind::ForeignPermanentResidentId => "foreign_permanent_resident_id",
            IdDocumentKind::Other => "other",
        }
    }

    /// The name of the document as printed on the form.
    pub const fn label(self) -> &'static str {
        match self {
            IdDocumentKind::ResidentId => "居民身份证",
            IdDocumentKind::Passport => "护照",
            IdDocumentKind::HkMacaoPass => "港澳居民来往内地通行证",
            IdDocumentKind::TaiwanPass => "台湾居民来往大陆通行证",
            IdDocumentKind::ForeignPermanentResidentId => "外国人永久居留身份证",
            IdDocumentKind::Other => "其他证件",
        }
    }

    /// The kind with this key.
    pub fn from_key(key: &str) -> Result<Self, UnknownKeyError> {
        let key = key.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.key() == key)
            .ok_or_else(|| {
                UnknownKeyError::new(
                    "证件类型",
                    key,
                    Self::ALL.iter().map(|k| (k.key(), k.label())),
                )
            })
    }
}

impl FromStr for IdDocumentKind {
    type Err = UnknownKeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_key(s)
    }
}

impl fmt::Display for IdDocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A validated identity document. Construct with [`IdDocument::parse`].
///
/// Only the 居民身份证 number has a published check (GB 11643-1999) and is fully validated. The
/// number formats of passports (every issuing state has its own) and of the passes and permanent
/// residence cards (changed with each issue, old cards stay valid) are only checked for shape —
/// letters, digits, and the brackets and hyphens of old cards, 5 to 30 characters — so that no
/// real document is refused; the officer checks the document itself (Art 29 ¶2(1)).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "IdDocumentRecord", into = "IdDocumentRecord")]
pub enum IdDocument {
    ResidentId(ResidentIdNumber),
    Passport(String),
    HkMacaoPass(String),
    TaiwanPass(String),
    ForeignPermanentResidentId(String),
    /// Free text: the name of the document and its number, trimmed.
    Other(String),
}

/// The stored form of an [`IdDocument`]: its kind and its (normalised) number or text. This is
/// also the serde form of [`IdDocument`]; reading it back validates again, without the
/// "birth date not after today" rule of the 居民身份证 ([`ResidentIdNumber::parse_stored`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdDocumentRecord {
    pub kind: IdDocumentKind,
    pub number: String,
}

/// Trim, full-width → half-width, upper case, no spaces: a pass number as typed with an IME.
fn normalise_number(input: &str) -> String {
    input
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn parse_number(kind: IdDocumentKind, input: &str) -> Result<String, IdDocumentError> {
    let number = normalise_number(input);
    let label = kind.label();
    if number.is_empty() {
        return Err(IdDocumentError::Empty { kind: label });
    }
    let len = number.chars().count();
    if len > NUMBER_MAX_CHARS {
        return Err(IdDocumentError::TooLong {
            kind: label,
            max: NUMBER_MAX_CHARS,
            len,
        });
    }
    if let Some(found) = number
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '(' | ')' | '-')))
    {
        return Err(IdDocumentError::Char { kind: label, found });
    }
    if number.chars().filter(char::is_ascii_alphanumeric).count() < NUMBER_MIN_ALNUM {
        return Err(IdDocumentError::TooShort {
            kind: label,
            min: NUMBER_MIN_ALNUM,
        });
    }
    Ok(number)
}

fn parse_other(input: &str) -> Result<String, IdDocumentError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(IdDocumentError::Empty {
            kind: IdDocumentKind::Other.label(),
        });
    }
    if text.chars().any(char::is_control) {
        return Err(IdDocumentError::ControlChars);
    }
    let len = text.chars().count();
    if len > OTHER_DOCUMENT_MAX_CHARS {
        return Err(IdDocumentError::TooLong {
            kind: IdDocumentKind::Other.label(),
            max: OTHER_DOCUMENT_MAX_CHARS,
            len,
        });
    }
    Ok(text.to_owned())
}

impl IdDocument {
    /// Validates the number typed on the form for a document of `kind`. For
    /// [`IdDocumentKind::Other`] `number` is the free text (name of the document and number).
    /// `today` is the day of entry (a 居民身份证 birth date may not be after it).
    pub fn parse(
        kind: IdDocumentKind,
        number: &str,
        today: NaiveDate,
    ) -> Result<Self, IdDocumentError> {
        Self::parse_inner(kind, number, Some(today))
    }

    /// As [`IdDocument::parse`], for values validated when they were entered and read back.
    pub fn parse_stored(kind: IdDocumentKind, number: &str) -> Result<Self, IdDocumentError> {
        Self::parse_inner(kind, number, None)
    }

    fn parse_inner(
        kind: IdDocumentKind,
        number: &str,
        today: Option<NaiveDate>,
    ) -> Result<Self, IdDocumentError> {
        Ok(match kind {
            IdDocumentKind::ResidentId => IdDocument::ResidentId(match today {
                Some(today) => ResidentIdNumber::parse(number, today)?,
                None => ResidentIdNumber::parse_stored(number)?,
            }),
            IdDocumentKind::Passport => IdDocument::Passport(parse_number(kind, number)?),
            IdDocumentKind::HkMacaoPass => IdDocument::HkMacaoPass(parse_number(kind, number)?),
            IdDocumentKind::TaiwanPass => IdDocument::TaiwanPass(parse_number(kind, number)?),
            IdDocumentKind::ForeignPermanentResidentId => {
                IdDocument::ForeignPermanentResidentId(parse_number(kind, number)?)
            }
            IdDocumentKind::Other => IdDocument::Other(parse_other(number)?),
        })
    }

    pub fn kind(&self) -> IdDocumentKind {
        match self {
            IdDocument::ResidentId(_) => IdDocumentKind::ResidentId,
            IdDocument::Passport(_) => IdDocumentKind::Passport,
            IdDocument::HkMacaoPass(_) => IdDocumentKind::HkMacaoPass,
            IdDocument::TaiwanPass(_) => IdDocumentKind::TaiwanPass,
            IdDocument::ForeignPermanentResidentId(_) => IdDocumentKind::ForeignPermanentResidentId,
            IdDocument::Other(_) => IdDocumentKind::Other,
        }
    }

    /// The Chinese name of the document kind.
    pub fn label(&self) -> &'static str {
        self.kind().label()
    }

    /// The normalised number (for [`IdDocument::Other`], the trimmed free text).
    pub fn number(&self) -> &str {
        match self {
            IdDocument::ResidentId(id) => id.as_str(),
            IdDocument::Passport(n)
            | IdDocument::HkMacaoPass(n)
            | IdDocument::TaiwanPass(n)
            | IdDocument::ForeignPermanentResidentId(n)
            | IdDocument::Other(n) => n,
        }
    }

    /// The number for lists and exports: a 居民身份证 as `410102********1234`; other numbers with
    /// their first 2 and last 2 characters kept, the rest as `*`.
    pub fn masked(&self) -> String {
        match self {
            IdDocument::ResidentId(id) => id.mask(),
            other => mask_middle(other.number(), 2, 2),
        }
    }

    /// The key that identifies the applicant holding this document.
    pub fn applicant_key(&self) -> ApplicantKey {
        ApplicantKey::from(self)
    }
}

/// Shows the kind and the masked number only.
impl fmt::Debug for IdDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdDocument({}: {})", self.kind().key(), self.masked())
    }
}

impl TryFrom<IdDocumentRecord> for IdDocument {
    type Error = IdDocumentError;
    fn try_from(record: IdDocumentRecord) -> Result<Self, Self::Error> {
        IdDocument::parse_stored(record.kind, &record.number)
    }
}

impl From<IdDocument> for IdDocumentRecord {
    fn from(doc: IdDocument) -> Self {
        IdDocumentRecord {
            kind: doc.kind(),
            number: doc.number().to_owned(),
        }
    }
}

/// One key per applicant, to group the applications of the same applicant (条例 Art 36(6) 重复申请,
/// Art 35 大量反复申请): the document kind and its normalised number (`resident_id:1101…`), or for a
/// 法人或其他组织 its 统一社会信用代码 (`credit_code:9144…`). Two applications carry the same key
/// exactly when they name the same document. Contains the full number: store it like the number
/// itself, never show it in lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ApplicantKey(String);

impl ApplicantKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&IdDocument> for ApplicantKey {
    fn from(doc: &IdDocument) -> Self {
        let number = match doc {
            // Free text: compare without spaces and case, as for the numbers.
            IdDocument::Other(text) => normalise_number(text),
            other => other.number().to_owned(),
        };
        ApplicantKey(format!("{}:{number}", doc.kind().key()))
    }
}

impl From<&CreditCode> for ApplicantKey {
    fn from(code: &CreditCode) -> Self {
        ApplicantKey(format!("credit_code:{}", code.as_str()))
    }
}

impl fmt::Display for ApplicantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
