//! The staff console's and the board's port, with the board kept until a case changes.

use crate::cases::Cases;
use crate::kernel::cache::Recent;
use crate::kernel::clock::now_ms;
use crate::kernel::store::unavailable;
use crate::workflow::Workflow;
use domain::ports::{BoardView, PortError, StaffCaseView, StaffQueue, UserId, WorkflowPort};
use domain::territory::TerritoryLevel;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct WorkflowPages {
    workflow: Workflow,
    cases: Cases,
    /// The board of a month and level, kept until a case changes (or a minute has passed).
    boards: Arc<Recent<(String, String), BoardView>>,
}

impl WorkflowPages {
    pub fn new(workflow: Workflow, cases: Cases) -> WorkflowPages {
        WorkflowPages {
            workflow,
            cases,
            boards: Arc::new(Recent::new(Duration::from_secs(60), 64)),
        }
    }
}

#[async_trait::async_trait]
impl WorkflowPort for WorkflowPages {
    async fn staff_console(&self, user_id: UserId) -> Result<Vec<StaffQueue>, PortError> {
        let user_id = user_id.0;
        self.workflow
            .console(user_id, now_ms())
            .await
            .map_err(unavailable)
    }
    async fn board(&self, month: &str, level: &str) -> Result<BoardView, PortError> {
        let key = (month.trim().to_owned(), level.trim().to_owned());
        let generation = self.cases.events().generation();
        if let Some(kept) = self.boards.get(&key, generation) {
            return Ok((*kept).clone());
        }
        let level = TerritoryLevel::parse(level).unwrap_or(TerritoryLevel::District);
        let board = self
            .workflow
            .board(
                domain::workflow::board::Month::parse(month),
                level,
                now_ms(),
            )
            .await
            .map_err(unavailable)?;
        Ok((*self.boards.put(key, generation, board)).clone())
    }
    async fn staff_case(
        &self,
        user_id: UserId,
        code: &str,
    ) -> Result<Option<StaffCaseView>, PortError> {
        let user_id = user_id.0;
        self.workflow
            .staff_case(user_id, code)
            .await
            .map_err(unavailable)
    }
}
