//! Why a letter could not be written, or why an edited template is refused. Every message is
//! Chinese, names the line where there is one, and says what to do.

use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum LetterError {
    #[error("模板过长：{chars} 个字符，上限为 {max} 个字符。请删减模板内容。")]
    TemplateTooLong { chars: usize, max: usize },
    #[error(
        "模板第{line}行语法错误：{detail}。请检查 {{{{ }}}} 和 {{% %}} 是否成对、拼写是否正确。"
    )]
    Syntax { line: usize, detail: String },
    #[error(
        "模板第{line}行使用了不存在的变量“{name}”。可用的变量见《信函模板说明》（docs/guide/letters.md），请改正拼写或删除该变量。"
    )]
    UnknownVariable { line: usize, name: String },
    #[error(
        "模板第{line}行使用了不支持的功能：{detail}。信函模板只能使用说明中列出的变量、判断和循环。"
    )]
    Unsupported { line: usize, detail: String },
    #[error("模板运行步骤超过上限（可能有死循环或过大的循环），已停止。请检查模板中的循环。")]
    OutOfFuel,
    #[error("生成的信函过长：{chars} 个字符，上限为 {max} 个字符。请检查模板中的循环。")]
    OutputTooLong { chars: usize, max: usize },
    #[error("模板第{line}行出错：{detail}。请改正该行。")]
    Render { line: usize, detail: String },
    #[error("生成的信函没有标题：模板的第一行非空文字就是标题，请在模板开头写上标题。")]
    NoTitle,
    #[error("缺少{what}，无法生成{letter}。请先在案件中填写{what}。")]
    MissingContext {
        letter: &'static str,
        what: &'static str,
    },
}
