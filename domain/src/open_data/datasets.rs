//! Open-data exports: what a case row becomes in CSV and GeoJSON, and the date range a download
//! covers. De-identified by construction: a row has no field for who reported, and positions are
//! rounded to about 100 m before they get here.

use crate::calendar::Date;

/// The licence every export is published under, stated on the open-data page and in each file's
/// `Link` header (and inside GeoJSON).
pub const LICENCE: &str = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)";
pub const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";
/// Without dates, an export covers the last year.
pub const DEFAULT_DAYS: i64 = 365;
/// The most days one case export covers: a year (a leap one too). Longer spans are several
/// downloads, so one request cannot keep the store busy for a decade of cases.
pub const MAX_CASE_DAYS: i64 = 366;
const DAY_MS: i64 = 86_400_000;
use crate::calendar::CHINA_OFFSET_MS;

/// Inclusive China dates, as Unix ms [from midnight, to the next midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: Date,
    pub to: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeProblem {
    /// Not YYYY-MM-DD (the parameter's name).
    BadDate(&'static str),
    Backwards,
}

impl DateRange {
    /// `from`/`to` as sent ("" for absent); `today` is China's date now.
    pub fn parse(from: &str, to: &str, today: Date) -> Result<DateRange, RangeProblem> {
        let date = |s: &str, name: &'static str| -> Result<Option<Date>, RangeProblem> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            Date::parse(s).map(Some).ok_or(RangeProblem::BadDate(name))
        };
        let (f, t) = (date(from, "from")?, date(to, "to")?);
        let to = t.unwrap_or(today);
        let from = f.unwrap_or_else(|| Date::from_day_number(to.day_number() - (DEFAULT_DAYS - 1)));
        if to < from {
            return Err(RangeProblem::Backwards);
        }
        Ok(DateRange { from, to })
    }

    /// Days covered, both ends included.
    pub fn days(self) -> i64 {
        self.to.day_number() - self.from.day_number() + 1
    }

    pub fn start_ms(self) -> i64 {
        self.from.day_number() * DAY_MS - CHINA_OFFSET_MS
    }

    /// Exclusive.
    pub fn end_ms(self) -> i64 {
        (self.to.day_number() + 1) * DAY_MS - CHINA_OFFSET_MS
    }
}

/// One case as open data.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRecord {
    pub code: String,
    pub service_code: String,
    pub category_zh: String,
    pub category_en: String,
    pub stage: String,
    pub closed: bool,
    pub district: String,
    pub street: String,
    pub community: String,
    pub community_zh: String,
    pub created: String,
    pub updated: String,
    /// Rounded to about 100 m.
    pub lat: f64,
    pub lng: f64,
    /// The public text (masked of phone and ID numbers).
    pub description: String,
}

pub const CSV_HEADER: &str = "service_request_id,service_code,category_zh,category_en,stage,status,\
district_code,street_code,community_code,community_zh,requested_datetime,updated_datetime,lat,long,description\r\n";

/// A CSV field: quoted when it must be, and a leading `=`, `+`, `-` or `@` neutralised so a
/// spreadsheet does not run it as a formula.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

