//! The demo city's shapes and the city's reference data (departments, categories): data tables.

use domain::territory::TerritoryCode;

/// A district with its synthetic box (south, west, north, east) and two streets of two communities.
pub(super) struct DemoDistrict {
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    pub(super) bbox: (f64, f64, f64, f64),
    streets: [DemoStreet; 2],
}

struct DemoStreet {
    zh: &'static str,
    en: &'static str,
    communities: [(&'static str, &'static str); 2],
}

const fn street(
    zh: &'static str,
    en: &'static str,
    communities: [(&'static str, &'static str); 2],
) -> DemoStreet {
    DemoStreet {
        zh,
        en,
        communities,
    }
}

/// Xiamen's six districts with their real division codes; boxes are rough and do not overlap.
pub(super) const DISTRICTS: [DemoDistrict; 6] = [
    DemoDistrict {
        code: "350203",
        zh: "思明区",
        en: "Siming District",
        bbox: (24.430, 118.065, 24.485, 118.185),
        streets: [
            street(
                "中华街道",
                "Zhonghua Subdistrict",
                [("中山社区", "Zhongshan"), ("镇海社区", "Zhenhai")],
            ),
            street(
                "嘉莲街道",
                "Jialian Subdistrict",
                [("莲花社区", "Lianhua"), ("嘉禾社区", "Jiahe")],
            ),
        ],
    },
    DemoDistrict {
        code: "350206",
        zh: "湖里区",
        en: "Huli District",
        bbox: (24.485, 118.075, 24.545, 118.195),
        streets: [
            street(
                "湖里街道",
                "Huli Subdistrict",
                [("塘边社区", "Tangbian"), ("海天社区", "Haitian")],
            ),
            street(
                "殿前街道",
                "Dianqian Subdistrict",
                [("高殿社区", "Gaodian"), ("殿前社区", "Dianqian")],
            ),
        ],
    },
    DemoDistrict {
        code: "350211",
        zh: "集美区",
        en: "Jimei District",
        bbox: (24.560, 117.980, 24.660, 118.130),
        streets: [
            street(
                "集美街道",
                "Jimei Subdistrict",
                [("岑西社区", "Cenxi"), ("浔江社区", "Xunjiang")],
            ),
            street(
                "杏林街道",
                "Xinglin Subdistrict",
                [("杏东社区", "Xingdong"), ("内林社区", "Neilin")],
            ),
        ],
    },
    DemoDistrict {
        code: "350205",
        zh: "海沧区",
        en: "Haicang District",
        bbox: (24.440, 117.930, 24.530, 118.040),
        streets: [
            street(
                "海沧街道",
                "Haicang Subdistrict",
                [("海虹社区", "Haihong"), ("渐美社区", "Jianmei")],
            ),
            street(
                "新阳街道",
                "Xinyang Subdistrict",
                [("新垵社区", "Xin'an"), ("霞阳社区", "Xiayang")],
            ),
        ],
    },
    DemoDistrict {
        code: "350212",
        zh: "同安区",
        en: "Tong'an District",
        bbox: (24.700, 118.080, 24.800, 118.220),
        streets: [
            street(
                "大同街道",
                "Datong Subdistrict",
                [("城东社区", "Chengdong"), ("碧岳社区", "Biyue")],
            ),
            street(
                "祥平街道",
                "Xiangping Subdistrict",
                [("阳翟社区", "Yangzhai"), ("西湖社区", "Xihu")],
            ),
        ],
    },
    DemoDistrict {
        code: "350213",
        zh: "翔安区",
        en: "Xiang'an District",
        bbox: (24.560, 118.200, 24.680, 118.320),
        streets: [
            street(
                "新店街道",
                "Xindian Subdistrict",
                [("新兴社区", "Xinxing"), ("洪厝社区", "Hongcuo")],
            ),
            street(
                "马巷街道",
                "Maxiang Subdistrict",
                [("马巷社区", "Maxiang"), ("后亭社区", "Houting")],
            ),
        ],
    },
];

/// Grid cells per community side: a community is cut into GRID_SIDE × GRID_SIDE cells.
pub(super) const GRID_SIDE: u32 = 2;

