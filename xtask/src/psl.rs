//! `cargo xtask import-psl PATH-TO-public_suffix_list.dat [--commit SHA]`: the Public Suffix
//! List into the core's compact copy (`crates/portolan-core/data/psl/`), used for MXBASE.
//!
//! The copy keeps the list's license notice, the section markers (so rules keep their ICANN
//! or private type) and every rule, and drops the other comments and blank lines: a third of
//! the size, the same rules. `SOURCE.md` next to it names the commit; `LICENSE` is MPL-2.0.

use std::fs;
use std::path::PathBuf;

use crate::process::{root, step};
use crate::TaskError;

/// Where the copy goes, relative to the workspace root.
const DIR: &str = "crates/portolan-core/data/psl";

/// Runs the task with the arguments after `import-psl`.
pub fn run(args: &[String]) -> Result<(), TaskError> {
    let mut path: Option<PathBuf> = None;
    let mut commit = "unknown".to_owned();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--commit" => commit = rest.next().cloned().unwrap_or(commit),
            other if path.is_none() && !other.starts_with('-') => path = Some(other.into()),
            other => {
                return Err(TaskError::Setup(format!(
                    "import-psl: unexpected argument {other:?}; usage: cargo xtask import-psl \
                     PATH-TO-public_suffix_list.dat [--commit SHA]"
                )))
            }
        }
    }
    let path = path.ok_or_else(|| {
        TaskError::Setup("import-psl needs the path of public_suffix_list.dat".into())
    })?;
    let io = |path: &PathBuf| {
        let path = path.display().to_string();
        move |source| TaskError::Io { path, source }
    };
    let text = fs::read_to_string(&path).map_err(io(&path))?;
    let compact = compact(&text);
    let rules = compact.lines().filter(|l| !l.starts_with("//")).count();
    if rules < 5000 {
        return Err(TaskError::Setup(format!(
            "{} has only {rules} rules: is it the Public Suffix List?",
            path.display()
        )));
    }
    let dir = root().join(DIR);
    step(&format!("writing {rules} rules to {DIR}"));
    fs::create_dir_all(&dir).map_err(io(&dir))?;
    let rules_file = dir.join("public_suffix_rules.txt");
    fs::write(&rules_file, compact).map_err(io(&rules_file))?;
    let source = dir.join("SOURCE.md");
    fs::write(
        &source,
        format!(
            "# The Public Suffix List (compact copy)\n\n\
             `public_suffix_rules.txt` holds every rule of <https://publicsuffix.org/list/>\n\
             (github.com/publicsuffix/list, `public_suffix_list.dat`), with its license notice\n\
             and section markers but without its other comments, written by\n\
             `cargo xtask import-psl`. The list is under the Mozilla Public License 2.0\n\
             (`LICENSE`). Portolan uses it to find an MX host's registrable domain (MXBASE).\n\n\
             Commit: {commit}\n"
        ),
    )
    .map_err(io(&source))?;
    println!("{rules} rules; now rebuild and run the tests");
    Ok(())
}

/// The license notice (the first comment block), the section markers and the rules.
fn compact(text: &str) -> String {
    let mut out = String::new();
    let mut in_notice = true;
    for line in text.lines().map(str::trim) {
        let keep = if line.starts_with("//") {
            in_notice || line.contains("===BEGIN") || line.contains("===END")
        } else {
            in_notice = false;
            !line.is_empty()
        };
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_markers_and_rules_are_kept_and_other_comments_dropped() {
        let list = "// This Source Code Form is subject to the terms of the MPL.\n\
                    // https://mozilla.org/MPL/2.0/.\n\n\
                    // ===BEGIN ICANN DOMAINS===\n\n// ac : https://nic.ac/\nac\ncom.ac\n\n\
                    // ===END ICANN DOMAINS===\n// ===BEGIN PRIVATE DOMAINS===\n*.example.net\n";
        assert_eq!(
            compact(list),
            "// This Source Code Form is subject to the terms of the MPL.\n\
             // https://mozilla.org/MPL/2.0/.\n\
             // ===BEGIN ICANN DOMAINS===\nac\ncom.ac\n\
             // ===END ICANN DOMAINS===\n// ===BEGIN PRIVATE DOMAINS===\n*.example.net\n"
        );
    }
}
