//! The city side of a case: one table of transitions (state × action × role → next state), the
//! checks around it, and the texts each action must carry. The service layer asks [`apply`] before
//! it writes anything, so a refused action changes nothing.

pub mod board;

use crate::cases::case::CaseStage;
use serde::{Deserialize, Serialize};

/// Where a case is in the 数字城管 workflow. [`CaseState::public_stage`] is what residents see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CaseState {
    /// 上报: waiting for an operator.
    Reported,
    /// 立案: accepted, waiting to be dispatched (or returned by a department).
    Registered,
    /// 不予立案: refused with a reason; final.
    Rejected,
    /// 派遣: a department has it and a deadline runs.
    Dispatched,
    /// 处置: the department reports it handled; waiting for the inspector.
    Handled,
    /// 结案: the inspector passed the result.
    Closed,
    /// 合并: a duplicate folded into another case; final.
    Merged,
    /// 挂账: a long-term matter with a review date; the deadline does not run.
    OnHold,
}

impl CaseState {
    pub const ALL: [CaseState; 8] = [
        CaseState::Reported,
        CaseState::Registered,
        CaseState::Rejected,
        CaseState::Dispatched,
        CaseState::Handled,
        CaseState::Closed,
        CaseState::Merged,
        CaseState::OnHold,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            CaseState::Reported => "reported",
            CaseState::Registered => "registered",
            CaseState::Rejected => "rejected",
            CaseState::Dispatched => "dispatched",
            CaseState::Handled => "handled",
            CaseState::Closed => "closed",
            CaseState::Merged => "merged",
            CaseState::OnHold => "on_hold",
        }
    }

    pub fn parse(s: &str) -> Option<CaseState> {
        CaseState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The progress stage shown to the public (and used by the map's open/closed filter).
    pub const fn public_stage(self) -> CaseStage {
        match self {
            CaseState::Reported => CaseStage::Reported,
            CaseState::Registered => CaseStage::Registered,
            CaseState::Dispatched | CaseState::OnHold => CaseStage::Dispatched,
            CaseState::Handled => CaseStage::Handled,
            CaseState::Closed | CaseState::Rejected | CaseState::Merged => CaseStage::Closed,
        }
    }

    /// Finished: nothing more happens to the case except a rating.
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            CaseState::Closed | CaseState::Rejected | CaseState::Merged
        )
    }
}

/// Who acts on a case. Staff roles come from grants; the reporter from the case itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Actor {
    /// 受理员/派遣员
    Operator,
    /// 处置部门
    Department,
    /// 监督员
    Inspector,
    /// The resident who reported the case.
    Reporter,
}

impl Actor {
    pub const ALL: [Actor; 4] = [
        Actor::Operator,
        Actor::Department,
        Actor::Inspector,
        Actor::Reporter,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Actor::Operator => "operator",
            Actor::Department => "department",
            Actor::Inspector => "inspector",
            Actor::Reporter => "reporter",
        }
    }
}

/// 满意 / 基本满意 / 不满意.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Satisfaction {
    Satisfied,
    Basic,
    Unsatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] = [
        Satisfaction::Satisfied,
        Satisfaction::Basic,
        Satisfaction::Unsatisfied,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::Basic => "basic",
            Satisfaction::Unsatisfied => "unsatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Satisfaction> {
        Satisfaction::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Counted as satisfied on the performance board (满意 and 基本满意).
    pub const fn is_content(self) -> bool {
        !matches!(self, Satisfaction::Unsatisfied)
    }
}

/// What someone does to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CaseAction {
    /// 受理/立案
    Register,
    /// 不予立案 (with the reason the reporter sees).
    Reject,
    /// 合并 into another case.
    Merge,
    /// 派遣 to a department; the deadline starts.
    Dispatch,
    /// 退回: the department says it is not theirs; the operator dispatches again.
    Return,
    /// 申请延期
    RequestExtension,
    /// 批准延期 with a new deadline.
    GrantExtension,
    /// 不批准延期
    DenyExtension,
    /// 处置完毕: the department records its result.
    RecordResult,
    /// 核查通过 → 结案
    Pass,
    /// 核查不通过 → 返工
    Fail,
    /// 挂账 with a review date.
    Shelve,
    /// 恢复办理 after 挂账.
    Resume,
    /// 评价
    Rate(Satisfaction),
}

impl CaseAction {
    pub const ALL: [CaseAction; 16] = [
        CaseAction::Register,
        CaseAction::Reject,
        CaseAction::Merge,
        CaseAction::Dispatch,
        CaseAction::Return,
        CaseAction::RequestExtension,
        CaseAction::GrantExtension,
        CaseAction::DenyExtension,
        CaseAction::RecordResult,
        CaseAction::Pass,
        CaseAction::Fail,
        CaseAction::Shelve,
        CaseAction::Resume,
        CaseAction::Rate(Satisfaction::Satisfied),
        CaseAction::Rate(Satisfaction::Basic),
        CaseAction::Rate(Satisfaction::Unsatisfied),
    ];

