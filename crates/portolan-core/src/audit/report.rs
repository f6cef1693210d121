//! The audit assembled: every gathered fact (discovery's answers and files, the audit's own
//! records, the MTA-STS policy, the live checks of every port) judged into one checklist with
//! a score and a grade, the facts themselves, and the files to publish. Pure: the drivers
//! gather (following `gather`), this module decides.

use serde::Serialize;

use crate::discovery::{Answered, Fetched, FileKind, Purpose, Service};
use crate::dns::{Outcome, TlsaRecord};
use crate::formats::autoconfig;
use crate::lint;
use crate::model::{Discovery, FindingId, LiveCheck, Lookup, Protocol, Security, Severity};
use crate::setup;
use crate::MailInput;

use super::checklist::{self, Item, Status};
use super::gather::{self, AuditRecord, PortSet, PortTarget};
use super::publish::{self, PublishFile, SecurityState};
use super::{bimi, dkim, dmarc, mta_sts, spf, tlsa, RecordError};

/// What a browser driver records for a file the browser would not let it read (no CORS, or a
/// redirect it must not follow): the audit says so instead of failing the file.
pub const BLOCKED_IN_BROWSER: &str =
    "the browser may not read it: the server does not let other sites read it, or redirects";

/// Everything the drivers gathered for one domain.
#[derive(Debug, Clone)]
pub struct Gathered<'a> {
    pub input: &'a MailInput,
    /// What users see: discovery's merged result.
    pub discovery: &'a Discovery,
    /// Discovery's lookups and the audit's, in any order.
    pub answers: &'a [Answered],
    /// Discovery's fetched files and the MTA-STS policy.
    pub fetched: &'a [Fetched],
    /// Each checked port with its live check.
    pub checks: &'a [(PortTarget, LiveCheck)],
    pub dkim_selectors: &'a [String],
    pub ports: PortSet,
    /// Now, for the MTA-STS policy id.
    pub unix_seconds: i64,
    /// How the driver gathered it, for the report.
    pub gathering: Gathering,
    /// Gathered by a browser: a file it could not fetch may only be closed to cross-origin
    /// reads, so that is said instead of a failure.
    pub browser: bool,
}

/// How the gathering went, as the driver measured it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Gathering {
    /// Rounds of DNS lookups sent one after another (the first, then each follow-up round).
    pub dns_rounds: u32,
    /// Wall time from the first request to the last answer and check.
    pub milliseconds: u64,
}

/// One port as the audit found it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortReport {
    pub host: String,
    pub port: u16,
    pub protocol: Protocol,
    pub security: Security,
    /// Where the host was found.
    pub found_in: Vec<&'static str>,
    /// A connection was made.
    pub open: bool,
    /// The live check, for an open port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<LiveCheck>,
}

/// The DNS records and files the audit read, as published.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RecordFacts {
    pub mx: Vec<String>,
    pub spf: Option<String>,
    /// DNS lookups the SPF record costs, its includes counted (RFC 7208 §4.6.4).
    pub spf_lookups: Option<usize>,
    pub dmarc: Option<String>,
    /// Each selector asked for, with its record when there is one.
    pub dkim: Vec<(String, Option<String>)>,
    pub mta_sts: Option<String>,
    pub mta_sts_policy: Option<String>,
    pub tls_rpt: Option<String>,
    pub bimi: Option<String>,
    /// Each MX host's TLSA records and whether DNSSEC validated them.
    pub tlsa: Vec<TlsaFacts>,
}

/// One MX host's TLSA records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TlsaFacts {
    pub host: String,
    pub records: Vec<TlsaRecord>,
    pub dnssec: bool,
}

/// The counts of each status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub fail: usize,
    pub warn: usize,
    pub info: usize,
    pub pass: usize,
}

/// The whole audit: the `portolan audit --json` shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
    pub domain: String,
    pub grade: char,
    pub score: u8,
    pub counts: Counts,
    /// Most important first.
    pub items: Vec<Item>,
    pub records: RecordFacts,
    pub ports: Vec<PortReport>,
    /// What users see when they set up an address at this domain.
    pub discovery: Discovery,
    /// Every lookup and fetch, with its answer code and time.
    pub lookups: Vec<Lookup>,
    pub publish: Vec<PublishFile>,
    pub gathering: Gathering,
}

