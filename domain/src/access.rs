//! Who may do what, where. Every role is bound to a scope (the city, a territory, or a department),
//! and every authorisation question is answered by [`decide`], here and nowhere else.

use crate::territory::{TerritoryCode, TerritoryLevel};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// 居民: anyone signed in.
    Resident,
    /// 业主: verified owner of a unit in a community.
    Owner,
    /// 督导员: waste-sorting volunteer in a community.
    Volunteer,
    /// 共建理事会成员: community council member.
    Council,
    /// 受理员/派遣员: city-wide or for one district.
    Operator,
    /// 处置部门人员: staff of one department.
    Department,
    /// 监督员: inspector of a street or a grid.
    Inspector,
    /// 一级街长: chief of a street (街道).
    Chief1,
    /// 二级街长: chief of a community (社区).
    Chief2,
    /// 三级街长: chief of a grid cell (网格).
    Chief3,
    Admin,
}

impl Role {
    pub const ALL: [Role; 11] = [
        Role::Resident,
        Role::Owner,
        Role::Volunteer,
        Role::Council,
        Role::Operator,
        Role::Department,
        Role::Inspector,
        Role::Chief1,
        Role::Chief2,
        Role::Chief3,
        Role::Admin,
    ];

    /// The name stored in `role_grants.role`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Owner => "owner",
            Role::Volunteer => "volunteer",
            Role::Council => "council",
            Role::Operator => "operator",
            Role::Department => "department",
            Role::Inspector => "inspector",
            Role::Chief1 => "chief1",
            Role::Chief2 => "chief2",
            Role::Chief3 => "chief3",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Role, AccessError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| AccessError::UnknownRole(s.to_owned()))
    }

    /// City staff see the staff area; residents, owners, volunteers and councils do not.
    pub const fn is_staff(self) -> bool {
        matches!(
            self,
            Role::Operator
                | Role::Department
                | Role::Inspector
                | Role::Chief1
                | Role::Chief2
                | Role::Chief3
                | Role::Admin
        )
    }

    /// The scopes this role can be granted on.
    fn fits(self, scope: &Scope) -> bool {
        use TerritoryLevel::*;
        let level = match scope {
            Scope::Territory(t) => Some(t.level()),
            _ => None,
        };
        match self {
            Role::Resident | Role::Admin => matches!(scope, Scope::City),
            Role::Owner | Role::Volunteer | Role::Council | Role::Chief2 => {
                level == Some(Community)
            }
            Role::Operator => matches!(scope, Scope::City) || level == Some(District),
            Role::Department => matches!(scope, Scope::Department(_)),
            Role::Inspector => matches!(level, Some(Street | Grid)),
            Role::Chief1 => level == Some(Street),
            Role::Chief3 => level == Some(Grid),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A department's code, e.g. `CGZF` (城市管理行政执法局).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DepartmentCode(String);

impl DepartmentCode {
    pub fn parse(s: &str) -> Result<DepartmentCode, AccessError> {
        let ok = (2..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase());
        if ok {
            Ok(DepartmentCode(s.to_owned()))
        } else {
            Err(AccessError::BadDepartment(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a role applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    City,
    Territory(TerritoryCode),
    Department(DepartmentCode),
}

impl Scope {
    /// Whether acting within this scope reaches `target`.
    pub fn covers(&self, target: &Target) -> bool {
        match (self, target) {
            (Scope::City, _) => true,
            (_, Target::City) => false,
            (Scope::Territory(mine), Target::Territory(t)) => t.is_within(mine),
            (Scope::Department(mine), Target::Department(d)) => mine == d,
            _ => false,
        }
    }
}

/// What an action is about: the whole city, a place, or a department's work.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    City,
    Territory(TerritoryCode),
    Department(DepartmentCode),
}

/// A role held on a scope. Built only through [`Grant::new`], so a grant always makes sense.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    role: Role,
    scope: Scope,
}

impl Grant {
    pub fn new(role: Role, scope: Scope) -> Result<Grant, AccessError> {
        if role.fits(&scope) {
            Ok(Grant { role, scope })
        } else {
            Err(AccessError::ScopeMismatch {
                role,
                scope: format!("{scope:?}"),
            })
        }
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("unknown role {0:?}")]
    UnknownRole(String),
    #[error("department codes are 2 to 8 capital letters, got {0:?}")]
    BadDepartment(String),
    #[error("the role {role} cannot be granted on {scope}")]
    ScopeMismatch { role: Role, scope: String },
}

/// Operations that need permission. Each later capability adds its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Enter the staff console.
    EnterStaffArea,
    /// Find people by phone or name.
    SearchPeople,
    GrantRole,
    RevokeRole,
    ReadAuditLog,
    /// Hide a case's photo or edit its public description (the original is kept).
    ModerateCase,
    /// 受理/立案/派遣/延期审批/挂账: the operator's workflow actions, in their district.
    OperateCase,
    /// Record a result, ask for an extension, return: a department's actions on its own cases.
    HandleCase,
    /// 核查: an inspector's check, in their street or grid.
    InspectCase,
    /// See every case of a territory in the staff console (street chiefs, and the staff above).
    WatchCases,
    /// 共谋: run a consultation of a community (create, move phases, import the roster, enter paper
    /// ballots, review comments, reply officially). The community's council does this.
    RunConsultation,
    /// A community's waste-sorting work (its council): record the monthly survey, mark issues fixed.
    ManageSorting,
    /// Issue and revoke the API keys other systems file reports with (Open311).
    ManageApiKeys,
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::EnterStaffArea,
        Action::SearchPeople,
        Action::GrantRole,
        Action::RevokeRole,
        Action::ReadAuditLog,
        Action::ModerateCase,
        Action::OperateCase,
        Action::HandleCase,
        Action::InspectCase,
        Action::WatchCases,
        Action::RunConsultation,
        Action::ManageSorting,
        Action::ManageApiKeys,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Signed in, but no grant allows this here.
    Deny,
    /// Not signed in: ask to sign in rather than refuse.
    SignInFirst,
}

/// The one place that answers "may this person do this here?". `grants` is `None` for someone who
/// is not signed in.
pub fn decide(grants: Option<&[Grant]>, action: Action, target: &Target) -> Decision {
    let Some(grants) = grants else {
        return Decision::SignInFirst;
    };
    let allowed = grants.iter().any(|g| {
        let role_may = match action {
            Action::EnterStaffArea => g.role.is_staff(),
            Action::SearchPeople
            | Action::GrantRole
            | Action::RevokeRole
            | Action::ReadAuditLog
            | Action::ManageApiKeys => g.role == Role::Admin,
            // Operators (受理员) read every incoming case, so they are the ones who moderate it.
            Action::ModerateCase => matches!(g.role, Role::Operator | Role::Admin),
            // Case work belongs to the city's case staff; admins manage people, not cases.
            Action::OperateCase => g.role == Role::Operator,
            Action::HandleCase => g.role == Role::Department,
            Action::InspectCase => g.role == Role::Inspector,
            Action::WatchCases => matches!(
                g.role,
                Role::Operator | Role::Inspector | Role::Chief1 | Role::Chief2 | Role::Chief3
            ),
            Action::RunConsultation | Action::ManageSorting => g.role == Role::Council,
        };
        role_may && (action == Action::EnterStaffArea || g.scope.covers(target))
    });
    if allowed {
        Decision::Allow
    } else {
        Decision::Deny
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(code: &str) -> TerritoryCode {
        TerritoryCode::parse(code).unwrap()
    }

    fn territory(code: &str) -> Scope {
        Scope::Territory(t(code))
    }

    /// One valid grant of every role.
    fn one_of_each() -> Vec<Grant> {
        let dept = Scope::Department(DepartmentCode::parse("CGZF").unwrap());
        [
            (Role::Resident, Scope::City),
            (Role::Owner, territory("350203001001")),
            (Role::Volunteer, territory("350203001001")),
            (Role::Council, territory("350203001001")),
            (Role::Operator, territory("350203")),
            (Role::Department, dept),
            (Role::Inspector, territory("350203001")),
            (Role::Chief1, territory("350203001")),
            (Role::Chief2, territory("350203001001")),
            (Role::Chief3, territory("35020300100101")),
            (Role::Admin, Scope::City),
        ]
        .into_iter()
        .map(|(r, s)| Grant::new(r, s).unwrap())
        .collect()
    }

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert!(Role::parse("mayor").is_err());
    }

    #[test]
    fn grants_must_fit_their_scope() {
        assert!(
            Grant::new(Role::Chief1, territory("350203")).is_err(),
            "street chief on a district"
        );
        assert!(
            Grant::new(Role::Chief3, territory("350203001001")).is_err(),
            "grid chief on a community"
        );
        assert!(Grant::new(Role::Council, Scope::City).is_err());
        assert!(Grant::new(Role::Admin, territory("350203")).is_err());
        assert!(Grant::new(Role::Department, Scope::City).is_err());
        assert!(
            Grant::new(Role::Operator, territory("350203001")).is_err(),
            "operator on a street"
        );
        assert!(Grant::new(Role::Operator, Scope::City).is_ok());
        assert!(Grant::new(Role::Inspector, territory("35020300100101")).is_ok());
        assert_eq!(one_of_each().len(), Role::ALL.len());
    }

    #[test]
    fn scopes_cover_their_own_territory_and_below_only() {
        let street = territory("350203001");
        assert!(street.covers(&Target::Territory(t("35020300100102"))));
        assert!(street.covers(&Target::Territory(t("350203001"))));
        assert!(
            !street.covers(&Target::Territory(t("350203002001"))),
            "sibling street"
        );
        assert!(
            !street.covers(&Target::Territory(t("350203"))),
            "parent district"
        );
        assert!(!street.covers(&Target::City));
        assert!(Scope::City.covers(&Target::Territory(t("350206"))));
        let dept = Scope::Department(DepartmentCode::parse("SZYL").unwrap());
        assert!(dept.covers(&Target::Department(DepartmentCode::parse("SZYL").unwrap())));
        assert!(!dept.covers(&Target::Department(DepartmentCode::parse("CGZF").unwrap())));
    }

    /// Every role (and nobody) against every action: the matrix the service layer relies on.
    #[test]
    fn the_whole_matrix() {
        let anywhere = Target::City;
        for action in Action::ALL {
            assert_eq!(
                decide(None, action, &anywhere),
                Decision::SignInFirst,
                "{action:?}"
            );
            for grant in one_of_each() {
                // Only city-wide grants reach a city-wide target; case work is never an admin's.
                let expected = match action {
                    Action::EnterStaffArea => grant.role().is_staff(),
                    Action::OperateCase
                    | Action::HandleCase
                    | Action::InspectCase
                    | Action::WatchCases
                    | Action::RunConsultation
                    | Action::ManageSorting => false,
                    _ => grant.role() == Role::Admin,
                };
                let got = decide(Some(std::slice::from_ref(&grant)), action, &anywhere);
                assert_eq!(
                    got == Decision::Allow,
                    expected,
                    "{:?} {action:?}",
                    grant.role()
                );
            }
        }
    }

    #[test]
    fn operators_moderate_cases_in_their_district_only() {
        let op = [Grant::new(Role::Operator, territory("350203")).unwrap()];
        let here = Target::Territory(t("35020300100101"));
        let elsewhere = Target::Territory(t("35020600100101"));
        assert_eq!(
            decide(Some(&op), Action::ModerateCase, &here),
            Decision::Allow
        );
        assert_eq!(
            decide(Some(&op), Action::ModerateCase, &elsewhere),
            Decision::Deny
        );
        let inspector = [Grant::new(Role::Inspector, territory("350203001")).unwrap()];
        assert_eq!(
            decide(Some(&inspector), Action::ModerateCase, &here),
            Decision::Deny
        );
    }

    #[test]
    fn case_work_follows_role_and_territory() {
        let here = Target::Territory(t("35020300100101"));
        let elsewhere = Target::Territory(t("35020600100101"));
        let cgzf = Target::Department(DepartmentCode::parse("CGZF").unwrap());
        let szyl = Target::Department(DepartmentCode::parse("SZYL").unwrap());
        let grants = one_of_each();
        let holders = |action: Action, target: &Target| -> Vec<Role> {
            grants
                .iter()
                .filter(|g| {
                    decide(Some(std::slice::from_ref(*g)), action, target) == Decision::Allow
                })
                .map(Grant::role)
                .collect()
        };
        assert_eq!(holders(Action::OperateCase, &here), [Role::Operator]);
        assert_eq!(holders(Action::OperateCase, &elsewhere), []);
        assert_eq!(holders(Action::HandleCase, &cgzf), [Role::Department]);
        assert_eq!(holders(Action::HandleCase, &szyl), []);
        assert_eq!(holders(Action::InspectCase, &here), [Role::Inspector]);
        assert_eq!(holders(Action::InspectCase, &elsewhere), []);
        assert_eq!(
            holders(Action::WatchCases, &here),
            [
                Role::Operator,
                Role::Inspector,
                Role::Chief1,
                Role::Chief2,
                Role::Chief3
            ]
        );
        assert_eq!(
            holders(Action::WatchCases, &Target::Territory(t("35020300100102"))),
            [Role::Operator, Role::Inspector, Role::Chief1, Role::Chief2],
            "a grid chief sees only their own grid"
        );
        assert_eq!(holders(Action::RunConsultation, &here), [Role::Council]);
        assert_eq!(holders(Action::RunConsultation, &elsewhere), []);
    }

    #[test]
    fn staff_roles_are_the_city_side() {
        let staff: Vec<Role> = Role::ALL.into_iter().filter(|r| r.is_staff()).collect();
        assert_eq!(
            staff,
            [
                Role::Operator,
                Role::Department,
                Role::Inspector,
                Role::Chief1,
                Role::Chief2,
                Role::Chief3,
                Role::Admin
            ]
        );
    }

    #[test]
    fn several_grants_combine() {
        let grants = [
            Grant::new(Role::Resident, Scope::City).unwrap(),
            Grant::new(Role::Chief3, territory("35020300100101")).unwrap(),
        ];
        assert_eq!(
            decide(Some(&grants), Action::EnterStaffArea, &Target::City),
            Decision::Allow
        );
        assert_eq!(
            decide(Some(&grants), Action::GrantRole, &Target::City),
            Decision::Deny
        );
        assert_eq!(
            decide(Some(&[]), Action::EnterStaffArea, &Target::City),
            Decision::Deny
        );
    }

    #[test]
    fn department_codes_are_validated() {
        assert!(DepartmentCode::parse("CGZF").is_ok());
        for bad in ["", "C", "cgzf", "CG ZF", "TOOLONGCODE", "CG1"] {
            assert!(DepartmentCode::parse(bad).is_err(), "{bad:?}");
        }
    }
}
