//! `cargo xtask bench`, live-check part: `portolan check` against real dovecot and postfix
//! with 50 ms of added round-trip time (the test kit's proxies add 25 ms each way), beside
//! testssl.sh on the same servers. Prints, per server: the round trips the check's
//! conversation used (`round_trips` of `--no-scan` runs) against the protocol's ideal,
//! derived below with its reasoning (target: at most one more); the wall time of a
//! one-connection check (`--no-scan`) and of a full check with its scans; testssl.sh's wall
//! time for `--protocols --server-defaults` and the ratio; then the wall time of
//! `discover --probe` for a domain known only by guesses. Numbers only: nothing here asserts
//! a timing.
//!
//! Nothing leaves loopback. Where it can (root and iproute2), the task runs itself again
//! inside a fresh network namespace that has only loopback, as the CLI's tests do; there the
//! servers, the CLI and testssl.sh run. Besides, the servers bind 127.0.0.1; every host the
//! CLI would connect to is given to it as a `--connect-to` rule onto 127.0.0.1 (so it
//! resolves no name at all); its discovery asks only the DoH test server and fetches no files
//! (`--no-fetch`); testssl.sh is pinned to `--ip 127.0.0.1` with `--nodns none`. Without a
//! namespace testssl.sh is left out: it still asks the system's resolver about `invalid.`
//! (`openssl s_client -connect invalid.`, to learn which curves its OpenSSL has).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use portolan_testkit::mail::{MailOptions, MailServers};

use crate::process::{find_on_path, step};
use crate::stats::{summarize, Summary};
use crate::{build, TaskError};

/// Added one-way delay in each direction: 50 ms more per round trip.
const DELAY: Duration = Duration::from_millis(25);
/// Timed runs of each kind of check per server (after one warm-up run).
const CHECK_RUNS: usize = 7;
/// Runs of testssl.sh per server (each takes seconds).
const TESTSSL_RUNS: usize = 1;
/// Timed runs of `discover --probe` (after one warm-up run).
const DISCOVER_RUNS: usize = 5;
/// The domain `discover --probe` is asked about: the DoH test zone has nothing for it, so
/// every candidate is a guess.
const GUESS_DOMAIN: &str = "guess.test";

/// One server and what a check of it should cost.
struct Target {
    name: &'static str,
    /// `portolan check --protocol` and `--security`.
    protocol: &'static str,
    security: &'static str,
    /// `testssl --starttls`, for STARTTLS servers.
    testssl_starttls: Option<&'static str>,
    port: u16,
    ideal: Ideal,
}

/// The fewest round trips the conversation can take, and why.
struct Ideal {
    /// With a greeting that lists the capabilities (dovecot's IMAP greeting does).
    round_trips: u32,
    /// One more when the greeting lists none (IMAP only: a CAPABILITY command is needed).
    capability_command_if_not_in_greeting: bool,
    why: &'static str,
}

