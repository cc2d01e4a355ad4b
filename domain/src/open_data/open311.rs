//! Open311 GeoReport v2 (<http://wiki.open311.org/GeoReport_v2>): the rules for reading its
//! parameters and writing its answers, in both of its formats. The server's adapter only moves
//! bytes; every decision about what a request means is made here.
//!
//! - A parameter sent empty counts as not sent (the spec's forms send every field).
//! - Datetimes are W3C (ISO 8601 profile); answers carry China time, `+08:00`. A datetime sent
//!   without a zone is read as China time.
//! - `GET requests` without dates covers the last 90 days; a window may span at most 90 days;
//!   at most 1000 requests are returned, newest first. `service_request_id` overrides every other
//!   parameter.

use crate::account::phone::Phone;
use crate::calendar::Date;
pub use crate::cases::questions::Question;
use crate::cases::questions::{ANSWER_MAX_CHARS, AnswerProblem, Required};
use crate::cases::tracking::TrackingCode;
use crate::geo::LatLng;

pub const MAX_DESCRIPTION_CHARS: usize = 4000;
pub const MAX_WINDOW_DAYS: i64 = 90;
pub const MAX_REQUESTS: usize = 1000;
/// The longest address_string kept.
pub const MAX_ADDRESS_CHARS: usize = 200;
const DAY_MS: i64 = 86_400_000;
use crate::calendar::CHINA_OFFSET_MS;

/// The answer formats, chosen by the path's suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    /// "requests.json" → ("requests", Json). `None` when there is no suffix we speak.
    pub fn split(path: &str) -> Option<(&str, Format)> {
        if let Some(stem) = path.strip_suffix(".json") {
            Some((stem, Format::Json))
        } else {
            path.strip_suffix(".xml").map(|stem| (stem, Format::Xml))
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "text/xml; charset=utf-8",
            Format::Json => "application/json; charset=utf-8",
        }
    }
}

/// An Open311 error: the HTTP status and the spec's `code` and `description`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open311Error {
    pub code: u16,
    pub description: String,
}

impl Open311Error {
    pub fn bad(description: impl Into<String>) -> Open311Error {
        Open311Error {
            code: 400,
            description: description.into(),
        }
    }

    pub fn forbidden(description: impl Into<String>) -> Open311Error {
        Open311Error {
            code: 403,
            description: description.into(),
        }
    }

    pub fn not_found(description: impl Into<String>) -> Open311Error {
        Open311Error {
            code: 404,
            description: description.into(),
        }
    }
}

/// The form or query parameters, with empty values dropped (empty equals absent).
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Params {
        Params(
            pairs
                .into_iter()
                // What XML cannot carry never gets in (answers are written back as XML).
                .map(|(k, v)| (k, crate::privacy::clean_text(&v, true)))
                .filter(|(_, v)| !v.trim().is_empty())
                .collect(),
        )
    }

    /// The first value of `name`, trimmed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    }

    /// `attribute[code]=value` pairs, in order; a list answer comes as several
    /// `attribute[code][]=value` pairs.
    pub fn attributes(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter_map(|(k, v)| {
                let code = k.strip_prefix("attribute[")?.strip_suffix(']')?;
                let code = code.strip_suffix("][").unwrap_or(code);
                Some((code.to_owned(), v.trim().to_owned()))
            })
            .collect()
    }
}

