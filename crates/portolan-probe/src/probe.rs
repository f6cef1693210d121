//! One connection's conversation as a sans-IO state machine, in the shape of quinn-proto: the
//! driver reports the connection (`handle_connected`, `handle_connect_failed`), feeds what the
//! server sent (`handle_input`, `handle_closed`) and the time (`handle_timeout`), and carries
//! out what the probe asks (`poll_transmit`, `poll_timeout`, `poll_event`). When
//! [`Event::Finished`] comes, the driver closes the connection and reads [`Probe::outcome`].
//!
//! No sockets and no clock: "now" is a millisecond count from any monotonic origin the driver
//! likes, and the wall-clock time for certificate validity comes in the configuration.
//!
//! The conversation, by task and security:
//! - a check over STARTTLS: greeting, capabilities, STARTTLS, TLS handshake, capabilities
//!   again, the optional login, goodbye;
//! - a check over implicit TLS: TLS handshake, greeting, capabilities, login, goodbye;
//! - a scan: up to STARTTLS if needed, then one hand-built ClientHello and the first answer;
//! - the STARTTLS injection test: STARTTLS with a second command in the same write, the TLS
//!   handshake, then a quiet wait: an answer to the second command inside TLS is the flaw.

use std::collections::VecDeque;

use portolan_core::model::{InjectionVerdict, LoginReport, Protocol, Security, Timings};
use ring::rand::{SecureRandom, SystemRandom};

use crate::dialogue::{self, Command, Tags};
use crate::hello::{self, HelloAnswer, ScanQuestion};
use crate::lines::LineBuffer;
use crate::login::{self, Login, Next};
use crate::reply::{Collector, Response};
use crate::sasl::Credentials;
use crate::tls::{Negotiated, TlsSession, TrustAnchors};

/// Milliseconds on the driver's monotonic clock.
pub type Millis = u64;

/// The shortest quiet wait after the handshake in the injection test. A vulnerable server
/// answers the injected command as soon as it has the client's Finished, about one round trip
/// after the handshake ends here; the wait is three round trips, and at least this.
const MIN_INJECTION_WAIT_MS: u64 = 120;

/// What one connection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Task {
    /// The full check: conversation, TLS, certificate, capabilities, optional login.
    Check,
    /// One scan question with a hand-built ClientHello.
    Scan(ScanQuestion),
    /// The STARTTLS command injection test.
    Injection,
}

/// Everything one probe needs to know.
#[derive(Debug, Clone)]
pub struct ProbeConfig {
    /// The host to greet, send as SNI and check the certificate against.
    pub host: String,
    pub port: u16,
    pub protocol: Protocol,
    pub security: Security,
    /// The email domain, for RFC 7817's second name check; `None` without an address.
    pub email_domain: Option<String>,
    pub anchors: TrustAnchors,
    /// The wall-clock time, in seconds since the Unix epoch, that certificates are checked at.
    pub unix_seconds: u64,
    /// The longest wait for any one step.
    pub step_timeout_ms: u64,
    pub task: Task,
    /// For the login test; never sent unless the certificate verified.
    pub credentials: Option<Credentials>,
}

/// The steps a check goes through, for progress shown to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Connecting,
    Greeting,
    Capabilities,
    Starttls,
    TlsHandshake,
    CapabilitiesAfterTls,
    Login,
    Scanning,
    Listening,
}

impl Step {
    /// What the probe waits for in this step, for messages ("while waiting for …").
    pub fn waiting_for(self) -> &'static str {
        match self {
            Step::Connecting => "the connection",
            Step::Greeting => "the greeting",
            Step::Capabilities => "the capabilities",
            Step::Starttls => "the answer to STARTTLS",
            Step::TlsHandshake => "the TLS handshake",
            Step::CapabilitiesAfterTls => "the capabilities after TLS",
            Step::Login => "the answer to the login",
            Step::Scanning => "the answer to the scan's ClientHello",
            Step::Listening => "the injection test",
        }
    }
}

