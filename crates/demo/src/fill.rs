//! Template filling: `{c}`-style placeholders replaced from a per-item context.

use std::fmt::Write as _;

use crate::rng::Rng;

pub(crate) const ORDINALS: [&str; 13] = [
    "", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    Street,
    Community,
    Grid,
}

/// Everything a template may refer to. Numbers (`{n}`, `{nn}`, `{nnn}`) are drawn per occurrence.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub(crate) community: &'static str,
    pub(crate) community2: &'static str,
    /// `""` or e.g. "第三网格".
    pub(crate) grid: &'static str,
    /// `{S}`, the subject of a title: the 街道, a 社区, or a 社区's 网格.
    pub(crate) subject: Subject,
    /// Always a 网格, for [`Subject::Grid`].
    pub(crate) subject_grid: &'static str,
    pub(crate) estate: &'static str,
    pub(crate) object: &'static str,
    pub(crate) partner: &'static str,
    pub(crate) activity: &'static str,
    pub(crate) policy: &'static str,
    pub(crate) department: &'static str,
    pub(crate) year: i32,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) quarter: u32,
    /// A document title, for interpretations (`{t}`).
    pub(crate) doc_title: String,
}

/// Appends `tpl` to `out` with placeholders replaced; returns the number of chars appended.
pub(crate) fn fill(out: &mut String, tpl: &str, ctx: &Ctx, rng: &mut Rng) -> usize {
    let start = out.len();
    let mut rest = tpl;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let key = &after[..close];
        match key {
            "s" => out.push_str("西市场街道"),
            "S" => match ctx.subject {
                Subject::Street => out.push_str("西市场街道"),
                Subject::Community => out.push_str(ctx.community),
                Subject::Grid => {
                    out.push_str(ctx.community);
                    out.push_str(ctx.subject_grid);
                }
            },
            "org" => out.push_str("西市场街道办事处"),
            "c" => out.push_str(ctx.community),
            "c2" => out.push_str(ctx.community2),
            "g" => out.push_str(ctx.grid),
            "q" => out.push_str(ctx.estate),
            "o" => out.push_str(ctx.object),
            "u" => out.push_str(ctx.partner),
            "a" => out.push_str(ctx.activity),
            "p" => out.push_str(ctx.policy),
            "dept" => out.push_str(ctx.department),
            "t" => out.push_str(&ctx.doc_title),
            "y" => {
                let _ = write!(out, "{}", ctx.year);
            }
            "y1" => {
                let _ = write!(out, "{}", ctx.year - 1);
            }
            "yn" => {
                let _ = write!(out, "{}", ctx.year + 1);
            }
            "m" => {
                let _ = write!(out, "{}", ctx.month);
            }
            "qt" => out.push_str(ORDINALS.get(ctx.quarter as usize).copied().unwrap_or("一")),
            "d" => {
                let _ = write!(out, "{}月{}日", ctx.month, ctx.day);
            }
            "n" => {
                let _ = write!(out, "{}", rng.range(3, 18));
            }
            "nn" => {
                let _ = write!(out, "{}", rng.range(20, 160));
            }
            "nnn" => {
                let _ = write!(out, "{}", rng.range(180, 2600));
            }
            "pct" => {
                let _ = write!(out, "{}", rng.range(86, 99));
            }
            other => {
                // Unknown keys are kept verbatim; the tests look for stray braces.
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out[start..].chars().count()
}
