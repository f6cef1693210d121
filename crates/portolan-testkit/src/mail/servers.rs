//! [`MailServers`]: dovecot and postfix together, with a test CA, every port fronted by a
//! [`TcpProxy`] so clients connect from 127.0.0.2 and can be given added latency. Ports are
//! picked free; a start that loses a port to someone else is retried on new ones.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::certificates::{CertificateKind, KeyType, TestCa};
use super::dovecot::{self, Dovecot, DovecotConfig, DovecotPorts};
use super::oauth2::OAuth2Key;
use super::postfix::{self, Postfix, PostfixConfig, PostfixPorts};
use crate::{io, require, run, TcpProxy, TempDir, TestkitError};

/// How many sets of ports [`MailServers::start_with`] tries.
const START_ATTEMPTS: usize = 3;

/// How the mail servers are set up. The default is a well-configured server: a valid
/// certificate, STARTTLS and implicit TLS, no login before TLS, no added latency.
#[derive(Debug, Clone)]
pub struct MailOptions {
    /// The certificate both servers present.
    pub certificate: CertificateKind,
    /// Offer plaintext logins before STARTTLS: AUTH=PLAIN/LOGIN on the plain IMAP and POP3
    /// ports (dovecot `disable_plaintext_auth = no`) and AUTH on submission and the
    /// port-25-style listener (postfix `smtpd_tls_auth_only = no`).
    pub auth_before_tls: bool,
    /// Offer STARTTLS (the default). When false the plain ports offer no STARTTLS/STLS at
    /// all: dovecot runs with `ssl = no` (so [`MailServers::imaps`] and
    /// [`MailServers::pop3s`] are `None`), and postfix's submission and port-25-style
    /// listeners have TLS level `none`. Postfix's implicit-TLS submission port stays.
    pub starttls: bool,
    /// Added one-way delay in each direction on every port (a round trip grows by twice
    /// this), through the proxies.
    pub delay: Option<Duration>,
    /// More DNS names for the certificate, besides `localhost` and `127.0.0.1` (for tests
    /// that reach the servers under other names, such as guessed ones, with `--connect-to`).
    pub extra_names: Vec<String>,
    /// Also take OAuth2 (OAUTHBEARER and XOAUTH2) on IMAP, POP3 and submission, with access
    /// tokens signed by [`MailServers::oauth2`]'s key; passwords keep working.
    pub oauth2: bool,
}

impl Default for MailOptions {
    fn default() -> MailOptions {
        MailOptions {
            certificate: CertificateKind::Valid,
            auth_before_tls: false,
            starttls: true,
            delay: None,
            extra_names: Vec::new(),
            oauth2: false,
        }
    }
}

/// Running dovecot and postfix on loopback; everything stops when this is dropped.
///
/// Every public port is a [`TcpProxy`] in front of the server's own port, so the servers see
/// clients at 127.0.0.2 and judge them as remote (see [`crate::PROXY_SOURCE`]).
pub struct MailServers {
    /// The test CA's certificate (PEM), for clients to trust as an extra anchor.
    pub ca_file: PathBuf,
    /// IMAP with STARTTLS (143-style).
    pub imap: u16,
    /// IMAP with implicit TLS (993-style); `None` when STARTTLS is off (dovecot `ssl = no`).
    pub imaps: Option<u16>,
    /// POP3 with STLS (110-style).
    pub pop3: u16,
    /// POP3 with implicit TLS (995-style); `None` when STARTTLS is off.
    pub pop3s: Option<u16>,
    /// Submission with STARTTLS, required unless logins before TLS are on (587-style).
    pub submission: u16,
    /// Submission with implicit TLS (465-style).
    pub submissions: u16,
    /// Server-to-server SMTP, STARTTLS offered but optional (25-style).
    pub smtp: u16,
    /// With [`MailOptions::oauth2`]: the key whose tokens the servers accept
    /// ([`OAuth2Key::token_for_test_user`]).
    pub oauth2: Option<OAuth2Key>,
    // Fields drop in order: the proxies first, then the servers, then the temp dir.
    _proxies: Vec<TcpProxy>,
    _postfix: Postfix,
    _dovecot: Dovecot,
    dir: TempDir,
}

/// The servers' own ports, behind the proxies.
struct Ports {
    dovecot: DovecotPorts,
    postfix: PostfixPorts,
}