/// A W3C datetime ("2026-11-01", "2026-11-01T08:30+08:00", "2026-11-01T00:30:00.5Z") as Unix ms.
pub fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, rest) = match s.split_once(['T', 't', ' ']) {
        Some((d, r)) => (d, Some(r)),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let date = Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    let Some(rest) = rest else {
        return Some(date.day_number() * DAY_MS - CHINA_OFFSET_MS);
    };
    let (clock, offset_ms) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (c, zone) = rest.split_at(i);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (h, mi) = zone[1..].split_once(':')?;
        if h.len() != 2 || mi.len() != 2 {
            return None;
        }
        let (h, mi): (i64, i64) = (h.parse().ok()?, mi.parse().ok()?);
        if h > 14 || mi > 59 {
            return None;
        }
        (c, sign * (h * 60 + mi) * 60_000)
    } else {
        (rest, CHINA_OFFSET_MS)
    };
    let mut hms = clock.split(':');
    let (h, mi) = (hms.next()?, hms.next()?);
    let sec = hms.next();
    if hms.next().is_some() || h.len() != 2 || mi.len() != 2 {
        return None;
    }
    let (h, mi): (i64, i64) = (h.parse().ok()?, mi.parse().ok()?);
    let ms = match sec {
        None => 0,
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            if whole.len() != 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let whole: i64 = whole.parse().ok()?;
            if whole > 59 {
                return None;
            }
            let frac_ms: i64 = format!("{frac:0<3}")[..3].parse().ok()?;
            whole * 1000 + frac_ms
        }
    };
    if h > 23 || mi > 59 {
        return None;
    }
    Some(date.day_number() * DAY_MS + (h * 60 + mi) * 60_000 + ms - offset_ms)
}

