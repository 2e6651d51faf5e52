//! Tables on PDF pages: column widths from weights, wrapped cells, rows that move whole to the
//! next page with the header repeated, and only rows taller than a page split line by line.

use super::{
    BOTTOM, CELL_PADDING_X, CELL_PADDING_Y, Flow, Item, LEFT, Measure, Style, TABLE_BODY,
    TABLE_HEAD, TEXT_HEIGHT, TEXT_WIDTH, TOP, baseline, text_width,
};

/// Column geometry and wrapped header of a table being laid out.
struct TableShape {
    column_x: Vec<f32>,
    column_width: Vec<f32>,
    centred: Vec<bool>,
    header: Vec<Vec<String>>,
}

impl<M: Measure> Flow<'_, M> {
    pub(super) fn table(&mut self, headers: &[String], widths: &[u16], rows: &[Vec<String>]) {
        let total: f32 = widths
            .iter()
            .map(|w| f32::from(*w).max(1.0))
            .sum::<f32>()
            .max(1.0);
        let column_width: Vec<f32> = widths
            .iter()
            .map(|w| f32::from(*w).max(1.0) / total * TEXT_WIDTH)
            .collect();
        let column_x: Vec<f32> = column_width
            .iter()
            .scan(LEFT, |x, width| {
                let here = *x;
                *x += width;
                Some(here)
            })
            .collect();
        let inner = |column: usize| {
            (column_width.get(column).copied().unwrap_or(TEXT_WIDTH) - 2.0 * CELL_PADDING_X)
                .max(TABLE_BODY.size)
        };
        let header: Vec<Vec<String>> = headers
            .iter()
            .enumerate()
            .map(|(column, text)| self.wrap(TABLE_HEAD, text, inner(column), inner(column)))
            .collect();
        let body: Vec<Vec<Vec<String>>> = rows
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .map(|(column, text)| self.wrap(TABLE_BODY, text, inner(column), inner(column)))
                    .collect()
            })
            .collect();
        // A column whose every cell fits on one line is centred, like a 序号 or 页数 column.
        let centred = (0..headers.len())
            .map(|column| {
                body.iter()
                    .all(|row| row.get(column).is_none_or(|lines| lines.len() <= 1))
            })
            .collect();
        let shape = TableShape {
            column_x,
            column_width,
            centred,
            header,
        };
        let header_height = row_height(&shape.header, TABLE_HEAD);
        self.ensure(header_height + TABLE_BODY.leading + 2.0 * CELL_PADDING_Y);
        self.table_header(&shape);
        for row in &body {
            self.table_row(&shape, row, header_height);
        }
    }

    fn table_header(&mut self, shape: &TableShape) {
        let lines = shape
            .header
            .iter()
            .map(|cell| cell.len())
            .max()
            .unwrap_or(1)
            .max(1);
        self.place_row(shape, &shape.header, 0..lines, TABLE_HEAD, true);
    }

    /// Places a body row: whole on this page, else whole on the next (with the header repeated),
    /// and only a row taller than a page is split line by line.
    fn table_row(&mut self, shape: &TableShape, row: &[Vec<String>], header_height: f32) {
        let lines = row.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let capacity = TEXT_HEIGHT - header_height;
        let mut placed = 0;
        while placed < lines {
            let needed = (lines - placed) as f32 * TABLE_BODY.leading + 2.0 * CELL_PADDING_Y;
            if self.y + needed <= BOTTOM + 0.01 {
                self.place_row(shape, row, placed..lines, TABLE_BODY, false);
                return;
            }
            let fresh = self.y <= TOP + header_height + 0.01;
            if needed <= capacity && !fresh {
                self.finish_page();
                self.table_header(shape);
                continue;
            }
            let room = ((BOTTOM - self.y - 2.0 * CELL_PADDING_Y) / TABLE_BODY.leading)
                .floor()
                .max(0.0) as usize;
            // On a fresh page at least one line goes down, so the loop always progresses.
            let take = if fresh { room.max(1) } else { room }.min(lines - placed);
            if take > 0 {
                self.place_row(shape, row, placed..placed + take, TABLE_BODY, false);
                placed += take;
            }
            if placed < lines {
                self.finish_page();
                self.table_header(shape);
            }
        }
    }

    fn place_row(
        &mut self,
        shape: &TableShape,
        cells: &[Vec<String>],
        lines: std::ops::Range<usize>,
        style: Style,
        header: bool,
    ) {
        let top = self.y;
        let height = lines.len() as f32 * style.leading + 2.0 * CELL_PADDING_Y;
        for (column, cell) in cells.iter().enumerate() {
            let (Some(&x), Some(&width)) =
                (shape.column_x.get(column), shape.column_width.get(column))
            else {
                continue;
            };
            let centred = header || shape.centred.get(column).copied().unwrap_or(false);
            for (offset, line) in cell.iter().skip(lines.start).take(lines.len()).enumerate() {
                let natural = text_width(self.measure, style, line);
                let line_x = if centred {
                    x + (width - natural).max(0.0) / 2.0
                } else {
                    x + CELL_PADDING_X
                };
                self.items.push(Item::Text {
                    x: line_x,
                    baseline: baseline(top + CELL_PADDING_Y + offset as f32 * style.leading, style),
                    face: style.face,
                    size: style.size,
                    text: line.clone(),
                    spacing: 0.0,
                });
            }
        }
        let right = LEFT + TEXT_WIDTH;
        self.items.push(Item::Rule {
            x1: LEFT,
            y1: top,
            x2: right,
            y2: top,
        });
        self.items.push(Item::Rule {
            x1: LEFT,
            y1: top + height,
            x2: right,
            y2: top + height,
        });
        for x in shape.column_x.iter().copied().chain([right]) {
            self.items.push(Item::Rule {
                x1: x,
                y1: top,
                x2: x,
                y2: top + height,
            });
        }
        self.y = top + height;
    }
}

fn row_height(cells: &[Vec<String>], style: Style) -> f32 {
    cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * style.leading
        + 2.0 * CELL_PADDING_Y
}

#[cfg(test)]
mod tests {
    use super::super::layout;
    use super::super::tests::{Grid, document, texts};
    use crate::render::RenderedBlock;

    #[test]
    fn a_table_longer_than_a_page_repeats_its_header() {
        let rows: Vec<Vec<String>> = (1..=60)
            .map(|n| vec![n.to_string(), format!("申请人{n}")])
            .collect();
        let table = RenderedBlock::Table {
            headers: vec!["序号".into(), "姓名".into()],
            widths: vec![1, 4],
            rows,
        };
        let pages = layout(&document(vec![table]), &Grid).unwrap();
        assert!(pages.len() >= 2);
        for page in &pages {
            assert_eq!(&texts(page)[..2], &["序号", "姓名"]);
        }
        let all: Vec<&str> = pages.iter().flat_map(texts).collect();
        for n in 1..=60 {
            assert!(
                all.contains(&format!("申请人{n}").as_str()),
                "row {n} is placed"
            );
        }
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_not_lost() {
        let tall = "证".repeat(40 * 50);
        let table = RenderedBlock::Table {
            headers: vec!["内容".into()],
            widths: vec![1],
            rows: vec![vec![tall.clone()]],
        };
        let pages = layout(&document(vec![table]), &Grid).unwrap();
        let placed: String = pages
            .iter()
            .flat_map(texts)
            .filter(|t| t.starts_with('证'))
            .collect();
        assert_eq!(placed, tall);
        assert!(pages.len() >= 2);
    }
}
