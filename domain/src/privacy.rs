//! What public text may carry: personal numbers are masked, and characters no XML document may hold
//! are dropped. Both rules live here once; every public view (pages, API, Open311, exports, feeds,
//! live updates) goes through them.

/// Hides mainland mobile numbers, landlines with their area code and 18-character resident ID numbers
/// inside free text, however they are written: grouped with spaces, hyphens, dots or brackets, with
/// `+86`/`0086` in front, in full-width or Chinese digits. Other numbers (dates, house numbers,
/// tracking codes, long serials) stay as they are.
pub fn mask_personal_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if digit_value(chars[i]).is_none() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let (groups, end) = digit_run(&chars, i);
        let mut masked: Vec<char> = chars[i..end].to_vec();
        mask_run(&chars, i, &groups, &mut masked);
        out.extend(masked);
        i = end;
    }
    out.into_iter().collect()
}

/// The value of a digit in any spelling people type: ASCII, full-width, or Chinese (一三八…).
fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        '〇' | '零' | '○' => Some(0),
        '一' | '幺' | '壹' => Some(1),
        '二' | '两' | '贰' => Some(2),
        '三' | '叁' => Some(3),
        '四' | '肆' => Some(4),
        '五' | '伍' => Some(5),
        '六' | '陆' => Some(6),
        '七' | '柒' => Some(7),
        '八' | '捌' => Some(8),
        '九' | '玖' => Some(9),
        _ => None,
    }
}

/// Characters people put between the groups of a number.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}'
            | '\u{3000}'
            | '\t'
            | '-'
            | '－'
            | '‐'
            | '‑'
            | '–'
            | '—'
            | '.'
            | '．'
            | '·'
            | '_'
            | '/'
            | '('
            | ')'
            | '（'
            | '）'
    )
}

const MAX_SEPARATORS: usize = 3;

/// A digit group: the char positions of its digits.
type Group = Vec<usize>;

