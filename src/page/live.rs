//! The live-check part of the page's state: whether a relay is there, and each server check
//! (waiting to be sent, running with its step, done with its report, or cancelled). Pure logic
//! like the rest of the state, tested natively; the probe worker's hook carries it out.
//!
//! Passwords never enter this state: a login test is only a run here; its password goes from
//! the field straight to the hook that sends it, and is gone after.

use std::rc::Rc;

use crate::messages::probe::{CheckedServer, Step, Target};
use crate::messages::report::Report;

/// How many servers per role are checked before giving up on finding a usable one.
pub const MAX_CHECKS_PER_ROLE: usize = 3;

/// Whether live checks can be made.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RelayStatus {
    /// Not known yet (the page is asking its own server).
    #[default]
    Unknown,
    /// A relay at this base URL; `same_origin` when it is the page's own server.
    Available { url: String, same_origin: bool },
    /// No relay: the panel says what it would need.
    Missing,
}

/// Why a server is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// "Check these servers": the full check, scans included.
    Check,
    /// A guessed server, probed to confirm it (no scans), as `discover --probe` does.
    Guess,
    /// The login test (the password travels with the request).
    Login,
    /// A port of the provider audit: the full check, kept apart from the user's lookup.
    Audit,
}

/// Where one check stands.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    /// Decided, not sent to the probe worker yet.
    Waiting,
    Running(Step),
    Done(Rc<CheckedServer>),
    Cancelled,
}

/// One server check.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: u32,
    pub target: Target,
    pub purpose: Purpose,
    pub state: RunState,
}

/// The live checks of the current lookup.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LiveState {
    /// The relay the checks use: derived from the three below by `AppState::settle_relay`.
    pub relay: RelayStatus,
    /// The relay URL from the settings (remembered locally): it wins over the others.
    pub relay_setting: Option<String>,
    /// Whether the page's own server is a relay (its `/healthz`): used when neither Settings
    /// nor the site's preset name one.
    pub relay_found: RelayStatus,
    pub runs: Vec<Run>,
    next_id: u32,
    /// Bumped whenever a check finishes: the result screen is worked out again with it.
    pub version: u32,
    /// Bumped whenever an audit port's check finishes.
    pub audit_version: u32,
    /// The lookup the runs belong to.
    pub generation: u32,
    /// Whether "Check these servers" was asked for this lookup (so checks follow an unusable
    /// recommendation to its alternative).
    pub checking: bool,
    /// The lookup whose guesses were already probed.
    guesses_probed: Option<u32>,
    /// Why the probe worker is not available, if it is not.
    pub error: Option<String>,
    /// Unfinished checks that were dropped from `runs` (a new lookup, a repeated login
    /// test): the worker must stop them too.
    abandoned: Vec<u32>,
}

impl LiveState {
    /// The relay to use now, if any.
    pub fn relay_url(&self) -> Option<&str> {
        match &self.relay {
            RelayStatus::Available { url, .. } => Some(url),
            _ => None,
        }
    }

    /// The finished checks' reports (JSON, for the engine worker), in the order they were
    /// started (login tests aside: they say nothing the check itself did not).
    pub fn checks(&self) -> Vec<String> {
        self.finished_reports(|purpose| !matches!(purpose, Purpose::Login | Purpose::Audit))
    }

    /// The finished audit ports' reports (JSON, for the engine worker).
    pub fn audit_checks(&self) -> Vec<String> {
        self.finished_reports(|purpose| purpose == Purpose::Audit)
    }

    fn finished_reports(&self, wanted: impl Fn(Purpose) -> bool) -> Vec<String> {
        self.runs
            .iter()
            .filter(|run| wanted(run.purpose))
            .filter_map(|run| match &run.state {
                RunState::Done(checked) => Some(checked.report.clone()),
                _ => None,
            })
            .collect()
    }

    /// The finished checks whose words are not in `lang` (the reader switched language while
    /// or after they ran), each id with its `LiveCheck` as JSON, to word them again.
    pub fn checks_not_in(&self, lang: portolan_core::lang::Lang) -> Vec<(u32, String)> {
        self.runs
            .iter()
            .filter_map(|run| match &run.state {
                RunState::Done(checked) if checked.lang != lang => {
                    Some((run.id, checked.report.clone()))
                }
                _ => None,
            })
            .collect()
    }

    /// True while an audit port's check is waiting or running.
    pub fn audit_busy(&self) -> bool {
        self.runs.iter().any(|run| {
            run.purpose == Purpose::Audit
                && matches!(run.state, RunState::Waiting | RunState::Running(_))
        })
    }

