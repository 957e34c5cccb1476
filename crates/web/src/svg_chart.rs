//! A small server-side bar chart as inline SVG text: axes, bars, labels in Chinese, a `<title>`
//! and `role="img"` with an `aria-label` — no JavaScript, no chart library, nothing fetched. The
//! page shows the same numbers in a table below each chart for screen readers and no-SVG users.

use gongkai_typeset::escape_html;
use std::fmt::Write;

/// One bar: its label under the axis (e.g. `2026-03` → `3月`) and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
}

const WIDTH: i64 = 720;
const HEIGHT: i64 = 260;
const LEFT: i64 = 56;
const RIGHT: i64 = 16;
const TOP: i64 = 24;
const BOTTOM: i64 = 44;
/// Dark enough on white for the 3:1 contrast of graphics (WCAG 1.4.11).
const BAR_COLOUR: &str = "#0b4a8b";
const AXIS_COLOUR: &str = "#4a4a4a";

/// A round upper bound for the value axis: 1, 2, 5 × 10ⁿ at or above `max` (at least 1).
fn axis_max(max: i64) -> i64 {
    let max = max.max(1);
    let mut step = 1i64;
    loop {
        for m in [1, 2, 5] {
            let bound = step.saturating_mul(m);
            if bound >= max {
                return bound;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// The chart of `bars` titled `title` (also its accessible name, with every value spelled out).
pub fn bar_chart(title: &str, unit: &str, bars: &[Bar]) -> String {
    let max = axis_max(bars.iter().map(|b| b.value).max().unwrap_or(0));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = i64::try_from(bars.len()).unwrap_or(1).max(1);
    let slot = plot_w / n;
    let bar_w = (slot * 3 / 5).max(2);
    let spoken: Vec<String> = bars
        .iter()
        .map(|b| format!("{}{}{}", b.label, b.value, unit))
        .collect();
    let label = format!("{title}：{}", spoken.join("，"));
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"100%\" style=\"max-width:{WIDTH}px\" \
         font-size=\"12\" font-family=\"sans-serif\"><title>{}</title>",
        escape_html(&label),
        escape_html(&label)
    );
    // Value axis with gridlines at 0, ½ and the top.
    for i in 0..=2i64 {
        let value = max * i / 2;
        let y = TOP + plot_h - plot_h * i / 2;
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#d0d0d0\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{AXIS_COLOUR}\">{value}</text>",
            WIDTH - RIGHT,
            LEFT - 6,
            y + 4
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{}\" stroke=\"{AXIS_COLOUR}\"/>\
         <line x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{AXIS_COLOUR}\"/>\
         <text x=\"4\" y=\"{}\" fill=\"{AXIS_COLOUR}\">{}</text>",
        TOP + plot_h,
        TOP + plot_h,
        WIDTH - RIGHT,
        TOP + plot_h,
        TOP - 8,
        escape_html(unit)
    );
    for (i, bar) in bars.iter().enumerate() {
        let i = i64::try_from(i).unwrap_or(0);
        let h = plot_h * bar.value.max(0) / max;
        let x = LEFT + slot * i + (slot - bar_w) / 2;
        let y = TOP + plot_h - h;
        let centre = x + bar_w / 2;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{bar_w}\" height=\"{h}\" fill=\"{BAR_COLOUR}\">\
             <title>{}：{}{}</title></rect>\
             <text x=\"{centre}\" y=\"{}\" text-anchor=\"middle\" fill=\"#1a1a1a\">{}</text>\
             <text x=\"{centre}\" y=\"{}\" text-anchor=\"middle\" fill=\"{AXIS_COLOUR}\">{}</text>",
            escape_html(&bar.label),
            bar.value,
            escape_html(unit),
            (y - 4).max(TOP - 10),
            bar.value,
            TOP + plot_h + 18,
            escape_html(&bar.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_ends_on_a_round_number_at_or_above_the_largest_value() {
        assert_eq!(axis_max(0), 1);
        assert_eq!(axis_max(1), 1);
        assert_eq!(axis_max(3), 5);
        assert_eq!(axis_max(7), 10);
        assert_eq!(axis_max(11), 20);
        assert_eq!(axis_max(200), 200);
        assert_eq!(axis_max(201), 500);
    }

    #[test]
    fn the_chart_names_itself_and_every_value_and_escapes_text() {
        let svg = bar_chart(
            "收到的申请 <按月>",
            "件",
            &[
                Bar {
                    label: "1月".into(),
                    value: 3,
                },
                Bar {
                    label: "2月".into(),
                    value: 0,
                },
            ],
        );
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-label=\"收到的申请 &lt;按月&gt;：1月3件，2月0件\""));
        assert!(svg.contains("<title>收到的申请 &lt;按月&gt;：1月3件，2月0件</title>"));
        assert_eq!(svg.matches("<rect ").count(), 2);
        assert!(!svg.contains("<script"));
    }
}
