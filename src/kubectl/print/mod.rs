//! Printers: kubectl's table (`printers/tablegenerator` + `internalversion/printers.go`), YAML/JSON
//! and `describe` output, all aligned by a port of Go's `text/tabwriter`.

pub mod describe;
pub mod gojson;
pub mod table;
pub mod yaml;

pub use crate::engine::sort::{sort, sort_by};

/// Aligns rows of cells like kubectl's table printer (`printers.GetNewTabWriter`: minwidth 6,
/// padding 3, pad char ' '); the last cell of each row is not padded.
pub fn tabwrite(rows: &[Vec<String>]) -> String {
    tabwrite_with(rows, 6, 3)
}

/// Rows of cells through [`tabwriter`] with the given minimum width and padding.
pub fn tabwrite_with(rows: &[Vec<String>], min_width: usize, padding: usize) -> String {
    let text: String = rows.iter().map(|r| format!("{}\n", r.join("\t"))).collect();
    tabwriter(&text, min_width, padding)
}

/// Go's `text/tabwriter` (flags 0, pad char ' '): cells are tab-terminated; a column block is a
/// run of consecutive lines that have a cell in that column; each block is as wide as its widest
/// cell plus `padding` (at least `min_width`). The text after a line's last tab is not aligned.
pub fn tabwriter(text: &str, min_width: usize, padding: usize) -> String {
    let mut w = Tabwriter {
        min_width,
        padding,
        remember: None,
    };
    w.write(text)
}

/// Rows through kubectl's table writer with the `RememberWidths` flag of
/// `github.com/liggitt/tabwriter` (what `printers.GetNewTabWriter` sets): each column is at
/// least as wide as it was in any earlier flush, `remembered` carrying the widths from one
/// flush to the next. A watch prints every event as its own flush, so its columns only grow.
pub fn tabwrite_remembering(rows: &[Vec<String>], remembered: &mut Vec<usize>) -> String {
    let text: String = rows.iter().map(|r| format!("{}\n", r.join("\t"))).collect();
    let mut w = Tabwriter {
        min_width: 6,
        padding: 3,
        remember: Some(remembered),
    };
    w.write(&text)
}

struct Tabwriter<'a> {
    min_width: usize,
    padding: usize,
    /// `maxwidths` under `RememberWidths`.
    remember: Option<&'a mut Vec<usize>>,
}

impl Tabwriter<'_> {
    fn write(&mut self, text: &str) -> String {
        let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
        let mut out = String::new();
        let mut widths = Vec::new();
        self.format_block(&lines, 0, lines.len(), &mut widths, &mut out);
        out
    }

    /// `RememberWidths`: the block's width against the widest this column has been.
    fn remembered(&mut self, widths: &[usize], width: usize) -> usize {
        let Some(max) = self.remember.as_deref_mut() else {
            return width;
        };
        if max.len() < widths.len() {
            max.extend_from_slice(widths.get(max.len()..).unwrap_or_default());
        }
        match max.get_mut(widths.len()) {
            None => {
                max.push(width);
                width
            }
            Some(m) if *m > width => *m,
            Some(m) => {
                *m = width;
                width
            }
        }
    }

    fn format_block(
        &mut self,
        lines: &[Vec<&str>],
        line0: usize,
        line1: usize,
        widths: &mut Vec<usize>,
        out: &mut String,
    ) {
        let column = widths.len();
        let mut start = line0;
        let mut this = line0;
        while this < line1 {
            let n_cells = lines.get(this).map_or(0, Vec::len);
            if column + 1 >= n_cells {
                this += 1;
                continue;
            }
            write_lines(lines, start, this, widths, out);
            start = this;
            let mut width = self.min_width;
            while this < line1 {
                let Some(line) = lines.get(this) else { break };
                if column + 1 >= line.len() {
                    break;
                }
                let w = line.get(column).map_or(0, |c| cell_width(c)) + self.padding;
                width = width.max(w);
                this += 1;
            }
            let width = self.remembered(widths, width);
            widths.push(width);
            self.format_block(lines, start, this, widths, out);
            widths.pop();
            start = this;
        }
        write_lines(lines, start, line1, widths, out);
    }
}

fn cell_width(s: &str) -> usize {
    s.chars().count()
}

fn write_lines(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &[usize],
    out: &mut String,
) {
    for i in line0..line1 {
        let Some(line) = lines.get(i) else { continue };
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if let Some(w) = widths.get(j) {
                for _ in cell_width(cell)..*w {
                    out.push(' ');
                }
            }
        }
        if i + 1 != lines.len() {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared sort orders exactly as `slice::sort_by`, ties in input order.
    #[test]
    fn sort_by_is_the_standard_stable_sort() {
        let mut seed = 7u64;
        for len in 0..60 {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (u8::try_from(seed >> 61).unwrap(), i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|a| a.0);
            let mut have = v.clone();
            sort_by(&mut have, |a, b| a.0.cmp(&b.0));
            assert_eq!(have, want);
        }
        let mut words = vec!["b", "a", "c", "a"];
        sort(&mut words);
        assert_eq!(words, ["a", "a", "b", "c"]);
    }

    #[test]
    fn tabwrite_pads_like_kubectl() {
        let rows = vec![
            vec!["NAME".to_string(), "READY".into(), "AGE".into()],
            vec!["a".to_string(), "1/1".into(), "5s".into()],
        ];
        assert_eq!(tabwrite(&rows), "NAME   READY   AGE\na      1/1     5s\n");
    }

    /// liggitt/tabwriter's `RememberWidths`: a later, narrower flush keeps the earlier widths;
    /// a wider one widens the column from then on.
    #[test]
    fn tabwrite_remembering_keeps_columns_from_earlier_flushes() {
        let row = |a: &str, b: &str, c: &str| vec![a.to_string(), b.to_string(), c.to_string()];
        let mut widths = Vec::new();
        let first = tabwrite_remembering(
            &[
                row("NAME", "STATUS", "AGE"),
                row("pi-abcde", "Pending", "0s"),
            ],
            &mut widths,
        );
        assert_eq!(first, "NAME       STATUS    AGE\npi-abcde   Pending   0s\n");
        let narrow = tabwrite_remembering(&[row("x", "Ok", "1s")], &mut widths);
        assert_eq!(narrow, "x          Ok        1s\n");
        let wide = tabwrite_remembering(&[row("x", "ContainerCreating", "1s")], &mut widths);
        assert_eq!(wide, "x          ContainerCreating   1s\n");
        let after = tabwrite_remembering(&[row("x", "Ok", "2s")], &mut widths);
        assert_eq!(after, "x          Ok                  2s\n");
    }

    #[test]
    fn tabwriter_blocks_end_at_lines_without_cells() {
        let text = "Name:\tx\nService Account:\ty\nIPs:\n  IP:\t1\n";
        assert_eq!(
            tabwriter(text, 0, 2),
            "Name:             x\nService Account:  y\nIPs:\n  IP:  1\n"
        );
    }
}