impl CaseRecord {
    pub fn csv_line(&self, out: &mut String) {
        let status = if self.closed { "closed" } else { "open" };
        let fields = [
            csv_field(&self.code),
            csv_field(&self.service_code),
            csv_field(&self.category_zh),
            csv_field(&self.category_en),
            csv_field(&self.stage),
            status.to_owned(),
            csv_field(&self.district),
            csv_field(&self.street),
            csv_field(&self.community),
            csv_field(&self.community_zh),
            csv_field(&self.created),
            csv_field(&self.updated),
            format!("{}", self.lat),
            format!("{}", self.lng),
            csv_field(&self.description),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }

    /// A GeoJSON Feature (a Point, longitude first).
    pub fn geojson_feature(&self, out: &mut String) {
        use crate::open_data::open311::json_string as j;
        out.push_str(&format!(
            "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{},{}]}},\
             \"properties\":{{\"service_request_id\":{},\"service_code\":{},\"category_zh\":{},\
             \"category_en\":{},\"stage\":{},\"status\":{},\"district_code\":{},\"street_code\":{},\
             \"community_code\":{},\"community_zh\":{},\"requested_datetime\":{},\
             \"updated_datetime\":{},\"description\":{}}}}}",
            self.lng,
            self.lat,
            j(&self.code),
            j(&self.service_code),
            j(&self.category_zh),
            j(&self.category_en),
            j(&self.stage),
            j(if self.closed { "closed" } else { "open" }),
            j(&self.district),
            j(&self.street),
            j(&self.community),
            j(&self.community_zh),
            j(&self.created),
            j(&self.updated),
            j(&self.description),
        ));
    }
}

/// The start of a GeoJSON export, up to its first feature.
pub fn geojson_head(range: DateRange, generated: &str) -> String {
    use crate::open_data::open311::json_string as j;
    format!(
        "{{\"type\":\"FeatureCollection\",\"licence\":{},\"from\":{},\"to\":{},\"generated\":{},\
         \"note\":{},\"features\":[\n",
        j(LICENCE),
        j(&range.from.to_string()),
        j(&range.to.to_string()),
        j(generated),
        j("De-identified: no reporter data; positions rounded to about 100 m."),
    )
}

pub const GEOJSON_TAIL: &str = "\n]}\n";

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn ranges_default_to_a_year_and_refuse_bad_dates() {
        let today = d("2026-11-28");
        let r = DateRange::parse("", "", today).unwrap();
        assert_eq!((r.from, r.to), (d("2025-11-29"), today));
        assert_eq!(r.end_ms() - r.start_ms(), 365 * DAY_MS);
        let r = DateRange::parse("2026-01-01", "2026-01-01", today).unwrap();
        assert_eq!(r.end_ms() - r.start_ms(), DAY_MS, "one whole China day");
        assert_eq!(
            r.start_ms(),
            d("2026-01-01").china_ms(0),
            "from China midnight"
        );
        assert_eq!(
            DateRange::parse("2026-02-30", "", today),
            Err(RangeProblem::BadDate("from"))
        );
        assert_eq!(
            DateRange::parse("", "soon", today),
            Err(RangeProblem::BadDate("to"))
        );
        assert_eq!(
            DateRange::parse("2026-05-02", "2026-05-01", today),
            Err(RangeProblem::Backwards)
        );
    }

    #[test]
    fn records_write_safe_csv_and_geojson() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-1,2"), "\"'-1,2\"");
        let r = CaseRecord {
            code: "XM-2026-000001".into(),
            service_code: "S0301".into(),
            category_zh: "暴露垃圾".into(),
            category_en: "Exposed rubbish".into(),
            stage: "reported".into(),
            closed: false,
            district: "350203".into(),
            street: "350203001".into(),
            community: "350203001001".into(),
            community_zh: "中山社区".into(),
            created: "2026-11-28T10:00:00+08:00".into(),
            updated: "2026-11-28T10:00:00+08:00".into(),
            lat: 24.4535,
            lng: 118.082,
            description: "一堆\n垃圾".into(),
        };
        let mut csv = String::new();
        r.csv_line(&mut csv);
        assert_eq!(
            csv,
            "XM-2026-000001,S0301,暴露垃圾,Exposed rubbish,reported,open,350203,350203001,\
             350203001001,中山社区,2026-11-28T10:00:00+08:00,2026-11-28T10:00:00+08:00,24.4535,\
             118.082,\"一堆\n垃圾\"\r\n"
        );
        assert_eq!(
            csv.matches(',').count(),
            CSV_HEADER.matches(',').count(),
            "as many columns as the header"
        );
        let mut g = geojson_head(
            DateRange::parse("2026-11-01", "2026-11-28", d("2026-11-28")).unwrap(),
            "now",
        );
        r.geojson_feature(&mut g);
        g.push_str(GEOJSON_TAIL);
        assert!(g.contains("\"coordinates\":[118.082,24.4535]"), "{g}");
        assert!(g.contains("\"description\":\"一堆\\n垃圾\""));
        assert!(g.contains("CC BY 4.0"));
    }
}
