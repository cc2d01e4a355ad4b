//! UI text. Every string the UI shows is a `Msg` key with its zh-CN and English text side by side, so
//! a missing translation is a compile error rather than a blank on a resident's screen.
//! Placeholders look like `{n}` and are filled with [`fill`].

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    ZhCn,
    En,
}

impl Locale {
    pub const fn tag(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim() {
            "zh-CN" | "zh" | "zh-cn" => Some(Self::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Self::En),
            _ => None,
        }
    }

    pub const fn other(self) -> Locale {
        match self {
            Self::ZhCn => Self::En,
            Self::En => Self::ZhCn,
        }
    }
}

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            pub const fn text(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((Msg::$key, Locale::ZhCn) => $zh, (Msg::$key, Locale::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppName => "邻里", "Linli";
    AppTagline => "共同缔造 · 城市综合管理", "Building our city together";
    SkipToContent => "跳到正文", "Skip to content";
    LanguageSwitch => "English", "中文";
    LanguageSwitchLabel => "Switch to English", "切换到中文";
    LargeTextOn => "大字模式", "Large text";
    LargeTextOff => "标准字号", "Standard text";
    DisplaySettings => "显示设置", "Display settings";
    MainNav => "主导航", "Main navigation";
    NavReport => "报事", "Report";
    NavTrack => "进度", "Track";
    NavConsult => "共谋", "Consult";
    NavSorting => "分类", "Sorting";
    NavMe => "我的", "Me";
    Loading => "加载中…", "Loading…";
    LoadFailed => "暂时无法读取数据，请稍后再试。", "We can't load this right now. Please try again in a moment.";
    DemoDataNotice => "演示数据：区划形状为示意，并非真实边界。", "Demo data: territory shapes are illustrative, not real boundaries.";

    HomeTitle => "邻里 · 首页", "Linli · Home";
    HomeHeading => "共同缔造 美好家园", "A better neighbourhood, built together";
    HomeLead => "发现问题随手报，处理进度看得见，小区大事共商量。", "Report a problem in a minute, see who is on it, and decide together on your community's future.";
    HomeReportAction => "我要报事", "Report a problem";
    HomeMapAction => "查看网格地图", "Open the grid map";
    HomeCityHeading => "我们的城市", "Our city";
    StatDistricts => "个区", "districts";
    StatStreets => "个街道", "subdistricts";
    StatCommunities => "个社区", "communities";
    StatGrids => "个网格", "grid cells";
    StatCategories => "类问题", "problem types";
    StatDepartments => "个责任部门", "departments";
    HomeGridNote => "每个网格都有网格长、社区和街道三级街长负责。", "Every grid cell has three levels of street chiefs: grid, community and subdistrict.";

    MapTitle => "网格地图", "Grid map";
    MapHeading => "城市网格地图", "City grid map";
    MapLead => "全市共 {n} 个网格。点按网格可查看名称。", "{n} grid cells across the city. Tap a cell to see its name.";
    MapLabel => "城市网格地图", "Map of the city's grid cells";
    MapFallback => "地图加载中。如果地图没有出现，上方列表列出了全部区划。", "Loading the map. If it does not appear, the list above shows every district.";
    MapDistrictsHeading => "各区网格", "Grid cells by district";
    MapGridCount => "{n} 个网格", "{n} grid cells";

    ReportTitle => "报事", "Report a problem";
    ReportHeading => "报告一个问题", "Report a problem";
    ReportLead => "四步完成：位置、类别、描述、照片。每类问题都有明确的责任部门和处置时限。", "Four steps: place, kind, description, photos. Each kind of problem has a department responsible and a time limit.";
    ReportFixBelow => "还有几处需要修改，请看下面标红的提示。", "A few things need fixing; see the messages marked below.";
    ReportPhotosAgain => "为了安全，刚才选的照片没有保留，请重新添加。", "For your safety the photos you chose were not kept; please add them again.";
    ReportStepWhere => "1. 问题在哪里？", "1. Where is it?";
    ReportMapHint => "在地图上点一下问题所在的位置。", "Tap the map where the problem is.";
    ReportMapLabel => "选择位置的地图", "Map for choosing the place";
    ReportUseMyLocation => "使用我的位置", "Use my location";
    ReportLocating => "正在定位……", "Finding your position…";
    ReportLocateFailed => "无法获取位置，请在地图上点选或从列表选择。", "Your position is not available; tap the map or choose from the lists.";
    ReportPinNone => "还没有选择位置。", "No place chosen yet.";
    ReportPinSet => "已选位置：{lat}, {lng}", "Place chosen: {lat}, {lng}";
    ReportNoMap => "无法使用地图？从列表选择社区并填写地址", "Can't use the map? Choose the community and type the address";
    ReportCommunity => "所在社区", "Community";
    ReportCommunityNone => "（请选择）", "(choose one)";
    ReportAddress => "详细地址", "Address";
    ReportAddressHint => "如：中山路 12 号楼下、公园东门。", "For example: outside 12 Zhongshan Road, the park's east gate.";
    ReportStepWhat => "2. 是什么问题？", "2. What kind of problem?";
    ReportCategory => "问题类别", "Category";
    ReportCategoryNone => "（请选择类别）", "(choose a category)";
    ReportCategorySearch => "搜索类别", "Search categories";
    ReportCategorySearchHint => "输入关键词，如“井盖”“垃圾”。", "Type a word, such as \u{201c}manhole\u{201d} or \u{201c}rubbish\u{201d}.";
    ReportStepDescribe => "3. 说说情况", "3. Describe it";
    ReportDescription => "问题描述（5–4000 字）", "Description (5–4000 characters)";
    ReportStepPhotos => "4. 拍照（可选，最多 3 张）", "4. Photos (optional, up to 3)";
    ReportPhotos => "照片：JPEG、PNG 或 WebP，每张不超过 10 MB", "Photos: JPEG, PNG or WebP, up to 10 MB each";
    ReportPhotoPrivacy => "照片会重新压缩，拍摄地点等信息会被删除。", "Photos are re-encoded; where they were taken and other hidden data are removed.";
    ReportStepContact => "5. 联系方式（可选）", "5. Contact (optional)";
    ReportAnonymous => "匿名上报（不与我的账号关联）", "Report anonymously (not linked to my account)";
    ReportSignedOut => "你没有登录，本次上报为匿名；提交后请保存私密跟进链接。", "You are not signed in, so this report is anonymous; keep the private follow link you get.";
    ReportContactPhone => "回访电话", "Phone for follow-up";
    ReportContactHint => "只有处理人员能看到，不会公开。", "Only the staff handling it can see it; it is never public.";
    ReportSubmit => "提交", "Send report";
    ReportNearbyHeading => "附近已经有人报过吗？", "Already reported nearby?";
    ReportNearbyLead => "200 米内同类未办结的案件。打开案件点“我也遇到”，比重复上报更快。", "Open cases of the same kind within 200 m. Open one and press \u{201c}Me too\u{201d}: quicker than filing again.";
    ReportNearbyNone => "附近没有同类的未办结案件。", "No open case of this kind nearby.";
    ReportNearbyItem => "{code} · 约 {m} 米 · {n} 人也遇到", "{code} · about {m} m · {n} neighbours too";
    MeTooButton => "我也遇到", "Me too";
    ProblemNoLocation => "请在地图上选择位置，或从列表选择社区。", "Choose the place on the map, or pick the community from the list.";
    ProblemBadCoordinates => "位置坐标无效，请重新在地图上点选。", "The position is not valid; tap the map again.";
    ProblemOutsideCity => "这个位置不在本市的网格范围内（可能在海上或市外），请重新选择。", "That place is outside the city's grid (at sea or beyond the city); choose another.";
    ProblemUnknownCommunity => "没有找到这个社区，请从列表中选择。", "That community was not found; choose one from the list.";
    ProblemAddressMissing => "没有地图定位时，请填写详细地址。", "Without a map pin, please type the address.";
    ProblemAddressTooLong => "地址最多 200 字。", "The address can be at most 200 characters.";
    ProblemMissingCategory => "请选择问题类别。", "Choose a category.";
    ProblemUnknownCategory => "这个类别不存在，请从列表中选择。", "That category does not exist; choose one from the list.";
    ProblemDescriptionTooShort => "描述至少 5 个字。", "The description needs at least 5 characters.";
    ProblemDescriptionTooLong => "描述最多 4000 字。", "The description can be at most 4000 characters.";
    ProblemTooManyPhotos => "最多 3 张照片。", "At most 3 photos.";
    ProblemPhotoEmpty => "有一个照片文件是空的。", "One of the photo files is empty.";
    ProblemPhotoTooLarge => "每张照片不能超过 10 MB。", "Each photo must be 10 MB or smaller.";
    ProblemPhotoNotImage => "只接受 JPEG、PNG 或 WebP 图片。", "Only JPEG, PNG or WebP images are accepted.";
    ProblemPhotoHeic => "暂不支持 HEIC 格式。iPhone 可在“设置 > 相机 > 格式”选择“兼容性最佳”，或截图后上传。", "HEIC is not accepted. On an iPhone choose Settings > Camera > Formats > Most Compatible, or send a screenshot.";
    ProblemPhotoTooManyPixels => "照片尺寸过大，无法处理。", "The photo has too many pixels to process.";
    ProblemPhotoUnreadable => "照片文件已损坏，无法读取。", "The photo file is damaged and cannot be read.";
    ProblemPhotoBusy => "现在处理照片的人太多，请稍等片刻再提交，已填的内容都还在。", "Too many photos are being processed right now; send again in a moment — what you typed is kept.";
    ProblemBadContactPhone => "请填写 11 位中国大陆手机号，如 13800138000。", "Enter an 11-digit mainland mobile number, such as 13800138000.";
    CaseTitle => "案件 {code}", "Case {code}";
    CaseCreatedHeading => "已提交！你的案件编号", "Sent! Your tracking code";
    CasePrivateLink => "私密跟进链接（请保存，不要分享）：", "Private follow link (keep it, do not share it):";
    CasePhotoGps => "照片记录的拍摄位置：{lat}, {lng}。", "Your photo says it was taken at {lat}, {lng}.";
    CaseCategory => "类别", "Category";
    CaseDepartment => "责任部门", "Department responsible";
    CaseTimeLimit => "处置时限（立案后起算）", "Time limit (from registration)";
    CaseDeadline => "处置期限", "Deadline";
    CaseNoDeadline => "立案后确定", "Set when the case is registered";
    CasePlace => "位置", "Place";
    CaseCommunityOnly => "（居民从列表选择，仅精确到社区）", "(chosen from the lists: accurate to the community only)";
    CaseApprox => "地图位置约 100 米精度", "Map position accurate to about 100 m";
    CaseDescription => "描述", "Description";
    CasePhotos => "照片", "Photos";
    CasePhotoAlt => "居民上传的现场照片 {n}", "Photo {n} from the resident";
    CaseTimeline => "办理进度", "Progress";
    CaseFollowers => "{n} 人关注", "{n} following";
    CaseMeToo => "{n} 人也遇到", "{n} neighbours have this too";
    CaseJoined => "已记录：你也遇到了这个问题。", "Noted: you have this problem too.";
    CaseJoinClosed => "这个案件已办结，如问题仍在请重新上报。", "This case is closed; if the problem is back, please report it again.";
    CaseYours => "仅你可见", "Only you can see this";
    CaseYourPhone => "回访电话：{phone}", "Follow-up phone: {phone}";
    CaseYourText => "你提交的原文", "What you wrote";
    CaseAnonymous => "匿名上报", "Reported anonymously";
    CaseNotFound => "没有找到这个案件编号，请核对后再试。", "No case has this tracking code; check it and try again.";
    CaseMalformed => "案件编号的格式是 XM-2026-000123。", "A tracking code looks like XM-2026-000123.";
    CaseLimited => "查询太频繁，请 {n} 秒后再试。", "Too many lookups; try again in {n} s.";
    StageNameReported => "上报", "Reported";
    StageNameRegistered => "立案", "Registered";
    StageNameDispatched => "派遣", "Dispatched";
    StageNameHandled => "处置", "Handled";
    StageNameVerified => "核查", "Verified";
    StageNameClosed => "结案", "Closed";
    FilterAllCategories => "全部类别", "All categories";
    FilterWholeClass => "整类", "whole class";
    FilterState => "状态", "State";
    FilterOpen => "办理中", "Open";
    FilterClosed => "已办结", "Closed";
    FilterAll => "全部", "All";
    FilterApply => "筛选", "Filter";
    ListInView => "地图范围内的案件", "Cases in the map view";
    ListCity => "全市最新案件", "Latest cases in the city";
    ListEmpty => "没有符合条件的案件。", "No cases match.";
    ListMore => "更多", "More";
    ModHeading => "受理员操作", "Operator tools";
    ModHidePhoto => "隐藏照片 {n}", "Hide photo {n}";
    ModShowPhoto => "恢复显示照片 {n}", "Show photo {n} again";
    ModHideComment => "隐藏这条补充说明", "Hide this follow-up";
    ModShowComment => "恢复显示补充说明 #{n}", "Show follow-up #{n} again";
    IssueHidePhotos => "隐藏照片", "Hide photos";
    IssueShowPhotos => "恢复显示照片", "Show photos again";
    ModPublicText => "公开描述（原文会保留在审计记录中）", "Public description (the original stays in the audit log)";
    ModSaveText => "保存公开描述", "Save public description";
    ModRestoreText => "恢复居民原文", "Restore the resident's text";
    ModDone => "已保存，并记入审计日志。", "Saved and recorded in the audit log.";
    FollowHeading => "关注", "Follow";
    FollowCase => "关注这个案件", "Follow this case";
    UnfollowCase => "取消关注案件", "Stop following this case";
    FollowArea => "关注本社区的新案件", "Follow new cases in this community";
    UnfollowArea => "取消关注本社区", "Stop following this community";
    FollowSignIn => "登录后可以关注案件和社区", "Sign in to follow cases and communities";
    FeedCase => "订阅本案件（Atom）", "Subscribe to this case (Atom)";
    FeedArea => "订阅本社区（Atom）", "Subscribe to this community (Atom)";
    MeReported => "我上报的", "My reports";
    MeFollowing => "我关注的", "Cases I follow";
    MeAreas => "我关注的区域", "Areas I follow";
    MeNothingYet => "还没有。", "None yet.";
    DraftSaved => "没有网络：这份报事已保存在手机上，联网后会自动发送。", "No network: this report is kept on your phone and will be sent when you are back online.";
    DraftSent => "已联网，保存在手机上的记录已发送：", "Back online. What was kept on your phone was sent:";
    DraftRefused => "有一份保存的报事没有被接受（可能位置不在本市），请重新填写。", "A saved report was not accepted (perhaps the place is outside the city); please fill it in again.";
    DraftFailed => "无法在手机上保存，请联网后再提交。", "It could not be kept on this phone; please send it when you are online.";
    DraftUnsent => "网络不稳定，报事没有发出去：已保存在手机上，网络恢复后会自动发送。", "The network failed while sending: the report is kept on this phone and will be sent when the network is back.";
    DraftSentShift => "值守记录", "shift log";
    MeDataHeading => "我的个人信息", "My personal data";
    MeExport => "下载我的全部数据（JSON）", "Download all my data (JSON)";
    MeDeleteConfirm => "我确认注销账号：手机号、关注和会话会被删除；我报过的事会保留为匿名案件。", "I want to delete my account: my phone number, follows and sessions are erased; cases I reported stay as anonymous case records.";
    MeDelete => "注销账号", "Delete my account";
    AdminTitle => "人员与权限", "People and roles";
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
    OpenDataLink => "开放数据与接口", "Open data and APIs";
    OpenDataTitle => "开放数据与接口", "Open data and APIs";
    OpenDataLead => "案件数据可自由下载和转用，按 {licence} 许可发布，请注明来源“邻里”。数据已去标识化：不含任何上报人信息，位置取整到约 100 米。", "Case data is free to download and reuse under {licence}; credit “Linli”. It is de-identified: nothing about who reported, positions rounded to about 100 m.";
    OpenDataCases => "案件数据（按上报日期）", "Cases (by date reported)";
    OpenDataFrom => "开始日期", "From";
    OpenDataTo => "结束日期", "To";
    OpenDataDefault => "不填日期即为最近一年。", "Without dates: the last year.";
    OpenDataCsv => "下载 CSV", "Download CSV";
    OpenDataGeoJson => "下载 GeoJSON", "Download GeoJSON";
    OpenDataConsultations => "共谋征询结果（按公示日期，每个选项一行）", "Consultation results (by publication date, a line per option)";
    OpenDataSorting => "垃圾分类数据（每个社区每月的户数、投放数和调查数，最多 24 个月）", "Waste sorting (each community's monthly counts behind the rates; up to 24 months)";
    OpenDataApi => "REST 接口 /api/v1（OpenAPI 3.1 文档与在线说明）", "REST API /api/v1 (OpenAPI 3.1 document and browsable docs)";
    OpenDataOpen311 => "Open311 GeoReport v2 接口（XML 与 JSON，其他系统可读取和提交问题）", "Open311 GeoReport v2 (XML and JSON; other systems read and file reports)";
    OpenDataFeeds => "订阅：每个区、街道、社区都有 Atom 订阅，地址形如", "Feeds: every district, street and community has an Atom feed, at";
    StaffSourceWeb => "来源：居民网上上报", "Source: a resident's report on the portal";
    StaffSourceShift => "来源：督导员值守问题，由社区转交", "Source: a volunteer's shift issue, handed over by the community";
    StaffSourceOpen311 => "来源：Open311 接口（{org}）", "Source: Open311 ({org})";
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
    ProblemCommentEmpty => "请写下要补充的内容。", "Write what you want to add.";
    ProblemCommentTooLong => "补充说明最多 1000 字。", "A follow-up can be at most 1000 characters.";
    ProblemNotTheReporter => "只有上报人可以补充（请用私密跟进链接或登录）。", "Only the reporter can add to a case (use the private follow link, or sign in).";
    ProblemAnswerMissing => "请回答标有“必答”的问题。", "Please answer the questions marked “required”.";
    ProblemAnswerInvalid => "有一个回答不在可选范围内，请重新选择。", "One answer is not among the choices; please choose again.";
    ReportQuestionsHeading => "再回答几个问题，帮助部门判断轻重缓急", "A few more questions help the department judge how urgent it is";
    ReportQuestionRequired => "必答", "required";
    ReportQuestionUnanswered => "这个问题还没有回答。", "This question is not answered yet.";
    CommentsHeading => "上报人补充", "Follow-ups from the reporter";
    CommentAdd => "补充说明或照片", "Add a note or a photo";
    CommentText => "补充内容（1–1000 字）", "Your note (1–1000 characters)";
    CommentPhoto => "照片（可选）", "Photo (optional)";
    CommentSend => "发送补充", "Send";
    CommentAdded => "补充已发送。", "Your follow-up was added.";
    ReportUsePhotoPlace => "照片记录了拍摄位置（{lat}, {lng}），点此把位置设在那里", "The photo says where it was taken ({lat}, {lng}): put the pin there";
    CaseMapLabel => "案件大致位置的小地图", "Small map of the case's approximate place";
    TrackLookupLabel => "案件编号", "Tracking code";
    TrackLookupButton => "查询", "Look up";
    KindEvent => "事件", "Events";
    KindComponent => "部件（城市设施）", "City facilities";
    Department => "责任部门", "Department";
    TimeLimit => "处置时限", "Time limit";
    LimitWorkHours => "{n} 个工作时", "{n} working hours";
    LimitWorkDays => "{n} 个工作日", "{n} working days";
    LimitNaturalDays => "{n} 个自然日", "{n} calendar days";

    TrackTitle => "进度", "Track a case";
    TrackHeading => "每件事都有回音", "Every report gets an answer";
    TrackLead => "案件按数字城管流程办理，每一步都会公开时间和责任人。", "Cases follow the city's digital management workflow; every step is shown with its time and who is responsible.";
    StageReported => "上报：你提交问题，获得案件编号。", "Reported: you send the problem and get a tracking code.";
    StageRegistered => "受理：受理员核实并立案，或说明不予立案的理由。", "Registered: an operator checks it and opens a case, or explains why not.";
    StageDispatched => "派遣：派给责任部门，并给出处置期限。", "Dispatched: sent to the department responsible, with a deadline.";
    StageHandled => "处置：部门处理并上传结果照片。", "Handled: the department fixes it and adds photos of the result.";
    StageVerified => "核查：监督员到现场核查，不合格则返工。", "Verified: an inspector checks on site; if it is not fixed, it goes back.";
    StageClosed => "结案：案件办结。", "Closed: the case is done.";
    StageRated => "评价：你来评价处理结果。", "Rated: you rate the result.";

    ConsultTitle => "共谋", "Consult";
    ConsultHeading => "小区的事大家商量", "Deciding together";
    ConsultLead => "老旧小区改造（加装电梯、停车、绿化、外立面、管网）由社区共建理事会发起征求意见和业主表决。", "Old-community renovation (lifts, parking, greenery, facades, pipes) is put to residents by the community council, and owners vote.";
    ConsultRuleHeading => "表决规则（民法典第二百七十八条）", "Voting rule (Civil Code, art. 278)";
    ConsultRuleQuorum => "参与表决的业主须占专有部分面积三分之二以上，且占业主人数三分之二以上。", "Owners taking part must hold at least two thirds of the private floor area and be at least two thirds of all owners.";
    ConsultRuleMajor => "筹集维修资金、改建重建、改变共有部分用途等重大事项：须经参与表决专有面积四分之三以上且参与人数四分之三以上同意。", "Major matters (maintenance funds, rebuilding, changing the use of common parts) need at least three quarters of the voting area and of the voting owners.";
    ConsultRuleOther => "其他事项：须经参与表决专有面积过半数且参与人数过半数同意。", "Other matters need more than half of the voting area and of the voting owners.";
    ConsultNew => "发起征询", "New consultation";
    ConsultNone => "暂无征询。", "No consultations yet.";
    ConsultVoteDates => "表决 {from} 至 {until}", "Vote {from} to {until}";
    ConsultMissing => "没有这个征询", "No such consultation";
    ConsultBack => "← 全部征询", "← All consultations";
    CouncilTools => "理事会工作台", "Council tools";
    CouncilNoRoster => "本社区还没有业主名册，业主无法核验和投票。", "This community has no owner roster yet: owners cannot be verified or vote.";
    PhaseDraft => "草案", "Draft";
    PhaseComment => "征求意见", "Comments";
    PhaseVote => "表决中", "Voting";
    PhaseClosed => "表决结束", "Vote closed";
    PhasePublished => "结果公示", "Result published";
    PhaseFollowUp => "实施跟进", "Implementation";
    PhasesHeading => "进程", "Phases";
    PhaseLogEntry => "{at} 理事会将进程推进到「{phase}」", "{at}: the council moved this to “{phase}”";
    StanceSupport => "支持", "Support";
    StanceOppose => "反对", "Oppose";
    StanceNeutral => "中立", "Neutral";
    UnitLabel => "{b}栋{s}单元{u}", "Bldg {b}, stair {s}, unit {u}";
    ScopeCommunity => "全体业主", "Whole community";
    ScopeBuildings => "楼栋：{list}", "Buildings: {list}";
    ScopeStairwell => "{b}栋{s}单元（本梯业主）", "Building {b}, stairwell {s} (its owners)";
    ScopeCommunityChoice => "全体业主", "The whole community";
    ScopeBuildingsChoice => "指定楼栋", "Chosen buildings";
    ScopeStairwellChoice => "一个单元（楼梯）", "One stairwell";
    ChoiceYes => "同意", "Yes";
    ChoiceNo => "不同意", "No";
    ChoiceAbstain => "弃权", "Abstain";
    ThresholdTwoThirds => "三分之二以上", "two thirds or more";
    ThresholdThreeQuarters => "四分之三以上", "three quarters or more";
    ThresholdHalf => "过半数", "more than half";
    Yes => "是", "yes";
    No => "否", "no";
    CpFix => "请修改以下内容：", "Please fix the following:";
    CpNotCouncil => "只有本社区共建理事会成员可以这样做。", "Only members of this community's council can do this.";
    CpNoSuchCommunity => "请选择你所在理事会的社区。", "Choose the community of your council.";
    CpTitleLength => "标题需 2 至 80 个字。", "The title needs 2 to 80 characters.";
    CpBodyLength => "请写说明（最多 5000 字）。", "Write a description (at most 5000 characters).";
    CpUnknownMatter => "请选择事项类型。", "Choose the type of matter.";
    CpNoBuildings => "请填写参与表决的楼栋，用逗号分隔。", "Name the buildings that vote, separated by commas.";
    CpNoStairwell => "请填写楼栋号和单元号。", "Give the building and the stairwell.";
    CpMatterNeedsStairwell => "加装电梯由本单元（楼梯）业主表决：请选择“一个单元”并填写楼栋和单元。", "An elevator retrofit is decided by the owners of its stairwell: choose “One stairwell” and give building and stairwell.";
    CpVoteBeforeComment => "表决开始日期不能早于征求意见开始日期。", "The vote cannot open before comments do.";
    CpCloseBeforeOpen => "表决截止日期不能早于表决开始日期。", "The vote cannot close before it opens.";
    CpBadDate => "请填写「{field}」（日期）。", "Give “{field}” as a date.";
    CpVoteEndsInPast => "表决截止日期已过，请选择以后的日期。", "The vote's closing date has passed: choose a later date.";
    CpOptionCount => "多选项征询需要 2 至 8 个选项，每行一个。", "A choice of options needs 2 to 8 options, one per line.";
    CpNotOwner => "你的手机号不在本社区业主名册中，无法投票。如有疑问请联系社区。", "Your phone number is not on this community's owner roster, so you cannot vote. Ask your community office.";
    CpOutsideScope => "你的房屋不在本次表决范围内。", "Your unit is outside this vote's scope.";
    CpVoteNotOpen => "表决尚未开始。", "The vote has not opened yet.";
    CpVoteClosed => "表决已结束，不能再投票。", "The vote has closed.";
    CpNoSuchOption => "请选择一个选项。", "Choose one of the options.";
    CpAlreadyVotedOnPaper => "你已通过纸质/上门表决票投票（编号 {ref}），每位业主只计一票，不能再在网上投票。", "You have already voted on paper (ballot {ref}); each owner counts once, so you cannot vote online too.";
    CpAlreadyVotedOnline => "该业主已在网上投票，不能再登记纸质票。", "This owner has already voted online; a paper ballot cannot be entered.";
    CpAlreadyEnteredOnPaper => "该业主的纸质票已登记（编号 {ref}）。", "This owner's paper ballot is already entered (ballot {ref}).";
    CpNoSuchUnit => "名册中没有这套房屋，请核对楼栋、单元和房号。", "No such unit on the roster: check building, stairwell and unit.";
    CpPaperRefMissing => "请填写纸质表决票编号（最多 40 字）。", "Give the paper ballot's number (at most 40 characters).";
    CpNotClosedYet => "表决结束后才能公示结果。", "The result can be published only after the vote closes.";
    CpAlreadyPublished => "结果已公示，不能更改。", "The result is published and cannot change.";
    CpNotPublished => "结果公示后才能开始实施跟进。", "Implementation follow-up starts after the result is published.";
    CpPhaseOrder => "进程只能按顺序向前推进。", "Phases move forward only, in order.";
    CpCommentLength => "意见需 2 至 1000 个字。", "A comment needs 2 to 1000 characters.";
    CpNoStance => "请选择支持、反对或中立。", "Choose support, oppose or neutral.";
    CpReplyTooDeep => "只能回复一级意见。", "Replies go one level deep.";
    CpNoSuchComment => "没有这条意见。", "No such comment.";
    CpCommentsClosed => "现在不在征求意见或表决期间，不能发表意见。", "Comments are open only during the comment and vote phases.";
    CpUpdateLength => "请写进展说明（2 至 5000 字）。", "Write the progress update (2 to 5000 characters).";
    CpCommentsTooFast => "发言太频繁，请 {seconds} 秒后再发表。", "Too many comments; post again in {seconds} s.";
    CpOwnComment => "不能举报自己的发言。", "You cannot report your own comment.";
    CpRosterFrozen => "这份名册会改动一项已开始表决、结果尚未公布的事项范围内的房屋（计票以名册为准），因此整份未导入。请在公布结果后再导入，或只导入范围以外的房屋。", "This roster would change flats inside the scope of a vote that has begun and whose result is not published (the tally is taken from the roster), so none of it was imported. Import it after the result is published, or only flats outside that scope.";
    RpLine => "第 {line} 行：{what}", "Line {line}: {what}";
    RpNotUtf8 => "文件不是 UTF-8 编码。请在表格软件中另存为“CSV UTF-8”。", "The file is not UTF-8. Save it as “CSV UTF-8” in your spreadsheet.";
    RpEmpty => "文件中没有房屋。", "The file has no units.";
    RpMissingColumn => "缺少列「{col}」", "the column “{col}” is missing";
    RpFieldCount => "应有 {expected} 列，实际 {found} 列", "{found} fields where the header has {expected}";
    RpEmptyField => "「{col}」为空", "“{col}” is empty";
    RpBadArea => "专有面积须为大于 0 的数字，最多两位小数", "the area must be a number above 0 with at most two decimals";
    RpBadPhone => "手机号「{value}」格式不对", "the phone “{value}” is not a mainland mobile number";
    RpBadFlag => "开发商未售应填“是”或“否”，而不是「{value}」", "developer-unsold must be yes or no, not “{value}”";
    RpDuplicateUnit => "房屋与第 {first} 行重复", "the unit repeats line {first}";
    RpUnquoted => "引号没有闭合", "a quote is not closed";
    RpTooManyRows => "文件过大，不像一个社区的名册", "the file is too large for one community's roster";
    RosterImport => "导入业主名册", "Import owner roster";
    RosterLead => "名册用于核验业主身份和计票。导入前会检查每一行，有任何错误则整份不导入；再次导入按房屋更新。", "The roster verifies owners and weighs votes. Every line is checked first and nothing is imported if any line is wrong; re-importing updates units in place.";
    RosterFile => "名册文件（CSV）", "Roster file (CSV)";
    RosterDone => "名册已导入：新增 {added} 套，更新 {updated} 套。", "Roster imported: {added} units added, {updated} updated.";
    RosterFormatHeading => "文件格式", "File format";
    RosterFormat => "第一行为表头：楼栋、单元、房号、业主姓名、手机号、专有面积（平方米，最多两位小数）、开发商未售（是/否）。一位业主有多套房时，每套一行、手机号相同；开发商未售房屋合计算一人。", "Header line: building, stairwell, unit, owner name, phone, exclusive area (m², at most two decimals), developer unsold (yes/no). An owner of several units has one line per unit with the same phone; the developer's unsold units count as one owner.";
    CfCommunity => "社区", "Community";
    CfTitle => "标题", "Title";
    CfBody => "说明（方案、费用估算、施工安排）", "Description (plan, cost estimate, works)";
    CfMatter => "事项类型（决定适用的表决规则）", "Type of matter (decides the voting rule)";
    CfScope => "表决范围", "Who votes";
    CfBuildings => "楼栋（逗号分隔）", "Buildings (comma-separated)";
    CfBuilding => "楼栋", "Building";
    CfStairwell => "单元", "Stairwell";
    CfQuestion => "表决方式", "Question";
    CfYesNo => "同意 / 不同意 / 弃权", "Yes / no / abstain";
    CfOptionsChoice => "多个方案选一", "Choose one of several options";
    CfOptions => "方案（每行一个）", "Options (one per line)";
    CfOpenVoting => "表决期间公开各选项票数（默认不公开）", "Show how people vote during the vote (secret by default)";
    CfCommentFrom => "征求意见开始日期", "Comments open on";
    CfVoteFrom => "表决开始日期", "Vote opens on";
    CfVoteUntil => "表决截止日期（当天 24 时）", "Vote closes after";
    CfCreate => "创建征询", "Create consultation";
    RatesHeading => "本社区 {month} 至今", "This community, {month} so far";
    RateParticipation => "参与率", "Participation";
    RateParticipationDef => "每个投放点每天取督导员记录的最多投放户数（不超过服务户数），除以有记录那些天的服务户数。", "Per point and day, the largest household count a volunteer logged (at most the households served), over the households served on the days with a log.";
    RateAccuracy => "准确率", "Accuracy";
    RateAccuracyDef => "督导员查看的投放中分类正确的比例。", "Correctly sorted drops among the drops volunteers inspected.";
    RateAwareness => "知晓率", "Awareness";
    RateAwarenessDef => "当月问卷中答对的户数比例；没有问卷的月份不计。", "Households who answered the month's survey correctly; none without a survey.";
    RateCoverage => "覆盖率", "Coverage";
    RateCoverageDef => "有督导员记录的投放时段占全部投放时段的比例：比例低时，上面的数字只代表少数时段。", "Drop-off windows with a volunteer logging, among all windows: when low, the figures above speak for few windows.";
    ShiftTitle => "督导员值守记录", "Volunteer shift log";
    ShiftSavedOffline => "没有网络：这班值守记录已保存在手机上，联网后会自动发送。", "No network: this shift is kept on the phone and will be sent when the network is back.";
    ShiftUnsent => "网络不稳定，值守记录没有发出去：已保存在手机上，网络恢复后会自动发送。", "The network failed while sending: the shift is kept on this phone and will be sent when the network is back.";
    TrendMissing => "没有这个社区", "No such community";
    TrendHeading => "{name}垃圾分类", "Waste sorting in {name}";
    TrendLink => "近 12 个月趋势、各类准确率和问题 →", "Twelve-month trend, accuracy per bin and issues →";
    TrendChart => "近 12 个月的参与率、准确率和知晓率", "Participation, accuracy and awareness over twelve months";
    TrendTable => "按月数字", "Figures by month";
    TrendMonth => "月份", "Month";
    TrendByBin => "本月各类准确率", "Accuracy per bin this month";
    TrendIssues => "最近发现的问题", "Latest issues";
    IssueFixed => "已处理", "Fixed";
    IssueOpen => "待处理", "Open";
    IssueMarkFixed => "标记为已处理", "Mark fixed";
    IssuePhotoAlt => "问题照片", "Photo of the issue";
    RankingTitle => "红黑榜", "Best and worst";
    RankingLead => "按参与率排名（相同时比准确率）。督导员记录覆盖的投放时段太少的社区不参与排名，以免少数几次记录代表整个社区。", "Ranked by participation (then accuracy). Communities whose drop-off windows were too seldom logged are not ranked, so a few shifts never speak for a whole community.";
    RankingArea => "街道或区", "Street or district";
    RankingCommunity => "社区", "Community";
    RankingRed => "红榜（前三）", "Best three";
    RankingBlack => "黑榜（后三）", "Bottom three";
    RankingAll => "全部排名", "Full ranking";
    RankingUnranked => "覆盖率不足 {min}% 未排名", "Not ranked: coverage below {min}%";
    RankingAreaFigure => "{name}：参与率 {p}，准确率 {a}", "{name}: participation {p}, accuracy {a}";
    RankingCity => "全市 {month}：参与率 {p}，准确率 {a}", "City, {month}: participation {p}, accuracy {a}";
    SurveyHeading => "登记本月知晓率问卷（理事会）", "Record this month's awareness survey (council)";
    SurveyMonth => "月份（如 2026-11）", "Month (e.g. 2026-11)";
    SurveyAsked => "受访户数", "Households asked";
    SurveyCorrect => "答对户数", "Households who answered correctly";
    SurveySave => "保存问卷结果", "Save the survey";
    SurveyDone => "问卷结果已保存。", "Survey saved.";
    SurveyRefused => "问卷未保存：受访户数须为正整数，答对户数不能超过受访户数，月份写作 2026-11。", "Not saved: households asked is a whole number above 0, correct answers cannot exceed it, and the month is written 2026-11.";
    ShiftLink => "督导员：记录值守 →", "Volunteers: log a shift →";
    ShiftSignIn => "督导员请先登录。", "Volunteers: please sign in.";
    ShiftNoPoints => "你还没有被安排到投放点。请联系社区。", "You are not assigned to a collection point yet. Ask your community office.";
    ShiftDone => "谢谢！本班记录已保存。", "Thank you! The shift is saved.";
    ShiftPoint => "投放点", "Collection point";
    ShiftPointOption => "{name}（{w}）", "{name} ({w})";
    ShiftDate => "日期", "Date";
    ShiftStart => "开始", "Start";
    ShiftEnd => "结束", "End";
    ShiftHouseholds => "来投放的户数", "Households that came";
    ShiftCorrect => "分类正确", "Sorted right";
    ShiftIncorrect => "分类错误", "Sorted wrong";
    ShiftIssue => "发现的问题（可选）", "An issue (optional)";
    ShiftIssueKind => "问题", "Issue";
    ShiftIssueNote => "说明", "Note";
    ShiftIssuePhoto => "照片", "Photo";
    ShiftReason => "不在投放时段内值守的原因（如有）", "Why outside the drop-off windows (if so)";
    ShiftSubmit => "结束值守并保存", "End the shift and save";
    ShiftHistory => "我的值守", "My shifts";
    ShiftThanks => "谢谢你！你已值守 {shifts} 班、{hours} 小时，记录了 {n} 户投放。", "Thank you! {shifts} shifts, {hours} hours, {n} households counted.";
    ShiftHistoryRow => "{date} {start}-{end} {point}：{n} 户，正确 {ok}/{all}", "{date} {start}-{end} {point}: {n} households, {ok}/{all} sorted right";
    IssueNone => "没有问题", "No issue";
    IssueOverflowing => "桶满溢", "Bin overflowing";
    IssueMixed => "混投", "Mixed waste";
    IssueBinMissing => "缺少垃圾桶", "A bin is missing";
    IssueOther => "其他", "Other";
    SpNoSuchPoint => "请选择投放点。", "Choose a collection point.";
    SpNotAssigned => "你没有被安排在这个投放点。", "You are not assigned to this point.";
    SpBadDate => "请填写日期。", "Give the date.";
    SpBadTime => "请填写开始和结束时间（时:分）。", "Give the start and end times (HH:MM).";
    SpInFuture => "结束时间还没到。", "The end time has not come yet.";
    SpIssueKind => "请从列表中选择问题。", "Choose an issue from the list.";
    SpIssueNote => "问题说明最多 200 字。", "The note is at most 200 characters.";
    SpPhotoWithoutIssue => "照片请配合一个问题提交。", "A photo goes with an issue: choose one.";
    SpBackwards => "结束时间要晚于开始时间。", "The end must be after the start.";
    SpOverlaps => "这段时间与你 {start}-{end} 的值守重叠。", "This overlaps your shift {start}-{end}.";
    SpOutsideWindows => "这段时间不在投放点的投放时段内：请写明原因。", "This is outside the point's drop-off windows: give the reason.";
    SpAboveHouseholds => "户数超过了投放点服务的 {n} 户。", "More households than the {n} the point serves.";
    SpBadCount => "数量须为 0 或正整数。", "Counts are whole numbers, zero or more.";
    PointsHeading => "定时定点投放点", "Collection points and drop-off times";
    PointsCommunity => "社区", "Community";
    PointsShow => "查看", "Show";
    PointOpenUntil => "开放中，至 {t}", "Open until {t}";
    PointOpensAt => "{t} 开放", "Opens at {t}";
    PointClosedToday => "今天已结束", "Closed for today";
    PointWindows => "投放时间 {w} · 服务 {n} 户", "Drop-off {w} · serves {n} households";
    PointsNearMe => "用我的位置找附近投放点", "Find points near me";
    PointsNearHeading => "离你最近的投放点", "Points nearest to you";
    PointsLocateFailed => "无法获取你的位置。请在上面选择你的社区。", "Your location is not available. Choose your community above.";
    PointsMapLabel => "投放点地图", "Map of collection points";
    PointDistance => "约 {m} 米 · {c}", "About {m} m · {c}";
    PointAdd => "新增投放点", "Add a collection point";
    PointEdit => "编辑", "Edit";
    PointSaved => "投放点已保存。", "The collection point was saved.";
    PointFormTitle => "投放点", "Collection point";
    PointFormNewHeading => "新增投放点 · {c}", "New collection point · {c}";
    PointFormEditHeading => "编辑投放点 · {c}", "Edit collection point · {c}";
    PointFormNoAccess => "只有本社区共建理事会成员可以管理投放点。", "Only members of this community's council can manage its collection points.";
    PointFormName => "名称（例如：3号分类投放点）", "Name (e.g. Point 3)";
    PointFormMapHint => "在地图上点一下投放点的位置，或填写经纬度。", "Tap the point's place on the map, or type its coordinates.";
    PointFormLat => "纬度", "Latitude";
    PointFormLng => "经度", "Longitude";
    PointFormHouseholds => "服务户数", "Households served";
    PointFormBins => "设置的垃圾桶", "Bins at the point";
    PointFormWindows => "投放时段（例如 07:00-09:00, 18:00-20:00）", "Drop-off windows (e.g. 07:00-09:00, 18:00-20:00)";
    PointFormVolunteers => "督导员手机号（每行一个；须已注册）", "Volunteers' phone numbers (one per line; they must have signed in once)";
    PointFormSave => "保存投放点", "Save the point";
    PointFormFix => "请修改下面标出的内容。", "Please fix what is marked below.";
    PpName => "请填写名称（最多 40 字）。", "Give a name (at most 40 characters).";
    PpLocation => "位置须在本社区范围内：请在地图上点选。", "The place must be inside the community: tap it on the map.";
    PpHouseholds => "服务户数须为 1 到 100000 的整数。", "Households served is a whole number from 1 to 100000.";
    PpNoBins => "请至少勾选一种垃圾桶。", "Tick at least one bin.";
    PpWindowMalformed => "“{w}”不是时段，请写成 07:00-09:00。", "“{w}” is not a window: write it like 07:00-09:00.";
    PpWindowBackwards => "时段“{w}”的结束早于开始。", "The window “{w}” ends before it starts.";
    PpWindowOverlapping => "时段“{w}”与另一个时段重叠。", "The window “{w}” overlaps another.";
    PpVolunteerPhone => "“{p}”不是手机号。", "“{p}” is not a phone number.";
    PpVolunteerUnknown => "{p} 还没有注册：请对方先用手机号登录一次。", "{p} has no account yet: ask them to sign in once with that phone.";
    PpNameTaken => "本社区已有同名投放点。", "The community already has a point of this name.";
    PpNoSuchPoint => "没有这个投放点。", "No such collection point.";
    IssueToCase => "转交部门立案", "Hand over to a department as a case";
    IssueCaseFiled => "已立案 {code}", "Filed as case {code}";
    WhichBinHeading => "这个该扔哪个桶？", "Which bin?";
    WhichBinLabel => "物品名称（可用拼音首字母，如 dc＝电池）", "Item name in Chinese, or its pinyin initials (dc = 电池)";
    WhichBinPlaceholder => "例如：电池、外卖餐盒、dc", "e.g. 电池, 外卖餐盒, dc";
    WhichBinSearch => "查询", "Look up";
    WhichBinNone => "没有找到“{q}”。请问问你的督导员；我们已记下，社区会补充到清单里。", "“{q}” is not on the list. Ask your volunteer; we noted it so the community can add it.";
    WhichBinSource => "分类依据 GB/T 19095-2019《生活垃圾分类标志》。", "Categories per GB/T 19095-2019 (household waste sorting signs).";
    WhichBinUnknownHeading => "居民查过但清单里没有的物品", "Items residents asked about that the list lacks";
    HeldHeading => "待审核的意见", "Comments waiting for review";
    HeldCount => "（{n} 条被举报隐藏）", "({n} hidden after reports)";
    OwnersCount => "{n} 人", "{n} owners";
    CfPhotos => "方案图、费用估算（图片，最多 3 张）", "Plans and cost estimates (images, up to 3)";
    UpdatePhotos => "现场照片（最多 3 张）", "Photos (up to 3)";
    ConsultPhotoAlt => "方案或进展图片", "Plan or progress image";
    DoneCreated => "征询已创建。", "Consultation created.";
    DoneVote => "你的投票已记录。表决结束前可以修改。", "Your vote is recorded. You can change it until the vote closes.";
    DonePaper => "纸质票已登记。", "Paper ballot entered.";
    DonePhase => "进程已更新。", "Phase updated.";
    DoneComment => "意见已发表。", "Comment posted.";
    DoneReport => "已举报，谢谢。三人举报后该意见将暂时隐藏，等待理事会处理。", "Reported, thank you. After three reports a comment is hidden until the council reviews it.";
    DoneReview => "已处理。", "Reviewed.";
    DoneUpdate => "进展已发布。", "Update posted.";
    MeterHeading => "参与情况", "Turnout";
    MeterArea => "已参与表决的专有面积 {part} / {whole}（须{line}）", "Area taking part {part} of {whole} (needs {line})";
    MeterHeads => "已参与表决的业主 {part} / {whole} 人（须{line}）", "Owners taking part {part} of {whole} (needs {line})";
    MeterSecret => "表决结束前只显示参与情况，不显示各选项票数。", "Until the vote closes only turnout is shown, not how people voted.";
    QuorumReached => "已达到", "reached";
    QuorumNotYet => "尚未达到", "not yet reached";
    BallotHeading => "我的表决", "My vote";
    BallotSignIn => "业主登录后即可核验身份并投票。", "Owners sign in to be verified and vote.";
    BallotNotOwner => "你的手机号不在本社区业主名册中。如你是业主，请联系社区更新名册。", "Your phone number is not on this community's roster. If you are an owner, ask the community office to update it.";
    BallotVerified => "已核验业主：{units}", "Verified owner of {units}";
    BallotCurrent => "你的投票：{choice}（{at}）", "Your vote: {choice} ({at})";
    BallotCurrentPaper => "你的纸质票已登记：{choice}（{at}）", "Your paper ballot is entered: {choice} ({at})";
    BallotLegend => "请选择", "Choose";
    BallotCast => "投票", "Vote";
    BallotChange => "修改投票", "Change my vote";
    BallotOnce => "每位业主一票（名下多套房屋合计一票，按全部专有面积计），表决结束前可以修改。", "One vote per owner (several units vote together, with all their area); you can change it until the vote closes.";
    AdvanceComment => "开始征求意见", "Open comments now";
    AdvanceVote => "开始表决", "Open the vote now";
    AdvanceClose => "结束表决", "Close the vote now";
    AdvancePublish => "公示结果", "Publish the result";
    AdvanceFollowUp => "开始实施跟进", "Start implementation follow-up";
    PaperHeading => "登记纸质 / 上门表决票", "Enter a paper or door-to-door ballot";
    PaperUnit => "房号", "Unit";
    PaperChoice => "表决意见", "Choice";
    PaperRef => "表决票编号", "Ballot number";
    PaperEnter => "登记", "Enter ballot";
    UpdateHeading => "实施进展", "Implementation progress";
    UpdateBody => "进展说明", "Progress";
    UpdatePost => "发布进展", "Post update";
    ResultHeading => "表决结果", "Result";
    ResultPublished => "结果已公示，不再变更。", "Published; it no longer changes.";
    ResultProvisional => "表决已结束，结果待理事会公示。", "The vote is closed; the council has yet to publish the result.";
    ResultPassed => "通过", "Passed";
    ResultFailed => "未通过", "Not passed";
    ResultNoQuorum => "未通过：参与表决的业主不足法定比例", "Not passed: too few owners took part";
    ResultChosen => "选定：{option}", "Chosen: {option}";
    ResultRule => "适用规则：{basis}。参与表决须{quorum}（面积与人数），同意须{pass}（参与表决的面积与人数）。", "Rule applied: {basis}. Taking part needs {quorum} (area and heads); approval needs {pass} of the participating area and heads.";
    ResultArea => "专有面积", "Area";
    ResultHeads => "人数", "Owners";
    ResultReached => "达到（面积 / 人数）", "Reached (area / heads)";
    ResultTotal => "全部业主", "All owners";
    ResultParticipating => "参与表决", "Taking part";
    ResultVotedUnits => "已表决的房屋（{n} 套，不显示各户意见）", "Units that voted ({n}; not how each voted)";
    ConsultCommentsHeading => "意见（{n}）", "Comments ({n})";
    CommentStance => "你的态度", "Your stance";
    CommentBody => "意见", "Comment";
    CommentPost => "发表意见", "Post comment";
    CommentReply => "回复", "Reply";
    CommentReport => "举报", "Report";
    CommentOfficial => "理事会回复", "Council reply";
    CommentHeld => "已被 {n} 人举报，暂时隐藏", "Hidden after {n} reports";
    CommentKeep => "恢复显示", "Show again";
    CommentRemove => "删除", "Remove";

    SortingTitle => "垃圾分类", "Waste sorting";
    SortingHeading => "垃圾分四类", "Four kinds of waste";
    SortingLead => "按 GB/T 19095-2019《生活垃圾分类标志》投放。", "Sort by the national standard GB/T 19095-2019.";
    BinRecyclable => "可回收物", "Recyclables";
    BinRecyclableExamples => "废纸、塑料瓶、玻璃瓶、金属罐、旧衣物", "Paper, plastic bottles, glass bottles, cans, old clothes";
    BinHazardous => "有害垃圾", "Hazardous waste";
    BinHazardousExamples => "废电池、废灯管、过期药品、油漆桶", "Batteries, fluorescent tubes, expired medicine, paint tins";
    BinKitchen => "厨余垃圾", "Kitchen waste";
    BinKitchenExamples => "剩菜剩饭、果皮、菜叶、茶渣", "Leftovers, fruit peel, vegetable scraps, tea leaves";
    BinOther => "其他垃圾", "Other waste";
    BinOtherExamples => "卫生纸、烟蒂、尘土、一次性餐具", "Tissues, cigarette ends, dust, disposable tableware";

    MeTitle => "我的", "Me";
    MeHeading => "我的", "Me";
    MeSettingsHeading => "显示设置", "Display settings";
    MeLanguage => "语言", "Language";
    MeTextSize => "字号", "Text size";
    MeCurrentLanguage => "简体中文", "English";
    MeLargeTextIsOn => "大字模式已开启", "Large text is on";
    MeLargeTextIsOff => "标准字号", "Standard text";

    LoginTitle => "登录", "Sign in";
    LoginHeading => "手机号登录", "Sign in with your phone";
    LoginLead => "无需注册：第一次登录即创建账号。报事和查询进度无需登录。", "No registration: your account is created when you first sign in. You can report and track without one.";
    LoginPhoneLabel => "手机号", "Mobile number";
    LoginSendCode => "获取验证码", "Send me a code";
    LoginCodeSentTo => "验证码已发送至 {phone}，5 分钟内有效。", "A code was sent to {phone}; it is valid for 5 minutes.";
    LoginDemoCode => "演示模式：本次验证码是 {code}（真实系统中通过短信发送）。", "Demo mode: your code is {code} (a real system sends it by SMS).";
    LoginCodeLabel => "6 位验证码", "6-digit code";
    LoginSubmit => "登录", "Sign in";
    LoginResend => "重新发送", "Send again";
    LoginChangeNumber => "换个号码", "Use another number";
    LoginAlready => "你已登录。", "You are signed in.";
    LoginErrPhone => "手机号格式不对：请输入 11 位手机号，例如 138 0013 8000。", "That is not a mobile number: enter 11 digits, e.g. 138 0013 8000.";
    LoginErrWait => "发送太频繁了，请 {seconds} 秒后再试。", "Codes were sent too often; try again in {seconds} seconds.";
    LoginErrSend => "验证码发送失败，请稍后再试。", "The code could not be sent; please try again shortly.";
    LoginErrWrong => "验证码不对，还可以再试 {left} 次。", "That code is wrong; {left} tries left.";
    LoginErrFormat => "验证码是 6 位数字。", "The code is 6 digits.";
    LoginErrExpired => "验证码已过期，请重新获取。", "The code has expired; ask for a new one.";
    LoginErrLocked => "错误次数太多，这个验证码已失效，请重新获取。", "Too many wrong tries: ask for a new code.";
    LoginErrDailyCap => "今天输错验证码的次数太多，为保护账号安全，请明天再试。", "Too many wrong codes today: to protect the account, try again tomorrow.";
    LoginErrNoCode => "请先获取验证码。", "Ask for a code first.";
    Logout => "退出登录", "Sign out";
    MeSignIn => "登录", "Sign in";
    MeSignedInAs => "已登录：{phone}", "Signed in as {phone}";
    MeRolesHeading => "我的身份", "My roles";
    RoleResident => "居民", "Resident";
    RoleOwner => "业主", "Owner";
    RoleVolunteer => "督导员", "Sorting volunteer";
    RoleCouncil => "共建理事会成员", "Community council member";
    RoleOperator => "受理员", "Operator";
    RoleDepartment => "处置部门", "Department staff";
    RoleInspector => "监督员", "Inspector";
    RoleChief1 => "一级街长（街道）", "Street chief, subdistrict";
    RoleChief2 => "二级街长（社区）", "Street chief, community";
    RoleChief3 => "三级街长（网格）", "Street chief, grid";
    RoleAdmin => "系统管理员", "Administrator";
    CityWide => "全市", "City-wide";
    StaffTitle => "工作台", "Staff area";
    StaffHeading => "城市管理工作台", "City staff area";
    StaffLead => "你的案件队列：按角色与辖区列出待办案件，超期的排在前面。", "Your case queues, by role and territory; overdue cases come first.";
    StateReported => "待受理", "Waiting for an operator";
    StateRegistered => "已立案，待派遣", "Registered, to be dispatched";
    StateRejected => "不予立案", "Not accepted";
    StateDispatched => "处置中", "Being handled";
    StateHandled => "待核查", "Waiting for the inspector";
    StateClosed => "已结案", "Closed";
    StateMerged => "已合并", "Merged";
    StateOnHold => "挂账（长期问题）", "On hold (long-term)";
    ActRegister => "受理立案", "Register";
    ActReject => "不予立案", "Reject";
    ActMerge => "合并到其他案件", "Merge into another case";
    ActDispatch => "派遣", "Dispatch";
    ActReturn => "退回（非本部门职责）", "Return (not ours)";
    ActRequestExtension => "申请延期", "Ask for an extension";
    ActGrantExtension => "批准延期", "Grant the extension";
    ActDenyExtension => "不批准延期", "Deny the extension";
    ActRecordResult => "处置完毕", "Record the result";
    ActPass => "核查通过，结案", "Passes: close the case";
    ActFail => "核查不通过，返工", "Fails: back for rework";
    ActShelve => "挂账", "Put on hold (long-term)";
    ActResume => "恢复办理", "Resume";
    ActRateSatisfied => "满意", "Satisfied";
    ActRateBasic => "基本满意", "Mostly satisfied";
    ActRateUnsatisfied => "不满意", "Not satisfied";
    TimelineRated => "评价：{level}", "Rated: {level}";
    QueueOperator => "受理与派遣", "Register and dispatch";
    QueueDepartment => "本部门待处置", "My department's cases";
    QueueInspector => "待核查", "To verify";
    QueueWatch => "辖区案件", "Cases in my territory";
    QueueCityWide => "全市", "City-wide";
    QueueEmpty => "暂无待办案件。", "Nothing waiting.";
    QueueTotal => "共 {n} 件", "{n} in all";
    QueueOverdue => "已超期", "Overdue";
    QueueDue => "期限 {t}", "Due {t}";
    QueueExtensionPending => "延期待批", "Extension asked";
    QueueNearby => "附近有 {n} 件同类案件", "{n} similar cases nearby";
    QueueQuickDone => "{code}：已{action}。", "{code}: {action} done.";
    QueueOpen => "查看案件", "Open the case";
    QueueNone => "你的角色没有案件队列。", "Your roles have no case queue.";
    StaffCaseTitle => "办理 {code}", "Work on {code}";
    StaffBack => "返回工作台", "Back to the staff area";
    StaffPublicPage => "查看公开页面", "See the public page";
    StaffState => "办理状态", "Workflow state";
    StaffActions => "办理", "Actions";
    StaffNoActions => "当前没有你可以办理的操作。", "There is nothing you can do on this case now.";
    StaffPublicReply => "公开答复（居民可见）", "Public reply (residents see it)";
    StaffInternalNote => "内部备注（仅工作人员可见）", "Internal note (staff only)";
    StaffTemplates => "常用答复：", "Common replies:";
    StaffDepartment => "处置部门", "Department";
    StaffDefault => "（默认）", "(default)";
    StaffUntil => "日期（当天 18:00 为限）", "Date (until 18:00 that day)";
    StaffMergeInto => "并入的案件编号", "Tracking code to merge into";
    StaffPhotos => "照片（最多 3 张）", "Photos (up to 3)";
    StaffReporterPhone => "回访电话：{phone}", "Call-back phone: {phone}";
    StaffCounts => "返工 {rework} 次 · 延期 {ext} 次", "{rework} reworks · {ext} extensions";
    StaffExtensionAsked => "部门申请延期至 {t}", "The department asks until {t}";
    StaffReview => "挂账复查日期 {t}", "On-hold review date {t}";
    StaffDone => "已办理。", "Done.";
    StaffRefused => "未能办理，请修改：", "Not done. Please fix:";
    StaffNearby => "附近同类未结案件（可合并）", "Similar open cases nearby (merge candidates)";
    StaffInternalLabel => "内部", "Internal";
    StaffTimelineAll => "全部记录", "Full record";
    ProbOutsideScope => "该案件不在你的辖区或部门内。", "This case is outside your territory or department.";
    ProbUnknownAction => "未知的操作。", "Unknown action.";
    ProbNoDepartment => "没有这个部门。", "There is no such department.";
    ProbOverrideReason => "派给非默认部门时，请在内部备注中写明理由。", "Dispatching to another department than the default needs a reason in the internal note.";
    ProbDateMissing => "请填写日期。", "Please give a date.";
    ProbDateMalformed => "日期格式应为 2026-12-05。", "Dates look like 2026-12-05.";
    ProbDateInPast => "日期不能早于现在。", "The date must lie ahead.";
    ProbDateNotAfter => "延期日期必须晚于当前期限。", "An extension must be later than the current deadline.";
    ProbMergeSelf => "不能并入自身。", "A case cannot be merged into itself.";
    ProbMergeMissing => "找不到要并入的案件。", "There is no case with that code.";
    ProbMergeClosed => "不能并入已办结的案件。", "A case cannot be merged into a finished one.";
    ProbMergeOutsideScope => "要合并到的案件不在你的管辖范围内。", "The case to merge into is outside your territory.";
    ProbCalendar => "缺少 {year} 年的工作日历，请管理员上传。", "There is no working-day calendar for {year}; an administrator must upload it.";
    ProbChanged => "案件刚被其他人办理过，请刷新后再试。", "Someone else just acted on this case; reload and try again.";
    ProbReplyMissing => "请填写公开答复。", "Please write the public reply.";
    ProbReplyTooLong => "公开答复不能超过 500 字。", "The public reply can be at most 500 characters.";
    ProbReasonMissing => "请在内部备注中写明理由。", "Please give the reason in the internal note.";
    ProbNoteTooLong => "内部备注不能超过 1000 字。", "The internal note can be at most 1000 characters.";
    ProbAlreadyDone => "案件已是「{state}」，「{action}」已由他人办理。", "The case is already “{state}”: “{action}” was done by someone else.";
    ProbNotInState => "案件当前为「{state}」，不能「{action}」。", "The case is “{state}” now, so “{action}” is not possible.";
    ProbNotYourRole => "「{action}」不是你的角色能办理的。", "“{action}” is not something your role can do.";
    ProbExtensionPending => "已有延期申请等待审批。", "An extension request is already waiting.";
    ProbNoExtension => "没有待审批的延期申请。", "There is no extension request to decide.";
    ProbAlreadyRated => "这个案件你已经评价过了。", "You have already rated this case.";
    RateHeading => "评价处理结果", "Rate the result";
    RateLead => "案件已办结。你满意吗？选择「不满意」会退回重新核查（仅限一次）。", "The case is closed. Are you satisfied? “Not satisfied” sends it back to the inspector (once).";
    RateThanks => "感谢你的评价！", "Thank you for rating!";
    RateReopened => "已退回重新核查，我们会再次处理并答复你。", "Sent back for another check; we will reply again.";
    BoardTitle => "办理绩效榜", "Performance board";
    BoardHeading => "办理绩效榜（共评）", "How the city handles reports";
    BoardLead => "每个区、街道当月办理案件的情况，全部由案件时间线计算得出。", "Each district's and street's handling of cases in the month, all computed from the case timelines.";
    BoardMonth => "月份", "Month";
    BoardLevel => "范围", "Level";
    BoardLevelDistrict => "按区", "Districts";
    BoardLevelStreet => "按街道", "Streets";
    BoardShow => "查看", "Show";
    BoardAsOf => "数据截至 {t}", "Figures as of {t}";
    BoardCsv => "下载 CSV", "Download CSV";
    BoardRank => "名次", "Rank";
    BoardArea => "区域", "Area";
    BoardReceived => "受理", "Received";
    BoardRegistered => "立案", "Registered";
    BoardClosed => "结案", "Closed";
    BoardClosure => "结案率", "Closure rate";
    BoardOnTime => "按期结案率", "On-time rate";
    BoardRework => "返工率", "Rework rate";
    BoardMedian => "办理时长中位数（工作时）", "Median handling (working hours)";
    BoardSatisfaction => "满意率", "Satisfaction";
    BoardCity => "全市", "City";
    BoardChartLabel => "各区域按期结案率", "On-time rate by area";
    BoardDefinitions => "指标说明", "What the figures mean";
    BoardDefReceived => "受理：当月上报的案件数；立案：当月立案的案件数；结案：当月核查通过结案的案件数。", "Received: cases reported in the month; registered: cases registered in the month; closed: cases that passed the inspector's check in the month.";
    BoardDefClosure => "结案率：当月立案的案件中，截至统计时已结案的比例。", "Closure rate: of the cases registered in the month, the share closed by the time of the figures.";
    BoardDefOnTime => "按期结案率 = 按期结案数 ÷（到期案件数 − 延期或挂账案件数）。到期：最近一次派遣的处置期限在当月；按期：在期限内结案。", "On-time rate = cases closed on time ÷ (cases due − cases extended or put on hold). Due: the deadline of the latest dispatch falls in the month; on time: closed by that deadline.";
    BoardDefRework => "返工率：当月结案的案件中，曾被核查退回返工的比例。", "Rework rate: of the cases closed in the month, the share sent back for rework at least once.";
    BoardDefMedian => "办理时长：从首次派遣到结案的工作时间（工作日 8:30–12:00、14:00–18:00，按节假日和调休计算）。", "Handling time: working time from the first dispatch to closing (working days 8:30–12:00 and 14:00–18:00, with public holidays and make-up days).";
    BoardDefSatisfaction => "满意率：当月收到的评价中「满意」和「基本满意」的比例。", "Satisfaction: of the ratings given in the month, the share “satisfied” or “mostly satisfied”.";
    BoardLink => "查看各区、街道的办理绩效榜", "See how each district and street handles reports";
    CalHeading => "工作日历", "Working-day calendar";
    CalLead => "每年国务院办公厅公布节假日安排后，上传当年的日历文件（每行 year / holiday / workday，格式见 domain/calendar/2026.txt）。处置期限按它计算。", "When the State Council publishes the next year's holidays, upload that year's calendar file (lines of year / holiday / workday, as in domain/calendar/2026.txt). Deadlines are counted on it.";
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
    CaseMergedInto => "此问题已并入案件 {code}，请关注该案件的进展。", "This report was merged into case {code}; follow that case.";
    CaseRejectedNote => "此问题不予立案，理由见下方记录。", "This report was not accepted; the reason is in the record below.";
    CaseOnHoldNote => "此问题需长期解决，已挂账跟踪。", "This is a long-term matter and is on hold with regular reviews.";
    StaffForbiddenHeading => "无权访问", "Not allowed";
    StaffForbiddenBody => "工作台仅限城市管理工作人员使用。如需权限，请联系系统管理员。", "The staff area is for city staff only. Ask an administrator if you need access.";
    StaffSignInFirst => "请先登录工作人员账号。", "Please sign in with a staff account first.";
    StaffLink => "进入工作台", "Open the staff area";

    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundHeading => "页面不存在", "Page not found";
    NotFoundBody => "你要找的页面不存在或已移动。", "The page you are looking for does not exist or has moved.";
    BackHome => "返回首页", "Back to home";
}

/// A stored name (territory, category, department) in the reader's language.
pub fn name(names: &domain::ports::Names, locale: Locale) -> String {
    match locale {
        Locale::ZhCn => names.zh.clone(),
        Locale::En => names.en.clone(),
    }
}

/// The UI name of a role.
pub fn role_name(role: domain::access::Role) -> Msg {
    use domain::access::Role;
    match role {
        Role::Resident => Msg::RoleResident,
        Role::Owner => Msg::RoleOwner,
        Role::Volunteer => Msg::RoleVolunteer,
        Role::Council => Msg::RoleCouncil,
        Role::Operator => Msg::RoleOperator,
        Role::Department => Msg::RoleDepartment,
        Role::Inspector => Msg::RoleInspector,
        Role::Chief1 => Msg::RoleChief1,
        Role::Chief2 => Msg::RoleChief2,
        Role::Chief3 => Msg::RoleChief3,
        Role::Admin => Msg::RoleAdmin,
    }
}

/// Replaces `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    args.iter().fold(template.to_owned(), |acc, (k, v)| {
        acc.replace(&format!("{{{k}}}"), v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(s: &str) -> BTreeSet<String> {
        s.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
            .collect()
    }

    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        for m in Msg::ALL {
            let (zh, en) = (m.text(Locale::ZhCn), m.text(Locale::En));
            assert!(
                !zh.trim().is_empty() && !en.trim().is_empty(),
                "{m:?} is blank"
            );
            assert_eq!(
                placeholders(zh),
                placeholders(en),
                "{m:?} placeholders differ"
            );
        }
    }

    #[test]
    fn locales_parse_and_fill_works() {
        assert_eq!(Locale::parse("en"), Some(Locale::En));
        assert_eq!(Locale::parse("zh-CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("fr"), None);
        assert_eq!(Locale::ZhCn.other(), Locale::En);
        assert_eq!(
            fill(Msg::MapGridCount.text(Locale::En), &[("n", "96")]),
            "96 grid cells"
        );
    }
}