/// Unix ms as a W3C datetime in China time: "2026-11-28T21:45:00+08:00".
pub fn w3c_datetime(ms: i64) -> String {
    let local = ms + CHINA_OFFSET_MS;
    let date = Date::from_day_number(local.div_euclid(DAY_MS));
    let s = local.rem_euclid(DAY_MS) / 1000;
    format!(
        "{date}T{:02}:{:02}:{:02}+08:00",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Which requests `GET requests` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestQuery {
    /// `service_request_id`: these, whatever else was asked.
    Ids(Vec<TrackingCode>),
    Search {
        service_codes: Vec<String>,
        /// Inclusive, Unix ms.
        start_ms: i64,
        end_ms: i64,
        /// `None`: open and closed.
        open: Option<bool>,
    },
}

impl RequestQuery {
    pub fn parse(p: &Params, now_ms: i64) -> Result<RequestQuery, Open311Error> {
        if let Some(ids) = p.get("service_request_id") {
            let codes = ids
                .split(',')
                .map(|id| {
                    TrackingCode::parse(id).map_err(|_| {
                        Open311Error::bad(format!(
                            "service_request_id: '{}' is not a request id (like XM-2026-000123)",
                            id.trim()
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            if codes.len() > MAX_REQUESTS {
                return Err(Open311Error::bad(format!(
                    "service_request_id: at most {MAX_REQUESTS} ids"
                )));
            }
            return Ok(RequestQuery::Ids(codes));
        }
        let date = |name: &str| match p.get(name) {
            None => Ok(None),
            Some(s) => parse_datetime(s).map(Some).ok_or_else(|| {
                Open311Error::bad(format!(
                    "{name}: '{s}' is not a W3C datetime (like 2026-11-01T00:00:00+08:00)"
                ))
            }),
        };
        let window = MAX_WINDOW_DAYS * DAY_MS;
        let (start_ms, end_ms) = match (date("start_date")?, date("end_date")?) {
            (None, None) => (now_ms - window, now_ms),
            (Some(s), None) => (s, s + window),
            (None, Some(e)) => (e - window, e),
            (Some(s), Some(e)) => (s, e),
        };
        if end_ms < start_ms {
            return Err(Open311Error::bad("start_date is after end_date"));
        }
        if end_ms - start_ms > window {
            return Err(Open311Error::bad(format!(
                "start_date and end_date may be at most {MAX_WINDOW_DAYS} days apart"
            )));
        }
        let open = match p.get("status") {
            None => None,
            Some(s) => {
                let mut open = false;
                let mut closed = false;
                for part in s.split(',').map(str::trim) {
                    match part {
                        "open" => open = true,
                        "closed" => closed = true,
                        other => {
                            return Err(Open311Error::bad(format!(
                                "status: '{other}' is neither open nor closed"
                            )));
                        }
                    }
                }
                (open != closed).then_some(open)
            }
        };
        let service_codes = p
            .get("service_code")
            .map(|s| {
                s.split(',')
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Ok(RequestQuery::Search {
            service_codes,
            start_ms,
            end_ms,
            open,
        })
    }
}

/// A category's extra question as the spec's attribute definition, for `services/{code}`.
pub fn attribute_record(q: &Question) -> Record {
    let values = q
        .choices
        .iter()
        .map(|c| {
            vec![
                ("key", Value::Text(c.key.clone())),
                ("name", Value::Text(c.names.zh.clone())),
            ]
        })
        .collect();
    vec![
        ("variable", Value::Bool(true)),
        ("code", Value::Text(q.code.clone())),
        ("datatype", Value::Text(q.kind.as_str().to_owned())),
        ("required", Value::Bool(q.required)),
        ("datatype_description", Value::Null),
        ("order", Value::Number(f64::from(q.position))),
        (
            "description",
            Value::Text(format!("{} ({})", q.prompt.zh, q.prompt.en)),
        ),
        ("values", Value::List("value", values)),
    ]
}

/// Checks `attribute[code]` answers by the questions' rules (`questions::check_answers`) and says
/// what is wrong with the first bad one in the spec's terms.
pub fn check_answers(
    questions: &[Question],
    given: &[(String, String)],
) -> Result<Vec<(String, String)>, Open311Error> {
    crate::cases::questions::check_answers(questions, given, Required::Enforced).map_err(|errors| {
        let said: Vec<String> = errors
            .iter()
            .map(|e| {
                let code = &e.code;
                match &e.problem {
                    AnswerProblem::Missing => {
                        format!("attribute[{code}] is required for this service")
                    }
                    AnswerProblem::NotAChoice(v) => {
                        let keys: Vec<&str> = questions
                            .iter()
                            .filter(|q| q.code == *code)
                            .flat_map(|q| q.choices.iter().map(|c| c.key.as_str()))
                            .collect();
                        format!("attribute[{code}]: '{v}' is not one of {}", keys.join(", "))
                    }
                    AnswerProblem::NotANumber => format!("attribute[{code}] must be a number"),
                    AnswerProblem::TooLong => {
                        format!("attribute[{code}] is longer than {ANSWER_MAX_CHARS} characters")
                    }
                    AnswerProblem::OneValueOnly => format!("attribute[{code}] takes one value"),
                }
            })
            .collect();
        Open311Error::bad(said.join("; "))
    })
}

/// Where a new request is.
#[derive(Debug, Clone, PartialEq)]
pub enum NewLocation {
    At(LatLng),
    /// Only an address: the server finds the community it names.
    Address,
}

/// A `POST requests` as sent, checked on its own (the server checks the key, the service code and
/// the place against the city).
#[derive(Debug, Clone, PartialEq)]
pub struct NewRequest {
    pub service_code: String,
    pub location: NewLocation,
    pub address: Option<String>,
    pub description: String,
    pub phone: Option<Phone>,
    /// `attribute[code]` answers as sent (checked against the service's questions by the server).
    pub attributes: Vec<(String, String)>,
}

impl NewRequest {
    pub fn parse(p: &Params) -> Result<NewRequest, Open311Error> {
        let service_code = p
            .get("service_code")
            .ok_or_else(|| Open311Error::bad("service_code is required"))?
            .to_owned();
        let address = p.get("address_string").map(str::to_owned);
        if address
            .as_ref()
            .is_some_and(|a| a.chars().count() > MAX_ADDRESS_CHARS)
        {
            return Err(Open311Error::bad(format!(
                "address_string is longer than {MAX_ADDRESS_CHARS} characters"
            )));
        }
        let location = match (p.get("lat"), p.get("long")) {
            (Some(lat), Some(lng)) => {
                let at = match (lat.parse::<f64>(), lng.parse::<f64>()) {
                    (Ok(a), Ok(b)) => LatLng::new(a, b).ok(),
                    _ => None,
                };
                NewLocation::At(at.ok_or_else(|| {
                    Open311Error::bad(
                        "lat and long must be WGS-84 degrees (lat -90..90, long -180..180)",
                    )
                })?)
            }
            (Some(_), None) => return Err(Open311Error::bad("lat was sent without long")),
            (None, Some(_)) => return Err(Open311Error::bad("long was sent without lat")),
            (None, None) if address.is_some() => NewLocation::Address,
            (None, None) => {
                return Err(Open311Error::bad(
                    "a location is required: lat and long, or address_string",
                ));
            }
        };
        let description = p.get("description").unwrap_or_default().to_owned();
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(Open311Error::bad(format!(
                "description is longer than {MAX_DESCRIPTION_CHARS} characters"
            )));
        }
        let phone =
            match p.get("phone") {
                None => None,
                Some(s) => Some(Phone::parse(s).map_err(|_| {
                    Open311Error::bad("phone is not a mainland China mobile number")
                })?),
            };
        Ok(NewRequest {
            service_code,
            location,
            address,
            description,
            phone,
            attributes: p.attributes(),
        })
    }
}

pub use crate::privacy::xml_escape;

/// A value in an answer: text, a number, a boolean, or nothing (an empty element; `null` in JSON).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
    Null,
    /// A nested list of elements (`keywords` stays text; this is for `attributes` and `values`).
    List(&'static str, Vec<Record>),
    /// A list of strings (discovery's `formats`), each in an element of the given name in XML.
    Texts(&'static str, Vec<String>),
}

/// One element of an answer: named fields in the spec's order.
pub type Record = Vec<(&'static str, Value)>;

/// A JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_number(n: f64) -> String {
    if n.is_finite() {
        format!("{n}")
    } else {
        "null".to_owned()
    }
}

/// One record as a JSON object, its fields in the spec's order.
fn json_record(out: &mut String, r: &Record) {
    out.push('{');
    for (i, (k, v)) in r.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_string(k));
        out.push(':');
        match v {
            Value::Text(s) => out.push_str(&json_string(s)),
            Value::Number(n) => out.push_str(&json_number(*n)),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Null => out.push_str("null"),
            Value::List(_, items) => json_array(out, items),
            Value::Texts(_, items) => {
                let quoted: Vec<String> = items.iter().map(|t| json_string(t)).collect();
                out.push('[');
                out.push_str(&quoted.join(","));
                out.push(']');
            }
        }
    }
    out.push('}');
}

fn json_array(out: &mut String, records: &[Record]) {
    out.push('[');
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_record(out, r);
    }
    out.push(']');
}

fn xml_record(out: &mut String, element: &str, r: &Record) {
    out.push_str(&format!("<{element}>"));
    for (k, v) in r {
        match v {
            Value::Text(s) => out.push_str(&format!("<{k}>{}</{k}>", xml_escape(s))),
            Value::Number(n) => out.push_str(&format!("<{k}>{}</{k}>", json_number(*n))),
            Value::Bool(b) => out.push_str(&format!("<{k}>{b}</{k}>")),
            Value::Null => out.push_str(&format!("<{k}/>")),
            Value::List(item, items) => {
                out.push_str(&format!("<{k}>"));
                for i in items {
                    xml_record(out, item, i);
                }
                out.push_str(&format!("</{k}>"));
            }
            Value::Texts(item, items) => {
                out.push_str(&format!("<{k}>"));
                for t in items {
                    out.push_str(&format!("<{item}>{}</{item}>", xml_escape(t)));
                }
                out.push_str(&format!("</{k}>"));
            }
        }
    }
    out.push_str(&format!("</{element}>"));
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

/// A list answer: a JSON array, or `<root><element>…</element>…</root>`.
pub fn render_list(format: Format, root: &str, element: &str, records: &[Record]) -> String {
    match format {
        Format::Json => {
            let mut out = String::new();
            json_array(&mut out, records);
            out
        }
        Format::Xml => {
            let mut out = format!("{XML_HEAD}<{root}>");
            for r in records {
                xml_record(&mut out, element, r);
            }
            out.push_str(&format!("</{root}>"));
            out
        }
    }
}

/// A single-object answer (`discovery`, a service definition): a JSON object, or `<root>…</root>`.
pub fn render_object(format: Format, root: &str, record: &Record) -> String {
    match format {
        Format::Json => {
            let mut out = String::new();
            json_record(&mut out, record);
            out
        }
        Format::Xml => {
            let mut out = XML_HEAD.to_owned();
            xml_record(&mut out, root, record);
            out
        }
    }
}

/// The spec's error body.
pub fn render_error(format: Format, e: &Open311Error) -> String {
    let record: Record = vec![
        ("code", Value::Number(f64::from(e.code))),
        ("description", Value::Text(e.description.clone())),
    ];
    render_list(format, "errors", "error", &[record])
}

#[cfg(test)]
mod tests;
