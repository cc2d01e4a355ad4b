use super::*;
use std::collections::BTreeSet;

/// The workflow as the issue states it, written out independently of `TRANSITIONS`:
/// "state action actor -> next" for every allowed combination (with no pending extension,
/// not rated, not reopened).
const SPEC: &str = "
    reported register operator -> registered
    reported reject operator -> rejected
    reported merge operator -> merged
    registered merge operator -> merged
    registered dispatch operator -> dispatched
    dispatched return department -> registered
    dispatched request_extension department -> dispatched
    dispatched record_result department -> handled
    dispatched shelve operator -> on_hold
    on_hold resume operator -> dispatched
    handled pass inspector -> closed
    handled fail inspector -> dispatched
    closed rate_satisfied reporter -> closed
    closed rate_basic reporter -> closed
    closed rate_unsatisfied reporter -> handled
";

#[test]
fn every_state_action_and_actor_against_the_spec() {
    let spec: BTreeSet<String> = SPEC
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let mut allowed = BTreeSet::new();
    let mut combinations = 0;
    for state in CaseState::ALL {
        for action in CaseAction::ALL {
            for actor in Actor::ALL {
                combinations += 1;
                match apply(state, CaseFacts::default(), action, actor) {
                    Ok(o) => {
                        allowed.insert(format!(
                            "{} {} {} -> {}",
                            state.as_str(),
                            action.as_str(),
                            actor.as_str(),
                            o.next.as_str()
                        ));
                    }
                    Err(WorkflowError::NotYourRole { .. }) => {
                        // Some other actor may do it in this state.
                        assert!(
                            Actor::ALL.iter().any(|other| [false, true].iter().any(
                                |&extension_pending| apply(
                                    state,
                                    CaseFacts {
                                        extension_pending,
                                        ..Default::default()
                                    },
                                    action,
                                    *other
                                )
                                .is_ok()
                            )),
                            "{state:?} {action:?}"
                        );
                    }
                    Err(
                        WorkflowError::NotInThisState { .. }
                        | WorkflowError::AlreadyDone { .. }
                        | WorkflowError::NoExtensionRequested,
                    ) => {}
                    Err(e) => panic!("{state:?} {action:?} {actor:?}: {e:?}"),
                }
            }
        }
    }
    assert_eq!(combinations, 8 * 16 * 4);
    assert_eq!(allowed, spec);
}

#[test]
fn extensions_need_a_request_and_only_one_waits_at_a_time() {
    let pending = CaseFacts {
        extension_pending: true,
        ..Default::default()
    };
    let d = S::Dispatched;
    assert_eq!(
        apply(d, pending, A::RequestExtension, Actor::Department),
        Err(WorkflowError::ExtensionAlreadyRequested)
    );
    assert_eq!(
        apply(d, CaseFacts::default(), A::GrantExtension, Actor::Operator),
        Err(WorkflowError::NoExtensionRequested)
    );
    assert_eq!(
        apply(d, pending, A::GrantExtension, Actor::Operator),
        Ok(Outcome {
            next: d,
            effect: Effect::Extension
        })
    );
    assert_eq!(
        apply(d, pending, A::DenyExtension, Actor::Operator).map(|o| o.effect),
        Ok(Effect::None)
    );
    assert_eq!(
        apply(d, pending, A::GrantExtension, Actor::Department),
        Err(WorkflowError::NotYourRole {
            action: A::GrantExtension,
            actor: Actor::Department
        })
    );
}

