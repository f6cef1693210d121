//! The app's state and the closed set of actions that change it.
//!
//! Pure logic, no DOM: the reducer is tested natively. Components read this state through
//! props and dispatch [`Action`]s; hooks carry out the side effects (lookups, storage) and
//! report back with actions too.

use std::rc::Rc;

use portolan_core::lang::Lang;
use portolan_core::{AddressError, MailInput};
use yew::Reducible;

use crate::messages::audit::AuditView;
use crate::messages::engine::Verdict;
use crate::messages::explanation::ExplanationView;
use crate::messages::probe::{CheckedServer, Step};
use crate::messages::report::Report;
use crate::page::live::{LiveState, RelayStatus};
use crate::page::settings::ResolverChoice;

/// The three steps of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Address,
    Client,
    Result,
    /// "For providers": the audit of a domain.
    Audit,
}

/// Where the lookups for the submitted address stand.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupState {
    /// Nothing asked yet.
    Idle,
    /// Lookups are running; `generation` tells a late answer for an old address from the
    /// current one.
    Running { generation: u32 },
    /// Finished (the engine worker keeps the result); `milliseconds` is the lookups' wall time.
    Done { generation: u32, milliseconds: u64 },
}

/// The engine's result screen for one lookup, one client and one set of live checks.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFor {
    pub generation: u32,
    pub client: Option<String>,
    /// The [`LiveState::version`] of the checks it was worked out with.
    pub live: u32,
    pub report: Rc<Report>,
    /// The language its words are in.
    pub lang: Lang,
}

/// One question to the troubleshooter: the pasted text, and the lookup whose result was on
/// screen when it was asked (so the explanation speaks of those settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TroubleQuestion {
    pub text: String,
    pub generation: Option<u32>,
    /// The client of the result it is tied to.
    pub client: Option<String>,
}

/// The "For providers" screen.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditState {
    /// Exactly what was typed in the domain field.
    pub domain: String,
    /// Exactly what was typed in the DKIM selectors field.
    pub selectors: String,
    /// Bumped on every audit asked for.
    pub generation: u32,
    /// An audit is on its way.
    pub running: bool,
    /// The newest audit's view.
    pub view: Option<Rc<AuditView>>,
    /// The audit whose ports are being checked live, when the user asked.
    pub checking: Option<u32>,
}

impl AuditState {
    /// The DKIM selectors typed, split at commas and white space.
    pub fn selector_list(&self) -> Vec<String> {
        self.selectors
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|part| !part.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// The "Something went wrong?" panel.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TroubleState {
    /// Exactly what the user pasted; kept across screens and lookups.
    pub text: String,
    /// The last question asked.
    pub asked: Option<TroubleQuestion>,
    /// The answer to `asked`, once the engine gave it.
    pub answer: Option<Rc<ExplanationView>>,
}

/// What the app knows.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub screen: Screen,
    /// Exactly what the user typed; never discarded, whatever happens.
    pub address_text: String,
    /// The engine's verdict on `parsed_text`.
    pub parsed: Verdict,
    /// The text `parsed` is about; it lags `address_text` while the engine checks.
    pub parsed_text: String,
    /// The language of `parsed`'s words.
    pub parsed_lang: Lang,
    /// The language the page speaks (and asks the workers' words in).
    pub lang: Lang,
    /// The engine worker sent the texts the page does not carry (see `strings`).
    pub texts_ready: bool,
    /// A submit waiting for the verdict on the current text: `Some(true)` when a link named
    /// the client, so the result follows directly.
    pub submit_waiting: Option<bool>,
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
    /// The result screen for the current lookup and client, once the engine made it.
    pub report: Option<ReportFor>,
    /// Why the engine worker is not available, if it is not.
    pub engine_error: Option<String>,
    /// The live checks of the current lookup.
    pub live: LiveState,
    /// The troubleshooter's panel.
    pub trouble: TroubleState,
    /// The "For providers" screen.
    pub audit: AuditState,
    /// The site's provider preset, as the engine worker read it.
    pub preset: PresetState,
    /// True once the user chose a resolver (now or on an earlier visit): a preset's default
    /// resolver no longer applies.
    pub resolver_chosen: bool,
}

