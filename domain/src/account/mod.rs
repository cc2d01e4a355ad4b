//! The rules of signing in: phone numbers, one-time codes and where to go back to after.

pub mod otp;
pub mod phone;
pub mod return_to;
