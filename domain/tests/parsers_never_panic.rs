//! Every parser that a URL, a query string or a form field reaches is total: on any UTF-8 (and the
//! roster reader on any bytes) it returns a value or a refusal, never a panic. The inputs are
//! generated from a fixed seed, mixing the characters that break byte slicing (multi-byte, full-width,
//! emoji, combining marks) with the ones the parsers look for (digits, B/S, dashes, colons, commas).

use domain::account::phone::Phone;
use domain::calendar::{Date, YearRules};
use domain::cases::category::{CategoryCode, TimeLimit};
use domain::cases::cluster::{MapView, StateFilter};
use domain::cases::report::{Description, parse_address, parse_comment};
use domain::cases::tracking::TrackingCode;
use domain::consult::{Area, Choice, Phase, ScopeRule, Stance, VoteScope, parse_roster};
use domain::open_data::datasets::DateRange;
use domain::open_data::open311::{Format, NewRequest, Params, RequestQuery, parse_datetime};
use domain::privacy::{clean_text, mask_personal_numbers, xml_escape};
use domain::sorting::Bin;
use domain::sorting::supervision::{
    PointForm, PointPlan, Schedule, Survey, Window, parse_count, parse_minute,
};
use domain::territory::{TerritoryCode, TerritoryLevel};
use domain::tiles::TileProvider;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: deterministic, so a failure names an input that fails again.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "B",
    "S",
    "0",
    "1",
    "3",
    "5",
    "9",
    "00",
    "01",
    "13800138000",
    "€",
    "中",
    "区",
    "Ｘ",
    "１",
    "🚧",
    "\u{301}",
    "\u{FFFF}",
    "\u{0}",
    "-",
    "+",
    ":",
    ",",
    ".",
    " ",
    "T",
    "Z",
    "XM",
    "2026",
    "-11-",
    "24.45",
    "118.1",
    "e9",
    "NaN",
    "inf",
    "350203",
    "z",
    "h",
    "d",
    "w",
    "/",
    "%",
    "=",
    "&",
    "\"",
    "\n",
    "\r",
    "08:30",
    "24:00",
    "-12:00",
    "-90",
    "180.5",
    "3502",
    "0592",
];

fn inputs() -> Vec<String> {
    let mut rng = Rng(0x5eed_f00d_1234_5678);
    let mut out: Vec<String> = PIECES.iter().map(|p| (*p).to_owned()).collect();
    for _ in 0..6000 {
        let len = 1 + rng.next() % 8;
        let s: String = (0..len).map(|_| rng.pick(PIECES)).collect();
        out.push(s);
    }
    out
}

#[test]
fn url_and_form_parsers_never_panic() {
    let today = Date::new(2026, 12, 1).expect("a date");
    for s in inputs() {
        let t = s.as_str();
        let _ = CategoryCode::parse(t);
        let _ = TimeLimit::parse(t);
        let _ = TerritoryCode::parse(t);
        let _ = TerritoryLevel::parse(t);
        let _ = TrackingCode::parse(t);
        let _ = MapView::parse(t, t);
        let _ = MapView::parse(t, "16");
        let _ = StateFilter::parse(t);
        let _ = Date::parse(t);
        let _ = DateRange::parse(t, t, today);
        let _ = DateRange::parse(t, "2026-11-01", today);
        let _ = Phone::parse(t);
        let _ = TileProvider::parse(t);
        let _ = Format::split(t);
        let _ = parse_datetime(t);
        let _ = Area::parse(t);
        let _ = ScopeRule::parse(t);
        let _ = Phase::parse(t);
        let _ = Choice::parse(t, 3);
        let _ = Stance::parse(t);
        let _ = VoteScope::parse(t, t, t, t);
        let _ = VoteScope::parse("buildings", t, t, t);
        let _ = Bin::parse(t);
        let _ = Bin::parse_list(t);
        let _ = parse_minute(t);
        let _ = Window::parse(t);
        let _ = Schedule::parse(t);
        let _ = parse_count("households", t);
        let _ = Survey::parse(t, t);
        let _ = Description::parse(t);
        let _ = parse_comment(t);
        let _ = parse_address(t, false);
        let _ = mask_personal_numbers(t);
        let _ = clean_text(t, true);
        let _ = xml_escape(t);
        let _ = YearRules::parse(t);
        let _ = parse_roster(t.as_bytes());
        let form = PointForm {
            id: t.into(),
            community: t.into(),
            name: t.into(),
            lat: t.into(),
            lng: t.into(),
            households: t.into(),
            bins: vec![t.into()],
            windows: t.into(),
            volunteers: t.into(),
        };
        let _ = PointPlan::parse(&form);
        let params = Params::new([
            ("service_code".to_owned(), t.to_owned()),
            ("lat".to_owned(), t.to_owned()),
            ("long".to_owned(), t.to_owned()),
            ("address_string".to_owned(), t.to_owned()),
            ("description".to_owned(), t.to_owned()),
            ("phone".to_owned(), t.to_owned()),
            ("start_date".to_owned(), t.to_owned()),
            ("end_date".to_owned(), t.to_owned()),
            ("status".to_owned(), t.to_owned()),
            ("service_request_id".to_owned(), t.to_owned()),
            (format!("attribute[{t}]"), t.to_owned()),
        ]);
        let _ = NewRequest::parse(&params);
        let _ = RequestQuery::parse(&params, 1_796_000_000_000);
    }
}

#[test]
fn the_reported_panic_is_a_refusal() {
    assert!(CategoryCode::parse("B€").is_err());
    assert!(CategoryCode::parse("S€0").is_err());
    assert!(CategoryCode::parse("B0€").is_err());
    // Found by the generator: an hour like 9999 overflowed the minute arithmetic.
    assert!(parse_minute("9999:00").is_none());
}
