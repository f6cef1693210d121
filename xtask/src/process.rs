//! Running commands: announced before they run, failing loudly, optionally captured.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;

use crate::TaskError;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// Prints a step heading so every phase of a long run can be found in the log.
pub fn step(text: &str) {
    println!("\n==> {text}");
    let _ = std::io::stdout().flush();
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs a command with inherited output; an unsuccessful exit is an error.
pub fn run(command: &mut Command) -> Result<(), TaskError> {
    let text = describe(command);
    println!("$ {text}");
    let status = command.status().map_err(TaskError::spawn(text.clone()))?;
    succeeded(text, status)
}

/// Runs a command, echoing its output line by line while keeping a copy to read counts from.
pub fn run_captured(command: &mut Command) -> Result<String, TaskError> {
    let text = describe(command);
    println!("$ {text}");
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(TaskError::spawn(text.clone()))?;
    let (sender, receiver) = mpsc::channel::<(bool, String)>();
    let mut readers = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        readers.push(forward_lines(stdout, false, sender.clone()));
    }
    if let Some(stderr) = child.stderr.take() {
        readers.push(forward_lines(stderr, true, sender.clone()));
    }
    drop(sender);
    let mut output = String::new();
    for (is_err, line) in receiver {
        if is_err {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
        output.push_str(&line);
        output.push('\n');
    }
    for reader in readers {
        let _ = reader.join();
    }
    let status = child.wait().map_err(TaskError::spawn(text.clone()))?;
    succeeded(text, status).map(|()| output)
}

/// Ok for a successful exit; otherwise an error naming the command and how it ended.
fn succeeded(command: String, status: ExitStatus) -> Result<(), TaskError> {
    if status.success() {
        Ok(())
    } else {
        Err(TaskError::Failed {
            command,
            status: status.to_string(),
        })
    }
}

/// Sends each line `from` gives to `to`, marked as standard error or not, on its own thread.
fn forward_lines(
    from: impl Read + Send + 'static,
    is_err: bool,
    to: mpsc::Sender<(bool, String)>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            let _ = to.send((is_err, line));
        }
    })
}

/// Runs a command quietly and returns its standard output, or `None` if it cannot run or fails.
pub fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// True when `program` can be found on PATH.
pub fn on_path(program: &str) -> bool {
    find_on_path(program).is_some()
}

/// The full path of `program` on PATH, if any (the test kit's lookup, shared).
pub fn find_on_path(program: &str) -> Option<PathBuf> {
    portolan_testkit::find_program(program)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_both_streams_and_fails_on_a_bad_exit() {
        let output = run_captured(Command::new("sh").args(["-c", "echo out; echo err >&2"]))
            .expect("sh runs");
        let mut lines: Vec<&str> = output.lines().collect();
        lines.sort();
        assert_eq!(lines, ["err", "out"]);
        assert!(matches!(
            run_captured(Command::new("sh").args(["-c", "exit 3"])),
            Err(TaskError::Failed { .. })
        ));
        assert!(matches!(
            run(Command::new("sh").args(["-c", "exit 3"])),
            Err(TaskError::Failed { .. })
        ));
        assert!(run(&mut Command::new("true")).is_ok());
    }
}