/// From `start` (a digit), the digit groups joined by short runs of separators, and where the run
/// ends (exclusive).
fn digit_run(chars: &[char], start: usize) -> (Vec<Group>, usize) {
    let mut groups: Vec<Group> = Vec::new();
    let mut current: Group = Vec::new();
    let mut j = start;
    let mut end = start;
    while j < chars.len() {
        if digit_value(chars[j]).is_some() {
            current.push(j);
            j += 1;
            end = j;
            continue;
        }
        // Separators count only when a digit follows them closely.
        let mut k = j;
        while k < chars.len() && k - j < MAX_SEPARATORS && is_separator(chars[k]) {
            k += 1;
        }
        if k > j && k < chars.len() && digit_value(chars[k]).is_some() {
            groups.push(std::mem::take(&mut current));
            j = k;
        } else {
            break;
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    (groups, end)
}

/// What kind of personal number a digit sequence is, and how many of its digits stay visible at the
/// start and the end.
fn classify(digits: &[u8], check_x: bool) -> Option<(usize, usize)> {
    let n = digits.len();
    if check_x {
        // Resident ID card: 17 digits and the check character X.
        return (n == 17).then_some((4, 1));
    }
    if n == 18 {
        return Some((4, 2));
    }
    if let Some((head, tail)) = classify_national(digits) {
        return Some((head, tail));
    }
    // With the country code: +86 / 0086, then a mobile or an area code without its 0.
    let prefix = if digits.starts_with(&[0, 0, 8, 6]) {
        4
    } else if digits.starts_with(&[8, 6]) {
        2
    } else {
        return None;
    };
    let rest = &digits[prefix..];
    if let Some((head, tail)) = classify_national(rest) {
        return Some((prefix + head, tail));
    }
    // "+86 592 1234567": an area code of 2–3 digits (0 dropped) and a 7–8 digit number.
    ((9..=11).contains(&rest.len()) && rest[0] >= 2).then_some((prefix + 3, 2))
}

fn classify_national(d: &[u8]) -> Option<(usize, usize)> {
    match d.len() {
        // Mainland mobile: 1[3-9] and 9 more digits.
        11 if d[0] == 1 && d[1] >= 3 => Some((3, 4)),
        // Landline with its area code: 0 + 2–3 digits, then 7–8 digits (010 12345678 is 11).
        10..=12 if d[0] == 0 && d[1] != 0 => Some((4, 2)),
        _ => None,
    }
}

/// Masks, within one run of digit groups, every span of whole groups that is a personal number: the
/// longest such span from each group on.
fn mask_run(chars: &[char], run_start: usize, groups: &[Group], masked: &mut [char]) {
    let mut s = 0;
    while s < groups.len() {
        let mut best: Option<(usize, (usize, usize), bool)> = None;
        let mut digits: Vec<u8> = Vec::new();
        for (e, g) in groups.iter().enumerate().skip(s) {
            digits.extend(g.iter().map(|&p| digit_value(chars[p]).unwrap_or(0)));
            if digits.len() > 22 {
                break;
            }
            let last = *g.last().unwrap_or(&0);
            let next = chars.get(last + 1).copied();
            let has_x = matches!(next, Some('X' | 'x' | 'Ｘ' | 'ｘ'));
            let ends_cleanly = !next.is_some_and(|c| c.is_ascii_alphanumeric()) || has_x;
            if !ends_cleanly {
                continue;
            }
            if let Some(keep) = classify(&digits, has_x) {
                best = Some((e, keep, has_x));
            }
        }
        let Some((e, (head, tail), has_x)) = best else {
            s += 1;
            continue;
        };
        let positions: Vec<usize> = groups[s..=e].iter().flatten().copied().collect();
        let n = positions.len() + usize::from(has_x);
        for (k, p) in positions.iter().enumerate() {
            if k >= head && k + tail < n {
                masked[p - run_start] = '*';
            }
        }
        s = e + 1;
    }
}

/// A case's public text: the operator's edit if there is one, else the resident's words, with
/// personal numbers masked either way (an edit is public text too).
pub fn public_text(edited: Option<String>, original: &str) -> String {
    mask_personal_numbers(edited.as_deref().unwrap_or(original))
}

/// Whether XML 1.0 allows a character in a document: tab, line feed, carriage return, and
/// U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. Unicode's non-characters (U+FDD0–U+FDEF and the
/// last two of every plane) are refused too: they are never text.
pub fn is_text_char(c: char) -> bool {
    let u = c as u32;
    let xml = matches!(c, '\t' | '\n' | '\r')
        || (0x20..=0xD7FF).contains(&u)
        || (0xE000..=0xFFFD).contains(&u)
        || (0x10000..=0x10FFFF).contains(&u);
    let non_character = (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE;
    // C1 controls and DEL are allowed by XML but are never meant as text.
    xml && !non_character && !(0x7F..=0x9F).contains(&u)
}

/// Free text as a person meant it: `\r\n` and lone `\r` become `\n`, and every character that is not
/// text ([`is_text_char`]) is dropped; tab and line feed stay only when `keep_lines`.
pub fn clean_text(input: &str, keep_lines: bool) -> String {
    input
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| match c {
            '\n' | '\t' => keep_lines,
            c => is_text_char(*c),
        })
        .collect()
}

/// Escapes text for XML content and attributes, dropping what XML 1.0 cannot carry at all, so a
/// stored string from before the input rule still makes a well-formed document.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_text_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_numbers_are_masked_whatever_the_spelling() {
        let table = [
            ("请联系13812345678谢谢", "请联系138****5678谢谢"),
            ("电话 138 1234 5678。", "电话 138 **** 5678。"),
            ("+86 138 0013 8000", "+86 138 **** 8000"),
            ("+8613800138000", "+86138****8000"),
            ("0086-138-0013-8000", "0086-138-****-8000"),
            ("138-0013-8000", "138-****-8000"),
            ("138 0013 8000", "138 **** 8000"),
            ("138.0013.8000", "138.****.8000"),
            ("（138）0013 8000", "（138）**** 8000"),
            ("１３８００１３８０００", "１３８****８０００"),
            ("１３８ ００１３ ８０００", "１３８ **** ８０００"),
            ("一三八零零一三八零零零", "一三八****八零零零"),
            ("1 3 8 0 0 1 3 8 0 0 0", "1 3 8 * * * * 8 0 0 0"),
            ("tel:13800138000", "tel:138****8000"),
            ("座机0592-1234567", "座机0592-*****67"),
            ("(0592) 1234 567", "(0592) **** *67"),
            ("010-12345678", "010-1*****78"),
            ("+86 592 1234567", "+86 592 *****67"),
            ("身份证350203199001011234", "身份证3502************34"),
            ("身份证35020319900101123X", "身份证3502*************X"),
            ("身份证 350203 19900101 123x", "身份证 3502** ******** ***x"),
            (
                "３５０２０３１９９００１０１１２３Ｘ",
                "３５０２*************Ｘ",
            ),
            ("2026-11-28 13800138000", "2026-11-28 138****8000"),
        ];
        for (input, want) in table {
            assert_eq!(mask_personal_numbers(input), want, "{input}");
        }
        // Not personal: tracking codes, house numbers, dates, coordinates, long serials.
        for keep in [
            "见 XM-2026-000123",
            "中山路123号",
            "2026-11-28 下午",
            "24.622612, 118.111267",
            "12345678901234567890",
            "设备号AB13812345678Z",
            "一二三四五",
            "400-123-4567",
        ] {
            assert_eq!(mask_personal_numbers(keep), keep, "{keep}");
        }
    }

    #[test]
    fn masked_text_holds_no_run_of_the_number() {
        for input in [
            "联系我 13800138000",
            "+86 138-0013-8000 谢谢",
            "１３８００１３８０００",
        ] {
            let out = mask_personal_numbers(input);
            let digits: String = out
                .chars()
                .filter_map(digit_value)
                .map(|d| d.to_string())
                .collect();
            assert!(!digits.contains("0013"), "{out}");
        }
    }

    #[test]
    fn only_text_characters_stay() {
        assert_eq!(
            clean_text("井盖\u{0}丢失\u{FFFE}了\u{FFFF}", false),
            "井盖丢失了"
        );
        assert_eq!(
            clean_text("a\u{FDD0}b\u{1FFFF}c\u{7F}d\u{85}e", false),
            "abcde"
        );
        assert_eq!(clean_text("一\r\n二\r三\t四", true), "一\n二\n三\t四");
        assert_eq!(clean_text("一\r\n二", false), "一二");
        // Emoji and rare CJK beyond the BMP are text.
        assert_eq!(clean_text("路灯🚧𠀀", false), "路灯🚧𠀀");
        assert!(!is_text_char('\u{B}'));
        assert_eq!(
            xml_escape("<a & 'b'>\u{FFFF}\u{1}"),
            "&lt;a &amp; &apos;b&apos;&gt;"
        );
        assert!(is_text_char('\u{FFFD}'));
    }
}
