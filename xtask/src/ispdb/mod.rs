//! `cargo xtask import-ispdb PATH [--commit SHA]`: Thunderbird's ISP database (a checkout of
//! github.com/thunderbird/autoconfig, or its `ispdb/` folder) into Portolan's provider table.
//!
//! Writes, deterministically:
//! - `crates/portolan-core/src/knowledge/ispdb.rs`, the generated table;
//! - `data/ispdb/`: the source files themselves, their MPL-2.0 `LICENSE`, `SOURCE.md` (where
//!   and which commit) and `IMPORT-REPORT.md` (every change and every conflict with the
//!   curated table), so CI can check the table against its source without the network.
//!
//! `cargo xtask bench-knowledge` prints how often Portolan's offline top IMAP pick agrees with
//! the ISPDB (see [`measure`]).

mod compare;
mod convert;
pub mod measure;
mod render;

use std::fs;
use std::path::{Path, PathBuf};

use portolan_core::formats::autoconfig::{self, ClientConfig};

use crate::process::{output_of, root, step};
use crate::TaskError;

/// Where the vendored copy lives, relative to the workspace root.
pub const DATA_DIR: &str = "data/ispdb";
/// Where the generated table goes, relative to the workspace root.
pub const TABLE_FILE: &str = "crates/portolan-core/src/knowledge/ispdb.rs";
const REPORT_FILE: &str = "IMPORT-REPORT.md";
const SOURCE_FILE: &str = "SOURCE.md";

/// What one import produces, as text.
pub struct Import {
    pub table: String,
    pub report: String,
    pub providers: usize,
    pub domains: usize,
    pub conflicts: usize,
    pub remarks: usize,
}

/// Runs the task with the arguments after `import-ispdb`.
pub fn run(args: &[String]) -> Result<(), TaskError> {
    let mut path: Option<PathBuf> = None;
    let mut commit: Option<String> = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--commit" => commit = rest.next().cloned(),
            other if path.is_none() && !other.starts_with('-') => path = Some(other.into()),
            other => {
                return Err(TaskError::Setup(format!(
                    "import-ispdb: unexpected argument {other:?}; usage: cargo xtask \
                     import-ispdb PATH-TO-CHECKOUT [--commit SHA]"
                )))
            }
        }
    }
    let path = path.ok_or_else(|| {
        TaskError::Setup(
            "import-ispdb needs the path of a checkout of github.com/thunderbird/autoconfig \
             (or of its ispdb/ folder)"
                .into(),
        )
    })?;
    let source = source_dir(&path)?;
    let commit = commit
        .or_else(|| {
            // Only the checkout's own history names its commit (not a repository around it).
            path.join(".git")
                .exists()
                .then(|| output_of("git", &["-C", &path.to_string_lossy(), "rev-parse", "HEAD"]))
                .flatten()
        })
        .map(|sha| sha.trim().to_owned())
        .filter(|sha| !sha.is_empty())
        .or_else(|| recorded_commit(&source))
        .unwrap_or_else(|| "unknown".to_owned());
    step(&format!("importing {} (commit {commit})", source.display()));
    let files = read_files(&source)?;
    let data = root().join(DATA_DIR);
    let same_dir = fs::canonicalize(&source).ok() == fs::canonicalize(&data).ok();
    if !same_dir {
        let license = [path.join("LICENSE"), source.join("LICENSE")]
            .into_iter()
            .find(|candidate| candidate.is_file())
            .ok_or_else(|| {
                TaskError::Setup(format!(
                    "no LICENSE next to {}: the MPL-2.0 notice must travel with the data",
                    source.display()
                ))
            })?;
        replace_vendored_copy(&source, &license, &data, &files, &commit)?;
    }
    let import = import(&files, &commit);
    write(&root().join(TABLE_FILE), &import.table)?;
    write(&data.join(REPORT_FILE), &import.report)?;
    println!(
        "{} providers, {} domains; {} changes and {} conflicts with the curated table, listed in \
         {DATA_DIR}/{REPORT_FILE}",
        import.providers, import.domains, import.remarks, import.conflicts
    );
    println!("wrote {TABLE_FILE}; rebuild and run `cargo xtask bench-knowledge` for the agreement");
    Ok(())
}

/// Converts parsed files into the generated table and report.
pub fn import(files: &[(String, ClientConfig)], commit: &str) -> Import {
    let (mut entries, remarks) = convert::convert(files);
    let conflicts = compare::link_and_compare(&mut entries, portolan_core::knowledge::curated());
    Import {
        table: render::table(&entries, commit),
        report: render::report(&entries, &remarks, &conflicts, commit),
        providers: entries.len(),
        domains: entries.iter().map(|entry| entry.domains.len()).sum(),
        conflicts: conflicts.len(),
        remarks: remarks.len(),
    }
}

