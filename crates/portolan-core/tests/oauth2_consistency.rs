//! Every output agrees with the provider's authentication rules: for each provider that does
//! not accept the account password and each client, the step-by-step text never tells the user
//! to pick "Normal password" without saying an app password goes there, and clients that can
//! do OAuth2 are told to choose OAuth2 where the provider offers it.

use portolan_core::clients::{self, instructions};
use portolan_core::formats::Settings;
use portolan_core::knowledge::{self, Access};
use portolan_core::model::{AuthMethod, Role, Source};
use portolan_core::parse_input;

#[test]
fn no_client_is_told_to_use_the_normal_password_where_the_provider_refuses_it() {
    let mut checked = 0;
    let mut failures = Vec::new();
    let refusing = knowledge::providers().filter(|provider| {
        provider.access == Access::Standard
            && !provider.auth.contains(&AuthMethod::PasswordCleartext)
    });
    for provider in refusing {
        let domain = provider.domains.first().copied().unwrap_or(provider.id);
        let input = parse_input(&format!("someone@{domain}")).unwrap();
        let (incoming, outgoing) = provider
            .candidates(&input, Source::KnowledgeBase)
            .into_iter()
            .partition(|c| c.protocol.role() == Role::Incoming);
        let settings = Settings::new(input, incoming, outgoing);
        for client in clients::all() {
            let Ok(text) = instructions(client, &settings) else {
                continue;
            };
            checked += 1;
            let says_normal = text.contains("Normal password");
            let names_app_password = text.contains("app password");
            if says_normal
                && !(names_app_password && provider.auth.contains(&AuthMethod::AppPassword))
            {
                failures.push(format!("{} in {}: normal password", provider.id, client.id));
            }
            let offers_oauth2 = provider.auth.contains(&AuthMethod::Oauth2);
            if offers_oauth2 && client.capabilities.oauth2 && says_normal {
                failures.push(format!(
                    "{} in {}: OAuth2 not named",
                    provider.id, client.id
                ));
            }
        }
    }
    assert!(checked > 50, "only {checked} pairs checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn gmail_in_thunderbird_names_oauth2_and_a_password_provider_keeps_the_password() {
    let render = |address: &str, client: &str| {
        let input = parse_input(address).unwrap();
        let provider = knowledge::by_domain(&input.domain.ascii).unwrap();
        let (incoming, outgoing) = provider
            .candidates(&input, Source::KnowledgeBase)
            .into_iter()
            .partition(|c| c.protocol.role() == Role::Incoming);
        instructions(
            clients::by_id(client).unwrap(),
            &Settings::new(input, incoming, outgoing),
        )
        .unwrap()
    };
    let gmail = render("jo@gmail.com", "thunderbird");
    assert!(gmail.contains("Authentication method OAuth2"), "{gmail}");
    assert!(!gmail.contains("Normal password"), "{gmail}");
    let posteo = render("jo@posteo.de", "thunderbird");
    assert!(
        posteo.contains("Authentication method Normal password"),
        "{posteo}"
    );
}

/// A client's instructions for an address, through the whole set-up (offline discovery).
fn instructions_through_setup(address: &str, client: &str) -> String {
    let input = parse_input(address).unwrap();
    let discovery = portolan_core::discovery::merge(&input, &[], &[]);
    let client = clients::by_id(client);
    let setup = portolan_core::setup::prepare(
        &input,
        &discovery,
        &[],
        client,
        &portolan_core::setup::Choices::default(),
    );
    instructions(client.unwrap(), &setup.settings).unwrap()
}

#[test]
fn apple_mail_is_sent_to_the_providers_own_account_type() {
    let render = instructions_through_setup;
    assert!(
        render("jo@gmail.com", "apple-mail").contains("choose Google in the list of account types")
    );
    assert!(render("jo@outlook.com", "ios-mail").contains("choose Outlook.com"));
    assert!(!render("jo@posteo.de", "apple-mail").contains("account types"));
}

#[test]
fn a_client_without_oauth2_is_sent_to_the_providers_app_password_page() {
    // Geary signs in with passwords only.
    let text = instructions_through_setup("jo@gmail.com", "geary");
    assert!(
        text.contains(
            "Make the app password here: https://support.google.com/accounts/answer/185833"
        ),
        "{text}"
    );
    let thunderbird = instructions_through_setup("jo@gmail.com", "thunderbird");
    assert!(
        !thunderbird.contains("Make the app password here"),
        "{thunderbird}"
    );
}
