//! MTA-STS (RFC 8461) and SMTP TLS reporting (RFC 8460): the `_mta-sts` and `_smtp._tls` TXT
//! records, and the policy file from `https://mta-sts.<domain>/.well-known/mta-sts.txt`, read
//! faithfully, then judged against the domain's real MX hosts.

use serde::Serialize;

use super::{report_uris, tag_list, Finding, RecordError, Severity, Tag};

/// The largest `max_age` a policy may give, in seconds (RFC 8461 §3.2: 31557600).
pub const MAX_AGE_LIMIT: u64 = 31_557_600;

/// The `_mta-sts.<domain>` TXT record (RFC 8461 §3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StsRecord {
    /// The policy's id: 1 to 32 letters and digits; a new id tells senders to fetch again.
    pub id: String,
}

/// The policy's mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Enforce,
    Testing,
    None,
}

/// The policy file (RFC 8461 §3.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StsPolicy {
    pub mode: Mode,
    /// Seconds senders may cache the policy.
    pub max_age: u64,
    /// MX patterns: host names, or `*.` followed by a domain (one label).
    pub mx: Vec<String>,
}

/// The `_smtp._tls.<domain>` TXT record (RFC 8460 §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsRptRecord {
    /// Where reports go: `mailto:` or `https:` URIs.
    pub rua: Vec<String>,
}

/// The tags after the first part, which must be `version` (`v=STSv1`, `v=TLSRPTv1`).
fn tags<'a>(text: &'a str, version: &'static str) -> Result<Vec<Tag<'a>>, RecordError> {
    let mut parts = text
        .split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty());
    if parts.next().unwrap_or_default() != version {
        return Err(RecordError::WrongVersion { expected: version });
    }
    tag_list(parts, "tag")
}

/// The value of the tag `name`, which the record requires.
fn required<'a>(
    tags: &[Tag<'a>],
    name: &'static str,
    missing: &'static str,
) -> Result<&'a str, RecordError> {
    tags.iter()
        .find(|tag| tag.name == name)
        .map(|tag| tag.value)
        .ok_or(RecordError::Missing { name: missing })
}

/// Reads the `_mta-sts` TXT record.
pub fn parse_record(text: &str) -> Result<StsRecord, RecordError> {
    let id = required(&tags(text, "v=STSv1")?, "id", "id tag")?;
    let valid = (1..=32).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric());
    if !valid {
        return Err(RecordError::InvalidTerm {
            term: id.to_owned(),
            what: "policy id (1 to 32 letters and digits)",
        });
    }
    Ok(StsRecord { id: id.to_owned() })
}

/// Reads the `_smtp._tls` TXT record.
pub fn parse_tls_rpt(text: &str) -> Result<TlsRptRecord, RecordError> {
    let rua = report_uris(required(&tags(text, "v=TLSRPTv1")?, "rua", "rua tag")?)?;
    Ok(TlsRptRecord { rua })
}

/// Reads the policy file: `key: value` lines (CRLF or LF), `version: STSv1` first.
pub fn parse_policy(text: &str) -> Result<StsPolicy, RecordError> {
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let version = lines.next().unwrap_or_default();
    if version.replace(' ', "") != "version:STSv1" {
        return Err(RecordError::WrongVersion {
            expected: "version: STSv1",
        });
    }
    let mut mode = None;
    let mut max_age = None;
    let mut mx = Vec::new();
    for line in lines {
        let invalid = |what| RecordError::InvalidTerm {
            term: line.to_owned(),
            what,
        };
        let (key, value) = line.split_once(':').ok_or_else(|| invalid("policy line"))?;
        let value = value.trim();
        match key.trim() {
            "mode" => {
                let parsed = match value {
                    "enforce" => Mode::Enforce,
                    "testing" => Mode::Testing,
                    "none" => Mode::None,
                    _ => return Err(invalid("mode (enforce, testing or none)")),
                };
                if mode.replace(parsed).is_some() {
                    return Err(RecordError::Repeated {
                        name: "mode".into(),
                    });
                }
            }
            "max_age" => {
                let seconds = value
                    .parse::<u64>()
                    .ok()
                    .filter(|seconds| *seconds <= MAX_AGE_LIMIT)
                    .ok_or_else(|| invalid("max_age (0 to 31557600 seconds)"))?;
                if max_age.replace(seconds).is_some() {
                    return Err(RecordError::Repeated {
                        name: "max_age".into(),
                    });
                }
            }
            "mx" => {
                let pattern = value.to_ascii_lowercase();
                let host = pattern.strip_prefix("*.").unwrap_or(&pattern);
                if host.is_empty() || host.contains('*') || !host.contains('.') {
                    return Err(invalid("mx pattern"));
                }
                mx.push(pattern);
            }
            // Unknown keys are ignored (§3.2).
            _ => {}
        }
    }
    let mode = mode.ok_or(RecordError::Missing { name: "mode" })?;
    let max_age = max_age.ok_or(RecordError::Missing { name: "max_age" })?;
    if mode != Mode::None && mx.is_empty() {
        return Err(RecordError::Missing { name: "mx line" });
    }
    Ok(StsPolicy { mode, max_age, mx })
}

