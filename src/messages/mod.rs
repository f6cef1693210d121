//! What crosses between the page and its workers, as JSON text: the engine worker's requests
//! and answers (`engine`), the probe worker's (`probe`), the result screen's data
//! (`report`), the troubleshooter's answer (`explanation`) and the provider audit (`audit`). Every type here is plain data, so the page can hold it without linking the code
//! that makes it.

pub mod audit;
pub mod engine;
pub mod explanation;
pub mod probe;
pub mod report;

use serde::{Deserialize, Serialize};

/// Encodes a message as JSON. Serialising these plain types cannot fail; should it ever, the
/// error text goes out instead, so the other side learns why.
pub fn encode<T: Serialize>(message: &T) -> String {
    serde_json::to_string(message).unwrap_or_else(|error| {
        serde_json::json!({ "failed": { "message": error.to_string() } }).to_string()
    })
}

/// Decodes a message, with a readable error for anything malformed.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|error| format!("malformed worker message: {error}"))
}