/// What the driver learns from the probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The probe moved on to this step.
    Step(Step),
    /// The probe is done: close the connection and read the outcome.
    Finished,
}

/// Why a probe stopped before the end of its conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No connection (refused, unreachable, timed out, or the relay refused): the text says.
    Unreachable(String),
    Timeout(Step),
    Closed(Step),
    LineTooLong(Step),
    Protocol(Step, String),
    GreetingRefused(String),
    StarttlsMissing,
    StarttlsRefused(String),
    TlsSetup(String),
    TlsHandshake(String),
}

impl Failure {
    /// The failure in plain words.
    pub fn describe(&self, timeout_ms: u64) -> String {
        match self {
            Failure::Unreachable(why) => format!("no connection: {why}"),
            Failure::Timeout(step) => format!(
                "no answer within {timeout_ms} ms while waiting for {}",
                step.waiting_for()
            ),
            Failure::Closed(step) => format!(
                "the server closed the connection while Portolan waited for {}",
                step.waiting_for()
            ),
            Failure::LineTooLong(step) => format!(
                "the server sent a line longer than {} bytes while Portolan waited for {}",
                crate::lines::MAX_LINE_BYTES,
                step.waiting_for()
            ),
            Failure::Protocol(step, what) => {
                format!(
                    "unexpected answer while waiting for {}: {what}",
                    step.waiting_for()
                )
            }
            Failure::GreetingRefused(banner) => {
                format!("the server turned the connection away: {banner}")
            }
            Failure::StarttlsMissing => "the server does not offer STARTTLS".into(),
            Failure::StarttlsRefused(text) => format!("the server refused STARTTLS: {text}"),
            Failure::TlsSetup(why) => why.clone(),
            Failure::TlsHandshake(why) => format!("the TLS handshake failed: {why}"),
        }
    }
}

/// A scan question's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanAnswer {
    /// The server agreed: the version or suite it chose, by name.
    Accepted(String),
    /// The server refused (an alert, another choice, or a close).
    Refused,
    /// The question could not be put (no STARTTLS, a timeout, an answer that was not TLS).
    Inconclusive(String),
}

/// Everything one probe found, including when it stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeOutcome {
    pub task: Task,
    pub reachable: bool,
    pub banner: Option<String>,
    pub before_tls: Vec<String>,
    pub after_tls: Vec<String>,
    /// True when the IMAP greeting listed the capabilities (no CAPABILITY round trip needed).
    pub greeting_had_capabilities: bool,
    pub tls: Option<Negotiated>,
    pub login: Option<LoginReport>,
    pub injection: Option<InjectionVerdict>,
    pub scan: Option<ScanAnswer>,
    pub failure: Option<Failure>,
    pub timings: Timings,
    /// How many times the probe sent something and then waited for the server.
    pub round_trips: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    Greeting,
    Capabilities,
    Starttls,
    Login,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Connecting,
    Waiting(Wait),
    Handshaking,
    ScanHello,
    Listening,
    Finished,
}

/// One probe.
pub struct Probe {
    config: ProbeConfig,
    started: Millis,
    state: State,
    step: Step,
    step_started: Millis,
    deadline: Option<Millis>,
    lines: LineBuffer,
    collector: Option<Collector>,
    tags: Tags,
    tls: Option<TlsSession>,
    raw: Vec<u8>,
    login: Option<Login>,
    nonce: [u8; 24],
    starttls_rtt: Millis,
    sent_since_input: bool,
    received_any: bool,
    transmits: VecDeque<Vec<u8>>,
    events: VecDeque<Event>,
    outcome: ProbeOutcome,
}

