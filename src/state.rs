//! The app's state and the closed set of actions that change it.
//!
//! Pure logic, no DOM: the reducer is tested natively. Components read this state through
//! props and dispatch [`Action`]s; hooks carry out the side effects (lookups, storage) and
//! report back with actions too.

use std::rc::Rc;

use portolan_core::model::Discovery;
use portolan_core::{parse_input, AddressError, MailInput};
use yew::Reducible;

use crate::settings::ResolverChoice;

/// The three steps of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Address,
    Client,
    Result,
}

/// Where the lookups for the submitted address stand.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupState {
    /// Nothing asked yet.
    Idle,
    /// Lookups are running; `generation` tells a late answer for an old address from the
    /// current one.
    Running { generation: u32 },
    /// Finished; `milliseconds` is the wall time from submit to result.
    Done {
        discovery: Rc<Discovery>,
        milliseconds: u64,
        offline: bool,
    },
}

/// What the app knows.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub screen: Screen,
    /// Exactly what the user typed; never discarded, whatever happens.
    pub address_text: String,
    /// The result of checking `address_text`.
    pub parsed: Result<MailInput, AddressError>,
    /// Whether errors may be shown: after the first submit or after leaving the field, so
    /// nobody is scolded for an address they have not finished typing.
    pub show_errors: bool,
    /// The input accepted by the last successful submit.
    pub submitted: Option<MailInput>,
    /// The text in the client search box.
    pub client_search: String,
    /// The chosen client's id; `None` means "other / not listed" once on the result screen.
    pub client_id: Option<String>,
    /// The client guessed from the user agent, marked as suggested in the list.
    pub suggested_client: Option<String>,
    /// The resolver the user chose (remembered locally by a hook).
    pub resolver: ResolverChoice,
    pub lookup: LookupState,
    /// Bumped on every new lookup.
    pub generation: u32,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            screen: Screen::Address,
            address_text: String::new(),
            parsed: Err(AddressError::Empty),
            show_errors: false,
            submitted: None,
            client_search: String::new(),
            client_id: None,
            suggested_client: None,
            resolver: ResolverChoice::default(),
            lookup: LookupState::Idle,
            generation: 0,
        }
    }
}

/// Everything that can happen.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Values from the page's URL (`email`, `domain`, `client`) and from local storage.
    Prefill {
        address: Option<String>,
        /// A client named by the link: with a valid address, go straight to the result.
        client: Option<String>,
        /// The client guessed from the user agent: only pre-selected.
        suggested_client: Option<String>,
        resolver: Option<ResolverChoice>,
    },
    /// The user typed in the address field.
    EditAddress(String),
    /// The user left the address field.
    LeaveAddress,
    /// The user asked to continue from the address.
    SubmitAddress,
    /// The user typed in the client search box.
    SearchClients(String),
    /// The user picked a client (`None`: other / not listed) and asked for the result.
    ChooseClient(Option<String>),
    /// Back to an earlier screen; nothing typed is lost.
    GoTo(Screen),
    /// The user chose a resolver in the settings.
    SetResolver(ResolverChoice),
    /// The lookups of `generation` finished.
    LookupFinished {
        generation: u32,
        discovery: Rc<Discovery>,
        milliseconds: u64,
        offline: bool,
    },
}

impl AppState {
    /// The error to show now, if any.
    pub fn visible_error(&self) -> Option<&AddressError> {
        match &self.parsed {
            Err(error) if self.show_errors => Some(error),
            _ => None,
        }
    }

    /// The lookup a hook must start now: (generation, input), when one is due.
    pub fn pending_lookup(&self) -> Option<(u32, &MailInput)> {
        match (&self.lookup, &self.submitted) {
            (LookupState::Running { generation }, Some(input)) => Some((*generation, input)),
            _ => None,
        }
    }

