//! What every port shares: the error kinds, who is asking, and a stored photo as pages show it.

use serde::{Deserialize, Serialize};

pub use crate::names::Names;

/// A person's account id. Ports take it typed, so a case id or a count cannot be passed by mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserId(pub i64);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoView {
    /// The photo's place on its case (0, 1, 2), which moderation refers to.
    pub position: u32,
    pub full_url: String,
    pub thumb_url: String,
    pub width: u32,
    pub height: u32,
}

/// Why a query could not be answered. The UI turns each kind into a message in the user's language.
/// It carries no store error text: that is logged on the server and never reaches a browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PortError {
    /// The store (or another service behind the port) did not answer.
    #[error("the service is unavailable")]
    Unavailable,
    /// The viewer may not see this.
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The request itself was wrong; the text says what, in words fit for the reader.
    #[error("invalid: {0}")]
    Invalid(String),
}