/// What the page knows of the site's provider preset (`portolan.json`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PresetState {
    /// The engine worker has answered; lookups wait for this, so a preset's resolver (or its
    /// "no lookups") applies to the first one too.
    pub known: bool,
    /// The preset turned network lookups off: the resolver choice is fixed to "off".
    pub lookups_off: bool,
    /// The preset's relay, which wins over the page's own (but not over one set in Settings).
    pub relay: Option<String>,
    /// JSON for the embedding script, passed on untouched.
    pub branding: Option<String>,
    /// Why the preset file could not be used.
    pub error: Option<String>,
    /// The language of `error`'s words.
    pub lang: Lang,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            screen: Screen::Address,
            address_text: String::new(),
            parsed: Err(AddressError::Empty.to_string()),
            parsed_text: String::new(),
            parsed_lang: Lang::En,
            lang: crate::strings::lang(),
            texts_ready: false,
            submit_waiting: None,
            show_errors: false,
            submitted: None,
            client_search: String::new(),
            client_id: None,
            suggested_client: None,
            resolver: ResolverChoice::default(),
            lookup: LookupState::Idle,
            generation: 0,
            report: None,
            engine_error: None,
            live: LiveState::default(),
            trouble: TroubleState::default(),
            audit: AuditState::default(),
            preset: PresetState::default(),
            resolver_chosen: false,
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
    /// The engine's verdict on a text typed in the address field.
    Parsed {
        text: String,
        result: Verdict,
        lang: Lang,
    },
    /// The reader chose another language (the texts already switched).
    SetLang(Lang),
    /// The engine worker's texts for the later screens are in.
    TextsArrived,
    /// The lookups of `generation` finished.
    LookupFinished { generation: u32, milliseconds: u64 },
    /// The engine made the result screen for a lookup and a client.
    ReportReady(ReportFor),
    /// The engine worker failed; the message says why.
    EngineFailed(String),
    /// The engine worker read the site's preset (see [`PresetState`]).
    PresetKnown {
        lookups_off: bool,
        resolver: Option<ResolverChoice>,
        relay: Option<String>,
        branding: Option<String>,
        error: Option<String>,
        lang: Lang,
    },
    /// Whether the page's own server is a relay (found through `/healthz`).
    RelayFound(RelayStatus),
    /// The relay URL in the settings changed (`None`: cleared).
    SetRelay(Option<String>),
    /// "Check these servers".
    StartChecks,
    /// The login test of the recommended incoming server (its password goes to the hook, not
    /// here).
    StartLogin,
    /// The hook sent these checks to the probe worker.
    ChecksSent(Vec<u32>),
    /// Check `id` moved on to `step`.
    CheckProgress { id: u32, step: Step },
    /// Check `id` is finished.
    CheckDone {
        id: u32,
        checked: Box<CheckedServer>,
    },

    /// The user cancelled the running checks.
    CancelChecks,
    /// The probe worker failed; the message says why.
    ProbeWorkerFailed(String),
    /// The user typed or pasted in the troubleshooter's field.
    EditTrouble(String),
    /// The user asked what the pasted text means.
    ExplainTrouble,
    /// The engine explained a question.
    Explained {
        question: TroubleQuestion,
        explanation: Rc<ExplanationView>,
        lang: Lang,
    },
    /// The user typed in the audit's domain field.
    EditAuditDomain(String),
    /// The user typed in the audit's DKIM selectors field.
    EditAuditSelectors(String),
    /// "Run the audit".
    RunAudit,
    /// The engine audited (or refused) a domain.
    Audited {
        generation: u32,
        view: Rc<AuditView>,
    },
    /// "Check the ports live".
    CheckAuditPorts,
}

impl AppState {
    /// The error to show now, if any.
    pub fn visible_error(&self) -> Option<&str> {
        match self.current_parse() {
            Some(Err(error)) if self.show_errors => Some(error.as_str()),
            _ => None,
        }
    }

    /// The verdict on the text in the field now; `None` while the engine is still checking.
    pub fn current_parse(&self) -> Option<&Verdict> {
        (self.parsed_text == self.address_text && self.parsed_lang == self.lang)
            .then_some(&self.parsed)
    }

    /// The result screen a hook must ask the engine for now: (generation, client, live), when
    /// the user is on the result screen, the lookups are done, and the report is not there
    /// yet, or was made before checks that have finished since (while none is running).
    pub fn pending_report(&self) -> Option<(u32, Option<String>, u32)> {
        let LookupState::Done { generation, .. } = self.lookup else {
            return None;
        };
        if self.screen != Screen::Result {
            return None;
        }
        let live = self.live.version;
        let up_to_date = self
            .made_report()
            .is_some_and(|made| (made.live == live || self.live.busy()) && made.lang == self.lang);
        (!up_to_date).then(|| (generation, self.client_id.clone(), live))
    }

