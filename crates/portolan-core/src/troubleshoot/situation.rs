//! Tying an explanation to the user's own situation: their recommended settings, their
//! provider's rules and quirks, the ports the pasted text names, and whether a relay could
//! check the cause live.

use crate::formats::Settings;
use crate::knowledge::Provider;
use crate::model::{AuthMethod, Candidate, Protocol, Security};

use super::{Match, Topic};

/// What Portolan knows about the user when they paste an error.
#[derive(Debug, Clone, Default)]
pub struct Situation<'a> {
    /// The recommended settings for their address (from the result on screen, or a discovery).
    pub settings: Option<&'a Settings>,
    /// Their provider, when the knowledge base knows it.
    pub provider: Option<&'static Provider>,
    /// Ports the pasted text names (from [`super::scan`]), such as 25.
    pub ports_mentioned: Vec<u16>,
    /// A relay is available, so a live check can confirm the cause.
    pub relay_available: bool,
}

impl Situation<'_> {
    /// Adds the user's own terms to each cause of `found`, and the live check that would
    /// confirm it.
    pub fn tie(&self, found: &mut Match) {
        let mut check: Option<String> = None;
        for cause in &mut found.causes {
            cause.in_your_settings = self.for_topic(cause.topic);
            if self.relay_available && check.is_none() {
                check = self.live_check_for(cause.topic);
            }
        }
        found.live_check = check;
    }

    fn incoming(&self) -> Option<&Candidate> {
        self.settings?.usable_incoming().next()
    }

    fn outgoing(&self) -> Option<&Candidate> {
        self.settings?.usable_outgoing().next()
    }

    fn provider_name(&self) -> String {
        self.provider
            .map(|provider| provider.name.to_owned())
            .or_else(|| self.settings.map(|s| s.display_name().to_owned()))
            .unwrap_or_else(|| "your provider".to_owned())
    }

    /// The cause in the user's terms, when their situation says something about it.
    fn for_topic(&self, topic: Topic) -> Option<String> {
        let name = self.provider_name();
        match topic {
            Topic::Credentials => {
                let settings = self.settings?;
                let server = self.incoming()?;
                Some(format!(
                    "Your user name is {} (for {}).",
                    settings.login_for(server),
                    server.host
                ))
            }
            Topic::AppPassword => {
                let provider = self.provider?;
                let wants = provider.auth.contains(&AuthMethod::AppPassword)
                    && !provider.auth.contains(&AuthMethod::PasswordCleartext);
                wants.then(|| {
                    let page = provider
                        .app_password_page
                        .or(provider.help.last().copied())
                        .map(|url| format!(": {url}"))
                        .unwrap_or_default();
                    format!("{name} needs an app password in mail apps, not your account password{page}.")
                })
            }
            Topic::OAuth2 => {
                let provider = self.provider?;
                if provider.requires_oauth2() {
                    Some(format!(
                        "{name} accepts only OAuth2: choose OAuth2 as the authentication method, in an app that supports it."
                    ))
                } else if provider.auth.contains(&AuthMethod::Oauth2) {
                    Some(format!(
                        "{name} supports OAuth2: choosing it avoids passwords altogether."
                    ))
                } else {
                    None
                }
            }
            Topic::EnableAccess => {
                let enable = self.provider?.quirks.enable_first?;
                Some(format!("{} ({})", enable.what, enable.url))
            }
            Topic::SignInToSend => {
                let settings = self.settings?;
                let server = self.outgoing()?;
                Some(format!(
                    "Sign in to {} with the user name {} and the same password as for incoming mail.",
                    server.host,
                    settings.login_for(server)
                ))
            }
            Topic::PortOrSecurity | Topic::Network => self.port_advice(),
            Topic::Certificate => {
                let server = self.incoming()?;
                Some(format!(
                    "{name}'s incoming server is {} (port {}): the certificate it shows must be for that name, from a public authority, and valid today.",
                    server.host, server.port
                ))
            }
            Topic::Limits | Topic::Temporary | Topic::Message | Topic::Policy => None,
        }
    }

    /// The ports to use, and, when the text names port 25 for sending, that it is the cause.
    fn port_advice(&self) -> Option<String> {
        let incoming = self.incoming()?;
        let outgoing = self.outgoing();
        let mut text = String::new();
        if self.ports_mentioned.contains(&25) {
            if let Some(out) = outgoing {
                text.push_str(&format!(
                    "You use port 25 for sending: {} expects {}. ",
                    self.provider_name(),
                    sending_ports(self.settings, out)
                ));
            }
        }
        text.push_str(&format!(
            "Your settings: {} {}:{} with {}",
            incoming.protocol.label(),
            incoming.host,
            incoming.port,
            security_words(incoming.security)
        ));
        if let Some(out) = outgoing {
            text.push_str(&format!(
                ", sending {}:{} with {}",
                out.host,
                out.port,
                security_words(out.security)
            ));
        }
        text.push('.');
        Some(text)
    }

    /// The live check that would confirm a cause of this topic.
    fn live_check_for(&self, topic: Topic) -> Option<String> {
        let server = match topic {
            Topic::Certificate | Topic::PortOrSecurity | Topic::Network => self.incoming()?,
            _ => return None,
        };
        Some(format!(
            "Check {}:{} live now: the check shows whether the server answers, its TLS and its certificate.",
            server.host, server.port
        ))
    }
}

/// The sending ports the settings offer, best first, in words.
fn sending_ports(settings: Option<&Settings>, best: &Candidate) -> String {
    let mut ports: Vec<String> = settings
        .map(|s| {
            s.usable_outgoing()
                .filter(|c| c.protocol == Protocol::Submission && c.host == best.host)
                .map(|c| format!("{} with {}", c.port, security_words(c.security)))
                .collect()
        })
        .unwrap_or_default();
    ports.dedup();
    if ports.is_empty() {
        "587 with STARTTLS or 465 with SSL/TLS".to_owned()
    } else {
        ports.join(" or ")
    }
}

fn security_words(security: Security) -> &'static str {
    match security {
        Security::Tls => "SSL/TLS",
        Security::Starttls => "STARTTLS",
        Security::Plain => "no encryption",
    }
}
