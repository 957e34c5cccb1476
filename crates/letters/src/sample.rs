//! A complete sample context: every field filled, so that checking an edited template against it
//! reaches every variable a real letter may use.

use chrono::NaiveDate;
use gongkai_law::{FeeDecision, ProvisionForm};

use crate::context::{
    ConsultationRequest, CorrectionRequest, ExtensionNotice, FeeNotice, LetterContext, OrganInfo,
    WithheldPart,
};

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

impl LetterContext {
    /// The sample the template check renders against (and the admin screen may preview).
    pub fn sample() -> LetterContext {
        let fee = FeeDecision::per_page(250, ProvisionForm::Paper).ok().map(|decision| FeeNotice {
            decision,
            payment_method: "通过非税收入缴款码缴纳，或转账至财政非税收入专户（户名：某区财政局；账号：0000 0000 0000）；请注明受理编号。".to_string(),
            pay_by: date(2026, 12, 21),
        });
        LetterContext {
            organ: OrganInfo {
                name: "某区人民政府办公室".to_string(),
                address: "某市某区人民路1号".to_string(),
                postcode: "100000".to_string(),
                phone: "010-12345678".to_string(),
                contact: "李四".to_string(),
                reconsideration_organ: "某区人民政府".to_string(),
                court: "某区人民法院".to_string(),
            },
            letter_no: "某政办公开〔2026〕12号".to_string(),
            tracking_no: "YSQ-2026-0012".to_string(),
            applicant_name: "张三".to_string(),
            applicant_address: "某市某区幸福街2号".to_string(),
            received_on: date(2026, 11, 2),
            request: "2025年某区老旧小区改造项目的资金使用情况".to_string(),
            provision_form: Some(ProvisionForm::Paper),
            reply_on: date(2026, 11, 20),
            access: "请于2026年11月27日前的工作日，持身份证件到本机关政府信息公开受理点领取纸质件"
                .to_string(),
            reason: "所申请的信息涉及尚在研究的工作方案".to_string(),
            responsible_organ: "某区住房和城乡建设局（电话：010-87654321）".to_string(),
            withheld: vec![WithheldPart {
                part: "施工单位负责人的个人联系方式".to_string(),
                reason: "属于个人隐私，公开会对第三方合法权益造成损害".to_string(),
                basis: "《中华人民共和国政府信息公开条例》第十五条".to_string(),
            }],
            fee,
            correction: Some(CorrectionRequest {
                items: vec![
                    "请写明所需信息的名称、文号或者便于查询的其他特征性描述".to_string(),
                    "请提供申请人的身份证明".to_string(),
                ],
                period_working_days: 15,
                due_on: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default(),
            }),
            extension: Some(ExtensionNotice {
                working_days: 20,
                new_due_on: NaiveDate::from_ymd_opt(2026, 12, 28).unwrap_or_default(),
                reason: "所申请信息数量较大，需要检索、汇总的时间较长".to_string(),
            }),
            consultation: Some(ConsultationRequest {
                third_party: "某建设工程有限公司".to_string(),
                information: "贵单位与某区住房和城乡建设局签订的施工合同".to_string(),
                reply_by: date(2026, 12, 10),
            }),
        }
    }
}
