//! Rendering a letter template: a sandboxed minijinja environment (no loader, no include, strict
//! undefined, fuel), the static check of the variables a template names, and the mapping of
//! minijinja's errors to Chinese messages with line numbers.

use std::collections::BTreeSet;

use gongkai_law::Outcome;
use gongkai_typeset::Document;
use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value};
use serde_json::Value as Json;

use crate::context::{LetterContext, View};
use crate::convention::to_document;
use crate::error::LetterError;
use crate::kind::{LetterKind, Template};

/// The longest template source accepted (characters). The defaults are about 1,500.
pub const MAX_TEMPLATE_CHARS: usize = 20_000;

/// The longest rendered letter (characters): a letter is a page or two.
pub const MAX_OUTPUT_CHARS: usize = 50_000;

/// Instructions one render may execute. The default templates need a few thousand; an endless
/// or exploding loop stops here.
pub const FUEL: u64 = 200_000;

/// Names a template may use besides the context: minijinja's built-in functions (without
/// `debug`) and the loop variable.
const GLOBALS: [&str; 4] = ["range", "dict", "namespace", "loop"];

/// Renders the letter `kind` from the template `source` and the context, into the typeset model
/// (see [`crate::convention`] for how the text becomes blocks).
pub fn render(
    kind: LetterKind,
    source: &str,
    ctx: &LetterContext,
) -> Result<Document, LetterError> {
    to_document(&render_text(kind, source, ctx)?)
}

/// [`render`] with the template shipped in the crate.
pub fn render_default(kind: LetterKind, ctx: &LetterContext) -> Result<Document, LetterError> {
    render(kind, kind.template().default_source(), ctx)
}

/// Checks an edited template before it is saved: renders it against [`LetterContext::sample`]
/// for every letter kind it serves and returns the first problem (unknown variable, syntax error,
/// exhausted fuel, too long, no title). `Ok` means the template can be saved.
pub fn check(template: impl Into<Template>, source: &str) -> Result<(), LetterError> {
    let template = template.into();
    let sample = LetterContext::sample();
    for kind in template.sample_kinds() {
        render(kind, source, &sample)?;
    }
    Ok(())
}

impl From<LetterKind> for Template {
    fn from(kind: LetterKind) -> Template {
        kind.template()
    }
}

/// The rendered text, before the text convention is applied.
pub fn render_text(
    kind: LetterKind,
    source: &str,
    ctx: &LetterContext,
) -> Result<String, LetterError> {
    let chars = source.chars().count();
    if chars > MAX_TEMPLATE_CHARS {
        return Err(LetterError::TemplateTooLong {
            chars,
            max: MAX_TEMPLATE_CHARS,
        });
    }
    required(kind, ctx)?;
    let env = environment();
    let template = env
        .template_from_str(source)
        .map_err(|e| translate(&e, source))?;
    check_variables(&template.undeclared_variables(true), kind, source)?;
    let view = Value::from(minijinja::value::Serde(View::new(kind, ctx)));
    let text = template.render(view).map_err(|e| translate(&e, source))?;
    let chars = text.chars().count();
    if chars > MAX_OUTPUT_CHARS {
        return Err(LetterError::OutputTooLong {
            chars,
            max: MAX_OUTPUT_CHARS,
        });
    }
    Ok(text)
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(50);
    // Letters are plain text: nothing to escape (the writers treat every string as text).
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env
}

/// What each letter needs beyond the common fields (the law requires it to be in the letter).
fn required(kind: LetterKind, ctx: &LetterContext) -> Result<(), LetterError> {
    let missing = |letter, what| Err(LetterError::MissingContext { letter, what });
    match kind {
        // 条例第三十七条: the reasons for the withheld part must be stated.
        LetterKind::Reply(Outcome::PartiallyGranted) if ctx.withheld.is_empty() => {
            missing("部分公开答复告知书", "不予公开的部分及其理由和法律依据")
        }
        // 109号: the notice states basis, standard, amount and payment method.
        LetterKind::FeeNotice
            if ctx
                .fee
                .as_ref()
                .is_none_or(|f| f.payment_method.trim().is_empty()) =>
        {
            missing("收费通知书", "收费金额、计费标准和缴纳方式")
        }
        // 条例第三十条: all points to correct, at once, with a period.
        LetterKind::Correction if ctx.correction.as_ref().is_none_or(|c| c.items.is_empty()) => {
            missing("补正告知书", "需要补正的事项和补正期限")
        }
        LetterKind::Extension if ctx.extension.is_none() => {
            missing("延期答复告知书", "延长的期限和延期后的答复日期")
        }
        LetterKind::Consultation if ctx.consultation.is_none() => {
            missing("第三方意见征询函", "第三方名称和涉及的信息")
        }
        _ => Ok(()),
    }
}

