//! Writing autoconfig: [`write`] prints any model exactly; [`from_settings`] and [`generate`]
//! build a provider's file from [`Settings`] with Portolan's rules, in version 1.1 (what
//! today's clients read) or 1.2 (draft-ietf-mailmaint-autoconfig).

use super::{
    auth_method_name, Authentication, ClientConfig, Documentation, EmailProvider, Enable,
    LocalizedText, OAuth2Endpoints, RootSection, SectionElement, Server, ServerType, Version,
};
use crate::formats::xml::XmlWriter;
use crate::formats::{check_host, username_template, FormatError, Settings};
use crate::model::{
    AuthMethod, Candidate, OfferedService, Protocol, Security, ServiceEndpoint, ServiceKind,
    UsernameForm,
};

/// Writes a [`ClientConfig`] exactly as the model says (no policy applied: conversion and
/// tests use it; [`generate`] applies Portolan's rules first).
pub fn write(config: &ClientConfig) -> Result<String, FormatError> {
    let mut w = XmlWriter::new();
    let version = config.version.as_deref().unwrap_or("1.1");
    w.open("clientConfig", &[("version", version)])?;
    for provider in &config.providers {
        write_provider(&mut w, provider)?;
    }
    for section in &config.sections {
        write_server(&mut w, section.element.name(), &section.server)?;
    }
    if let Some(oauth2) = &config.oauth2 {
        w.open("oAuth2", &[])?;
        for (name, value) in [
            ("issuer", &oauth2.issuer),
            ("scope", &oauth2.scope),
            ("authURL", &oauth2.auth_url),
            ("tokenURL", &oauth2.token_url),
            ("clientID", &oauth2.client_id),
            ("clientSecret", &oauth2.client_secret),
        ] {
            if let Some(value) = value {
                w.leaf(name, value)?;
            }
        }
        w.close("oAuth2");
    }
    if let Some(url) = &config.update_url {
        w.open("clientConfigUpdate", &[("url", url.as_str())])?;
        w.close("clientConfigUpdate");
    }
    w.close("clientConfig");
    Ok(w.finish())
}

fn write_provider(w: &mut XmlWriter, provider: &EmailProvider) -> Result<(), FormatError> {
    let id = provider.id.as_deref().unwrap_or("");
    w.open("emailProvider", &[("id", id)])?;
    for domain in &provider.domains {
        w.leaf("domain", domain)?;
    }
    for domain in &provider.mx_domains {
        w.leaf_with("domain", &[("purpose", "mx")], domain)?;
    }
    for (purpose, domain) in &provider.other_purpose_domains {
        w.leaf_with("domain", &[("purpose", purpose.as_str())], domain)?;
    }
    write_localized(w, "displayName", &provider.display_names)?;
    write_localized(w, "displayShortName", &provider.display_short_names)?;
    for server in &provider.incoming {
        write_server(w, "incomingServer", server)?;
    }
    for server in &provider.outgoing {
        write_server(w, "outgoingServer", server)?;
    }
    for enable in &provider.enable {
        match &enable.visit_url {
            Some(url) => w.open("enable", &[("visiturl", url.as_str())])?,
            None => w.open("enable", &[])?,
        }
        write_localized(w, "instruction", &enable.instructions)?;
        w.close("enable");
    }
    for doc in &provider.documentation {
        w.open("documentation", &[("url", doc.url.as_str())])?;
        write_localized(w, "descr", &doc.descriptions)?;
        w.close("documentation");
    }
    w.close("emailProvider");
    Ok(())
}

fn write_localized(
    w: &mut XmlWriter,
    name: &str,
    texts: &[LocalizedText],
) -> Result<(), FormatError> {
    for text in texts {
        match &text.lang {
            Some(lang) => w.leaf_with(name, &[("lang", lang.as_str())], &text.text)?,
            None => w.leaf(name, &text.text)?,
        }
    }
    Ok(())
}

