//! Waste sorting: the four bins of GB/T 19095-2019 and the "which bin?" lookup over the household
//! items in `domain/sorting/items.txt` (written for this project; see the file's header).

pub mod supervision;

use serde::{Deserialize, Serialize};

/// The four categories of household waste (GB/T 19095-2019), with the standard colours of their bins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Bin {
    /// 可回收物, blue.
    Recyclable,
    /// 有害垃圾, red.
    Hazardous,
    /// 厨余垃圾, green.
    Kitchen,
    /// 其他垃圾, grey.
    Other,
}

impl Bin {
    pub const ALL: [Bin; 4] = [Bin::Recyclable, Bin::Hazardous, Bin::Kitchen, Bin::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Bin::Recyclable => "recyclable",
            Bin::Hazardous => "hazardous",
            Bin::Kitchen => "kitchen",
            Bin::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Bin> {
        Bin::ALL.into_iter().find(|b| b.as_str() == s)
    }

    /// "recyclable,kitchen": the bins present at a collection point, in the standard's order.
    pub fn parse_list(s: &str) -> Option<Vec<Bin>> {
        let mut bins = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            bins.push(Bin::parse(part)?);
        }
        bins.sort_by_key(|b| Bin::ALL.iter().position(|x| x == b));
        bins.dedup();
        (!bins.is_empty()).then_some(bins)
    }

    /// The bin's colour in the standard: blue, red, green, grey.
    pub fn colour(self) -> &'static str {
        match self {
            Bin::Recyclable => "blue",
            Bin::Hazardous => "red",
            Bin::Kitchen => "green",
            Bin::Other => "grey",
        }
    }
}

/// One household item: where it goes and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub name: String,
    pub bin: Bin,
    pub tip: String,
    /// Pinyin initials of the name, lower case ("dc" for 电池), for searching without a Chinese IME.
    pub initials: String,
}

/// The built-in item list.
pub const BUILT_IN_ITEMS: &str = include_str!("../../sorting/items.txt");

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemsProblem {
    /// Items before any "[bin] tip" line.
    NoGroup {
        line: usize,
    },
    UnknownBin {
        line: usize,
        bin: String,
    },
    NoTip {
        line: usize,
    },
    Duplicate {
        line: usize,
        name: String,
    },
}

/// Reads an item list (format in the file's header). `initials_of` gives a name's pinyin initials;
/// the pinyin table lives with the server, so the browser bundle does not carry it.
pub fn parse_items(
    text: &str,
    initials_of: impl Fn(&str) -> String,
) -> Result<Vec<Item>, Vec<ItemsProblem>> {
    let mut items: Vec<Item> = Vec::new();
    let mut problems = Vec::new();
    let mut group: Option<(Bin, String)> = None;
    let mut seen = std::collections::HashSet::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let Some((bin, tip)) = rest.split_once(']') else {
                problems.push(ItemsProblem::UnknownBin {
                    line: line_no,
                    bin: rest.to_owned(),
                });
                continue;
            };
            let Some(bin) = Bin::parse(bin.trim()) else {
                problems.push(ItemsProblem::UnknownBin {
                    line: line_no,
                    bin: bin.to_owned(),
                });
                group = None;
                continue;
            };
            if tip.trim().is_empty() {
                problems.push(ItemsProblem::NoTip { line: line_no });
            }
            group = Some((bin, tip.trim().to_owned()));
            continue;
        }
        let Some((bin, tip)) = &group else {
            problems.push(ItemsProblem::NoGroup { line: line_no });
            continue;
        };
        for name in line.split_whitespace() {
            if !seen.insert(name.to_owned()) {
                problems.push(ItemsProblem::Duplicate {
                    line: line_no,
                    name: name.to_owned(),
                });
                continue;
            }
            items.push(Item {
                name: name.to_owned(),
                bin: *bin,
                tip: tip.clone(),
                initials: initials_of(name).to_lowercase(),
            });
        }
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(problems)
    }
}

/// At most this many answers to one search.
pub const MAX_MATCHES: usize = 8;
/// Longer queries are not item names.
pub const MAX_QUERY_CHARS: usize = 20;

/// What people type: spaces dropped, full-width letters and digits made half-width, lower case.
pub fn normalize_query(q: &str) -> String {
    q.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .take(MAX_QUERY_CHARS)
        .collect()
}

