//! The owner roster: its rows, owner keys, and the CSV reader that lists every bad line.

use super::*;

/// The developer's unsold units count as one owner in total.
pub const DEVELOPER_OWNER_KEY: &str = "developer";

/// One unit of the roster, as imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    /// The line in the file, for messages.
    pub line: usize,
    pub building: String,
    pub stairwell: String,
    pub unit: String,
    pub owner_name: String,
    pub phone: Option<Phone>,
    pub area: Area,
    pub developer_unsold: bool,
}

impl RosterRow {
    /// Who counts as one head. The developer is one owner for all its unsold units; an owner with a
    /// phone is that phone; an owner without one is their name as written in the roster (the
    /// council writes one person's name the same way on each unit, and tells namesakes apart).
    pub fn owner_key(&self) -> String {
        owner_key(self.developer_unsold, self.phone.as_ref(), &self.owner_name)
    }
}

pub fn owner_key(developer_unsold: bool, phone: Option<&Phone>, owner_name: &str) -> String {
    if developer_unsold {
        DEVELOPER_OWNER_KEY.to_owned()
    } else if let Some(p) = phone {
        format!("tel:{}", p.e164())
    } else {
        format!("name:{}", owner_name.trim())
    }
}

/// What is wrong with one line of a roster file (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterProblem {
    pub line: usize,
    pub kind: RosterProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RosterProblemKind {
    /// The file is not UTF-8 text (e.g. saved as GBK): save it as "CSV UTF-8".
    NotUtf8,
    /// No header, or no units.
    Empty,
    /// A required column is missing from the header: its expected name.
    MissingColumn(String),
    /// A line with a different number of fields from the header.
    FieldCount {
        expected: usize,
        found: usize,
    },
    /// A required field is empty: the column.
    EmptyField(String),
    BadArea(AreaProblem),
    BadPhone(String),
    BadFlag(String),
    /// A unit listed twice; the line where it first appeared.
    DuplicateUnit {
        first_line: usize,
    },
    /// An unterminated quoted field.
    Unquoted,
    TooManyRows,
}

/// A community roster is at most this many units; a bigger file is a mistake (or a city's list).
pub const MAX_ROSTER_ROWS: usize = 200_000;

/// The columns, in any order, by their Chinese or English header names.
const COLUMNS: [(&str, &[&str]); 7] = [
    ("楼栋", &["楼栋", "楼号", "building"]),
    ("单元", &["单元", "梯", "楼梯", "stairwell"]),
    ("房号", &["房号", "户号", "unit"]),
    ("业主姓名", &["业主姓名", "业主", "owner_name", "owner"]),
    ("手机号", &["手机号", "手机", "电话", "phone"]),
    (
        "专有面积",
        &["专有面积", "专有部分面积", "面积", "area_m2", "area"],
    ),
    ("开发商未售", &["开发商未售", "未售", "developer_unsold"]),
];

