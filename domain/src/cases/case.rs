//! A case's life as 数字城管 defines it, and how its location was given.

use serde::{Deserialize, Serialize};

/// The stages a case moves through, in order. Residents see these names on the case page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CaseStage {
    /// 上报: received from a resident, waiting for an operator.
    Reported,
    /// 立案: accepted as a case; the time limit starts.
    Registered,
    /// 派遣: sent to the responsible department.
    Dispatched,
    /// 处置: the department reports it handled.
    Handled,
    /// 核查: an inspector checked the result on site.
    Verified,
    /// 结案: closed.
    Closed,
}

impl CaseStage {
    /// The stage in both languages in one string, for machine-readable answers that carry no
    /// language of their own (Atom entries, Open311 `status_notes`).
    pub fn bilingual_label(self) -> &'static str {
        match self {
            CaseStage::Reported => "上报 Reported",
            CaseStage::Registered => "立案 Registered",
            CaseStage::Dispatched => "派遣 Dispatched",
            CaseStage::Handled => "处置 Handled",
            CaseStage::Verified => "核查 Verified",
            CaseStage::Closed => "结案 Closed",
        }
    }

    pub const ALL: [CaseStage; 6] = [
        CaseStage::Reported,
        CaseStage::Registered,
        CaseStage::Dispatched,
        CaseStage::Handled,
        CaseStage::Verified,
        CaseStage::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStage::Reported => "reported",
            CaseStage::Registered => "registered",
            CaseStage::Dispatched => "dispatched",
            CaseStage::Handled => "handled",
            CaseStage::Verified => "verified",
            CaseStage::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStage> {
        CaseStage::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Open cases are the ones a neighbour can still join ("我也遇到").
    pub fn is_open(self) -> bool {
        self != CaseStage::Closed
    }
}

/// Where a case came from: the portal's report form, a volunteer's shift issue the council handed
/// over, or another system through Open311.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseSource {
    Web,
    Shift,
    Open311,
}

impl CaseSource {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseSource::Web => "web",
            CaseSource::Shift => "shift",
            CaseSource::Open311 => "open311",
        }
    }
}

/// How the resident placed the report, kept for operators (a list choice is less precise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LocationSource {
    /// Tapped on the map.
    Map,
    /// The browser's geolocation.
    Device,
    /// The GPS position found in a photo.
    Photo,
    /// District/street/community lists plus an address (the "can't use the map?" path).
    List,
}

impl LocationSource {
    pub fn as_str(self) -> &'static str {
        match self {
            LocationSource::Map => "map",
            LocationSource::Device => "device",
            LocationSource::Photo => "photo",
            LocationSource::List => "list",
        }
    }

    pub fn parse(s: &str) -> Option<LocationSource> {
        [
            LocationSource::Map,
            LocationSource::Device,
            LocationSource::Photo,
            LocationSource::List,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }

    /// True when the point is only the community's centre, not where the problem is.
    pub fn is_approximate(self) -> bool {
        self == LocationSource::List
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_round_trip_and_only_closed_is_not_open() {
        for s in CaseStage::ALL {
            assert_eq!(CaseStage::parse(s.as_str()), Some(s));
            assert_eq!(s.is_open(), s != CaseStage::Closed);
        }
        assert_eq!(CaseStage::parse("Closed"), None);
        assert!(CaseStage::Reported < CaseStage::Closed);
    }

    #[test]
    fn location_sources_round_trip() {
        for s in ["map", "device", "photo", "list"] {
            assert_eq!(LocationSource::parse(s).unwrap().as_str(), s);
        }
        assert_eq!(LocationSource::parse("gps"), None);
        assert!(LocationSource::List.is_approximate());
    }
}
