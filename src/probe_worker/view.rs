//! A finished check in the words the page shows: worked out here, in the probe worker, so the
//! page's wasm needs no code for the report itself.

use portolan_core::model::{LiveCheck, LoginOutcome};

use crate::engine_worker::words::tr;
use crate::messages::probe::{CheckView, FindingView};
use crate::strings;

/// The page's view of `check`.
pub fn view_of(check: &LiveCheck) -> CheckView {
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
    CheckView {
        reachable: check.reachable,
        grade: check.grade.as_str().to_owned(),
        grade_words: strings::check_grade(check.grade).to_owned(),
        facts,
        login: check.login.as_ref().map(|login| {
            let words = match login.outcome {
                LoginOutcome::Succeeded => strings::LOGIN_SUCCEEDED(),
                LoginOutcome::Failed => strings::LOGIN_FAILED(),
                LoginOutcome::Skipped => strings::LOGIN_SKIPPED(),
            };
            (
                login.outcome == LoginOutcome::Succeeded,
                format!("{words}: {}", tr(&login.detail)),
            )
        }),
        findings: check
            .findings
            .iter()
            .map(|finding| FindingView {
                id: finding.id.as_str().to_owned(),
                severity: finding.severity.as_str().to_owned(),
                message: tr(&finding.message),
                fix: tr(&finding.fix),
            })
            .collect(),
        error: check.error.as_deref().map(tr),
    }
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
            detail: "NO [AUTHENTICATIONFAILED] Authentication failed.".into(),
        });
        check.error = Some("no connection: refused".into());
        let view = view_of(&check);
        assert!(!view.reachable);
        assert_eq!(view.grade, "F");
        assert_eq!(
            view.login,
            Some((
                false,
                "Login failed: NO [AUTHENTICATIONFAILED] Authentication failed.".into()
            ))
        );
        assert_eq!(view.error.as_deref(), Some("no connection: refused"));
        assert!(view.facts.is_empty(), "no TLS, nothing to say about it");
    }
}
