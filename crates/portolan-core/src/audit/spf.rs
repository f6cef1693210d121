//! SPF records (RFC 7208): read faithfully, then judged.
//!
//! Reading follows RFC 7208 §4.5 and §12: the record is the one TXT string that starts with
//! `v=spf1` (followed by a space or nothing); terms are separated by spaces; a mechanism has
//! an optional qualifier (`+`, `-`, `~`, `?`, default `+`); `redirect` and `exp` may appear
//! once each (§6); unknown modifiers are kept and ignored. Anything else is a permanent error,
//! as a receiver would treat it.
//!
//! Judging: `+all` lets anyone send as the domain (fail), `?all` says nothing (warn), no `all`
//! and no `redirect` means neutral (warn), `ptr` is deprecated (§5.5, warn), and the terms
//! that cost a DNS lookup (`include`, `a`, `mx`, `ptr`, `exists`, `redirect`) are counted
//! against the limit of 10 (§4.6.4) — this record's own; the audit driver adds the includes'.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use super::{Finding, RecordError, Severity};

/// The most DNS-querying terms one SPF evaluation may use (RFC 7208 §4.6.4).
pub const MAX_DNS_LOOKUPS: usize = 10;

/// A qualifier: what a matching mechanism means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Qualifier {
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

/// One mechanism (RFC 7208 §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "value")]
pub enum Mechanism {
    All,
    Include(String),
    /// Optional domain and CIDR lengths (IPv4, IPv6).
    A(Option<String>, Option<u8>, Option<u8>),
    Mx(Option<String>, Option<u8>, Option<u8>),
    Ptr(Option<String>),
    Ip4(Ipv4Addr, Option<u8>),
    Ip6(Ipv6Addr, Option<u8>),
    Exists(String),
}

impl Mechanism {
    /// True for the mechanisms that cost a DNS lookup (RFC 7208 §4.6.4).
    pub fn queries_dns(&self) -> bool {
        matches!(
            self,
            Mechanism::Include(_)
                | Mechanism::A(..)
                | Mechanism::Mx(..)
                | Mechanism::Ptr(_)
                | Mechanism::Exists(_)
        )
    }
}

/// A mechanism with its qualifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    pub qualifier: Qualifier,
    pub mechanism: Mechanism,
}

/// A whole SPF record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpfRecord {
    pub directives: Vec<Directive>,
    pub redirect: Option<String>,
    pub explanation: Option<String>,
    /// Modifiers this reader does not know (kept, ignored, as §6 says).
    pub unknown_modifiers: Vec<(String, String)>,
}

impl SpfRecord {
    /// The terms of this record that cost a DNS lookup (includes' own terms not counted).
    pub fn dns_lookups(&self) -> usize {
        self.directives
            .iter()
            .filter(|directive| directive.mechanism.queries_dns())
            .count()
            + usize::from(self.effective_redirect().is_some())
    }

    /// The `redirect` that applies: none when the record has an `all` mechanism, which makes
    /// receivers ignore it (RFC 7208 §6.1).
    pub fn effective_redirect(&self) -> Option<&str> {
        self.redirect.as_deref().filter(|_| self.all().is_none())
    }

    /// The domains evaluating this record leads to, in order, once per occurrence: its
    /// includes, then the redirect that applies.
    pub fn referenced(&self) -> Vec<&str> {
        let mut targets = self.includes();
        targets.extend(self.effective_redirect());
        targets
    }

