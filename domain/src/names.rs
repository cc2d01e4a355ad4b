//! Names shown in both UI languages.

use serde::{Deserialize, Serialize};

/// A name in both UI languages. Chinese is the official one; English is pinyin or a translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    pub zh: String,
    pub en: String,
}
