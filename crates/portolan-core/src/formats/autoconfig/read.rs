//! Reading an autoconfig file of any version into the faithful model. Unknown elements,
//! attributes and values are skipped (the draft's must-ignore rule); only XML that is not
//! well-formed, or a root that is not `<clientConfig>`, is an error.

use roxmltree::Node;

use super::{
    Authentication, ClientConfig, Documentation, EmailProvider, Enable, LocalizedText,
    OAuth2Endpoints, RootSection, SectionElement, Server, ServerType, SocketType,
};
use crate::formats::xml::{child_text, children_named, parse_document, text_of};
use crate::formats::FormatError;

/// Reads an autoconfig file.
pub fn parse(text: &str) -> Result<ClientConfig, FormatError> {
    let document = parse_document(text)?;
    let root = document.root_element();
    if root.tag_name().name() != "clientConfig" {
        return Err(FormatError::WrongRoot {
            expected: "a Mozilla autoconfig file (<clientConfig>)",
            found: root.tag_name().name().to_string(),
        });
    }
    let providers = children_named(root, "emailProvider")
        .map(parse_provider)
        .collect();
    let oauth2 = children_named(root, "oAuth2")
        .next()
        .map(|node| OAuth2Endpoints {
            issuer: child_text(node, "issuer"),
            scope: child_text(node, "scope"),
            auth_url: child_text(node, "authURL"),
            token_url: child_text(node, "tokenURL"),
            client_id: child_text(node, "clientID"),
            client_secret: child_text(node, "clientSecret"),
        });
    let sections = root
        .children()
        .filter(Node::is_element)
        .filter_map(|node| {
            SectionElement::from_name(node.tag_name().name()).map(|element| RootSection {
                element,
                server: parse_server(node),
            })
        })
        .collect();
    let update_url = children_named(root, "clientConfigUpdate")
        .find_map(|node| node.attribute("url").map(str::to_owned));
    Ok(ClientConfig {
        version: root.attribute("version").map(str::to_string),
        providers,
        oauth2,
        sections,
        update_url,
    })
}

fn localized(node: Node<'_, '_>) -> Option<LocalizedText> {
    text_of(node).map(|text| LocalizedText {
        lang: node.attribute("lang").map(str::to_string),
        text,
    })
}

fn parse_provider(node: Node<'_, '_>) -> EmailProvider {
    let mut domains = Vec::new();
    let mut mx_domains = Vec::new();
    let mut other_purpose_domains = Vec::new();
    for domain in children_named(node, "domain") {
        let Some(name) = text_of(domain) else {
            continue;
        };
        match domain.attribute("purpose").map(str::trim) {
            None => domains.push(name),
            Some(purpose) if purpose.eq_ignore_ascii_case("mx") => mx_domains.push(name),
            Some(purpose) => other_purpose_domains.push((purpose.to_owned(), name)),
        }
    }
    EmailProvider {
        id: node.attribute("id").map(str::to_string),
        domains,
        mx_domains,
        other_purpose_domains,
        display_names: children_named(node, "displayName")
            .filter_map(localized)
            .collect(),
        display_short_names: children_named(node, "displayShortName")
            .filter_map(localized)
            .collect(),
        incoming: children_named(node, "incomingServer")
            .map(parse_server)
            .collect(),
        outgoing: children_named(node, "outgoingServer")
            .map(parse_server)
            .collect(),
        enable: children_named(node, "enable")
            .map(|enable| Enable {
                visit_url: enable.attribute("visiturl").map(str::to_string),
                instructions: children_named(enable, "instruction")
                    .filter_map(localized)
                    .collect(),
            })
            .collect(),
        documentation: children_named(node, "documentation")
            .filter_map(|doc| {
                doc.attribute("url").map(|url| Documentation {
                    url: url.to_string(),
                    descriptions: children_named(doc, "descr").filter_map(localized).collect(),
                })
            })
            .collect(),
    }
}

fn parse_server(node: Node<'_, '_>) -> Server {
    let server_type_raw = node.attribute("type").unwrap_or("").to_string();
    let socket_type_raw = child_text(node, "socketType");
    Server {
        server_type: ServerType::from_raw(&server_type_raw),
        server_type_raw,
        url: child_text(node, "url"),
        hostname: child_text(node, "hostname"),
        port_raw: child_text(node, "port"),
        socket_type: SocketType::from_raw(socket_type_raw.as_deref()),
        socket_type_raw,
        username: child_text(node, "username"),
        authentication: children_named(node, "authentication")
            .filter_map(|auth| {
                text_of(auth).map(|value| Authentication {
                    system: auth.attribute("system").map(str::to_owned),
                    value,
                })
            })
            .collect(),
    }
}