    /// The report for the current lookup and client, if the engine made it (perhaps before
    /// the latest live checks: it stays on screen until the new one comes).
    pub fn current_report(&self) -> Option<&Rc<Report>> {
        self.made_report().map(|made| &made.report)
    }

    fn made_report(&self) -> Option<&ReportFor> {
        let LookupState::Done { generation, .. } = self.lookup else {
            return None;
        };
        self.report
            .as_ref()
            .filter(|made| made.generation == generation && made.client == self.client_id)
    }

    /// The troubleshooter's question a hook must send now, when one waits for its answer.
    pub fn pending_question(&self) -> Option<&TroubleQuestion> {
        self.trouble
            .asked
            .as_ref()
            .filter(|_| self.trouble.answer.is_none())
    }

    /// What a question asked now is tied to: the lookup and client of the result on screen.
    fn trouble_context(&self) -> (Option<u32>, Option<String>) {
        match self.made_report().filter(|_| self.screen == Screen::Result) {
            Some(made) => (Some(made.generation), made.client.clone()),
            None => (None, None),
        }
    }

    /// The troubleshooter's answer to show: an untied one always; a tied one only while its
    /// result (lookup and client) is the one on screen.
    pub fn trouble_answer(&self) -> Option<Rc<ExplanationView>> {
        let asked = self.trouble.asked.as_ref()?;
        let current = asked.generation.is_none() || {
            let (generation, client) = self.trouble_context();
            generation == asked.generation && client == asked.client
        };
        self.trouble.answer.clone().filter(|_| current)
    }

    /// The audit a hook must ask for now: (generation, domain, selectors).
    pub fn pending_audit(&self) -> Option<(u32, String, Vec<String>)> {
        self.audit.running.then(|| {
            (
                self.audit.generation,
                self.audit.domain.trim().to_owned(),
                self.audit.selector_list(),
            )
        })
    }

    /// The live checks a hook must send to the engine for the audit: (generation, live
    /// version), once the ports the user asked to check are all done.
    pub fn pending_audit_checks(&self) -> Option<(u32, u32)> {
        let generation = self.audit.checking?;
        let finished = !self.live.audit_busy() && !self.live.audit_checks().is_empty();
        (finished && generation == self.audit.generation)
            .then_some((generation, self.live.audit_version))
    }

