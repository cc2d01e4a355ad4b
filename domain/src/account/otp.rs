//! One-time login codes sent by SMS: 6 digits, valid 5 minutes, single use, and locked after 5 wrong
//! tries. The server generates codes and stores only their hash; these rules decide what a try means.

use crate::throttle::Window;

pub const CODE_LEN: usize = 6;
pub const TTL_MS: i64 = 5 * 60 * 1000;
pub const MAX_WRONG_TRIES: u32 = 5;
/// Sends to one phone: 1 a minute, 5 an hour.
pub const PHONE_SEND_LIMITS: [Window; 2] =
    [Window::per_seconds(1, 60), Window::per_seconds(5, 3600)];
/// Sends from one client address. Looser than per phone: a family or an office shares an address
/// (and mobile carriers put many phones behind one), yet one address cannot spray codes at a city.
pub const ADDRESS_SEND_LIMITS: [Window; 2] =
    [Window::per_seconds(5, 60), Window::per_seconds(20, 3600)];

/// Wrong codes typed in a day for one phone from one address, over all its codes: 5 codes an hour
/// with 5 tries each would otherwise allow 600 guesses a day at one account.
pub const WRONG_PER_PHONE_AND_ADDRESS: [Window; 1] = [Window::per_seconds(20, 86_400)];
/// Wrong codes typed in a day for one phone from anywhere. Higher, so that a stranger at another
/// address cannot lock the owner out with a few wrong tries; low enough that guessing one of a
/// million codes stays hopeless (100 a day).
pub const WRONG_PER_PHONE: [Window; 1] = [Window::per_seconds(100, 86_400)];
/// Wrong codes typed from one address in a day, over all phones (a carrier's shared address
/// serves many people).
pub const WRONG_PER_ADDRESS: [Window; 1] = [Window::per_seconds(200, 86_400)];

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("the code is 6 digits")]
    Malformed,
    #[error("no code was sent to this number, or it was replaced by a newer one")]
    NoCode,
    #[error("the code has expired; ask for a new one")]
    Expired,
    #[error("the code was already used; ask for a new one")]
    Used,
    #[error("too many wrong tries; ask for a new code")]
    Locked,
    #[error("the code is wrong ({remaining} tries left)")]
    Wrong { remaining: u32 },
}

/// What the store knows about the latest code sent to a phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuedCode {
    pub sent_at_ms: i64,
    pub wrong_tries: u32,
    pub used: bool,
}

/// Checks the shape of what was typed (full-width digits from a Chinese IME are accepted).
pub fn normalize(input: &str) -> Result<String, CodeError> {
    let digits: String = input
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            other => other,
        })
        .collect();
    if digits.len() == CODE_LEN && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(CodeError::Malformed)
    }
}

/// The outcome of a try against the latest code. `matches` is whether the typed code's hash equals
/// the stored one (compared by the caller in constant time). On `Err(Wrong)` the caller records one
/// more wrong try; on `Ok` it marks the code used — both in the same transaction as this check.
pub fn judge(code: Option<IssuedCode>, now_ms: i64, matches: bool) -> Result<(), CodeError> {
    let code = code.ok_or(CodeError::NoCode)?;
    if code.used {
        return Err(CodeError::Used);
    }
    if code.wrong_tries >= MAX_WRONG_TRIES {
        return Err(CodeError::Locked);
    }
    if now_ms >= code.sent_at_ms + TTL_MS {
        return Err(CodeError::Expired);
    }
    if matches {
        Ok(())
    } else {
        let remaining = MAX_WRONG_TRIES - code.wrong_tries - 1;
        if remaining == 0 {
            Err(CodeError::Locked)
        } else {
            Err(CodeError::Wrong { remaining })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENT: i64 = 1_000_000;

    fn fresh() -> Option<IssuedCode> {
        Some(IssuedCode {
            sent_at_ms: SENT,
            wrong_tries: 0,
            used: false,
        })
    }

    #[test]
    fn a_right_code_within_five_minutes_passes() {
        assert_eq!(judge(fresh(), SENT + 1, true), Ok(()));
        assert_eq!(judge(fresh(), SENT + TTL_MS - 1, true), Ok(()));
    }

    #[test]
    fn expiry_is_exactly_five_minutes() {
        assert_eq!(judge(fresh(), SENT + TTL_MS, true), Err(CodeError::Expired));
    }

    #[test]
    fn a_used_code_cannot_be_reused() {
        let used = Some(IssuedCode {
            sent_at_ms: SENT,
            wrong_tries: 0,
            used: true,
        });
        assert_eq!(judge(used, SENT + 10, true), Err(CodeError::Used));
    }

    #[test]
    fn five_wrong_tries_lock_the_code_even_for_the_right_one() {
        let mut code = IssuedCode {
            sent_at_ms: SENT,
            wrong_tries: 0,
            used: false,
        };
        for expected_left in [4, 3, 2, 1] {
            assert_eq!(
                judge(Some(code), SENT + 10, false),
                Err(CodeError::Wrong {
                    remaining: expected_left
                })
            );
            code.wrong_tries += 1;
        }
        assert_eq!(judge(Some(code), SENT + 10, false), Err(CodeError::Locked));
        code.wrong_tries += 1;
        assert_eq!(judge(Some(code), SENT + 10, true), Err(CodeError::Locked));
    }

    #[test]
    fn no_code_means_no_login() {
        assert_eq!(judge(None, SENT, true), Err(CodeError::NoCode));
    }

    #[test]
    fn typed_codes_are_normalized() {
        assert_eq!(normalize(" 123 456 ").unwrap(), "123456");
        assert_eq!(normalize("１２３４５６").unwrap(), "123456");
        for bad in ["", "12345", "1234567", "12345a", "12-456"] {
            assert_eq!(normalize(bad), Err(CodeError::Malformed), "{bad:?}");
        }
    }
}