/// Judges everything gathered.
pub fn assemble(gathered: &Gathered) -> AuditReport {
    let domain = gathered.input.domain.ascii.clone();
    let mut items = Vec::new();
    let mut facts = RecordFacts {
        mx: gather::mx_hosts(gathered.answers),
        ..RecordFacts::default()
    };
    mx_items(gathered, &domain, &facts.mx, &mut items);
    spf_items(gathered.answers, &domain, &mut facts, &mut items);
    dmarc_items(gathered.answers, &domain, &mut facts, &mut items);
    dkim_items(gathered, &domain, &mut facts, &mut items);
    mta_sts_items(gathered, &domain, &mut facts, &mut items);
    tls_rpt_and_bimi_items(gathered.answers, &domain, &mut facts, &mut items);
    tlsa_items(gathered, &mut facts, &mut items);
    discovery_items(gathered, &domain, &mut items);
    let ports = port_reports(gathered.checks);
    port_items(&ports, &mut items);

    let checks: Vec<LiveCheck> = gathered
        .checks
        .iter()
        .map(|(_, check)| check.clone())
        .collect();
    let prepared = setup::prepare(
        gathered.input,
        gathered.discovery,
        &checks,
        None,
        &Default::default(),
    );
    recommendation_items(&prepared.recommendation, &domain, &mut items);
    let settings = prepared.settings;
    let state = SecurityState {
        mx: facts.mx.clone(),
        spf_missing: has_item(&items, "spf-missing"),
        dmarc_needed: ["dmarc-missing", "dmarc-invalid", "dmarc-multiple"]
            .iter()
            .any(|id| has_item(&items, id)),
        mta_sts_needed: [
            "mta-sts-missing",
            "mta-sts-invalid",
            "mta-sts-multiple",
            "mta-sts-policy-unreachable",
            "mta-sts-policy-invalid",
            "mta-sts-mx-not-covered",
        ]
        .iter()
        .any(|id| has_item(&items, id)),
        tls_rpt_needed: ["tls-rpt-missing", "tls-rpt-invalid", "tls-rpt-multiple"]
            .iter()
            .any(|id| has_item(&items, id)),
    };
    let files = publish::files(&domain, &settings, &state, gathered.unix_seconds);

    checklist::order(&mut items);
    let score = checklist::score(&items);
    let counts = Counts {
        fail: count(&items, Status::Fail),
        warn: count(&items, Status::Warn),
        info: count(&items, Status::Info),
        pass: count(&items, Status::Pass),
    };
    let mut lookups: Vec<Lookup> = gathered.answers.iter().map(Answered::to_lookup).collect();
    lookups.extend(gathered.fetched.iter().map(crate::discovery::fetch_lookup));
    AuditReport {
        grade: checklist::grade(&items, score),
        score,
        counts,
        items,
        records: facts,
        ports,
        discovery: gathered.discovery.clone(),
        lookups,
        publish: files,
        gathering: gathered.gathering,
        domain,
    }
}

fn count(items: &[Item], status: Status) -> usize {
    items.iter().filter(|item| item.status == status).count()
}

fn has_item(items: &[Item], id: &str) -> bool {
    items.iter().any(|item| item.id == id)
}

/// The one answer for `record` at `name`, when it was asked.
fn answer_at<'a>(answers: &'a [Answered], record: AuditRecord, name: &str) -> Option<&'a Answered> {
    answers.iter().find(|answered| {
        answered.query.purpose == Purpose::Audit(record) && answered.query.question.name == name
    })
}

/// What a TXT lookup gave: the strings, or why there are none to read.
enum Txt<'a> {
    Strings(&'a [String]),
    /// The name has no TXT records (or does not exist).
    Nothing,
    /// The lookup failed; the text says how.
    Failed(String),
}

fn txt_at<'a>(answers: &'a [Answered], record: AuditRecord, name: &str) -> Txt<'a> {
    let Some(answered) = answer_at(answers, record, name) else {
        return Txt::Failed("it was not looked up".into());
    };
    match &answered.result {
        Ok(response) => match &response.outcome {
            Outcome::Txt(strings) => Txt::Strings(strings),
            Outcome::NoData | Outcome::NxDomain => Txt::Nothing,
            Outcome::ServFail => {
                Txt::Failed("the resolver answered SERVFAIL (often a DNSSEC failure)".into())
            }
            other => Txt::Failed(format!("the resolver answered {other:?}")),
        },
        Err(error) => Txt::Failed(error.to_string()),
    }
}