impl Probe {
    /// A probe about to connect at `now`.
    pub fn new(config: ProbeConfig, now: Millis) -> Probe {
        let mut nonce = [0u8; 24];
        // Without randomness (never seen in practice) the nonce stays zero: SCRAM still works,
        // only its replay protection is weaker.
        let _ = SystemRandom::new().fill(&mut nonce);
        let outcome = ProbeOutcome {
            task: config.task,
            reachable: false,
            banner: None,
            before_tls: Vec::new(),
            after_tls: Vec::new(),
            greeting_had_capabilities: false,
            tls: None,
            login: None,
            injection: None,
            scan: None,
            failure: None,
            timings: Timings::default(),
            round_trips: 0,
        };
        let mut probe = Probe {
            deadline: Some(now.saturating_add(config.step_timeout_ms)),
            config,
            started: now,
            state: State::Connecting,
            step: Step::Connecting,
            step_started: now,
            lines: LineBuffer::default(),
            collector: None,
            tags: Tags::default(),
            tls: None,
            raw: Vec::new(),
            login: None,
            nonce,
            starttls_rtt: 0,
            sent_since_input: false,
            received_any: false,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            outcome,
        };
        probe.events.push_back(Event::Step(Step::Connecting));
        probe
    }

    pub fn config(&self) -> &ProbeConfig {
        &self.config
    }

    /// The connection is open.
    pub fn handle_connected(&mut self, now: Millis) {
        if self.state != State::Connecting {
            return;
        }
        self.outcome.reachable = true;
        self.outcome.timings.connect = Some(now - self.started);
        match (self.config.security, self.config.task) {
            (Security::Tls, Task::Scan(question)) => self.send_scan_hello(now, question),
            (Security::Tls, _) => self.start_tls(now),
            _ => self.wait(
                now,
                Wait::Greeting,
                dialogue::greeting(self.config.protocol),
            ),
        }
    }

    /// The connection could not be made; `why` in plain words (refused, timed out, the
    /// relay's refusal). Through the relay this can come after [`Probe::handle_connected`]:
    /// the relay accepts the WebSocket first and connects afterwards, so a failure reported
    /// before the server sent anything still means the server did not answer.
    pub fn handle_connect_failed(&mut self, now: Millis, why: impl Into<String>) {
        if self.state == State::Finished || self.received_any {
            return;
        }
        self.outcome.reachable = false;
        self.outcome.timings.connect = None;
        self.fail(now, Failure::Unreachable(why.into()));
    }

    /// Bytes from the server.
    pub fn handle_input(&mut self, now: Millis, bytes: &[u8]) {
        if matches!(self.state, State::Finished | State::Connecting) || bytes.is_empty() {
            return;
        }
        self.received_any = true;
        if self.sent_since_input {
            self.outcome.round_trips += 1;
            self.sent_since_input = false;
        }
        if self.state == State::ScanHello {
            self.raw.extend_from_slice(bytes);
            if let Some(answer) = hello::read_answer(&self.raw) {
                self.record_scan(now, answer);
            }
            return;
        }
        let Some(tls) = self.tls.as_mut() else {
            self.take_plaintext(now, bytes);
            return;
        };
        let received = tls.receive(bytes);
        let outgoing = tls.outgoing();
        let handshake_done = self.state == State::Handshaking && !tls.is_handshaking();
        let plaintext = tls.plaintext();
        if !outgoing.is_empty() {
            self.transmit(outgoing);
        }
        if let Err(error) = received {
            let failure = if self.state == State::Handshaking {
                Failure::TlsHandshake(tls_words(&error))
            } else {
                Failure::Protocol(self.step, format!("TLS error: {error}"))
            };
            self.fail(now, failure);
            return;
        }
        if handshake_done {
            self.handshake_done(now);
        }
        if !plaintext.is_empty() {
            self.take_plaintext(now, &plaintext);
        }
    }