/// Reads a roster exported from a spreadsheet as CSV. Every line is checked and every problem is
/// reported; the rows come back only if there is none (the import is all or nothing).
pub fn parse_roster(bytes: &[u8]) -> Result<Vec<RosterRow>, Vec<RosterProblem>> {
    let problem = |line, kind| vec![RosterProblem { line, kind }];
    let text = std::str::from_utf8(bytes).map_err(|_| problem(0, RosterProblemKind::NotUtf8))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let records = split_csv(text).map_err(|line| problem(line, RosterProblemKind::Unquoted))?;
    let mut records = records
        .into_iter()
        .filter(|(_, fields)| fields.iter().any(|f| !f.trim().is_empty()));
    let Some((header_line, header)) = records.next() else {
        return Err(problem(1, RosterProblemKind::Empty));
    };
    let index = column_index(&header, header_line)?;
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    for (line, fields) in records {
        if rows.len() + problems.len() >= MAX_ROSTER_ROWS {
            return Err(problem(line, RosterProblemKind::TooManyRows));
        }
        if fields.len() != header.len() {
            problems.push(RosterProblem {
                line,
                kind: RosterProblemKind::FieldCount {
                    expected: header.len(),
                    found: fields.len(),
                },
            });
            continue;
        }
        match parse_line(&fields, &index, line, &mut seen) {
            Ok(row) => rows.push(row),
            Err(kinds) => {
                problems.extend(kinds.into_iter().map(|kind| RosterProblem { line, kind }))
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if rows.is_empty() {
        return Err(problem(header_line + 1, RosterProblemKind::Empty));
    }
    Ok(rows)
}

/// Where each of `COLUMNS` is in the header (any of its names, in any case).
fn column_index(header: &[String], header_line: usize) -> Result<[usize; 7], Vec<RosterProblem>> {
    let mut index = [0usize; 7];
    let mut problems = Vec::new();
    for (slot, (name, aliases)) in COLUMNS.iter().enumerate() {
        match header
            .iter()
            .position(|h| aliases.iter().any(|a| h.trim().eq_ignore_ascii_case(a)))
        {
            Some(i) => index[slot] = i,
            None => problems.push(RosterProblem {
                line: header_line,
                kind: RosterProblemKind::MissingColumn((*name).to_owned()),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(index)
}

/// One roster line as a row, or every problem on it. `seen` holds the units of earlier lines.
fn parse_line(
    fields: &[String],
    index: &[usize; 7],
    line: usize,
    seen: &mut HashMap<(String, String, String), usize>,
) -> Result<RosterRow, Vec<RosterProblemKind>> {
    let field = |slot: usize| fields[index[slot]].trim().to_owned();
    let mut line_problems = Vec::new();
    let mut required = |slot: usize| {
        let v = field(slot);
        if v.is_empty() {
            line_problems.push(RosterProblemKind::EmptyField(COLUMNS[slot].0.to_owned()));
        }
        v
    };
    let (building, stairwell, unit) = (required(0), required(1), required(2));
    let developer_unsold = match field(6).to_lowercase().as_str() {
        "" | "否" | "0" | "no" | "n" | "false" => Some(false),
        "是" | "1" | "yes" | "y" | "true" => Some(true),
        other => {
            line_problems.push(RosterProblemKind::BadFlag(other.to_owned()));
            None
        }
    };
    let owner_name = field(3);
    if owner_name.is_empty() && developer_unsold == Some(false) {
        line_problems.push(RosterProblemKind::EmptyField(COLUMNS[3].0.to_owned()));
    }
    let phone_text = field(4);
    let phone = if phone_text.is_empty() {
        None
    } else {
        match Phone::parse(&phone_text) {
            Ok(p) => Some(p),
            Err(_) => {
                line_problems.push(RosterProblemKind::BadPhone(phone_text));
                None
            }
        }
    };
    let area = match Area::parse(&field(5)) {
        Ok(a) => Some(a),
        Err(e) => {
            line_problems.push(RosterProblemKind::BadArea(e));
            None
        }
    };
    if !building.is_empty() && !stairwell.is_empty() && !unit.is_empty() {
        let key = (building.clone(), stairwell.clone(), unit.clone());
        if let Some(&first_line) = seen.get(&key) {
            line_problems.push(RosterProblemKind::DuplicateUnit { first_line });
        } else {
            seen.insert(key, line);
        }
    }
    match (line_problems.is_empty(), area, developer_unsold) {
        (true, Some(area), Some(developer_unsold)) => Ok(RosterRow {
            line,
            building,
            stairwell,
            unit,
            owner_name,
            phone,
            area,
            developer_unsold,
        }),
        _ => Err(line_problems),
    }
}

/// RFC 4180 records with the line each starts on; quoted fields may hold commas, quotes ("") and
/// newlines. Errors with the line of an unterminated quote.
fn split_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, usize> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut start = 1;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => fields.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                records.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(start);
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((start, fields));
    }
    Ok(records)
}

// ---------------------------------------------------------------------------------------------
// Ballots and the tally
