//! The browser's provider audit: the same rounds as `portolan audit`
//! (`portolan_core::audit::gather`: discovery's batch, the audit's records and the MTA-STS
//! policy at once, then the follow-ups), without the port checks, which the page hands to the
//! probe worker when a relay is there and sends back here; then
//! `portolan_core::audit::report::assemble` judges it all and this module puts it in the
//! page's words (`AuditView`), every text escaped.

use futures::join;
use portolan_core::audit::checklist::Status;
use portolan_core::audit::gather::{self, PortSet, PortTarget};
use portolan_core::audit::report::{self, AuditReport, Gathered, Gathering, PortReport};
use portolan_core::discovery::{self, Answered, FetchRequest, Fetched, FileKind};
use portolan_core::model::{Discovery, LiveCheck};
use portolan_core::{parse_input, MailInput};

use super::fetch::{elapsed_ms, now_ms};
use super::lookups::{fetch_all, gather as gather_discovery, resolve_all, DiscoveryConfig};
use super::markup::{escape, said};
use crate::messages::audit::AuditView;
use crate::messages::probe::Target;
use crate::messages::report::Download;
use crate::strings;

/// One audit's gathered facts, kept so live checks of its ports can be judged in later.
#[derive(Debug, Clone)]
pub struct AuditGathered {
    pub generation: u32,
    input: MailInput,
    selectors: Vec<String>,
    discovery: Discovery,
    answers: Vec<Answered>,
    fetched: Vec<Fetched>,
    targets: Vec<PortTarget>,
    gathering: Gathering,
}

/// Gathers everything but the port checks for `domain`; the error is the form's words.
pub async fn gather_audit(
    generation: u32,
    domain: &str,
    selectors: Vec<String>,
    config: &DiscoveryConfig,
) -> Result<AuditGathered, String> {
    let typed = parse_input(domain).map_err(|error| error.to_string())?;
    let input = MailInput {
        local_part: None,
        domain: typed.domain,
    };
    gather::check_selectors(&selectors)?;
    let started = now_ms();
    let ascii = input.domain.ascii.clone();
    let policy = FetchRequest {
        kind: FileKind::MtaStsPolicy,
        url: gather::policy_url(&ascii),
    };
    let ((discovery_answers, mut fetched), mut answers, policy) = join!(
        gather_discovery(&input, config),
        resolve_all(gather::first_lookups(&ascii, &selectors), config),
        fetch_all(vec![policy], config.timeout_ms),
    );
    fetched.extend(policy);
    let discovery = discovery::merge(&input, &discovery_answers, &fetched);
    answers.extend(discovery_answers);
    let mut dns_rounds = 1;
    for _ in 0..gather::MAX_FOLLOW_UP_ROUNDS {
        let next = gather::follow_ups(&answers);
        if next.is_empty() {
            break;
        }
        answers.extend(resolve_all(next, config).await);
        dns_rounds += 1;
    }
    let targets = gather::port_targets(&discovery, &gather::mx_hosts(&answers), PortSet::Client);
    Ok(AuditGathered {
        generation,
        input,
        selectors,
        discovery,
        answers,
        fetched,
        targets,
        gathering: Gathering {
            dns_rounds,
            milliseconds: elapsed_ms(started),
        },
    })
}

/// The audit judged with the live checks made so far, in the page's words; `unix_seconds`
/// is now.
pub fn view(gathered: &AuditGathered, checks: &[LiveCheck], unix_seconds: i64) -> AuditView {
    // Each check belongs to the target with its host and port.
    let checked: Vec<(PortTarget, LiveCheck)> = gathered
        .targets
        .iter()
        .filter_map(|target| {
            checks
                .iter()
                .find(|check| check.host == target.host && check.port == target.port)
                .map(|check| (target.clone(), check.clone()))
        })
        .collect();
    let report = report::assemble(&Gathered {
        input: &gathered.input,
        discovery: &gathered.discovery,
        answers: &gathered.answers,
        fetched: &gathered.fetched,
        checks: &checked,
        dkim_selectors: &gathered.selectors,
        ports: PortSet::Client,
        unix_seconds,
        gathering: gathered.gathering,
        browser: true,
    });
    let mut downloads: Vec<Download> = report
        .publish
        .iter()
        .map(|file| Download {
            name: file.name.to_owned(),
            file_name: file.file_name.clone(),
            content_type: file.content_type.to_owned(),
            content: file.content.clone(),
        })
        .collect();
    downloads.push(Download {
        name: "audit-json".into(),
        file_name: format!("{}.audit.json", report.domain),
        content_type: "application/json".into(),
        content: serde_json::to_string_pretty(&report).unwrap_or_default(),
    });
    AuditView {
        domain: gathered.input.domain.unicode.clone(),
        error: None,
        grade: report.grade.to_string(),
        summary: strings::audit_summary(
            report.score,
            report.counts.fail,
            report.counts.warn,
            report.counts.pass,
        ),
        html: markup(&report),
        downloads,
        // The browser checks the hosts the domain names (SRV, MX, files, knowledge); the usual
        // names only when nothing names a host. `portolan audit` tries them all.
        targets: named_first(&gathered.targets)
            .into_iter()
            .map(|target| Target {
                protocol: target.protocol,
                host: target.host.clone(),
                port: target.port,
                security: target.security,
            })
            .collect(),
        lang: strings::lang(),
    }
}

/// The targets whose host something names, or all when nothing does.
fn named_first(targets: &[PortTarget]) -> Vec<&PortTarget> {
    let named: Vec<&PortTarget> = targets
        .iter()
        .filter(|target| target.found_in.iter().any(|found| *found != "usual-name"))
        .collect();
    if named.is_empty() {
        targets.iter().collect()
    } else {
        named
    }
}

