//! Reading the site's provider preset (`portolan.json`, next to index.html and so next to this
//! worker's script) with portolan-core's validation, and what the page is told about it.

use portolan_core::preset::{Preset, PRESET_FILE};

use super::fetch::{fetch, FetchError};
use super::words::tr;
use crate::messages::engine::Response;
use crate::strings;

/// How long the preset may take. It is a small file from the page's own site, but a preset
/// that turns lookups off must not be missed on a slow network (the service worker falls back
/// to its kept copy after 3 s), so the wait is generous.
const PRESET_TIMEOUT_MS: u32 = 10_000;
/// A preset is a few hundred bytes; anything near this is not one.
const MAX_PRESET_BYTES: usize = 64 * 1024;

/// Reads the preset: `None` when the site has none, which is no error; an error (in English)
/// for a file that is there but unusable, of which nothing is used.
pub async fn load() -> Option<Result<Preset, String>> {
    let fetched = fetch(
        &format!("./{PRESET_FILE}"),
        "application/json",
        None,
        PRESET_TIMEOUT_MS,
        MAX_PRESET_BYTES,
        true,
    )
    .await;
    match fetched {
        Ok(file) if file.status == 404 => None,
        // Hosts that answer every path with the app's page (the relay, single-page-app
        // hosting) have no preset either.
        Ok(file) if file.content_type.to_ascii_lowercase().starts_with("text/html") => None,
        Ok(file) if !(200..300).contains(&file.status) => Some(Err(format!(
            "{PRESET_FILE} could not be read: the server answered {}",
            file.status
        ))),
        Ok(file) => Some(Preset::parse(&file.body).map_err(|error| error.to_string())),
        // Not reachable (offline before the service worker kept it, say): as if absent.
        Err(FetchError::Timeout(_) | FetchError::Blocked(_)) => None,
        Err(FetchError::TooLarge(size)) => Some(Err(format!(
            "{PRESET_FILE} is {size} bytes, far more than a preset needs (at most {MAX_PRESET_BYTES})"
        ))),
    }
}

/// The preset to use (if any) and the page's answer to a reading, in the current language.
pub fn answer(parsed: Option<Result<Preset, String>>) -> (Option<Preset>, Response) {
    match parsed {
        None => (None, no_preset(None)),
        Some(Err(error)) => (None, no_preset(Some(error))),
        Some(Ok(preset)) => {
            let response = Response::Preset {
                lookups_off: !preset.lookups,
                resolver: preset.resolver.clone(),
                relay: preset.relay.clone(),
                branding: Some(preset.branding_json()),
                error: None,
                lang: strings::lang(),
            };
            (Some(preset), response)
        }
    }
}

fn no_preset(error: Option<String>) -> Response {
    Response::Preset {
        lookups_off: false,
        resolver: None,
        relay: None,
        branding: None,
        error: error.map(|error| tr(&error)),
        lang: strings::lang(),
    }
}
