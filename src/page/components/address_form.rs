//! The address field with its label, hint, inline error and submit button.

use portolan_core::lang::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::strings;

#[derive(Properties, PartialEq)]
pub struct AddressFormProps {
    /// The language its words are in: a switch renders it again.
    pub lang: Lang,
    /// What the user typed so far (the form never loses it).
    pub value: AttrValue,
    /// The error to show under the field, if any.
    pub error: Option<String>,
    pub on_input: Callback<String>,
    pub on_leave: Callback<()>,
    pub on_submit: Callback<()>,
}

#[function_component(AddressForm)]
pub fn address_form(props: &AddressFormProps) -> Html {
    let oninput = props
        .on_input
        .reform(|event: InputEvent| event.target_unchecked_into::<HtmlInputElement>().value());
    let onblur = props.on_leave.reform(|_: FocusEvent| ());
    let onsubmit = props.on_submit.reform(|event: SubmitEvent| {
        event.prevent_default();
    });
    let invalid = props.error.is_some();
    let described_by = if invalid {
        "address-hint address-error"
    } else {
        "address-hint"
    };

    html! {
        <form class="address-form" novalidate=true {onsubmit}>
            <label for="address" class="field-label">{ strings::ADDRESS_LABEL() }</label>
            <div class="field-row">
                <input
                    id="address"
                    name="address"
                    type="text"
                    inputmode="email"
                    autocomplete="email"
                    autocapitalize="off"
                    spellcheck="false"
                    placeholder={strings::ADDRESS_PLACEHOLDER()}
                    value={props.value.clone()}
                    aria-invalid={invalid.to_string()}
                    aria-describedby={described_by}
                    {oninput}
                    {onblur}
                />
                <button type="submit" class="primary">{ strings::CONTINUE_BUTTON() }</button>
            </div>
            <p id="address-hint" class="hint">{ strings::ADDRESS_HINT() }</p>
            if let Some(error) = &props.error {
                <p id="address-error" class="error" role="alert">{ error }</p>
            }
        </form>
    }
}
