//! The editorial workflow of proactive disclosure: 采编 (draft) → 审核 (review, with the 保密审查 of
//! 条例 Art 17) → 发布 (publish), and what may happen to an item afterwards.
//!
//! Pure: the caller says who is acting ([`Actor`]); this module says whether the step is allowed
//! and which state follows. Who holds which capability (编辑, 审核人, 信息公开专员…) is decided by the
//! web layer's authorization table, not here.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an item is in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// 采编中: the author writes; a rejected item comes back here with the reviewer's reason.
    Draft,
    /// 待审核: waiting for a reviewer.
    InReview,
    /// 已发布: public.
    Published,
    /// 不予公开（定期复查）: the review found that the item may not be disclosed now (Arts 14–16);
    /// it comes back for re-review (Art 18).
    Withheld,
    /// 已撤回: taken off the public column after publication, with a recorded reason.
    Withdrawn,
}

impl ItemState {
    pub const ALL: [ItemState; 5] = [
        ItemState::Draft,
        ItemState::InReview,
        ItemState::Published,
        ItemState::Withheld,
        ItemState::Withdrawn,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            ItemState::Draft => "draft",
            ItemState::InReview => "in_review",
            ItemState::Published => "published",
            ItemState::Withheld => "withheld",
            ItemState::Withdrawn => "withdrawn",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            ItemState::Draft => "采编中",
            ItemState::InReview => "待审核",
            ItemState::Published => "已发布",
            ItemState::Withheld => "不予公开（待复查）",
            ItemState::Withdrawn => "已撤回",
        }
    }

    pub fn from_key(key: &str) -> Option<ItemState> {
        ItemState::ALL.into_iter().find(|s| s.key() == key)
    }
}

impl fmt::Display for ItemState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Change the text or metadata of an unpublished item.
    Edit,
    /// 提交审核.
    Submit,
    /// 审核通过并发布 (the 保密审查 checklist must be complete).
    Approve,
    /// 退回修改 (a reason is required).
    Reject,
    /// 不予公开 for now (a legal basis, a reason and a re-review date are required).
    Withhold,
    /// Art 18 re-review found the item can now be disclosed: back to review.
    Release,
    /// Art 18 re-review keeps it withheld until the next re-review date.
    KeepWithheld,
    /// Change a published item: a new version, history kept.
    Revise,
    /// 撤回 a published item (a reason is required).
    Withdraw,
    /// Mark a published document 失效 or 废止 (its 有效性), with the date and a reason.
    ChangeValidity,
}

impl Step {
    pub const fn label(self) -> &'static str {
        match self {
            Step::Edit => "修改",
            Step::Submit => "提交审核",
            Step::Approve => "审核通过并发布",
            Step::Reject => "退回修改",
            Step::Withhold => "不予公开",
            Step::Release => "复查后可公开（重新送审）",
            Step::KeepWithheld => "复查后继续不予公开",
            Step::Revise => "修订已发布信息",
            Step::Withdraw => "撤回",
            Step::ChangeValidity => "变更有效性",
        }
    }
}

/// Who is taking a step, as far as the workflow cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The actor may write items (编辑, 科室承办人 for their own 科室, 信息公开专员).
    pub can_write: bool,
    /// The actor may review and publish (审核人, 信息公开专员).
    pub can_review: bool,
    /// The actor wrote (or last submitted) this item.
    pub is_author: bool,
}

