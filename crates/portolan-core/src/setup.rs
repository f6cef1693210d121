//! From a discovery result and a chosen client to everything the user takes away: the engine's
//! recommendation, the [`Settings`] the generators write, and each downloadable file with its
//! name and media type.
//!
//! The browser app and `portolan generate` both go through here, so a file downloaded in the
//! browser is byte for byte the file the CLI prints for the same address.

use crate::clients::{self, Client};
use crate::engine::{self, Constraints, EngineInput, Policy, Recommendation};
use crate::formats::snippets::{self, mbsync, offlineimap, Tool};
use crate::formats::{
    autoconfig, autodiscover, dns_zone, mobileconfig, pacc, FormatError, OAuth2, OAuth2Mechanism,
    Settings,
};
use crate::knowledge::{self, Provider};
use crate::model::{Discovery, FoundBy, LiveCheck, Role, Source};
use crate::MailInput;

/// The engine's advice and the settings built from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub recommendation: Recommendation,
    pub settings: Settings,
    /// The known provider for the domain, for its notes and help links.
    pub provider: Option<&'static Provider>,
}

/// What shapes the recommendation besides the candidates and the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    pub constraints: Constraints,
    pub policy: Policy,
}

/// Options of the file writers that only some formats have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// The local maildir for mbsync and offlineimap (their default when `None`).
    pub maildir: Option<String>,
    /// For DNS zone lines: the web server for autoconfig and Autodiscover.
    pub web_host: Option<String>,
    /// The autoconfig version to write (1.1 unless asked).
    pub autoconfig_version: autoconfig::Version,
}

/// Runs the engine over a discovery result and the live checks made so far (none, when the
/// user has not checked) for a client (or generic settings for `None`).
pub fn prepare(
    input: &MailInput,
    discovery: &Discovery,
    checks: &[LiveCheck],
    client: Option<&Client>,
    choices: &Choices,
) -> Setup {
    let candidates: Vec<_> = discovery
        .incoming
        .iter()
        .chain(discovery.outgoing.iter())
        .cloned()
        .collect();
    let recommendation = engine::recommend(&EngineInput {
        candidates: &candidates,
        checks,
        client,
        constraints: &choices.constraints,
        policy: choices.policy,
    });
    // The domain's own provider, or the one its MX points at (which the user confirms) when
    // that provider's servers are the recommended ones: a domain that publishes its own
    // servers keeps its own rules, whatever its MX says.
    let recommended_via_mx = recommendation
        .ordered(Role::Incoming)
        .first()
        .is_some_and(|candidate| candidate.source == Source::Mx);
    let provider = knowledge::by_domain(&input.domain.ascii).or_else(|| {
        discovery
            .provider
            .as_ref()
            .filter(|found| recommended_via_mx && found.found_by == FoundBy::Mx)
            .and_then(|found| knowledge::by_table_id(found.knowledge, &found.id))
    });
    let mut settings = Settings::new(
        input.clone(),
        recommendation.ordered(Role::Incoming),
        recommendation.ordered(Role::Outgoing),
    );
    if let Some(provider) = provider {
        settings.quirks = provider.quirks;
        // A provider that accepts nothing but OAuth2 gets the OAuth2 snippets by default: a
        // password variant could never sign in. The knowledge says which mechanism.
        if provider.requires_oauth2() {
            let xoauth2_only = provider
                .oauth2
                .is_some_and(|endpoints| endpoints.xoauth2_only);
            settings.oauth2 = Some(OAuth2 {
                token_command: None,
                mechanism: if xoauth2_only {
                    OAuth2Mechanism::XOAuth2
                } else {
                    OAuth2Mechanism::OAuthBearer
                },
            });
        }
        settings.apple_account_type = provider.apple_account_type;
        settings.app_password_page = provider.app_password_page.map(str::to_owned);
        settings.oauth2_endpoints = provider
            .oauth2
            .as_ref()
            .map(autoconfig::OAuth2Endpoints::from);
        settings.provider_name = Some(provider.name.to_owned());
        settings.provider_id = Some(provider.id.to_owned());
        settings.documentation = provider
            .help
            .iter()
            .map(|url| ((*url).to_owned(), format!("{} help", provider.name)))
            .collect();
    }
    // Files carry only the services the domain vouches for.
    settings.services = discovery
        .services
        .iter()
        .filter(|service| service.vouched_for())
        .cloned()
        .collect();
    Setup {
        recommendation,
        settings,
        provider,
    }
}

