//! Every error this crate returns. Messages are in Chinese because they reach officers: each one
//! says what was wrong and what to do about it.
//!
//! Clock errors name the record by its position as the officer sees it ("第3条记录", counting from
//! 1); the `index` field is the 0-based position in the slice passed to [`crate::clock::evaluate`].

use crate::money::Money;
use chrono::NaiveDate;
use gongkai_calendar::CalendarError;

/// A key given on the command line or in JSON that names no known value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{value}”不是有效的{what}代码。可用的代码：{valid}。")]
pub struct UnknownKeyError {
    /// What kind of key was expected, in Chinese (e.g. "办理结果").
    pub what: &'static str,
    /// The key as given.
    pub value: String,
    /// The valid keys with their Chinese labels, e.g. "granted（予以公开）、…".
    pub valid: String,
}

impl UnknownKeyError {
    pub(crate) fn new<'a>(
        what: &'static str,
        value: &str,
        valid: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let valid = valid
            .map(|(key, label)| format!("{key}（{label}）"))
            .collect::<Vec<_>>()
            .join("、");
        UnknownKeyError {
            what,
            value: value.to_owned(),
            valid,
        }
    }
}

/// Why a list of application events cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("没有任何办理记录：请先登记收到申请的日期和渠道。")]
    NoEvents,

    #[error(
        "第1条记录是“{kind}”：办理记录必须从“收到申请”开始（条例第三十一条确定收到申请之日），\
         请先登记收到申请的日期和渠道。"
    )]
    FirstNotReceipt { index: usize, kind: &'static str },

    #[error(
        "第{n}条记录又登记了一次“收到申请”（{on}）：一件申请只有一个收到申请之日（{first}）。\
         补正后的申请请登记为“收到补正”，新的申请请另行登记。", n = .index + 1
    )]
    DuplicateReceipt {
        index: usize,
        on: NaiveDate,
        first: NaiveDate,
    },

    #[error(
        "第{n}条记录“{kind}”的日期{on}早于收到申请之日{received_on}：\
         任何办理事项都不能早于收到申请，请核对日期。", n = .index + 1
    )]
    BeforeReceipt {
        index: usize,
        kind: &'static str,
        on: NaiveDate,
        received_on: NaiveDate,
    },

    #[error(
        "第{n}条记录“{kind}”的日期{on}早于上一条记录的日期{previous}：\
         办理记录须按日期先后登记，请调整顺序或核对日期。", n = .index + 1
    )]
    OutOfOrder {
        index: usize,
        kind: &'static str,
        on: NaiveDate,
        previous: NaiveDate,
    },

    #[error(
        "第{n}条记录“{kind}”的日期{on}晚于今天（{today}）：不能登记尚未发生的事项，请核对日期。",
        n = .index + 1
    )]
    AfterToday {
        index: usize,
        kind: &'static str,
        on: NaiveDate,
        today: NaiveDate,
    },

    #[error(
        "第{n}条记录“{kind}”（{on}）在办理终结之后：该申请已{how}（{closed_on}），\
         终结后不能再登记办理事项。请检查是否登记错误；申请人重新提出的申请请另行登记。",
        n = .index + 1
    )]
    AfterClosed {
        index: usize,
        kind: &'static str,
        on: NaiveDate,
        closed_on: NaiveDate,
        how: &'static str,
    },

    #[error(
        "第{n}条记录“{kind}”（{on}）无法登记：{reason}。", n = .index + 1
    )]
    ClockNotRunning {
        index: usize,
        kind: &'static str,
        on: NaiveDate,
        /// Why no clock runs now and what to record first.
        reason: &'static str,
    },

    #[error(
        "第{n}条记录“{kind}”（{on}）与尚未结束的{open}（自{since}起）重叠：暂停期间不能嵌套或重叠。\
         请先登记“{close}”，再登记新的事项。", n = .index + 1
    )]
    PauseOverlap {
        index: usize,
        kind: &'static str,
        on: NaiveDate,
        /// The pause still open, e.g. "征求第三方意见".
        open: &'static str,
        since: NaiveDate,
        /// The record that would end it, e.g. "结束征求意见".
        close: &'static str,
    },

    #[error(
        "第{n}条记录是第二次补正告知（{on}）：补正事项应当一次性告知（条例第三十条），\
         {first}已经发出过补正告知。补正后申请内容仍不明确的，\
         请按“无法提供：补正后申请内容仍不明确”（unable_unclear_after_correction）答复。",
        n = .index + 1
    )]
    SecondCorrectionNotice {
        index: usize,
        on: NaiveDate,
        first: NaiveDate,
    },

    #[error(
        "第{n}条记录“补正告知”（{on}）的补正期限为0个工作日：条例第三十条要求给予合理的补正期限，\
         请填写补正期限（工作日数）。", n = .index + 1
    )]
    CorrectionPeriodZero { index: usize, on: NaiveDate },

    #[error(
        "第{n}条记录“收到补正”（{on}）之前没有等待补正的补正告知：请先登记补正告知；\
         已经登记过收到补正的，不要重复登记。", n = .index + 1
    )]
    CorrectedWithoutNotice { index: usize, on: NaiveDate },

    #[error(
        "第{n}条记录“延期”（{on}）没有填写同意延期的负责人：延长答复期限须经政府信息公开工作机构\
         负责人同意并告知申请人（条例第三十三条第二款），请填写负责人姓名。", n = .index + 1
    )]
    ExtensionApproverMissing { index: usize, on: NaiveDate },

    #[error(
        "第{n}条记录“延期”（{on}）的延期天数为0：请填写1至20个工作日。", n = .index + 1
    )]
    ExtensionZero { index: usize, on: NaiveDate },

    #[error(
        "第{n}条记录“延期”（{on}）超过法定上限：延长的期限合计最长不得超过{max}个工作日\
         （条例第三十三条第二款），此前已延期{already}个工作日，本次又申请延期{requested}个工作日。\
         本次最多还能延期{remaining}个工作日。", n = .index + 1
    )]
    ExtensionTooLong {
        index: usize,
        on: NaiveDate,
        requested: u32,
        already: u32,
        remaining: u32,
        max: u32,
    },

    #[error(
        "第{n}条记录“延期”（{on}）晚于当时的答复期限（{due}）：延期须在答复期限届满前决定\
         （条例第三十三条第二款），期限届满后不能再延期。请核对延期日期。", n = .index + 1
    )]
    ExtensionAfterDue {
        index: usize,
        on: NaiveDate,
        due: NaiveDate,
    },

    #[error(
        "第{n}条记录“结束征求意见”（{on}）之前没有正在进行的征求意见：请先登记开始征求意见的日期，\
         或删除这条记录。", n = .index + 1
    )]
    ConsultationEndWithoutStart { index: usize, on: NaiveDate },

    #[error(
        "第{n}条记录是第二份收费通知（{on}）：{first}已经发出过收费通知。每件申请只能选择一种标准\
         收取一次信息处理费（国办函〔2020〕109号第三条），请检查是否重复登记。", n = .index + 1
    )]
    SecondFeeNotice {
        index: usize,
        on: NaiveDate,
        first: NaiveDate,
    },

    #[error(
        "第{n}条记录“收费通知”（{on}）的金额为{amount}：收费通知的金额必须大于0元；\
         不收费的申请不要登记收费通知。", n = .index + 1
    )]
    FeeAmountNotPositive {
        index: usize,
        on: NaiveDate,
        amount: Money,
    },

    #[error(
        "第{n}条记录“缴费”（{on}）之前没有待缴费的收费通知：请先登记收费通知；\
         已经登记过缴费的，不要重复登记。", n = .index + 1
    )]
    FeePaidWithoutNotice { index: usize, on: NaiveDate },

    #[error(
        "第{n}条记录“缴费”（{on}）晚于缴费期限（{due}）：申请人逾期未缴纳信息处理费的，视为放弃申请\
         （国办函〔2020〕109号），不能再登记缴费。请核对缴费日期；确已逾期的，\
         应按“逾期未缴费”（other_overdue_fee）处理，申请人可以重新提出申请。", n = .index + 1
    )]
    FeePaidLate {
        index: usize,
        on: NaiveDate,
        due: NaiveDate,
    },

    #[error(
        "征求意见尚未结束就已答复：第{n}条记录“答复”（{on}）时，自{since}开始的{party}还没有登记结束。\
         请先登记“结束征求意见”（日期不晚于答复日），再登记答复。", n = .index + 1
    )]
    RepliedDuringConsultation {
        index: usize,
        on: NaiveDate,
        since: NaiveDate,
        /// e.g. "征求第三方意见".
        party: &'static str,
    },

    #[error(
        "收费通知尚未缴费就已答复：第{n}条记录“答复”（{on}）时，{notice_on}的收费通知还没有登记缴费\
         （缴费期限至{due}）。请先登记缴费；申请人逾期未缴费的，应在缴费期限届满后\
         按“逾期未缴费”（other_overdue_fee）答复。", n = .index + 1
    )]
    RepliedBeforePayment {
        index: usize,
        on: NaiveDate,
        notice_on: NaiveDate,
        due: NaiveDate,
    },

    #[error(
        "尚在等待补正就已答复：第{n}条记录“答复”（{on}）时，申请人的补正期限（至{due}）尚未届满，\
         也没有登记收到补正。请先登记“收到补正”；申请人逾期不补正的，应在补正期限届满后\
         按“逾期不补正”（other_overdue_correction）处理。", n = .index + 1
    )]
    RepliedDuringCorrection {
        index: usize,
        on: NaiveDate,
        due: NaiveDate,
    },

    #[error(
        "第{n}条记录的答复结果“{outcome}”（{on}）与办理记录不符：{reason}。", n = .index + 1
    )]
    OutcomeNotApplicable {
        index: usize,
        on: NaiveDate,
        /// The outcome's Chinese label.
        outcome: &'static str,
        reason: String,
    },

    #[error("无法计算期限：{0}")]
    Calendar(#[from] CalendarError),
}

