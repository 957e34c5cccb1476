//! The catalogue metadata of a proactively disclosed item (政府信息公开目录, legal-rules.md §E.3):
//! 体裁分类, 公开渠道, 有效性 and the 条例 Art 20 item it falls under.
//!
//! 主题分类 and the 基层政务公开 domains are editable reference data (the store seeds them), not
//! code: they differ between provinces and change with the 标准目录.

use crate::error::UnknownKeyError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A closed vocabulary with a stable English key (database, URLs, JSON) and a Chinese label
/// (screens, letters, imports). Parsing accepts either, so an Excel ledger that says "工作动态"
/// imports as well as one that says "work_update".
macro_rules! keyed_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $key:literal, $label:literal; )+
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

            /// The stable key (also the serde name).
            pub const fn key(self) -> &'static str {
                match self { $($name::$variant => $key,)+ }
            }

            /// The Chinese name.
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// The value with this key or this Chinese label.
            pub fn parse(text: &str) -> Result<Self, UnknownKeyError> {
                let text = text.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.key() == text || v.label() == text)
                    .ok_or_else(|| {
                        UnknownKeyError::new(
                            $what,
                            text,
                            Self::ALL.iter().map(|v| (v.key(), v.label())),
                        )
                    })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }

        impl FromStr for $name {
            type Err = UnknownKeyError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

keyed_enum! {
    /// 体裁分类. 规章 and 行政规范性文件 are counted in table 二 of the annual report (制发/废止/现行有效).
    Genre, "体裁分类" {
        Regulation = "regulation", "规章";
        NormativeDocument = "normative_document", "行政规范性文件";
        OtherDocument = "other_document", "其他文件";
        Interpretation = "interpretation", "政策解读";
        WorkUpdate = "work_update", "工作动态";
        Notice = "notice", "通知公告";
        PlanSummary = "plan_summary", "计划总结";
        Statistics = "statistics", "统计信息";
        Personnel = "personnel", "人事信息";
        Finance = "finance", "财政信息";
        Institution = "institution", "机构职能";
    }
}

impl Genre {
    /// Documents that carry a 文号 and an 有效性 (a work update has neither).
    pub const fn is_document(self) -> bool {
        matches!(
            self,
            Genre::Regulation | Genre::NormativeDocument | Genre::OtherDocument
        )
    }

    /// Policy documents that should be published with a 政策解读 (国办发〔2016〕80号 asks that
    /// major policy documents be interpreted; the missing interpretation is a weakness the
    /// reports themselves name).
    pub const fn wants_interpretation(self) -> bool {
        matches!(self, Genre::Regulation | Genre::NormativeDocument)
    }
}

keyed_enum! {
    /// 公开渠道: where an item went out. Items published only outside the website are recorded too,
    /// so that the yearly counts by channel are true.
    Channel, "公开渠道" {
        Column = "column", "政府信息公开专栏";
        Portal = "portal", "门户网站";
        MediaApp = "media_app", "官媒客户端";
        Newspaper = "newspaper", "报纸";
        WechatAccount = "wechat_account", "政务微信公众号";
        Weibo = "weibo", "政务微博";
        WechatGroup = "wechat_group", "微信群";
        BulletinBoard = "bulletin_board", "政务公开栏";
        Broadcast = "broadcast", "广播电视";
        Other = "other", "其他";
    }
}

impl Channel {
    /// Whether the item appears on the organ's own 政府信息公开 column on this site.
    pub const fn is_on_site(self) -> bool {
        matches!(self, Channel::Column | Channel::Portal)
    }
}

keyed_enum! {
    /// 有效性 of a document.
    Validity, "有效性" {
        Valid = "valid", "有效";
        Expired = "expired", "失效";
        Repealed = "repealed", "废止";
    }
}

/// The item of 条例 Art 20 (1–15) that an item of information falls under (法定主动公开内容).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Art20Item(u8);

/// 条例 第二十条 (一)–(十五), in the words of the Regulation.
const ART20_TEXT: [&str; 15] = [
    "行政法规、规章和规范性文件",
    "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    "国民经济和社会发展统计信息",
    "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    "财政预算、决算信息",
    "行政事业性收费项目及其依据、标准",
    "政府集中采购项目的目录、标准及实施情况",
    "重大建设项目的批准和实施情况",
    "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    "突发公共事件的应急预案、预警信息及应对情况",
    "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    "公务员招考的职位、名额、报考条件等事项以及录用结果",
    "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
];

const CHINESE_ORDINALS: [&str; 15] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
    "十五",
];