/// Every dotted path of the view (`organ`, `organ.name`, …) and the kind of its value.
fn known_paths(kind: LetterKind) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut objects = BTreeSet::new();
    let mut leaves = BTreeSet::new();
    if let Ok(json) = serde_json::to_value(View::new(kind, &LetterContext::sample())) {
        collect(&json, String::new(), &mut objects, &mut leaves);
    }
    (objects, leaves)
}

fn collect(
    json: &Json,
    prefix: String,
    objects: &mut BTreeSet<String>,
    leaves: &mut BTreeSet<String>,
) {
    if let Json::Object(map) = json {
        if !prefix.is_empty() {
            objects.insert(prefix.clone());
        }
        for (key, value) in map {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            collect(value, path, objects, leaves);
        }
    } else if !prefix.is_empty() {
        leaves.insert(prefix);
    }
}

/// Refuses names the context does not have, even inside a branch the sample does not take.
/// A name is fine when it is a known path, a built-in function, or reaches past a known
/// non-object value (a method such as `request.upper`: minijinja itself checks those).
fn check_variables(
    names: &std::collections::HashSet<String>,
    kind: LetterKind,
    source: &str,
) -> Result<(), LetterError> {
    let (objects, leaves) = known_paths(kind);
    let mut names: Vec<&String> = names.iter().collect();
    names.sort();
    for name in names {
        if GLOBALS.contains(&name.as_str()) {
            continue;
        }
        let segments: Vec<&str> = name.split('.').collect();
        let mut ok = false;
        let mut path = String::new();
        for (i, segment) in segments.iter().enumerate() {
            if i > 0 {
                path.push('.');
            }
            path.push_str(segment);
            if leaves.contains(&path) {
                ok = true;
                break;
            }
            if !objects.contains(&path) {
                break;
            }
            if i + 1 == segments.len() {
                ok = true;
            }
        }
        if !ok {
            return Err(LetterError::UnknownVariable {
                line: line_of(source, name),
                name: name.clone(),
            });
        }
    }
    Ok(())
}

/// The 1-based line where `name` first appears in an expression, or 1.
fn line_of(source: &str, name: &str) -> usize {
    let first = name.split('.').next().unwrap_or(name);
    source
        .lines()
        .position(|l| l.contains(name))
        .or_else(|| source.lines().position(|l| l.contains(first)))
        .map_or(1, |i| i + 1)
}

fn translate(err: &minijinja::Error, source: &str) -> LetterError {
    let line = err.line().unwrap_or(1);
    let detail = err
        .detail()
        .map_or_else(|| err.kind().to_string(), str::to_string);
    match err.kind() {
        ErrorKind::SyntaxError | ErrorKind::BadEscape | ErrorKind::InvalidDelimiter => {
            LetterError::Syntax { line, detail }
        }
        ErrorKind::UndefinedError => LetterError::UnknownVariable {
            line,
            name: source
                .lines()
                .nth(line.saturating_sub(1))
                .map(|l| l.trim().chars().take(60).collect())
                .unwrap_or_default(),
        },
        ErrorKind::OutOfFuel => LetterError::OutOfFuel,
        ErrorKind::TemplateNotFound
        | ErrorKind::BadInclude
        | ErrorKind::UnknownFunction
        | ErrorKind::UnknownFilter
        | ErrorKind::UnknownTest
        | ErrorKind::UnknownMethod => LetterError::Unsupported { line, detail },
        _ => LetterError::Render { line, detail },
    }
}
