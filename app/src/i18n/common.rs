//! UI text of the shell, navigation, the home and not-found pages, the shared components, and
//! keys used by more than one capability.
//! Joined with the other tables into the one `Msg` enum by `messages!` in `mod.rs`.

/// Appends these keys to the table it is given and passes it on to the next macro in the list.
macro_rules! common_messages {
    ([$next:ident $(, $rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest),*] $($acc)*
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
            CaseCategory => "类别", "Category";
            CaseDepartment => "责任部门", "Department responsible";
            CaseDeadline => "处理期限", "Deadline";
            CaseNoDeadline => "立案后确定", "Set when the case is registered";
            CasePlace => "位置", "Place";
            CaseDescription => "描述", "Description";
            CaseNotFound => "没有找到这个案件编号，请核对后再试。", "No case has this tracking code; check it and try again.";
            StageNameReported => "上报", "Reported";
            StageNameRegistered => "立案", "Registered";
            StageNameDispatched => "派遣", "Dispatched";
            StageNameHandled => "处置", "Handled";
            StageNameVerified => "核查", "Verified";
            StageNameClosed => "结案", "Closed";
            FilterApply => "筛选", "Filter";
            FeedArea => "订阅本社区（Atom）", "Subscribe to this community (Atom)";
            DraftSaved => "没有网络：这份报事已保存在手机上，联网后会自动发送。", "No network: this report is kept on your phone and will be sent when you are back online.";
            DraftSent => "已联网，保存在手机上的记录已发送：", "Back online. What was kept on your phone was sent:";
            DraftRefused => "有一份保存的报事没有被接受（可能位置不在本市），请重新填写。", "A saved report was not accepted (perhaps the place is outside the city); please fill it in again.";
            DraftFailed => "无法在手机上保存，请联网后再提交。", "It could not be kept on this phone; please send it when you are online.";
            DraftUnsent => "网络不稳定，报事没有发出去：已保存在手机上，网络恢复后会自动发送。", "The network failed while sending: the report is kept on this phone and will be sent when the network is back.";
            DraftSentShift => "值守记录", "shift log";
            AdminTitle => "人员与权限", "People and roles";
            OpenDataLink => "开放数据与接口", "Open data and APIs";
            TrackLookupButton => "查询", "Look up";
            CpFix => "请修改以下内容：", "Please fix the following:";
            MeSignIn => "登录", "Sign in";
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
            ProbCalendar => "缺少 {year} 年的工作日历，请管理员上传。", "There is no working-day calendar for {year}; an administrator must upload it.";
            ProbAlreadyRated => "这个案件你已经评价过了。", "You have already rated this case.";
            BoardLink => "查看各区、街道的办理绩效榜", "See how each district and street handles reports";

            NotFoundTitle => "页面不存在", "Page not found";
            NotFoundHeading => "页面不存在", "Page not found";
            NotFoundBody => "你要找的页面不存在或已移动。", "The page you are looking for does not exist or has moved.";
            BackHome => "返回首页", "Back to home";
        }
    };
}