pub const DEPARTMENTS: [(&str, &str, &str); 10] = [
    (
        "CGZF",
        "城市管理行政执法局",
        "Urban Management Law Enforcement Bureau",
    ),
    (
        "SZYL",
        "市政园林局",
        "Municipal Engineering and Landscaping Bureau",
    ),
    ("HJWS", "环境卫生中心", "Sanitation Centre"),
    ("STHJ", "生态环境局", "Ecology and Environment Bureau"),
    ("JTYS", "交通运输局", "Transport Bureau"),
    ("GAJ", "公安局", "Public Security Bureau"),
    ("JSJ", "建设局", "Construction Bureau"),
    (
        "ZRZY",
        "自然资源和规划局",
        "Natural Resources and Planning Bureau",
    ),
    ("JDBSC", "街道办事处", "Subdistrict Office"),
    ("SWJ", "水务集团", "Water Utility"),
];

/// (code, zh, en) for a major class; its sub-categories follow as (code, zh, en, department, limit).
type Sub = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
/// A major class as (code, zh, en).
type Major = (&'static str, &'static str, &'static str);
pub const CATEGORIES: [(Major, &[Sub]); 11] = [
    (
        ("S01", "两违", "Illegal construction and land use"),
        &[
            ("S0101", "违法建设", "Illegal construction", "CGZF", "5wd"),
            (
                "S0102",
                "违法占地",
                "Illegal land occupation",
                "ZRZY",
                "5wd",
            ),
        ],
    ),
    (
        ("S02", "户外广告/店招", "Outdoor advertising and shop signs"),
        &[
            (
                "S0201",
                "违规户外广告",
                "Unauthorised outdoor advertising",
                "CGZF",
                "3wd",
            ),
            (
                "S0202",
                "店招破损或不规范",
                "Damaged or non-compliant shop sign",
                "CGZF",
                "3wd",
            ),
        ],
    ),
    (
        ("S03", "市容环境", "City appearance"),
        &[
            ("S0301", "暴露垃圾", "Exposed rubbish", "HJWS", "4h"),
            (
                "S0302",
                "垃圾分类不规范",
                "Waste not sorted properly",
                "HJWS",
                "1wd",
            ),
            (
                "S0303",
                "门前三包不落实",
                "Frontage duties (门前三包) not kept",
                "JDBSC",
                "1wd",
            ),
            ("S0304", "扬尘", "Construction dust", "JSJ", "4h"),
        ],
    ),
    (
        ("S04", "街面秩序", "Street order"),
        &[
            (
                "S0401",
                "夜间烧烤",
                "Night-time street barbecue",
                "CGZF",
                "2h",
            ),
            (
                "S0402",
                "改装车占道经营",
                "Vending from modified vehicles",
                "CGZF",
                "2h",
            ),
            (
                "S0403",
                "共享单车乱停放",
                "Badly parked shared bikes",
                "JTYS",
                "4h",
            ),
            ("S0404", "不文明养犬", "Uncivil dog keeping", "GAJ", "1wd"),
        ],
    ),
    (
        ("S05", "环境污染", "Pollution and nuisance"),
        &[
            ("S0501", "油烟扰民", "Cooking fumes nuisance", "CGZF", "3wd"),
            ("S0502", "施工噪声", "Construction noise", "STHJ", "4h"),
            ("S0503", "社会生活噪声", "Neighbourhood noise", "GAJ", "2h"),
        ],
    ),
    (
        ("S06", "车辆管理", "Vehicles"),
        &[
            ("S0601", "僵尸车", "Abandoned vehicle", "JTYS", "15d"),
            (
                "S0602",
                "渣土车抛洒",
                "Spillage from muck trucks",
                "CGZF",
                "2h",
            ),
        ],
    ),
    (
        ("S07", "安全隐患", "Safety hazards"),
        &[("S0701", "非法燃气", "Illegal gas cylinders", "SZYL", "1wd")],
    ),
    (
        ("B01", "公用设施", "Public utilities"),
        &[
            (
                "B0101",
                "井盖缺失或破损",
                "Missing or broken manhole cover",
                "SZYL",
                "2h",
            ),
            ("B0102", "路灯故障", "Street light out", "SZYL", "3wd"),
            ("B0103", "消防栓损坏", "Damaged fire hydrant", "SWJ", "2wd"),
            (
                "B0104",
                "公交站亭损坏",
                "Damaged bus shelter",
                "JTYS",
                "3wd",
            ),
        ],
    ),
    (
        ("B02", "道路交通", "Roads"),
        &[
            ("B0201", "道路破损", "Damaged road surface", "SZYL", "3wd"),
            ("B0202", "人行道破损", "Damaged pavement", "SZYL", "3wd"),
            (
                "B0203",
                "交通护栏损坏",
                "Damaged traffic barrier",
                "JTYS",
                "2wd",
            ),
        ],
    ),
    (
        ("B03", "园林绿化", "Greenery"),
        &[
            ("B0301", "树木倒伏", "Fallen tree", "SZYL", "4h"),
            ("B0302", "绿地损毁", "Damaged green space", "SZYL", "3wd"),
        ],
    ),
    (
        ("B04", "环卫设施", "Sanitation facilities"),
        &[
            ("B0401", "垃圾桶破损", "Damaged rubbish bin", "HJWS", "2wd"),
            (
                "B0402",
                "公厕故障",
                "Public toilet out of order",
                "HJWS",
                "1wd",
            ),
        ],
    ),
];

/// A territory row ready to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct TerritoryRow {
    pub code: TerritoryCode,
    pub zh: String,
    pub en: String,
    /// (south, west, north, east)
    pub bbox: (f64, f64, f64, f64),
}

