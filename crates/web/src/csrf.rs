//! Cross-site request forgery defences.
//!
//! - Logged in: the synchroniser token stored with the session (`sessions.csrf_token`) must come
//!   back in the hidden field `csrf_token` of every POST form ([`tokens_match`]).
//! - Login form (no session yet): a signed double-submit token. `GET /admin/login` sets cookie
//!   `gongkai_login_csrf` = `nonce.HMAC(key, nonce)` and puts the same value in the form; the
//!   POST must carry both, equal, with a valid signature. The signature stops an attacker who can
//!   plant a cookie (e.g. from a sibling subdomain) from choosing a token that passes; the cookie
//!   stops a cross-site page from supplying the field.
//! - Both: [`same_origin`] refuses requests whose `Origin` or `Sec-Fetch-Site` says another site.

use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The hidden form field that carries the token.
pub const FIELD: &str = "csrf_token";

/// Constant-time comparison of two tokens (a timing side channel must not reveal a prefix).
pub fn tokens_match(expected: &str, given: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

fn sign(key: &[u8], nonce: &str) -> Option<String> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).ok()?;
    mac.update(b"gongkai-login-csrf:");
    mac.update(nonce.as_bytes());
    Some(hex::encode(mac.finalize().into_bytes()))
}

/// A fresh login-form token, or `None` if no randomness is available.
pub fn new_login_token(key: &[u8]) -> Option<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    let nonce = hex::encode(bytes);
    let sig = sign(key, &nonce)?;
    Some(format!("{nonce}.{sig}"))
}

/// True if `token` was signed with `key`.
pub fn login_token_valid(key: &[u8], token: &str) -> bool {
    let Some((nonce, sig)) = token.split_once('.') else {
        return false;
    };
    if nonce.len() != 32 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    sign(key, nonce).is_some_and(|expected| tokens_match(&expected, sig))
}

/// True unless the browser tells us the request comes from another site. Requests without
/// these headers (non-browser clients, old browsers) pass here and still need the token.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site.to_str().unwrap_or("");
        if site != "same-origin" {
            return false;
        }
    }
    if let Some(origin) = headers.get(ORIGIN) {
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        let Some(host) = headers.get(HOST).and_then(|h| h.to_str().ok()) else {
            return false;
        };
        let origin_host = origin
            .split_once("://")
            .map(|(_, rest)| rest.trim_end_matches('/'));
        return origin_host.is_some_and(|o| o.eq_ignore_ascii_case(host));
    }
    true
}

/// The value of the token field in a URL-encoded form body.
pub fn token_from_form(body: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_token_round_trip_and_forgery() {
        let key = b"0123456789abcdef0123456789abcdef";
        let token = new_login_token(key).unwrap();
        assert!(login_token_valid(key, &token));
        assert!(!login_token_valid(
            b"another key another key another!",
            &token
        ));
        let (nonce, _) = token.split_once('.').unwrap();
        assert!(!login_token_valid(key, &format!("{nonce}.00")));
        assert!(!login_token_valid(key, "garbage"));
    }

    #[test]
    fn cross_site_headers_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(HOST, "gk.example:8080".parse().unwrap());
        assert!(same_origin(&h));
        h.insert(ORIGIN, "http://gk.example:8080".parse().unwrap());
        assert!(same_origin(&h));
        h.insert(ORIGIN, "https://evil.example".parse().unwrap());
        assert!(!same_origin(&h));
        h.insert(ORIGIN, "null".parse().unwrap());
        assert!(!same_origin(&h));
        h.remove(ORIGIN);
        h.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(!same_origin(&h));
    }

    #[test]
    fn token_is_found_in_form() {
        assert_eq!(
            token_from_form(b"a=1&csrf_token=xyz&b=%3C").as_deref(),
            Some("xyz")
        );
        assert_eq!(token_from_form(b"a=1"), None);
        assert!(!tokens_match("", ""));
    }
}

/// The boundary of a `multipart/form-data` request, if it is one.
pub fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get(axum::http::header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    let (mime, params) = value.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The `csrf_token` field of a multipart body (upload forms put it first, before the files). Only a
/// short text part named exactly `csrf_token` counts.
pub fn token_from_multipart(body: &[u8], boundary: &str) -> Option<String> {
    let delimiter = format!("--{boundary}");
    let text_end = body.len().min(64 * 1024 * 1024);
    let body = body.get(..text_end)?;
    let mut rest = body;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = rest.get(start + delimiter.len()..)?;
        let header_end = find(rest, b"\r\n\r\n")?;
        let headers = std::str::from_utf8(rest.get(..header_end)?).ok()?;
        let value_start = header_end + 4;
        let is_csrf = headers.lines().any(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("content-disposition:")
                && l.contains("form-data")
                && l.contains("name=\"csrf_token\"")
        });
        if is_csrf {
            let after = rest.get(value_start..)?;
            let end = find(after, format!("\r\n{delimiter}").as_bytes())?;
            let value = std::str::from_utf8(after.get(..end)?).ok()?;
            return (value.len() <= 256).then(|| value.trim().to_owned());
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod multipart_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_csrf_field_of_an_upload_form_is_found_and_nothing_else_counts() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\nname=\"csrf\"\r\n--XyZ--\r\n";
        assert_eq!(token_from_multipart(body, "XyZ").as_deref(), Some("tok123"));
        let without = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\ncsrf\r\n--XyZ--\r\n";
        assert_eq!(token_from_multipart(without, "XyZ"), None);
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::CONTENT_TYPE,
            "multipart/form-data; boundary=\"XyZ\"".parse().unwrap(),
        );
        assert_eq!(multipart_boundary(&h).as_deref(), Some("XyZ"));
    }
}
