//! Fonts for the PDF tests, loaded once per test binary.

use std::sync::OnceLock;

use gongkai_pdf::Fonts;

/// The environment variable that turns "no CJK font: skip" into a failure (set by .ci/run, which
/// installs fonts-noto-cjk, so that CI cannot pass by skipping).
pub const REQUIRE_ENV: &str = "GONGKAI_REQUIRE_CJK_FONTS";

/// The machine's fonts, or `None` (with a printed reason) when none has Chinese glyphs and
/// `GONGKAI_REQUIRE_CJK_FONTS` is not set.
pub fn fonts_or_skip(test: &str) -> Option<&'static Fonts> {
    static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
    match FONTS.get_or_init(|| Fonts::discover(&[]).map_err(|e| e.to_string())) {
        Ok(fonts) => Some(fonts),
        Err(message) => {
            if std::env::var(REQUIRE_ENV).is_ok_and(|v| v == "1") {
                panic!("{test}: {REQUIRE_ENV}=1 but no CJK font: {message}");
            }
            eprintln!("SKIPPED {test}: no CJK font on this machine ({message})");
            None
        }
    }
}