/// Why a step is refused, in words an officer can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditorialError {
    #[error("“{step}”不能用于{state}的信息。")]
    WrongState {
        step: &'static str,
        state: &'static str,
    },
    #[error("您没有“{step}”的权限：撰写信息需要编辑、科室承办人或信息公开专员角色。")]
    NotAWriter { step: &'static str },
    #[error("您没有“{step}”的权限：审核发布需要审核人或信息公开专员角色。")]
    NotAReviewer { step: &'static str },
    #[error("不能审核自己撰写的信息：请由另一位审核人审核（审核与采编分离）。")]
    OwnItem,
}

/// The state after `step`, or why it is not allowed (the checks of the required fields — reason,
/// checklist, dates — are the caller's: they are data, not workflow).
pub fn next_state(state: ItemState, step: Step, actor: Actor) -> Result<ItemState, EditorialError> {
    use ItemState as S;
    let wrong = || EditorialError::WrongState {
        step: step.label(),
        state: state.label(),
    };
    let writer = || {
        if actor.can_write || actor.can_review {
            Ok(())
        } else {
            Err(EditorialError::NotAWriter { step: step.label() })
        }
    };
    // Review steps: a reviewer, and never on one's own item (separation of 采编 and 审核).
    let reviewer = || {
        if !actor.can_review {
            Err(EditorialError::NotAReviewer { step: step.label() })
        } else if actor.is_author {
            Err(EditorialError::OwnItem)
        } else {
            Ok(())
        }
    };
    // Steps on published or withheld items are the reviewer's, but need not be by someone else:
    // the author of a published item may be the officer who revises it.
    let publisher = || {
        if actor.can_review {
            Ok(())
        } else {
            Err(EditorialError::NotAReviewer { step: step.label() })
        }
    };
    match (step, state) {
        (Step::Edit, S::Draft) => writer().map(|()| S::Draft),
        (Step::Submit, S::Draft) => writer().map(|()| S::InReview),
        (Step::Approve, S::InReview) => reviewer().map(|()| S::Published),
        (Step::Reject, S::InReview) => reviewer().map(|()| S::Draft),
        (Step::Withhold, S::InReview) => reviewer().map(|()| S::Withheld),
        (Step::Release, S::Withheld) => publisher().map(|()| S::InReview),
        (Step::KeepWithheld, S::Withheld) => publisher().map(|()| S::Withheld),
        (Step::Revise | Step::ChangeValidity, S::Published) => publisher().map(|()| S::Published),
        (Step::Withdraw, S::Published) => publisher().map(|()| S::Withdrawn),
        _ => Err(wrong()),
    }
}

/// One point of the 保密审查 (条例 Art 17: 行政机关应当建立健全政府信息公开审查机制… 对拟公开的政府
/// 信息进行审查). The reviewer confirms every point before publishing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecrecyCheck {
    /// Art 14: 不涉及国家秘密.
    NoStateSecret,
    /// Art 14: 公开后不危及国家安全、公共安全、经济安全、社会稳定.
    NoSecurityRisk,
    /// Art 15: 不涉及商业秘密、个人隐私，或已取得权利人同意、不公开会对公共利益造成重大影响.
    NoPrivacyOrConsent,
    /// Art 15: 身份证号码、电话、住址等个人信息已去除或隐去.
    PersonalDataRemoved,
    /// Art 16: 不属于内部事务信息或过程性信息，或法律法规规定应当公开.
    NotInternalOrProcess,
    /// Art 6: 内容准确，与本机关已公开的信息一致.
    AccurateAndConsistent,
}

impl SecrecyCheck {
    pub const ALL: [SecrecyCheck; 6] = [
        SecrecyCheck::NoStateSecret,
        SecrecyCheck::NoSecurityRisk,
        SecrecyCheck::NoPrivacyOrConsent,
        SecrecyCheck::PersonalDataRemoved,
        SecrecyCheck::NotInternalOrProcess,
        SecrecyCheck::AccurateAndConsistent,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            SecrecyCheck::NoStateSecret => "no_state_secret",
            SecrecyCheck::NoSecurityRisk => "no_security_risk",
            SecrecyCheck::NoPrivacyOrConsent => "no_privacy_or_consent",
            SecrecyCheck::PersonalDataRemoved => "personal_data_removed",
            SecrecyCheck::NotInternalOrProcess => "not_internal_or_process",
            SecrecyCheck::AccurateAndConsistent => "accurate_and_consistent",
        }
    }

    /// The point as the reviewer reads it on the review form.
    pub const fn label(self) -> &'static str {
        match self {
            SecrecyCheck::NoStateSecret => "不涉及国家秘密（条例第十四条）",
            SecrecyCheck::NoSecurityRisk => {
                "公开后不会危及国家安全、公共安全、经济安全、社会稳定（第十四条）"
            }
            SecrecyCheck::NoPrivacyOrConsent => {
                "不涉及商业秘密、个人隐私，或已取得权利人同意、不公开会对公共利益造成重大影响（第十五条）"
            }
            SecrecyCheck::PersonalDataRemoved => {
                "身份证号码、电话、住址等个人信息已删除或隐去（第十五条）"
            }
            SecrecyCheck::NotInternalOrProcess => {
                "不属于内部事务信息或过程性信息，或法律法规规定应当公开（第十六条）"
            }
            SecrecyCheck::AccurateAndConsistent => "内容准确，与本机关已公开的信息一致（第六条）",
        }
    }

    pub fn from_key(key: &str) -> Option<SecrecyCheck> {
        SecrecyCheck::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The points of the checklist not in `confirmed`, in order.
    pub fn missing(confirmed: &[SecrecyCheck]) -> Vec<SecrecyCheck> {
        SecrecyCheck::ALL
            .into_iter()
            .filter(|c| !confirmed.contains(c))
            .collect()
    }
}

/// Why an item is withheld (不予公开), by article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithholdBasis {
    /// Art 14: 国家秘密.
    StateSecret,
    /// Art 14: 法律、行政法规禁止公开.
    ProhibitedByLaw,
    /// Art 14: 公开后可能危及国家安全、公共安全、经济安全、社会稳定.
    SecurityRisk,
    /// Art 15: 商业秘密、个人隐私.
    ThirdPartyRights,
    /// Art 16 ¶1: 内部事务信息.
    InternalAffairs,
    /// Art 16 ¶2: 过程性信息、行政执法案卷信息.
    ProcessInformation,
}

