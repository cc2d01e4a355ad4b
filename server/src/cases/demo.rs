//! Demo cases: a few hundred reports over the last six months, moved through every workflow path
//! (rejected, merged, returned, extended, reworked, reopened, on hold, overdue, rated) by the demo
//! staff through the same service layer as real use, so the map, the queues and the case pages of
//! a fresh demo city show life. Deterministic: the same store gets the same cases.

use crate::cases::{Cases, ReportSubmission};
use crate::kernel::store::{Store, StoreError};
use crate::workflow::{StaffInput, Workflow};
use domain::calendar::Date;
use domain::cases::category::TimeLimit;
use domain::ports::ReportValues;
use domain::workflow::{CaseAction, reply_templates};
use sqlx::Row;
use std::collections::HashMap;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
/// How far back the demo reports go.
const SPAN_DAYS: i64 = 180;

/// A small deterministic generator (64-bit LCG), so the demo city is the same on every machine.
pub(crate) struct Dice(pub(crate) u64);

impl Dice {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// 0 ≤ x < n
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A fraction in [0, 1).
    fn unit(&mut self) -> f64 {
        self.below(1_000_000) as f64 / 1_000_000.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// What residents write, by major class.
fn description(category: &str, dice: &mut Dice) -> &'static str {
    let options: &[&'static str] = match &category[..3] {
        "S02" => &[
            "店招破损歪斜，刮风时有掉落危险。",
            "楼顶广告牌锈蚀严重，担心砸到行人。",
        ],
        "S03" => &[
            "路边堆了好几天的垃圾没人清运，气味很大。",
            "工地没有覆盖，扬尘很严重。",
            "垃圾桶满溢，分类投放点周边很脏。",
        ],
        "S04" => &[
            "有人长期占用人行道摆摊，行人只能走机动车道。",
            "共享单车乱停放，堵住了小区出入口。",
            "遛狗不牵绳，小孩被吓到了。",
        ],
        "S05" => &[
            "楼下餐馆油烟直排，窗户都不能开。",
            "夜间施工噪声很大，影响休息。",
            "广场舞音响声音太大。",
        ],
        "S06" => &["一辆僵尸车停在路边半年没动过。", "渣土车沿路撒漏。"],
        "S07" => &["有人在居民楼里违规存放液化气瓶。"],
        "B01" => &[
            "井盖破损松动，车辆经过哐哐响。",
            "路灯不亮已经好几天了，晚上很黑。",
            "消防栓漏水。",
        ],
        _ => &[
            "这里有问题，请尽快处理。",
            "问题已经存在一段时间了，希望尽快解决。",
        ],
    };
    options[dice.below(options.len() as u64) as usize]
}

/// How far a demo case gets.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Path {
    StaysReported,
    Rejected,
    StaysRegistered,
    Merged,
    InProgress,
    Handled,
    OnHold,
    ReturnedThenClosed,
    Closed,
}