impl MailServers {
    /// Starts both servers with the default [`MailOptions`].
    pub fn start() -> Result<MailServers, TestkitError> {
        MailServers::start_with(&MailOptions::default())
    }

    /// Starts both servers as `options` say. Ports are picked free, but another test (or a
    /// client's ephemeral port) can take one before the server binds it: then the server
    /// exits, and a new set of ports is tried. The error after the last attempt carries
    /// every attempt's logs.
    pub fn start_with(options: &MailOptions) -> Result<MailServers, TestkitError> {
        let programs = Programs::find()?;
        let mut failures = Vec::new();
        for attempt in 1..=START_ATTEMPTS {
            match MailServers::try_start(&programs, options) {
                Ok(servers) => return Ok(servers),
                Err(TestkitError::NotReady(failure)) => {
                    failures.push(format!("attempt {attempt}: {failure}"));
                }
                Err(other) => return Err(other),
            }
        }
        Err(TestkitError::NotReady(format!(
            "dovecot + postfix did not start in {START_ATTEMPTS} attempts:\n{}",
            failures.join("\n\n")
        )))
    }

    /// One attempt on newly picked ports, in a new temp dir.
    fn try_start(programs: &Programs, options: &MailOptions) -> Result<MailServers, TestkitError> {
        let dir = TempDir::new("portolan-mail")?;
        let d = dir.path();
        {
            use std::os::unix::fs::PermissionsExt;
            // Dovecot's and postfix's unprivileged processes read below it.
            fs::set_permissions(d, fs::Permissions::from_mode(0o755))
                .map_err(io("open the temp dir to the mail servers"))?;
        }
        let ca = TestCa::generate()?;
        let ca_file = d.join("ca.pem");
        ca.write(&ca_file)?;
        let certificate = ca
            .issue_with_names(
                options.certificate,
                KeyType::EcdsaP256,
                &options.extra_names,
            )?
            .write(d, "server")?;
        let ports = Ports::pick(options.starttls)?;
        let oauth2 = match options.oauth2 {
            true => Some(OAuth2Key::generate()?),
            false => None,
        };
        let dovecot = Dovecot::start(
            &programs.dovecot,
            &DovecotConfig {
                dir: d,
                ports: ports.dovecot,
                certificate: (options.starttls).then_some(&certificate),
                auth_before_tls: options.auth_before_tls,
                oauth2: oauth2.as_ref(),
            },
        )?;
        let postfix = Postfix::start(
            &programs.postfix,
            &PostfixConfig {
                dir: d,
                ports: ports.postfix,
                certificate: &certificate,
                auth_socket: &dovecot::auth_socket(d),
                auth_before_tls: options.auth_before_tls,
                starttls: options.starttls,
            },
        )?;
        let mut proxies = Vec::new();
        let mut front = |port: u16| -> Result<u16, TestkitError> {
            let proxy = TcpProxy::start(port, options.delay)?;
            let front = proxy.port;
            proxies.push(proxy);
            Ok(front)
        };
        let implicit_tls = match ports.dovecot.implicit_tls {
            Some((imaps, pop3s)) => (Some(front(imaps)?), Some(front(pop3s)?)),
            None => (None, None),
        };
        Ok(MailServers {
            ca_file,
            imap: front(ports.dovecot.imap)?,
            imaps: implicit_tls.0,
            pop3: front(ports.dovecot.pop3)?,
            pop3s: implicit_tls.1,
            submission: front(ports.postfix.submission)?,
            submissions: front(ports.postfix.submissions)?,
            smtp: front(ports.postfix.smtp)?,
            oauth2,
            _proxies: proxies,
            _postfix: postfix,
            _dovecot: dovecot,
            dir,
        })
    }

    /// The temp dir the servers run from (removed on drop); tests may put files in it.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Puts `message` into the test user's INBOX on the server, as file `name` in the
    /// maildir's `new/`, where dovecot picks it up.
    pub fn deliver(&self, name: &str, message: &str) -> Result<(), TestkitError> {
        let inbox = dovecot::maildir(self.path());
        for sub in ["new", "cur", "tmp"] {
            fs::create_dir_all(inbox.join(sub)).map_err(io("create the test user's maildir"))?;
        }
        fs::write(inbox.join("new").join(name), message).map_err(io("deliver a message"))?;
        run(Command::new("chown").arg("-R").arg("mail:mail").arg(&inbox))?;
        Ok(())
    }