    /// The name stored in the timeline (`case_events.action`) and used in forms.
    pub const fn as_str(self) -> &'static str {
        match self {
            CaseAction::Register => "register",
            CaseAction::Reject => "reject",
            CaseAction::Merge => "merge",
            CaseAction::Dispatch => "dispatch",
            CaseAction::Return => "return",
            CaseAction::RequestExtension => "request_extension",
            CaseAction::GrantExtension => "grant_extension",
            CaseAction::DenyExtension => "deny_extension",
            CaseAction::RecordResult => "record_result",
            CaseAction::Pass => "pass",
            CaseAction::Fail => "fail",
            CaseAction::Shelve => "shelve",
            CaseAction::Resume => "resume",
            CaseAction::Rate(Satisfaction::Satisfied) => "rate_satisfied",
            CaseAction::Rate(Satisfaction::Basic) => "rate_basic",
            CaseAction::Rate(Satisfaction::Unsatisfied) => "rate_unsatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<CaseAction> {
        CaseAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The reporter is told in public words: these actions must carry a public reply.
    /// (结案 happens only through [`CaseAction::Pass`], so no case closes without one.)
    pub const fn needs_public_reply(self) -> bool {
        matches!(
            self,
            CaseAction::Register
                | CaseAction::Reject
                | CaseAction::Merge
                | CaseAction::Dispatch
                | CaseAction::RecordResult
                | CaseAction::Pass
                | CaseAction::Shelve
                | CaseAction::Resume
        )
    }

    /// Staff must say why (an internal note) for these.
    pub const fn needs_reason(self) -> bool {
        matches!(
            self,
            CaseAction::Return
                | CaseAction::RequestExtension
                | CaseAction::DenyExtension
                | CaseAction::Fail
                | CaseAction::Shelve
        )
    }

    /// The kind of action, with the rating's level dropped (the table does not depend on it).
    const fn kind(self) -> CaseAction {
        match self {
            CaseAction::Rate(_) => CaseAction::Rate(Satisfaction::Satisfied),
            other => other,
        }
    }
}

use CaseAction as A;
use CaseState as S;

/// The workflow: (state, action, who) → next state. Rating's level is decided in [`apply`].
pub const TRANSITIONS: &[(CaseState, CaseAction, Actor, CaseState)] = &[
    (S::Reported, A::Register, Actor::Operator, S::Registered),
    (S::Reported, A::Reject, Actor::Operator, S::Rejected),
    (S::Reported, A::Merge, Actor::Operator, S::Merged),
    (S::Registered, A::Merge, Actor::Operator, S::Merged),
    (S::Registered, A::Dispatch, Actor::Operator, S::Dispatched),
    (S::Dispatched, A::Return, Actor::Department, S::Registered),
    (
        S::Dispatched,
        A::RequestExtension,
        Actor::Department,
        S::Dispatched,
    ),
    (
        S::Dispatched,
        A::GrantExtension,
        Actor::Operator,
        S::Dispatched,
    ),
    (
        S::Dispatched,
        A::DenyExtension,
        Actor::Operator,
        S::Dispatched,
    ),
    (
        S::Dispatched,
        A::RecordResult,
        Actor::Department,
        S::Handled,
    ),
    (S::Dispatched, A::Shelve, Actor::Operator, S::OnHold),
    (S::OnHold, A::Resume, Actor::Operator, S::Dispatched),
    (S::Handled, A::Pass, Actor::Inspector, S::Closed),
    (S::Handled, A::Fail, Actor::Inspector, S::Dispatched),
    (
        S::Closed,
        A::Rate(Satisfaction::Satisfied),
        Actor::Reporter,
        S::Closed,
    ),
];

/// Who the table lets take `action` in `state`, if anyone.
pub fn actor_for(state: CaseState, action: CaseAction) -> Option<Actor> {
    let kind = action.kind();
    TRANSITIONS
        .iter()
        .find(|(s, a, _, _)| *s == state && *a == kind)
        .map(|(_, _, who, _)| *who)
}

/// Suggested public replies per action, which operators pick with one click (zh-CN: the
/// language of the case record). The resident reads them on the case page, so they speak to the
/// resident in plain words, not to a department in office terms.
pub fn reply_templates(action: CaseAction) -> &'static [&'static str] {
    match action {
        CaseAction::Register => &["您反映的问题已受理立案，我们会尽快交给负责的部门处理。"],
        CaseAction::Reject => &[
            "经核实，该问题不属于城市管理范围，您可以向相关单位反映（如拨打 12345）。",
            "经现场核实，未发现所反映的问题。",
            "该问题与已有案件重复，请关注原案件进展。",
        ],
        CaseAction::Dispatch => {
            &["您反映的问题已交给负责的部门处理，处理期限内会有进展，请留意本页。"]
        }
        CaseAction::RecordResult => {
            &["问题已在现场处理完毕，正等监督员核查；核查通过即结案，届时请为处理结果打分。"]
        }
        CaseAction::Pass => &["经核查，问题已处理到位，案件办结。感谢您的参与！"],
        CaseAction::Merge => &["该问题已有其他居民反映，已并入同一案件办理。"],
        CaseAction::Shelve => &["该问题需纳入长期计划解决，已挂账跟踪，我们会定期复查。"],
        CaseAction::Resume => &["这个问题现在可以办理了，已重新交给负责的部门处理，请留意本页。"],
        _ => &[],
    }
}

