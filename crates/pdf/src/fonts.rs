//! The fonts typst may use: read once from font directories, then shared by every render.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use crate::error::PdfError;

/// The environment variable naming an extra font directory (licensed 公文 fonts: 方正小标宋,
/// 仿宋_GB2312, …, which no distribution ships).
pub const FONTS_DIR_ENV: &str = "GONGKAI_FONTS_DIR";

/// The system font directory searched after the given ones.
pub const SYSTEM_FONTS_DIR: &str = "/usr/share/fonts";

/// Directory levels searched below each font directory (Debian nests two or three deep).
const MAX_DEPTH: usize = 6;

/// Characters a font must have to count as a Chinese font: 中文 text would otherwise come out as
/// empty boxes.
const CJK_PROBE: [char; 4] = ['中', '国', '政', '公'];

/// A loaded set of fonts. Loading reads and parses every font file (a second or more with the
/// Noto CJK collections): do it once at start-up and share the value (cloning is cheap).
#[derive(Clone)]
pub struct Fonts {
    inner: Arc<FontsInner>,
}

struct FontsInner {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field("faces", &self.inner.fonts.len())
            .finish()
    }
}

impl Fonts {
    /// Loads the .ttf/.otf/.ttc/.otc files in `extra_dirs`, then in `$GONGKAI_FONTS_DIR`, then in
    /// /usr/share/fonts (directories that do not exist are skipped). Fails with a Chinese message
    /// saying what to install when no font has Chinese glyphs.
    pub fn discover(extra_dirs: &[PathBuf]) -> Result<Fonts, PdfError> {
        let mut dirs: Vec<PathBuf> = extra_dirs.to_vec();
        if let Some(dir) = std::env::var_os(FONTS_DIR_ENV).filter(|d| !d.is_empty()) {
            dirs.push(PathBuf::from(dir));
        }
        dirs.push(PathBuf::from(SYSTEM_FONTS_DIR));
        Fonts::load_dirs(&dirs)
    }

    /// Loads the fonts in exactly these directories (no environment, no system directory).
    pub fn load_dirs(dirs: &[PathBuf]) -> Result<Fonts, PdfError> {
        let mut fonts = Vec::new();
        for dir in dirs {
            load_dir(dir, 0, &mut fonts);
        }
        let fonts = Fonts::from_fonts(fonts);
        if !fonts.has_cjk() {
            return Err(PdfError::NoCjkFont {
                searched: dirs
                    .iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join("、"),
            });
        }
        Ok(fonts)
    }

    /// Fonts from font files already in memory (each may be a collection).
    pub fn from_data(files: impl IntoIterator<Item = Vec<u8>>) -> Fonts {
        Fonts::from_fonts(
            files
                .into_iter()
                .flat_map(|data| Font::iter(Bytes::new(data)))
                .collect(),
        )
    }

    fn from_fonts(fonts: Vec<Font>) -> Fonts {
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        Fonts {
            inner: Arc::new(FontsInner { book, fonts }),
        }
    }

    /// Whether some font has Chinese glyphs.
    pub fn has_cjk(&self) -> bool {
        self.inner.fonts.iter().any(|font| {
            CJK_PROBE
                .iter()
                .all(|c| font.info().coverage.contains(u32::from(*c)))
        })
    }

    /// The family names of the loaded faces, sorted, without repeats.
    pub fn families(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .inner
            .fonts
            .iter()
            .map(|f| f.info().family.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// The number of faces loaded (a .ttc holds several).
    pub fn len(&self) -> usize {
        self.inner.fonts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inner.fonts.is_empty()
    }

    pub(crate) fn book(&self) -> &LazyHash<FontBook> {
        &self.inner.book
    }

    pub(crate) fn font(&self, index: usize) -> Option<Font> {
        self.inner.fonts.get(index).cloned()
    }
}

fn is_font_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        let e = e.to_ascii_lowercase();
        matches!(e.as_str(), "ttf" | "otf" | "ttc" | "otc")
    })
}

/// Reads the fonts below `dir`. Unreadable files and directories are skipped: one broken font
/// must not stop the letters of a whole office.
fn load_dir(dir: &Path, depth: usize, out: &mut Vec<Font>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    // A stable order makes the same font win a family name on every start.
    paths.sort();
    for path in paths {
        if path.is_dir() {
            load_dir(&path, depth + 1, out);
        } else if is_font_file(&path)
            && let Ok(data) = std::fs::read(&path)
        {
            out.extend(Font::iter(Bytes::new(data)));
        }
    }
}