    /// The server closed the connection.
    pub fn handle_closed(&mut self, now: Millis) {
        match self.state {
            State::Finished => {}
            State::Connecting => {
                self.fail(now, Failure::Unreachable("the connection closed".into()))
            }
            State::ScanHello => {
                self.outcome.scan = Some(ScanAnswer::Refused);
                self.finish(now);
            }
            State::Listening => {
                self.outcome.injection = Some(InjectionVerdict::NotVulnerable);
                self.finish(now);
            }
            State::Handshaking => self.fail(
                now,
                Failure::TlsHandshake(
                    "the server closed the connection during the handshake".into(),
                ),
            ),
            State::Waiting(_) => {
                if let Some(tls) = self.tls.as_mut() {
                    let _ = tls.receive_end();
                }
                self.fail(now, Failure::Closed(self.step));
            }
        }
    }

    /// Time passed; call when [`Probe::poll_timeout`]'s moment has come.
    pub fn handle_timeout(&mut self, now: Millis) {
        if self.deadline.is_none_or(|deadline| now < deadline) {
            return;
        }
        match self.state {
            State::Finished => {}
            State::Connecting => {
                let why = format!("no connection within {} ms", self.config.step_timeout_ms);
                self.fail(now, Failure::Unreachable(why));
            }
            State::Listening => {
                self.outcome.injection = Some(InjectionVerdict::NotVulnerable);
                self.quit_and_finish(now);
            }
            State::ScanHello => {
                self.outcome.scan = Some(ScanAnswer::Inconclusive(format!(
                    "no answer within {} ms",
                    self.config.step_timeout_ms
                )));
                self.finish(now);
            }
            State::Waiting(_) | State::Handshaking => self.fail(now, Failure::Timeout(self.step)),
        }
    }