impl ClockError {
    /// The 0-based position of the event at fault, when the error is about one event.
    pub fn index(&self) -> Option<usize> {
        match self {
            ClockError::NoEvents | ClockError::Calendar(_) => None,
            ClockError::FirstNotReceipt { index, .. }
            | ClockError::DuplicateReceipt { index, .. }
            | ClockError::BeforeReceipt { index, .. }
            | ClockError::OutOfOrder { index, .. }
            | ClockError::AfterToday { index, .. }
            | ClockError::AfterClosed { index, .. }
            | ClockError::ClockNotRunning { index, .. }
            | ClockError::PauseOverlap { index, .. }
            | ClockError::SecondCorrectionNotice { index, .. }
            | ClockError::CorrectionPeriodZero { index, .. }
            | ClockError::CorrectedWithoutNotice { index, .. }
            | ClockError::ExtensionApproverMissing { index, .. }
            | ClockError::ExtensionZero { index, .. }
            | ClockError::ExtensionTooLong { index, .. }
            | ClockError::ExtensionAfterDue { index, .. }
            | ClockError::ConsultationEndWithoutStart { index, .. }
            | ClockError::SecondFeeNotice { index, .. }
            | ClockError::FeeAmountNotPositive { index, .. }
            | ClockError::FeePaidWithoutNotice { index, .. }
            | ClockError::FeePaidLate { index, .. }
            | ClockError::RepliedDuringConsultation { index, .. }
            | ClockError::RepliedBeforePayment { index, .. }
            | ClockError::RepliedDuringCorrection { index, .. }
            | ClockError::OutcomeNotApplicable { index, .. } => Some(*index),
        }
    }
}

