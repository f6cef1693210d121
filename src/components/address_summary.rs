//! What Portolan understood from the address: the domain, in both forms when internationalised.

use portolan_core::MailInput;
use yew::prelude::*;

use crate::strings;

#[derive(Properties, PartialEq)]
pub struct AddressSummaryProps {
    /// The parsed input, when the text is valid.
    pub parsed: Option<MailInput>,
    /// Whether the user has submitted this input.
    pub submitted: bool,
}

#[function_component(AddressSummary)]
pub fn address_summary(props: &AddressSummaryProps) -> Html {
    let Some(parsed) = &props.parsed else {
        return html! { <div class="summary" aria-live="polite"></div> };
    };
    let domain = &parsed.domain;
    html! {
        <div class="summary" aria-live="polite">
            <p class="domain ok" id="domain-found">
                { strings::domain_found(&domain.unicode) }
                if domain.is_internationalised() {
                    { " " }<span class="ascii-form">{ strings::domain_ascii_form(&domain.ascii) }</span>
                }
            </p>
            if props.submitted {
                <p class="status" id="status">{ strings::ready_to_look_up(&domain.unicode) }</p>
            }
        </div>
    }
}