#[test]
fn rework_and_reopening_are_counted_and_reopening_happens_once() {
    assert_eq!(
        apply(S::Handled, CaseFacts::default(), A::Fail, Actor::Inspector),
        Ok(Outcome {
            next: S::Dispatched,
            effect: Effect::Rework
        })
    );
    let unhappy = A::Rate(Satisfaction::Unsatisfied);
    assert_eq!(
        apply(S::Closed, CaseFacts::default(), unhappy, Actor::Reporter),
        Ok(Outcome {
            next: S::Handled,
            effect: Effect::Reopen
        })
    );
    let reopened = CaseFacts {
        reopened: true,
        ..Default::default()
    };
    assert_eq!(
        apply(S::Closed, reopened, unhappy, Actor::Reporter),
        Ok(Outcome {
            next: S::Closed,
            effect: Effect::None
        })
    );
    let rated = CaseFacts {
        rated: true,
        ..Default::default()
    };
    assert_eq!(
        apply(
            S::Closed,
            rated,
            A::Rate(Satisfaction::Satisfied),
            Actor::Reporter
        ),
        Err(WorkflowError::AlreadyRated)
    );
    assert_eq!(
        apply(S::Closed, CaseFacts::default(), unhappy, Actor::Operator),
        Err(WorkflowError::NotYourRole {
            action: unhappy,
            actor: Actor::Operator
        })
    );
}

#[test]
fn a_second_dispatch_is_reported_as_already_done() {
    assert_eq!(
        apply(
            S::Dispatched,
            CaseFacts::default(),
            A::Dispatch,
            Actor::Operator
        ),
        Err(WorkflowError::AlreadyDone {
            state: S::Dispatched,
            action: A::Dispatch
        })
    );
    assert_eq!(
        apply(
            S::Registered,
            CaseFacts::default(),
            A::Register,
            Actor::Operator
        ),
        Err(WorkflowError::AlreadyDone {
            state: S::Registered,
            action: A::Register
        })
    );
    assert_eq!(
        apply(
            S::Rejected,
            CaseFacts::default(),
            A::Dispatch,
            Actor::Operator
        ),
        Err(WorkflowError::NotInThisState {
            state: S::Rejected,
            action: A::Dispatch
        })
    );
}

#[test]
fn names_round_trip_and_final_states_read_as_closed() {
    for s in CaseState::ALL {
        assert_eq!(CaseState::parse(s.as_str()), Some(s));
        assert_eq!(s.is_final(), s.public_stage() == CaseStage::Closed);
    }
    for a in CaseAction::ALL {
        assert_eq!(CaseAction::parse(a.as_str()), Some(a));
    }
    assert_eq!(CaseAction::parse("close"), None);
}

#[test]
fn texts_follow_what_the_action_needs() {
    assert_eq!(
        ActionTexts::parse(A::Reject, "  ", ""),
        Err(vec![TextProblem::ReplyMissing])
    );
    assert_eq!(
        ActionTexts::parse(A::Shelve, "", ""),
        Err(vec![TextProblem::ReplyMissing, TextProblem::ReasonMissing])
    );
    assert_eq!(
        ActionTexts::parse(A::Pass, &"好".repeat(REPLY_MAX_CHARS + 1), ""),
        Err(vec![TextProblem::ReplyTooLong])
    );
    assert_eq!(
        ActionTexts::parse(A::Fail, "", &"x".repeat(NOTE_MAX_CHARS + 1)),
        Err(vec![TextProblem::NoteTooLong])
    );
    let ok = ActionTexts::parse(A::Register, " 已受理 ", "").unwrap();
    assert_eq!(ok.public_reply.as_deref(), Some("已受理"));
    assert_eq!(ok.internal_note, None);
    assert!(ActionTexts::parse(A::Rate(Satisfaction::Basic), "", "").is_ok());
}

#[test]
fn public_replies_speak_to_the_resident_not_to_a_department() {
    // Office terms a resident would not say, and orders meant for the department.
    let office = ["派遣", "时限内办理", "予以", "处置部门"];
    for action in [
        CaseAction::Register,
        CaseAction::Reject,
        CaseAction::Dispatch,
        CaseAction::RecordResult,
        CaseAction::Pass,
        CaseAction::Merge,
        CaseAction::Shelve,
        CaseAction::Resume,
    ] {
        let replies = reply_templates(action);
        assert!(!replies.is_empty(), "{action:?} has a suggested reply");
        for reply in replies {
            for word in office {
                assert!(!reply.contains(word), "{action:?}: {reply} says {word}");
            }
        }
    }
}
