//! Columns as Go's CLIs lay them out.

/// Go's `text/tabwriter` with padding 3, as docker (columns at least 10 wide) and kubectl (at
/// least 6) set it up: cells end with a tab; a column is as wide as its widest cell plus 3;
/// the last cell of a line is not padded.
pub(crate) fn tabwriter(text: &str, min_width: usize) -> String {
    let rows: Vec<Vec<&str>> = text
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns.saturating_sub(1))
        .map(|column| {
            rows.iter()
                .filter(|row| column + 1 < row.len())
                .map(|row| row[column].chars().count() + 3)
                .max()
                .unwrap_or(0)
                .max(min_width)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        for (column, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if column + 1 < row.len() {
                let width = widths.get(column).copied().unwrap_or(min_width);
                out.push_str(&" ".repeat(width.saturating_sub(cell.chars().count())));
            }
        }
        out.push('\n');
    }
    out
}