/// Every file Portolan can hand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Export {
    Autoconfig,
    Autodiscover,
    Mobileconfig,
    DnsZone,
    /// The PACC document (draft-ietf-mailmaint-pacc).
    Pacc,
    /// The `_ua-auto-config` TXT record that vouches for the PACC document.
    PaccRecord,
    Snippet(Tool),
    Instructions,
}

impl Export {
    /// Every export, in a stable order.
    pub fn all() -> Vec<Export> {
        let mut all = vec![
            Export::Autoconfig,
            Export::Autodiscover,
            Export::Mobileconfig,
            Export::DnsZone,
            Export::Pacc,
            Export::PaccRecord,
        ];
        all.extend(Tool::ALL.into_iter().map(Export::Snippet));
        all.push(Export::Instructions);
        all
    }

    /// The name used by `portolan generate --format`.
    pub fn name(self) -> &'static str {
        match self {
            Export::Autoconfig => "autoconfig",
            Export::Autodiscover => "autodiscover",
            Export::Mobileconfig => "mobileconfig",
            Export::DnsZone => "dns-zone",
            Export::Pacc => "pacc",
            Export::PaccRecord => "pacc-txt",
            Export::Snippet(tool) => tool.name(),
            Export::Instructions => "instructions",
        }
    }

    /// Looks an export up by its `--format` name.
    pub fn from_name(name: &str) -> Option<Export> {
        Export::all()
            .into_iter()
            .find(|export| export.name() == name)
    }

    /// The media type to serve or download it with.
    pub fn content_type(self) -> &'static str {
        match self {
            Export::Autoconfig => autoconfig::CONTENT_TYPE,
            Export::Autodiscover => autodiscover::CONTENT_TYPE,
            Export::Mobileconfig => mobileconfig::CONTENT_TYPE,
            Export::Pacc => pacc::CONTENT_TYPE,
            Export::DnsZone | Export::PaccRecord | Export::Snippet(_) | Export::Instructions => {
                "text/plain;charset=utf-8"
            }
        }
    }

    /// A file name for the download, derived from the domain.
    pub fn file_name(self, input: &MailInput) -> String {
        let domain = &input.domain.ascii;
        match self {
            Export::Autoconfig => "config-v1.1.xml".to_owned(),
            Export::Autodiscover => "autodiscover.xml".to_owned(),
            Export::Mobileconfig => format!("{domain}.{}", mobileconfig::EXTENSION),
            Export::DnsZone => format!("{domain}.zone"),
            Export::Pacc => "user-agent-configuration.json".to_owned(),
            Export::PaccRecord => format!("{}.txt", pacc::record_name(domain)),
            Export::Snippet(Tool::Neomutt) => "neomuttrc".to_owned(),
            Export::Snippet(Tool::Aerc) => "accounts.conf".to_owned(),
            Export::Snippet(Tool::Msmtp) => "msmtprc".to_owned(),
            Export::Snippet(Tool::Mbsync) => "mbsyncrc".to_owned(),
            Export::Snippet(Tool::Fetchmail) => "fetchmailrc".to_owned(),
            Export::Snippet(Tool::Offlineimap) => "offlineimaprc".to_owned(),
            Export::Instructions => format!("{domain}-instructions.txt"),
        }
    }

    /// The snippet export for a terminal client, if the client is one of the tools.
    pub fn for_client(client: &Client) -> Option<Export> {
        Tool::from_name(client.id).map(Export::Snippet)
    }
}

