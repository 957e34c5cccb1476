//! Domain newtypes that validate on construction: once you hold one, it is valid.

mod kinds;
mod text;
mod username;

/// 统一社会信用代码 (GB 32100-2015): the one implementation lives in the law crate.
pub use gongkai_law::identity::CreditCode;
pub use kinds::{OrganKind, Role};
pub(crate) use text::{clean_optional, clean_required};
pub use username::Username;