/// What one `portolan check --json` run printed, as far as this bench reads it.
struct CheckRun {
    wall_ms: f64,
    round_trips: u32,
    banner: String,
    tls_version: String,
    /// `timings_ms`: connect, greeting, starttls, tls_handshake, capabilities, total.
    timings: Vec<(&'static str, Option<u64>)>,
    error: Option<String>,
}

/// One server's numbers.
struct Measured {
    quick: Vec<CheckRun>,
    full: Vec<CheckRun>,
    testssl: Vec<TestsslRun>,
}

struct TestsslRun {
    wall_ms: f64,
    /// Its exit code and whether it reported the TLS 1.3 line (so it did get answers).
    status: String,
    answered: bool,
}

/// Set, to the CLI binary's path, for the copy of this task that runs inside the namespace.
const IN_NAMESPACE: &str = "PORTOLAN_BENCH_PROBE_CLI";

pub fn run() -> Result<(), TaskError> {
    if let Some(portolan) = std::env::var_os(IN_NAMESPACE) {
        loopback_only()?;
        return measure_all(Path::new(&portolan), true);
    }
    let portolan = build::native_binary("portolan-cli", "portolan")?;
    if in_namespace(&portolan)? {
        return Ok(());
    }
    println!("note: no network namespace (needs root and iproute2): running on the host, where testssl.sh is left out (it looks up `invalid.` through the system's resolver to learn what its OpenSSL supports)");
    measure_all(&portolan, false)
}

/// Runs this task again inside a fresh network namespace that has only loopback, so nothing
/// any program here does can leave the machine (testssl.sh would ask the system's resolver
/// about `invalid.`; the CLI would resolve a name it was not given a `--connect-to` for).
/// False when no namespace can be made.
fn in_namespace(portolan: &Path) -> Result<bool, TaskError> {
    let namespace = format!("portolan-bench-{}", std::process::id());
    let created = Command::new("ip")
        .args(["netns", "add", &namespace])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !created {
        return Ok(false);
    }
    step(&format!(
        "running the live-check bench inside network namespace {namespace} (loopback only)"
    ));
    let inside = |args: &[&str]| {
        let mut command = Command::new("ip");
        command.args(["netns", "exec", &namespace]).args(args);
        command
    };
    let outcome = std::env::current_exe()
        .map_err(|source| TaskError::Io {
            path: "the xtask binary".into(),
            source,
        })
        .and_then(|xtask| {
            crate::process::run(&mut inside(&["ip", "link", "set", "lo", "up"]))?;
            crate::process::run(
                inside(&[&xtask.to_string_lossy(), "bench-probe"]).env(IN_NAMESPACE, portolan),
            )
        });
    let _ = Command::new("ip")
        .args(["netns", "del", &namespace])
        .status();
    outcome.map(|()| true)
}

/// Inside the namespace only loopback may exist; anything else means the isolation failed.
fn loopback_only() -> Result<(), TaskError> {
    let interfaces: Vec<String> = std::fs::read_dir("/sys/class/net")
        .map_err(|source| TaskError::Io {
            path: "/sys/class/net".into(),
            source,
        })?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    if interfaces != ["lo"] {
        return Err(TaskError::Setup(format!(
            "the bench's network namespace must hold loopback only, not {interfaces:?}"
        )));
    }
    Ok(())
}

/// Everything measured, from starting the servers to the last table.
fn measure_all(portolan: &Path, with_testssl: bool) -> Result<(), TaskError> {
    let started = Instant::now();
    let testssl = if with_testssl {
        let found = find_on_path("testssl");
        if found.is_none() {
            println!("note: testssl.sh is not installed (apt-get install -y --no-install-recommends testssl.sh); only Portolan is measured");
        }
        found
    } else {
        None
    };
    let servers = MailServers::start_with(&MailOptions {
        delay: Some(DELAY),
        extra_names: vec![
            format!("imap.{GUESS_DOMAIN}"),
            format!("smtp.{GUESS_DOMAIN}"),
        ],
        ..MailOptions::default()
    })
    .map_err(|error| TaskError::Setup(format!("the mail servers: {error}")))?;
    let targets = targets(&servers)?;
    step(&format!(
        "live checks: dovecot + postfix with {} ms added per round trip ({} ms each way)",
        2 * DELAY.as_millis(),
        DELAY.as_millis()
    ));
    let mut measured = Vec::new();
    for target in &targets {
        measured.push(measure(
            portolan,
            testssl.as_deref(),
            target,
            &servers.ca_file,
        )?);
    }
    print_round_trips(&targets, &measured);
    print_wall_times(&targets, &measured, testssl.is_some());
    discover_probe(portolan, &servers)?;
    println!(
        "\nbench-probe took {:.0} s (after the build)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn targets(servers: &MailServers) -> Result<Vec<Target>, TaskError> {
    let implicit = |port: Option<u16>, what: &str| {
        port.ok_or_else(|| TaskError::Setup(format!("the test servers have no {what} port")))
    };
    Ok(vec![
        Target {
            name: "IMAP STARTTLS (dovecot)",
            protocol: "imap",
            security: "starttls",
            testssl_starttls: Some("imap"),
            port: servers.imap,
            ideal: Ideal {
                round_trips: 3,
                capability_command_if_not_in_greeting: true,
                why: "greeting (nothing sent before it: not counted; it lists the capabilities, \
                      so no CAPABILITY) -> STARTTLS 1 -> TLS 1.3 handshake 1 -> CAPABILITY \
                      again (RFC 3501 6.2.1: forget what was learnt before TLS), sent right \
                      after the client's Finished 1 = 3 (4 when the greeting lists none)",
            },
        },
        Target {
            name: "IMAP implicit TLS (dovecot)",
            protocol: "imap",
            security: "tls",
            testssl_starttls: None,
            port: implicit(servers.imaps, "IMAP implicit TLS")?,
            ideal: Ideal {
                round_trips: 2,
                capability_command_if_not_in_greeting: true,
                why: "TLS 1.3 handshake 1 -> the greeting, which the server sends only once it \
                      has the client's Finished 1 (it lists the capabilities) = 2 (3 when the \
                      greeting lists none)",
            },
        },
        Target {
            name: "POP3 STARTTLS (dovecot)",
            protocol: "pop3",
            security: "starttls",
            testssl_starttls: Some("pop3"),
            port: servers.pop3,
            ideal: Ideal {
                round_trips: 4,
                capability_command_if_not_in_greeting: false,
                why: "greeting (not counted; a POP3 greeting never lists capabilities) -> CAPA 1 \
                      (is STLS offered? no pipelining before CAPA says PIPELINING) -> STLS 1 -> \
                      TLS 1.3 handshake 1 -> CAPA again 1 = 4",
            },
        },
        Target {
            name: "submission STARTTLS (postfix)",
            protocol: "submission",
            security: "starttls",
            testssl_starttls: Some("smtp"),
            port: servers.submission,
            ideal: Ideal {
                round_trips: 4,
                capability_command_if_not_in_greeting: false,
                why: "greeting (not counted) -> EHLO 1 -> STARTTLS 1 (RFC 2920: STARTTLS ends a \
                      pipelined group, and EHLO must be answered first to know it is offered) \
                      -> TLS 1.3 handshake 1 -> EHLO again (RFC 3207 4.2) 1 = 4",
            },
        },
        Target {
            name: "submission implicit TLS (postfix)",
            protocol: "submission",
            security: "tls",
            testssl_starttls: None,
            port: servers.submissions,
            ideal: Ideal {
                round_trips: 3,
                capability_command_if_not_in_greeting: false,
                why: "TLS 1.3 handshake 1 -> the greeting, after the client's Finished 1 -> EHLO \
                      1 (RFC 5321 4.3.1: the client waits for the greeting) = 3",
            },
        },
    ])
}

impl Target {
    /// The ideal for what the server's greeting turned out to hold.
    fn ideal_for(&self, banner: &str) -> u32 {
        let listed = banner.to_ascii_uppercase().contains("[CAPABILITY ");
        let extra = self.ideal.capability_command_if_not_in_greeting && !listed;
        self.ideal.round_trips + u32::from(extra)
    }
}

/// Warm-up, then the one-connection and full checks interleaved (so load from elsewhere falls
/// on both alike), then testssl.sh.
fn measure(
    portolan: &Path,
    testssl: Option<&Path>,
    target: &Target,
    ca: &Path,
) -> Result<Measured, TaskError> {
    println!("{} on 127.0.0.1:{}", target.name, target.port);
    check_once(portolan, target, ca, false)?;
    check_once(portolan, target, ca, true)?;
    let mut quick = Vec::new();
    let mut full = Vec::new();
    for _ in 0..CHECK_RUNS {
        quick.push(check_once(portolan, target, ca, false)?);
        full.push(check_once(portolan, target, ca, true)?);
    }
    let mut testssl_runs = Vec::new();
    if let Some(testssl) = testssl {
        for _ in 0..TESTSSL_RUNS {
            testssl_runs.push(testssl_once(testssl, target, ca)?);
        }
    }
    Ok(Measured {
        quick,
        full,
        testssl: testssl_runs,
    })
}

fn check_once(
    portolan: &Path,
    target: &Target,
    ca: &Path,
    scans: bool,
) -> Result<CheckRun, TaskError> {
    let port = target.port.to_string();
    let mut command = Command::new(portolan);
    command
        .args(["check", "localhost", "--port", &port])
        .args(["--protocol", target.protocol, "--security", target.security])
        .arg("--ca")
        .arg(ca)
        .arg("--connect-to")
        .arg(format!("localhost:{port}:127.0.0.1:{port}"))
        .arg("--json")
        .stdin(Stdio::null());
    if !scans {
        command.arg("--no-scan");
    }
    let text = format!(
        "{} check localhost --port {port} --protocol {} --security {}{}",
        portolan.display(),
        target.protocol,
        target.security,
        if scans { "" } else { " --no-scan" }
    );
    let begun = Instant::now();
    let output = command.output().map_err(TaskError::spawn(text.clone()))?;
    let wall_ms = begun.elapsed().as_secs_f64() * 1000.0;
    // Exit 1 means findings (grade C or F): still a check that ran. 2 means it could not run.
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(TaskError::Failed {
            command: format!("{text}: {}", String::from_utf8_lossy(&output.stderr)),
            status: output.status.to_string(),
        });
    }
    let json = String::from_utf8_lossy(&output.stdout);
    let number = |key: &str| json_value(&json, key).and_then(|value| value.parse::<u64>().ok());
    // `capabilities` is also the name of the lists before and after TLS: read the times from
    // their own object.
    let timings_json = json.find("\"timings_ms\":").map_or("", |at| &json[at..]);
    let time = |key: &str| json_value(timings_json, key).and_then(|value| value.parse().ok());
    let timings = [
        "connect",
        "greeting",
        "starttls",
        "tls_handshake",
        "capabilities",
        "total",
    ]
    .map(|key| (key, time(key)))
    .to_vec();
    let run = CheckRun {
        wall_ms,
        round_trips: number("round_trips")
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0),
        banner: json_value(&json, "banner").unwrap_or_default().to_owned(),
        tls_version: json_value(&json, "version").unwrap_or("none").to_owned(),
        timings,
        error: json_value(&json, "error")
            .filter(|value| *value != "null")
            .map(str::to_owned),
    };
    if json_value(&json, "reachable") != Some("true") {
        return Err(TaskError::Setup(format!(
            "{text}: the server was not reachable:\n{json}"
        )));
    }
    Ok(run)
}

