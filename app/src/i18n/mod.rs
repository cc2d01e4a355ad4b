//! UI text. Every string the UI shows is a `Msg` key with its zh-CN and English text side by side, so
//! a missing translation is a compile error rather than a blank on a resident's screen.
//! Placeholders look like `{n}` and are filled with [`fill`].
//!
//! The keys live in one table per capability (`common.rs` holds the shell's and the shared ones).
//! Each table is a macro that appends its keys and calls the next one; the last, `messages!`,
//! turns the whole list into the one `Msg` enum, so a key without both texts, or a key defined
//! twice, still fails to compile.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    ZhCn,
    En,
}

impl Locale {
    pub const fn tag(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim() {
            "zh-CN" | "zh" | "zh-cn" => Some(Self::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Self::En),
            _ => None,
        }
    }

    pub const fn other(self) -> Locale {
        match self {
            Self::ZhCn => Self::En,
            Self::En => Self::ZhCn,
        }
    }
}

#[macro_use]
mod common;
#[macro_use]
mod account;
#[macro_use]
mod admin;
#[macro_use]
mod cases;
#[macro_use]
mod workflow;
#[macro_use]
mod consult;
#[macro_use]
mod sorting;
#[macro_use]
mod open_data;

macro_rules! messages {
    ([] $($key:ident => $zh:literal, $en:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            pub const fn text(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((Msg::$key, Locale::ZhCn) => $zh, (Msg::$key, Locale::En) => $en,)*
                }
            }
        }
    };
}

common_messages! {
    [
        account_messages,
        admin_messages,
        cases_messages,
        workflow_messages,
        consult_messages,
        sorting_messages,
        open_data_messages,
        messages
    ]
}

/// A stored name (territory, category, department) in the reader's language.
pub fn name(names: &domain::ports::Names, locale: Locale) -> String {
    match locale {
        Locale::ZhCn => names.zh.clone(),
        Locale::En => names.en.clone(),
    }
}

/// The UI name of a role.
pub fn role_name(role: domain::access::Role) -> Msg {
    use domain::access::Role;
    match role {
        Role::Resident => Msg::RoleResident,
        Role::Owner => Msg::RoleOwner,
        Role::Volunteer => Msg::RoleVolunteer,
        Role::Council => Msg::RoleCouncil,
        Role::Operator => Msg::RoleOperator,
        Role::Department => Msg::RoleDepartment,
        Role::Inspector => Msg::RoleInspector,
        Role::Chief1 => Msg::RoleChief1,
        Role::Chief2 => Msg::RoleChief2,
        Role::Chief3 => Msg::RoleChief3,
        Role::Admin => Msg::RoleAdmin,
    }
}

/// Replaces `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    args.iter().fold(template.to_owned(), |acc, (k, v)| {
        acc.replace(&format!("{{{k}}}"), v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(s: &str) -> BTreeSet<String> {
        s.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
            .collect()
    }

    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        for m in Msg::ALL {
            let (zh, en) = (m.text(Locale::ZhCn), m.text(Locale::En));
            assert!(
                !zh.trim().is_empty() && !en.trim().is_empty(),
                "{m:?} is blank"
            );
            assert_eq!(
                placeholders(zh),
                placeholders(en),
                "{m:?} placeholders differ"
            );
        }
    }

    #[test]
    fn locales_parse_and_fill_works() {
        assert_eq!(Locale::parse("en"), Some(Locale::En));
        assert_eq!(Locale::parse("zh-CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("fr"), None);
        assert_eq!(Locale::ZhCn.other(), Locale::En);
        assert_eq!(
            fill(Msg::MapGridCount.text(Locale::En), &[("n", "96")]),
            "96 grid cells"
        );
    }
}
