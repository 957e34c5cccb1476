//! The annual report as data: the canonical model of `spec/report-model.md` §2.
//!
//! The same types are produced by the auditor (tables read out of a published document) and by the
//! report builder (tables computed from records), so that both are checked by one catalogue.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// One cell as printed. A blank or "/" cell is never turned into 0: an auditor must be able to say
/// "this cell is blank" (report-model.md §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(untagged)]
pub enum CellValue {
    Number(i64),
    /// Anything else printed in the cell, kept as printed: "/", "—", "无", or a decimal fee "7730.28".
    Text(String),
    /// An empty cell (`null` in JSON).
    #[default]
    Blank,
}

impl CellValue {
    /// The number in the cell, if it holds a whole number.
    pub fn number(&self) -> Option<i64> {
        match self {
            CellValue::Number(n) => Some(*n),
            _ => None,
        }
    }
}

impl fmt::Display for CellValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CellValue::Number(n) => write!(f, "{n}"),
            CellValue::Text(t) => f.write_str(t),
            CellValue::Blank => f.write_str("（空白）"),
        }
    }
}

/// Which official layout a report follows (report-model.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportFormat {
    /// 国办公开办函〔2021〕30号: reports for 2021 and later.
    #[serde(rename = "2021")]
    F2021,
    /// 国办公开办函〔2019〕60号: reports for 2019 and 2020.
    #[serde(rename = "2019")]
    F2019,
    /// The 2008 条例 era (up to 2018): recognised, not forced into the 2021 model.
    #[serde(rename = "pre2019")]
    Pre2019,
}

impl ReportFormat {
    pub fn label(self) -> &'static str {
        match self {
            ReportFormat::F2021 => "2021年格式（国办公开办函〔2021〕30号）",
            ReportFormat::F2019 => "2019年格式（国办公开办函〔2019〕60号）",
            ReportFormat::Pre2019 => "2019年以前的格式（2008年条例时期）",
        }
    }
}

/// The canonical tables of one report (what `audit --format json` emits under `"tables"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportTables {
    pub organ: Option<String>,
    pub year: Option<i32>,
    pub format: ReportFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table2: Option<Table2>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table3: Option<Table3>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table4: Option<Table4>,
}

/// Table 二 — 主动公开政府信息情况, in the layout of its format.
// One value per report, never in a hot collection: boxing the larger 2019 layout would only make
// the model clumsier to build.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Table2 {
    F2021(Table2v2021),
    F2019(Table2v2019),
}

/// Table 二 of the 2021 format (legal-rules.md §B.2).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table2v2021 {
    /// 规章
    pub regulations: DocumentCounts,
    /// 行政规范性文件
    pub normative_documents: DocumentCounts,
    /// 行政许可: 本年处理决定数量
    pub licensing: CellValue,
    /// 行政处罚
    pub penalty: CellValue,
    /// 行政强制
    pub coercion: CellValue,
    /// 行政事业性收费: 本年收费金额（单位：万元）, a decimal kept as printed.
    pub fees_wan_yuan: CellValue,
}

/// 本年制发件数 | 本年废止件数 | 现行有效件数
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentCounts {
    pub issued: CellValue,
    pub repealed: CellValue,
    pub in_force: CellValue,
}

/// Table 二 of the 2019 format (国办公开办函〔2019〕60号).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table2v2019 {
    pub regulations: DocumentCounts2019,
    pub normative_documents: DocumentCounts2019,
    pub licensing: ItemCounts2019,
    pub other_external_services: ItemCounts2019,
    pub penalty: ItemCounts2019,
    pub coercion: ItemCounts2019,
    pub fees: FeeItems2019,
    pub procurement: Procurement2019,
}

/// 本年新制作数量 | 本年新公开数量 | 对外公开总数量
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentCounts2019 {
    pub made: CellValue,
    pub published: CellValue,
    pub total_public: CellValue,
}

/// 上一年项目数量 | 本年增/减 (may be negative) | 处理决定数量
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCounts2019 {
    pub previous_items: CellValue,
    pub change: CellValue,
    pub decisions: CellValue,
}

