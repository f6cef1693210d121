//! One role's recommended setting as a table of values, each with a copy button, and the
//! setting's grade as a badge.

use portolan_core::lang::Lang;
use yew::prelude::*;

use crate::messages::report::{grade_class, ServerView};
use crate::page::components::copy_button::CopyButton;
use crate::strings;

#[derive(Properties, PartialEq)]
pub struct ServerTableProps {
    /// The language its words are in: a switch renders it again.
    pub lang: Lang,
    pub id: AttrValue,
    pub title: AttrValue,
    pub server: ServerView,
    /// The login name with the address filled in.
    pub login: AttrValue,
}

#[function_component(ServerTable)]
pub fn server_table(props: &ServerTableProps) -> Html {
    let server = &props.server;
    let rows: Vec<(&str, String)> = vec![
        (
            strings::COL_PROTOCOL(),
            server.target.protocol.label().to_owned(),
        ),
        (strings::COL_SERVER(), server.target.host.clone()),
        (strings::COL_PORT(), server.target.port.to_string()),
        (
            strings::COL_SECURITY(),
            strings::security(server.target.security).to_owned(),
        ),
        (strings::COL_USERNAME(), props.login.to_string()),
        (strings::COL_AUTH(), server.auth.clone()),
    ];
    html! {
        <section class="server" id={props.id.clone()} aria-labelledby={format!("{}-title", props.id)}>
            <h3 id={format!("{}-title", props.id)}>
                { props.title.clone() }{ " " }
                <span class={grade_class(server.grade)}>{ strings::grade(server.grade) }</span>
            </h3>
            <table class="settings-table">
                <tbody>
                    { for rows.into_iter().map(|(name, value)| html! {
                        <tr>
                            <th scope="row">{ name }</th>
                            <td><code>{ value.clone() }</code></td>
                            <td class="copy-cell"><CopyButton lang={props.lang} value={value} what={name.to_ascii_lowercase()} /></td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
