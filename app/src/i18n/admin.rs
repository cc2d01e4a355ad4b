//! UI text of the admin capability (`app/src/admin/`: people and roles, the audit log, the
//! calendar, Open311 keys).
//! Joined with the other tables into the one `Msg` enum by `messages!` in `mod.rs`.

/// Appends these keys to the table it is given and passes it on to the next macro in the list.
macro_rules! admin_messages {
    ([$next:ident $(, $rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest),*] $($acc)*
            AdminPeople => "人员", "People";
            AdminSearch => "按手机号或姓名查找", "Find by phone number or name";
            AdminRole => "角色", "Role";
            AdminScope => "范围（区划代码或部门代码；留空为全市）", "Scope (area or department code; empty for city-wide)";
            AdminGrant => "授予", "Grant";
            AdminRevoke => "撤销", "Revoke";
            AdminAudit => "审计日志", "Audit log";
            AdminAuditFilter => "按操作或对象筛选", "Filter by action or target";
            AdminWhen => "时间", "When";
            AdminWho => "操作人", "Who";
            AdminWhat => "操作", "What";
            AdminTarget => "对象", "Target";
            AdminDetails => "详情", "Details";
            AdminWhere => "来源地址", "From";
            AdminForbidden => "只有管理员可以打开这一页。", "Only administrators may open this page.";
            KeysLink => "Open311 接口密钥", "Open311 API keys";
            KeysTitle => "Open311 接口密钥", "Open311 API keys";
            KeysLead => "其他系统（如 12345 热线、数字城管平台）用密钥通过 Open311 提交问题。每个密钥属于一个单位；签发和吊销都记入审计日志。", "Other systems (a 12345 hotline, a city-management platform) file reports through Open311 with a key. Each key belongs to one organisation; issuing and revoking are audited.";
            KeysOrganisation => "单位名称", "Organisation";
            KeysIssue => "签发密钥", "Issue a key";
            KeysIssued => "已为“{org}”签发密钥。请现在复制，它只显示这一次：", "A key was issued to “{org}”. Copy it now; it is shown only this once:";
            KeysRevoke => "吊销", "Revoke";
            KeysRevoked => "密钥已吊销，使用它的请求将被拒绝。", "The key was revoked; requests with it are refused.";
            KeysBadOrganisation => "请填写单位名称（1–80 字）。", "Give the organisation's name (1 to 80 characters).";
            KeysMissing => "没有这个有效的密钥。", "No such live key.";
            KeysRow => "{org} · {prefix}… · {when} · 已提交 {n} 件", "{org} · {prefix}… · {when} · {n} cases filed";
            KeysRevokedMark => "已吊销", "revoked";
            KeysNone => "还没有签发密钥。", "No keys issued yet.";
            AdminGranted => "已授予，并记入审计日志。", "Granted and recorded in the audit log.";
            AdminRevoked => "已撤销，并记入审计日志。", "Revoked and recorded in the audit log.";
            AdminBadRole => "未知的角色。", "Unknown role.";
            AdminNoScope => "没有这个区划或部门。", "No such area or department.";
            AdminScopeMismatch => "这个角色不能授予在这个范围上（例如街长只能是街道、社区或网格）。", "That role cannot be held on that scope (a street chief, for example, only on a street, community or grid).";
            AdminMissing => "没有找到这个人或这项授权。", "That person or grant was not found.";
            CalHeading => "工作日历", "Working-day calendar";
            CalLead => "每年国务院办公厅公布节假日安排后，上传当年的日历文件（每行 year / holiday / workday，格式见 domain/calendar/2026.txt）。处理期限按它计算。", "When the State Council publishes the next year's holidays, upload that year's calendar file (lines of year / holiday / workday, as in domain/calendar/2026.txt). Deadlines are counted on it.";
            CalFile => "日历文件（UTF-8 文本）", "Calendar file (UTF-8 text)";
            CalUpload => "上传", "Upload";
            CalDone => "{year} 年工作日历已更新，并记入审计日志。", "The {year} calendar is updated and recorded in the audit log.";
            CalRefused => "文件有误，未作任何更改：", "The file has problems; nothing was changed:";
            CalLine => "第 {line} 行：{problem}", "Line {line}: {problem}";
            CalNoYear => "文件缺少 year 行（例如 year 2027）。", "The file has no year line (e.g. year 2027).";
            CalNotUtf8 => "文件不是 UTF-8 文本。", "The file is not UTF-8 text.";
            CalBadYear => "year 后应为 2000–2100 之间的年份。", "year needs a year between 2000 and 2100.";
            CalSecondYear => "重复的 year 行。", "A second year line.";
            CalNeedsDate => "需要日期，例如 2027-10-01。", "Needs a date like 2027-10-01.";
            CalRangeBackwards => "日期范围的结束早于开始。", "The range ends before it starts.";
            CalRangeTooLong => "日期范围超过一个月。", "The range is longer than a month.";
            CalUnknownKind => "无法识别的行（应为 year、holiday 或 workday）。", "Unknown line (use year, holiday or workday).";
            CalNotInYear => "{date} 不在文件所写的年份内。", "{date} is not in the file's year.";
            CalWeekdayAsWorkday => "{date} 本来就是工作日；调休上班日应是周末。", "{date} is a weekday already; make-up working days are weekend days.";
            CalListedTwice => "{date} 重复出现。", "{date} is listed twice.";
        }
    };
}