/// 上一年项目数量 | 本年增/减
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeItems2019 {
    pub previous_items: CellValue,
    pub change: CellValue,
}

/// 采购项目数量 | 采购总金额 (kept as printed, e.g. "73802895.90元")
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procurement2019 {
    pub projects: CellValue,
    pub amount: CellValue,
}

/// Table 三 — 收到和处理政府信息公开申请情况: the rows as printed, in printed order.
/// A report that prints a group as one row has the group key (e.g. `other_processing`) and not its
/// sub-rows; the extractor never invents rows.
pub type Table3 = BTreeMap<Table3Row, Table3Columns>;

/// Row keys of table 三 (report-model.md). The declaration order is the printed order, and `Ord`
/// follows it, so a `BTreeMap` keeps the printed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table3Row {
    NewReceived,
    CarriedOver,
    Granted,
    PartiallyGranted,
    /// （三）不予公开, when printed as one row.
    Denied,
    DeniedStateSecret,
    DeniedProhibitedByLaw,
    DeniedEndangersSecurityStability,
    DeniedThirdPartyRights,
    DeniedInternalAffairs,
    DeniedProcessInformation,
    DeniedEnforcementFile,
    DeniedAdministrativeQuery,
    /// （四）无法提供, when printed as one row.
    Unable,
    UnableNotHeld,
    UnableNeedsCreation,
    UnableUnclearAfterCorrection,
    /// （五）不予处理, when printed as one row.
    NotProcessed,
    NotProcessedPetitionComplaint,
    NotProcessedRepeated,
    NotProcessedPublication,
    NotProcessedExcessive,
    NotProcessedConfirmOrReissue,
    /// （六）其他处理, when printed as one row (always so in the 2019 format).
    OtherProcessing,
    OtherOverdueCorrection,
    OtherOverdueFee,
    OtherOther,
    TotalProcessed,
    CarriedForward,
}

impl Table3Row {
    pub const ALL: [Table3Row; 29] = [
        Table3Row::NewReceived,
        Table3Row::CarriedOver,
        Table3Row::Granted,
        Table3Row::PartiallyGranted,
        Table3Row::Denied,
        Table3Row::DeniedStateSecret,
        Table3Row::DeniedProhibitedByLaw,
        Table3Row::DeniedEndangersSecurityStability,
        Table3Row::DeniedThirdPartyRights,
        Table3Row::DeniedInternalAffairs,
        Table3Row::DeniedProcessInformation,
        Table3Row::DeniedEnforcementFile,
        Table3Row::DeniedAdministrativeQuery,
        Table3Row::Unable,
        Table3Row::UnableNotHeld,
        Table3Row::UnableNeedsCreation,
        Table3Row::UnableUnclearAfterCorrection,
        Table3Row::NotProcessed,
        Table3Row::NotProcessedPetitionComplaint,
        Table3Row::NotProcessedRepeated,
        Table3Row::NotProcessedPublication,
        Table3Row::NotProcessedExcessive,
        Table3Row::NotProcessedConfirmOrReissue,
        Table3Row::OtherProcessing,
        Table3Row::OtherOverdueCorrection,
        Table3Row::OtherOverdueFee,
        Table3Row::OtherOther,
        Table3Row::TotalProcessed,
        Table3Row::CarriedForward,
    ];

