//! Free-text fields (names, addresses): trimmed, bounded, no control characters. Everything else
//! (quotes, SQL keywords, HTML) is stored verbatim: queries bind parameters and the web layer
//! escapes on output.

use crate::error::ValidationError;

/// A required text field: trimmed, non-empty, at most `max` characters, no control characters.
pub(crate) fn clean_required(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<String, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ValidationError::Empty { field });
    }
    check(field, v, max)?;
    Ok(v.to_owned())
}

/// An optional text field: blank becomes `None`; line breaks are allowed (office hours and
/// addresses are often written on several lines) and normalised to `\n`.
pub(crate) fn clean_optional(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    match value.map(|v| v.trim().replace("\r\n", "\n")) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) => {
            check(field, &v.replace('\n', " "), max)?;
            Ok(Some(v))
        }
    }
}

fn check(field: &'static str, v: &str, max: usize) -> Result<(), ValidationError> {
    if v.chars().count() > max {
        return Err(ValidationError::TooLong { field, max });
    }
    if v.chars().any(char::is_control) {
        return Err(ValidationError::ControlChars { field });
    }
    Ok(())
}
