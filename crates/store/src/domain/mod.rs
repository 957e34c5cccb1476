//! Domain newtypes that validate on construction: once you hold one, it is valid.

mod credit_code;
mod kinds;
mod text;
mod username;

pub use credit_code::CreditCode;
pub use kinds::{OrganKind, Role};
pub(crate) use text::{clean_optional, clean_required};
pub use username::Username;
