//! Markup the worker makes for the page to place as it is: the parts of a screen that are only
//! read (the audit's checklist, the result's reasons, alternatives and lookups). Every text is
//! escaped here, so the page never decodes or renders their details itself, which keeps them
//! out of the first screen.

use portolan_core::engine::{Ranked, RoleAdvice, Rule};
use portolan_core::model::Lookup;

pub use crate::markup::escape;

use super::words::tr;
use crate::messages::report::grade_class;
use crate::strings;

/// Text the core or the worker wrote in English, in the reader's language and escaped.
pub fn said(text: &str) -> String {
    escape(&tr(text))
}

/// Why a setting is graded so, one line each: the engine's reasons with their citations
/// (its "found through" reason left out: the source line says it, with the trust), then the
/// source's own reasons.
fn why_lines(ranked: &Ranked) -> Vec<(String, Option<String>)> {
    let engine = ranked
        .reasons
        .iter()
        .filter(|reason| reason.rule != Rule::SourceRank)
        .map(|reason| (reason.text.clone(), Some(reason.citation.clone())));
    let source = ranked
        .candidate
        .reasons
        .iter()
        .map(|reason| (reason.clone(), None));
    engine.chain(source).collect()
}

/// "Why these settings": what is only good to know, then each role's summary, reasons, source
/// and trust.
pub fn why(notes: &[String], roles: [(&str, &RoleAdvice); 2]) -> String {
    let mut html = String::new();
    if !notes.is_empty() {
        html.push_str("<ul class=\"notes\" id=\"notes\">");
        for note in notes {
            html.push_str(&format!("<li>{}</li>", said(note)));
        }
        html.push_str("</ul>");
    }
    for (title, advice) in roles {
        let Some(ranked) = &advice.recommended else {
            continue;
        };
        html.push_str(&format!(
            "<div class=\"why-role\"><h4>{}</h4><p>{}</p><ul>",
            escape(title),
            said(&advice.summary)
        ));
        for (text, citation) in why_lines(ranked) {
            html.push_str(&format!("<li>{}", said(&text)));
            if let Some(citation) = citation {
                html.push_str(&format!(
                    " <span class=\"cite\">({})</span>",
                    escape(&citation)
                ));
            }
            html.push_str("</li>");
        }
        html.push_str(&format!(
            "<li>{}: {}",
            escape(strings::COL_SOURCE()),
            escape(strings::source(ranked.candidate.source))
        ));
        for trust in &ranked.candidate.trust {
            html.push_str(&format!(
                " · <span class=\"trust\">{}</span>",
                escape(strings::trust(*trust))
            ));
        }
        html.push_str("</li></ul></div>");
    }
    html
}

/// A table's header row.
fn head(columns: &[&str]) -> String {
    let cells: String = columns
        .iter()
        .map(|column| format!("<th scope=\"col\">{}</th>", escape(column)))
        .collect();
    format!("<thead><tr>{cells}</tr></thead>")
}

/// The alternatives and refused settings of both roles, a table each.
pub fn alternatives(roles: [&RoleAdvice; 2]) -> String {
    let mut html = String::new();
    for advice in roles {
        let others: Vec<&Ranked> = advice
            .alternatives
            .iter()
            .chain(advice.rejected.iter())
            .collect();
        if others.is_empty() {
            continue;
        }
        html.push_str("<table class=\"alternatives\">");
        html.push_str(&head(&[
            strings::COL_PROTOCOL(),
            strings::COL_SERVER(),
            strings::COL_PORT(),
            strings::COL_SECURITY(),
            strings::COL_SOURCE(),
            strings::COL_GRADE(),
        ]));
        html.push_str("<tbody>");
        for ranked in others {
            let candidate = &ranked.candidate;
            let title: Vec<String> = why_lines(ranked)
                .into_iter()
                .map(|(text, _)| tr(&text))
                .collect();
            html.push_str(&format!(
                "<tr title=\"{}\"><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td><span class=\"{}\">{}</span></td></tr>",
                escape(&title.join(" ")),
                escape(candidate.protocol.label()),
                escape(&candidate.host),
                candidate.port,
                escape(strings::security(candidate.security)),
                escape(strings::source(candidate.source)),
                grade_class(ranked.grade),
                escape(strings::grade(ranked.grade)),
            ));
        }
        html.push_str("</tbody></table>");
    }
    html
}

/// "What was looked up", folded; empty when nothing was.
pub fn lookups(lookups: &[Lookup]) -> String {
    if lookups.is_empty() {
        return String::new();
    }
    let mut html = format!(
        "<details class=\"lookups-box\" id=\"lookups\"><summary>{}</summary><table class=\"alternatives\">{}<tbody>",
        escape(strings::LOOKUPS_HEADING()),
        head(&[
            strings::COL_NAME(),
            strings::COL_TYPE(),
            strings::COL_RESULT(),
            strings::COL_TIME()
        ])
    );
    for lookup in lookups {
        let mut result = lookup.rcode.clone();
        if lookup.ad {
            result.push_str(" (DNSSEC)");
        }
        if let Some(error) = &lookup.error {
            result.push_str(&format!(": {}", tr(error)));
        }
        html.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"time\">{} ms</td></tr>",
            escape(&lookup.name),
            escape(&lookup.record_type),
            escape(&result),
            lookup.milliseconds
        ));
    }
    html.push_str("</tbody></table></details>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_everywhere_it_goes() {
        assert_eq!(
            escape("<b a=\"1\">&'"),
            "&lt;b a=&quot;1&quot;&gt;&amp;&#39;"
        );
        let lookup = Lookup {
            name: "<script>.example".into(),
            record_type: "TXT".into(),
            resolver: "https://127.0.0.1/dns-query".into(),
            rcode: "NOERROR".into(),
            ad: true,
            milliseconds: 12,
            error: None,
        };
        let html = lookups(&[lookup]);
        assert!(
            html.contains("<code>&lt;script&gt;.example</code>"),
            "{html}"
        );
        assert!(html.contains("NOERROR (DNSSEC)"));
        assert!(lookups(&[]).is_empty());
    }
}
