//! Line breaking for Chinese text: break between ideographs, keep Latin words and codes whole,
//! and obey 避头尾 (no closing punctuation at a line start, no opening bracket at a line end).

/// Punctuation that must not begin a line (行首禁则, 避头).
const NO_LINE_START: &str = "，。、；：？！）］｝」』》〉】〕〗〙〛’”·．,.;:?!)]}%‰℃〃々～";
/// Punctuation that must not end a line (行尾禁则, 避尾).
const NO_LINE_END: &str = "（［｛「『《〈【〔〖〘〚‘“([{";
/// Marks written doubled (——, ……) that must not be split between lines.
const UNSPLITTABLE_PAIRS: &str = "—…";

/// Whether `c` may not start a line.
pub fn is_no_line_start(c: char) -> bool {
    NO_LINE_START.contains(c)
}

/// Whether `c` may not end a line.
pub fn is_no_line_end(c: char) -> bool {
    NO_LINE_END.contains(c)
}

/// Whether `c` is set on the CJK grid (ideographs, kana, hangul, full-width forms, CJK punctuation),
/// where a line may break on either side.
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x2E80..=0x2FDF      // radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation
        | 0x3040..=0x30FF    // kana
        | 0x3100..=0x31FF    // bopomofo, strokes
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xAC00..=0xD7AF    // hangul
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // compatibility forms
        | 0xFF00..=0xFFEF    // full-width forms
        | 0x20000..=0x3134F  // extensions B–G
    ) || "“”‘’…—·".contains(c)
}

/// Whether a line may end between `before` and `after`.
pub fn can_break_between(before: char, after: char) -> bool {
    if is_no_line_start(after) || is_no_line_end(before) {
        return false;
    }
    if before == after && UNSPLITTABLE_PAIRS.contains(before) {
        return false;
    }
    if before.is_whitespace() {
        return true;
    }
    // A link may break after a path slash, so a tracking code at its end stays whole.
    if before == '/' && after.is_ascii_alphanumeric() {
        return true;
    }
    if after.is_whitespace() {
        // The break is taken after the space instead, which keeps the space off the next line.
        return false;
    }
    is_cjk(before) || is_cjk(after)
}

/// Breaks `text` (one paragraph, no newlines) into lines no wider than `first_width` for the
/// first line and `width` for the others, measuring characters with `width_of`.
///
/// When a line is full, it ends at the last allowed break, pushing the characters after it to
/// the next line (推出); only a run with no allowed break at all (a long code or URL) is cut
/// where it overflows. Spaces at the ends of lines are dropped.
pub fn break_lines(
    text: &str,
    first_width: f32,
    width: f32,
    width_of: impl Fn(char) -> f32,
) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut lines = Vec::new();
    let mut start = skip_spaces(&chars, 0);
    while start < chars.len() {
        let limit = if lines.is_empty() { first_width } else { width };
        let end = line_end(&chars, start, limit, &width_of);
        let line: String = chars.get(start..end).unwrap_or_default().iter().collect();
        lines.push(line.trim_end().to_owned());
        start = skip_spaces(&chars, end);
    }
    lines
}

fn skip_spaces(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    at
}

