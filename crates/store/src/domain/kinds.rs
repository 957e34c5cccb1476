//! Closed vocabularies stored as short English codes, shown with their Chinese labels.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $err:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database and used in URLs and JSON.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The Chinese label shown to users.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Parses a stored code.
            pub fn from_code(code: &str) -> Result<Self, ValidationError> {
                match code {
                    $($code => Ok($name::$variant),)+
                    other => Err(ValidationError::$err(other.to_owned())),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }

        impl std::str::FromStr for $name {
            type Err = ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::from_code(s)
            }
        }
    };
}

code_enum! {
    /// What kind of body an organ is.
    OrganKind, UnknownOrganKind {
        /// 人民政府 (county/district/city government).
        Government = "government", "人民政府";
        /// 政府工作部门 (a 局, 委, 办).
        Department = "department", "政府工作部门";
        /// 街道办事处.
        Subdistrict = "subdistrict", "街道办事处";
        /// 乡镇人民政府.
        Township = "township", "乡镇人民政府";
        /// Anything else (e.g. 法律法规授权组织).
        Other = "other", "其他";
    }
}

code_enum! {
    /// What a user may do in an organ (a user can hold roles in several organs).
    Role, UnknownRole {
        /// Manages users, organs and settings.
        Admin = "admin", "系统管理员";
        /// Runs the organ's disclosure work (政府信息公开专员).
        Officer = "officer", "信息公开专员";
        /// Drafts information items.
        Editor = "editor", "编辑";
        /// Reviews items before publication (incl. 保密审查).
        Reviewer = "reviewer", "审核人";
        /// Handles applications assigned to a department (科室).
        Handler = "handler", "科室承办人";
        /// Oversees an organ and its subordinate organs (read-only).
        Supervisor = "supervisor", "监督员";
    }
}
