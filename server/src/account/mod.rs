//! A resident's account: sign-in by phone and code, their data exported or erased.

pub mod privacy;
pub mod signin;
pub mod web;