    /// True while a check is waiting or running.
    pub fn busy(&self) -> bool {
        self.runs
            .iter()
            .any(|run| matches!(run.state, RunState::Waiting | RunState::Running(_)))
    }

    /// The runs the hook must send now.
    pub fn waiting(&self) -> Vec<&Run> {
        self.runs
            .iter()
            .filter(|run| run.state == RunState::Waiting)
            .collect()
    }

    /// The checks the worker must stop: cancelled ones and abandoned ones.
    pub fn stopped(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = self
            .runs
            .iter()
            .filter(|run| run.state == RunState::Cancelled)
            .map(|run| run.id)
            .chain(self.abandoned.iter().copied())
            .collect();
        // Sorted and without repeats, so the hook sends only when the set changes.
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Removes the runs `drop` picks, remembering the unfinished ones as abandoned.
    fn drop_runs(&mut self, drop: impl Fn(&Run) -> bool) {
        let abandoned = &mut self.abandoned;
        self.runs.retain(|run| {
            if !drop(run) {
                return true;
            }
            if matches!(run.state, RunState::Waiting | RunState::Running(_)) {
                abandoned.push(run.id);
            }
            false
        });
    }

    /// Forgets the runs of an older lookup.
    pub fn reset_for(&mut self, generation: u32) {
        if self.generation != generation {
            self.generation = generation;
            self.drop_runs(|_| true);
            self.checking = false;
            self.version = 0;
        }
    }

    fn add(&mut self, target: Target, purpose: Purpose) {
        let already = self.runs.iter().any(|run| {
            run.target == target && run.purpose == purpose && run.state != RunState::Cancelled
        });
        if already {
            return;
        }
        self.next_id = self.next_id.wrapping_add(1);
        self.runs.push(Run {
            id: self.next_id,
            target,
            purpose,
            state: RunState::Waiting,
        });
    }

    /// "Check these servers" (or "Check again"): every recommended server of `report`, afresh
    /// (earlier checks are forgotten, so the result follows the new ones).
    pub fn start_checks(&mut self, report: &Report) {
        let before = self.runs.len();
        self.runs.retain(|run| {
            run.purpose != Purpose::Check
                || matches!(run.state, RunState::Waiting | RunState::Running(_))
        });
        if self.runs.len() != before {
            self.version = self.version.wrapping_add(1);
        }
        self.checking = true;
        for target in recommended(report) {
            self.add(target, Purpose::Check);
        }
    }

    /// "Check the ports live" on the audit screen: these targets, afresh (the audit's ports
    /// replace whatever was checked before).
    pub fn start_audit_checks(&mut self, targets: &[Target]) {
        self.drop_runs(|run| run.purpose == Purpose::Audit);
        for target in targets {
            self.add(target.clone(), Purpose::Audit);
        }
    }

    /// After a new result screen: with "Check these servers" on, a recommendation that took
    /// an unusable server's place is checked too (up to [`MAX_CHECKS_PER_ROLE`] per role);
    /// without, the guesses of a lookup that found nothing better are probed once, when a
    /// relay is there.
    pub fn follow(&mut self, report: &Report) {
        if self.relay_url().is_none() || self.busy() {
            return;
        }
        if self.checking {
            for target in recommended(report) {
                let role = target.protocol.role();
                let tried = self
                    .runs
                    .iter()
                    .filter(|run| {
                        run.purpose == Purpose::Check && run.target.protocol.role() == role
                    })
                    .count();
                if tried < MAX_CHECKS_PER_ROLE {
                    self.add(target, Purpose::Check);
                }
            }
            return;
        }
        if self.guesses_probed != Some(self.generation) && only_guesses(report) {
            self.guesses_probed = Some(self.generation);
            for target in guesses(report) {
                self.add(target, Purpose::Guess);
            }
        }
    }

    /// Whether a login test can start now: a relay, a recommended incoming server, and no
    /// check running.
    pub fn can_login(&self, report: &Report) -> bool {
        self.relay_url().is_some() && report.incoming.recommended.is_some() && !self.busy()
    }

    /// The login test of the recommended incoming server.
    pub fn start_login(&mut self, report: &Report) {
        if let Some(server) = &report.incoming.recommended {
            let target = server.target.clone();
            // One attempt per click: an earlier test of the same server is replaced.
            self.drop_runs(|run| run.purpose == Purpose::Login && run.target == target);
            self.add(target, Purpose::Login);
        }
    }

    /// The hook sent these runs.
    pub fn sent(&mut self, ids: &[u32]) {
        for run in &mut self.runs {
            if ids.contains(&run.id) && run.state == RunState::Waiting {
                run.state = RunState::Running(Step::Connecting);
            }
        }
    }

    pub fn progress(&mut self, id: u32, step: Step) {
        if let Some(run) = self.runs.iter_mut().find(|run| run.id == id) {
            if matches!(run.state, RunState::Running(_)) {
                run.state = RunState::Running(step);
            }
        }
    }

    /// Check `id` finished; for one finished before, new words (after a language switch).
    pub fn finished(&mut self, id: u32, checked: CheckedServer) {
        if let Some(run) = self.runs.iter_mut().find(|run| run.id == id) {
            if matches!(run.state, RunState::Done(_)) {
                run.state = RunState::Done(Rc::new(checked));
            } else if matches!(run.state, RunState::Running(_)) {
                let purpose = run.purpose;
                run.state = RunState::Done(Rc::new(checked));
                match purpose {
                    Purpose::Login => {}
                    Purpose::Audit => self.audit_version = self.audit_version.wrapping_add(1),
                    Purpose::Check | Purpose::Guess => self.version = self.version.wrapping_add(1),
                }
            }
        }
    }

    /// Cancels every unfinished run; returns their ids for the worker.
    pub fn cancel(&mut self) -> Vec<u32> {
        let mut ids = Vec::new();
        for run in &mut self.runs {
            if matches!(run.state, RunState::Waiting | RunState::Running(_)) {
                run.state = RunState::Cancelled;
                ids.push(run.id);
            }
        }
        self.checking = false;
        ids
    }
}

/// The recommended server of each role.
fn recommended(report: &Report) -> Vec<Target> {
    [&report.incoming, &report.outgoing]
        .into_iter()
        .filter_map(|role| role.recommended.as_ref())
        .map(|server| server.target.clone())
        .collect()
}

/// True when every recommended server is a guess (nothing better was found).
fn only_guesses(report: &Report) -> bool {
    let chosen: Vec<_> = [&report.incoming, &report.outgoing]
        .into_iter()
        .filter_map(|role| role.recommended.as_ref())
        .collect();
    !chosen.is_empty() && chosen.iter().all(|server| server.guess)
}

/// Every guessed server in the report, recommended first.
fn guesses(report: &Report) -> Vec<Target> {
    [&report.incoming, &report.outgoing]
        .into_iter()
        .flat_map(|role| role.recommended.iter().chain(role.others.iter()))
        .filter(|server| server.guess)
        .map(|server| server.target.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::report::{RoleReport, ServerView};
    use portolan_core::engine::Grade;
    use portolan_core::model::{Protocol, Role, Security, Source};

    fn ranked(protocol: Protocol, host: &str, port: u16, source: Source) -> ServerView {
        let security = if port == 587 {
            Security::Starttls
        } else {
            Security::Tls
        };
        ServerView {
            target: Target {
                protocol,
                host: host.into(),
                port,
                security,
            },
            grade: Grade::Good,
            guess: source == Source::Guess,
            needs_confirmation: false,
            auth: String::new(),
        }
    }

    fn report(source: Source) -> Report {
        Report {
            incoming: RoleReport {
                recommended: Some(ranked(Protocol::Imap, "imap.example.com", 993, source)),
                others: vec![ranked(Protocol::Pop3, "pop.example.com", 995, source)],
                ..RoleReport::default()
            },
            outgoing: RoleReport {
                recommended: Some(ranked(
                    Protocol::Submission,
                    "smtp.example.com",
                    465,
                    source,
                )),
                ..RoleReport::default()
            },
            ..Report::default()
        }
    }

    /// A finished check (its content does not matter to the state).
    fn done() -> CheckedServer {
        CheckedServer {
            view: Default::default(),
            report: "{}".into(),
            lang: Default::default(),
        }
    }

    fn with_relay() -> LiveState {
        LiveState {
            relay: RelayStatus::Available {
                url: "https://relay.example/".into(),
                same_origin: true,
            },
            ..LiveState::default()
        }
    }

    #[test]
    fn checks_run_from_waiting_to_done_and_bump_the_version() {
        let mut live = with_relay();
        live.start_checks(&report(Source::Srv));
        let ids: Vec<u32> = live.waiting().iter().map(|run| run.id).collect();
        assert_eq!(ids.len(), 2, "one per role");
        assert!(live.busy());
        live.start_checks(&report(Source::Srv));
        assert_eq!(live.runs.len(), 2, "a running check is not started twice");
        live.sent(&ids);
        live.progress(ids[0], Step::TlsHandshake);
        assert_eq!(live.runs[0].state, RunState::Running(Step::TlsHandshake));
        live.finished(ids[0], done());
        assert_eq!(live.version, 1);
        assert_eq!(live.checks().len(), 1);
        assert!(live.busy(), "the second still runs");
        let cancelled = live.cancel();
        assert_eq!(cancelled, vec![ids[1]]);
        assert!(!live.busy());
        live.finished(ids[1], done());
        assert_eq!(
            live.version, 1,
            "a cancelled check's late answer is dropped"
        );
    }

    #[test]
    fn an_unusable_recommendation_is_followed_to_its_alternative_within_a_limit() {
        let mut live = with_relay();
        live.start_checks(&report(Source::Srv));
        let ids: Vec<u32> = live.waiting().iter().map(|run| run.id).collect();
        live.sent(&ids);
        for id in ids {
            live.finished(id, done());
        }
        let mut next = report(Source::Srv);
        next.incoming.recommended =
            Some(ranked(Protocol::Pop3, "pop.example.com", 995, Source::Srv));
        live.follow(&next);
        let waiting: Vec<&str> = live
            .waiting()
            .iter()
            .map(|run| run.target.host.as_str())
            .collect();
        assert_eq!(waiting, vec!["pop.example.com"]);
        let mut tired = with_relay();
        tired.checking = true;
        for port in [1, 2, 3] {
            tired.add(
                Target {
                    protocol: Protocol::Imap,
                    host: "a".into(),
                    port,
                    security: Security::Tls,
                },
                Purpose::Check,
            );
        }
        tired.cancel();
        tired.checking = true;
        tired.follow(&report(Source::Srv));
        assert!(
            tired
                .waiting()
                .iter()
                .all(|run| run.target.protocol.role() != Role::Incoming),
            "three tries per role at most"
        );
    }

    #[test]
    fn guesses_are_probed_once_and_only_with_a_relay() {
        let mut without = LiveState {
            relay: RelayStatus::Missing,
            ..LiveState::default()
        };
        without.follow(&report(Source::Guess));
        assert!(without.runs.is_empty());
        let mut live = with_relay();
        live.follow(&report(Source::Srv));
        assert!(
            live.runs.is_empty(),
            "published servers are not probed unasked"
        );
        live.follow(&report(Source::Guess));
        assert_eq!(live.waiting().len(), 3, "every guess, alternatives too");
        assert!(live.runs.iter().all(|run| run.purpose == Purpose::Guess));
        live.cancel();
        live.follow(&report(Source::Guess));
        assert_eq!(live.waiting().len(), 0, "once per lookup");
        live.reset_for(5);
        live.follow(&report(Source::Guess));
        assert_eq!(live.waiting().len(), 3, "a new lookup probes again");
    }

    #[test]
    fn a_login_test_replaces_an_earlier_one_and_is_not_a_check() {
        let mut live = with_relay();
        live.start_login(&report(Source::Srv));
        let id = live.waiting()[0].id;
        live.sent(&[id]);
        live.finished(id, done());
        assert_eq!(live.version, 0, "a login test changes no recommendation");
        assert!(live.checks().is_empty());
        live.start_login(&report(Source::Srv));
        assert_eq!(live.runs.len(), 1);
        assert_eq!(live.waiting().len(), 1);
    }

    #[test]
    fn check_again_forgets_the_earlier_checks() {
        let mut live = with_relay();
        live.start_checks(&report(Source::Srv));
        let ids: Vec<u32> = live.waiting().iter().map(|run| run.id).collect();
        live.sent(&ids);
        for id in &ids {
            live.finished(*id, done());
        }
        let version = live.version;
        live.start_checks(&report(Source::Srv));
        assert_eq!(live.waiting().len(), 2, "both servers are checked again");
        assert!(live.checks().is_empty(), "the old results are gone");
        assert_ne!(
            live.version, version,
            "the result is worked out without them"
        );
    }

    #[test]
    fn dropped_unfinished_checks_are_stopped_in_the_worker_too() {
        let mut live = with_relay();
        live.start_checks(&report(Source::Srv));
        let ids: Vec<u32> = live.waiting().iter().map(|run| run.id).collect();
        live.sent(&ids);
        live.reset_for(9);
        assert!(live.runs.is_empty());
        assert_eq!(live.stopped(), ids);
        assert!(live.can_login(&report(Source::Srv)));
        live.start_login(&report(Source::Srv));
        let login = live.waiting()[0].id;
        live.sent(&[login]);
        assert!(!live.can_login(&report(Source::Srv)), "not while one runs");
        live.start_login(&report(Source::Srv));
        assert!(
            live.stopped().contains(&login),
            "the replaced login test is stopped"
        );
    }
}