    /// The canonical key, e.g. `new_received`.
    pub fn key(self) -> &'static str {
        match self {
            Table3Row::NewReceived => "new_received",
            Table3Row::CarriedOver => "carried_over",
            Table3Row::Granted => "granted",
            Table3Row::PartiallyGranted => "partially_granted",
            Table3Row::Denied => "denied",
            Table3Row::DeniedStateSecret => "denied_state_secret",
            Table3Row::DeniedProhibitedByLaw => "denied_prohibited_by_law",
            Table3Row::DeniedEndangersSecurityStability => "denied_endangers_security_stability",
            Table3Row::DeniedThirdPartyRights => "denied_third_party_rights",
            Table3Row::DeniedInternalAffairs => "denied_internal_affairs",
            Table3Row::DeniedProcessInformation => "denied_process_information",
            Table3Row::DeniedEnforcementFile => "denied_enforcement_file",
            Table3Row::DeniedAdministrativeQuery => "denied_administrative_query",
            Table3Row::Unable => "unable",
            Table3Row::UnableNotHeld => "unable_not_held",
            Table3Row::UnableNeedsCreation => "unable_needs_creation",
            Table3Row::UnableUnclearAfterCorrection => "unable_unclear_after_correction",
            Table3Row::NotProcessed => "not_processed",
            Table3Row::NotProcessedPetitionComplaint => "not_processed_petition_complaint",
            Table3Row::NotProcessedRepeated => "not_processed_repeated",
            Table3Row::NotProcessedPublication => "not_processed_publication",
            Table3Row::NotProcessedExcessive => "not_processed_excessive",
            Table3Row::NotProcessedConfirmOrReissue => "not_processed_confirm_or_reissue",
            Table3Row::OtherProcessing => "other_processing",
            Table3Row::OtherOverdueCorrection => "other_overdue_correction",
            Table3Row::OtherOverdueFee => "other_overdue_fee",
            Table3Row::OtherOther => "other_other",
            Table3Row::TotalProcessed => "total_processed",
            Table3Row::CarriedForward => "carried_forward",
        }
    }

    pub fn from_key(key: &str) -> Option<Table3Row> {
        Table3Row::ALL.into_iter().find(|r| r.key() == key)
    }

    /// The label as printed in the 2021 format (legal-rules.md §B.3).
    pub fn label(self) -> &'static str {
        match self {
            Table3Row::NewReceived => "一、本年新收政府信息公开申请数量",
            Table3Row::CarriedOver => "二、上年结转政府信息公开申请数量",
            Table3Row::Granted => "（一）予以公开",
            Table3Row::PartiallyGranted => {
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
            }
            Table3Row::Denied => "（三）不予公开",
            Table3Row::DeniedStateSecret => "1.属于国家秘密",
            Table3Row::DeniedProhibitedByLaw => "2.其他法律行政法规禁止公开",
            Table3Row::DeniedEndangersSecurityStability => "3.危及“三安全一稳定”",
            Table3Row::DeniedThirdPartyRights => "4.保护第三方合法权益",
            Table3Row::DeniedInternalAffairs => "5.属于三类内部事务信息",
            Table3Row::DeniedProcessInformation => "6.属于四类过程性信息",
            Table3Row::DeniedEnforcementFile => "7.属于行政执法案卷",
            Table3Row::DeniedAdministrativeQuery => "8.属于行政查询事项",
            Table3Row::Unable => "（四）无法提供",
            Table3Row::UnableNotHeld => "1.本机关不掌握相关政府信息",
            Table3Row::UnableNeedsCreation => "2.没有现成信息需要另行制作",
            Table3Row::UnableUnclearAfterCorrection => "3.补正后申请内容仍不明确",
            Table3Row::NotProcessed => "（五）不予处理",
            Table3Row::NotProcessedPetitionComplaint => "1.信访举报投诉类申请",
            Table3Row::NotProcessedRepeated => "2.重复申请",
            Table3Row::NotProcessedPublication => "3.要求提供公开出版物",
            Table3Row::NotProcessedExcessive => "4.无正当理由大量反复申请",
            Table3Row::NotProcessedConfirmOrReissue => "5.要求行政机关确认或重新出具已获取信息",
            Table3Row::OtherProcessing => "（六）其他处理",
            Table3Row::OtherOverdueCorrection => {
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
            }
            Table3Row::OtherOverdueFee => {
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
            }
            Table3Row::OtherOther => "3.其他",
            Table3Row::TotalProcessed => "（七）总计",
            Table3Row::CarriedForward => "四、结转下年度继续办理",
        }
    }

    /// The group row this sub-row belongs to, if any (（三）–（六）).
    pub fn group(self) -> Option<Table3Row> {
        use Table3Row::*;
        match self {
            DeniedStateSecret
            | DeniedProhibitedByLaw
            | DeniedEndangersSecurityStability
            | DeniedThirdPartyRights
            | DeniedInternalAffairs
            | DeniedProcessInformation
            | DeniedEnforcementFile
            | DeniedAdministrativeQuery => Some(Denied),
            UnableNotHeld | UnableNeedsCreation | UnableUnclearAfterCorrection => Some(Unable),
            NotProcessedPetitionComplaint
            | NotProcessedRepeated
            | NotProcessedPublication
            | NotProcessedExcessive
            | NotProcessedConfirmOrReissue => Some(NotProcessed),
            OtherOverdueCorrection | OtherOverdueFee | OtherOther => Some(OtherProcessing),
            _ => None,
        }
    }

    /// Whether this row is one of the outcome rows that add up to （七）总计 (a sub-row, a group
    /// printed as one row, 予以公开 or 部分公开).
    pub fn is_outcome(self) -> bool {
        !matches!(
            self,
            Table3Row::NewReceived
                | Table3Row::CarriedOver
                | Table3Row::TotalProcessed
                | Table3Row::CarriedForward
        )
    }
}

