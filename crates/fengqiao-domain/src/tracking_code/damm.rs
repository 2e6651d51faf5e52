//! The Damm check digit: one decimal digit that catches every single wrong digit and every swap of neighbours.

/// The totally anti-symmetric quasigroup of order 10 from H. Michael Damm's 2004 thesis: its
/// diagonal is zero and T[T[c][x]][y] ≠ T[T[c][y]][x] for x ≠ y, which is what makes the check
/// digit catch all single-digit errors and all adjacent transpositions (both proved by
/// exhaustive tests below).
const DAMM_TABLE: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// Runs the Damm quasigroup over `digits` and returns the final interim digit: appended as a
/// check digit it makes the whole sequence run to 0.
pub(super) fn damm_interim(digits: impl Iterator<Item = u8>) -> u8 {
    digits.fold(0u8, |interim, digit| {
        DAMM_TABLE
            .get(usize::from(interim))
            .and_then(|row| row.get(usize::from(digit)))
            .copied()
            .unwrap_or(interim)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_digit(digits: &str) -> u8 {
        damm_interim(digits.bytes().map(|b| b - b'0'))
    }

    #[test]
    fn published_example_572_has_check_digit_4() {
        assert_eq!(check_digit("572"), 4);
        assert_eq!(check_digit("5724"), 0);
        assert_ne!(check_digit("5274"), 0);
    }

    #[test]
    fn rows_and_columns_are_permutations_so_one_wrong_digit_always_shows() {
        // Rows: a different digit from the same interim gives a different interim.
        // Columns: from then on, different interims stay different.
        for (i, table_row) in DAMM_TABLE.iter().enumerate() {
            let mut row: Vec<u8> = table_row.to_vec();
            let mut column: Vec<u8> = DAMM_TABLE.iter().map(|r| r[i]).collect();
            row.sort_unstable();
            column.sort_unstable();
            assert_eq!(row, (0..10).collect::<Vec<u8>>(), "row {i}");
            assert_eq!(column, (0..10).collect::<Vec<u8>>(), "column {i}");
        }
    }

    #[test]
    fn diagonal_is_zero_so_a_check_digit_closes_to_zero() {
        for (i, row) in DAMM_TABLE.iter().enumerate() {
            assert_eq!(row[i], 0);
        }
    }

    #[test]
    fn swapping_neighbours_always_changes_the_interim() {
        for (interim, row) in DAMM_TABLE.iter().enumerate() {
            for x in 0..10usize {
                for y in 0..10usize {
                    if x != y {
                        let xy = DAMM_TABLE[usize::from(row[x])][y];
                        let yx = DAMM_TABLE[usize::from(row[y])][x];
                        assert_ne!(xy, yx, "interim {interim}, digits {x}{y}");
                    }
                }
            }
        }
    }
}