impl TerritoryRow {
    /// The box as a closed GeoJSON ring, [lng, lat] order.
    pub fn boundary_geojson(&self) -> String {
        let (s, w, n, e) = self.bbox;
        format!("[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]")
    }
}

/// Splits a box into `cols` × `rows` cells, west to east then south to north.
fn split(b: (f64, f64, f64, f64), cols: u32, rows: u32) -> Vec<(f64, f64, f64, f64)> {
    let (s, w, n, e) = b;
    let (dw, dh) = ((e - w) / cols as f64, (n - s) / rows as f64);
    let round = |x: f64| (x * 1e6).round() / 1e6;
    (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .map(|(r, c)| {
            let (cs, cw) = (s + dh * r as f64, w + dw * c as f64);
            (round(cs), round(cw), round(cs + dh), round(cw + dw))
        })
        .collect()
}

/// The whole demo territory tree, parents before children.
pub fn demo_territories() -> Vec<TerritoryRow> {
    let mut rows = Vec::new();
    for d in &DISTRICTS {
        let d_code = TerritoryCode::parse(d.code).expect("district codes are valid");
        rows.push(TerritoryRow {
            code: d_code.clone(),
            zh: d.zh.into(),
            en: d.en.into(),
            bbox: d.bbox,
        });
        // Streets side by side west→east; communities stacked south→north inside each street.
        for ((si, st), s_box) in d.streets.iter().enumerate().zip(split(d.bbox, 2, 1)) {
            let s_code = d_code.child(si as u32 + 1).expect("street number fits");
            rows.push(TerritoryRow {
                code: s_code.clone(),
                zh: st.zh.into(),
                en: st.en.into(),
                bbox: s_box,
            });
            for ((ci, (czh, cen)), c_box) in
                st.communities.iter().enumerate().zip(split(s_box, 1, 2))
            {
                let c_code = s_code.child(ci as u32 + 1).expect("community number fits");
                rows.push(TerritoryRow {
                    code: c_code.clone(),
                    zh: (*czh).into(),
                    en: format!("{cen} Community"),
                    bbox: c_box,
                });
                for (gi, g_box) in split(c_box, GRID_SIDE, GRID_SIDE).into_iter().enumerate() {
                    let n = gi as u32 + 1;
                    rows.push(TerritoryRow {
                        code: c_code.child(n).expect("grid number fits"),
                        zh: format!("{czh}第{n}网格"),
                        en: format!("{cen} Grid {n}"),
                        bbox: g_box,
                    });
                }
            }
        }
    }
    rows
}
