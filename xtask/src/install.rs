//! Installing what the tasks need, idempotently: each check is cheap, and only what is
//! missing is installed. Every step says what it does.

use std::path::Path;
use std::process::Command;

use crate::process::{on_path, output_of, root, run, step};
use crate::TaskError;

/// What the tools are for: serving needs the build tools; testing needs the browser and the
/// test servers too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Serve,
    Test,
}

/// The trunk release line that builds with this toolchain (0.22 needs a newer rustc).
const TRUNK_VERSION: &str = "0.21";

/// Debian packages the build needs: clang compiles ring's C for wasm32.
const BUILD_PACKAGES: &[&str] = &["clang"];

/// Debian packages the tests need: the browser and its driver, and the real servers the
/// integration tests start on loopback (DoH front end and resolver, mail servers, clients),
/// and testssl.sh, the peer the live checks' verdicts are compared with.
const TEST_PACKAGES: &[&str] = &[
    "chromium",
    "chromium-driver",
    "iproute2",
    "dnsdist",
    "unbound",
    "knot-dnsutils",
    "dovecot-imapd",
    "dovecot-pop3d",
    "postfix",
    "msmtp",
    "isync",
    // The Cyrus SASL XOAUTH2 plug-in mbsync needs for its OAuth2 sign-in.
    "libsasl2-modules-kdexoauth2",
    "neomutt",
    "fetchmail",
    "offlineimap3",
    "aerc",
    "websockify",
    "openssl",
    "testssl.sh",
];

/// Installs everything the purpose needs.
pub fn everything(purpose: Purpose) -> Result<(), TaskError> {
    step("checking tools (installing only what is missing)");
    wasm_target()?;
    let mut packages: Vec<&str> = BUILD_PACKAGES.to_vec();
    if purpose == Purpose::Test {
        packages.extend_from_slice(TEST_PACKAGES);
    }
    debian_packages(&packages)?;
    trunk()?;
    wasm_bindgen_cli()?;
    if purpose == Purpose::Test {
        npm_packages()?;
    }
    Ok(())
}

fn wasm_target() -> Result<(), TaskError> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|line| line.trim() == "wasm32-unknown-unknown")
    {
        println!("ok: rust target wasm32-unknown-unknown");
        return Ok(());
    }
    println!("installing: rust target wasm32-unknown-unknown");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn trunk() -> Result<(), TaskError> {
    let version = output_of("trunk", &["--version"]).unwrap_or_default();
    if version.starts_with(&format!("trunk {TRUNK_VERSION}.")) {
        println!("ok: {}", version.trim());
        return Ok(());
    }
    println!(
        "installing: trunk {TRUNK_VERSION} (found: {:?})",
        version.trim()
    );
    run(Command::new("cargo").args([
        "install",
        "trunk",
        "--version",
        &format!("~{TRUNK_VERSION}"),
        "--locked",
    ]))
}

/// The wasm-bindgen version in Cargo.lock; the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String, TaskError> {
    let path = root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&path).map_err(|source| TaskError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|next| next.trim().strip_prefix("version = \""))
                .and_then(|rest| rest.strip_suffix('"'))
            {
                return Ok(version.to_owned());
            }
        }
    }
    Err(TaskError::Setup(
        "Cargo.lock names no wasm-bindgen version".into(),
    ))
}

fn wasm_bindgen_cli() -> Result<(), TaskError> {
    let wanted = locked_wasm_bindgen_version()?;
    let found = output_of("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = on_path("wasm-bindgen-test-runner");
    if found.trim() == format!("wasm-bindgen {wanted}") && runner {
        println!("ok: {}", found.trim());
        return Ok(());
    }
    println!(
        "installing: wasm-bindgen-cli {wanted} (found: {:?})",
        found.trim()
    );
    // No --locked: the CLI's own lock file names a crate version this registry lacks.
    run(Command::new("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &wanted,
        "--force",
    ]))
}

fn package_installed(name: &str) -> bool {
    output_of("dpkg-query", &["-W", "-f=${Status}", name])
        .is_some_and(|status| status.trim() == "install ok installed")
}

fn debian_packages(packages: &[&str]) -> Result<(), TaskError> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|name| !package_installed(name))
        .collect();
    if missing.is_empty() {
        println!("ok: Debian packages ({})", packages.join(" "));
        return Ok(());
    }
    println!("installing Debian packages: {}", missing.join(" "));
    let as_root = output_of("id", &["-u"]).is_some_and(|uid| uid.trim() == "0");
    let apt = |args: &[&str]| -> Command {
        let mut command = if as_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "apt-get"]);
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut apt(&["update", "-q"]))?;
    // Without --no-install-recommends the install pulls in systemd pieces and breaks here.
    let mut install = apt(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(&missing);
    run(&mut install)
}

/// The end-to-end tests' npm packages (playwright-core, axe-core, jsQR, and the build's binaryen
/// and terser), in tests/e2e.
fn npm_packages() -> Result<(), TaskError> {
    let dir = root().join("tests/e2e");
    if npm_up_to_date(&dir) {
        println!("ok: npm packages in tests/e2e");
        return Ok(());
    }
    println!("installing: npm packages in tests/e2e (never a browser download)");
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefer-offline"])
        .current_dir(&dir)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}

/// npm records what it installed in node_modules/.package-lock.json; when that is newer than
/// the manifest and the lock file, nothing changed since the last install.
fn npm_up_to_date(dir: &Path) -> bool {
    let modified = |name: &str| std::fs::metadata(dir.join(name)).and_then(|meta| meta.modified());
    let Ok(installed) = modified("node_modules/.package-lock.json") else {
        return false;
    };
    ["package.json", "package-lock.json"]
        .iter()
        .all(|name| modified(name).is_ok_and(|changed| changed <= installed))
}