/// Reads the record a TXT lookup found with `select` and `parse`, adding an item for what is
/// missing, ambiguous, unreadable or failed. `Some((text, parsed))` when there is a record.
#[allow(clippy::too_many_arguments)]
fn read_record<'a, T>(
    txt: Txt<'a>,
    select: impl Fn(&'a [String]) -> Result<Option<&'a str>, RecordError>,
    parse: impl Fn(&str) -> Result<T, RecordError>,
    what: &str,
    id: &str,
    subject: &str,
    missing: Option<(Status, Severity, &str, &str)>,
    items: &mut Vec<Item>,
) -> Option<(&'a str, T)> {
    let strings = match txt {
        Txt::Strings(strings) => strings,
        Txt::Nothing => &[],
        Txt::Failed(why) => {
            items.push(Item::new(
                format!("{id}-lookup-failed"),
                Status::Warn,
                Severity::Medium,
                subject,
                format!("The {what} record could not be read: {why}."),
                "Check that the zone answers TXT queries (and that DNSSEC, if used, validates), then run the audit again.",
            ));
            return None;
        }
    };
    match select(strings) {
        Ok(Some(text)) => match parse(text) {
            Ok(parsed) => Some((text, parsed)),
            Err(error) => {
                items.push(Item::new(
                    format!("{id}-invalid"),
                    Status::Fail,
                    Severity::High,
                    subject,
                    format!("The {what} record is not valid, so receivers ignore it: {error}."),
                    format!("Fix the record at {subject}; the files to publish below hold a correct one where Portolan can write it."),
                ));
                None
            }
        },
        Ok(None) => {
            if let Some((status, severity, message, fix)) = missing {
                items.push(Item::new(
                    format!("{id}-missing"),
                    status,
                    severity,
                    subject,
                    message,
                    fix,
                ));
            }
            None
        }
        Err(error) => {
            items.push(Item::new(
                format!("{id}-multiple"),
                Status::Fail,
                Severity::High,
                subject,
                format!("{error}, so receivers ignore them all."),
                "Merge them into one record.",
            ));
            None
        }
    }
}

fn mx_items(gathered: &Gathered, domain: &str, mx: &[String], items: &mut Vec<Item>) {
    let null_mx = gathered.answers.iter().any(|answered| {
        answered.query.purpose == Purpose::Mx
            && matches!(&answered.result, Ok(response) if matches!(&response.outcome, Outcome::Mx(records) if records.iter().any(|r| r.exchange == ".")))
    });
    let answered = gathered.answers.iter().any(|answered| {
        answered.query.purpose == Purpose::Mx
            && matches!(&answered.result, Ok(response) if matches!(response.outcome, Outcome::Mx(_) | Outcome::NoData | Outcome::NxDomain))
    });
    if !answered {
        items.push(Item::new("mx-lookup-failed", Status::Warn, Severity::Medium, domain, format!("The MX records of {domain} could not be looked up."), "Check that the zone answers MX queries (and that DNSSEC, if used, validates), then run the audit again."));
    } else if null_mx {
        items.push(Item::new(
            "null-mx",
            Status::Info,
            Severity::Info,
            domain,
            format!("{domain} publishes a null MX (RFC 7505): it receives no mail."),
            "Nothing to do if the domain only sends; otherwise publish its real MX records.",
        ));
    } else if mx.is_empty() {
        items.push(Item::new("mx-missing", Status::Fail, Severity::High, domain, format!("{domain} publishes no MX record: senders fall back to its address record, or give up."), "Publish MX records for the servers that receive this domain's mail."));
    } else {
        items.push(Item::pass(
            "mx-published",
            domain,
            format!("MX: {}.", mx.join(", ")),
            "Keep the MX records pointing at servers with valid certificates.",
        ));
    }
}