fn write_server(w: &mut XmlWriter, element: &str, server: &Server) -> Result<(), FormatError> {
    w.open(element, &[("type", server.server_type_raw.as_str())])?;
    if let Some(url) = &server.url {
        w.leaf("url", url)?;
    }
    if let Some(host) = &server.hostname {
        w.leaf("hostname", host)?;
    }
    if let Some(port) = &server.port_raw {
        w.leaf("port", port)?;
    }
    if let Some(socket) = &server.socket_type_raw {
        w.leaf("socketType", socket)?;
    }
    if let Some(username) = &server.username {
        w.leaf("username", username)?;
    }
    for auth in &server.authentication {
        match &auth.system {
            Some(system) => w.leaf_with(
                "authentication",
                &[("system", system.as_str())],
                &auth.value,
            )?,
            None => w.leaf("authentication", &auth.value)?,
        }
    }
    w.close(element);
    Ok(())
}

/// The `type` attribute for a protocol.
pub fn server_type_name(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Imap => "imap",
        Protocol::Pop3 => "pop3",
        Protocol::Submission => "smtp",
    }
}

/// The `<authentication>` elements for a list of methods, without duplicates;
/// `password-cleartext` (inside TLS) when the list is empty. `keep` decides which methods the
/// version may name; when it would leave none of a non-empty list (a server that takes only
/// OAuth2, in 1.2 without known endpoints), the list stays as it is: naming a method the
/// server refuses would be worse than one the client may lack.
fn authentication_for(
    methods: &[AuthMethod],
    keep: impl Fn(AuthMethod) -> bool,
) -> Vec<Authentication> {
    let elements = |methods: &mut dyn Iterator<Item = AuthMethod>| {
        let mut auth: Vec<Authentication> = Vec::new();
        for method in methods {
            let element = Authentication::named(auth_method_name(method));
            if !auth.contains(&element) {
                auth.push(element);
            }
        }
        auth
    };
    let mut auth = elements(&mut methods.iter().copied().filter(|method| keep(*method)));
    if auth.is_empty() {
        auth = elements(&mut methods.iter().copied());
    }
    if auth.is_empty() {
        auth.push(Authentication::named("password-cleartext"));
    }
    auth
}

