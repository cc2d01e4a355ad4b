use super::*;
use crate::cases::questions::AnswerKind;

fn params(pairs: &[(&str, &str)]) -> Params {
    Params::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

const NOW: i64 = 1_795_000_000_000;

#[test]
fn datetimes_read_every_w3c_form_and_write_china_time() {
    let utc = parse_datetime("2026-11-01T00:30:00Z").unwrap();
    assert_eq!(parse_datetime("2026-11-01T08:30:00+08:00"), Some(utc));
    assert_eq!(parse_datetime("2026-11-01T08:30+08:00"), Some(utc));
    assert_eq!(
        parse_datetime("2026-11-01T08:30:00"),
        Some(utc),
        "no zone: China time"
    );
    assert_eq!(parse_datetime("2026-10-31T19:30:00-05:00"), Some(utc));
    assert_eq!(parse_datetime("2026-11-01T00:30:00.250Z"), Some(utc + 250));
    assert_eq!(
        parse_datetime("2026-11-01"),
        Some(utc - 30 * 60_000 - 8 * 3_600_000),
        "a date is China midnight"
    );
    assert_eq!(w3c_datetime(utc), "2026-11-01T08:30:00+08:00");
    for bad in [
        "2026-13-01",
        "2026-02-30",
        "yesterday",
        "2026-11-01T25:00Z",
        "2026-11-01T08:30+8",
        "26-11-01",
        "2026-11-01T08:30:00+08:00junk",
    ] {
        assert_eq!(parse_datetime(bad), None, "{bad}");
    }
}

#[test]
fn request_searches_default_to_ninety_days_and_refuse_longer_windows() {
    let q = RequestQuery::parse(&params(&[]), NOW).unwrap();
    assert_eq!(
        q,
        RequestQuery::Search {
            service_codes: vec![],
            start_ms: NOW - 90 * DAY_MS,
            end_ms: NOW,
            open: None
        }
    );
    // Empty parameters are absent.
    assert_eq!(
        RequestQuery::parse(
            &params(&[("start_date", ""), ("status", ""), ("service_code", "")]),
            NOW
        )
        .unwrap(),
        q
    );
    let ok = params(&[
        ("start_date", "2026-08-01T00:00:00+08:00"),
        ("end_date", "2026-10-30T00:00:00+08:00"),
        ("status", "open"),
        ("service_code", "S0301,B0401"),
    ]);
    let RequestQuery::Search {
        service_codes,
        open,
        ..
    } = RequestQuery::parse(&ok, NOW).unwrap()
    else {
        panic!()
    };
    assert_eq!(service_codes, ["S0301", "B0401"]);
    assert_eq!(open, Some(true));
    let both = params(&[("status", "open,closed")]);
    assert!(matches!(
        RequestQuery::parse(&both, NOW).unwrap(),
        RequestQuery::Search { open: None, .. }
    ));
    // Exactly 90 days is allowed; 91 is not.
    let ninety = params(&[("start_date", "2026-08-01"), ("end_date", "2026-10-30")]);
    assert!(RequestQuery::parse(&ninety, NOW).is_ok());
    let too_long = params(&[("start_date", "2026-08-01"), ("end_date", "2026-10-31")]);
    assert_eq!(RequestQuery::parse(&too_long, NOW).unwrap_err().code, 400);
    let backwards = params(&[("start_date", "2026-10-02"), ("end_date", "2026-10-01")]);
    assert!(
        RequestQuery::parse(&backwards, NOW)
            .unwrap_err()
            .description
            .contains("after")
    );
    for bad in [
        params(&[("status", "pending")]),
        params(&[("start_date", "last week")]),
        params(&[("service_request_id", "XM-2026-000001,oops")]),
        params(&[("service_request_id", ",")]),
    ] {
        assert_eq!(RequestQuery::parse(&bad, NOW).unwrap_err().code, 400);
    }
    // Ids override everything else, even a bad window.
    let ids = params(&[
        ("service_request_id", "XM-2026-000001, xm-2026-000002"),
        ("start_date", "2026-10-02"),
        ("end_date", "2026-10-01"),
    ]);
    let RequestQuery::Ids(codes) = RequestQuery::parse(&ids, NOW).unwrap() else {
        panic!()
    };
    assert_eq!(codes.len(), 2);
}

#[test]
fn new_requests_need_a_place_and_keep_within_the_limits() {
    let good = NewRequest::parse(&params(&[
        ("service_code", "S0301"),
        ("lat", "24.45"),
        ("long", "118.08"),
        ("description", "路口垃圾堆积"),
        ("attribute[size]", "large"),
        ("email", ""),
    ]))
    .unwrap();
    assert!(matches!(good.location, NewLocation::At(_)));
    assert_eq!(good.attributes, [("size".to_owned(), "large".to_owned())]);
    let by_address = NewRequest::parse(&params(&[
        ("service_code", "S0301"),
        ("address_string", "思明区中山社区中山路 1 号"),
    ]))
    .unwrap();
    assert_eq!(by_address.location, NewLocation::Address);
    let long = "灯".repeat(4001);
    for (bad, says) in [
        (vec![("lat", "24.45"), ("long", "118.08")], "service_code"),
        (
            vec![("service_code", "S0301"), ("lat", "24.45")],
            "without long",
        ),
        (
            vec![("service_code", "S0301"), ("long", "118.08")],
            "without lat",
        ),
        (vec![("service_code", "S0301")], "location is required"),
        (
            vec![("service_code", "S0301"), ("lat", "north"), ("long", "118")],
            "WGS-84",
        ),
        (
            vec![("service_code", "S0301"), ("lat", "95"), ("long", "118")],
            "WGS-84",
        ),
        (
            vec![
                ("service_code", "S0301"),
                ("lat", "24.45"),
                ("long", "118.08"),
                ("description", long.as_str()),
            ],
            "4000",
        ),
        (
            vec![
                ("service_code", "S0301"),
                ("lat", "24.45"),
                ("long", "118.08"),
                ("phone", "12345"),
            ],
            "phone",
        ),
    ] {
        let e = NewRequest::parse(&params(&bad)).unwrap_err();
        assert_eq!(e.code, 400);
        assert!(e.description.contains(says), "{bad:?}: {}", e.description);
    }
    let exactly = "灯".repeat(4000);
    assert!(
        NewRequest::parse(&params(&[
            ("service_code", "S0301"),
            ("lat", "24.45"),
            ("long", "118.08"),
            ("description", exactly.as_str()),
        ]))
        .is_ok()
    );
}

#[test]
fn answers_to_a_services_questions_are_checked() {
    let q = |code: &str, kind, required, choices: &str| Question {
        code: code.into(),
        kind,
        required,
        prompt: crate::ports::Names {
            zh: "问题".into(),
            en: "Question".into(),
        },
        choices: Question::parse_choices(choices),
        position: 1,
    };
    let questions = vec![
        q("volume", AnswerKind::OneOf, true, "small=少量; large=大量"),
        q(
            "kinds",
            AnswerKind::AnyOf,
            false,
            "food=厨余;building=建筑垃圾",
        ),
        q("bags", AnswerKind::Number, false, ""),
    ];
    let p = params(&[
        ("attribute[volume]", "large"),
        ("attribute[kinds][]", "food"),
        ("attribute[kinds][]", "building"),
        ("attribute[other]", "ignored"),
    ]);
    assert_eq!(
        check_answers(&questions, &p.attributes()).unwrap(),
        [
            ("volume".to_owned(), "large".to_owned()),
            ("kinds".to_owned(), "food,building".to_owned())
        ]
    );
    for (bad, says) in [
        (vec![], "attribute[volume] is required"),
        (
            vec![("attribute[volume]", "huge")],
            "not one of small, large",
        ),
        (
            vec![
                ("attribute[volume]", "small"),
                ("attribute[kinds]", "food,glass"),
            ],
            "'glass'",
        ),
        (
            vec![("attribute[volume]", "small"), ("attribute[bags]", "three")],
            "number",
        ),
        (
            vec![
                ("attribute[volume]", "small"),
                ("attribute[volume]", "large"),
            ],
            "one value",
        ),
    ] {
        let e = check_answers(&questions, &params(&bad).attributes()).unwrap_err();
        assert!(e.description.contains(says), "{bad:?}: {}", e.description);
    }
    let r = render_object(
        Format::Json,
        "service_definition",
        &attribute_record(&questions[0]),
    );
    assert!(
        r.contains(r#""datatype":"singlevaluelist","required":true"#),
        "{r}"
    );
    assert!(
        r.contains(r#""values":[{"key":"small","name":"少量"}"#),
        "{r}"
    );
}

#[test]
fn answers_render_in_both_formats() {
    let e = Open311Error::bad("start_date is after end_date");
    assert_eq!(
        render_error(Format::Json, &e),
        r#"[{"code":400,"description":"start_date is after end_date"}]"#
    );
    assert_eq!(
        render_error(Format::Xml, &e),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><errors><error><code>400</code>\
         <description>start_date is after end_date</description></error></errors>"
    );
    let r: Record = vec![
        ("service_code", Value::Text("S0301".into())),
        ("note", Value::Text("a < b & \"c\"\u{1}".into())),
        ("metadata", Value::Bool(false)),
        ("lat", Value::Number(24.45)),
        ("media_url", Value::Null),
    ];
    assert_eq!(
        render_list(Format::Xml, "services", "service", std::slice::from_ref(&r)),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service><service_code>S0301</service_code>\
         <note>a &lt; b &amp; &quot;c&quot;</note><metadata>false</metadata><lat>24.45</lat>\
         <media_url/></service></services>"
    );
    assert_eq!(
        render_list(Format::Json, "services", "service", &[r]),
        r#"[{"service_code":"S0301","note":"a < b & \"c\"\u0001","metadata":false,"lat":24.45,"media_url":null}]"#
    );
    assert_eq!(
        Format::split("requests.json"),
        Some(("requests", Format::Json))
    );
    assert_eq!(
        Format::split("requests/XM-2026-000001.xml"),
        Some(("requests/XM-2026-000001", Format::Xml))
    );
    assert_eq!(Format::split("requests.csv"), None);
}