fn choose_path(dice: &mut Dice) -> Path {
    match dice.below(100) {
        0..=5 => Path::StaysReported,
        6..=11 => Path::Rejected,
        12..=15 => Path::StaysRegistered,
        16..=19 => Path::Merged,
        20..=31 => Path::InProgress,
        32..=37 => Path::Handled,
        38..=40 => Path::OnHold,
        41..=45 => Path::ReturnedThenClosed,
        _ => Path::Closed,
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DemoReport {
    pub cases: u32,
    pub actions: u32,
    /// Steps refused (e.g. no calendar for the year): the case stays where it got to.
    pub stopped: u32,
}

struct Cell {
    code: String,
    bbox: (f64, f64, f64, f64),
}

struct Staff {
    operator: i64,
    departments: HashMap<String, i64>,
    inspectors: HashMap<String, i64>,
}

async fn load_staff(store: &Store) -> Result<Staff, StoreError> {
    let operator: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = '+8613900000005'")
        .fetch_one(store.pool())
        .await?;
    let mut departments = HashMap::new();
    let mut inspectors = HashMap::new();
    for r in sqlx::query(
        "SELECT user_id, role, territory_code, department_code FROM role_grants \
         WHERE revoked_at IS NULL AND role IN ('department', 'inspector') ORDER BY id",
    )
    .fetch_all(store.pool())
    .await?
    {
        let user: i64 = r.try_get("user_id")?;
        match r.try_get::<String, _>("role")?.as_str() {
            "department" => {
                if let Some(d) = r.try_get::<Option<String>, _>("department_code")? {
                    departments.entry(d).or_insert(user);
                }
            }
            _ => {
                if let Some(t) = r.try_get::<Option<String>, _>("territory_code")?
                    && t.len() == 9
                {
                    inspectors.entry(t).or_insert(user);
                }
            }
        }
    }
    Ok(Staff {
        operator,
        departments,
        inspectors,
    })
}

/// Files `count` demo reports dated over the last six months before `now` and moves each along
/// its path. Call on an empty demo store only (after `seed::seed`).
pub async fn seed_cases(
    store: &Store,
    cases: &Cases,
    workflow: &Workflow,
    count: u32,
    now: i64,
) -> Result<DemoReport, StoreError> {
    let mut dice = Dice(0x4c49_4e4c_4921);
    let cells = grid_cells(store).await?;
    let categories = demo_categories(store).await?;
    if cells.is_empty() || categories.is_empty() {
        return Ok(DemoReport::default());
    }
    let staff = load_staff(store).await?;
    let calendar = workflow.calendar().await?;
    // Demo residents answer their category's questions too, with a choice picked at random.
    let asked = crate::cases::category_questions(store.pool(), None).await?;

    // Report times first, oldest first, so tracking numbers follow time: daytime China hours.
    let mut times: Vec<i64> = (0..count)
        .map(|_| {
            let day =
                Date::of_china_time(now).day_number() - 1 - dice.below(SPAN_DAYS as u64) as i64;
            Date::from_day_number(day).china_ms(7 * 60 + dice.below(14 * 60) as i64)
        })
        .collect();
    times.sort_unstable();

    let mut report = DemoReport::default();
    let mut open_codes: Vec<String> = Vec::new();
    for (i, created) in times.into_iter().enumerate() {
        let cell = dice.pick(&cells);
        let (s, w, n, e) = cell.bbox;
        let lat = s + (n - s) * (0.2 + 0.6 * dice.unit());
        let lng = w + (e - w) * (0.2 + 0.6 * dice.unit());
        let (category, limit) = dice.pick(&categories).clone();
        let answers = asked
            .iter()
            .filter(|(c, q)| *c == category && q.kind.has_choices() && !q.choices.is_empty())
            .map(|(_, q)| (q.code.clone(), dice.pick(&q.choices).key.clone()))
            .collect();
        let submission = ReportSubmission {
            values: ReportValues {
                description: description(&category, &mut dice).to_owned(),
                category: category.clone(),
                lat: format!("{lat:.6}"),
                lng: format!("{lng:.6}"),
                location_source: "map".into(),
                answers,
                ..Default::default()
            },
            ..Default::default()
        };
        let submitted = match cases
            .submit(submission, None, &format!("demo-{i}"), created)
            .await
        {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "demo report refused");
                continue;
            }
        };
        report.cases += 1;
        let code = submitted.code.to_string();
        let street = cell.code[..9].to_owned();
        let mut run = Run {
            workflow,
            code: &code,
            now,
            t: created,
            report: &mut report,
            dice: &mut dice,
        };
        let path = choose_path(run.dice);
        let ended_open = run
            .walk(
                path,
                &staff,
                &street,
                limit,
                &calendar,
                &open_codes,
                &submitted.follow_key,
            )
            .await;
        if ended_open {
            open_codes.push(code);
        }
    }
    Ok(report)
}

/// One demo case on its way: `t` is the time of its latest step.
struct Run<'a> {
    workflow: &'a Workflow,
    code: &'a str,
    now: i64,
    t: i64,
    report: &'a mut DemoReport,
    dice: &'a mut Dice,
}