fn spf_items(answers: &[Answered], domain: &str, facts: &mut RecordFacts, items: &mut Vec<Item>) {
    let before = items.len();
    let Some((text, record)) = read_record(
        txt_at(answers, AuditRecord::Spf, domain),
        spf::select,
        spf::parse,
        "SPF",
        "spf",
        domain,
        Some((Status::Fail, Severity::High, "The domain publishes no SPF record: receivers cannot tell its servers from forgers.", "Publish a TXT record at the domain listing every server that sends as it, like v=spf1 mx -all (see the files to publish).")),
        items,
    ) else {
        return;
    };
    facts.spf = Some(text.to_owned());
    items.extend(
        spf::judge(&record)
            .iter()
            .map(|finding| Item::from_finding(finding, domain)),
    );
    // The whole tree's lookups: the record's own, and each include's, once per occurrence
    // (RFC 7208 §4.6.4).
    let mut tree = SpfTree::default();
    spf_tree(&record, answers, 0, &mut tree);
    let total = tree.lookups;
    facts.spf_lookups = Some(total);
    if !tree.broken.is_empty() {
        items.push(Item::new("spf-include-broken", Status::Fail, Severity::High, domain, format!("The SPF record leads to {} without a readable SPF record: receivers treat the whole record as an error (RFC 7208 §5.2).", tree.broken.join(", ")), "Remove the include, or fix the included domain's SPF record."));
    }
    if !tree.failed.is_empty() {
        items.push(Item::new("spf-include-lookup-failed", Status::Warn, Severity::Medium, domain, format!("The SPF record of {} could not be looked up, so receivers get a temporary error (RFC 7208 §5.2).", tree.failed.join(", ")), "Check that the included domains answer TXT queries."));
    }
    if total > spf::MAX_DNS_LOOKUPS && record.dns_lookups() <= spf::MAX_DNS_LOOKUPS {
        items.push(Item::new("spf-tree-too-many-lookups", Status::Fail, Severity::High, domain, format!("The SPF record and its includes need more than {} DNS lookups ({total} counted); receivers stop there and treat the record as an error.", spf::MAX_DNS_LOOKUPS), "Flatten includes into ip4/ip6 ranges, or drop senders you no longer use."));
    }
    if items[before..]
        .iter()
        .all(|item| item.status == Status::Info)
    {
        items.push(Item::pass(
            "spf-ok",
            domain,
            format!(
                "SPF: {text} ({total} of {} DNS lookups).",
                spf::MAX_DNS_LOOKUPS
            ),
            "List every new sending service in the record before it starts sending.",
        ));
    }
}

/// What an SPF record's tree costs, and what in it cannot be read.
#[derive(Default)]
struct SpfTree {
    lookups: usize,
    /// Referenced domains without a (valid) SPF record: a permanent error.
    broken: Vec<String>,
    /// Referenced domains whose lookup failed: a temporary error.
    failed: Vec<String>,
}

/// Adds `record`'s lookups and, for each domain it references, that domain's tree (per
/// occurrence); stops past the limit, so include loops end.
fn spf_tree(record: &spf::SpfRecord, answers: &[Answered], depth: usize, tree: &mut SpfTree) {
    tree.lookups += record.dns_lookups();
    if depth >= gather::MAX_SPF_FOLLOWED || tree.lookups > spf::MAX_DNS_LOOKUPS {
        return;
    }
    for target in record.referenced() {
        let name = target.trim_end_matches('.').to_ascii_lowercase();
        // Not followed (a macro, or past the budget): counted above as one lookup.
        let Some(answered) = answer_at(answers, AuditRecord::SpfInclude, &name) else {
            continue;
        };
        let strings = match &answered.result {
            Ok(response) => match &response.outcome {
                Outcome::Txt(strings) => strings.as_slice(),
                Outcome::NoData | Outcome::NxDomain => &[],
                _ => {
                    note(&mut tree.failed, name);
                    continue;
                }
            },
            Err(_) => {
                note(&mut tree.failed, name);
                continue;
            }
        };
        match spf::select(strings).ok().flatten().map(spf::parse) {
            Some(Ok(inner)) => spf_tree(&inner, answers, depth + 1, tree),
            _ => note(&mut tree.broken, name),
        }
    }
}

fn note(list: &mut Vec<String>, name: String) {
    if !list.contains(&name) {
        list.push(name);
    }
}

fn dmarc_items(answers: &[Answered], domain: &str, facts: &mut RecordFacts, items: &mut Vec<Item>) {
    let name = format!("_dmarc.{domain}");
    let before = items.len();
    let Some((text, record)) = read_record(
        txt_at(answers, AuditRecord::Dmarc, &name),
        dmarc::select,
        dmarc::parse,
        "DMARC",
        "dmarc",
        &name,
        Some((Status::Fail, Severity::High, "The domain publishes no DMARC record: nobody reports forged mail in its name, and receivers apply no policy.", "Publish a DMARC record, starting with p=none and a report address (see the files to publish).")),
        items,
    ) else {
        return;
    };
    facts.dmarc = Some(text.to_owned());
    items.extend(
        dmarc::judge(&record)
            .iter()
            .map(|finding| Item::from_finding(finding, &name)),
    );
    if items[before..]
        .iter()
        .all(|item| item.status == Status::Info)
    {
        items.push(Item::pass(
            "dmarc-ok",
            &name,
            format!("DMARC: {text}."),
            "Read the aggregate reports now and then.",
        ));
    }
}

