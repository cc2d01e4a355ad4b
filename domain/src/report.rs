//! What a resident's report must satisfy before it becomes a case, and how its free text is shown in
//! public. Every problem is a value the UI turns into a message in the resident's language.

use serde::{Deserialize, Serialize};

/// Description length, counted in characters (a Chinese character is one).
pub const DESCRIPTION_MIN_CHARS: usize = 5;
/// As long as Open311 GeoReport v2 allows, so a hotline's report is never cut.
pub const DESCRIPTION_MAX_CHARS: usize = 4000;
pub const MAX_PHOTOS: usize = 3;
pub const PHOTO_MAX_BYTES: usize = 10 * 1024 * 1024;
pub const ADDRESS_MAX_CHARS: usize = 200;
/// "Is this already reported?" looks this far around the pin.
pub const NEARBY_RADIUS_M: f64 = 200.0;

/// One thing wrong with a report, tied to the form field the resident must fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
pub enum ReportProblem {
    #[error("choose a place on the map or from the lists")]
    NoLocation,
    #[error("the coordinates are not valid numbers")]
    BadCoordinates,
    #[error("the place is outside every grid cell of the city")]
    OutsideCity,
    #[error("the chosen community does not exist")]
    UnknownCommunity,
    #[error("without a map pin, an address is needed")]
    AddressMissing,
    #[error("the address is too long")]
    AddressTooLong,
    #[error("choose a category")]
    MissingCategory,
    #[error("the category does not exist")]
    UnknownCategory,
    #[error("the description is too short")]
    DescriptionTooShort,
    #[error("the description is too long")]
    DescriptionTooLong,
    #[error("too many photos")]
    TooManyPhotos,
    #[error("a photo file is empty")]
    PhotoEmpty,
    #[error("a photo is larger than 10 MB")]
    PhotoTooLarge,
    #[error("a file is not a JPEG, PNG or WebP image")]
    PhotoNotImage,
    #[error("HEIC photos are not accepted")]
    PhotoHeic,
    #[error("a photo has too many pixels")]
    PhotoTooManyPixels,
    #[error("a photo could not be read")]
    PhotoUnreadable,
    #[error("the follow-up phone is not a mainland mobile number")]
    BadContactPhone,
    #[error("the comment is empty")]
    CommentEmpty,
    #[error("the comment is too long")]
    CommentTooLong,
    #[error("only the reporter may add to a case")]
    NotTheReporter,
    #[error("a required question of the category is unanswered")]
    AnswerMissing,
    #[error("an answer to the category's questions is not one it can take")]
    AnswerInvalid,
}

impl From<&crate::questions::AnswerProblem> for ReportProblem {
    fn from(p: &crate::questions::AnswerProblem) -> Self {
        match p {
            crate::questions::AnswerProblem::Missing => ReportProblem::AnswerMissing,
            _ => ReportProblem::AnswerInvalid,
        }
    }
}

/// The form field a problem belongs to, so the message can sit next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportField {
    Location,
    Category,
    Description,
    Photos,
    Contact,
    /// The category's extra questions.
    Questions,
}

impl ReportProblem {
    pub fn field(self) -> ReportField {
        use ReportProblem::*;
        match self {
            NoLocation | BadCoordinates | OutsideCity | UnknownCommunity | AddressMissing
            | AddressTooLong => ReportField::Location,
            MissingCategory | UnknownCategory => ReportField::Category,
            DescriptionTooShort | DescriptionTooLong => ReportField::Description,
            TooManyPhotos | PhotoEmpty | PhotoTooLarge | PhotoNotImage | PhotoHeic
            | PhotoTooManyPixels | PhotoUnreadable => ReportField::Photos,
            BadContactPhone => ReportField::Contact,
            AnswerMissing | AnswerInvalid => ReportField::Questions,
            CommentEmpty | CommentTooLong | NotTheReporter => ReportField::Description,
        }
    }
}

/// A report's description: trimmed, 5 to 4000 characters, no control characters but line breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description(String);

