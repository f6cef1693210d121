//! Running out of file descriptors: with a tiny RLIMIT_NOFILE the relay's accepts fail with
//! EMFILE; it backs off and keeps serving once descriptors are free again, and never exits.

mod support;

use support::announced_address;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Sends one request and returns the whole response, or `None` if none came in time.
fn get(addr: &str, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(3))).ok()?;
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

#[test]
fn emfile_on_accept_slows_the_loop_but_never_kills_the_server() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portolan-relay"));
    command
        .args(["--listen", "127.0.0.1:0", "--header-timeout", "60"])
        .env("PORTOLAN_RELAY_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe and touches only the child being started.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 40,
                rlim_max: 40,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let addr = announced_address(&mut stdout);
    let (lines, log) = mpsc::channel::<String>();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });

    // Hold far more idle connections than the relay has descriptors for.
    let hogs: Vec<TcpStream> = (0..80)
        .filter_map(|_| TcpStream::connect(&addr).ok())
        .collect();
    assert!(hogs.len() >= 60, "only {} connections queued", hogs.len());
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut saw_emfile = false;
    while Instant::now() < deadline && !saw_emfile {
        if let Ok(line) = log.recv_timeout(Duration::from_millis(200)) {
            saw_emfile = line.contains("accept failed; backing off")
                && (line.contains("Too many open files") || line.contains("os error 24"));
        }
    }
    assert!(saw_emfile, "the relay never reported EMFILE");
    assert!(
        child.try_wait().unwrap().is_none(),
        "the relay died on EMFILE"
    );

    // Free the descriptors: the relay must recover and answer again.
    drop(hogs);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut healthy = false;
    while Instant::now() < deadline && !healthy {
        healthy = get(&addr, "/healthz").is_some_and(|response| response.ends_with("ok\n"));
        if !healthy {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    assert!(healthy, "the relay did not recover after EMFILE");
    let metrics = get(&addr, "/metrics").unwrap();
    let errors: u64 = metrics
        .lines()
        .find_map(|line| line.strip_prefix("portolan_relay_accept_errors_total "))
        .and_then(|value| value.trim().parse().ok())
        .unwrap();
    assert!(errors > 0, "{metrics}");
    // SAFETY: kill only signals our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
}