impl Art20Item {
    /// All fifteen items in order.
    pub fn all() -> impl Iterator<Item = Art20Item> {
        (1..=15).map(Art20Item)
    }

    /// The item with this number (1–15).
    pub fn new(number: u8) -> Option<Art20Item> {
        (1..=15).contains(&number).then_some(Art20Item(number))
    }

    /// Parses "3", "（三）", "(三)", "三" or "第二十条第（三）项".
    pub fn parse(text: &str) -> Result<Art20Item, UnknownKeyError> {
        let trimmed = text
            .trim()
            .trim_start_matches("第二十条")
            .trim_start_matches('第')
            .trim_end_matches('项')
            .trim_matches(|c| matches!(c, '(' | ')' | '（' | '）'));
        let by_number = trimmed.parse::<u8>().ok().and_then(Art20Item::new);
        let by_ordinal = || {
            CHINESE_ORDINALS
                .iter()
                .position(|o| *o == trimmed)
                .and_then(|i| u8::try_from(i + 1).ok())
                .and_then(Art20Item::new)
        };
        by_number.or_else(by_ordinal).ok_or_else(|| {
            UnknownKeyError::new(
                "条例第二十条事项",
                text,
                [("1", "（一）"), ("…", "…"), ("15", "（十五）")].into_iter(),
            )
        })
    }

    /// 1–15.
    pub const fn number(self) -> u8 {
        self.0
    }

    /// "（三）".
    pub fn ordinal(self) -> String {
        let i = usize::from(self.0.saturating_sub(1));
        format!("（{}）", CHINESE_ORDINALS.get(i).copied().unwrap_or(""))
    }

    /// The words of the Regulation for this item.
    pub fn text(self) -> &'static str {
        ART20_TEXT
            .get(usize::from(self.0.saturating_sub(1)))
            .copied()
            .unwrap_or("")
    }
}

impl fmt::Display for Art20Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第二十条{} {}", self.ordinal(), self.text())
    }
}

impl TryFrom<u8> for Art20Item {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Art20Item::new(n).ok_or_else(|| format!("条例第二十条只有第1至15项，没有第{n}项"))
    }
}

impl From<Art20Item> for u8 {
    fn from(item: Art20Item) -> u8 {
        item.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn genre_parses_key_and_chinese_label() {
        assert_eq!(Genre::parse("work_update").unwrap(), Genre::WorkUpdate);
        assert_eq!(
            Genre::parse(" 行政规范性文件 ").unwrap(),
            Genre::NormativeDocument
        );
        let err = Genre::parse("新闻").unwrap_err().to_string();
        assert!(err.contains("新闻") && err.contains("工作动态"), "{err}");
    }

    #[test]
    fn art20_items_parse_in_the_forms_ledgers_use() {
        for text in ["3", "（三）", "(三)", "三", "第二十条第（三）项"] {
            assert_eq!(Art20Item::parse(text).unwrap().number(), 3, "{text}");
        }
        assert_eq!(Art20Item::parse("十五").unwrap().number(), 15);
        assert!(Art20Item::parse("16").is_err());
        assert!(Art20Item::parse("0").is_err());
        assert_eq!(Art20Item::new(7).unwrap().text(), "财政预算、决算信息");
        assert_eq!(Art20Item::new(12).unwrap().ordinal(), "（十二）");
    }

    #[test]
    fn only_the_column_and_the_portal_are_on_the_site() {
        let on_site: Vec<_> = Channel::ALL.iter().filter(|c| c.is_on_site()).collect();
        assert_eq!(on_site, [&Channel::Column, &Channel::Portal]);
    }
}