fn testssl_once(testssl: &Path, target: &Target, ca: &Path) -> Result<TestsslRun, TaskError> {
    let mut command = Command::new(testssl);
    command
        .args([
            "--quiet",
            "--color",
            "0",
            "--warnings",
            "off",
            "--nodns",
            "none",
        ])
        .arg("--add-ca")
        .arg(ca)
        .args(["--protocols", "--server-defaults", "--ip", "127.0.0.1"]);
    if let Some(protocol) = target.testssl_starttls {
        command.args(["--starttls", protocol]);
    }
    command
        .arg(format!("localhost:{}", target.port))
        .stdin(Stdio::null());
    let text = format!("testssl ... localhost:{}", target.port);
    let begun = Instant::now();
    let output = command.output().map_err(TaskError::spawn(text))?;
    let wall_ms = begun.elapsed().as_secs_f64() * 1000.0;
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(TestsslRun {
        wall_ms,
        status: output
            .status
            .code()
            .map_or_else(|| output.status.to_string(), |code| format!("exit {code}")),
        answered: stdout
            .lines()
            .any(|line| line.trim_start().starts_with("TLS 1.3") && line.contains("offered")),
    })
}

fn summary_of(samples: impl Iterator<Item = f64>) -> Option<Summary> {
    summarize(&samples.collect::<Vec<f64>>())
}

