//! 共谋 consultations: the list, a consultation's page, the council's forms.

pub mod api;
pub mod pages;