impl Run<'_> {
    /// Takes one step `after` ms later; false when the step would lie in the future or is refused
    /// (the case then stays where it is).
    async fn step(&mut self, user: i64, after: i64, mut input: StaffInput) -> bool {
        let at = self.t + after.max(60_000);
        if at >= self.now {
            return false;
        }
        if input.public_reply.is_empty()
            && let Some(action) = CaseAction::parse(&input.action)
            && let Some(text) = reply_templates(action).first()
        {
            input.public_reply = (*text).to_owned();
        }
        match self.workflow.act(user, self.code, input, "demo", at).await {
            Ok(_) => {
                self.t = at;
                self.report.actions += 1;
                true
            }
            Err(e) => {
                tracing::debug!(code = self.code, error = %e, "demo step stopped");
                self.report.stopped += 1;
                false
            }
        }
    }

    async fn rate(&mut self, key: &str, level: &str, after: i64) -> bool {
        let at = self.t + after;
        if at >= self.now {
            return false;
        }
        match self
            .workflow
            .rate(self.code, Some(key), None, level, "demo", at)
            .await
        {
            Ok(_) => {
                self.t = at;
                self.report.actions += 1;
                true
            }
            Err(_) => false,
        }
    }

    fn hours(&mut self, from: f64, to: f64) -> i64 {
        ((from + (to - from) * self.dice.unit()) * HOUR as f64) as i64
    }

    /// Walks the path; returns whether the case ended open (a merge target for later cases).
    #[allow(clippy::too_many_arguments)]
    async fn walk(
        &mut self,
        path: Path,
        staff: &Staff,
        street: &str,
        limit: TimeLimit,
        calendar: &domain::calendar::WorkCalendar,
        open_codes: &[String],
        key: &str,
    ) -> bool {
        let op = staff.operator;
        let delay = self.hours(0.3, 5.0);
        match path {
            Path::StaysReported => return true,
            Path::Rejected => {
                let reason = *self.dice.pick(reply_templates(CaseAction::Reject));
                self.step(op, delay, act("reject", reason, "")).await;
                return false;
            }
            Path::Merged => {
                if let Some(target) = open_codes.last() {
                    let mut merge = act("merge", "", "");
                    merge.merge_into = target.clone();
                    if self.step(op, delay, merge).await {
                        return false;
                    }
                }
                return true;
            }
            _ => {}
        }
        if !self.step(op, delay, act("register", "", "")).await
            || path == Path::StaysRegistered
            || !self.dispatch(path, staff).await
        {
            return true;
        }
        let dispatched_at = self.t;
        let dept = self.department_of().await;
        let Some(&worker) = staff.departments.get(&dept) else {
            return true;
        };
        let Ok(deadline) = calendar.deadline(dispatched_at, limit) else {
            return true;
        };
        let span = (deadline - dispatched_at).max(HOUR);
        if path == Path::OnHold {
            let review = Date::of_china_time(self.t + (30 + self.dice.below(60) as i64) * DAY);
            let mut shelve = act("shelve", "", "需纳入年度改造计划");
            shelve.until = review.to_string();
            let wait = self.hours(2.0, 48.0);
            self.step(op, wait, shelve).await;
            return true;
        }
        self.ask_more_time(path, op, worker, deadline, span).await;
        if path == Path::InProgress {
            return true;
        }
        let inspector = staff.inspectors.get(street).copied();
        self.finish(path, worker, inspector, dispatched_at, span, key)
            .await
    }

    /// Dispatches the case (via a department that sends it back first, on that path); false
    /// when a step did not happen.
    async fn dispatch(&mut self, path: Path, staff: &Staff) -> bool {
        let op = staff.operator;
        let mut dispatch_delay = self.hours(0.2, 3.0);
        if path == Path::ReturnedThenClosed {
            let fallback = "JDBSC";
            if !self.step(op, dispatch_delay, act("dispatch", "", "")).await {
                return false;
            }
            let dept = self.department_of().await;
            let Some(&worker) = staff.departments.get(&dept) else {
                return false;
            };
            let back = self.hours(1.0, 8.0);
            if !self
                .step(worker, back, act("return", "", "不属于本部门职责，请改派"))
                .await
            {
                return false;
            }
            let mut redispatch = act("dispatch", "", "原部门退回，改派街道办事处");
            redispatch.department = if dept == fallback { "CGZF" } else { fallback }.into();
            dispatch_delay = self.hours(0.5, 4.0);
            if !self.step(op, dispatch_delay, redispatch).await {
                return false;
            }
        } else if !self.step(op, dispatch_delay, act("dispatch", "", "")).await {
            return false;
        }
        true
    }

    /// Some departments ask for more time (most get it).
    async fn ask_more_time(&mut self, path: Path, op: i64, worker: i64, deadline: i64, span: i64) {
        if self.dice.below(100) < 10 {
            let mut ask = act("request_extension", "", "需协调相关单位，申请延期");
            ask.until = Date::of_china_time(deadline + 3 * DAY).to_string();
            if self.step(worker, span / 2, ask).await {
                if path == Path::InProgress {
                    return;
                }
                let decision = if self.dice.below(4) == 0 {
                    act("deny_extension", "", "请按原期限办理")
                } else {
                    act("grant_extension", "", "")
                };
                let wait = self.hours(0.5, 6.0);
                self.step(op, wait, decision).await;
            }
        }
    }

    /// The result, the inspector's check (failed once now and then) and the reporter's rating;
    /// returns whether the case ended open.
    async fn finish(
        &mut self,
        path: Path,
        worker: i64,
        inspector: Option<i64>,
        dispatched_at: i64,
        span: i64,
        key: &str,
    ) -> bool {
        // Most finish in time; some are late.
        let handling = (span as f64 * (0.2 + 1.1 * self.dice.unit())) as i64;
        let handled_at = (dispatched_at + handling).max(self.t + HOUR);
        if !self
            .step(worker, handled_at - self.t, act("record_result", "", ""))
            .await
        {
            return true;
        }
        if path == Path::Handled {
            return true;
        }
        let Some(inspector) = inspector else {
            return true;
        };
        if self.dice.below(100) < 12 {
            let check = self.hours(1.0, 24.0);
            if !self
                .step(inspector, check, act("fail", "", "现场复核仍未整改到位"))
                .await
            {
                return true;
            }
            let redo = self.hours(4.0, 48.0);
            if !self.step(worker, redo, act("record_result", "", "")).await {
                return true;
            }
        }
        let check = self.hours(1.0, 24.0);
        if !self.step(inspector, check, act("pass", "", "")).await {
            return true;
        }
        // Most reporters rate; a few are unhappy, which sends the case back once.
        if self.dice.below(100) < 65 {
            let level = match self.dice.below(100) {
                0..=59 => "satisfied",
                60..=84 => "basic",
                _ => "unsatisfied",
            };
            let after = self.hours(2.0, 72.0);
            if self.rate(key, level, after).await && level == "unsatisfied" {
                let recheck = self.hours(4.0, 48.0);
                if self.step(inspector, recheck, act("pass", "", "")).await {
                    let again = self.hours(2.0, 48.0);
                    self.rate(key, "basic", again).await;
                }
            }
        }
        false
    }

    /// The department the case is with now.
    async fn department_of(&self) -> String {
        self.workflow
            .department_of(self.code)
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }
}