/// The view for a domain the audit cannot take.
pub fn refused(domain: &str, error: String) -> AuditView {
    AuditView {
        domain: domain.to_owned(),
        error: Some(error),
        lang: strings::lang(),
        ..AuditView::default()
    }
}

/// A status as the markup's `data-status` names it, in every language.
fn status_id(status: Status) -> &'static str {
    match status {
        Status::Fail => "fail",
        Status::Warn => "warn",
        Status::Info => "info",
        Status::Pass => "pass",
    }
}

/// The checklist, the ports and the published records, as markup.
fn markup(report: &AuditReport) -> String {
    let mut html = format!(
        "<h3 id=\"audit-checklist-heading\">{}</h3><ul class=\"audit-items\" aria-labelledby=\"audit-checklist-heading\">",
        escape(strings::AUDIT_CHECKLIST())
    );
    for item in &report.items {
        let (class, word) = match item.status {
            Status::Fail => ("grade-bad", strings::AUDIT_FAIL()),
            Status::Warn => ("grade-fallback", strings::AUDIT_WARN()),
            Status::Info => ("grade-info", strings::AUDIT_INFO()),
            Status::Pass => ("grade-good", strings::AUDIT_PASS()),
        };
        html.push_str(&format!(
            "<li class=\"audit-item\" data-item=\"{}\" data-status=\"{}\"><span class=\"badge {class}\">{}</span> <code>{}</code> {}",
            escape(&item.id),
            status_id(item.status),
            escape(word),
            escape(&item.subject),
            said(&item.message),
        ));
        if item.status != Status::Pass {
            html.push_str(&format!(
                "<span class=\"fix\"> {} {}</span>",
                escape(strings::LIVE_FIX()),
                said(&item.fix)
            ));
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    html.push_str(&ports_markup(&report.ports));
    html.push_str(&records_markup(report));
    html
}

fn ports_markup(ports: &[PortReport]) -> String {
    if ports.is_empty() {
        return String::new();
    }
    let mut html = format!(
        "<h3 id=\"audit-ports-heading\">{}</h3><table class=\"alternatives audit-ports\" aria-labelledby=\"audit-ports-heading\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        escape(strings::AUDIT_PORTS()),
        escape(strings::COL_SERVER()),
        escape(strings::COL_PORT()),
        escape(strings::COL_PROTOCOL()),
        escape(strings::COL_RESULT())
    );
    for port in ports {
        let state = match &port.check {
            Some(check) => format!("{} {}", strings::COL_GRADE(), check.grade.as_str()),
            None => strings::AUDIT_CLOSED().to_owned(),
        };
        html.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&port.host),
            port.port,
            port.protocol.label(),
            escape(&state)
        ));
    }
    html.push_str("</tbody></table>");
    html
}

fn records_markup(report: &AuditReport) -> String {
    let records = &report.records;
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut row = |name: &str, value: &Option<String>| {
        if let Some(value) = value {
            rows.push((name.to_owned(), value.clone()));
        }
    };
    row(
        "MX",
        &(!records.mx.is_empty()).then(|| records.mx.join(", ")),
    );
    row("SPF", &records.spf);
    row("DMARC", &records.dmarc);
    for (selector, key) in &records.dkim {
        row(&format!("DKIM {selector}"), key);
    }
    row("MTA-STS", &records.mta_sts);
    row("TLS-RPT", &records.tls_rpt);
    row("BIMI", &records.bimi);
    if rows.is_empty() {
        return String::new();
    }
    let mut html = format!(
        "<h3 id=\"audit-records-heading\">{}</h3><dl class=\"audit-records\" aria-labelledby=\"audit-records-heading\">",
        escape(strings::AUDIT_RECORDS())
    );
    for (name, value) in rows {
        html.push_str(&format!(
            "<dt>{}</dt><dd><code>{}</code></dd>",
            escape(&name),
            escape(&value)
        ));
    }
    html.push_str("</dl>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn an_offline_audit_is_judged_and_a_hostile_record_cannot_inject_markup() {
        let input = parse_input("example.com").expect("valid");
        let hostile = portolan_core::discovery::Answered {
            query: gather::first_lookups("example.com", &[]).remove(0),
            resolver: "https://127.0.0.1/dns-query".into(),
            milliseconds: 1,
            result: Ok(portolan_core::dns::Response {
                rcode: portolan_core::dns::Rcode::NoError,
                authentic_data: false,
                outcome: portolan_core::dns::Outcome::Txt(vec![
                    "v=spf1 include:<img/src=x onerror=alert(1)> -all".into(),
                ]),
                cname_chain: Vec::new(),
            }),
        };
        let gathered = AuditGathered {
            generation: 1,
            discovery: discovery::merge(&input, &[], &[]),
            input,
            selectors: Vec::new(),
            answers: vec![hostile],
            fetched: Vec::new(),
            targets: Vec::new(),
            gathering: Gathering::default(),
        };
        let view = view(&gathered, &[], 0);
        assert!(
            view.html.contains("data-item=\"spf-invalid\""),
            "{}",
            view.html
        );
        assert!(!view.html.contains("<img"), "{}", view.html);
        assert!(view.html.contains("&lt;img"), "{}", view.html);
        assert!(view.html.contains("data-item=\"ports-not-checked\""));
        assert_eq!(
            view.downloads.last().map(|d| d.name.as_str()),
            Some("audit-json")
        );
        assert!(["A", "B", "C", "D", "F"].contains(&view.grade.as_str()));
    }
}
