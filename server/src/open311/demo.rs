//! The Open311 demo data: the categories' extra questions and the README's demo key.

use super::{DEMO_KEY, KEY_PREFIX};

/// Seeds the README's demo key (demo city only).
pub async fn seed_demo_key(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO api_keys (organisation, key_prefix, key_hash, created_at, is_demo) \
         VALUES ($1, $2, $3, 0, 1) ON CONFLICT (key_hash) DO NOTHING",
    )
    .bind("Demo 12345 hotline (演示)")
    .bind(&DEMO_KEY[..KEY_PREFIX.len() + 6])
    .bind(crate::kernel::secrets::sha256_hex(&[DEMO_KEY]))
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// The extra questions the city's categories ask (Open311 attributes): (category, code, datatype,
/// required, prompt zh, prompt en, choices).
pub const QUESTIONS: [(&str, &str, &str, bool, &str, &str, &str); 3] = [
    (
        "S0301",
        "volume",
        "singlevaluelist",
        true,
        "垃圾有多少？",
        "How much rubbish?",
        "small=少量（一两袋）|A little (a bag or two);medium=一堆（一车以内）|A heap (up to a cartload);\
         large=大量（需要车辆清运）|A lot (needs a truck)",
    ),
    (
        "B0101",
        "danger",
        "singlevaluelist",
        true,
        "井口现在的情况",
        "The manhole now",
        "open=井口敞开，有人车坠落危险|Open: people or vehicles could fall in;\
         broken=井盖破损|The cover is broken;loose=井盖松动或有异响|The cover is loose or rattles",
    ),
    (
        "B0101",
        "marked",
        "singlevaluelist",
        false,
        "现场是否已有警示标志？",
        "Is there a warning sign already?",
        "yes=有|Yes;no=没有|No",
    ),
];

/// Seeds the categories' extra questions, updating their wording (idempotent).
pub async fn seed_questions(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<u64, sqlx::Error> {
    let mut n = 0;
    for (position, (category, code, datatype, required, zh, en, choices)) in
        QUESTIONS.iter().enumerate()
    {
        n += sqlx::query(
            "INSERT INTO category_questions (category_code, code, datatype, required, prompt_zh, \
             prompt_en, choices, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (category_code, code) DO UPDATE SET datatype = excluded.datatype, \
             required = excluded.required, prompt_zh = excluded.prompt_zh, \
             prompt_en = excluded.prompt_en, choices = excluded.choices, position = excluded.position",
        )
        .bind(*category)
        .bind(*code)
        .bind(*datatype)
        .bind(i64::from(*required))
        .bind(*zh)
        .bind(*en)
        .bind(*choices)
        .bind(position as i64 + 1)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    Ok(n)
}
