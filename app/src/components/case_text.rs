//! How a case's stages, actions and answers read, shared by the public case page and the staff page.

use crate::i18n::{Msg, fill, name};
use crate::prefs::Prefs;
use domain::cases::case::CaseStage;
use domain::workflow::{CaseAction, Satisfaction};
use leptos::prelude::*;

pub fn stage_name(s: CaseStage) -> Msg {
    match s {
        CaseStage::Reported => Msg::StageNameReported,
        CaseStage::Registered => Msg::StageNameRegistered,
        CaseStage::Dispatched => Msg::StageNameDispatched,
        CaseStage::Handled => Msg::StageNameHandled,
        CaseStage::Verified => Msg::StageNameVerified,
        CaseStage::Closed => Msg::StageNameClosed,
    }
}

/// The reporter's answers to the category's extra questions (井盖: how dangerous), if any.
pub fn case_answers(
    answers: &[(domain::ports::Names, domain::ports::Names)],
    locale: crate::i18n::Locale,
) -> impl IntoView + use<> {
    (!answers.is_empty()).then(|| {
        let rows = answers
            .iter()
            .map(|(q, a)| view! { <dt>{name(q, locale)}</dt><dd>{name(a, locale)}</dd> })
            .collect_view();
        view! { <dl class="case-answers" data-testid="case-answers">{rows}</dl> }
    })
}

pub fn action_name(a: CaseAction) -> Msg {
    match a {
        CaseAction::Register => Msg::ActRegister,
        CaseAction::Reject => Msg::ActReject,
        CaseAction::Merge => Msg::ActMerge,
        CaseAction::Dispatch => Msg::ActDispatch,
        CaseAction::Return => Msg::ActReturn,
        CaseAction::RequestExtension => Msg::ActRequestExtension,
        CaseAction::GrantExtension => Msg::ActGrantExtension,
        CaseAction::DenyExtension => Msg::ActDenyExtension,
        CaseAction::RecordResult => Msg::ActRecordResult,
        CaseAction::Pass => Msg::ActPass,
        CaseAction::Fail => Msg::ActFail,
        CaseAction::Shelve => Msg::ActShelve,
        CaseAction::Resume => Msg::ActResume,
        CaseAction::Rate(Satisfaction::Satisfied) => Msg::ActRateSatisfied,
        CaseAction::Rate(Satisfaction::Basic) => Msg::ActRateBasic,
        CaseAction::Rate(Satisfaction::Unsatisfied) => Msg::ActRateUnsatisfied,
    }
}

/// A timeline entry's label: the action, or for a rating "评价：满意".
pub fn action_label(a: CaseAction, prefs: Prefs) -> String {
    match a {
        CaseAction::Rate(_) => fill(
            prefs.t(Msg::TimelineRated),
            &[("level", prefs.t(action_name(a)))],
        ),
        _ => prefs.t(action_name(a)).to_owned(),
    }
}
