//! The layering rule, checked on the source: in `server`, `domain` and `app` no module imports a
//! module that imports it back (directly or through others), and in `server` imports go downwards
//! only: capability → web → kernel, with `startup` and `tools` above everything; a capability's
//! service never imports an HTTP adapter (its own `web`, another's, or the `web` kernel).
//! Run it alone with `cargo test -p server --test it layers -- --nocapture`.

use crate::common::rust_files;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A crate's modules by path (`cases::web`), each with the modules it names through `crate::`.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// `src/cases/web.rs` → `cases::web`, `src/cases/mod.rs` → `cases`, `src/lib.rs` → `` (the root).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file
        .strip_prefix(src)
        .expect("under src")
        .with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts.join("::")
}

/// The source without comments and string literals, so a path in a doc comment or a message is
/// not an import.
fn code_only(text: &str) -> String {
    let (mut out, mut chars) = (String::with_capacity(text.len()), text.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => break,
                        _ => escaped = false,
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every path named after `crate::`, use-groups expanded: `crate::kernel::{store, sms::X}` gives
/// `kernel::store` and `kernel::sms::X`.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        use_tree(rest, String::new(), &mut out);
    }
    out
}

/// Reads one use-tree at the start of `text` (a path, maybe ending in a `{…}` group).
fn use_tree(text: &str, prefix: String, out: &mut Vec<String>) -> usize {
    let mut path = prefix;
    let mut i = 0;
    let bytes = text.as_bytes();
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i > start {
            if !path.is_empty() {
                path.push_str("::");
            }
            path.push_str(&text[start..i]);
        }
        if text[i..].starts_with("::{") {
            i += 3;
            loop {
                while i < bytes.len() && (bytes[i] as char).is_whitespace() {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'}' {
                    return i + 1;
                }
                i += use_tree(&text[i..], path.clone(), out);
                while i < bytes.len() && matches!(bytes[i], b',' | b' ' | b'\n') {
                    i += 1;
                }
            }
        }
        if text[i..].starts_with("::") && text[i + 2..].starts_with(|c: char| c.is_alphanumeric()) {
            i += 2;
            continue;
        }
        // `as name` and the rest of the statement do not name modules.
        while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b';' | b'\n') {
            i += 1;
        }
        out.push(path);
        return i;
    }
}

fn graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(src, f)).collect();
    let mut graph = Graph::new();
    for file in &files {
        let from = module_of(src, file);
        let text = std::fs::read_to_string(file).expect("read source");
        let deps = graph.entry(from.clone()).or_default();
        for path in crate_paths(&code_only(&text)) {
            // The longest module the path starts with is the one it imports.
            let mut segments: Vec<&str> = path.split("::").collect();
            while !segments.is_empty() && !modules.contains(&segments.join("::")) {
                segments.pop();
            }
            let to = segments.join("::");
            if to != from && !to.is_empty() {
                deps.insert(to);
            }
        }
    }
    graph
}

/// Groups of modules that reach each other (Tarjan's strongly connected components), largest first.
fn circles(graph: &Graph) -> Vec<Vec<String>> {
    struct Walk<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(w: &mut Walk<'g>, v: &'g str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        w.on_stack.insert(v);
        for to in w.graph.get(v).into_iter().flatten() {
            let to = to.as_str();
            if !w.graph.contains_key(to) {
                continue;
            }
            if !w.index.contains_key(to) {
                visit(w, to);
                let low = w.low[v].min(w.low[to]);
                w.low.insert(v, low);
            } else if w.on_stack.contains(to) {
                let low = w.low[v].min(w.index[to]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut group = Vec::new();
            while let Some(m) = w.stack.pop() {
                w.on_stack.remove(m);
                group.push(m.to_owned());
                if m == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                w.found.push(group);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            visit(&mut walk, v);
        }
    }
    walk.found.sort_by_key(|g| std::cmp::Reverse(g.len()));
    walk.found
}

const CAPABILITIES: &[&str] = &[
    "account",
    "admin",
    "cases",
    "workflow",
    "consult",
    "sorting",
    "open311",
    "open_data",
];

/// The server's layer of a module: kernel 0, web 1, a capability 2, startup and tools 3.
fn layer(module: &str) -> usize {
    match module.split("::").next().unwrap_or_default() {
        "kernel" => 0,
        "web" => 1,
        top if CAPABILITIES.contains(&top) => 2,
        _ => 3,
    }
}

/// A capability's HTTP adapter: its `web` module (and what sits beside it: `feeds`, `board_web`, the
/// REST `api`).
fn is_adapter(module: &str) -> bool {
    let mut parts = module.split("::");
    let top = parts.next().unwrap_or_default();
    CAPABILITIES.contains(&top)
        && parts.any(|p| matches!(p, "web" | "feeds" | "api") || p.ends_with("_web"))
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned()
}

#[test]
fn no_crate_has_an_import_circle() {
    let mut report = Vec::new();
    for krate in ["server", "domain", "app"] {
        let g = graph(&workspace().join(krate).join("src"));
        let edges: usize = g.values().map(BTreeSet::len).sum();
        println!("{krate}: {} modules, {edges} imports between them", g.len());
        for circle in circles(&g) {
            report.push(format!("{krate}: {}", circle.join(" ⇄ ")));
        }
    }
    assert!(report.is_empty(), "import circles:\n{}", report.join("\n"));
}

#[test]
fn server_modules_import_downwards_only() {
    let g = graph(&workspace().join("server").join("src"));
    let mut wrong = Vec::new();
    for (from, deps) in &g {
        for to in deps {
            if layer(to) > layer(from) {
                wrong.push(format!(
                    "{from} (layer {}) imports {to} (layer {})",
                    layer(from),
                    layer(to)
                ));
            }
            let service = layer(from) == 2 && !is_adapter(from);
            if service && (is_adapter(to) || layer(to) == 1) {
                wrong.push(format!("service {from} imports the HTTP adapter {to}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_finds_circles_and_group_imports() {
    let paths = crate_paths(
        "use crate::kernel::{store::{Store, X}, sms};\nlet a = crate::cases::web::f();",
    );
    assert_eq!(
        paths,
        [
            "kernel::store::Store",
            "kernel::store::X",
            "kernel::sms",
            "cases::web::f"
        ]
    );
    let mut g = Graph::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    g.entry("c".into()).or_default().insert("a".into());
    g.entry("d".into()).or_default().insert("a".into());
    assert_eq!(
        circles(&g),
        vec![vec!["a".to_owned(), "b".into(), "c".into()]]
    );
    assert!(
        code_only("// crate::x\nlet s = \"crate::y\";")
            .find("crate::")
            .is_none()
    );
}
