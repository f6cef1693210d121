//! A finished check in the words the page shows: worked out here, in the probe worker, as
//! markup with every text escaped, so the page's wasm needs no code for the report itself.

use portolan_core::model::{LiveCheck, LoginOutcome};

use crate::engine_worker::words::tr;
use crate::markup::escape;
use crate::messages::probe::CheckView;
use crate::strings;

/// The page's view of `check`.
pub fn view_of(check: &LiveCheck) -> CheckView {
    let mut html = String::new();
    // What stopped the check, when no finding says it already.
    if let Some(error) = check.error.as_deref().filter(|_| check.findings.is_empty()) {
        html.push_str(&format!("<p class=\"error\">{}</p>", escape(&tr(error))));
    }
    html.push_str("<ul class=\"live-facts\">");
    for fact in facts(check) {
        html.push_str(&format!("<li>{}</li>", escape(&fact)));
    }
    if let Some(login) = &check.login {
        let (class, words) = match login.outcome {
            LoginOutcome::Succeeded => ("ok", strings::LOGIN_SUCCEEDED()),
            LoginOutcome::Failed => ("error", strings::LOGIN_FAILED()),
            LoginOutcome::Skipped => ("error", strings::LOGIN_SKIPPED()),
        };
        html.push_str(&format!(
            "<li class=\"login-result {class}\">{}</li>",
            escape(&format!("{words}: {}", tr(&login.detail)))
        ));
    }
    html.push_str("</ul>");
    if !check.findings.is_empty() {
        html.push_str("<ul class=\"findings\">");
        for finding in &check.findings {
            let severity = finding.severity.as_str();
            html.push_str(&format!(
                "<li class=\"finding severity-{severity}\" data-finding=\"{}\"><strong>{}: </strong>{}<span class=\"fix\"> {} {}</span></li>",
                escape(finding.id.as_str()),
                escape(strings::finding_severity(severity)),
                escape(&tr(&finding.message)),
                escape(strings::LIVE_FIX()),
                escape(&tr(&finding.fix)),
            ));
        }
        html.push_str("</ul>");
    }
    CheckView {
        reachable: check.reachable,
        grade: check.grade.as_str().to_owned(),
        grade_words: strings::check_grade(check.grade).to_owned(),
        html,
    }
}

/// Lines about TLS and the certificate.
fn facts(check: &LiveCheck) -> Vec<String> {
    let mut facts = Vec::new();
    if let Some(tls) = &check.tls {
        facts.push(format!(
            "{}: {}, {}",
            strings::LIVE_TLS(),
            tls.version,
            tls.cipher
        ));
        if let Some(certificate) = &tls.certificate {
            facts.push(format!(
                "{}: {} ({} {}), {} {}, {}",
                strings::LIVE_CERTIFICATE(),
                certificate.subject,
                strings::LIVE_NAMES(),
                certificate.sans.join(", "),
                strings::LIVE_ISSUER(),
                certificate.issuer,
                strings::expires_in(certificate.days_left)
            ));
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use portolan_core::model::{LoginReport, Protocol, Security};

    #[test]
    fn the_view_says_what_the_report_says() {
        let mut check = LiveCheck::new("mail.example.com", 993, Protocol::Imap, Security::Tls);
        check.login = Some(LoginReport {
            outcome: LoginOutcome::Failed,
            mechanism: Some("PLAIN".into()),
            detail: "NO [AUTHENTICATIONFAILED] <b>Authentication</b> failed.".into(),
        });
        check.error = Some("no connection: refused".into());
        let view = view_of(&check);
        assert!(!view.reachable);
        assert_eq!(view.grade, "F");
        assert!(
            view.html.contains("<li class=\"login-result error\">Login failed: NO [AUTHENTICATIONFAILED] &lt;b&gt;Authentication&lt;/b&gt; failed.</li>"),
            "{}",
            view.html
        );
        assert!(
            view.html
                .contains("<p class=\"error\">no connection: refused</p>"),
            "{}",
            view.html
        );
        assert!(
            !view.html.contains("TLS:"),
            "no TLS, nothing to say about it"
        );
        assert!(
            !view.html.contains("class=\"findings\""),
            "no findings, no list"
        );
    }
}