/// Items for a query, best first: by Chinese name (exact, then names containing the query, then
/// names the query contains, e.g. "废旧电池" finds 电池), or, for Latin letters, by pinyin
/// initials ("dc" finds 电池). Empty when nothing fits.
pub fn search<'a>(items: &'a [Item], query: &str) -> Vec<&'a Item> {
    let q = normalize_query(query);
    if q.is_empty() {
        return Vec::new();
    }
    let latin = q.chars().all(|c| c.is_ascii_alphanumeric());
    let mut ranked: Vec<(u8, usize, &Item)> = items
        .iter()
        .filter_map(|item| {
            let rank = if latin {
                if item.initials == q {
                    0
                } else if item.initials.starts_with(&q) {
                    1
                } else if item.initials.contains(&q) {
                    2
                } else {
                    return None;
                }
            } else if item.name == q {
                0
            } else if item.name.contains(&q) {
                1
            } else if q.contains(&item.name) {
                2
            } else {
                return None;
            };
            Some((rank, item.name.chars().count(), item))
        })
        .collect();
    // Among equals, a closer length first: "电池" before "废电池" for "电池", and for "废旧电池"
    // the longest contained name.
    ranked.sort_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| {
            if a.0 == 2 && !latin {
                b.1.cmp(&a.1)
            } else {
                a.1.cmp(&b.1)
            }
        })
    });
    ranked
        .into_iter()
        .take(MAX_MATCHES)
        .map(|(_, _, i)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test initials for the names these tests search; the server uses a full pinyin table.
    fn initials(name: &str) -> String {
        match name {
            "电池" => "dc",
            "废电池" => "fdc",
            "充电电池" => "cddc",
            "电饭煲" => "dfb",
            _ => "",
        }
        .to_owned()
    }

    fn items() -> Vec<Item> {
        parse_items(BUILT_IN_ITEMS, initials).expect("the built-in list reads")
    }

    #[test]
    fn the_built_in_list_has_over_300_items_in_all_four_bins() {
        let all = items();
        assert!(all.len() >= 300, "only {} items", all.len());
        for bin in Bin::ALL {
            assert!(
                all.iter().filter(|i| i.bin == bin).count() >= 30,
                "{bin:?} has few items"
            );
        }
        assert!(all.iter().all(|i| !i.tip.is_empty()));
    }

    #[test]
    fn the_items_people_get_wrong_carry_the_tip_they_need() {
        let all = items();
        let item = |name: &str| all.iter().find(|i| i.name == name).expect(name).clone();
        let tea = item("奶茶杯");
        assert_eq!(tea.bin, Bin::Other);
        assert!(tea.tip.contains("倒") && tea.tip.contains("珍珠") && tea.tip.contains("厨余"));
        // Ordinary dry cells are not hazardous; rechargeable ones are, and each tip says so.
        assert_eq!(item("干电池").bin, Bin::Other);
        assert!(item("干电池").tip.contains("充电电池"));
        assert_eq!(item("充电电池").bin, Bin::Hazardous);
        assert!(item("电池").tip.contains("干电池"));
        // An e-bike battery goes back to a shop, never into a household bin.
        assert!(item("电动车电池").tip.contains("不要投入家里的垃圾桶"));
    }

    #[test]
    fn names_and_initials_find_items_best_first() {
        let all = items();
        let names =
            |q: &str| -> Vec<String> { search(&all, q).iter().map(|i| i.name.clone()).collect() };
        assert_eq!(names("电池")[0], "电池");
        assert_eq!(search(&all, "电池")[0].bin, Bin::Hazardous);
        assert_eq!(names("dc")[0], "电池");
        assert_eq!(names(" ＤＣ ")[0], "电池", "full-width and spaces");
        assert_eq!(names("废旧电池")[0], "电池", "a name inside the query");
        assert!(names("电饭").contains(&"电饭煲".to_owned()));
        assert!(names("飞船引擎").is_empty());
        assert!(names("").is_empty());
        assert!(search(&all, "a").len() <= MAX_MATCHES);
    }

    #[test]
    fn a_bad_list_names_its_lines() {
        let text = "甲\n[blue] 蓝\n乙\n[other]\n丙 丙\n";
        let got = parse_items(text, |_| String::new()).unwrap_err();
        assert_eq!(
            got,
            vec![
                ItemsProblem::NoGroup { line: 1 },
                ItemsProblem::UnknownBin {
                    line: 2,
                    bin: "blue".into()
                },
                ItemsProblem::NoGroup { line: 3 },
                ItemsProblem::NoTip { line: 4 },
                ItemsProblem::Duplicate {
                    line: 5,
                    name: "丙".into()
                },
            ]
        );
    }

    #[test]
    fn bin_lists_read_in_the_standards_order() {
        assert_eq!(
            Bin::parse_list("other, recyclable,other"),
            Some(vec![Bin::Recyclable, Bin::Other])
        );
        assert_eq!(Bin::parse_list("glass"), None);
        assert_eq!(Bin::parse_list(""), None);
    }

    #[test]
    fn bins_have_the_standard_colours() {
        let colours: Vec<&str> = Bin::ALL.iter().map(|b| b.colour()).collect();
        assert_eq!(colours, ["blue", "red", "green", "grey"]);
    }
}
