//! Applicant types: the six columns of table 三 of the annual report (国办公开办函〔2021〕30号).

use crate::error::UnknownKeyError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Who applied. Table 三 splits every row by these six types (report-model.md "Column keys"); an
/// application with several applicants is counted under the first-named one (legal-rules.md §B.3,
/// recommended default — the caller picks which applicant that is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantType {
    /// 自然人
    NaturalPerson,
    /// 法人或其他组织：商业企业
    CommercialEnterprise,
    /// 法人或其他组织：科研机构
    ResearchInstitution,
    /// 法人或其他组织：社会公益组织
    SocialWelfareOrg,
    /// 法人或其他组织：法律服务机构
    LegalServiceOrg,
    /// 法人或其他组织：其他
    OtherOrg,
}

impl ApplicantType {
    /// All types, in the column order of table 三.
    pub const ALL: [ApplicantType; 6] = [
        ApplicantType::NaturalPerson,
        ApplicantType::CommercialEnterprise,
        ApplicantType::ResearchInstitution,
        ApplicantType::SocialWelfareOrg,
        ApplicantType::LegalServiceOrg,
        ApplicantType::OtherOrg,
    ];

    /// The column header as printed in table 三.
    pub const fn label(self) -> &'static str {
        match self {
            ApplicantType::NaturalPerson => "自然人",
            ApplicantType::CommercialEnterprise => "商业企业",
            ApplicantType::ResearchInstitution => "科研机构",
            ApplicantType::SocialWelfareOrg => "社会公益组织",
            ApplicantType::LegalServiceOrg => "法律服务机构",
            ApplicantType::OtherOrg => "其他",
        }
    }

    /// A label that stands on its own outside the table, where a bare "其他" would be unclear.
    pub const fn description(self) -> &'static str {
        match self {
            ApplicantType::NaturalPerson => "自然人",
            ApplicantType::CommercialEnterprise => "法人或其他组织（商业企业）",
            ApplicantType::ResearchInstitution => "法人或其他组织（科研机构）",
            ApplicantType::SocialWelfareOrg => "法人或其他组织（社会公益组织）",
            ApplicantType::LegalServiceOrg => "法人或其他组织（法律服务机构）",
            ApplicantType::OtherOrg => "法人或其他组织（其他）",
        }
    }

    /// The canonical column key of report-model.md (also the serde name).
    pub const fn column_key(self) -> &'static str {
        match self {
            ApplicantType::NaturalPerson => "natural_person",
            ApplicantType::CommercialEnterprise => "commercial_enterprise",
            ApplicantType::ResearchInstitution => "research_institution",
            ApplicantType::SocialWelfareOrg => "social_welfare_org",
            ApplicantType::LegalServiceOrg => "legal_service_org",
            ApplicantType::OtherOrg => "other_org",
        }
    }

    /// Whether the applicant is a 法人或其他组织 (every type but 自然人).
    pub const fn is_organisation(self) -> bool {
        !matches!(self, ApplicantType::NaturalPerson)
    }

    /// The type with this column key.
    pub fn from_key(key: &str) -> Result<Self, UnknownKeyError> {
        let key = key.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.column_key() == key)
            .ok_or_else(|| {
                UnknownKeyError::new(
                    "申请人类型",
                    key,
                    Self::ALL.iter().map(|t| (t.column_key(), t.description())),
                )
            })
    }
}

impl FromStr for ApplicantType {
    type Err = UnknownKeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_key(s)
    }
}

impl fmt::Display for ApplicantType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_report_model_and_serde() {
        let keys: Vec<&str> = ApplicantType::ALL.iter().map(|t| t.column_key()).collect();
        assert_eq!(
            keys,
            [
                "natural_person",
                "commercial_enterprise",
                "research_institution",
                "social_welfare_org",
                "legal_service_org",
                "other_org"
            ]
        );
        for t in ApplicantType::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.column_key()));
            assert_eq!(t.column_key().parse::<ApplicantType>().unwrap(), t);
        }
    }

    #[test]
    fn unknown_key_lists_the_valid_ones_in_chinese() {
        let err = "person".parse::<ApplicantType>().unwrap_err().to_string();
        assert!(err.contains("“person”不是有效的申请人类型"), "{err}");
        assert!(err.contains("natural_person（自然人）"), "{err}");
    }
}