    /// The next bytes to send.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transmits.pop_front()
    }

    /// When [`Probe::handle_timeout`] must be called next, if at all.
    pub fn poll_timeout(&self) -> Option<Millis> {
        self.deadline
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    pub fn is_finished(&self) -> bool {
        self.state == State::Finished
    }

    /// What was found so far (complete once [`Event::Finished`] came).
    pub fn outcome(&self) -> &ProbeOutcome {
        &self.outcome
    }

    pub fn into_outcome(self) -> ProbeOutcome {
        self.outcome
    }

    fn enter(&mut self, now: Millis, step: Step) {
        if self.step != step {
            self.events.push_back(Event::Step(step));
        }
        self.step = step;
        self.step_started = now;
        self.deadline = Some(now.saturating_add(self.config.step_timeout_ms));
    }

    fn wait(&mut self, now: Millis, wait: Wait, expect: crate::reply::Expect) {
        let step = match wait {
            Wait::Greeting => Step::Greeting,
            Wait::Capabilities if self.tls.is_some() => Step::CapabilitiesAfterTls,
            Wait::Capabilities => Step::Capabilities,
            Wait::Starttls => Step::Starttls,
            Wait::Login => Step::Login,
        };
        self.state = State::Waiting(wait);
        self.collector = Some(Collector::new(expect));
        self.enter(now, step);
    }

    fn transmit(&mut self, bytes: Vec<u8>) {
        self.sent_since_input = true;
        self.transmits.push_back(bytes);
    }

    /// Sends a command (through TLS once it is up) and waits for its answer.
    fn send(&mut self, now: Millis, wait: Wait, command: Command) {
        self.send_bytes(&command.bytes);
        self.wait(now, wait, command.expect);
    }

    fn send_bytes(&mut self, bytes: &[u8]) {
        match self.tls.as_mut() {
            Some(tls) => {
                tls.send(bytes);
                let outgoing = tls.outgoing();
                self.transmit(outgoing);
            }
            None => self.transmit(bytes.to_vec()),
        }
    }

    fn take_plaintext(&mut self, now: Millis, bytes: &[u8]) {
        if self.state == State::Listening {
            self.outcome.injection = Some(InjectionVerdict::Vulnerable);
            self.quit_and_finish(now);
            return;
        }
        if self.lines.push(bytes).is_err() {
            self.fail(now, Failure::LineTooLong(self.step));
            return;
        }
        while let State::Waiting(wait) = self.state {
            let Some(line) = self.lines.next_line() else {
                break;
            };
            let Some(collector) = self.collector.as_mut() else {
                break;
            };
            match collector.push_line(&line) {
                Ok(None) => {}
                Ok(Some(response)) => self.on_response(now, wait, &response),
                Err(error) => self.fail(now, Failure::Protocol(self.step, error.to_string())),
            }
        }
    }

    fn on_response(&mut self, now: Millis, wait: Wait, response: &Response) {
        match wait {
            Wait::Greeting => self.on_greeting(now, response),
            Wait::Capabilities => match dialogue::read_capabilities(response) {
                Ok(list) => {
                    self.store_capabilities(list);
                    self.after_capabilities(now);
                }
                Err(text) => self.fail(
                    now,
                    Failure::Protocol(
                        self.step,
                        format!("the server refused: {}", crate::reply::printable(&text)),
                    ),
                ),
            },
            Wait::Starttls => self.on_starttls(now, response),
            Wait::Login => self.on_login(now, response),
        }
    }

    fn on_greeting(&mut self, now: Millis, response: &Response) {
        let Some(greeting) = dialogue::read_greeting(response) else {
            self.fail(
                now,
                Failure::Protocol(Step::Greeting, "not a greeting".into()),
            );
            return;
        };
        self.outcome.banner = Some(crate::reply::clip(&greeting.banner));
        self.outcome.timings.greeting = Some(now - self.step_started);
        if !greeting.welcome {
            self.fail(
                now,
                Failure::GreetingRefused(crate::reply::printable(&greeting.banner)),
            );
            return;
        }
        match greeting.capabilities {
            Some(list) => {
                self.outcome.greeting_had_capabilities = true;
                self.store_capabilities(list);
                self.after_capabilities(now);
            }
            None => {
                let command = dialogue::capabilities(self.config.protocol, &mut self.tags);
                self.send(now, Wait::Capabilities, command);
            }
        }
    }

    fn store_capabilities(&mut self, list: Vec<String>) {
        let list: Vec<String> = list
            .iter()
            .map(|item| crate::reply::printable(item))
            .collect();
        if self.tls.is_some() {
            self.outcome.after_tls = list;
        } else {
            self.outcome.before_tls = list;
        }
    }

    fn after_capabilities(&mut self, now: Millis) {
        if self.tls.is_some() {
            self.outcome.timings.capabilities = Some(now - self.step_started);
            self.after_secured_capabilities(now);
            return;
        }
        match self.config.security {
            Security::Starttls => {
                if dialogue::offers_starttls(self.config.protocol, &self.outcome.before_tls) {
                    // Anything the server sent beyond what was asked would be read as the
                    // answer to STARTTLS (an answer sent in advance, by whoever is in the
                    // path): refuse to go on.
                    if self.lines.has_pending() {
                        self.fail(
                            now,
                            Failure::Protocol(
                                Step::Capabilities,
                                "the server sent more than was asked for before STARTTLS".into(),
                            ),
                        );
                        return;
                    }
                    let inject = self.config.task == Task::Injection;
                    let command = dialogue::starttls(self.config.protocol, &mut self.tags, inject);
                    self.send(now, Wait::Starttls, command);
                } else {
                    self.outcome.failure = Some(Failure::StarttlsMissing);
                    self.quit_and_finish(now);
                }
            }
            Security::Plain | Security::Tls => self.quit_and_finish(now),
        }
    }

    fn after_secured_capabilities(&mut self, now: Millis) {
        let Some(credentials) = self.config.credentials.clone() else {
            self.quit_and_finish(now);
            return;
        };
        let verified = self
            .outcome
            .tls
            .as_ref()
            .is_some_and(|tls| tls.chain_error.is_none() && tls.name_matches);
        if !verified {
            self.outcome.login = Some(login::skipped(
                "the certificate did not verify, and credentials are never sent over a connection that is not verified".into(),
            ));
            self.quit_and_finish(now);
            return;
        }
        match Login::start(
            self.config.protocol,
            &self.outcome.after_tls,
            &credentials,
            &mut self.tags,
            &self.nonce,
        ) {
            Ok((login, command)) => {
                self.login = Some(login);
                self.send(now, Wait::Login, command);
            }
            Err(report) => {
                self.outcome.login = Some(report);
                self.quit_and_finish(now);
            }
        }
    }

    fn on_starttls(&mut self, now: Millis, response: &Response) {
        self.outcome.timings.starttls = Some(now - self.step_started);
        self.starttls_rtt = now - self.step_started;
        if let Err(text) = dialogue::read_starttls(response) {
            self.fail(
                now,
                Failure::StarttlsRefused(crate::reply::printable(&text)),
            );
            return;
        }
        // Bytes after the STARTTLS answer, before TLS, are the server answering a pipelined
        // command in plaintext: not the flaw the injection test looks for, and never TLS.
        let _ = self.lines.take_rest();
        match self.config.task {
            Task::Scan(question) => self.send_scan_hello(now, question),
            Task::Check | Task::Injection => self.start_tls(now),
        }
    }

    fn on_login(&mut self, now: Millis, response: &Response) {
        let Some(credentials) = self.config.credentials.clone() else {
            self.quit_and_finish(now);
            return;
        };
        let Some(login) = self.login.as_mut() else {
            self.quit_and_finish(now);
            return;
        };
        match login.on_response(response, &credentials, &self.nonce) {
            Next::Send(command) => self.send(now, Wait::Login, command),
            Next::Done(mut report) => {
                self.outcome.timings.login = Some(now - self.step_started);
                report.detail = crate::reply::printable(&report.detail);
                self.outcome.login = Some(report);
                self.login = None;
                self.quit_and_finish(now);
            }
        }
    }

    fn start_tls(&mut self, now: Millis) {
        let domain = self
            .config
            .email_domain
            .as_deref()
            .filter(|domain| !domain.eq_ignore_ascii_case(&self.config.host));
        match TlsSession::new(
            &self.config.host,
            domain,
            &self.config.anchors,
            self.config.unix_seconds,
        ) {
            Ok(mut tls) => {
                let hello = tls.outgoing();
                self.tls = Some(tls);
                self.state = State::Handshaking;
                self.enter(now, Step::TlsHandshake);
                self.transmit(hello);
            }
            Err(error) => self.fail(now, Failure::TlsSetup(error.to_string())),
        }
    }

    fn handshake_done(&mut self, now: Millis) {
        self.outcome.timings.tls_handshake = Some(now - self.step_started);
        self.outcome.tls = self.tls.as_ref().and_then(TlsSession::negotiated);
        match (self.config.task, self.config.security) {
            (Task::Injection, _) => {
                self.state = State::Listening;
                self.enter(now, Step::Listening);
                let wait = (3 * self.starttls_rtt).max(MIN_INJECTION_WAIT_MS);
                self.deadline = Some(now.saturating_add(wait));
            }
            (_, Security::Tls) => self.wait(
                now,
                Wait::Greeting,
                dialogue::greeting(self.config.protocol),
            ),
            _ => {
                let command = dialogue::capabilities(self.config.protocol, &mut self.tags);
                self.send(now, Wait::Capabilities, command);
            }
        }
    }

    fn send_scan_hello(&mut self, now: Millis, question: ScanQuestion) {
        let mut random = [0u8; 32];
        let _ = SystemRandom::new().fill(&mut random);
        let host = &self.config.host;
        let sni = (host.parse::<std::net::IpAddr>().is_err() && !host.starts_with('['))
            .then_some(host.as_str());
        let record = hello::client_hello(question, sni, random);
        self.state = State::ScanHello;
        self.enter(now, Step::Scanning);
        self.transmit(record);
    }

    fn record_scan(&mut self, now: Millis, answer: HelloAnswer) {
        let Task::Scan(question) = self.config.task else {
            return;
        };
        self.outcome.scan = Some(match (question, answer) {
            (
                ScanQuestion::Version(version),
                HelloAnswer::Agreed {
                    version: chosen, ..
                },
            ) => {
                if chosen == version.wire() {
                    ScanAnswer::Accepted(version.name().to_owned())
                } else {
                    ScanAnswer::Refused
                }
            }
            (ScanQuestion::Ciphers(family), HelloAnswer::Agreed { suite, version }) => {
                if !family.suites().contains(&suite) {
                    ScanAnswer::Refused
                } else if version < 0x0303 {
                    // Offered at TLS 1.2, taken at an older version: say which.
                    let at = hello::LegacyVersion::ALL
                        .into_iter()
                        .find(|legacy| legacy.wire() == version)
                        .map_or("an older version", hello::LegacyVersion::name);
                    ScanAnswer::Accepted(format!("{} (at {at})", hello::suite_name(suite)))
                } else {
                    ScanAnswer::Accepted(hello::suite_name(suite))
                }
            }
            (_, HelloAnswer::Refused { .. }) => ScanAnswer::Refused,
            (_, HelloAnswer::NotTls) => {
                ScanAnswer::Inconclusive("the server's answer was not TLS".into())
            }
        });
        self.finish(now);
    }

    fn quit_and_finish(&mut self, now: Millis) {
        if self.outcome.reachable && self.state != State::Handshaking {
            let bytes = dialogue::quit(self.config.protocol, &mut self.tags);
            self.send_bytes(&bytes);
            if let Some(tls) = self.tls.as_mut() {
                tls.close();
                let outgoing = tls.outgoing();
                self.transmit(outgoing);
            }
        }
        self.finish(now);
    }

    fn fail(&mut self, now: Millis, failure: Failure) {
        if self.outcome.failure.is_none() {
            self.outcome.failure = Some(failure);
        }
        if let Task::Scan(_) = self.config.task {
            if self.outcome.scan.is_none() {
                let why = self
                    .outcome
                    .failure
                    .as_ref()
                    .map(|failure| failure.describe(self.config.step_timeout_ms))
                    .unwrap_or_default();
                self.outcome.scan = Some(ScanAnswer::Inconclusive(why));
            }
        }
        if self.config.task == Task::Injection && self.outcome.injection.is_none() {
            // A handshake that fails right after the server accepted STARTTLS means it read
            // the injected command as TLS bytes (dovecot does): it did not run it.
            let read_as_tls = matches!(self.outcome.failure, Some(Failure::TlsHandshake(_)));
            self.outcome.injection = Some(if read_as_tls {
                InjectionVerdict::NotVulnerable
            } else {
                InjectionVerdict::Inconclusive
            });
        }
        self.finish(now);
    }

    fn finish(&mut self, now: Millis) {
        if self.state == State::Finished {
            return;
        }
        self.state = State::Finished;
        self.deadline = None;
        self.collector = None;
        self.outcome.timings.total = Some(now - self.started);
        self.events.push_back(Event::Finished);
    }
}

/// A TLS failure in words people can act on.
fn tls_words(error: &rustls::Error) -> String {
    use rustls::AlertDescription as Alert;
    match error {
        rustls::Error::AlertReceived(Alert::ProtocolVersion) => {
            "the server accepts neither TLS 1.3 nor TLS 1.2".into()
        }
        rustls::Error::AlertReceived(Alert::HandshakeFailure | Alert::InsufficientSecurity) => {
            "the server and Portolan share no secure cipher suite".into()
        }
        rustls::Error::PeerIncompatible(why) => {
            format!("the server's TLS is incompatible with current standards ({why:?})")
        }
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            "the server did not answer with TLS".into()
        }
        other => other.to_string(),
    }
}