fn act(action: &str, reply: &str, note: &str) -> StaffInput {
    StaffInput {
        action: action.into(),
        public_reply: reply.into(),
        internal_note: note.into(),
        ..Default::default()
    }
}

async fn grid_cells(store: &Store) -> Result<Vec<Cell>, StoreError> {
    sqlx::query(
        "SELECT code, min_lat, min_lng, max_lat, max_lng FROM territories WHERE level = 'grid' ORDER BY code",
    )
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Cell {
            code: r.try_get("code")?,
            bbox: (
                r.try_get("min_lat")?,
                r.try_get("min_lng")?,
                r.try_get("max_lat")?,
                r.try_get("max_lng")?,
            ),
        })
    })
    .collect::<Result<_, StoreError>>()
}

/// The sub-categories demo cases use. 两违 (S01) stays empty: the browser tests use it as the
/// category without cases.
async fn demo_categories(store: &Store) -> Result<Vec<(String, TimeLimit)>, StoreError> {
    sqlx::query(
        "SELECT code, time_limit_amount, time_limit_unit FROM categories \
         WHERE parent_code IS NOT NULL AND code NOT LIKE 'S01%' ORDER BY code",
    )
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| {
        let amount: i64 = r.try_get("time_limit_amount")?;
        let unit: String = r.try_get("time_limit_unit")?;
        let limit = TimeLimit::parse(&format!("{amount}{unit}"))
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((r.try_get("code")?, limit))
    })
    .collect::<Result<_, StoreError>>()
}