    /// Applies one action and returns the next state.
    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.clone();
        match action {
            Action::Prefill {
                address,
                client,
                suggested_client,
                resolver,
            } => {
                if let Some(resolver) = resolver {
                    next.resolver = resolver;
                }
                next.suggested_client = suggested_client;
                let linked_client = client.is_some();
                next.client_id = client.or(next.suggested_client.clone());
                if let Some(text) = address {
                    next = next.apply(Action::EditAddress(text));
                    if next.parsed.is_ok() {
                        next = next.apply(Action::SubmitAddress);
                        if linked_client {
                            next.screen = Screen::Result;
                        }
                    } else {
                        next.show_errors = true;
                    }
                }
            }
            Action::EditAddress(text) => {
                next.parsed = parse_input(&text);
                next.address_text = text;
                if next.address_text.trim().is_empty() {
                    next.show_errors = false;
                }
            }
            Action::LeaveAddress => {
                next.show_errors = !next.address_text.trim().is_empty();
            }
            Action::SubmitAddress => {
                next.show_errors = true;
                if let Ok(input) = next.parsed.clone() {
                    next.start_lookup(input, false);
                    next.screen = Screen::Client;
                }
            }
            Action::SearchClients(text) => next.client_search = text,
            Action::ChooseClient(id) => {
                next.client_id = id;
                if next.submitted.is_some() {
                    next.screen = Screen::Result;
                }
            }
            Action::GoTo(screen) => {
                // Later screens need a submitted address; without one, stay on the first.
                next.screen = if next.submitted.is_some() {
                    screen
                } else {
                    Screen::Address
                };
            }
            Action::SetResolver(resolver) => {
                let changed = next.resolver != resolver;
                next.resolver = resolver;
                if changed {
                    if let Some(input) = next.submitted.clone() {
                        next.start_lookup(input, true);
                    }
                }
            }
            Action::LookupFinished {
                generation,
                discovery,
                milliseconds,
                offline,
            } => {
                if next.lookup == (LookupState::Running { generation }) {
                    next.lookup = LookupState::Done {
                        discovery,
                        milliseconds,
                        offline,
                    };
                }
            }
        }
        next
    }

    /// Starts a lookup for `input`, unless the same input already has one (or `again`).
    fn start_lookup(&mut self, input: MailInput, again: bool) {
        let same_input = self.submitted.as_ref() == Some(&input);
        let have_result = !matches!(self.lookup, LookupState::Idle);
        if same_input && have_result && !again {
            return;
        }
        self.submitted = Some(input);
        self.generation = self.generation.wrapping_add(1);
        self.lookup = LookupState::Running {
            generation: self.generation,
        };
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

    fn empty_discovery() -> Rc<Discovery> {
        Rc::new(Discovery {
            address: None,
            domain: "example.com".into(),
            incoming: Vec::new(),
            outgoing: Vec::new(),
            unavailable: Vec::new(),
            conflicts: Vec::new(),
            lookups: Vec::new(),
        })
    }

    #[test]
    fn errors_wait_until_the_user_leaves_the_field_or_submits() {
        let typing = run(&[Action::EditAddress("alice@".into())]);
        assert_eq!(typing.visible_error(), None);
        let left = run(&[Action::EditAddress("alice@".into()), Action::LeaveAddress]);
        assert_eq!(left.visible_error(), Some(&AddressError::EmptyDomain));
        let submitted = run(&[Action::EditAddress("alice@".into()), Action::SubmitAddress]);
        assert_eq!(submitted.visible_error(), Some(&AddressError::EmptyDomain));
        assert_eq!(submitted.submitted, None);
        assert_eq!(submitted.screen, Screen::Address);
    }

    #[test]
    fn typed_text_is_kept_through_errors_and_navigation() {
        let state = run(&[
            Action::EditAddress("bad address@x".into()),
            Action::SubmitAddress,
            Action::GoTo(Screen::Result),
        ]);
        assert_eq!(state.address_text, "bad address@x");
        assert_eq!(
            state.screen,
            Screen::Address,
            "no result without an address"
        );
        assert_eq!(state.visible_error(), Some(&AddressError::ContainsSpace));
    }

    #[test]
    fn submitting_starts_one_lookup_and_moves_to_the_client_screen() {
        let state = run(&[
            Action::EditAddress("a@bücher.example".into()),
            Action::SubmitAddress,
        ]);
        assert_eq!(state.screen, Screen::Client);
        let (generation, input) = state.pending_lookup().expect("a lookup is due");
        assert_eq!(input.domain.ascii, "xn--bcher-kva.example");
        let again = state
            .apply(Action::GoTo(Screen::Address))
            .apply(Action::SubmitAddress);
        assert_eq!(
            again.pending_lookup().map(|(g, _)| g),
            Some(generation),
            "the same address is not looked up twice"
        );
    }

    #[test]
    fn a_late_answer_for_an_old_address_is_ignored() {
        let first = run(&[
            Action::EditAddress("a@one.example".into()),
            Action::SubmitAddress,
        ]);
        let (old, _) = first.pending_lookup().expect("first lookup");
        let second = first
            .apply(Action::EditAddress("a@two.example".into()))
            .apply(Action::SubmitAddress);
        let (current, _) = second.pending_lookup().expect("second lookup");
        assert_ne!(old, current);
        let late = second.apply(Action::LookupFinished {
            generation: old,
            discovery: empty_discovery(),
            milliseconds: 5,
            offline: false,
        });
        assert!(matches!(late.lookup, LookupState::Running { .. }));
        let done = late.apply(Action::LookupFinished {
            generation: current,
            discovery: empty_discovery(),
            milliseconds: 7,
            offline: false,
        });
        assert!(matches!(
            done.lookup,
            LookupState::Done {
                milliseconds: 7,
                ..
            }
        ));
    }

    #[test]
    fn prefill_with_address_and_client_goes_straight_to_the_result() {
        let state = run(&[Action::Prefill {
            address: Some("alice@example.com".into()),
            client: Some("thunderbird".into()),
            suggested_client: Some("apple-mail".into()),
            resolver: None,
        }]);
        assert_eq!(state.screen, Screen::Result);
        assert_eq!(state.client_id.as_deref(), Some("thunderbird"));
        let suggested_only = run(&[Action::Prefill {
            address: Some("alice@example.com".into()),
            client: None,
            suggested_client: Some("apple-mail".into()),
            resolver: None,
        }]);
        assert_eq!(
            suggested_only.screen,
            Screen::Client,
            "a guess never skips the choice"
        );
        assert_eq!(suggested_only.client_id.as_deref(), Some("apple-mail"));
        let bad = run(&[Action::Prefill {
            address: Some("alice@@".into()),
            client: None,
            suggested_client: None,
            resolver: None,
        }]);
        assert_eq!(bad.screen, Screen::Address);
        assert_eq!(bad.address_text, "alice@@");
        assert!(bad.visible_error().is_some());
    }

    #[test]
    fn changing_the_resolver_looks_up_again() {
        let state = run(&[
            Action::EditAddress("a@example.com".into()),
            Action::SubmitAddress,
        ]);
        let (before, _) = state.pending_lookup().expect("lookup");
        let changed = state.apply(Action::SetResolver(ResolverChoice::Off));
        let (after, _) = changed.pending_lookup().expect("new lookup");
        assert_ne!(before, after);
    }
}