/// The seven columns of table 三.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table3Columns {
    /// 自然人
    pub natural_person: CellValue,
    /// 商业企业
    pub commercial_enterprise: CellValue,
    /// 科研机构
    pub research_institution: CellValue,
    /// 社会公益组织
    pub social_welfare_org: CellValue,
    /// 法律服务机构
    pub legal_service_org: CellValue,
    /// 其他
    pub other_org: CellValue,
    /// 总计
    pub total: CellValue,
}

/// Column keys of table 三, in printed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table3Column {
    NaturalPerson,
    CommercialEnterprise,
    ResearchInstitution,
    SocialWelfareOrg,
    LegalServiceOrg,
    OtherOrg,
    Total,
}

impl Table3Column {
    pub const ALL: [Table3Column; 7] = [
        Table3Column::NaturalPerson,
        Table3Column::CommercialEnterprise,
        Table3Column::ResearchInstitution,
        Table3Column::SocialWelfareOrg,
        Table3Column::LegalServiceOrg,
        Table3Column::OtherOrg,
        Table3Column::Total,
    ];
    /// The six applicant columns that add up to 总计.
    pub const APPLICANTS: [Table3Column; 6] = [
        Table3Column::NaturalPerson,
        Table3Column::CommercialEnterprise,
        Table3Column::ResearchInstitution,
        Table3Column::SocialWelfareOrg,
        Table3Column::LegalServiceOrg,
        Table3Column::OtherOrg,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Table3Column::NaturalPerson => "natural_person",
            Table3Column::CommercialEnterprise => "commercial_enterprise",
            Table3Column::ResearchInstitution => "research_institution",
            Table3Column::SocialWelfareOrg => "social_welfare_org",
            Table3Column::LegalServiceOrg => "legal_service_org",
            Table3Column::OtherOrg => "other_org",
            Table3Column::Total => "total",
        }
    }

    pub fn from_key(key: &str) -> Option<Table3Column> {
        Table3Column::ALL.into_iter().find(|c| c.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Table3Column::NaturalPerson => "自然人",
            Table3Column::CommercialEnterprise => "商业企业",
            Table3Column::ResearchInstitution => "科研机构",
            Table3Column::SocialWelfareOrg => "社会公益组织",
            Table3Column::LegalServiceOrg => "法律服务机构",
            Table3Column::OtherOrg => "其他",
            Table3Column::Total => "总计",
        }
    }
}

impl Table3Columns {
    pub fn get(&self, column: Table3Column) -> &CellValue {
        match column {
            Table3Column::NaturalPerson => &self.natural_person,
            Table3Column::CommercialEnterprise => &self.commercial_enterprise,
            Table3Column::ResearchInstitution => &self.research_institution,
            Table3Column::SocialWelfareOrg => &self.social_welfare_org,
            Table3Column::LegalServiceOrg => &self.legal_service_org,
            Table3Column::OtherOrg => &self.other_org,
            Table3Column::Total => &self.total,
        }
    }

