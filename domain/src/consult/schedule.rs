//! A consultation's phases and the dates that drive them.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Phase {
    /// 草案
    Draft,
    /// 征求意见
    Comment,
    /// 表决
    Vote,
    /// 结束 (voting closed, not yet published)
    Closed,
    /// 结果公示
    Published,
    /// 实施跟进
    FollowUp,
}

impl Phase {
    pub const ALL: [Phase; 6] = [
        Phase::Draft,
        Phase::Comment,
        Phase::Vote,
        Phase::Closed,
        Phase::Published,
        Phase::FollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::Comment => "comment",
            Phase::Vote => "vote",
            Phase::Closed => "closed",
            Phase::Published => "published",
            Phase::FollowUp => "followup",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The dated phases. Times are Unix milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub comment_from: i64,
    pub vote_from: i64,
    pub vote_until: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScheduleProblem {
    /// The vote opens before comments do.
    VoteBeforeComment,
    /// The vote closes before (or when) it opens.
    CloseBeforeOpen,
}

impl Schedule {
    /// Phases must follow each other: comments open no later than the vote, and the vote lasts.
    pub fn new(
        comment_from: i64,
        vote_from: i64,
        vote_until: i64,
    ) -> Result<Schedule, ScheduleProblem> {
        if vote_from < comment_from {
            return Err(ScheduleProblem::VoteBeforeComment);
        }
        if vote_until <= vote_from {
            return Err(ScheduleProblem::CloseBeforeOpen);
        }
        Ok(Schedule {
            comment_from,
            vote_from,
            vote_until,
        })
    }

    /// The phase at `now`. Dates drive draft → comment → vote → closed; publishing and starting the
    /// follow-up are the council's acts, recorded as times.
    pub fn phase_at(&self, published_at: Option<i64>, followup_at: Option<i64>, now: i64) -> Phase {
        if followup_at.is_some_and(|t| t <= now) {
            Phase::FollowUp
        } else if published_at.is_some_and(|t| t <= now) {
            Phase::Published
        } else if now >= self.vote_until {
            Phase::Closed
        } else if now >= self.vote_from {
            Phase::Vote
        } else if now >= self.comment_from {
            Phase::Comment
        } else {
            Phase::Draft
        }
    }

    /// The council moves a consultation on now: the dates change so the date rule stays the truth.
    /// Only the next dated phase may be started early, and nothing moves backwards.
    pub fn advance_to(&self, to: Phase, now: i64) -> Option<Schedule> {
        let current = self.phase_at(None, None, now);
        let mut next = *self;
        match (current, to) {
            (Phase::Draft, Phase::Comment) => {
                next.comment_from = now;
            }
            (Phase::Draft | Phase::Comment, Phase::Vote) => {
                next.comment_from = next.comment_from.min(now);
                next.vote_from = now;
                next.vote_until = next.vote_until.max(now + 1);
            }
            (Phase::Vote, Phase::Closed) => {
                next.vote_until = now;
            }
            _ => return None,
        }
        Some(next)
    }
}

// ---------------------------------------------------------------------------------------------
// The roster