impl Description {
    pub fn parse(input: &str) -> Result<Description, ReportProblem> {
        let cleaned: String = input
            .replace("\r\n", "\n")
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect();
        let text = cleaned.trim();
        let n = text.chars().count();
        if n < DESCRIPTION_MIN_CHARS {
            return Err(ReportProblem::DescriptionTooShort);
        }
        if n > DESCRIPTION_MAX_CHARS {
            return Err(ReportProblem::DescriptionTooLong);
        }
        Ok(Description(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const COMMENT_MAX_CHARS: usize = 1000;

/// A reporter's follow-up on their case: trimmed, 1 to 1000 characters, line breaks kept.
pub fn parse_comment(input: &str) -> Result<String, ReportProblem> {
    let cleaned: String = input
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let text = cleaned.trim();
    match text.chars().count() {
        0 => Err(ReportProblem::CommentEmpty),
        n if n > COMMENT_MAX_CHARS => Err(ReportProblem::CommentTooLong),
        _ => Ok(text.to_owned()),
    }
}

/// A free-text address for the "can't use the map?" path: optional with a pin, required without.
pub fn parse_address(input: &str, has_pin: bool) -> Result<Option<String>, ReportProblem> {
    let text: String = input.chars().filter(|c| !c.is_control()).collect();
    let text = text.trim();
    if text.is_empty() {
        return if has_pin {
            Ok(None)
        } else {
            Err(ReportProblem::AddressMissing)
        };
    }
    if text.chars().count() > ADDRESS_MAX_CHARS {
        return Err(ReportProblem::AddressTooLong);
    }
    Ok(Some(text.to_owned()))
}

/// Hides mobile, landline and ID-card numbers inside free text before it is shown in public.
/// Digits may be grouped with single spaces or hyphens ("138 1234 5678", "0592-1234567").
pub fn mask_personal_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit() && (i == 0 || !is_word_char(chars[i - 1]));
        if !starts_number {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The longest run of digits (and single separators between digits), plus a final X.
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                j += 1;
                end = j;
            } else if (chars[j] == ' ' || chars[j] == '-')
                && chars.get(j + 1).is_some_and(|c| c.is_ascii_digit())
            {
                j += 1;
            } else {
                break;
            }
        }
        if chars.get(end).is_some_and(|c| *c == 'X' || *c == 'x') {
            end += 1;
        }
        let token: Vec<char> = chars[i..end].to_vec();
        let significant: Vec<char> = token
            .iter()
            .copied()
            .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
            .collect();
        let followed_by_word = chars.get(end).is_some_and(|c| is_word_char(*c));
        match classify(&significant) {
            Some((keep_head, keep_tail)) if !followed_by_word => {
                let n = significant.len();
                let mut k = 0;
                for c in token {
                    if c == ' ' || c == '-' {
                        out.push(c);
                    } else {
                        out.push(if k < keep_head || k >= n - keep_tail {
                            c
                        } else {
                            '*'
                        });
                        k += 1;
                    }
                }
            }
            _ => out.extend(token),
        }
        i = end;
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// (digits kept at the start, digits kept at the end) for numbers worth hiding.
fn classify(s: &[char]) -> Option<(usize, usize)> {
    let digits_only = s.iter().all(char::is_ascii_digit);
    match s.len() {
        // Mainland mobile: 1[3-9] and 9 more digits.
        11 if digits_only && s[0] == '1' && ('3'..='9').contains(&s[1]) => Some((3, 4)),
        // Resident ID card: 17 digits and a check character.
        18 if s[..17].iter().all(char::is_ascii_digit) => Some((4, 2)),
        // Landline with area code, e.g. 0592 1234567.
        10..=12 if digits_only && s[0] == '0' => Some((4, 2)),
        _ => None,
    }
}

const CHINA_OFFSET_MS: i64 = 8 * 3600 * 1000;

/// The calendar year in China (UTC+8) at a Unix time in milliseconds: tracking codes carry it.
pub fn china_year(unix_ms: i64) -> i32 {
    china_time(unix_ms).0
}

/// (year, month, day, hour, minute) in China (UTC+8), for showing times to residents.
pub fn china_time(unix_ms: i64) -> (i32, u32, u32, u32, u32) {
    let local = unix_ms + CHINA_OFFSET_MS;
    let days = local.div_euclid(86_400_000);
    let minute_of_day = local.rem_euclid(86_400_000) / 60_000;
    let crate::calendar::Date {
        year: y,
        month: m,
        day: d,
    } = crate::calendar::Date::from_day_number(days);
    (
        y,
        m,
        d,
        (minute_of_day / 60) as u32,
        (minute_of_day % 60) as u32,
    )
}

/// "2026-11-28 09:05" in China time.
pub fn china_time_text(unix_ms: i64) -> String {
    let (y, mo, d, h, mi) = china_time(unix_ms);
    format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_trimmed_and_bounded_in_characters() {
        assert_eq!(
            Description::parse("  路灯不亮了  ").unwrap().as_str(),
            "路灯不亮了"
        );
        assert_eq!(
            Description::parse("路灯坏"),
            Err(ReportProblem::DescriptionTooShort)
        );
        assert_eq!(
            Description::parse("     "),
            Err(ReportProblem::DescriptionTooShort)
        );
        assert!(Description::parse(&"灯".repeat(4000)).is_ok());
        assert_eq!(
            Description::parse(&"灯".repeat(4001)),
            Err(ReportProblem::DescriptionTooLong)
        );
        assert_eq!(
            Description::parse(&"x".repeat(10_000)),
            Err(ReportProblem::DescriptionTooLong)
        );
        // Control characters go; line breaks stay.
        assert_eq!(
            Description::parse("井盖\u{0}丢失了\r\n很危险")
                .unwrap()
                .as_str(),
            "井盖丢失了\n很危险"
        );
    }

    #[test]
    fn comments_are_trimmed_and_bounded() {
        assert_eq!(parse_comment("  还没修好\r\n ").unwrap(), "还没修好");
        assert_eq!(parse_comment(" \u{0} "), Err(ReportProblem::CommentEmpty));
        assert_eq!(
            parse_comment(&"好".repeat(1001)),
            Err(ReportProblem::CommentTooLong)
        );
    }

    #[test]
    fn address_is_required_only_without_a_pin() {
        assert_eq!(parse_address(" ", true), Ok(None));
        assert_eq!(parse_address("", false), Err(ReportProblem::AddressMissing));
        assert_eq!(
            parse_address(" 中山路 12 号 ", false),
            Ok(Some("中山路 12 号".into()))
        );
        assert_eq!(
            parse_address(&"路".repeat(201), true),
            Err(ReportProblem::AddressTooLong)
        );
    }

    #[test]
    fn personal_numbers_are_masked_in_public_text() {
        assert_eq!(
            mask_personal_numbers("请联系13812345678谢谢"),
            "请联系138****5678谢谢"
        );
        assert_eq!(
            mask_personal_numbers("电话 138 1234 5678。"),
            "电话 138 **** 5678。"
        );
        assert_eq!(
            mask_personal_numbers("身份证350203199001011234"),
            "身份证3502************34"
        );
        assert_eq!(
            mask_personal_numbers("身份证35020319900101123X"),
            "身份证3502************3X"
        );
        assert_eq!(
            mask_personal_numbers("座机0592-1234567"),
            "座机0592-*****67"
        );
        // Not personal: tracking codes, house numbers, dates, long serials inside words.
        for keep in [
            "见 XM-2026-000123",
            "中山路123号",
            "2026-11-28 下午",
            "设备号AB13812345678",
            "12345678901234567890",
        ] {
            assert_eq!(mask_personal_numbers(keep), keep);
        }
    }

    #[test]
    fn years_follow_china_time() {
        // 2026-12-31T16:00:00Z is already 2027-01-01 in Beijing.
        assert_eq!(china_year(1_798_732_800_000 - 1), 2026);
        assert_eq!(china_year(1_798_732_800_000), 2027);
        assert_eq!(china_year(0), 1970);
        assert_eq!(china_year(951_782_400_000), 2000); // 2000-02-29 UTC
        assert_eq!(china_time(951_782_400_000), (2000, 2, 29, 8, 0));
        assert_eq!(
            china_time_text(1_798_732_800_000 + 65 * 60_000),
            "2027-01-01 01:05"
        );
    }

    #[test]
    fn every_problem_has_a_field() {
        assert_eq!(ReportProblem::PhotoHeic.field(), ReportField::Photos);
        assert_eq!(ReportProblem::OutsideCity.field(), ReportField::Location);
        assert_eq!(ReportProblem::BadContactPhone.field(), ReportField::Contact);
    }
}
