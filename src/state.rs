//! The app's state and the closed set of actions that change it.
//!
//! Pure logic, no DOM: the reducer is tested natively. Components read this state through
//! props and dispatch [`Action`]s; they never change state directly.

use std::rc::Rc;

use portolan_core::{parse_input, AddressError, MailInput};
use yew::Reducible;

/// What the first screen knows.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// Exactly what the user typed; never discarded, whatever happens.
    pub address_text: String,
    /// The result of checking `address_text`.
    pub parsed: Result<MailInput, AddressError>,
    /// Whether errors may be shown: after the first submit or after leaving the field, so
    /// nobody is scolded for an address they have not finished typing.
    pub show_errors: bool,
    /// The input accepted by the last successful submit.
    pub submitted: Option<MailInput>,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            address_text: String::new(),
            parsed: Err(AddressError::Empty),
            show_errors: false,
            submitted: None,
        }
    }
}

/// Everything that can happen on the first screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The user typed in the address field.
    EditAddress(String),
    /// The user left the address field.
    LeaveAddress,
    /// The user asked to continue.
    Submit,
}

impl AppState {
    /// The error to show now, if any.
    pub fn visible_error(&self) -> Option<&AddressError> {
        match &self.parsed {
            Err(error) if self.show_errors => Some(error),
            _ => None,
        }
    }

    /// Applies one action and returns the next state.
    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.clone();
        match action {
            Action::EditAddress(text) => {
                next.parsed = parse_input(&text);
                next.address_text = text;
                // Once the user has seen an error, keep feedback live; an empty field is not
                // worth an error while typing.
                if next.address_text.trim().is_empty() {
                    next.show_errors = false;
                }
                next.submitted = None;
            }
            Action::LeaveAddress => {
                next.show_errors = !next.address_text.trim().is_empty();
            }
            Action::Submit => {
                next.show_errors = true;
                next.submitted = next.parsed.clone().ok();
            }
        }
        next
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(actions: &[Action]) -> AppState {
        actions
            .iter()
            .cloned()
            .fold(AppState::default(), |state, action| state.apply(action))
    }

    #[test]
    fn errors_wait_until_the_user_leaves_the_field_or_submits() {
        let typing = run(&[Action::EditAddress("alice@".into())]);
        assert_eq!(typing.visible_error(), None);
        let left = run(&[Action::EditAddress("alice@".into()), Action::LeaveAddress]);
        assert_eq!(left.visible_error(), Some(&AddressError::EmptyDomain));
        let submitted = run(&[Action::EditAddress("alice@".into()), Action::Submit]);
        assert_eq!(submitted.visible_error(), Some(&AddressError::EmptyDomain));
        assert_eq!(submitted.submitted, None);
    }

    #[test]
    fn typed_text_is_kept_through_errors_and_submits() {
        let state = run(&[
            Action::EditAddress("bad address@x".into()),
            Action::Submit,
            Action::LeaveAddress,
        ]);
        assert_eq!(state.address_text, "bad address@x");
        assert_eq!(state.visible_error(), Some(&AddressError::ContainsSpace));
    }

    #[test]
    fn a_valid_submit_records_the_parsed_input() {
        let state = run(&[
            Action::EditAddress("a@bücher.example".into()),
            Action::Submit,
        ]);
        let submitted = state.submitted.expect("valid input is submitted");
        assert_eq!(submitted.domain.ascii, "xn--bcher-kva.example");
        let edited = run(&[
            Action::EditAddress("a@example.com".into()),
            Action::Submit,
            Action::EditAddress("a@example.co".into()),
        ]);
        assert_eq!(edited.submitted, None, "editing withdraws the submission");
    }
}