    pub fn get_mut(&mut self, column: Table3Column) -> &mut CellValue {
        match column {
            Table3Column::NaturalPerson => &mut self.natural_person,
            Table3Column::CommercialEnterprise => &mut self.commercial_enterprise,
            Table3Column::ResearchInstitution => &mut self.research_institution,
            Table3Column::SocialWelfareOrg => &mut self.social_welfare_org,
            Table3Column::LegalServiceOrg => &mut self.legal_service_org,
            Table3Column::OtherOrg => &mut self.other_org,
            Table3Column::Total => &mut self.total,
        }
    }

    /// Builds a row from seven values in printed order.
    pub fn from_values(values: [CellValue; 7]) -> Self {
        let [a, b, c, d, e, f, g] = values;
        Table3Columns {
            natural_person: a,
            commercial_enterprise: b,
            research_institution: c,
            social_welfare_org: d,
            legal_service_org: e,
            other_org: f,
            total: g,
        }
    }
}

/// Table 四 — 政府信息公开行政复议、行政诉讼情况.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table4 {
    /// 行政复议
    pub reconsideration: ReviewBlock,
    /// 行政诉讼 — 未经复议直接起诉
    pub litigation_direct: ReviewBlock,
    /// 行政诉讼 — 复议后起诉
    pub litigation_after_reconsideration: ReviewBlock,
}

/// 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewBlock {
    pub upheld: CellValue,
    pub corrected: CellValue,
    pub other: CellValue,
    pub pending: CellValue,
    pub total: CellValue,
}

impl ReviewBlock {
    /// Builds a block from five values in printed order.
    pub fn from_values(values: [CellValue; 5]) -> Self {
        let [upheld, corrected, other, pending, total] = values;
        ReviewBlock {
            upheld,
            corrected,
            other,
            pending,
            total,
        }
    }

    /// The cells with their canonical keys, in printed order.
    pub fn cells(&self) -> [(&'static str, &CellValue); 5] {
        [
            ("upheld", &self.upheld),
            ("corrected", &self.corrected),
            ("other", &self.other),
            ("pending", &self.pending),
            ("total", &self.total),
        ]
    }
}

impl Table4 {
    /// The blocks with their canonical keys and Chinese labels, in printed order.
    pub fn blocks(&self) -> [(&'static str, &'static str, &ReviewBlock); 3] {
        [
            ("reconsideration", "行政复议", &self.reconsideration),
            (
                "litigation_direct",
                "行政诉讼（未经复议直接起诉）",
                &self.litigation_direct,
            ),
            (
                "litigation_after_reconsideration",
                "行政诉讼（复议后起诉）",
                &self.litigation_after_reconsideration,
            ),
        ]
    }
}

/// A cell's address in the canonical model, written `table3.new_received.total` (the form used by
/// the truth files' `ambiguous_cells` and by findings).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CellRef(pub String);

impl CellRef {
    pub fn new(parts: &[&str]) -> Self {
        CellRef(parts.join("."))
    }
    pub fn table3(row: Table3Row, column: Table3Column) -> Self {
        CellRef(format!("table3.{}.{}", row.key(), column.key()))
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_values_round_trip_as_number_null_and_string() {
        let cells: Vec<CellValue> = serde_json::from_str(r#"[0, null, "/", "7730.28"]"#).unwrap();
        assert_eq!(
            cells,
            vec![
                CellValue::Number(0),
                CellValue::Blank,
                CellValue::Text("/".into()),
                CellValue::Text("7730.28".into())
            ]
        );
        assert_eq!(
            serde_json::to_string(&cells).unwrap(),
            r#"[0,null,"/","7730.28"]"#
        );
    }

    #[test]
    fn row_keys_round_trip_and_keep_printed_order() {
        for row in Table3Row::ALL {
            let json = serde_json::to_string(&row).unwrap();
            assert_eq!(json, format!("\"{}\"", row.key()));
            assert_eq!(Table3Row::from_key(row.key()), Some(row));
        }
        let mut sorted = Table3Row::ALL;
        sorted.sort();
        assert_eq!(sorted, Table3Row::ALL);
    }

    #[test]
    fn every_corpus_truth_file_parses_into_the_model() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().ends_with(".truth.json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let tables: ReportTables = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert!(tables.table3.is_some(), "{}", path.display());
                n += 1;
            }
        }
        assert!(n >= 9, "expected the corpus truth files, found {n}");
    }
}