/// Writes one export. Instructions need a client; without one they use the generic steps of
/// the first desktop client in the catalogue.
pub fn export(
    export: Export,
    settings: &Settings,
    client: Option<&Client>,
    options: &ExportOptions,
) -> Result<String, FormatError> {
    let maildir = options.maildir.as_deref();
    match export {
        Export::Autoconfig => autoconfig::generate(settings, options.autoconfig_version),
        Export::Autodiscover => autodiscover::generate(settings),
        Export::Mobileconfig => mobileconfig::generate(settings),
        Export::Pacc => pacc::generate(settings),
        Export::PaccRecord => Ok(format!(
            "{}\n",
            pacc::txt_line(
                &settings.input.domain.ascii,
                &pacc::generate(settings)?,
                dns_zone::ZoneOptions::default().ttl
            )
        )),
        Export::DnsZone => dns_zone::generate(
            settings,
            &dns_zone::ZoneOptions {
                web_host: options.web_host.clone(),
                ..dns_zone::ZoneOptions::default()
            },
        ),
        Export::Snippet(Tool::Mbsync) => mbsync::generate_with_maildir(settings, maildir),
        Export::Snippet(Tool::Offlineimap) => offlineimap::generate_with_maildir(settings, maildir),
        Export::Snippet(tool) => snippets::generate(tool, settings),
        Export::Instructions => {
            let client = client
                .or_else(|| clients::all().first())
                .ok_or(FormatError::Missing("client catalogue"))?;
            clients::instructions(client, settings)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery;
    use crate::parse_input;

    #[test]
    fn every_export_has_a_unique_name_that_round_trips() {
        let all = Export::all();
        for export in &all {
            assert_eq!(Export::from_name(export.name()), Some(*export));
        }
        let mut names: Vec<&str> = all.iter().map(|export| export.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len());
        assert_eq!(
            Export::Mobileconfig.content_type(),
            "application/x-apple-aspen-config"
        );
    }

    #[test]
    fn only_services_the_domain_vouches_for_reach_the_files() {
        use crate::model::{OfferedService, ServiceEndpoint, ServiceKind, Trust};
        let input = parse_input("alice@example.com").unwrap();
        let mut found = discovery::merge(&input, &[], &[]);
        let service = |url: &str, trust: Vec<Trust>| OfferedService {
            service: ServiceKind::Caldav,
            endpoint: ServiceEndpoint::Url { url: url.into() },
            username: None,
            auth: Vec::new(),
            source: Source::Srv,
            trust,
            found: String::new(),
        };
        found.services = vec![
            service("https://dav.example.com/", vec![Trust::SameDomain]),
            service(
                "https://dav.elsewhere.example/",
                vec![Trust::ThirdPartyTargetNeedsConfirmation],
            ),
            service(
                "https://dav.signed.example/",
                vec![
                    Trust::DnssecValidated,
                    Trust::ThirdPartyTargetNeedsConfirmation,
                ],
            ),
            service(
                "http://dav.example.com/",
                vec![Trust::SameDomain, Trust::Unauthenticated],
            ),
        ];
        let setup = prepare(&input, &found, &[], None, &Choices::default());
        let urls: Vec<String> = setup
            .settings
            .services
            .iter()
            .map(|s| s.endpoint.describe())
            .collect();
        assert_eq!(
            urls,
            ["https://dav.example.com/", "https://dav.signed.example/"]
        );
    }

    #[test]
    fn a_known_provider_offline_gives_tls_settings_and_every_file() {
        let input = parse_input("alice@fastmail.com").unwrap();
        let found = discovery::merge(&input, &[], &[]);
        let setup = prepare(
            &input,
            &found,
            &[],
            clients::by_id("thunderbird"),
            &Choices::default(),
        );
        let incoming = setup.settings.best_incoming().expect("an incoming server");
        assert_eq!(incoming.security, crate::model::Security::Tls);
        assert!(setup.provider.is_some());
        for one in Export::all() {
            let text = export(
                one,
                &setup.settings,
                clients::by_id("thunderbird"),
                &ExportOptions::default(),
            )
            .unwrap_or_else(|error| panic!("{}: {error}", one.name()));
            assert!(
                text.contains(&incoming.host)
                    || one == Export::Snippet(Tool::Msmtp)
                    || one == Export::PaccRecord,
                "{} names the incoming host",
                one.name()
            );
        }
    }
}
