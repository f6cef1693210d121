//! What the audit hands the admin to publish, generated from the servers it verified: the
//! client-discovery DNS records (RFC 6186/8314 SRV, the PACC TXT record), the autoconfig file
//! in versions 1.1 and 1.2, the PACC document, and the mail-security records (an MTA-STS policy
//! with its TXT record, TLS-RPT, and, where
//! the domain lacks them, a DMARC record to start with and an SPF record). Exact and
//! deterministic: the only moving part, the MTA-STS policy id, comes from the time passed in.
//! An Autodiscover answer is written for one address at a time (the server answers each
//! request), so it is not among them: `portolan generate ADDRESS --format autodiscover` shows
//! one to answer with.

use serde::Serialize;

use crate::formats::{autoconfig, pacc, Settings};
use crate::setup::{self, Export, ExportOptions};

/// One file to publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishFile {
    /// Stable name: `dns-zone`, `autoconfig`, `autoconfig-1.2`, `pacc`, `mta-sts-policy`,
    /// `security-zone`.
    pub name: &'static str,
    pub file_name: String,
    pub content_type: &'static str,
    /// Where it goes, in one sentence.
    pub place: String,
    pub content: String,
}

/// What the audit found that shapes the mail-security records: each record is offered only
/// where it is missing or broken, so publishing them never adds a second record next to a
/// working one (which would make senders ignore both).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityState {
    /// The MX hosts, best first.
    pub mx: Vec<String>,
    /// No SPF record at all (a broken one is left to its own fix: replacing it with a guess
    /// would drop the senders it lists).
    pub spf_missing: bool,
    /// No usable DMARC record.
    pub dmarc_needed: bool,
    /// No usable MTA-STS record and policy.
    pub mta_sts_needed: bool,
    /// No usable TLS-RPT record.
    pub tls_rpt_needed: bool,
}

/// The files for `domain` (ASCII), from the verified `settings`; `unix_seconds` is now.
pub fn files(
    domain: &str,
    settings: &Settings,
    state: &SecurityState,
    unix_seconds: i64,
) -> Vec<PublishFile> {
    let mut out = Vec::new();
    let mut export =
        |export: Export, version: autoconfig::Version, name: &'static str, place: String| {
            let options = ExportOptions {
                autoconfig_version: version,
                ..ExportOptions::default()
            };
            if let Ok(content) = setup::export(export, settings, None, &options) {
                let file_name = match (export, version) {
                    (Export::Autoconfig, autoconfig::Version::V1_2) => "config-v1.2.xml".to_owned(),
                    _ => export.file_name(&settings.input),
                };
                out.push(PublishFile {
                    name,
                    file_name,
                    content_type: export.content_type(),
                    place,
                    content,
                });
            }
        };
    let v1_1 = autoconfig::Version::V1_1;
    export(
        Export::DnsZone,
        v1_1,
        "dns-zone",
        format!("In the zone of {domain}: the SRV records mail apps look up (RFC 6186, RFC 8314), and the PACC record for the document below when there is one."),
    );
    export(
        Export::Autoconfig,
        v1_1,
        "autoconfig",
        format!("At https://autoconfig.{domain}/mail/config-v1.1.xml and https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml."),
    );
    export(
        Export::Autoconfig,
        autoconfig::Version::V1_2,
        "autoconfig-1.2",
        "The same file in version 1.2 (draft-ietf-mailmaint-autoconfig: OAuth2 endpoints, JMAP, calendars, contacts), served at the same URLs in place of the 1.1 file once your users' mail apps read 1.2; the path stays config-v1.1.xml.".to_owned(),
    );
    export(
        Export::Pacc,
        v1_1,
        "pacc",
        format!("At https://{}.{domain}{} (draft-ietf-mailmaint-pacc), unchanged byte for byte: the TXT record in the dns-zone file carries its SHA-256 digest.", pacc::HOST_LABEL, pacc::PATH),
    );
    if state.mta_sts_needed && !state.mx.is_empty() {
        out.push(PublishFile {
            name: "mta-sts-policy",
            file_name: "mta-sts.txt".into(),
            content_type: "text/plain",
            place: format!("At https://mta-sts.{domain}/.well-known/mta-sts.txt, with a certificate valid for mta-sts.{domain} (RFC 8461 §3.2)."),
            content: mta_sts_policy(&state.mx),
        });
    }
    let zone = security_zone(domain, state, unix_seconds);
    if !zone.is_empty() {
        out.push(PublishFile {
            name: "security-zone",
            file_name: format!("{domain}.mail-security.zone"),
            content_type: "text/dns",
            place: format!("In the zone of {domain}: the TXT records it lacks for MTA-STS, TLS reports, DMARC and SPF."),
            content: zone,
        });
    }
    out
}

/// An MTA-STS policy in testing mode for the MX hosts: senders report failures but still
/// deliver, so nothing breaks while the reports are read; switch to `enforce` after.
pub fn mta_sts_policy(mx: &[String]) -> String {
    let mut policy = String::from("version: STSv1\r\nmode: testing\r\n");
    for host in mx {
        policy.push_str(&format!("mx: {host}\r\n"));
    }
    policy.push_str("max_age: 604800\r\n");
    policy
}

