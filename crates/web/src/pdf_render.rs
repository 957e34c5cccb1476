//! PDF output of documents (letters now, annual reports next) through the typst-based pdf crate.
//! The fonts are found once per process, on first use: loading CJK fonts takes a while and the
//! files do not change while the server runs. Rendering runs on the blocking pool.

#[cfg(not(feature = "pdf"))]
pub async fn render(
    _state: &crate::state::AppState,
    _document: gongkai_typeset::Document,
) -> crate::error::AppResult<Vec<u8>> {
    Err(crate::error::AppError::Unavailable(
        "本程序构建时未包含 PDF 功能（pdf 特性），请下载 Word 文件，或使用包含该功能的版本"
            .to_owned(),
    ))
}

#[cfg(feature = "pdf")]
pub use with_typst::render;

#[cfg(feature = "pdf")]
mod with_typst {
    use std::path::PathBuf;
    use std::sync::{Arc, OnceLock};

    use gongkai_pdf::Fonts;
    use gongkai_typeset::Document;

    use crate::error::{AppError, AppResult};
    use crate::state::AppState;

    static FONTS: OnceLock<Arc<Fonts>> = OnceLock::new();

    /// The fonts: `<data_dir>/fonts` (where a site puts licensed 仿宋/小标宋 files), then the pdf
    /// crate's own search (`$GONGKAI_FONTS_DIR`, /usr/share/fonts). Only a successful load is
    /// kept: after the administrator installs fonts, the next PDF finds them without a restart.
    fn fonts(data_dir: PathBuf) -> Result<Arc<Fonts>, String> {
        if let Some(fonts) = FONTS.get() {
            return Ok(Arc::clone(fonts));
        }
        let loaded =
            Arc::new(Fonts::discover(&[data_dir.join("fonts")]).map_err(|e| e.to_string())?);
        // Two first requests at once may both load; the first stored wins.
        Ok(Arc::clone(FONTS.get_or_init(|| loaded)))
    }

    /// Renders `document` to PDF bytes.
    pub async fn render(state: &AppState, document: Document) -> AppResult<Vec<u8>> {
        let data_dir = state.config().data_dir.clone();
        tokio::task::spawn_blocking(move || {
            let fonts = fonts(data_dir).map_err(AppError::Unavailable)?;
            gongkai_pdf::render_pdf(&document, &fonts)
                .map_err(|e| AppError::Internal(format!("生成 PDF 失败：{e}")))
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    }
}
