//! BIMI (draft-brand-indicators-for-message-identification) at `default._bimi.<domain>`:
//! `v=BIMI1; l=<logo URL>; a=<certificate URL>`. Shown as information only: BIMI is not a
//! standard, and mail clients show the logo only with an enforcing DMARC policy.

use serde::Serialize;

use super::{Finding, RecordError, Severity};

/// A BIMI record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BimiRecord {
    /// The SVG logo's HTTPS URL (empty: the domain declines to show one).
    pub logo: String,
    /// The Verified Mark Certificate's HTTPS URL, when given.
    pub authority: Option<String>,
}

/// The BIMI owner name for `domain`, with the default selector.
pub fn owner_for(domain: &str) -> String {
    format!("default._bimi.{domain}")
}

/// Picks the BIMI record from the TXT strings at the owner name.
pub fn select(txt: &[String]) -> Result<Option<&str>, RecordError> {
    super::exactly_one(txt, "BIMI", |text| {
        text.trim_start()
            .get(..7)
            .is_some_and(|start| start.eq_ignore_ascii_case("v=BIMI1"))
    })
}

/// Reads a BIMI record.
pub fn parse(text: &str) -> Result<BimiRecord, RecordError> {
    let tags = super::tag_list(text.split(';'), "BIMI tag")?;
    let mut logo = None;
    let mut authority = None;
    for (index, tag) in tags.iter().enumerate() {
        let https = |value: &str| {
            if value.is_empty() || value.to_ascii_lowercase().starts_with("https://") {
                Ok(value.to_owned())
            } else {
                Err(RecordError::InvalidTerm {
                    term: tag.part.to_owned(),
                    what: "BIMI URL (https:)",
                })
            }
        };
        match tag.name.as_str() {
            "v" if index == 0 && tag.value.eq_ignore_ascii_case("BIMI1") => {}
            "v" => {
                return Err(RecordError::WrongVersion {
                    expected: "v=BIMI1",
                })
            }
            "l" => logo = Some(https(tag.value)?),
            "a" => authority = Some(https(tag.value)?).filter(|url: &String| !url.is_empty()),
            _ => {}
        }
    }
    if tags.first().is_none_or(|tag| tag.name != "v") {
        return Err(RecordError::WrongVersion {
            expected: "v=BIMI1",
        });
    }
    Ok(BimiRecord {
        logo: logo.ok_or(RecordError::Missing { name: "l tag" })?,
        authority,
    })
}

/// What the audit says about a BIMI record: information only.
pub fn judge(record: &BimiRecord) -> Vec<Finding> {
    let message = if record.logo.is_empty() {
        "The domain publishes a BIMI record that declines to show a logo.".to_owned()
    } else {
        format!(
            "The domain publishes a BIMI logo ({}){}.",
            record.logo,
            if record.authority.is_some() {
                " with a mark certificate"
            } else {
                " without a mark certificate, which some mailbox providers require"
            }
        )
    };
    vec![Finding::new(
        "bimi-published",
        Severity::Info,
        message,
        "Nothing to do; logos are shown only with an enforcing DMARC policy (quarantine or reject).",
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_read_and_bad_ones_refused() {
        let record =
            parse("v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem")
                .unwrap();
        assert_eq!(record.logo, "https://example.com/logo.svg");
        assert_eq!(
            record.authority.as_deref(),
            Some("https://example.com/vmc.pem")
        );
        let declined = parse("v=BIMI1; l=; a=;").unwrap();
        assert_eq!(declined.logo, "");
        assert_eq!(declined.authority, None);
        assert!(judge(&declined)[0].message.contains("declines"));
        assert!(matches!(
            parse("v=BIMI1; l=http://example.com/logo.svg"),
            Err(RecordError::InvalidTerm { .. })
        ));
        assert!(matches!(
            parse("l=https://x/logo.svg; v=BIMI1"),
            Err(RecordError::WrongVersion { .. })
        ));
        assert!(matches!(
            parse("v=BIMI1; a=https://x/a.pem"),
            Err(RecordError::Missing { .. })
        ));
        let txt = vec!["v=BIMI1; l=".to_owned(), "other".to_owned()];
        assert_eq!(select(&txt), Ok(Some("v=BIMI1; l=")));
        assert_eq!(owner_for("example.com"), "default._bimi.example.com");
    }
}
