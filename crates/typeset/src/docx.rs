//! The DOCX writer (docx-rs): A4, 公文 margins (GB/T 9704: 天头 37 mm, 订口 28 mm, text block
//! 156 × 225 mm), the page number "— 1 —" centred at the bottom, merged table cells as
//! `gridSpan`/`vMerge`, header rows marked `tblHeader` so Word repeats them on every page.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum,
    Paragraph as DocxParagraph, Run, RunFonts, SpecialIndentType, Table as DocxTable, TableCell,
    TableRow, VAlignType, VMergeType, WidthType,
};

use crate::error::TypesetError;
use crate::grid::{Slot, layout};
use crate::model::{Align, Block, Document, Paragraph, Table};
use crate::style::DocxStyle;

/// A4 in twentieths of a point.
const PAGE_WIDTH: u32 = 11_906;
const PAGE_HEIGHT: u32 = 16_838;
/// GB/T 9704 margins in twips: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
const MARGIN_TOP: i32 = 2_098;
const MARGIN_BOTTOM: i32 = 1_984;
const MARGIN_LEFT: i32 = 1_587;
const MARGIN_RIGHT: i32 = 1_474;
/// The text block is 156 mm wide.
const TEXT_WIDTH: usize = 8_845;

/// docx-rs has no setter for `w:tblHeader`; header rows are built with `cantSplit` (a header row
/// must not break across pages anyway) and this marker gets `tblHeader` added after it.
const CANT_SPLIT: &str = "<w:cantSplit />";
const CANT_SPLIT_AND_HEADER: &str = "<w:cantSplit /><w:tblHeader />";

/// Writes `document` as a .docx file. Fails only on a table whose spans do not fit its grid or a
/// heading level outside 1–3 (see [`crate::validate`]).
pub fn to_docx(document: &Document, style: &DocxStyle) -> Result<Vec<u8>, TypesetError> {
    crate::validate(document)?;
    let footer = Footer::new().add_paragraph(
        DocxParagraph::new()
            .align(AlignmentType::Center)
            .add_run(text_run("— ", &style.body_font, style, 28, false))
            .add_page_num(PageNum::new())
            .add_run(text_run(" —", &style.body_font, style, 28, false)),
    );
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts(&style.body_font, style))
        .default_size(style.body_size)
        .footer(footer);
    if !document.title.is_empty() {
        docx = docx.custom_property("title", document.title.clone());
    }
    for block in &document.blocks {
        docx = match block {
            Block::Title { text } => docx.add_paragraph(
                lines(text, &style.title_font, style, style.title_size, false)
                    .align(AlignmentType::Center)
                    .line_spacing(
                        LineSpacing::new()
                            .line_rule(LineSpacingType::Auto)
                            .line(240)
                            .after(style.line_pitch.unsigned_abs()),
                    ),
            ),
            Block::DocNumber { text } => docx.add_paragraph(
                lines(text, &style.body_font, style, style.body_size, false)
                    .align(AlignmentType::Center)
                    .line_spacing(exact(style)),
            ),
            Block::Heading { level, text } => {
                let (font, bold) = match level {
                    1 => (&style.heading_font, false),
                    2 => (&style.subheading_font, false),
                    _ => (&style.body_font, true),
                };
                docx.add_paragraph(indented(
                    lines(text, font, style, style.body_size, bold)
                        .keep_next(true)
                        .line_spacing(exact(style)),
                    2,
                    style,
                ))
            }
            Block::Paragraph(p) => docx.add_paragraph(paragraph(p, style)),
            Block::Signature { lines: sig } => {
                // GB/T 9704 7.3.5: the date is set off four characters from the right margin,
                // the organ name centred above it; one blank line before.
                let right = i32::try_from(style.body_size * 10 * 4).unwrap_or(0);
                let mut d = docx.add_paragraph(DocxParagraph::new().line_spacing(exact(style)));
                for line in sig {
                    d = d.add_paragraph(
                        lines(line, &style.body_font, style, style.body_size, false)
                            .align(AlignmentType::Right)
                            .indent(None, None, Some(right), None)
                            .line_spacing(exact(style)),
                    );
                }
                d
            }
            Block::Table(table) => docx
                .add_table(docx_table(table, style)?)
                // Word needs a paragraph between two tables, and a table ending the document
                // reads better with one after it.
                .add_paragraph(DocxParagraph::new()),
            Block::PageBreak => docx
                .add_paragraph(DocxParagraph::new().add_run(Run::new().add_break(BreakType::Page))),
        };
    }
    let mut xml = docx.build();
    let body = String::from_utf8_lossy(&xml.document).replace(CANT_SPLIT, CANT_SPLIT_AND_HEADER);
    xml.document = body.into_bytes();
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out)
        .map_err(|e| TypesetError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

fn fonts(east_asia: &str, style: &DocxStyle) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(&style.latin_font)
        .hi_ansi(&style.latin_font)
        .cs(&style.latin_font)
}