fn dkim_items(gathered: &Gathered, domain: &str, facts: &mut RecordFacts, items: &mut Vec<Item>) {
    if gathered.dkim_selectors.is_empty() {
        items.push(Item::new(
            "dkim-not-checked",
            Status::Info,
            Severity::Info,
            domain,
            "DKIM keys were not checked: a key's name (its selector) cannot be found from DNS.",
            "Name the selectors your mail servers sign with (--dkim-selector) to check their keys.",
        ));
        return;
    }
    for selector in gathered.dkim_selectors {
        let name = format!("{selector}._domainkey.{domain}");
        let before = items.len();
        let found = read_record(
            txt_at(gathered.answers, AuditRecord::Dkim, &name),
            |strings| Ok(strings.iter().find(|text| !text.trim().is_empty()).map(String::as_str)),
            dkim::parse,
            "DKIM key",
            "dkim",
            &name,
            Some((Status::Fail, Severity::High, "No DKIM key is published for this selector: signatures made with it fail.", "Publish the selector's public key as a TXT record (your mail server or provider shows it).")),
            items,
        );
        facts.dkim.push((
            selector.clone(),
            found.as_ref().map(|(text, _)| (*text).to_owned()),
        ));
        if let Some((_, key)) = found {
            items.extend(
                dkim::judge(selector, &key)
                    .iter()
                    .map(|finding| Item::from_finding(finding, &name)),
            );
            if items[before..]
                .iter()
                .all(|item| item.status == Status::Info)
            {
                let size = key
                    .bits
                    .map(|bits| format!(", {bits} bits"))
                    .unwrap_or_default();
                items.push(Item::pass(
                    "dkim-ok",
                    &name,
                    format!(
                        "DKIM key for selector {selector}: {:?}{size}.",
                        key.key_type
                    ),
                    "Rotate the key now and then under a new selector.",
                ));
            }
        }
    }
}

fn mta_sts_items(
    gathered: &Gathered,
    domain: &str,
    facts: &mut RecordFacts,
    items: &mut Vec<Item>,
) {
    let name = format!("_mta-sts.{domain}");
    let before = items.len();
    let record = read_record(
        txt_at(gathered.answers, AuditRecord::MtaSts, &name),
        |strings| super::exactly_one(strings, "MTA-STS", |text| text.trim_start().to_ascii_lowercase().starts_with("v=stsv1")),
        mta_sts::parse_record,
        "MTA-STS",
        "mta-sts",
        &name,
        Some((Status::Warn, Severity::Medium, "The domain publishes no MTA-STS policy: senders fall back to unencrypted delivery when an attacker strips STARTTLS.", "Publish the MTA-STS policy file and its TXT record (see the files to publish), in testing mode first.")),
        items,
    );
    let Some((text, _)) = record else {
        return;
    };
    facts.mta_sts = Some(text.to_owned());
    let url = gather::policy_url(domain);
    let fetched = gathered
        .fetched
        .iter()
        .find(|fetch| fetch.kind == FileKind::MtaStsPolicy);
    let body = match fetched.map(|fetch| (fetch.status, &fetch.body)) {
        Some((200, Ok(body))) => body,
        Some((0, Err(error))) if gathered.browser && error == BLOCKED_IN_BROWSER => {
            items.push(Item::new("mta-sts-policy-unread", Status::Info, Severity::Info, &url, format!("The browser could not read the MTA-STS policy ({error}); servers rarely allow other sites to read it."), "Run portolan audit from a computer to check the policy file too."));
            return;
        }
        Some((status, result)) => {
            let why = match result {
                Err(error) => error.clone(),
                Ok(_) => format!("HTTP status {status}"),
            };
            items.push(Item::new("mta-sts-policy-unreachable", Status::Fail, Severity::High, &url, format!("The MTA-STS record is published, but its policy file could not be fetched: {why}."), format!("Serve the policy at {url} over HTTPS with a certificate valid for mta-sts.{domain}.")));
            return;
        }
        None => return,
    };
    facts.mta_sts_policy = Some(body.clone());
    match mta_sts::parse_policy(body) {
        Ok(policy) => {
            let hosts: Vec<&str> = facts.mx.iter().map(String::as_str).collect();
            items.extend(
                mta_sts::judge(&policy, &hosts)
                    .iter()
                    .map(|finding| Item::from_finding(finding, &url)),
            );
            if items[before..]
                .iter()
                .all(|item| item.status == Status::Info)
            {
                items.push(Item::pass(
                    "mta-sts-ok",
                    &url,
                    format!(
                        "MTA-STS policy in {:?} mode covers every MX host.",
                        policy.mode
                    )
                    .to_lowercase(),
                    "Change the record's id whenever the policy changes.",
                ));
            }
        }
        Err(error) => items.push(Item::new(
            "mta-sts-policy-invalid",
            Status::Fail,
            Severity::High,
            &url,
            format!("The MTA-STS policy file is not valid, so senders ignore it: {error}."),
            "Publish a policy like the one in the files to publish.",
        )),
    }
}