/// True when an MX host matches a policy pattern (RFC 8461 §4.1: a wildcard stands for exactly
/// one leftmost label).
pub fn mx_matches(pattern: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(domain) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == domain),
        None => host == pattern,
    }
}

/// What the audit says about a policy, given the domain's MX hosts.
pub fn judge(policy: &StsPolicy, mx_hosts: &[&str]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let unmatched: Vec<&str> = mx_hosts
        .iter()
        .copied()
        .filter(|host| !policy.mx.iter().any(|pattern| mx_matches(pattern, host)))
        .collect();
    if !unmatched.is_empty() && policy.mode != Mode::None {
        findings.push(Finding::new(
            "mta-sts-mx-not-covered",
            if policy.mode == Mode::Enforce { Severity::Fail } else { Severity::Warn },
            format!(
                "The MTA-STS policy does not cover the MX host(s) {}: senders that enforce it will not deliver there.",
                unmatched.join(", ")
            ),
            "Add an mx line for each MX host (or a *. pattern for their domain) and change the id in the TXT record.",
        ));
    }
    match policy.mode {
        Mode::Testing => findings.push(Finding::new(
            "mta-sts-testing",
            Severity::Warn,
            "MTA-STS is in testing mode: senders report failures but still deliver without TLS.".into(),
            "Switch to mode: enforce once the TLS reports show no failures.",
        )),
        Mode::None => findings.push(Finding::new(
            "mta-sts-none",
            Severity::Warn,
            "The MTA-STS policy is none: it withdraws protection.".into(),
            "Publish mode: enforce (or testing) with the MX hosts, unless you are removing MTA-STS.",
        )),
        Mode::Enforce => {}
    }
    if policy.max_age < 86_400 {
        findings.push(Finding::new(
            "mta-sts-short-max-age",
            Severity::Warn,
            format!("The MTA-STS policy may be cached for only {} seconds, so it protects little between fetches.", policy.max_age),
            "Use a max_age of at least a week (604800), as RFC 8461 suggests.",
        ));
    }
    findings.sort_by_key(|finding| finding.severity);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_8461_and_8460_examples_are_read() {
        assert_eq!(
            parse_record("v=STSv1; id=20160831085700Z;").unwrap().id,
            "20160831085700Z"
        );
        let policy = parse_policy(
            "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n",
        )
        .unwrap();
        assert_eq!(policy.mode, Mode::Enforce);
        assert_eq!(policy.max_age, 604_800);
        assert_eq!(policy.mx.len(), 3);
        let report = parse_tls_rpt(
            "v=TLSRPTv1;rua=mailto:reports@example.com,https://reporting.example.com/v1/tlsrpt",
        )
        .unwrap();
        assert_eq!(report.rua.len(), 2);
    }

    #[test]
    fn malformed_records_and_policies_are_errors() {
        for bad in [
            "v=STSv2; id=1",
            "v=STSv1;",
            "v=STSv1; id=not-alnum!",
            "v=STSv1; id=123456789012345678901234567890123",
            "id=1; v=STSv1",
        ] {
            assert!(parse_record(bad).is_err(), "{bad}");
        }
        for bad in [
            "v=TLSRPTv1;",
            "v=TLSRPTv1; rua=reports@example.com",
            "v=TLSRPTv2; rua=mailto:a@example.com",
        ] {
            assert!(parse_tls_rpt(bad).is_err(), "{bad}");
        }
        for bad in [
            "mode: enforce\nmax_age: 1\nmx: a.example",
            "version: STSv1\nmode: block\nmax_age: 1\nmx: a.example",
            "version: STSv1\nmode: enforce\nmax_age: 31557601\nmx: a.example",
            "version: STSv1\nmode: enforce\nmx: a.example",
            "version: STSv1\nmode: enforce\nmax_age: 86400",
            "version: STSv1\nmode: enforce\nmax_age: 86400\nmx: *.*.example",
            "version: STSv1\nmode: enforce\nmode: testing\nmax_age: 86400\nmx: a.example",
        ] {
            assert!(parse_policy(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn wildcards_stand_for_one_label() {
        assert!(mx_matches("*.example.net", "mx1.example.net."));
        assert!(!mx_matches("*.example.net", "a.mx1.example.net"));
        assert!(!mx_matches("*.example.net", "example.net"));
        assert!(mx_matches("mail.example.com", "MAIL.example.com"));
    }

    #[test]
    fn judgements_compare_the_policy_with_the_real_mx() {
        let policy =
            parse_policy("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800")
                .unwrap();
        assert!(judge(&policy, &["mail.example.com"]).is_empty());
        let ids: Vec<_> = judge(&policy, &["mail.example.com", "mx2.example.com"])
            .iter()
            .map(|f| (f.id, f.severity))
            .collect();
        assert_eq!(ids, [("mta-sts-mx-not-covered", Severity::Fail)]);
        let testing =
            parse_policy("version: STSv1\nmode: testing\nmx: *.example.com\nmax_age: 3600")
                .unwrap();
        let ids: Vec<_> = judge(&testing, &["mx2.example.com"])
            .iter()
            .map(|f| f.id)
            .collect();
        assert_eq!(ids, ["mta-sts-testing", "mta-sts-short-max-age"]);
    }
}