/// Why a fee cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    #[error(
        "申请序号应从1开始：本月第1件申请的序号是1。请填写该申请是申请人本自然月内的第几件申请。"
    )]
    NthZero,

    #[error(
        "申请件数{count}超出可计算的范围（最多{max}件）：同一申请人一个自然月内的申请件数不可能这么多，\
         请核对件数。"
    )]
    TooManyPieces { count: u32, max: u32 },

    #[error("页数{pages}超出可计算的范围（最多{max}页）：请核对页数。")]
    TooManyPages { pages: u32, max: u32 },

    #[error(
        "以“{form}”方式提供信息时不能按量计收：按量计收只适用于提供纸质件、发送电子邮件或复制电子数据\
         （国办函〔2020〕109号第五条）。请改为按件计收，或不收费。"
    )]
    PerPageNotApplicable { form: &'static str },

    #[error("信息处理费金额超出可计算的范围：请核对件数或页数。")]
    Overflow,
}

/// Why a proactive-disclosure deadline cannot be assessed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProactiveError {
    #[error(
        "发布日期{published_on}早于信息形成或者变更之日{formed_on}：信息不能在形成之前公开，\
         请核对两个日期。"
    )]
    PublishedBeforeFormed {
        formed_on: NaiveDate,
        published_on: NaiveDate,
    },

    #[error("无法计算期限：{0}")]
    Calendar(#[from] CalendarError),
}

