//! 共谋 consultations: the list, a consultation's page, the council's forms.

pub mod api;
pub mod ballot;
pub mod comments;
pub mod detail;
pub mod pages;
pub mod text;
