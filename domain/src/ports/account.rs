//! Who is looking: the viewer every page is rendered for.

use crate::ports::common::{Names, UserId};
use serde::{Deserialize, Serialize};

/// Who is looking at a page, as the UI needs it. Built by the server from the session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// The token every state-changing form must echo (absent before a session exists).
    pub csrf_token: Option<String>,
    /// The signed-in person's id, for the server only: never serialised to the browser.
    #[serde(skip)]
    pub user_id: Option<UserId>,
    pub signed_in: Option<SignedIn>,
    /// A sign-in waiting for its code.
    pub pending: Option<PendingSignIn>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub masked_phone: String,
    pub roles: Vec<RoleView>,
    pub is_staff: bool,
}

/// A role with the name of the place or department it applies to (`None` for city-wide).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleView {
    pub role: crate::access::Role,
    pub scope: Option<Names>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub masked_phone: String,
    /// Shown on the page in demo mode only, clearly marked.
    pub demo_code: Option<String>,
}

/// The caller's network address, as the server determined it (for rate limits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);