    /// The lookup a hook must start now: (generation, input), when one is due.
    pub fn pending_lookup(&self) -> Option<(u32, &MailInput)> {
        match (&self.lookup, &self.submitted) {
            (LookupState::Running { generation }, Some(input)) if self.preset.known => {
                Some((*generation, input))
            }
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
                    next.resolver_chosen = true;
                }
                next.suggested_client = suggested_client;
                next.client_id = client.or(next.suggested_client.clone());
                if let Some(text) = address {
                    next = next.apply(Action::EditAddress(text));
                    next.show_errors = true;
                    let app_known = next.client_id.is_some();
                    next.request_submit(app_known);
                }
            }
            Action::EditAddress(text) => {
                next.address_text = text;
                next.submit_waiting = None;
                if next.address_text.trim().is_empty() {
                    next.show_errors = false;
                }
            }
            Action::LeaveAddress => {
                next.show_errors = !next.address_text.trim().is_empty();
            }
            Action::SubmitAddress => {
                next.show_errors = true;
                // A known app (suggested for this device, or named by a link) goes straight to
                // the result, where the app is a selector: two steps for most people.
                let app_known = next.client_id.is_some();
                next.request_submit(app_known);
            }
            Action::Parsed { text, result, lang } => {
                if text == next.address_text && lang == next.lang {
                    next.parsed = result;
                    next.parsed_text = text;
                    next.parsed_lang = lang;
                    if let Some(to_result) = next.submit_waiting.take() {
                        next.request_submit(to_result);
                    }
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
                // Later screens need a submitted address; without one, stay on the first. The
                // audit needs none.
                next.screen = if next.submitted.is_some() || screen == Screen::Audit {
                    screen
                } else {
                    Screen::Address
                };
            }
            Action::SetResolver(resolver) => {
                if next.preset.lookups_off {
                    return next;
                }
                next.resolver_chosen = true;
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
                milliseconds,
            } => {
                if next.lookup == (LookupState::Running { generation }) {
                    next.lookup = LookupState::Done {
                        generation,
                        milliseconds,
                    };
                }
            }
            Action::ReportReady(made) => {
                // A report in the language left behind is dropped: the new one is on its way.
                if matches!(next.lookup, LookupState::Done { generation, .. } if generation == made.generation)
                    && made.lang == next.lang
                {
                    let current = made.live == next.live.version;
                    let report = made.report.clone();
                    next.report = Some(made);
                    if current {
                        next.live.follow(&report);
                    }
                }
            }
            Action::EngineFailed(message) => next.engine_error = Some(message),
            Action::PresetKnown {
                lookups_off,
                resolver,
                relay,
                branding,
                error,
                lang,
            } => {
                if lookups_off {
                    next.resolver = ResolverChoice::Off;
                } else if let Some(resolver) = resolver.filter(|_| !next.resolver_chosen) {
                    next.resolver = resolver;
                }
                next.preset = PresetState {
                    known: true,
                    lookups_off,
                    relay,
                    branding,
                    error,
                    lang,
                };
                next.settle_relay();
            }
            Action::RelayFound(status) => {
                next.live.relay_found = status;
                next.settle_relay();
            }
            Action::SetRelay(url) => {
                next.live.relay_setting = url;
                next.settle_relay();
            }
            Action::StartChecks => {
                if let Some(report) = next.current_report().cloned() {
                    if next.live.relay_url().is_some() {
                        next.live.start_checks(&report);
                    }
                }
            }
            Action::StartLogin => {
                if let Some(report) = next.current_report().cloned() {
                    if next.live.relay_url().is_some() {
                        next.live.start_login(&report);
                    }
                }
            }
            Action::ChecksSent(ids) => next.live.sent(&ids),
            Action::CheckProgress { id, step } => next.live.progress(id, step),
            Action::CheckDone { id, checked } => next.live.finished(id, *checked),

            Action::CancelChecks => {
                next.live.cancel();
            }
            Action::ProbeWorkerFailed(message) => {
                next.live.cancel();
                next.live.error = Some(message);
            }
            Action::EditTrouble(text) => next.trouble.text = text,
            Action::ExplainTrouble => {
                let (generation, client) = next.trouble_context();
                let question = TroubleQuestion {
                    text: next.trouble.text.clone(),
                    generation,
                    client,
                };
                let answered =
                    next.trouble.asked.as_ref() == Some(&question) && next.trouble.answer.is_some();
                if !question.text.trim().is_empty() && !answered {
                    next.trouble.asked = Some(question);
                    next.trouble.answer = None;
                }
            }
            Action::TextsArrived => next.texts_ready = true,
            Action::SetLang(lang) => {
                // What is on screen stays until its words come in the new language: the hooks
                // ask again for the verdict, the result and the explanation.
                next.lang = lang;
                if next.trouble.asked.is_some() {
                    next.trouble.answer = None;
                }
            }
            Action::Explained {
                question,
                explanation,
                lang,
            } => {
                if next.trouble.asked.as_ref() == Some(&question) && lang == next.lang {
                    next.trouble.answer = Some(explanation);
                }
            }
            Action::EditAuditDomain(text) => next.audit.domain = text,
            Action::EditAuditSelectors(text) => next.audit.selectors = text,
            Action::RunAudit => {
                if !next.audit.domain.trim().is_empty() {
                    next.audit.generation = next.audit.generation.wrapping_add(1);
                    next.audit.running = true;
                    next.audit.checking = None;
                }
            }
            Action::Audited { generation, view } => {
                if generation == next.audit.generation {
                    next.audit.running = false;
                    next.audit.view = Some(view);
                }
            }
            Action::CheckAuditPorts => {
                let targets = next.audit.view.as_ref().map(|view| view.targets.clone());
                if let (Some(targets), Some(_)) = (targets, next.live.relay_url()) {
                    if !targets.is_empty() && !next.live.audit_busy() {
                        next.live.start_audit_checks(&targets);
                        next.audit.checking = Some(next.audit.generation);
                    }
                }
            }
        }
        next
    }

    /// Lets the live checks react to the report on screen (a relay that just became known can
    /// probe the guesses of a lookup that found nothing better).
    fn follow_current_report(&mut self) {
        let current = self
            .made_report()
            .filter(|made| made.live == self.live.version)
            .map(|made| made.report.clone());
        if let Some(report) = current {
            self.live.follow(&report);
        }
    }

    /// The relay live checks use, by one rule: one set in Settings, else the site's preset's,
    /// else the page's own server as `/healthz` found it. Then the checks follow the report.
    fn settle_relay(&mut self) {
        let named = self
            .live
            .relay_setting
            .as_ref()
            .or(self.preset.relay.as_ref());
        self.live.relay = match named {
            Some(url) => RelayStatus::Available {
                url: url.clone(),
                same_origin: false,
            },
            None => self.live.relay_found.clone(),
        };
        self.follow_current_report();
    }

    /// Moves on from the address once the engine's verdict on the current text is in; until
    /// then the submit waits. `to_result` skips the client screen (the app is known).
    fn request_submit(&mut self, to_result: bool) {
        match self.current_parse() {
            None => self.submit_waiting = Some(to_result),
            Some(Ok(input)) => {
                let input = input.clone();
                self.start_lookup(input, false);
                self.screen = if to_result {
                    Screen::Result
                } else {
                    Screen::Client
                };
            }
            Some(Err(_)) => {}
        }
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
        self.live.reset_for(self.generation);
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
    use crate::messages::engine::verdict_on;

    /// The engine's answer for a site without a preset file.
    fn no_preset() -> Action {
        Action::PresetKnown {
            lookups_off: false,
            resolver: None,
            relay: None,
            branding: None,
            error: None,
            lang: Lang::En,
        }
    }

    /// The actions applied in turn, on a site whose preset (none) is known.
    fn run(actions: &[Action]) -> AppState {
        actions
            .iter()
            .cloned()
            .fold(AppState::default().apply(no_preset()), |state, action| {
                state.apply(action)
            })
    }

    #[test]
    fn the_first_lookup_waits_for_the_preset_and_follows_it() {
        let submitted = actions(&[&typed("a@example.com"), &[Action::SubmitAddress]])
            .into_iter()
            .fold(AppState::default(), |state, action| state.apply(action));
        assert_eq!(
            submitted.pending_lookup(),
            None,
            "no lookup before the preset is known"
        );
        let with_resolver = |lookups_off: bool| Action::PresetKnown {
            lookups_off,
            resolver: Some(ResolverChoice::Quad9),
            relay: Some("wss://relay.example.com".into()),
            branding: Some("{}".into()),
            error: None,
            lang: Lang::En,
        };
        let known = submitted.apply(with_resolver(false));
        assert!(known.pending_lookup().is_some());
        assert_eq!(
            known.resolver,
            ResolverChoice::Quad9,
            "the site's default resolver"
        );
        assert_eq!(known.live.relay_url(), Some("wss://relay.example.com"));
        let found_own = known.apply(Action::RelayFound(RelayStatus::Missing));
        assert_eq!(
            found_own.live.relay_url(),
            Some("wss://relay.example.com"),
            "the preset's relay wins over the page's own server"
        );
        let chosen_before = AppState::default()
            .apply(Action::Prefill {
                address: None,
                client: None,
                suggested_client: None,
                resolver: Some(ResolverChoice::Google),
            })
            .apply(with_resolver(false));
        assert_eq!(
            chosen_before.resolver,
            ResolverChoice::Google,
            "the user's choice wins"
        );
        let off = chosen_before.apply(with_resolver(true));
        assert_eq!(
            off.resolver,
            ResolverChoice::Off,
            "no lookups wins over everything"
        );
        let still_off = off.apply(Action::SetResolver(ResolverChoice::Cloudflare));
        assert_eq!(
            still_off.resolver,
            ResolverChoice::Off,
            "and cannot be changed"
        );
        let own = known.apply(Action::SetRelay(Some("https://mine.example/".into())));
        assert_eq!(
            own.live.relay_url(),
            Some("https://mine.example/"),
            "Settings win"
        );
        let forgotten = own.apply(Action::SetRelay(None));
        assert_eq!(
            forgotten.live.relay_url(),
            Some("wss://relay.example.com"),
            "a forgotten relay gives way to the preset's"
        );
    }

    /// Typing `text` and the engine's verdict on it (parsed natively here).
    fn verdict(text: &str) -> Action {
        Action::Parsed {
            text: text.into(),
            result: verdict_on(text),
            lang: Lang::En,
        }
    }

    fn typed(text: &str) -> [Action; 2] {
        [Action::EditAddress(text.into()), verdict(text)]
    }

    fn actions(groups: &[&[Action]]) -> Vec<Action> {
        groups.concat()
    }

    #[test]
    fn errors_wait_until_the_user_leaves_the_field_or_submits() {
        let typing = run(&typed("alice@"));
        assert_eq!(typing.visible_error(), None);
        let left = run(&actions(&[&typed("alice@"), &[Action::LeaveAddress]]));
        assert_eq!(
            left.visible_error(),
            Some(AddressError::EmptyDomain.to_string().as_str())
        );
        let submitted = run(&actions(&[&typed("alice@"), &[Action::SubmitAddress]]));
        assert_eq!(
            submitted.visible_error(),
            Some(AddressError::EmptyDomain.to_string().as_str())
        );
        assert_eq!(submitted.submitted, None);
        assert_eq!(submitted.screen, Screen::Address);
    }

    #[test]
    fn a_verdict_on_older_text_is_not_shown_for_newer_text() {
        let state = run(&[
            Action::EditAddress("alice@".into()),
            Action::LeaveAddress,
            Action::EditAddress("alice@example.com".into()),
            verdict("alice@"),
        ]);
        assert_eq!(state.visible_error(), None, "the error was for older text");
        assert_eq!(
            state.current_parse(),
            None,
            "the current text is still checked"
        );
        let checked = state.apply(verdict("alice@example.com"));
        assert!(matches!(checked.current_parse(), Some(Ok(_))));
    }

    #[test]
    fn a_submit_before_the_verdict_waits_for_it() {
        let waiting = run(&[
            Action::EditAddress("a@example.com".into()),
            Action::SubmitAddress,
        ]);
        assert_eq!(waiting.screen, Screen::Address);
        assert_eq!(waiting.submit_waiting, Some(false));
        let moved = waiting.apply(verdict("a@example.com"));
        assert_eq!(moved.screen, Screen::Client);
        assert!(moved.pending_lookup().is_some());
        let edited = waiting
            .apply(Action::EditAddress("a@example.co".into()))
            .apply(verdict("a@example.com"))
            .apply(verdict("a@example.co"));
        assert_eq!(
            edited.screen,
            Screen::Address,
            "typing again cancels a waiting submit"
        );
    }

    #[test]
    fn typed_text_is_kept_through_errors_and_navigation() {
        let state = run(&actions(&[
            &typed("bad address@x"),
            &[Action::SubmitAddress, Action::GoTo(Screen::Result)],
        ]));
        assert_eq!(state.address_text, "bad address@x");
        assert_eq!(
            state.screen,
            Screen::Address,
            "no result without an address"
        );
        assert_eq!(
            state.visible_error(),
            Some(AddressError::ContainsSpace.to_string().as_str())
        );
    }

    #[test]
    fn submitting_starts_one_lookup_and_moves_to_the_client_screen() {
        let state = run(&actions(&[
            &typed("a@bücher.example"),
            &[Action::SubmitAddress],
        ]));
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
        let first = run(&actions(&[
            &typed("a@one.example"),
            &[Action::SubmitAddress],
        ]));
        let (old, _) = first.pending_lookup().expect("first lookup");
        let second = [&typed("a@two.example")[..], &[Action::SubmitAddress]]
            .concat()
            .into_iter()
            .fold(first, |state, action| state.apply(action));
        let (current, _) = second.pending_lookup().expect("second lookup");
        assert_ne!(old, current);
        let late = second.apply(Action::LookupFinished {
            generation: old,
            milliseconds: 5,
        });
        assert!(matches!(late.lookup, LookupState::Running { .. }));
        let done = late.apply(Action::LookupFinished {
            generation: current,
            milliseconds: 7,
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
    fn the_result_is_asked_for_once_per_lookup_and_client() {
        let done = run(&actions(&[
            &typed("a@example.com"),
            &[
                Action::SubmitAddress,
                Action::LookupFinished {
                    generation: 1,
                    milliseconds: 3,
                },
            ],
        ]));
        assert_eq!(done.pending_report(), None, "not on the result screen yet");
        let chosen = done.apply(Action::ChooseClient(Some("thunderbird".into())));
        assert_eq!(
            chosen.pending_report(),
            Some((1, Some("thunderbird".into()), 0))
        );
        let report = Rc::new(Report {
            warnings: vec!["a warning".into()],
            ..Report::default()
        });
        let made = chosen.apply(Action::ReportReady(ReportFor {
            generation: 1,
            client: Some("thunderbird".into()),
            live: 0,
            report: report.clone(),
            lang: Lang::En,
        }));
        assert_eq!(made.current_report(), Some(&report));
        assert_eq!(made.pending_report(), None);
        let other = made
            .apply(Action::GoTo(Screen::Client))
            .apply(Action::ChooseClient(None));
        assert_eq!(
            other.current_report(),
            None,
            "that report was for Thunderbird"
        );
        assert_eq!(other.pending_report(), Some((1, None, 0)));
    }

    #[test]
    fn prefill_with_address_and_client_goes_straight_to_the_result() {
        let prefill = |address: &str, client: Option<&str>| Action::Prefill {
            address: Some(address.into()),
            client: client.map(str::to_owned),
            suggested_client: Some("apple-mail".into()),
            resolver: None,
        };
        let state = run(&[
            prefill("alice@example.com", Some("thunderbird")),
            verdict("alice@example.com"),
        ]);
        assert_eq!(state.screen, Screen::Result);
        assert_eq!(state.client_id.as_deref(), Some("thunderbird"));
        let suggested_only = run(&[
            prefill("alice@example.com", None),
            verdict("alice@example.com"),
        ]);
        assert_eq!(
            suggested_only.screen,
            Screen::Result,
            "the app suggested for this device is a choice made, changeable on the result"
        );
        let unknown_app = run(&[
            Action::Prefill {
                address: Some("alice@example.com".into()),
                client: None,
                suggested_client: None,
                resolver: None,
            },
            verdict("alice@example.com"),
        ]);
        assert_eq!(unknown_app.screen, Screen::Client, "no app known: ask");
        assert_eq!(suggested_only.client_id.as_deref(), Some("apple-mail"));
        let bad = run(&[prefill("alice@@", None), verdict("alice@@")]);
        assert_eq!(bad.screen, Screen::Address);
        assert_eq!(bad.address_text, "alice@@");
        assert!(bad.visible_error().is_some());
    }

    #[test]
    fn an_engine_failure_is_kept_for_the_page_to_show() {
        let state = run(&[Action::EngineFailed("could not load".into())]);
        assert_eq!(state.engine_error.as_deref(), Some("could not load"));
    }

    #[test]
    fn changing_the_resolver_looks_up_again() {
        let state = run(&actions(&[
            &typed("a@example.com"),
            &[Action::SubmitAddress],
        ]));
        let (before, _) = state.pending_lookup().expect("lookup");
        let changed = state.apply(Action::SetResolver(ResolverChoice::Off));
        let (after, _) = changed.pending_lookup().expect("new lookup");
        assert_ne!(before, after);
    }

    fn explained(question: TroubleQuestion) -> Action {
        Action::Explained {
            question,
            explanation: Rc::new(ExplanationView::default()),
            lang: Lang::En,
        }
    }

    #[test]
    fn the_troubleshooter_ties_a_question_to_the_result_on_screen_only() {
        let pasted = "535 5.7.8 Authentication failed";
        let start = run(&[Action::EditTrouble(pasted.into()), Action::ExplainTrouble]);
        let untied = TroubleQuestion {
            text: pasted.into(),
            generation: None,
            client: None,
        };
        assert_eq!(start.pending_question(), Some(&untied));
        let answered = start.apply(explained(untied.clone()));
        assert_eq!(answered.pending_question(), None);
        assert!(answered.trouble.answer.is_some());
        assert_eq!(
            answered.apply(Action::ExplainTrouble).pending_question(),
            None,
            "an answered question is not asked again"
        );

        let on_result = run(&actions(&[
            &typed("a@example.com"),
            &[
                Action::SubmitAddress,
                Action::ChooseClient(None),
                Action::LookupFinished {
                    generation: 1,
                    milliseconds: 5,
                },
                Action::ReportReady(ReportFor {
                    generation: 1,
                    client: None,
                    live: 0,
                    report: Rc::new(Report::default()),
                    lang: Lang::En,
                }),
            ],
        ]));
        let tied = on_result
            .apply(Action::EditTrouble(pasted.into()))
            .apply(Action::ExplainTrouble);
        let question = tied.pending_question().cloned().expect("asked");
        assert_eq!(question.generation, Some(1));
        let late = tied.apply(explained(untied));
        assert_eq!(
            late.pending_question(),
            Some(&question),
            "an answer to another question is dropped"
        );
        let answered = late.apply(explained(question.clone()));
        assert!(
            answered.trouble_answer().is_some(),
            "the tied answer shows under its result"
        );
        let other_client = answered.apply(Action::ChooseClient(Some("thunderbird".into())));
        assert!(
            other_client.trouble_answer().is_none(),
            "an answer about another client's settings is not shown"
        );
        let back = late.apply(Action::GoTo(Screen::Address));
        assert_eq!(back.trouble.text, pasted, "the pasted text is kept");
        let blank = back
            .apply(Action::EditTrouble("  ".into()))
            .apply(Action::ExplainTrouble);
        assert_eq!(
            blank.trouble.asked, back.trouble.asked,
            "blank is not asked"
        );
    }

    #[test]
    fn the_audit_runs_for_the_typed_domain_and_checks_its_ports_through_a_relay() {
        use crate::messages::audit::AuditView;
        use crate::messages::probe::Target;
        use portolan_core::model::{Protocol, Security};

        let state = run(&[Action::GoTo(Screen::Audit)]);
        assert_eq!(state.screen, Screen::Audit, "the audit needs no address");
        assert_eq!(
            state.apply(Action::RunAudit).pending_audit(),
            None,
            "nothing typed"
        );
        let asked = state
            .apply(Action::EditAuditDomain(" example.com ".into()))
            .apply(Action::EditAuditSelectors("s1, s2 google".into()))
            .apply(Action::RunAudit);
        assert_eq!(
            asked.pending_audit(),
            Some((
                1,
                "example.com".into(),
                vec!["s1".into(), "s2".into(), "google".into()]
            ))
        );
        let view = Rc::new(AuditView {
            targets: vec![Target {
                protocol: Protocol::Imap,
                host: "mail.example.com".into(),
                port: 993,
                security: Security::Tls,
            }],
            ..AuditView::default()
        });
        let stale = asked.apply(Action::Audited {
            generation: 0,
            view: view.clone(),
        });
        assert!(
            stale.audit.view.is_none(),
            "an older audit's answer is dropped"
        );
        let done = asked.apply(Action::Audited {
            generation: 1,
            view,
        });
        assert_eq!(done.pending_audit(), None);
        assert_eq!(done.audit.domain, " example.com ", "what was typed is kept");
        let without_relay = done.apply(Action::CheckAuditPorts);
        assert!(without_relay.live.runs.is_empty(), "no relay, no checks");
        let with_relay = done
            .apply(Action::SetRelay(Some("https://relay.example/".into())))
            .apply(Action::CheckAuditPorts);
        assert_eq!(with_relay.live.waiting().len(), 1);
        assert_eq!(
            with_relay.pending_audit_checks(),
            None,
            "not before the checks end"
        );
    }

    #[test]
    fn a_language_switch_keeps_the_screen_and_asks_again_for_every_word() {
        let pasted = "535 5.7.8 Authentication failed";
        let report = Rc::new(Report::default());
        let made = |lang| {
            Action::ReportReady(ReportFor {
                generation: 1,
                client: None,
                live: 0,
                report: report.clone(),
                lang,
            })
        };
        let shown = run(&actions(&[
            &typed("alice@example.com"),
            &[
                Action::SubmitAddress,
                Action::ChooseClient(None),
                Action::LookupFinished {
                    generation: 1,
                    milliseconds: 5,
                },
                made(Lang::En),
                Action::EditTrouble(pasted.into()),
                Action::ExplainTrouble,
            ],
        ]));
        let asked = shown.pending_question().cloned().expect("asked");
        let shown = shown.apply(explained(asked.clone()));
        assert_eq!(shown.pending_report(), None);
        assert!(shown.trouble_answer().is_some());

        let german = shown.apply(Action::SetLang(Lang::De));
        // What was typed and the result stay; the words are asked for again.
        assert_eq!(german.address_text, "alice@example.com");
        assert_eq!(german.current_report(), Some(&report));
        assert_eq!(german.pending_report(), Some((1, None, 0)));
        assert_eq!(german.current_parse(), None);
        assert_eq!(german.pending_question(), Some(&asked));
        // An answer still in English when it arrives is dropped; the German one is taken.
        let late = german.apply(made(Lang::En)).apply(explained(asked.clone()));
        assert_eq!(late.pending_report(), Some((1, None, 0)));
        assert_eq!(late.pending_question(), Some(&asked));
        let done = late.apply(made(Lang::De)).apply(Action::Explained {
            question: asked,
            explanation: Rc::new(ExplanationView::default()),
            lang: Lang::De,
        });
        assert_eq!(done.pending_report(), None);
        assert_eq!(done.pending_question(), None);
        let parsed = done.apply(Action::Parsed {
            text: "alice@example.com".into(),
            result: verdict_on("alice@example.com"),
            lang: Lang::De,
        });
        assert!(parsed.current_parse().is_some());
    }
}
