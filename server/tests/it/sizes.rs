//! The size rule, checked on the source: no source file in `server`, `domain` or `app` over 600
//! lines and no function over 100 lines (message tables under `app/src/i18n/` and test files are
//! exempt, as are the inline test modules at the end of a file). A long file or function is where a
//! newcomer gets lost; the fix is to split it by concern, not to raise the limit.
//! Run it alone with `cargo test -p server --test it sizes -- --nocapture`.

use crate::common::rust_files;
use std::path::Path;

const MAX_FILE_LINES: usize = 600;
const MAX_FN_LINES: usize = 100;

/// The text with comments, string and char literals blanked out (newlines kept), so braces and
/// `fn` inside them do not count.
fn blanked(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, s: &[char]| {
        out.extend(s.iter().map(|c| if *c == '\n' { '\n' } else { ' ' }));
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let ident_before = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if c == '/' && next == Some('/') {
            let end = chars[i..]
                .iter()
                .position(|c| *c == '\n')
                .map_or(chars.len(), |p| i + p);
            blank(&mut out, &chars[i..end]);
            i = end;
        } else if c == '/' && next == Some('*') {
            let end = (i + 2..chars.len().saturating_sub(1))
                .find(|&j| chars[j] == '*' && chars[j + 1] == '/')
                .map_or(chars.len(), |j| j + 2);
            blank(&mut out, &chars[i..end]);
            i = end;
        } else if c == 'r' && !ident_before && matches!(next, Some('"' | '#')) {
            let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let mut j = i + 2 + hashes;
            while j < chars.len()
                && !(chars[j] == '"' && chars[j + 1..].iter().take(hashes).all(|c| *c == '#'))
            {
                j += 1;
            }
            let end = (j + 1 + hashes).min(chars.len());
            blank(&mut out, &chars[i..end]);
            i = end;
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(chars.len());
            blank(&mut out, &chars[i..end]);
            i = end;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}'); a lifetime ('a) is left alone.
            let len = match (next, chars.get(i + 2)) {
                (Some('\\'), _) => chars[i + 1..]
                    .iter()
                    .position(|c| *c == '\'')
                    .map(|p| p + 2),
                (Some(_), Some('\'')) => Some(3),
                _ => None,
            };
            match len {
                Some(n) => {
                    blank(&mut out, &chars[i..i + n]);
                    i += n;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The name after `fn ` on a line, if the line declares a function.
fn declared_fn(line: &str) -> Option<&str> {
    let at = line.find("fn ")?;
    let before = &line[..at];
    let starts_item = before.trim().is_empty()
        || before
            .split_whitespace()
            .all(|w| matches!(w, "pub" | "async" | "const" | "unsafe") || w.starts_with("pub("));
    if !starts_item {
        return None;
    }
    let name = line[at + 3..]
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()?;
    (!name.is_empty()).then_some(name)
}

/// (name, first line, length) of every function over the limit, before any inline test module.
fn long_fns(code: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let end = lines
        .iter()
        .position(|l| l.trim() == "#[cfg(test)]")
        .unwrap_or(lines.len());
    let mut out = Vec::new();
    for (i, line) in lines[..end].iter().enumerate() {
        let Some(name) = declared_fn(line) else {
            continue;
        };
        let (mut depth, mut opened) = (0i64, false);
        for (j, l) in lines[i..end].iter().enumerate() {
            if !opened && l.contains(';') && !l.contains('{') {
                break; // a declaration without a body
            }
            for c in l.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if opened && depth <= 0 {
                if j + 1 > MAX_FN_LINES {
                    out.push((name.to_owned(), i + 1, j + 1));
                }
                break;
            }
        }
    }
    out
}

fn exempt(path: &Path) -> bool {
    let s = path.to_string_lossy();
    path.file_name().is_some_and(|n| n == "tests.rs")
        || (s.contains("app/src/i18n/") && !s.ends_with("mod.rs"))
}

#[test]
fn no_file_or_function_is_too_long() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf();
    let mut files = Vec::new();
    for krate in ["server", "domain", "app"] {
        rust_files(&root.join(krate).join("src"), &mut files);
    }
    files.sort();
    let mut problems = Vec::new();
    let (mut longest_file, mut fns) = ((0, String::new()), 0);
    for file in files.iter().filter(|f| !exempt(f)) {
        let text = std::fs::read_to_string(file).expect("read source");
        let shown = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        let n = text.lines().count();
        if n > longest_file.0 {
            longest_file = (n, shown.clone());
        }
        if n > MAX_FILE_LINES {
            problems.push(format!("{shown}: {n} lines (limit {MAX_FILE_LINES})"));
        }
        let code = blanked(&text);
        fns += code.lines().filter_map(|l| declared_fn(l)).count();
        for (name, line, len) in long_fns(&code) {
            problems.push(format!(
                "{shown}:{line} fn {name}: {len} lines (limit {MAX_FN_LINES})"
            ));
        }
    }
    println!(
        "sizes: {} files, {fns} functions; longest file {} ({} lines)",
        files.len(),
        longest_file.1,
        longest_file.0
    );
    assert!(
        problems.is_empty(),
        "split these by concern:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_size_checker_sees_through_strings_and_counts_bodies() {
    let body: String = (0..120)
        .map(|i| format!("    let x{i} = \"}}\";\n"))
        .collect();
    let code = blanked(&format!(
        "pub async fn long() {{\n{body}}}\nfn short() {{ '{{'; }}\n"
    ));
    let found = long_fns(&code);
    assert_eq!(found, vec![("long".to_owned(), 1, 122)]);
    assert_eq!(declared_fn("    pub(crate) fn f(x: u8) {"), Some("f"));
    assert_eq!(declared_fn("    let f = fn_ptr;"), None);
    assert!(long_fns(&blanked("trait T {\n    fn f(&self);\n}\n")).is_empty());
}
