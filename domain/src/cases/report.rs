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
    #[error("too many photos are being processed right now")]
    PhotoBusy,
    #[error("the follow-up phone is not a mainland mobile number")]
    BadContactPhone,
    #[error("the comment is empty")]
    CommentEmpty,
    #[error("the comment is too long")]
    CommentTooLong,
    #[error("only the reporter may add to a case")]
    NotTheReporter,
    #[error("the case is finished: it takes a rating or a new report, not a follow-up")]
    CaseFinished,
    #[error("a required question of the category is unanswered")]
    AnswerMissing,
    #[error("an answer to the category's questions is not one it can take")]
    AnswerInvalid,
}

impl From<&crate::cases::questions::AnswerProblem> for ReportProblem {
    fn from(p: &crate::cases::questions::AnswerProblem) -> Self {
        match p {
            crate::cases::questions::AnswerProblem::Missing => ReportProblem::AnswerMissing,
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
            | PhotoTooManyPixels | PhotoUnreadable | PhotoBusy => ReportField::Photos,
            BadContactPhone => ReportField::Contact,
            AnswerMissing | AnswerInvalid => ReportField::Questions,
            CommentEmpty | CommentTooLong | NotTheReporter | CaseFinished => {
                ReportField::Description
            }
        }
    }
}

/// A report's description: trimmed, 5 to 4000 characters, no control characters but line breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description(String);

impl Description {
    pub fn parse(input: &str) -> Result<Description, ReportProblem> {
        let cleaned = clean_text(input, true);
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
    let cleaned: String = clean_text(input, true).replace('\t', " ");
    let text = cleaned.trim();
    match text.chars().count() {
        0 => Err(ReportProblem::CommentEmpty),
        n if n > COMMENT_MAX_CHARS => Err(ReportProblem::CommentTooLong),
        _ => Ok(text.to_owned()),
    }
}

/// A free-text address for the "can't use the map?" path: optional with a pin, required without.
pub fn parse_address(input: &str, has_pin: bool) -> Result<Option<String>, ReportProblem> {
    let text = clean_text(input, false);
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

use crate::privacy::clean_text;
pub use crate::privacy::mask_personal_numbers;

use crate::calendar::CHINA_OFFSET_MS;

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