impl WithholdBasis {
    pub const ALL: [WithholdBasis; 6] = [
        WithholdBasis::StateSecret,
        WithholdBasis::ProhibitedByLaw,
        WithholdBasis::SecurityRisk,
        WithholdBasis::ThirdPartyRights,
        WithholdBasis::InternalAffairs,
        WithholdBasis::ProcessInformation,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            WithholdBasis::StateSecret => "state_secret",
            WithholdBasis::ProhibitedByLaw => "prohibited_by_law",
            WithholdBasis::SecurityRisk => "security_risk",
            WithholdBasis::ThirdPartyRights => "third_party_rights",
            WithholdBasis::InternalAffairs => "internal_affairs",
            WithholdBasis::ProcessInformation => "process_information",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            WithholdBasis::StateSecret => "属于国家秘密（第十四条）",
            WithholdBasis::ProhibitedByLaw => "法律、行政法规禁止公开（第十四条）",
            WithholdBasis::SecurityRisk => {
                "公开后可能危及国家安全、公共安全、经济安全、社会稳定（第十四条）"
            }
            WithholdBasis::ThirdPartyRights => "涉及商业秘密、个人隐私（第十五条）",
            WithholdBasis::InternalAffairs => "内部事务信息（第十六条第一款）",
            WithholdBasis::ProcessInformation => "过程性信息或行政执法案卷信息（第十六条第二款）",
        }
    }

    pub fn from_key(key: &str) -> Option<WithholdBasis> {
        WithholdBasis::ALL.into_iter().find(|b| b.key() == key)
    }
}

/// Art 18 asks for 定期评估审查 of withheld information but sets no period. gongkai proposes a
/// re-review six months on (the reviewer may choose another date); a withheld item past its date
/// is listed on the officer's dashboard.
pub const DEFAULT_REREVIEW_MONTHS: u32 = 6;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const WRITER: Actor = Actor {
        can_write: true,
        can_review: false,
        is_author: true,
    };
    const OTHER_REVIEWER: Actor = Actor {
        can_write: true,
        can_review: true,
        is_author: false,
    };
    const SELF_REVIEWER: Actor = Actor {
        can_write: true,
        can_review: true,
        is_author: true,
    };

    #[test]
    fn the_happy_path_is_draft_review_publish() {
        let s = next_state(ItemState::Draft, Step::Submit, WRITER).unwrap();
        assert_eq!(s, ItemState::InReview);
        let s = next_state(s, Step::Approve, OTHER_REVIEWER).unwrap();
        assert_eq!(s, ItemState::Published);
    }

    #[test]
    fn a_reviewer_cannot_approve_their_own_item() {
        assert_eq!(
            next_state(ItemState::InReview, Step::Approve, SELF_REVIEWER),
            Err(EditorialError::OwnItem)
        );
        assert_eq!(
            next_state(ItemState::InReview, Step::Reject, SELF_REVIEWER),
            Err(EditorialError::OwnItem)
        );
    }

    #[test]
    fn a_writer_cannot_publish() {
        assert!(matches!(
            next_state(
                ItemState::InReview,
                Step::Approve,
                Actor {
                    is_author: false,
                    ..WRITER
                }
            ),
            Err(EditorialError::NotAReviewer { .. })
        ));
        assert!(matches!(
            next_state(ItemState::Published, Step::Withdraw, WRITER),
            Err(EditorialError::NotAReviewer { .. })
        ));
    }

    #[test]
    fn published_items_are_not_edited_in_place_but_revised() {
        assert!(matches!(
            next_state(ItemState::Published, Step::Edit, OTHER_REVIEWER),
            Err(EditorialError::WrongState { .. })
        ));
        assert_eq!(
            next_state(ItemState::Published, Step::Revise, SELF_REVIEWER).unwrap(),
            ItemState::Published
        );
    }

    #[test]
    fn withheld_items_come_back_through_review() {
        let s = next_state(ItemState::InReview, Step::Withhold, OTHER_REVIEWER).unwrap();
        assert_eq!(s, ItemState::Withheld);
        assert_eq!(
            next_state(s, Step::Release, SELF_REVIEWER).unwrap(),
            ItemState::InReview
        );
        assert!(next_state(s, Step::Approve, OTHER_REVIEWER).is_err());
    }

    #[test]
    fn a_withdrawn_item_accepts_no_step() {
        let steps = [
            Step::Edit,
            Step::Submit,
            Step::Approve,
            Step::Reject,
            Step::Withhold,
            Step::Release,
            Step::KeepWithheld,
            Step::Revise,
            Step::Withdraw,
            Step::ChangeValidity,
        ];
        for step in steps {
            assert!(next_state(ItemState::Withdrawn, step, OTHER_REVIEWER).is_err());
        }
    }

    #[test]
    fn the_checklist_reports_what_is_missing() {
        assert_eq!(SecrecyCheck::missing(&SecrecyCheck::ALL).len(), 0);
        assert_eq!(
            SecrecyCheck::missing(&[SecrecyCheck::NoStateSecret]).len(),
            SecrecyCheck::ALL.len() - 1
        );
    }
}
