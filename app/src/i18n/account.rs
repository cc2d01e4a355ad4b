//! UI text of the account capability (`app/src/account/`: sign-in, the Me page, personal data).
//! Joined with the other tables into the one `Msg` enum by `messages!` in `mod.rs`.

/// Appends these keys to the table it is given and passes it on to the next macro in the list.
macro_rules! account_messages {
    ([$next:ident $(, $rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest),*] $($acc)*
            MeReported => "我上报的", "My reports";
            MeFollowing => "我关注的", "Cases I follow";
            MeAreas => "我关注的区域", "Areas I follow";
            MeNothingYet => "还没有。", "None yet.";
            MeDataHeading => "我的个人信息", "My personal data";
            MeExport => "下载我的全部数据（JSON）", "Download all my data (JSON)";
            MeDeleteConfirm => "我确认注销账号：手机号、关注和会话会被删除；我报过的事会保留为匿名案件。", "I want to delete my account: my phone number, follows and sessions are erased; cases I reported stay as anonymous case records.";
            MeDelete => "注销账号", "Delete my account";
            MeDeleteHeading => "注销账号", "Delete the account";
            MeDeleteOpen => "我要注销账号…", "I want to delete my account…";
            MeDeleteLead => "注销后无法恢复。只想在这台手机上退出，请用上面的“退出登录”。", "This cannot be undone. To leave only this phone, use “Sign out” above instead.";

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
            LoginContinue => "继续", "Continue";
            LoginReturnsTo => "登录后会回到你刚才的页面。", "After signing in you go back to the page you came from.";
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
            MeSignedInAs => "已登录：{phone}", "Signed in as {phone}";
            MeRolesHeading => "我的身份", "My roles";
            StaffLink => "进入工作台", "Open the staff area";
        }
    };
}
