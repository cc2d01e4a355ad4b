//! The rules of signing in: phone numbers and one-time codes.

pub mod otp;
pub mod phone;
