//! The service worker's part of the build: `static/sw.js` (copied by Trunk) gets this build's
//! version and the list of every file to keep for offline use.

use std::path::Path;

use super::{digest_hex, read, write};
use crate::TaskError;

/// The service worker's file name, fixed: the browser looks for updates at the same URL.
pub const SERVICE_WORKER: &str = "sw.js";
const VERSION_MARK: &str = "'__PORTOLAN_VERSION__'";
const FILES_MARK: &str = "'__PORTOLAN_FILES__'";

/// What the service worker keeps at install: every file of the build but itself and the probe
/// worker's, and `./` for the page.
pub struct Precache {
    pub files: Vec<String>,
    pub bytes: u64,
    pub version: String,
}

/// Fills in `dist/sw.js`; run last, when no other file changes any more.
pub fn write_service_worker(dist: &Path) -> Result<Precache, TaskError> {
    let listing_failed = |source| TaskError::Io {
        path: dist.display().to_string(),
        source,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(listing_failed)? {
        let entry = entry.map_err(listing_failed)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // The probe worker is fetched only when the user asks for a live check, which needs
        // the network anyway; the service worker keeps it once it was fetched.
        let on_demand = name.starts_with(crate::build::PROBE_WASM_PREFIX);
        if entry.path().is_file() && name != SERVICE_WORKER && !on_demand {
            names.push(name);
        }
    }
    names.sort();
    let mut contents = Vec::new();
    let mut bytes = 0;
    for name in &names {
        let data = read(&dist.join(name))?;
        bytes += data.len() as u64;
        contents.push(data);
    }
    let parts: Vec<&[u8]> = contents.iter().map(Vec::as_slice).collect();
    let version = digest_hex(&parts);
    let mut files = vec!["./".to_owned()];
    files.extend(names.iter().map(|name| format!("./{name}")));
    let template = String::from_utf8_lossy(&read(&dist.join(SERVICE_WORKER))?).into_owned();
    let filled = fill(&template, &version, &files).ok_or_else(|| {
        TaskError::Setup(format!(
            "dist/{SERVICE_WORKER} has no {VERSION_MARK} and {FILES_MARK} to fill in"
        ))
    })?;
    write(&dist.join(SERVICE_WORKER), filled.as_bytes())?;
    Ok(Precache {
        files,
        bytes,
        version,
    })
}

/// The template with the version and the file list (a JSON array) in place of the marks.
fn fill(template: &str, version: &str, files: &[String]) -> Option<String> {
    if !template.contains(VERSION_MARK) || !template.contains(FILES_MARK) {
        return None;
    }
    let list = serde_json::to_string(files).ok()?;
    Some(
        template
            .replace(VERSION_MARK, &format!("'{version}'"))
            .replace(FILES_MARK, &list),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_gets_a_version_and_a_json_list() {
        let template =
            "const VERSION = '__PORTOLAN_VERSION__';\nconst FILES = '__PORTOLAN_FILES__';";
        let filled = fill(template, "ab12", &["./".into(), "./index.html".into()]).unwrap();
        assert_eq!(
            filled,
            "const VERSION = 'ab12';\nconst FILES = [\"./\",\"./index.html\"];"
        );
        assert_eq!(fill("const VERSION = 1;", "ab12", &[]), None);
    }
}