fn tls_rpt_and_bimi_items(
    answers: &[Answered],
    domain: &str,
    facts: &mut RecordFacts,
    items: &mut Vec<Item>,
) {
    let name = format!("_smtp._tls.{domain}");
    if let Some((text, _)) = read_record(
        txt_at(answers, AuditRecord::TlsRpt, &name),
        |strings| super::exactly_one(strings, "TLS-RPT", |text| text.trim_start().to_ascii_lowercase().starts_with("v=tlsrptv1")),
        mta_sts::parse_tls_rpt,
        "TLS-RPT",
        "tls-rpt",
        &name,
        Some((Status::Warn, Severity::Low, "The domain publishes no TLS-RPT record: nobody tells you when senders fail to reach your servers securely.", "Publish a TLS-RPT record with a report address (see the files to publish).")),
        items,
    ) {
        facts.tls_rpt = Some(text.to_owned());
        items.push(Item::pass("tls-rpt-ok", &name, format!("TLS-RPT: {text}."), "Read the reports now and then."));
    }
    let name = bimi::owner_for(domain);
    if let Some((text, record)) = read_record(
        txt_at(answers, AuditRecord::Bimi, &name),
        bimi::select,
        bimi::parse,
        "BIMI",
        "bimi",
        &name,
        None,
        items,
    ) {
        facts.bimi = Some(text.to_owned());
        items.extend(
            bimi::judge(&record)
                .iter()
                .map(|finding| Item::from_finding(finding, &name)),
        );
    }
    // A broken BIMI record is worth a warning, not a failure: BIMI is not a standard.
    for item in items
        .iter_mut()
        .filter(|item| item.id.starts_with("bimi-") && item.status == Status::Fail)
    {
        item.status = Status::Warn;
        item.severity = Severity::Low;
    }
}

fn tlsa_items(gathered: &Gathered, facts: &mut RecordFacts, items: &mut Vec<Item>) {
    for host in facts.mx.clone() {
        let owner = tlsa::owner_for(&host);
        let response =
            match answer_at(gathered.answers, AuditRecord::Tlsa, &owner).map(|a| &a.result) {
                Some(Ok(response)) => response,
                Some(Err(error)) => {
                    items.push(Item::new(
                        "dane-lookup-failed",
                        Status::Warn,
                        Severity::Medium,
                        owner.as_str(),
                        format!("The TLSA records of {host} could not be looked up: {error}."),
                        "Check that the zone answers TLSA queries, then run the audit again.",
                    ));
                    continue;
                }
                None => continue,
            };
        let records = match &response.outcome {
            Outcome::Tlsa(records) => records,
            Outcome::ServFail => {
                items.push(Item::new("dane-lookup-failed", Status::Fail, Severity::High, owner.as_str(), format!("The resolver answers SERVFAIL for the TLSA records of {host}: DANE senders defer mail to it (RFC 7672 §2.2)."), "Fix the zone's DNSSEC signatures (or its TLSA records) so the question gets an answer."));
                continue;
            }
            _ => continue,
        };
        // The certificate seen on port 25, else on any other TLS port of the host.
        let seen = gathered
            .checks
            .iter()
            .filter(|(target, _)| target.host == host)
            .filter_map(|(target, check)| {
                let digests = &check.tls.as_ref()?.certificate.as_ref()?.digests;
                (!digests.is_empty()).then_some((digests.as_slice(), target.port))
            })
            .min_by_key(|(_, port)| u16::from(*port != 25));
        items.extend(
            tlsa::judge(&host, records, response.authentic_data, seen)
                .iter()
                .map(|finding| Item::from_finding(finding, &owner)),
        );
        facts.tlsa.push(TlsaFacts {
            host,
            records: records.clone(),
            dnssec: response.authentic_data,
        });
    }
    if facts.tlsa.is_empty() && !facts.mx.is_empty() {
        items.push(Item::new(
            "dane-none",
            Status::Info,
            Severity::Info,
            facts.mx.join(", "),
            "No MX host publishes TLSA records (DANE for SMTP, RFC 7672).",
            "Once the zone is DNSSEC-signed, publish a 3 1 1 TLSA record for each MX host.",
        ));
    }
}

