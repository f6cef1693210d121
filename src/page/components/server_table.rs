//! One role's recommended setting as a table of values, each with a copy button, and the
//! setting's grade as a badge.

use portolan_core::engine::{Grade, Ranked};
use yew::prelude::*;

use crate::page::components::copy_button::CopyButton;
use crate::strings;

#[derive(Properties, PartialEq)]
pub struct ServerTableProps {
    pub id: AttrValue,
    pub title: AttrValue,
    pub ranked: Ranked,
    /// The login name with the address filled in.
    pub login: AttrValue,
}

/// The CSS class of a grade badge.
pub fn grade_class(grade: Grade) -> &'static str {
    match grade {
        Grade::Best | Grade::Good => "badge grade-good",
        Grade::Fallback => "badge grade-fallback",
        Grade::Unusable | Grade::Refused => "badge grade-bad",
    }
}

#[function_component(ServerTable)]
pub fn server_table(props: &ServerTableProps) -> Html {
    let candidate = &props.ranked.candidate;
    let auth = if candidate.auth.is_empty() {
        strings::auth(portolan_core::model::AuthMethod::PasswordCleartext).to_owned()
    } else {
        candidate
            .auth
            .iter()
            .map(|method| strings::auth(*method))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rows: Vec<(&str, String)> = vec![
        (strings::COL_PROTOCOL, candidate.protocol.label().to_owned()),
        (strings::COL_SERVER, candidate.host.clone()),
        (strings::COL_PORT, candidate.port.to_string()),
        (
            strings::COL_SECURITY,
            strings::security(candidate.security).to_owned(),
        ),
        (strings::COL_USERNAME, props.login.to_string()),
        (strings::COL_AUTH, auth),
    ];
    html! {
        <section class="server" id={props.id.clone()} aria-labelledby={format!("{}-title", props.id)}>
            <h3 id={format!("{}-title", props.id)}>
                { props.title.clone() }{ " " }
                <span class={grade_class(props.ranked.grade)}>{ strings::grade(props.ranked.grade) }</span>
            </h3>
            <table class="settings-table">
                <tbody>
                    { for rows.into_iter().map(|(name, value)| html! {
                        <tr>
                            <th scope="row">{ name }</th>
                            <td><code>{ value.clone() }</code></td>
                            <td class="copy-cell"><CopyButton value={value} what={name.to_lowercase()} /></td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
