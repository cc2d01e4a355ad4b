//! UI text of the open-data capability (`app/src/open_data/`: the open datasets page).
//! Joined with the other tables into the one `Msg` enum by `messages!` in `mod.rs`.

/// Appends these keys to the table it is given and passes it on to the next macro in the list.
macro_rules! open_data_messages {
    ([$next:ident $(, $rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest),*] $($acc)*
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
        }
    };
}