/// The folder holding the XML files: `PATH/ispdb` for a checkout, else `PATH` itself.
fn source_dir(path: &Path) -> Result<PathBuf, TaskError> {
    let nested = path.join("ispdb");
    let dir = if nested.is_dir() {
        nested
    } else {
        path.to_owned()
    };
    if !dir.is_dir() {
        return Err(TaskError::Setup(format!(
            "{} is not a folder: give the path of a checkout of thunderbird/autoconfig",
            path.display()
        )));
    }
    Ok(dir)
}

/// Every `*.xml` file of `dir`, parsed, sorted by file name.
pub fn read_files(dir: &Path) -> Result<Vec<(String, ClientConfig)>, TaskError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| TaskError::Io { path, source }
    };
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(Result::ok)
        .map(|item| item.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".xml"))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(TaskError::Setup(format!(
            "{} holds no .xml files: is it the ISPDB's ispdb/ folder?",
            dir.display()
        )));
    }
    names
        .into_iter()
        .map(|name| {
            let path = dir.join(&name);
            let text = fs::read_to_string(&path).map_err(io(&path))?;
            let config = autoconfig::parse(&text).map_err(|error| {
                TaskError::Setup(format!(
                    "{}: not a readable autoconfig file: {error}",
                    path.display()
                ))
            })?;
            Ok((name, config))
        })
        .collect()
}

/// The files of the vendored copy, read.
pub fn vendored() -> Result<Vec<(String, ClientConfig)>, TaskError> {
    read_files(&root().join(DATA_DIR))
}

/// The commit recorded in the vendored copy's `SOURCE.md`.
pub fn recorded_commit(dir: &Path) -> Option<String> {
    let text = fs::read_to_string(dir.join(SOURCE_FILE)).ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("Commit: "))
        .map(|sha| sha.trim().to_owned())
}

fn replace_vendored_copy(
    source: &Path,
    license: &Path,
    data: &Path,
    files: &[(String, ClientConfig)],
    commit: &str,
) -> Result<(), TaskError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| TaskError::Io { path, source }
    };
    fs::create_dir_all(data).map_err(io(data))?;
    for old in fs::read_dir(data).map_err(io(data))?.filter_map(Result::ok) {
        if old.file_name().to_string_lossy().ends_with(".xml") {
            fs::remove_file(old.path()).map_err(io(&old.path()))?;
        }
    }
    for (name, _) in files {
        fs::copy(source.join(name), data.join(name)).map_err(io(&data.join(name)))?;
    }
    fs::copy(license, data.join("LICENSE")).map_err(io(&data.join("LICENSE")))?;
    write(
        &data.join(SOURCE_FILE),
        &format!(
            "# Thunderbird's ISP database (vendored)\n\n\
             The `*.xml` files here are the `ispdb/` folder of\n\
             <https://github.com/thunderbird/autoconfig>, unchanged, under the Mozilla Public\n\
             License 2.0 (`LICENSE`). Portolan's generated provider table\n\
             (`{TABLE_FILE}`) is derived from them by\n\
             `cargo xtask import-ispdb`; `{REPORT_FILE}` lists what the import changed and\n\
             where it disagrees with the curated table.\n\n\
             Commit: {commit}\n"
        ),
    )
}

fn write(path: &Path, text: &str) -> Result<(), TaskError> {
    fs::write(path, text).map_err(|source| TaskError::Io {
        path: path.display().to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_table_and_report_are_what_an_import_of_the_vendored_copy_writes() {
        let data = root().join(DATA_DIR);
        let commit = recorded_commit(&data).expect("SOURCE.md names the commit");
        let files = vendored().unwrap();
        let import = import(&files, &commit);
        let table = fs::read_to_string(root().join(TABLE_FILE)).unwrap();
        let report = fs::read_to_string(data.join(REPORT_FILE)).unwrap();
        assert!(
            table == import.table,
            "knowledge/ispdb.rs is stale: run `cargo xtask import-ispdb data/ispdb`"
        );
        assert!(
            report == import.report,
            "IMPORT-REPORT.md is stale: run `cargo xtask import-ispdb data/ispdb`"
        );
        assert_eq!(import.table, super::import(&files, &commit).table);
        assert!(data.join("LICENSE").is_file());
        assert!(import.providers >= 120 && import.domains >= 800);
    }

    #[test]
    fn the_offline_top_imap_pick_agrees_with_the_ispdb_for_at_least_99_percent() {
        let files = vendored().unwrap();
        let agreement = measure::agreement(&files);
        assert!(agreement.domains > 800, "{agreement:?}");
        assert!(
            agreement.percent() >= 99.0,
            "{:.2}% agree; the rest:\n{}",
            agreement.percent(),
            agreement.disagreements.join("\n")
        );
    }
}