/// Builds the autoconfig model for settings, applying Portolan's rules: plain-text servers
/// are left out, usernames are templates (placeholders) so one file serves every user of the
/// domain, authentication defaults to `password-cleartext` (inside TLS), and the provider id
/// is the domain (a host name).
///
/// Version 1.2 adds the provider's `<oAuth2>` endpoints when they are known (and names OAuth2
/// only then: a 1.2 client needs them), JMAP after the IMAP and POP3 servers (Portolan
/// recommends IMAP, so it stays first), and CalDAV, CardDAV and ManageSieve as root sections.
pub fn from_settings(settings: &Settings, version: Version) -> Result<ClientConfig, FormatError> {
    let domain = settings.input.domain.ascii.clone();
    check_host(&domain)?;
    let oauth2 = match version {
        Version::V1_1 => None,
        Version::V1_2 => settings.oauth2_endpoints.clone(),
    };
    let keep = |method: AuthMethod| {
        version == Version::V1_1 || method != AuthMethod::Oauth2 || oauth2.is_some()
    };
    let server_for = |candidate: &Candidate| -> Result<Server, FormatError> {
        check_host(&candidate.host)?;
        Ok(Server::new(
            server_type_name(candidate.protocol),
            &candidate.host,
            candidate.port,
            candidate.security,
            &username_template(&candidate.username),
            authentication_for(&candidate.auth, keep),
        ))
    };
    let mut incoming = settings
        .usable_incoming()
        .map(server_for)
        .collect::<Result<Vec<_>, _>>()?;
    let outgoing = settings
        .usable_outgoing()
        .map(server_for)
        .collect::<Result<Vec<_>, _>>()?;
    if incoming.is_empty() {
        return Err(FormatError::NoServer("incoming"));
    }
    if outgoing.is_empty() {
        return Err(FormatError::NoServer("outgoing"));
    }
    let mut sections = Vec::new();
    if version == Version::V1_2 {
        let sieve = settings
            .services
            .iter()
            .filter_map(|service| match service.endpoint {
                ServiceEndpoint::Host {
                    ref host,
                    port,
                    security,
                } if service.service == ServiceKind::Managesieve && security != Security::Plain => {
                    Some((service, host, port, security))
                }
                _ => None,
            });
        if let Some((service, host, port, security)) = sieve.take(1).next() {
            check_host(host)?;
            sections.push(RootSection {
                element: SectionElement::SetupServer,
                server: Server::new(
                    "managesieve",
                    host,
                    port,
                    security,
                    &service_username(service),
                    authentication_for(&service.auth, keep),
                ),
            });
        }
        for (service, _) in settings.https_services() {
            let ServiceEndpoint::Url { url } = &service.endpoint else {
                continue;
            };
            let type_name = ServerType::for_service(service.service)
                .name()
                .unwrap_or_default();
            let server = Server::at_url(
                type_name,
                url,
                &service_username(service),
                authentication_for(&service.auth, keep),
            );
            match service.service {
                ServiceKind::Jmap => incoming.push(server),
                ServiceKind::Caldav => sections.push(RootSection {
                    element: SectionElement::Calendar,
                    server,
                }),
                ServiceKind::Carddav => sections.push(RootSection {
                    element: SectionElement::Addressbook,
                    server,
                }),
                ServiceKind::Managesieve
                | ServiceKind::Webdav
                | ServiceKind::Ews
                | ServiceKind::ActiveSync
                | ServiceKind::Graph => {}
            }
        }
        // The calendar before the address book, as the draft lists them.
        sections.sort_by_key(|section| {
            SectionElement::ALL
                .iter()
                .position(|element| *element == section.element)
        });
    }
    let name = settings.display_name().to_string();
    Ok(ClientConfig {
        version: Some(version.as_str().to_owned()),
        providers: vec![EmailProvider {
            id: Some(domain.clone()),
            domains: vec![domain.clone()],
            display_names: vec![LocalizedText {
                lang: None,
                text: name,
            }],
            display_short_names: vec![LocalizedText {
                lang: None,
                text: settings.input.domain.unicode.clone(),
            }],
            incoming,
            outgoing,
            // Thunderbird shows the page and instruction when access must be switched on.
            enable: settings
                .quirks
                .enable_first
                .map(|enable| Enable {
                    visit_url: Some(enable.url.to_owned()),
                    instructions: vec![LocalizedText {
                        lang: Some("en".to_owned()),
                        text: enable.what.to_owned(),
                    }],
                })
                .into_iter()
                .collect(),
            documentation: settings
                .documentation
                .iter()
                .map(|(url, descr)| Documentation {
                    url: url.clone(),
                    descriptions: vec![LocalizedText {
                        lang: Some("en".to_string()),
                        text: descr.clone(),
                    }],
                })
                .collect(),
            ..EmailProvider::default()
        }],
        oauth2,
        sections,
        update_url: None,
    })
}

/// The user-name template of a service (the whole address when the source does not say).
fn service_username(service: &OfferedService) -> String {
    username_template(
        service
            .username
            .as_ref()
            .unwrap_or(&UsernameForm::EmailAddress),
    )
}

/// Generates the autoconfig file for settings (see [`from_settings`] for the rules).
pub fn generate(settings: &Settings, version: Version) -> Result<String, FormatError> {
    write(&from_settings(settings, version)?)
}

impl From<&crate::knowledge::OAuth2Endpoints> for OAuth2Endpoints {
    fn from(known: &crate::knowledge::OAuth2Endpoints) -> Self {
        OAuth2Endpoints {
            issuer: Some(known.issuer.to_owned()),
            scope: Some(known.scope.to_owned()),
            auth_url: Some(known.auth_url.to_owned()),
            token_url: Some(known.token_url.to_owned()),
            client_id: None,
            client_secret: None,
        }
    }
}