fn discovery_items(gathered: &Gathered, domain: &str, items: &mut Vec<Item>) {
    let srv_found: Vec<&str> = gathered
        .answers
        .iter()
        .filter_map(|answered| match answered.query.purpose {
            Purpose::Srv(service) if service != Service::Autodiscover => Some((service, answered)),
            _ => None,
        })
        .filter(|(_, answered)| matches!(&answered.result, Ok(response) if matches!(response.outcome, Outcome::Srv(_))))
        .map(|(service, _)| service.label())
        .collect();
    let srv_answered = gathered.answers.iter().any(|answered| {
        matches!(answered.query.purpose, Purpose::Srv(_)) && answered.result.is_ok()
    });
    if !srv_answered {
        items.push(Item::new(
            "srv-lookup-failed",
            Status::Warn,
            Severity::Low,
            domain,
            "The SRV records for mail apps could not be looked up.",
            "Check that the zone answers SRV queries, then run the audit again.",
        ));
    } else if srv_found.is_empty() {
        items.push(Item::new("srv-missing", Status::Warn, Severity::Low, domain, "The domain publishes no SRV records for mail apps (RFC 6186, RFC 8314), so apps must guess the servers.", "Publish the SRV records in the files to publish."));
    } else {
        items.push(Item::pass(
            "srv-published",
            domain,
            format!("SRV records for mail apps: {}.", srv_found.join(", ")),
            "Keep them in step with the servers.",
        ));
    }
    let published: Vec<&Fetched> = gathered
        .fetched
        .iter()
        .filter(|fetch| {
            fetch.kind == FileKind::Autoconfig && fetch.status == 200 && fetch.body.is_ok()
        })
        .collect();
    match published.first() {
        None => items.push(Item::new("autoconfig-missing", Status::Warn, Severity::Low, domain, "The domain publishes no autoconfig file, which Thunderbird and other apps read to set themselves up.", "Publish the autoconfig file in the files to publish.")),
        Some(fetch) => {
            let body = fetch.body.as_deref().unwrap_or_default();
            match autoconfig::parse(body) {
                Ok(config) => {
                    let findings = lint::lint_autoconfig(&config);
                    for finding in &findings {
                        let (status, severity) = match finding.severity {
                            lint::Severity::Error => (Status::Fail, Severity::Medium),
                            lint::Severity::Warning => (Status::Warn, Severity::Low),
                            lint::Severity::Info => (Status::Info, Severity::Info),
                        };
                        items.push(Item::new(format!("autoconfig-{}", finding.code), status, severity, fetch.url.as_str(), format!("{}: {}", finding.location, finding.message), "Correct the file (portolan lint shows every problem), or publish the one in the files to publish."));
                    }
                    if findings.iter().all(|finding| finding.severity == lint::Severity::Info) {
                        items.push(Item::pass("autoconfig-ok", &fetch.url, "The published autoconfig file is valid.".into(), "Keep it in step with the servers."));
                    }
                }
                Err(error) => items.push(Item::new("autoconfig-invalid", Status::Fail, Severity::Medium, fetch.url.as_str(), format!("The published autoconfig file cannot be read: {error}."), "Publish the autoconfig file in the files to publish.")),
            }
        }
    }
}

/// What mail apps are told to use, from everything found and checked: the user's view.
fn recommendation_items(
    recommendation: &crate::engine::Recommendation,
    domain: &str,
    items: &mut Vec<Item>,
) {
    for (advice, what) in [
        (&recommendation.incoming, "incoming"),
        (&recommendation.outgoing, "outgoing"),
    ] {
        match &advice.recommended {
            Some(ranked) => {
                let candidate = &ranked.candidate;
                let security = match candidate.security {
                    Security::Tls => "implicit TLS",
                    Security::Starttls => "STARTTLS",
                    Security::Plain => "no encryption",
                };
                items.push(Item::pass(
                    &format!("recommended-{what}"),
                    domain,
                    format!(
                        "Mail apps are told to use {} {}:{} with {security} for {what} mail.",
                        candidate.protocol.label(),
                        candidate.host,
                        candidate.port
                    ),
                    "Keep what the domain publishes in step with the servers.",
                ));
            }
            None => items.push(Item::new(
                format!("no-usable-{what}"),
                Status::Fail,
                Severity::High,
                domain,
                format!("Mail apps find no usable {what} server for this domain: {}", advice.summary),
                "Publish SRV records and an autoconfig file naming servers with implicit TLS (see the files to publish).",
            )),
        }
    }
}