/// The exclusive end of the line starting at `start`.
fn line_end(chars: &[char], start: usize, limit: f32, width_of: &impl Fn(char) -> f32) -> usize {
    let mut used = 0.0;
    let mut last_break = None;
    for (at, &c) in chars.iter().enumerate().skip(start) {
        if at > start
            && let Some(&before) = chars.get(at - 1)
            && can_break_between(before, c)
        {
            last_break = Some(at);
        }
        let advance = width_of(c);
        // A tiny tolerance keeps a line of exactly `limit` from breaking on rounding error.
        if used + advance > limit + 0.01 && at > start {
            if c.is_whitespace() {
                return at;
            }
            return last_break.unwrap_or(at);
        }
        used += advance;
    }
    chars.len()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Ideographs and full-width punctuation one em wide, everything else half.
    fn em(c: char) -> f32 {
        if is_cjk(c) { 1.0 } else { 0.5 }
    }

    fn lines(text: &str, width: f32) -> Vec<String> {
        break_lines(text, width, width, em)
    }

    #[test]
    fn breaks_between_any_ideographs() {
        assert_eq!(
            lines("枫桥经验矛盾不上交", 4.0),
            vec!["枫桥经验", "矛盾不上", "交"]
        );
    }

    #[test]
    fn closing_punctuation_pushes_the_previous_character_down() {
        // "经验" fills the line and "，" may not start the next: "验" goes down with it.
        assert_eq!(lines("枫桥经验，矛盾", 4.0), vec!["枫桥经", "验，矛盾"]);
        assert_eq!(lines("申请人：张三。", 3.0), vec!["申请", "人：张", "三。"]);
        assert_eq!(lines("甲乙丙》丁", 3.0), vec!["甲乙", "丙》丁"]);
    }

    #[test]
    fn opening_brackets_do_not_end_a_line() {
        assert_eq!(lines("甲乙《丁》", 3.0), vec!["甲乙", "《丁》"]);
        assert_eq!(lines("一二（三）", 3.0), vec!["一二", "（三）"]);
    }

    #[test]
    fn latin_words_and_codes_stay_whole() {
        assert_eq!(
            lines("解纷码2611-4831-0572-9请保管", 8.0),
            vec!["解纷码", "2611-4831-0572-9", "请保管"]
        );
        assert_eq!(lines("see the code", 3.5), vec!["see the", "code"]);
    }

    #[test]
    fn links_break_after_a_path_slash_not_inside_the_code() {
        assert_eq!(
            lines("登录https://fq.example.cn/q/2611-4831-0572-9查询", 14.0),
            vec!["登录https://fq.example.cn/q/", "2611-4831-0572-9查询"]
        );
    }

    #[test]
    fn an_unbreakable_run_longer_than_a_line_is_cut() {
        assert_eq!(lines("abcdefgh", 2.0), vec!["abcd", "efgh"]);
    }

    #[test]
    fn doubled_dashes_and_ellipses_stay_together() {
        assert_eq!(lines("甲乙——丙", 3.0), vec!["甲乙", "——丙"]);
        assert_eq!(lines("甲乙丙……", 4.0), vec!["甲乙丙", "……"]);
    }

    #[test]
    fn first_line_may_be_narrower_for_the_indent() {
        assert_eq!(
            break_lines("一二三四五六七", 3.0, 5.0, em),
            vec!["一二三", "四五六七"]
        );
    }

    #[test]
    fn spaces_at_line_ends_are_dropped() {
        assert_eq!(lines("  ab cd  ", 1.0), vec!["ab", "cd"]);
        assert!(lines("   ", 4.0).is_empty());
    }

    const IDEOGRAPHS: &[char] = &['枫', '桥', '调', '解', '协', '议', '法', '院'];
    const CLOSERS: &[char] = &['，', '。', '、', '；', '：', '？', '！', '）', '》', '”'];
    const OPENERS: &[char] = &['（', '《', '“'];

    /// Text made of tokens [opener] ideograph [closer]: no unbreakable run is longer than 3.
    fn chinese_text() -> impl Strategy<Value = String> {
        let token = (
            proptest::option::of(proptest::sample::select(OPENERS)),
            proptest::sample::select(IDEOGRAPHS),
            proptest::option::of(proptest::sample::select(CLOSERS)),
        );
        proptest::collection::vec(token, 1..60).prop_map(|tokens| {
            tokens
                .into_iter()
                .flat_map(|(open, ideograph, close)| {
                    open.into_iter().chain([ideograph]).chain(close)
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn wrapping_keeps_every_character_and_obeys_the_rules(text in chinese_text(), width in 4u8..30) {
            let width = f32::from(width);
            let result = lines(&text, width);
            prop_assert_eq!(result.concat(), text.clone());
            for (number, line) in result.iter().enumerate() {
                let line_width: f32 = line.chars().map(em).sum();
                prop_assert!(line_width <= width, "line {} too wide: {}", number, line);
                let first = line.chars().next().unwrap();
                let last = line.chars().last().unwrap();
                prop_assert!(number == 0 || !is_no_line_start(first), "line {} starts with {}", number, first);
                prop_assert!(number + 1 == result.len() || !is_no_line_end(last), "line {} ends with {}", number, last);
            }
        }
    }
}