fn text_run(text: &str, font: &str, style: &DocxStyle, size: usize, bold: bool) -> Run {
    let run = Run::new()
        .add_text(text)
        .size(size)
        .fonts(fonts(font, style));
    if bold { run.bold() } else { run }
}

/// A paragraph whose text may hold line breaks ("\n" → a line break inside the paragraph).
fn lines(text: &str, font: &str, style: &DocxStyle, size: usize, bold: bool) -> DocxParagraph {
    let mut p = DocxParagraph::new();
    for (i, line) in text.split('\n').enumerate() {
        let mut run = text_run(line, font, style, size, bold);
        if i > 0 {
            run = Run::new()
                .add_break(BreakType::TextWrapping)
                .add_text(line)
                .size(size)
                .fonts(fonts(font, style));
            if bold {
                run = run.bold();
            }
        }
        p = p.add_run(run);
    }
    p
}

fn exact(style: &DocxStyle) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(style.line_pitch)
}

/// First-line indent in characters: `firstLineChars` for Word/WPS, twips for the others.
fn indented(p: DocxParagraph, chars: u8, style: &DocxStyle) -> DocxParagraph {
    if chars == 0 {
        return p;
    }
    let twips = i32::from(chars) * i32::try_from(style.body_size * 10).unwrap_or(320);
    p.indent(None, Some(SpecialIndentType::FirstLine(twips)), None, None)
        .first_line_chars(i32::from(chars) * 100)
}

fn alignment(align: Align) -> AlignmentType {
    match align {
        Align::Left => AlignmentType::Both,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    }
}

fn paragraph(p: &Paragraph, style: &DocxStyle) -> DocxParagraph {
    let out = lines(&p.text, &style.body_font, style, style.body_size, false)
        .align(alignment(p.align))
        .line_spacing(exact(style));
    indented(out, p.first_line_indent_chars, style)
}

fn docx_table(table: &Table, style: &DocxStyle) -> Result<DocxTable, TypesetError> {
    let grid = layout(table)?;
    let widths = column_widths(table, grid.width);
    let mut rows = Vec::with_capacity(grid.rows.len());
    for (r, slots) in grid.rows.iter().enumerate() {
        let header = r < table.header_rows;
        let source = table.rows.get(r);
        let mut cells = Vec::with_capacity(slots.len());
        let mut col = 0usize;
        for slot in slots {
            let (cell, span) = match *slot {
                Slot::Origin {
                    cell,
                    col_span,
                    row_span,
                } => {
                    let (text, align) = source
                        .and_then(|row| row.cells.get(cell))
                        .map_or(("", Align::Center), |c| (c.text.as_str(), c.align));
                    let p = lines(text, &style.body_font, style, style.table_size, header)
                        .align(alignment(align));
                    let mut tc = TableCell::new().add_paragraph(p);
                    if row_span > 1 {
                        tc = tc.vertical_merge(VMergeType::Restart);
                    }
                    (tc, col_span)
                }
                Slot::Covered { col_span } => (
                    TableCell::new()
                        .add_paragraph(DocxParagraph::new())
                        .vertical_merge(VMergeType::Continue),
                    col_span,
                ),
                Slot::Empty => (TableCell::new().add_paragraph(DocxParagraph::new()), 1),
            };
            let width: usize = widths.iter().skip(col).take(span).sum();
            let mut cell = cell
                .vertical_align(VAlignType::Center)
                .width(width, WidthType::Dxa);
            if span > 1 {
                cell = cell.grid_span(span);
            }
            cells.push(cell);
            col += span;
        }
        let row = TableRow::new(cells);
        rows.push(if header { row.cant_split() } else { row });
    }
    Ok(DocxTable::new(rows)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa))
}

/// Column widths in twips over the text block: the table's relative widths, or equal columns.
fn column_widths(table: &Table, width: usize) -> Vec<usize> {
    if width == 0 {
        return Vec::new();
    }
    let relative: Vec<usize> =
        if table.column_widths.len() == width && table.column_widths.iter().any(|w| *w > 0) {
            table
                .column_widths
                .iter()
                .map(|w| usize::try_from(*w).unwrap_or(1))
                .collect()
        } else {
            vec![1; width]
        };
    let total: usize = relative.iter().sum::<usize>().max(1);
    relative
        .iter()
        .map(|w| w.saturating_mul(TEXT_WIDTH) / total)
        .collect()
}
