//! What a report form's problems say, shared by the form's steps and the pages that show them.

use crate::i18n::{Locale, Msg};
use domain::cases::report::{ReportField, ReportProblem};
use leptos::prelude::*;

pub fn problem_text(p: ReportProblem) -> Msg {
    use ReportProblem::*;
    match p {
        NoLocation => Msg::ProblemNoLocation,
        BadCoordinates => Msg::ProblemBadCoordinates,
        OutsideCity => Msg::ProblemOutsideCity,
        UnknownCommunity => Msg::ProblemUnknownCommunity,
        AddressMissing => Msg::ProblemAddressMissing,
        AddressTooLong => Msg::ProblemAddressTooLong,
        MissingCategory => Msg::ProblemMissingCategory,
        UnknownCategory => Msg::ProblemUnknownCategory,
        DescriptionTooShort => Msg::ProblemDescriptionTooShort,
        DescriptionTooLong => Msg::ProblemDescriptionTooLong,
        TooManyPhotos => Msg::ProblemTooManyPhotos,
        PhotoEmpty => Msg::ProblemPhotoEmpty,
        PhotoTooLarge => Msg::ProblemPhotoTooLarge,
        PhotoNotImage => Msg::ProblemPhotoNotImage,
        PhotoHeic => Msg::ProblemPhotoHeic,
        PhotoTooManyPixels => Msg::ProblemPhotoTooManyPixels,
        PhotoUnreadable => Msg::ProblemPhotoUnreadable,
        PhotoBusy => Msg::ProblemPhotoBusy,
        BadContactPhone => Msg::ProblemBadContactPhone,
        CommentEmpty => Msg::ProblemCommentEmpty,
        CommentTooLong => Msg::ProblemCommentTooLong,
        NotTheReporter => Msg::ProblemNotTheReporter,
        CaseFinished => Msg::ProblemCaseFinished,
        AnswerMissing => Msg::ProblemAnswerMissing,
        AnswerInvalid => Msg::ProblemAnswerInvalid,
    }
}

/// The messages for one field, announced to screen readers.
pub fn field_errors(
    problems: &[ReportProblem],
    field: ReportField,
    locale: Locale,
) -> impl IntoView + use<> {
    let msgs: Vec<&'static str> = problems
        .iter()
        .filter(|p| p.field() == field)
        .map(|p| problem_text(*p).text(locale))
        .collect();
    (!msgs.is_empty()).then(|| {
        view! {
            <ul class="field-errors" role="alert" data-field=format!("{field:?}")>
                {msgs.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
            </ul>
        }
    })
}