/// Why a 统一社会信用代码 (GB 32100-2015) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为 18 位，实际为 {0} 位")]
    Length(usize),
    #[error(
        "统一社会信用代码第 {position} 位“{found}”不是有效字符（只能使用数字和除 I、O、S、V、Z 以外的大写字母）"
    )]
    Char { position: usize, found: char },
    #[error("统一社会信用代码第 3～8 位应为行政区划代码（6 位数字）")]
    Division,
    #[error("统一社会信用代码校验位错误：最后一位应为“{expected}”，请核对后重新输入")]
    CheckDigit { expected: char },
}

/// Why a 居民身份证号码 (GB 11643-1999) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    #[error("身份证号码应为18位，实际为{0}位，请核对")]
    Length(usize),
    #[error("身份证号码应为18位：15位的旧号码已停止使用，请填写现用身份证上的18位号码")]
    Legacy15,
    #[error("身份证号码第{position}位“{found}”无效：前17位只能是数字，第18位是数字或X，请核对")]
    Char { position: usize, found: char },
    #[error("身份证号码第7–14位的出生日期无效（“{digits}”不是真实存在的日期），请核对")]
    BirthDate { digits: String },
    #[error("身份证号码第7–14位的出生日期无效（{born}晚于今天{today}），请核对")]
    BirthInFuture { born: NaiveDate, today: NaiveDate },
    #[error("身份证号码第7–14位的出生日期无效（{born}早于1900年1月1日），请核对")]
    BirthBefore1900 { born: NaiveDate },
    #[error("身份证号码校验位不正确，请核对：号码中很可能有一位填错或两位颠倒")]
    CheckChar,
}

/// Why an identity document on the application form (条例 Art 29 ¶2(1) 身份证明) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdDocumentError {
    #[error(transparent)]
    ResidentId(#[from] ResidentIdError),
    #[error("请填写{kind}号码")]
    Empty { kind: &'static str },
    #[error("{kind}号码不能超过{max}个字符，实际为{len}个，请核对")]
    TooLong {
        kind: &'static str,
        max: usize,
        len: usize,
    },
    #[error(
        "{kind}号码中的“{found}”无效：只能填写字母、数字，以及旧版证件上的括号和连字符，请照证件核对"
    )]
    Char { kind: &'static str, found: char },
    #[error("{kind}号码至少应有{min}个字母或数字，请照证件核对")]
    TooShort { kind: &'static str, min: usize },
    #[error("其他证件信息含有不允许的控制字符，请删除后重新填写")]
    ControlChars,
}

/// Dates of a case that cannot be counted in the annual report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YearStatusError {
    #[error("办结日期{closed_on}早于收到申请之日{received_on}：无法计入年度报告，请核对这两个日期")]
    ClosedBeforeReceived {
        received_on: NaiveDate,
        closed_on: NaiveDate,
    },
}