fn print_round_trips(targets: &[Target], measured: &[Measured]) {
    step("round trips of the check's conversation (--no-scan runs) against the ideal");
    println!(
        "{:<34} {:>11} {:>6} {:>8} {:>7}   TLS, greeting",
        "server", "round trips", "ideal", "target", "within"
    );
    for (target, numbers) in targets.iter().zip(measured) {
        let Some(first) = numbers.quick.first() else {
            continue;
        };
        let ideal = target.ideal_for(&first.banner);
        let low = numbers.quick.iter().map(|run| run.round_trips).min();
        let high = numbers.quick.iter().map(|run| run.round_trips).max();
        let used = match (low, high) {
            (Some(low), Some(high)) if low == high => low.to_string(),
            (Some(low), Some(high)) => format!("{low}-{high}"),
            _ => "-".to_owned(),
        };
        let within = high.is_some_and(|high| high <= ideal + 1);
        println!(
            "{:<34} {used:>11} {ideal:>6} {:>8} {:>7}   {}, {}",
            target.name,
            format!("<= {}", ideal + 1),
            if within { "yes" } else { "NO" },
            first.tls_version,
            clip(&first.banner, 60)
        );
    }
    println!("\nideal round trips, derived (a round trip = something sent, then a wait for the server; the connect and a greeting nothing was sent before are not counted):");
    for target in targets {
        println!("  {}: {}", target.name, squeeze(target.ideal.why));
    }
    println!(
        "\nsteps of one --no-scan check, ms (each round trip costs at least {} ms here):",
        2 * DELAY.as_millis()
    );
    println!(
        "{:<34} {:>8} {:>9} {:>9} {:>9} {:>13} {:>7}",
        "server", "connect", "greeting", "STARTTLS", "TLS", "capabilities", "total"
    );
    for (target, numbers) in targets.iter().zip(measured) {
        let Some(run) = middle_run(&numbers.quick) else {
            continue;
        };
        let cell = |key: &str| {
            run.timings
                .iter()
                .find(|(name, _)| *name == key)
                .and_then(|(_, value)| *value)
                .map_or("-".to_owned(), |ms| ms.to_string())
        };
        println!(
            "{:<34} {:>8} {:>9} {:>9} {:>9} {:>13} {:>7}{}",
            target.name,
            cell("connect"),
            cell("greeting"),
            cell("starttls"),
            cell("tls_handshake"),
            cell("capabilities"),
            cell("total"),
            run.error
                .as_deref()
                .map_or(String::new(), |error| format!("   stopped: {error}"))
        );
    }
}