/// The TXT records, as zone lines with comments.
fn security_zone(domain: &str, state: &SecurityState, unix_seconds: i64) -> String {
    let mut zone = String::new();
    let mut line = |comment: &str, owner: &str, text: &str| {
        zone.push_str(&format!("; {comment}\n{owner}. 3600 IN TXT \"{text}\"\n"));
    };
    if state.mta_sts_needed && !state.mx.is_empty() {
        line(
            "MTA-STS (RFC 8461): one record only, so replace any existing one; change the id whenever the policy file changes.",
            &format!("_mta-sts.{domain}"),
            &format!("v=STSv1; id={}", utc_stamp(unix_seconds)),
        );
    }
    if state.tls_rpt_needed {
        line(
            "TLS reports (RFC 8460): where senders report failed TLS connections.",
            &format!("_smtp._tls.{domain}"),
            &format!("v=TLSRPTv1; rua=mailto:tls-reports@{domain}"),
        );
    }
    if state.dmarc_needed {
        line(
            "DMARC (RFC 7489) to start with, one record only: reports only; move to quarantine, then reject.",
            &format!("_dmarc.{domain}"),
            &format!("v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}"),
        );
    }
    if state.spf_missing {
        line(
            "SPF (RFC 7208): the MX hosts send; add every other server that sends as this domain.",
            domain,
            "v=spf1 mx -all",
        );
    }
    zone
}

/// `YYYYMMDDhhmmss` in UTC, for the MTA-STS policy id.
pub fn utc_stamp(unix_seconds: i64) -> String {
    crate::civil::UtcTime::from_unix(unix_seconds).compact()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::mta_sts;
    use crate::discovery::merge;

    #[test]
    fn the_policy_id_is_the_utc_time() {
        assert_eq!(utc_stamp(0), "19700101000000");
        // 2026-12-02T03:04:05Z, as `date -u -d @1796180645` prints it.
        assert_eq!(utc_stamp(1_796_180_645), "20261202030405");
        assert_eq!(utc_stamp(951_782_400), "20000229000000", "a leap day");
        assert_eq!(utc_stamp(-1), "19691231235959");
    }

    #[test]
    fn the_files_are_complete_and_the_policy_reads_back() {
        let input = crate::parse_input("example.com").unwrap();
        let discovery = merge(&input, &[], &[]);
        let settings = setup::prepare(&input, &discovery, &[], None, &Default::default()).settings;
        let state = SecurityState {
            mx: vec!["mx1.example.com".into(), "mx2.example.com".into()],
            spf_missing: true,
            dmarc_needed: false,
            mta_sts_needed: true,
            tls_rpt_needed: true,
        };
        let files = files("example.com", &settings, &state, 1_796_180_645);
        let names: Vec<&str> = files.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "dns-zone",
                "autoconfig",
                "autoconfig-1.2",
                "pacc",
                "mta-sts-policy",
                "security-zone"
            ]
        );
        // The PACC record in the zone vouches for the PACC document exactly.
        let record = files[0]
            .content
            .lines()
            .find(|line| line.starts_with("_ua-auto-config.example.com."))
            .and_then(|line| line.split('"').nth(1))
            .expect("the PACC record in the zone");
        assert_eq!(
            pacc::verify(files[3].content.as_bytes(), &[record.to_owned()]),
            pacc::Verification::Matched
        );
        assert_eq!(
            autoconfig::parse(&files[2].content)
                .unwrap()
                .version
                .as_deref(),
            Some("1.2")
        );
        let policy = mta_sts::parse_policy(&files[4].content).expect("our own policy reads back");
        assert_eq!(policy.mx, ["mx1.example.com", "mx2.example.com"]);
        assert!(
            mta_sts::judge(&policy, &["mx1.example.com", "mx2.example.com"])
                .iter()
                .all(|f| f.id != "mta-sts-mx-not-covered")
        );
        let zone = &files[5].content;
        assert!(
            zone.contains("_mta-sts.example.com. 3600 IN TXT \"v=STSv1; id=20261202030405\""),
            "{zone}"
        );
        assert!(zone.contains("v=spf1 mx -all"));
        assert!(
            !zone.contains("_dmarc"),
            "an existing DMARC record is left alone"
        );
        let record = zone.lines().find(|l| l.starts_with("_mta-sts")).unwrap();
        let text = record.split('"').nth(1).unwrap();
        assert!(mta_sts::parse_record(text).is_ok());
        let no_mx = super::files(
            "example.com",
            &settings,
            &SecurityState {
                dmarc_needed: true,
                mta_sts_needed: true,
                ..SecurityState::default()
            },
            0,
        );
        assert!(no_mx.iter().all(|f| f.name != "mta-sts-policy"));
        assert!(no_mx.last().unwrap().content.contains("_dmarc.example.com"));
        let all_good = super::files(
            "example.com",
            &settings,
            &SecurityState {
                mx: state.mx.clone(),
                ..SecurityState::default()
            },
            0,
        );
        let names: Vec<&str> = all_good.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            ["dns-zone", "autoconfig", "autoconfig-1.2", "pacc"],
            "nothing replaces working records"
        );
    }
}
