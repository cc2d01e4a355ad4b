//! The extra questions a category asks a reporter (暴露垃圾: how much? 井盖: how dangerous?), and
//! the rules their answers follow. The report form asks them and Open311 publishes them as attribute
//! definitions; both check answers here, so a case never holds an answer its question cannot take.

use crate::names::Names;
use serde::{Deserialize, Serialize};

/// A free-text answer is at most this long, in characters.
pub const ANSWER_MAX_CHARS: usize = 500;

/// How a question is answered (the Open311 datatypes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerKind {
    /// One line of text.
    Line,
    /// A number.
    Number,
    /// Several lines of text.
    Text,
    /// One of the choices.
    OneOf,
    /// Any of the choices.
    AnyOf,
}

impl AnswerKind {
    /// As stored and as Open311 names it.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerKind::Line => "string",
            AnswerKind::Number => "number",
            AnswerKind::Text => "text",
            AnswerKind::OneOf => "singlevaluelist",
            AnswerKind::AnyOf => "multivaluelist",
        }
    }

    pub fn parse(s: &str) -> Option<AnswerKind> {
        [
            AnswerKind::Line,
            AnswerKind::Number,
            AnswerKind::Text,
            AnswerKind::OneOf,
            AnswerKind::AnyOf,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    pub fn has_choices(self) -> bool {
        matches!(self, AnswerKind::OneOf | AnswerKind::AnyOf)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub key: String,
    pub names: Names,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub code: String,
    pub kind: AnswerKind,
    pub required: bool,
    pub prompt: Names,
    /// For the list kinds, in the order they are offered.
    pub choices: Vec<Choice>,
    pub position: u32,
}

impl Question {
    /// Choices as stored: `key=中文名|English name;key2=…` (the English name may be left out).
    pub fn parse_choices(stored: &str) -> Vec<Choice> {
        stored
            .split(';')
            .filter_map(|c| c.split_once('='))
            .map(|(key, names)| {
                let (zh, en) = names.split_once('|').unwrap_or((names, names));
                Choice {
                    key: key.trim().to_owned(),
                    names: Names {
                        zh: zh.trim().to_owned(),
                        en: en.trim().to_owned(),
                    },
                }
            })
            .collect()
    }

    /// The names of the chosen keys (a list answer is keys joined by commas); an unknown key is
    /// shown as it is.
    pub fn answer_names(&self, answer: &str) -> Names {
        let (mut zh, mut en) = (Vec::new(), Vec::new());
        for key in answer.split(',') {
            match self.choices.iter().find(|c| c.key == key) {
                Some(c) => {
                    zh.push(c.names.zh.clone());
                    en.push(c.names.en.clone());
                }
                None => {
                    zh.push(key.to_owned());
                    en.push(key.to_owned());
                }
            }
        }
        Names {
            zh: zh.join("、"),
            en: en.join(", "),
        }
    }
}

/// What is wrong with the answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerProblem {
    /// A required question was left unanswered.
    Missing,
    /// A list answer that is not one of the choices.
    NotAChoice(String),
    NotANumber,
    TooLong,
    /// Several answers to a question that takes one.
    OneValueOnly,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerError {
    /// The question's code.
    pub code: String,
    pub problem: AnswerProblem,
}

/// Whether a missing answer to a required question is a problem. Staff handing a volunteer's issue
/// over cannot know how the reporter would have answered, so they may leave questions open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    Enforced,
    Waived,
}

/// Checks the answers given as (code, value) pairs (a list question may get one pair per choice, or
/// one value of keys joined by commas). Returns the (code, answer) pairs to keep, in the questions'
/// order, with list answers as keys joined by commas; or every problem at once. Answers to
/// questions the category does not ask are dropped.
pub fn check_answers(
    questions: &[Question],
    given: &[(String, String)],
    required: Required,
) -> Result<Vec<(String, String)>, Vec<AnswerError>> {
    let mut kept = Vec::new();
    let mut errors = Vec::new();
    for q in questions {
        let cleaned: Vec<String> = given
            .iter()
            .filter(|(code, _)| *code == q.code)
            .map(|(_, v)| crate::privacy::clean_text(v, true))
            .collect();
        let values: Vec<&str> = cleaned
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        match check_one(q, &values) {
            Ok(Some(answer)) => kept.push((q.code.clone(), answer)),
            Ok(None) if q.required && required == Required::Enforced => errors.push(AnswerError {
                code: q.code.clone(),
                problem: AnswerProblem::Missing,
            }),
            Ok(None) => {}
            Err(problem) => errors.push(AnswerError {
                code: q.code.clone(),
                problem,
            }),
        }
    }
    if errors.is_empty() {
        Ok(kept)
    } else {
        Err(errors)
    }
}

/// One question's answer, `None` when unanswered.
fn check_one(q: &Question, values: &[&str]) -> Result<Option<String>, AnswerProblem> {
    let single = || match values {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        _ => Err(AnswerProblem::OneValueOnly),
    };
    let is_choice = |v: &str| q.choices.iter().any(|c| c.key == v);
    match q.kind {
        AnswerKind::Number => match single()? {
            None => Ok(None),
            Some(v) if v.parse::<f64>().is_ok_and(f64::is_finite) => Ok(Some(v.to_owned())),
            Some(_) => Err(AnswerProblem::NotANumber),
        },
        AnswerKind::OneOf => match single()? {
            None => Ok(None),
            Some(v) if is_choice(v) => Ok(Some(v.to_owned())),
            Some(v) => Err(AnswerProblem::NotAChoice(v.to_owned())),
        },
        AnswerKind::AnyOf => {
            let mut chosen: Vec<&str> = Vec::new();
            for v in values.iter().flat_map(|v| v.split(',')).map(str::trim) {
                if v.is_empty() {
                    continue;
                }
                if !is_choice(v) {
                    return Err(AnswerProblem::NotAChoice(v.to_owned()));
                }
                if !chosen.contains(&v) {
                    chosen.push(v);
                }
            }
            Ok((!chosen.is_empty()).then(|| chosen.join(",")))
        }
        AnswerKind::Line | AnswerKind::Text => match single()? {
            None => Ok(None),
            Some(v) if v.chars().count() > ANSWER_MAX_CHARS => Err(AnswerProblem::TooLong),
            Some(v) => Ok(Some(v.to_owned())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(zh: &str) -> Names {
        Names {
            zh: zh.into(),
            en: zh.into(),
        }
    }

    fn questions() -> Vec<Question> {
        vec![
            Question {
                code: "volume".into(),
                kind: AnswerKind::OneOf,
                required: true,
                prompt: names("多少垃圾？"),
                choices: Question::parse_choices("small=少量|A little; large=大量|A lot"),
                position: 1,
            },
            Question {
                code: "kinds".into(),
                kind: AnswerKind::AnyOf,
                required: false,
                prompt: names("什么垃圾？"),
                choices: Question::parse_choices("food=厨余;building=建筑垃圾"),
                position: 2,
            },
            Question {
                code: "bags".into(),
                kind: AnswerKind::Number,
                required: false,
                prompt: names("几袋？"),
                choices: vec![],
                position: 3,
            },
            Question {
                code: "where".into(),
                kind: AnswerKind::Line,
                required: false,
                prompt: names("具体位置"),
                choices: vec![],
                position: 4,
            },
        ]
    }

    fn given(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(c, v)| ((*c).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn choices_carry_both_languages_and_fall_back_to_chinese() {
        let c = Question::parse_choices("small=少量|A little; large=大量");
        assert_eq!(c[0].key, "small");
        assert_eq!(c[0].names.en, "A little");
        assert_eq!(c[1].names.en, "大量");
        let q = &questions()[1];
        assert_eq!(q.answer_names("food,building").zh, "厨余、建筑垃圾");
        assert_eq!(q.answer_names("food,glass").en, "厨余, glass");
        assert_eq!(AnswerKind::parse("multivaluelist"), Some(AnswerKind::AnyOf));
        assert_eq!(AnswerKind::parse("date"), None);
    }

    #[test]
    fn good_answers_are_kept_in_the_questions_order() {
        let kept = check_answers(
            &questions(),
            &given(&[
                ("bags", " 3 "),
                ("kinds", "food"),
                ("kinds", "building,food"),
                ("volume", "large"),
                ("unasked", "dropped"),
                ("where", ""),
            ]),
            Required::Enforced,
        )
        .unwrap();
        assert_eq!(
            kept,
            given(&[
                ("volume", "large"),
                ("kinds", "food,building"),
                ("bags", "3")
            ])
        );
    }

    #[test]
    fn every_bad_answer_is_named_with_its_question() {
        let long = "长".repeat(ANSWER_MAX_CHARS + 1);
        let errors = check_answers(
            &questions(),
            &given(&[("kinds", "food,glass"), ("bags", "three"), ("where", &long)]),
            Required::Enforced,
        )
        .unwrap_err();
        let said: Vec<(&str, &AnswerProblem)> = errors
            .iter()
            .map(|e| (e.code.as_str(), &e.problem))
            .collect();
        assert_eq!(
            said,
            [
                ("volume", &AnswerProblem::Missing),
                ("kinds", &AnswerProblem::NotAChoice("glass".into())),
                ("bags", &AnswerProblem::NotANumber),
                ("where", &AnswerProblem::TooLong),
            ]
        );
        let twice = check_answers(
            &questions(),
            &given(&[("volume", "small"), ("volume", "large")]),
            Required::Enforced,
        )
        .unwrap_err();
        assert_eq!(twice[0].problem, AnswerProblem::OneValueOnly);
        assert_eq!(
            check_answers(&questions(), &given(&[("bags", "inf")]), Required::Waived).unwrap_err()
                [0]
            .problem,
            AnswerProblem::NotANumber
        );
    }

    #[test]
    fn staff_may_leave_required_questions_open_but_not_answer_them_wrongly() {
        assert_eq!(
            check_answers(&questions(), &[], Required::Waived),
            Ok(vec![])
        );
        assert!(
            check_answers(
                &questions(),
                &given(&[("volume", "huge")]),
                Required::Waived
            )
            .is_err()
        );
    }
}