    /// The domains this record includes, in order (the audit driver resolves them to count
    /// their lookups too).
    pub fn includes(&self) -> Vec<&str> {
        self.directives
            .iter()
            .filter_map(|directive| match &directive.mechanism {
                Mechanism::Include(domain) => Some(domain.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The `all` directive's qualifier, when there is one.
    pub fn all(&self) -> Option<Qualifier> {
        self.directives
            .iter()
            .find(|directive| directive.mechanism == Mechanism::All)
            .map(|directive| directive.qualifier)
    }
}

/// Picks the domain's SPF record from its TXT strings: exactly one must start with `v=spf1`
/// (RFC 7208 §4.5); none is `Ok(None)`.
pub fn select(txt: &[String]) -> Result<Option<&str>, RecordError> {
    super::exactly_one(txt, "SPF", is_spf)
}

fn is_spf(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    lower == "v=spf1" || lower.starts_with("v=spf1 ")
}

/// Reads one SPF record.
pub fn parse(text: &str) -> Result<SpfRecord, RecordError> {
    if !is_spf(text) {
        return Err(RecordError::WrongVersion { expected: "v=spf1" });
    }
    let mut record = SpfRecord {
        directives: Vec::new(),
        redirect: None,
        explanation: None,
        unknown_modifiers: Vec::new(),
    };
    for term in text.split_ascii_whitespace().skip(1) {
        if let Some((name, value)) = modifier(term) {
            let slot = match name.as_str() {
                "redirect" => Some(&mut record.redirect),
                "exp" => Some(&mut record.explanation),
                _ => None,
            };
            match slot {
                Some(Some(_)) => return Err(RecordError::Repeated { name }),
                Some(slot) => *slot = Some(domain_spec(term, value)?),
                None => record.unknown_modifiers.push((name, value.to_owned())),
            }
            continue;
        }
        record.directives.push(directive(term)?);
    }
    Ok(record)
}

/// A modifier is `name=value` with a name of letters, digits, `-`, `_` and `.` (§4.6.1).
fn modifier(term: &str) -> Option<(String, &str)> {
    let (name, value) = term.split_once('=')?;
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    valid.then(|| (name.to_ascii_lowercase(), value))
}

fn directive(term: &str) -> Result<Directive, RecordError> {
    let (qualifier, rest) = match term.chars().next() {
        Some('+') => (Qualifier::Pass, &term[1..]),
        Some('-') => (Qualifier::Fail, &term[1..]),
        Some('~') => (Qualifier::SoftFail, &term[1..]),
        Some('?') => (Qualifier::Neutral, &term[1..]),
        _ => (Qualifier::Pass, term),
    };
    let invalid = |what| RecordError::InvalidTerm {
        term: term.to_owned(),
        what,
    };
    let (name, argument) = match rest.find([':', '/']) {
        Some(at) => (&rest[..at], Some(&rest[at..])),
        None => (rest, None),
    };
    let mechanism = match (name.to_ascii_lowercase().as_str(), argument) {
        ("all", None) => Mechanism::All,
        ("include", Some(arg)) => Mechanism::Include(domain_spec(
            term,
            colon(arg).ok_or_else(|| invalid("include"))?,
        )?),
        ("exists", Some(arg)) => Mechanism::Exists(domain_spec(
            term,
            colon(arg).ok_or_else(|| invalid("exists"))?,
        )?),
        ("ptr", None) => Mechanism::Ptr(None),
        ("ptr", Some(arg)) => Mechanism::Ptr(Some(domain_spec(
            term,
            colon(arg).ok_or_else(|| invalid("ptr"))?,
        )?)),
        ("a" | "mx", arg) => {
            let (domain, v4, v6) = domain_and_cidrs(term, arg)?;
            if name.eq_ignore_ascii_case("a") {
                Mechanism::A(domain, v4, v6)
            } else {
                Mechanism::Mx(domain, v4, v6)
            }
        }
        ("ip4", Some(arg)) => {
            let (address, cidr) = address_and_cidr(term, arg, 32)?;
            Mechanism::Ip4(address.parse().map_err(|_| invalid("IPv4 address"))?, cidr)
        }
        ("ip6", Some(arg)) => {
            let (address, cidr) = address_and_cidr(term, arg, 128)?;
            Mechanism::Ip6(address.parse().map_err(|_| invalid("IPv6 address"))?, cidr)
        }
        _ => return Err(invalid("SPF mechanism")),
    };
    Ok(Directive {
        qualifier,
        mechanism,
    })
}

/// The text after a leading `:`, when it starts so.
fn colon(argument: &str) -> Option<&str> {
    argument.strip_prefix(':').filter(|rest| !rest.is_empty())
}

/// A domain-spec (§7.1: macros allowed, so only its shape is checked): non-empty, at most
/// 253 characters, printable ASCII, not starting with a dot.
fn domain_spec(term: &str, value: &str) -> Result<String, RecordError> {
    let valid = !value.is_empty()
        && value.len() <= 253
        && !value.starts_with('.')
        && value.chars().all(|c| c.is_ascii_graphic())
        && has_domain_end(value);
    if valid {
        Ok(value.to_ascii_lowercase())
    } else {
        Err(RecordError::InvalidTerm {
            term: term.to_owned(),
            what: "domain",
        })
    }
}

/// RFC 7208 §7.1: a domain-spec ends in a macro-expand or in `.` and a top label (letters,
/// digits and inner hyphens, not all digits), an optional final dot after it.
fn has_domain_end(value: &str) -> bool {
    let value = value.strip_suffix('.').unwrap_or(value);
    if value.ends_with('}') && value.contains("%{") {
        return true;
    }
    let Some((rest, top)) = value.rsplit_once('.') else {
        return false;
    };
    !rest.is_empty()
        && !top.is_empty()
        && !top.starts_with('-')
        && !top.ends_with('-')
        && top.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && (top.contains('-') || top.chars().any(|c| c.is_ascii_alphabetic()))
}

/// An `a` or `mx` argument read: the domain, the IPv4 and the IPv6 prefix lengths.
type DomainAndCidrs = (Option<String>, Option<u8>, Option<u8>);

/// `a` and `mx` arguments: `[:domain][/v4cidr][//v6cidr]`.
fn domain_and_cidrs(term: &str, argument: Option<&str>) -> Result<DomainAndCidrs, RecordError> {
    let Some(argument) = argument else {
        return Ok((None, None, None));
    };
    let (domain_part, cidrs) = match argument.find('/') {
        Some(at) => (&argument[..at], &argument[at..]),
        None => (argument, ""),
    };
    let domain = match domain_part {
        "" => None,
        part => Some(domain_spec(
            term,
            colon(part).ok_or_else(|| RecordError::InvalidTerm {
                term: term.to_owned(),
                what: "domain",
            })?,
        )?),
    };
    let (v4, v6) = match cidrs.strip_prefix('/') {
        None => (None, None),
        Some(rest) => match rest.split_once("//") {
            Some(("", v6)) => (None, Some(cidr(term, v6, 128)?)),
            Some((v4, v6)) => (Some(cidr(term, v4, 32)?), Some(cidr(term, v6, 128)?)),
            None => match rest.strip_prefix('/') {
                Some(v6) => (None, Some(cidr(term, v6, 128)?)),
                None => (Some(cidr(term, rest, 32)?), None),
            },
        },
    };
    Ok((domain, v4, v6))
}

/// `:address[/cidr]`.
fn address_and_cidr<'a>(
    term: &str,
    argument: &'a str,
    max: u8,
) -> Result<(&'a str, Option<u8>), RecordError> {
    let rest = colon(argument).ok_or_else(|| RecordError::InvalidTerm {
        term: term.to_owned(),
        what: "address",
    })?;
    match rest.split_once('/') {
        Some((address, length)) => Ok((address, Some(cidr(term, length, max)?))),
        None => Ok((rest, None)),
    }
}

fn cidr(term: &str, text: &str, max: u8) -> Result<u8, RecordError> {
    text.parse::<u8>()
        .ok()
        .filter(|length| *length <= max && (text == "0" || !text.starts_with('0')))
        .ok_or_else(|| RecordError::InvalidTerm {
            term: term.to_owned(),
            what: "CIDR length",
        })
}

/// What the audit says about a record, most serious first.
pub fn judge(record: &SpfRecord) -> Vec<Finding> {
    let mut findings = Vec::new();
    match (record.all(), &record.redirect) {
        (Some(Qualifier::Pass), _) => findings.push(Finding::new(
            "spf-plus-all",
            Severity::Fail,
            "The SPF record ends in +all: it allows every server on the internet to send as this domain.".into(),
            "End the record with -all (or ~all while you check) after listing your real senders.",
        )),
        (Some(Qualifier::Neutral), _) => findings.push(Finding::new(
            "spf-neutral-all",
            Severity::Warn,
            "The SPF record ends in ?all: it says nothing about servers it does not list.".into(),
            "End the record with -all (or ~all) once every real sender is listed.",
        )),
        (None, None) => findings.push(Finding::new(
            "spf-no-all",
            Severity::Warn,
            "The SPF record has no all and no redirect: other servers get a neutral result.".into(),
            "End the record with -all (or ~all).",
        )),
        _ => {}
    }
    let lookups = record.dns_lookups();
    if lookups > MAX_DNS_LOOKUPS {
        findings.push(Finding::new(
            "spf-too-many-lookups",
            Severity::Fail,
            format!("The SPF record needs {lookups} DNS lookups on its own; receivers stop at {MAX_DNS_LOOKUPS} and treat it as an error."),
            "Replace include, a and mx terms with ip4/ip6 ranges, or drop senders you no longer use.",
        ));
    }
    if record
        .directives
        .iter()
        .any(|directive| matches!(directive.mechanism, Mechanism::Ptr(_)))
    {
        findings.push(Finding::new(
            "spf-ptr",
            Severity::Warn,
            "The SPF record uses ptr, which RFC 7208 says not to use: it is slow and unreliable."
                .into(),
            "Replace ptr with the senders' ip4/ip6 ranges or an include.",
        ));
    }
    findings.sort_by_key(|finding| finding.severity);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7208_examples_are_read() {
        // RFC 7208 §A examples, and typical provider records.
        let record = parse("v=spf1 +mx a:colo.example.com/28 -all").unwrap();
        assert_eq!(
            record.directives[1].mechanism,
            Mechanism::A(Some("colo.example.com".into()), Some(28), None)
        );
        assert_eq!(record.all(), Some(Qualifier::Fail));
        let record =
            parse("v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.google.com ~all")
                .unwrap();
        assert_eq!(
            record.directives[0].mechanism,
            Mechanism::Ip4(Ipv4Addr::new(192, 0, 2, 0), Some(24))
        );
        assert_eq!(record.includes(), ["_spf.google.com"]);
        assert_eq!(record.dns_lookups(), 1);
        let record = parse("v=spf1 redirect=_spf.example.com").unwrap();
        assert_eq!(record.redirect.as_deref(), Some("_spf.example.com"));
        assert_eq!(record.dns_lookups(), 1);
        // §6.1: with an all mechanism, the redirect is ignored.
        let record = parse("v=spf1 include:a.example -all redirect=_spf.example.com").unwrap();
        assert_eq!(record.effective_redirect(), None);
        assert_eq!(record.dns_lookups(), 1);
        assert_eq!(record.referenced(), ["a.example"]);
        let record =
            parse("V=SPF1 MX/24//64 a//128 ?ptr exists:%{i}._spf.example.com unknown=x -ALL")
                .unwrap();
        assert_eq!(
            record.directives[0].mechanism,
            Mechanism::Mx(None, Some(24), Some(64))
        );
        assert_eq!(
            record.directives[1].mechanism,
            Mechanism::A(None, None, Some(128))
        );
        assert_eq!(
            record.unknown_modifiers,
            [("unknown".to_owned(), "x".to_owned())]
        );
        assert_eq!(parse("v=spf1").unwrap().directives, []);
    }

    #[test]
    fn malformed_records_are_permanent_errors() {
        for bad in [
            "v=spf2 -all",
            "v=spf1x -all",
            "spf1 -all",
            "v=spf1 include -all",
            "v=spf1 include: -all",
            "v=spf1 ip4:300.1.1.1 -all",
            "v=spf1 ip4:192.0.2.0/33 -all",
            "v=spf1 ip6:2001:db8::/129 -all",
            "v=spf1 a/-1 -all",
            "v=spf1 all:example.com",
            "v=spf1 foo:bar -all",
            "v=spf1 redirect=a.example redirect=b.example",
            "v=spf1 exp=a.example exp=b.example -all",
            "v=spf1 ip4:192.0.2.1/024 -all",
            // RFC 7208 §7.1: a domain-spec must end in a top label or a macro.
            "v=spf1 include:<img/src=x> -all",
            "v=spf1 include:localhost -all",
            "v=spf1 include:example.123 -all",
            "v=spf1 a:example.-com -all",
        ] {
            assert!(parse(bad).is_err(), "{bad} was accepted: {:?}", parse(bad));
        }
    }

    #[test]
    fn exactly_one_record_is_selected() {
        let txt = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            select(&txt(&["google-site-verification=x", "v=spf1 -all"])).unwrap(),
            Some("v=spf1 -all")
        );
        assert_eq!(select(&txt(&["hello"])).unwrap(), None);
        assert_eq!(
            select(&txt(&["v=spf1 -all", "v=spf1 ~all"])),
            Err(RecordError::NotExactlyOne {
                what: "SPF",
                count: 2
            })
        );
    }

    #[test]
    fn judgements_name_the_risks() {
        let ids = |text: &str| -> Vec<&'static str> {
            judge(&parse(text).unwrap()).iter().map(|f| f.id).collect()
        };
        assert_eq!(ids("v=spf1 mx +all"), ["spf-plus-all"]);
        assert_eq!(ids("v=spf1 mx all"), ["spf-plus-all"], "no qualifier is +");
        assert_eq!(ids("v=spf1 mx ?all"), ["spf-neutral-all"]);
        assert_eq!(ids("v=spf1 mx"), ["spf-no-all"]);
        assert_eq!(ids("v=spf1 mx -all").len(), 0);
        assert_eq!(ids("v=spf1 ptr -all"), ["spf-ptr"]);
        let many = format!(
            "v=spf1 {} -all",
            (0..11)
                .map(|n| format!("include:s{n}.example"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        assert_eq!(ids(&many), ["spf-too-many-lookups"]);
        let ten = format!(
            "v=spf1 {} -all",
            (0..10)
                .map(|n| format!("a:h{n}.example"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        assert!(ids(&ten).is_empty(), "ten lookups are allowed");
    }
}
