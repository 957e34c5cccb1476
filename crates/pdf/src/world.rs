//! The typst World of one render: the fixed template as the only source, the document as input,
//! the preloaded fonts, and no files, packages or clock (nothing can be read or fetched).

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Str, Value};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::error::PdfError;
use crate::fonts::Fonts;

/// The template, compiled into the binary.
pub(crate) const TEMPLATE: &str = include_str!("../templates/document.typ");

pub(crate) struct DocumentWorld<'a> {
    library: LazyHash<Library>,
    fonts: &'a Fonts,
    main: Source,
}

impl<'a> DocumentWorld<'a> {
    /// `doc` and `style` are JSON; the template reads them with `json(sys.inputs.…)`.
    pub(crate) fn new(fonts: &'a Fonts, doc: Vec<u8>, style: Vec<u8>) -> Result<Self, PdfError> {
        let mut inputs = Dict::new();
        inputs.insert(Str::from("doc"), Value::Bytes(Bytes::new(doc)));
        inputs.insert(Str::from("style"), Value::Bytes(Bytes::new(style)));
        let library = Library::builder().with_inputs(inputs).build();
        let path = VirtualPath::new("/document.typ")
            .map_err(|e| PdfError::Layout(format!("模板路径无效：{e:?}")))?;
        let id = FileId::new(RootedPath::new(VirtualRoot::Project, path));
        Ok(DocumentWorld {
            library: LazyHash::new(library),
            fonts,
            main: Source::new(id, TEMPLATE.to_string()),
        })
    }
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // The template prints no date of its own: dates come in the document, in China time.
        None
    }
}