    /// Dovecot's log so far.
    pub fn dovecot_log(&self) -> String {
        fs::read_to_string(dovecot::log_path(self.path())).unwrap_or_default()
    }

    /// Postfix's log so far.
    pub fn postfix_log(&self) -> String {
        fs::read_to_string(postfix::log_path(self.path())).unwrap_or_default()
    }

    /// Waits up to `within` until dovecot's log satisfies `shows`; whether it did. Both
    /// servers write their logs through a process of their own, so a line can land a moment
    /// after the client had its answer.
    pub fn dovecot_log_shows(&self, within: Duration, shows: impl Fn(&str) -> bool) -> bool {
        wait_for(within, || shows(&self.dovecot_log()))
    }

    /// Waits up to `within` until postfix's log satisfies `shows`; whether it did.
    pub fn postfix_log_shows(&self, within: Duration, shows: impl Fn(&str) -> bool) -> bool {
        wait_for(within, || shows(&self.postfix_log()))
    }
}

/// Polls `done` every 50 ms for up to `within`; whether it came true.
fn wait_for(within: Duration, done: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The server programs, found before any attempt.
struct Programs {
    dovecot: PathBuf,
    postfix: PathBuf,
}

impl Programs {
    fn find() -> Result<Programs, TestkitError> {
        require("chown", "coreutils")?;
        Ok(Programs {
            dovecot: require("dovecot", "dovecot-imapd")?,
            postfix: require("postfix", "postfix")?,
        })
    }
}

impl Ports {
    /// Ports that were free a moment ago (the implicit-TLS ones unused without TLS).
    fn pick(dovecot_tls: bool) -> Result<Ports, TestkitError> {
        let [imap, pop3, imaps, pop3s, submission, submissions, smtp] = free_ports()?;
        Ok(Ports {
            dovecot: DovecotPorts {
                imap,
                pop3,
                implicit_tls: dovecot_tls.then_some((imaps, pop3s)),
            },
            postfix: PostfixPorts {
                submission,
                submissions,
                smtp,
            },
        })
    }
}

/// `N` distinct ports that were free a moment ago: all are held at once while picking, so
/// the OS cannot hand out one twice.
fn free_ports<const N: usize>() -> Result<[u16; N], TestkitError> {
    let mut listeners = Vec::with_capacity(N);
    let mut ports = [0u16; N];
    for port in &mut ports {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(io("find a free port"))?;
        *port = listener
            .local_addr()
            .map_err(io("find a free port"))?
            .port();
        listeners.push(listener);
    }
    Ok(ports)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Instant;

    use rustls::pki_types::{CertificateDer, ServerName};
    use rustls::CertificateError;

    use crate::mail::oauth2::{base64, STANDARD};
    use crate::mail::{client_config, imap_tls_login, tls_login, OAuth2Key, TokenClaims};
    use crate::mail::{PASSWORD, USER};

    const TIMEOUT: Duration = Duration::from_secs(10);

    fn start(options: MailOptions) -> MailServers {
        MailServers::start_with(&options).unwrap_or_else(|error| panic!("{error}"))
    }

    fn connect(port: u16) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        stream
    }

    fn line(stream: &mut impl Read) -> String {
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while !line.ends_with(b"\r\n") {
            let read = stream.read(&mut byte).expect("a line from the server");
            assert_eq!(read, 1, "the server closed after {line:?}");
            line.push(byte[0]);
        }
        String::from_utf8_lossy(&line).trim_end().to_owned()
    }

    /// Sends `command`, then reads lines up to and including the one `last` accepts; all of
    /// them joined with newlines.
    fn ask(stream: &mut (impl Read + Write), command: &str, last: fn(&str) -> bool) -> String {
        stream.write_all(command.as_bytes()).expect("send");
        let mut lines = Vec::new();
        loop {
            let next = line(stream);
            let done = last(&next);
            lines.push(next);
            if done {
                return lines.join("\n");
            }
        }
    }

    fn smtp_done(line: &str) -> bool {
        line.as_bytes().get(3) == Some(&b' ')
    }

    /// The plain ports' answers before TLS: IMAP's CAPABILITY, POP3's CAPA, and EHLO on
    /// submission and on the port-25-style listener.
    fn before_tls(servers: &MailServers) -> [String; 4] {
        let mut imap = connect(servers.imap);
        assert!(line(&mut imap).starts_with("* OK"));
        let imap = ask(&mut imap, "a CAPABILITY\r\n", |l| l.starts_with("a "));
        let mut pop3 = connect(servers.pop3);
        assert!(line(&mut pop3).starts_with("+OK"));
        let pop3 = ask(&mut pop3, "CAPA\r\n", |l| l == "." || l.starts_with("-ERR"));
        let ehlo = |port| {
            let mut smtp = connect(port);
            assert!(line(&mut smtp).starts_with("220 "));
            ask(&mut smtp, "EHLO client.example\r\n", smtp_done)
        };
        [imap, pop3, ehlo(servers.submission), ehlo(servers.smtp)]
    }

    /// An implicit-TLS connection trusting only the test CA and checking the name
    /// `localhost`; the certificate error when the handshake fails on it.
    fn implicit_tls(
        servers: &MailServers,
        port: u16,
    ) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, CertificateError> {
        let pem = fs::read_to_string(&servers.ca_file).expect("the CA file");
        let der = pem_to_der(&pem);
        let config = client_config(&der).expect("client config");
        let name = ServerName::try_from("localhost").expect("name");
        let connection = rustls::ClientConnection::new(config, name).expect("client");
        let mut secure = rustls::StreamOwned::new(connection, connect(port));
        while secure.conn.is_handshaking() {
            match secure.conn.complete_io(&mut secure.sock) {
                Ok(_) => {}
                Err(error) => match error
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                {
                    Some(rustls::Error::InvalidCertificate(certificate)) => {
                        return Err(certificate.clone())
                    }
                    _ => panic!("the handshake failed otherwise: {error}"),
                },
            }
        }
        Ok(secure)
    }

    /// The one certificate in a PEM file, as DER (base64 between the armour lines).
    fn pem_to_der(pem: &str) -> CertificateDer<'static> {
        use rustls::pki_types::pem::PemObject;
        CertificateDer::from_pem_slice(pem.as_bytes()).expect("a PEM certificate")
    }

    #[test]
    fn defaults_offer_tls_everywhere_and_no_login_before_it() {
        let started = Instant::now();
        let servers = start(MailOptions::default());
        eprintln!(
            "dovecot + postfix + proxies started in {:?}",
            started.elapsed()
        );
        let [imap, pop3, submission, smtp] = before_tls(&servers);
        // Seen from 127.0.0.2, dovecot treats the client as remote: no logins before TLS.
        assert!(
            imap.contains("STARTTLS") && imap.contains("LOGINDISABLED"),
            "{imap}"
        );
        assert!(!imap.contains("AUTH=PLAIN"), "{imap}");
        assert!(
            pop3.contains("STLS") && !pop3.contains("SASL PLAIN"),
            "{pop3}"
        );
        assert!(!pop3.lines().any(|l| l == "USER"), "{pop3}");
        assert!(
            submission.contains("STARTTLS") && !submission.contains("AUTH"),
            "{submission}"
        );
        assert!(
            smtp.contains("STARTTLS") && !smtp.contains("AUTH"),
            "{smtp}"
        );

        let imaps = servers.imaps.expect("implicit TLS for IMAP");
        let mut secure = implicit_tls(&servers, imaps).expect("a trusted certificate");
        assert!(line(&mut secure).starts_with("* OK"));
        let pop3s = servers.pop3s.expect("implicit TLS for POP3");
        let mut secure = implicit_tls(&servers, pop3s).expect("a trusted certificate");
        assert!(line(&mut secure).starts_with("+OK"));
        let mut secure =
            implicit_tls(&servers, servers.submissions).expect("a trusted certificate");
        assert!(line(&mut secure).starts_with("220 "));
        let ehlo = ask(&mut secure, "EHLO client.example\r\n", smtp_done);
        assert!(ehlo.contains("AUTH PLAIN LOGIN"), "{ehlo}");
        assert!(
            servers.dovecot_log().contains("rip=127.0.0.2"),
            "{}",
            servers.dovecot_log()
        );
    }

    #[test]
    fn a_delivered_message_is_read_by_the_test_user_over_imaps() {
        let servers = start(MailOptions::default());
        servers
            .deliver("1.test", "Subject: delivered\r\n\r\nHello.\r\n")
            .expect("delivered");
        let mut secure =
            implicit_tls(&servers, servers.imaps.expect("imaps")).expect("trusted certificate");
        line(&mut secure);
        let login = ask(
            &mut secure,
            &format!("a LOGIN {USER} {PASSWORD}\r\n"),
            |l| l.starts_with("a "),
        );
        assert!(login.contains("a OK"), "{login}");
        let select = ask(&mut secure, "b SELECT INBOX\r\n", |l| l.starts_with("b "));
        assert!(select.contains("* 1 EXISTS"), "{select}");
        assert!(
            imap_tls_login(&servers.dovecot_log()),
            "{}",
            servers.dovecot_log()
        );
    }

    #[test]
    fn logins_before_tls_are_offered_when_asked_for() {
        let servers = start(MailOptions {
            auth_before_tls: true,
            ..MailOptions::default()
        });
        let [imap, pop3, submission, smtp] = before_tls(&servers);
        assert!(
            imap.contains("AUTH=PLAIN") && imap.contains("AUTH=LOGIN"),
            "{imap}"
        );
        assert!(
            !imap.contains("LOGINDISABLED") && imap.contains("STARTTLS"),
            "{imap}"
        );
        assert!(
            pop3.contains("SASL PLAIN LOGIN") && pop3.contains("STLS"),
            "{pop3}"
        );
        for ehlo in [submission, smtp] {
            assert!(
                ehlo.contains("AUTH PLAIN LOGIN") && ehlo.contains("STARTTLS"),
                "{ehlo}"
            );
        }
    }

    #[test]
    fn without_starttls_the_plain_ports_offer_no_tls() {
        let servers = start(MailOptions {
            starttls: false,
            ..MailOptions::default()
        });
        assert_eq!((servers.imaps, servers.pop3s), (None, None));
        let [imap, pop3, submission, smtp] = before_tls(&servers);
        assert!(!imap.contains("STARTTLS"), "{imap}");
        assert!(!pop3.contains("STLS"), "{pop3}");
        assert!(!submission.contains("STARTTLS"), "{submission}");
        assert!(!smtp.contains("STARTTLS"), "{smtp}");
        let mut secure = implicit_tls(&servers, servers.submissions).expect("465 keeps TLS");
        assert!(line(&mut secure).starts_with("220 "));
    }

    #[test]
    fn bad_certificates_are_what_the_servers_present() {
        for (kind, expected) in [
            (CertificateKind::Expired, "expired"),
            (CertificateKind::WrongName, "wrong name"),
            (CertificateKind::SelfSigned, "unknown issuer"),
        ] {
            let servers = start(MailOptions {
                certificate: kind,
                ..MailOptions::default()
            });
            for port in [servers.imaps.expect("imaps"), servers.submissions] {
                let error = implicit_tls(&servers, port).err();
                let found = match error {
                    Some(CertificateError::Expired | CertificateError::ExpiredContext { .. }) => {
                        "expired"
                    }
                    Some(
                        CertificateError::NotValidForName
                        | CertificateError::NotValidForNameContext { .. },
                    ) => "wrong name",
                    Some(CertificateError::UnknownIssuer) => "unknown issuer",
                    other => panic!("{kind:?} on port {port}: {other:?}"),
                };
                assert_eq!(found, expected, "{kind:?} on port {port}");
            }
        }
    }

    #[test]
    fn a_delay_is_added_in_each_direction() {
        let delay = Duration::from_millis(100);
        let servers = start(MailOptions {
            delay: Some(delay),
            ..MailOptions::default()
        });
        let connected = Instant::now();
        let mut imap = connect(servers.imap);
        line(&mut imap);
        let greeting = connected.elapsed();
        assert!(
            greeting >= delay,
            "the greeting comes one delay later ({greeting:?})"
        );
        let sent = Instant::now();
        ask(&mut imap, "a NOOP\r\n", |l| l.starts_with("a "));
        let round_trip = sent.elapsed();
        assert!(
            round_trip >= 2 * delay,
            "a round trip takes two delays ({round_trip:?})"
        );
    }

    /// The SASL initial response for `mechanism` with `token` for `user`, in base64.
    fn oauth2_response(mechanism: &str, user: &str, token: &str) -> String {
        let raw = match mechanism {
            "XOAUTH2" => format!("user={user}\x01auth=Bearer {token}\x01\x01"),
            _ => format!("n,a={user},\x01auth=Bearer {token}\x01\x01"),
        };
        base64(raw.as_bytes(), STANDARD, true)
    }

    /// `AUTHENTICATE mechanism` over a fresh IMAPS connection; the tagged answer. A refusal
    /// comes as a challenge (the error, RFC 7628) that the client answers with an empty line.
    /// dovecot delays each answer to an address more after each failure from it (2, 4, 8
    /// seconds, ...), so the answer gets more time than other reads.
    fn imap_authenticate(servers: &MailServers, mechanism: &str, response: &str) -> String {
        let imaps = servers.imaps.expect("imaps");
        let mut secure = implicit_tls(servers, imaps).expect("trusted certificate");
        secure
            .sock
            .set_read_timeout(Some(Duration::from_secs(40)))
            .expect("timeout");
        line(&mut secure);
        let command = format!("a AUTHENTICATE {mechanism} {response}\r\n");
        let answer = ask(&mut secure, &command, |l| {
            l.starts_with("a ") || l.starts_with("+ ")
        });
        if answer.starts_with("+ ") {
            return ask(&mut secure, "\r\n", |l| l.starts_with("a "));
        }
        answer
    }

    #[test]
    fn oauth2_tokens_sign_in_beside_passwords_and_bad_ones_are_refused() {
        let servers = start(MailOptions {
            oauth2: true,
            ..MailOptions::default()
        });
        let key = servers.oauth2.as_ref().expect("the OAuth2 key");
        let good = key.token_for_test_user().expect("token");
        for mechanism in ["OAUTHBEARER", "XOAUTH2"] {
            let response = oauth2_response(mechanism, USER, &good);
            let answer = imap_authenticate(&servers, mechanism, &response);
            assert!(answer.starts_with("a OK"), "{mechanism}: {answer}");
            assert!(
                servers.dovecot_log_shows(TIMEOUT, |log| tls_login(log, "imap", mechanism)),
                "{}",
                servers.dovecot_log()
            );
        }
        // The password still works beside the tokens.
        let plain = base64(format!("\0{USER}\0{PASSWORD}").as_bytes(), STANDARD, true);
        assert!(imap_authenticate(&servers, "PLAIN", &plain).starts_with("a OK"));

        // Submission offers both mechanisms through dovecot's SASL, and takes the token.
        let mut secure =
            implicit_tls(&servers, servers.submissions).expect("a trusted certificate");
        line(&mut secure);
        let ehlo = ask(&mut secure, "EHLO client.example\r\n", smtp_done);
        assert!(
            ehlo.contains("AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2"),
            "{ehlo}"
        );
        let response = oauth2_response("OAUTHBEARER", USER, &good);
        let auth = ask(
            &mut secure,
            &format!("AUTH OAUTHBEARER {response}\r\n"),
            smtp_done,
        );
        assert!(auth.starts_with("235 "), "{auth}");

        // Refused: a token signed with another key, an expired one, one for someone else.
        let hour = Duration::from_secs(3600);
        let forged = OAuth2Key::generate()
            .expect("key")
            .token_for_test_user()
            .expect("token");
        let expired = key.token(&TokenClaims::expired(USER, hour)).expect("token");
        let someone_else = key
            .token(&TokenClaims::for_user("mallory@example.test", hour))
            .expect("token");
        for (what, token, reason) in [
            ("forged", &forged, "Incorrect JWT signature"),
            ("expired", &expired, "Token has expired"),
            ("another user's", &someone_else, "did not match"),
        ] {
            let response = oauth2_response("XOAUTH2", USER, token);
            let answer = imap_authenticate(&servers, "XOAUTH2", &response);
            assert!(answer.starts_with("a NO"), "a {what} token: {answer}");
            assert!(
                servers.dovecot_log_shows(TIMEOUT, |log| log.contains(reason)),
                "{}",
                servers.dovecot_log()
            );
        }
    }
}