/// What the table needs to know about a case besides its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaseFacts {
    /// A department's extension request waits for the operator.
    pub extension_pending: bool,
    /// The reporter has rated the current closing.
    pub rated: bool,
    /// The case was reopened by a 不满意 rating before (it reopens only once).
    pub reopened: bool,
}

/// A side effect the store must count, besides the new state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    None,
    /// 返工: the inspector failed the result.
    Rework,
    /// 延期 granted.
    Extension,
    /// 不满意 sent the case back to the inspector (once).
    Reopen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub next: CaseState,
    pub effect: Effect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum WorkflowError {
    /// Someone else already did it (e.g. two operators dispatching at once).
    #[error("the case is already {state:?}; {action:?} was done before")]
    AlreadyDone {
        state: CaseState,
        action: CaseAction,
    },
    #[error("a case that is {state:?} cannot be given {action:?}")]
    NotInThisState {
        state: CaseState,
        action: CaseAction,
    },
    #[error("{actor:?} may not {action:?}")]
    NotYourRole { action: CaseAction, actor: Actor },
    #[error("an extension request is already waiting")]
    ExtensionAlreadyRequested,
    #[error("there is no extension request to decide")]
    NoExtensionRequested,
    #[error("the case has been rated already")]
    AlreadyRated,
}

/// The one answer to "may `actor` do `action` to a case in `state` now, and what follows?".
pub fn apply(
    state: CaseState,
    facts: CaseFacts,
    action: CaseAction,
    actor: Actor,
) -> Result<Outcome, WorkflowError> {
    let kind = action.kind();
    let Some(&(_, _, who, next)) = TRANSITIONS
        .iter()
        .find(|(s, a, _, _)| *s == state && *a == kind)
    else {
        let already = TRANSITIONS
            .iter()
            .any(|(from, a, _, to)| *a == kind && *to == state && from != to);
        return Err(if already {
            WorkflowError::AlreadyDone { state, action }
        } else {
            WorkflowError::NotInThisState { state, action }
        });
    };
    if who != actor {
        return Err(WorkflowError::NotYourRole { action, actor });
    }
    let outcome = |next, effect| Ok(Outcome { next, effect });
    match action {
        A::RequestExtension if facts.extension_pending => {
            Err(WorkflowError::ExtensionAlreadyRequested)
        }
        A::GrantExtension | A::DenyExtension if !facts.extension_pending => {
            Err(WorkflowError::NoExtensionRequested)
        }
        A::GrantExtension => outcome(next, Effect::Extension),
        A::Fail => outcome(next, Effect::Rework),
        A::Rate(_) if facts.rated => Err(WorkflowError::AlreadyRated),
        A::Rate(Satisfaction::Unsatisfied) if !facts.reopened => {
            outcome(S::Handled, Effect::Reopen)
        }
        _ => outcome(next, Effect::None),
    }
}

/// Bounds of staff texts, in characters.
pub const REPLY_MAX_CHARS: usize = 500;
pub const NOTE_MAX_CHARS: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TextProblem {
    #[error("a public reply is required")]
    ReplyMissing,
    #[error("the public reply is too long")]
    ReplyTooLong,
    #[error("a reason is required")]
    ReasonMissing,
    #[error("the note is too long")]
    NoteTooLong,
}

/// The texts an action carries, trimmed and checked against what the action needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionTexts {
    pub public_reply: Option<String>,
    pub internal_note: Option<String>,
}

impl ActionTexts {
    pub fn parse(
        action: CaseAction,
        public_reply: &str,
        internal_note: &str,
    ) -> Result<ActionTexts, Vec<TextProblem>> {
        let clean = |s: &str| {
            let t = crate::privacy::clean_text(s, true);
            let t = t.trim();
            (!t.is_empty()).then(|| t.to_owned())
        };
        let (reply, note) = (clean(public_reply), clean(internal_note));
        let mut problems = Vec::new();
        match &reply {
            None if action.needs_public_reply() => problems.push(TextProblem::ReplyMissing),
            Some(r) if r.chars().count() > REPLY_MAX_CHARS => {
                problems.push(TextProblem::ReplyTooLong)
            }
            _ => {}
        }
        match &note {
            None if action.needs_reason() => problems.push(TextProblem::ReasonMissing),
            Some(n) if n.chars().count() > NOTE_MAX_CHARS => {
                problems.push(TextProblem::NoteTooLong)
            }
            _ => {}
        }
        if problems.is_empty() {
            Ok(ActionTexts {
                public_reply: reply,
                internal_note: note,
            })
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests;