/// Each target with its check, open or not.
fn port_reports(checks: &[(PortTarget, LiveCheck)]) -> Vec<PortReport> {
    let mut reports: Vec<PortReport> = checks
        .iter()
        .map(|(target, check)| PortReport {
            host: target.host.clone(),
            port: target.port,
            protocol: target.protocol,
            security: target.security,
            found_in: target.found_in.clone(),
            open: check.reachable,
            check: check.reachable.then(|| check.clone()),
        })
        .collect();
    reports.sort_by(|a, b| (&a.host, a.port).cmp(&(&b.host, b.port)));
    reports
}

fn port_items(ports: &[PortReport], items: &mut Vec<Item>) {
    if ports.is_empty() {
        items.push(Item::new(
            "ports-not-checked",
            Status::Info,
            Severity::Info,
            "ports",
            "The mail ports were not checked live.",
            "Check them through a relay (the Check ports button), or run portolan audit.",
        ));
        return;
    }
    let open: Vec<&PortReport> = ports.iter().filter(|port| port.open).collect();
    if open.iter().all(|port| port.port == 25) {
        items.push(Item::new("no-client-port-open", Status::Fail, Severity::High, "ports", "No mail host answered on any port mail apps use.", "Check that the servers run and that a firewall lets mail apps reach 993 and 465 (or 587)."));
    }
    for port in &open {
        let Some(check) = &port.check else { continue };
        let subject = format!("{}:{}", port.host, port.port);
        let mut problems = 0;
        for finding in &check.findings {
            let skipped = matches!(
                finding.id,
                FindingId::LoginSucceeded | FindingId::LoginFailed | FindingId::LoginSkipped
            ) || (port.port == 25 && finding.id == FindingId::Port25Submission);
            if skipped {
                continue;
            }
            let status = match finding.severity {
                Severity::High => Status::Fail,
                Severity::Medium | Severity::Low => Status::Warn,
                Severity::Info => Status::Info,
            };
            problems += usize::from(status != Status::Info);
            items.push(Item::new(
                finding.id.as_str(),
                status,
                finding.severity,
                subject.as_str(),
                finding.message.clone(),
                finding.fix.clone(),
            ));
        }
        if problems == 0 {
            let tls = check.tls.as_ref().map(|tls| {
                let days = tls
                    .certificate
                    .as_ref()
                    .map(|c| format!(", certificate valid for {} more days", c.days_left))
                    .unwrap_or_default();
                format!(" ({}{days})", tls.version)
            });
            items.push(Item::pass(
                "port-ok",
                &subject,
                format!(
                    "{} on port {} checks out{}.",
                    port.protocol.label(),
                    port.port,
                    tls.unwrap_or_default()
                ),
                "Renew the certificate before it expires.",
            ));
        }
    }
    // POP3 still running, once per host.
    let mut hosts: Vec<&str> = open.iter().map(|port| port.host.as_str()).collect();
    hosts.dedup();
    for host in hosts {
        let pop: Vec<String> = open
            .iter()
            .filter(|port| port.host == host && port.protocol == Protocol::Pop3)
            .map(|port| port.port.to_string())
            .collect();
        if !pop.is_empty() {
            items.push(Item::new("pop3-running", Status::Warn, Severity::Low, host, format!("POP3 is running on {host} (port {}): every open port is one more to keep safe.", pop.join(", ")), "If nobody uses POP3, turn it off; otherwise keep only 995."));
        }
        let mut certificates: Vec<&str> = open
            .iter()
            .filter(|port| port.host == host)
            .filter_map(|port| {
                Some(
                    port.check
                        .as_ref()?
                        .tls
                        .as_ref()?
                        .certificate
                        .as_ref()?
                        .digests
                        .first()?
                        .sha256
                        .as_str(),
                )
            })
            .collect();
        certificates.sort_unstable();
        certificates.dedup();
        if certificates.len() > 1 {
            items.push(Item::new("certificates-differ", Status::Info, Severity::Info, host, format!("{host} shows {} different certificates on its ports.", certificates.len()), "Fine if intended; renewing one certificate for every port is easier to keep right."));
        }
    }
}