/// The run with the median wall time.
fn middle_run(runs: &[CheckRun]) -> Option<&CheckRun> {
    let mut sorted: Vec<&CheckRun> = runs.iter().collect();
    sorted.sort_by(|a, b| a.wall_ms.total_cmp(&b.wall_ms));
    sorted.get(sorted.len() / 2).copied()
}

fn print_wall_times(targets: &[Target], measured: &[Measured], with_testssl: bool) {
    step(&format!(
        "wall time per server, process start to exit ({CHECK_RUNS} runs each; testssl.sh {TESTSSL_RUNS})"
    ));
    let cell = |summary: Option<Summary>| {
        summary.map_or("-".to_owned(), |s| {
            format!("{:.0} (min {:.0})", s.median, s.min)
        })
    };
    println!(
        "{:<34} {:>18} {:>18} {:>18} {:>9}",
        "server", "--no-scan, ms", "full check, ms", "testssl.sh, ms", "ratio"
    );
    let mut ratios = Vec::new();
    for (target, numbers) in targets.iter().zip(measured) {
        let quick = summary_of(numbers.quick.iter().map(|run| run.wall_ms));
        let full = summary_of(numbers.full.iter().map(|run| run.wall_ms));
        let testssl = summary_of(numbers.testssl.iter().map(|run| run.wall_ms));
        let ratio = match (full, testssl) {
            (Some(full), Some(testssl)) if full.median > 0.0 => {
                ratios.push(testssl.median / full.median);
                format!("{:.0}x", testssl.median / full.median)
            }
            _ => "-".to_owned(),
        };
        let note = numbers
            .testssl
            .iter()
            .filter(|run| !run.answered || run.status != "exit 0")
            .map(|run| {
                format!(
                    "testssl {}{}",
                    run.status,
                    if run.answered {
                        ""
                    } else {
                        ", no TLS 1.3 line"
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        println!(
            "{:<34} {:>18} {:>18} {:>18} {ratio:>9}{}",
            target.name,
            cell(quick),
            cell(full),
            cell(testssl),
            if note.is_empty() {
                String::new()
            } else {
                format!("   ({note})")
            }
        );
    }
    let scans: usize = 3 + 5;
    println!(
        "full check = the conversation plus {scans} scan connections (SSLv3, TLS 1.0, TLS 1.1; RC4, 3DES, NULL, export, CBC-SHA1), and the STARTTLS injection test for STARTTLS, in parallel"
    );
    if with_testssl {
        let lowest = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "testssl.sh = --protocols --server-defaults (versions offered, certificate and chain: the questions both answer); ratio = testssl.sh / Portolan's full check, medians (target >= 50x; lowest here {lowest:.0}x)"
        );
    }
}

/// `discover --probe` for a domain the DoH server knows nothing about: every candidate is a
/// guess, and every guess is probed. The `imap.` and `smtp.` guesses are mapped onto the
/// delayed servers; every other guess onto a closed loopback port.
fn discover_probe(portolan: &Path, servers: &MailServers) -> Result<(), TaskError> {
    let resolver = crate::dns::start_test_resolver(None, false)?;
    let address = format!("jane@{GUESS_DOMAIN}");
    // The guesses, from the CLI itself (offline: no network at all), so that every one of
    // them is mapped whatever the guessing rules become.
    let offline = run_portolan(
        portolan,
        &["discover", &address, "--offline", "--json"].map(str::to_owned),
    )?;
    let guesses = endpoints(&offline.0);
    if guesses.is_empty() {
        return Err(TaskError::Setup(format!(
            "`discover --offline` guessed nothing for {address}:\n{}",
            offline.0
        )));
    }
    let closed =
        portolan_testkit::free_port().map_err(|error| TaskError::Setup(error.to_string()))?;
    let imaps = servers.imaps.ok_or_else(|| {
        TaskError::Setup("the test servers have no IMAP implicit TLS port".into())
    })?;
    let live = [
        (format!("imap.{GUESS_DOMAIN}"), 993, imaps),
        (format!("imap.{GUESS_DOMAIN}"), 143, servers.imap),
        (format!("smtp.{GUESS_DOMAIN}"), 465, servers.submissions),
        (format!("smtp.{GUESS_DOMAIN}"), 587, servers.submission),
    ];
    let mut mapped_live = 0;
    let rules: Vec<String> = guesses
        .iter()
        .map(|(host, port)| {
            let to = live
                .iter()
                .find(|(name, standard, _)| name == host && standard == port)
                .map_or(closed, |(_, _, to)| {
                    mapped_live += 1;
                    *to
                });
            format!("{host}:{port}:127.0.0.1:{to}")
        })
        .collect();
    let mut args: Vec<String> = [
        "discover",
        &address,
        "--json",
        "--no-fetch",
        "--doh",
        &resolver.url,
    ]
    .map(str::to_owned)
    .to_vec();
    let dns_only = run_repeatedly(portolan, &args)?;
    args.extend(["--probe", "--probe-timeout-ms", "5000", "--ca"].map(str::to_owned));
    args.push(servers.ca_file.display().to_string());
    for rule in &rules {
        args.extend(["--connect-to".to_owned(), rule.clone()]);
    }
    step(&format!(
        "discover --probe {address}: no records, {} guesses probed ({mapped_live} mapped onto the delayed servers, the rest onto closed 127.0.0.1:{closed})",
        guesses.len()
    ));
    let (probed, output) = run_repeatedly_with_output(portolan, &args)?;
    let confirmed = json_values(&output, "confirmed")
        .iter()
        .filter(|value| **value == "true")
        .count();
    let reported = json_values(&output, "confirmed").len();
    if let Some(summary) = summarize(&dns_only) {
        println!("{:<46} {summary} ms", "discover, DoH only (no --probe)");
    }
    if let Some(summary) = summarize(&probed) {
        println!(
            "{:<46} {summary} ms",
            "discover --probe, every guess probed"
        );
    }
    println!("guesses confirmed live: {confirmed} of {reported} probed");
    let live_positions: Vec<String> = guesses
        .iter()
        .enumerate()
        .filter(|(_, (host, port))| {
            live.iter()
                .any(|(name, standard, _)| name == host && standard == port)
        })
        .map(|(index, (host, port))| format!("{host}:{port} is number {}", index + 1))
        .collect();
    println!(
        "probing order ({} guesses, started one after another with a pause between, see GUESS_STAGGER in crates/portolan-cli/src/probing.rs): {}",
        guesses.len(),
        live_positions.join(", ")
    );
    Ok(())
}

/// One warm-up run, then `DISCOVER_RUNS` timed runs; the wall times in ms.
fn run_repeatedly(portolan: &Path, args: &[String]) -> Result<Vec<f64>, TaskError> {
    run_repeatedly_with_output(portolan, args).map(|(samples, _)| samples)
}

fn run_repeatedly_with_output(
    portolan: &Path,
    args: &[String],
) -> Result<(Vec<f64>, String), TaskError> {
    let mut samples = Vec::with_capacity(DISCOVER_RUNS);
    let mut last = String::new();
    for run in 0..=DISCOVER_RUNS {
        let (output, wall_ms) = run_portolan(portolan, args)?;
        if run > 0 {
            samples.push(wall_ms);
        }
        last = output;
    }
    Ok((samples, last))
}

/// Runs the CLI; its standard output and wall time in ms. A failure to run is an error.
fn run_portolan(portolan: &Path, args: &[String]) -> Result<(String, f64), TaskError> {
    let text = format!("{} {}", portolan.display(), args.join(" "));
    let begun = Instant::now();
    let output = Command::new(portolan)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(TaskError::spawn(text.clone()))?;
    let wall_ms = begun.elapsed().as_secs_f64() * 1000.0;
    if !output.status.success() {
        return Err(TaskError::Failed {
            command: format!("{text}: {}", String::from_utf8_lossy(&output.stderr)),
            status: output.status.to_string(),
        });
    }
    Ok((
        String::from_utf8_lossy(&output.stdout).into_owned(),
        wall_ms,
    ))
}

/// Every `host` with the `port` after it in a discovery's JSON: the candidates' endpoints.
fn endpoints(json: &str) -> Vec<(String, u16)> {
    let mut found = Vec::new();
    let mut rest = json;
    while let Some(at) = rest.find("\"host\":") {
        rest = &rest[at..];
        let host = json_value(rest, "host").map(str::to_owned);
        let port = json_value(rest, "port").and_then(|port| port.parse().ok());
        if let (Some(host), Some(port)) = (host, port) {
            if !found.contains(&(host.clone(), port)) {
                found.push((host, port));
            }
        }
        rest = &rest["\"host\":".len()..];
    }
    found
}

/// The value of the first `"key":` in `json` (as serde_json prints it): a string's contents
/// (escapes left as they are), or a number, `true`, `false` or `null`. The xtask reads a few
/// fields of the CLI's output this way rather than depend on a JSON parser.
fn json_value<'a>(json: &'a str, key: &str) -> Option<&'a str> {
    json_values(json, key).into_iter().next()
}

/// The values of every `"key":` in `json`, in order (see [`json_value`]).
fn json_values<'a>(json: &'a str, key: &str) -> Vec<&'a str> {
    let needle = format!("\"{key}\":");
    json.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = json[at + needle.len()..].trim_start();
            match rest.strip_prefix('"') {
                Some(string) => {
                    let mut escaped = false;
                    let end = string.char_indices().find_map(|(index, c)| {
                        let closes = c == '"' && !escaped;
                        escaped = c == '\\' && !escaped;
                        closes.then_some(index)
                    })?;
                    Some(&string[..end])
                }
                None => {
                    let end = rest.find([',', '\n', '}', ']']).unwrap_or(rest.len());
                    Some(rest[..end].trim())
                }
            }
        })
        .collect()
}

/// `text` cut to `max` characters, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}

/// A string literal continued over lines, with the runs of spaces collapsed.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_of_pretty_json() {
        let json = "[\n  {\n    \"host\": \"imap.guess.test\",\n    \"port\": 993,\n    \"banner\": \"[CAPABILITY IMAP4rev1] \\\"ready\\\"\",\n    \"round_trips\": 3,\n    \"error\": null\n  },\n  {\n    \"host\": \"smtp.guess.test\",\n    \"port\": 465\n  }\n]";
        assert_eq!(json_value(json, "round_trips"), Some("3"));
        assert_eq!(
            json_value(json, "banner"),
            Some("[CAPABILITY IMAP4rev1] \\\"ready\\\"")
        );
        assert_eq!(json_value(json, "error"), Some("null"));
        assert_eq!(json_value(json, "missing"), None);
        assert_eq!(
            endpoints(json),
            vec![
                ("imap.guess.test".to_owned(), 993),
                ("smtp.guess.test".to_owned(), 465)
            ]
        );
    }
}
