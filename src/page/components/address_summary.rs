//! What Portolan understood from the address: the domain, in both forms when internationalised.

use portolan_core::lang::Lang;
use portolan_core::MailInput;
use yew::prelude::*;

use crate::strings;

#[derive(Properties, PartialEq)]
pub struct AddressSummaryProps {
    /// The language its words are in: a switch renders it again.
    pub lang: Lang,
    /// The parsed input, when the text is valid.
    pub parsed: Option<MailInput>,
}

#[function_component(AddressSummary)]
pub fn address_summary(props: &AddressSummaryProps) -> Html {
    let Some(parsed) = &props.parsed else {
        return html! {};
    };
    let domain = &parsed.domain;
    html! {
        <p class="domain ok" id="domain-found">
            { strings::domain_found(&domain.unicode) }
            if domain.is_internationalised() {
                { " " }<span class="ascii-form">{ strings::domain_ascii_form(&domain.ascii) }</span>
            }
        </p>
    }
}
