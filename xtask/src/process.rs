//! Running commands: announced before they run, failing loudly, optionally captured.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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
    let status = command.status().map_err(|source| TaskError::Spawn {
        command: text.clone(),
        source,
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(TaskError::Failed {
            command: text,
            status: status.to_string(),
        })
    }
}

/// Runs a command, echoing its output line by line while keeping a copy to read counts from.
pub fn run_captured(command: &mut Command) -> Result<String, TaskError> {
    let text = describe(command);
    println!("$ {text}");
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| TaskError::Spawn {
            command: text.clone(),
            source,
        })?;
    let (sender, receiver) = mpsc::channel::<(bool, String)>();
    let mut readers = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        let sender = sender.clone();
        readers.push(std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send((false, line));
            }
        }));
    }
    if let Some(stderr) = child.stderr.take() {
        let sender = sender.clone();
        readers.push(std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = sender.send((true, line));
            }
        }));
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
    let status = child.wait().map_err(|source| TaskError::Spawn {
        command: text.clone(),
        source,
    })?;
    if status.success() {
        Ok(output)
    } else {
        Err(TaskError::Failed {
            command: text,
            status: status.to_string(),
        })
    }
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
