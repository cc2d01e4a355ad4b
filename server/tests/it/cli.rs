//! The `linli` binary as an operator meets it: bad configuration, bad stores, and signals.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn linli() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_linli"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LINLI_CONFIG", "/dev/null")
        .env("LINLI_LOG", "warn");
    cmd
}

fn run(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().expect("run linli");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn malformed_configuration_stops_the_start_with_exit_code_2_and_names_the_setting() {
    let cases = [
        ("LINLI_ADDR", "not-an-address", "LINLI_ADDR"),
        ("LINLI_DEMO", "perhaps", "LINLI_DEMO"),
        ("LINLI_TILES", "googlemaps", "LINLI_TILES"),
        ("LINLI_DATABASE_URL", "mysql://x/y", "LINLI_DATABASE_URL"),
        ("LINLI_LOG_FORMAT", "xml", "LINLI_LOG_FORMAT"),
        ("LINLI_BODY_LIMIT_MB", "-3", "LINLI_BODY_LIMIT_MB"),
    ];
    for (name, value, expected) in cases {
        let (code, stderr) = run(linli().arg("check-config").env(name, value));
        assert_eq!(code, 2, "{name}={value}: {stderr}");
        assert!(stderr.contains(expected), "{name}={value}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let (code, stderr) = run(linli().arg("bogus"));
    assert_eq!(code, 2);
    assert!(stderr.contains("usage"), "{stderr}");
}

#[test]
fn a_config_file_with_a_typo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("linli.toml");
    std::fs::write(&file, "databse_url = \"sqlite://x.db\"\n").unwrap();
    let (code, stderr) = run(linli().arg("check-config").env("LINLI_CONFIG", &file));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("databse_url"), "{stderr}");
}

#[test]
fn unreachable_or_corrupt_databases_fail_with_a_clear_message() {
    let (code, stderr) = run(linli()
        .arg("migrate")
        .env("LINLI_DATABASE_URL", "postgres://postgres:pw@127.0.0.1:1/x"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    assert!(!stderr.contains(":pw@"), "password leaked: {stderr}");

    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("linli.db");
    std::fs::write(
        &junk,
        b"this is not a database, just text that is long enough to matter...",
    )
    .unwrap();
    let (code, stderr) = run(linli()
        .arg("serve")
        .env("LINLI_DATABASE_URL", format!("sqlite://{}", junk.display())));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("not a SQLite database"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn seed_subcommand_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("data/linli.db").display());
    let first = linli()
        .arg("seed")
        .env("LINLI_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("seeded: 138 territories"));
    let second = linli()
        .arg("seed")
        .env("LINLI_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&second.stdout)
            .contains("seeded: 0 territories, 0 departments, 0 categories")
    );
}

#[test]
fn serve_creates_the_sqlite_file_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("nested/data/linli.db");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut child = linli()
        .arg("serve")
        .env(
            "LINLI_DATABASE_URL",
            format!("sqlite://{}", db_path.display()),
        )
        .env("LINLI_ADDR", format!("127.0.0.1:{port}"))
        .env("LINLI_DEMO", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut up = false;
    while Instant::now() < deadline {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut buf = String::new();
            let _ = s.read_to_string(&mut buf);
            if buf.starts_with("HTTP/1.1 200") {
                up = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(up, "server did not become healthy");
    assert!(db_path.exists(), "SQLite file created with its folders");
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status {exit:?}");
}
