//! Reading and writing the two cookies: the session (`gongkai_session`) and the login-form token
//! (`gongkai_login_csrf`).

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The session cookie: the raw session token (only its SHA-256 is stored).
pub const SESSION: &str = "gongkai_session";
/// The signed token of the login form (before there is a session).
pub const LOGIN_CSRF: &str = "gongkai_login_csrf";

/// The value of cookie `name`, if the request carries it.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, Secure when served over HTTPS.
/// Strict keeps the cookie off every cross-site request, which is what the back office wants.
pub fn set(name: &str, value: &str, secure: bool, max_age: Option<i64>) -> String {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

/// A `Set-Cookie` value that deletes cookie `name`.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", secure, Some(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, "a=1; gongkai_session=abc; b=2".parse().unwrap());
        assert_eq!(get(&headers, SESSION).as_deref(), Some("abc"));
        assert_eq!(get(&headers, LOGIN_CSRF), None);
    }
}
