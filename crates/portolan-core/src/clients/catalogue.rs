//! The catalogue data: one entry per client, grouped by platform, in a stable order.
//!
//! Menu words follow the current releases of each client (2024-2026). Steps use the
//! placeholders documented on [`super::Client::steps`].

use super::{Capabilities, Client, Delivery, Guide, Platform};

/// A full-featured desktop or phone client: IMAP, POP3, SMTP on 465 and 587.
const FULL: Capabilities = Capabilities {
    imap: true,
    pop3: true,
    smtp: true,
    smtp_implicit_tls: true,
    starttls: true,
    oauth2: false,
    autoconfig: false,
    autodiscover: false,
    mobileconfig: false,
};

/// Every client Portolan knows, grouped by platform.
pub fn all() -> &'static [Client] {
    CLIENTS
}

/// The steps and notes of the client `id` (empty for an id not in the catalogue).
pub fn guide(id: &str) -> &'static Guide {
    GUIDES
        .iter()
        .find(|guide| guide.client == id)
        .unwrap_or(&NO_GUIDE)
}

static NO_GUIDE: Guide = Guide {
    client: "",
    steps: &[],
    notes: &[],
};

static CLIENTS: &[Client] = &[
    // Desktop.
    Client {
        id: "thunderbird",
        name: "Thunderbird (desktop)",
        platform: Platform::Desktop,
        runs_on: "Windows, macOS, Linux",
        capabilities: Capabilities {
            oauth2: true,
            autoconfig: true,
            autodiscover: true,
            ..FULL
        },
        delivery: Delivery::Autoconfig,
        tls_words: ("SSL/TLS", "STARTTLS"),
    },
    Client {
        id: "apple-mail",
        name: "Apple Mail (macOS)",
        platform: Platform::Desktop,
        runs_on: "macOS",
        capabilities: Capabilities {
            oauth2: true,
            mobileconfig: true,
            ..FULL
        },
        delivery: Delivery::Mobileconfig,
        tls_words: ("Use TLS/SSL on", "Use TLS/SSL on"),
    },
    Client {
        id: "outlook-classic",
        name: "Outlook (classic, Windows)",
        platform: Platform::Desktop,
        runs_on: "Windows",
        capabilities: Capabilities {
            oauth2: true,
            autodiscover: true,
            ..FULL
        },
        delivery: Delivery::Autodiscover,
        tls_words: ("SSL/TLS", "STARTTLS"),
    },
    Client {
        id: "outlook-mac",
        name: "Outlook for Mac",
        platform: Platform::Desktop,
        runs_on: "macOS",
        capabilities: Capabilities {
            oauth2: true,
            autodiscover: true,
            ..FULL
        },
        delivery: Delivery::ManualSteps,
        tls_words: (
            "Use SSL to connect (recommended)",
            "Use SSL to connect (recommended)",
        ),
    },
    Client {
        id: "evolution",
        name: "Evolution",
        platform: Platform::Desktop,
        runs_on: "Linux (GNOME)",
        capabilities: Capabilities {
            oauth2: true,
            autoconfig: true,
            ..FULL
        },
        delivery: Delivery::Autoconfig,
        tls_words: ("TLS on a dedicated port", "STARTTLS after connecting"),
    },
    Client {
        id: "kmail",
        name: "KMail",
        platform: Platform::Desktop,
        runs_on: "Linux (KDE)",
        capabilities: Capabilities {
            oauth2: true,
            autoconfig: true,
            ..FULL
        },
        delivery: Delivery::Autoconfig,
        tls_words: ("SSL/TLS", "STARTTLS"),
    },
    Client {
        id: "geary",
        name: "Geary",
        platform: Platform::Desktop,
        runs_on: "Linux (GNOME)",
        capabilities: Capabilities {
            pop3: false,
            ..FULL
        },
        delivery: Delivery::ManualSteps,
        tls_words: ("SSL/TLS", "STARTTLS"),
    },
    Client {
        id: "em-client",
        name: "eM Client",
        platform: Platform::Desktop,
        runs_on: "Windows, macOS",
        capabilities: Capabilities {
            oauth2: true,
            autoconfig: true,
            autodiscover: true,
            ..FULL
        },
        delivery: Delivery::Autoconfig,
        tls_words: (
            "Use SSL/TLS on special port (legacy)",
            "Use SSL/TLS if available",
        ),
    },
    // Phone and tablet.
    Client {
        id: "thunderbird-android",
        name: "Thunderbird for Android / K-9 Mail",
        platform: Platform::Mobile,
        runs_on: "Android",
        capabilities: Capabilities {
            oauth2: true,
            autoconfig: true,
            ..FULL
        },
        delivery: Delivery::Autoconfig,
        tls_words: ("SSL/TLS", "STARTTLS"),
    },
    Client {
        id: "ios-mail",
        name: "Mail on iPhone and iPad",
        platform: Platform::Mobile,
        runs_on: "iOS, iPadOS",
        capabilities: Capabilities {
            oauth2: true,
            mobileconfig: true,
            ..FULL
        },
        delivery: Delivery::Mobileconfig,
        tls_words: ("Use SSL on", "Use SSL on"),
    },
    Client {
        id: "samsung-email",
        name: "Samsung Email",
        platform: Platform::Mobile,
        runs_on: "Android (Samsung)",
        capabilities: FULL,
        delivery: Delivery::ManualSteps,
        tls_words: ("SSL", "TLS"),
    },
    Client {
        id: "fairemail",
        name: "FairEmail",
        platform: Platform::Mobile,
        runs_on: "Android",
        capabilities: Capabilities {
            oauth2: true,
            autoconfig: true,
            ..FULL
        },
        delivery: Delivery::Autoconfig,
        tls_words: ("SSL/TLS", "STARTTLS"),
    },
    Client {
        id: "delta-chat",
        name: "Delta Chat",
        platform: Platform::Mobile,
        runs_on: "Android, iOS, desktop",
        capabilities: Capabilities {
            pop3: false,
            oauth2: true,
            autoconfig: true,
            ..FULL
        },
        delivery: Delivery::Autoconfig,
        tls_words: ("SSL/TLS", "StartTLS"),
    },
    // Webmail apps that add other accounts.
    Client {
        id: "gmail",
        name: "Gmail app",
        platform: Platform::WebmailApp,
        runs_on: "Android, iOS",
        capabilities: Capabilities {
            oauth2: true,
            ..FULL
        },
        delivery: Delivery::ManualSteps,
        tls_words: ("SSL/TLS", "STARTTLS"),
    },
    Client {
        id: "outlook-new",
        name: "Outlook (new, Windows and web)",
        platform: Platform::WebmailApp,
        runs_on: "Windows, web",
        capabilities: Capabilities {
            oauth2: true,
            autodiscover: true,
            ..FULL
        },
        delivery: Delivery::ManualSteps,
        tls_words: ("SSL/TLS", "STARTTLS"),
    },
    // Terminal.
    Client {
        id: "neomutt",
        name: "NeoMutt",
        platform: Platform::Terminal,
        runs_on: "Linux, BSD, macOS",
        capabilities: Capabilities {
            oauth2: true,
            ..FULL
        },
        delivery: Delivery::ConfigFile("neomutt"),
        tls_words: ("imaps:// / smtps://", "imap:// with ssl_force_tls"),
    },
    Client {
        id: "aerc",
        name: "aerc",
        platform: Platform::Terminal,
        runs_on: "Linux, BSD, macOS",
        capabilities: Capabilities {
            pop3: false,
            oauth2: true,
            ..FULL
        },
        delivery: Delivery::ConfigFile("aerc"),
        tls_words: ("imaps:// / smtps://", "imap:// / smtp://"),
    },
    Client {
        id: "msmtp",
        name: "msmtp",
        platform: Platform::Terminal,
        runs_on: "Linux, BSD, macOS",
        capabilities: Capabilities {
            imap: false,
            pop3: false,
            oauth2: true,
            ..FULL
        },
        delivery: Delivery::ConfigFile("msmtp"),
        tls_words: ("tls on, tls_starttls off", "tls on, tls_starttls on"),
    },
    Client {
        id: "mbsync",
        name: "mbsync (isync)",
        platform: Platform::Terminal,
        runs_on: "Linux, BSD, macOS",
        capabilities: Capabilities {
            pop3: false,
            smtp: false,
            smtp_implicit_tls: false,
            ..FULL
        },
        delivery: Delivery::ConfigFile("mbsync"),
        tls_words: ("SSLType IMAPS", "SSLType STARTTLS"),
    },
    Client {
        id: "fetchmail",
        name: "fetchmail",
        platform: Platform::Terminal,
        runs_on: "Linux, BSD, macOS",
        capabilities: Capabilities {
            smtp: false,
            smtp_implicit_tls: false,
            oauth2: true,
            ..FULL
        },
        delivery: Delivery::ConfigFile("fetchmail"),
        tls_words: ("ssl", "sslproto tls1.2+ (STARTTLS)"),
    },
];

/// Each client's steps and notes, kept apart from [`CLIENTS`] so that code listing the clients
/// (the page's client picker) does not carry every instruction text with it.
pub(super) static GUIDES: &[Guide] = &[
    Guide {
        client: "thunderbird",
        steps: &[
            "Open the ≡ menu and choose Account Settings, then Account Actions → Add Mail Account.",
            "Enter Your full name, Email address {address} and Password, then click Continue.",
            "If Thunderbird finds the settings by itself, check they match the ones below; otherwise click Configure manually.",
            "INCOMING SERVER: Protocol {in_protocol}, Hostname {in_host}, Port {in_port}, Connection security {in_security}, Authentication method {in_auth}, Username {in_username}.",
            "OUTGOING SERVER: Hostname {out_host}, Port {out_port}, Connection security {out_security}, Authentication method {out_auth}, Username {out_username}.",
            "Click Re-test, then Done.",
        ],
        notes: &["Thunderbird reads the provider's autoconfig file, so a published file makes manual steps unnecessary."],
    },
    Guide {
        client: "apple-mail",
        steps: &[
            "Easiest: open the downloaded .mobileconfig file, then System Settings → Privacy & Security → Profiles (or General → Device Management), double-click the profile and click Install.",
            "By hand: in Mail choose Mail → Add Account…, select Other Mail Account…, and click Continue.",
            "Enter Name {name}, Email Address {address} and Password, then click Sign In.",
            "When Mail asks, set Account Type {in_protocol}, Incoming Mail Server {in_host}, Outgoing Mail Server {out_host}, User Name {in_username}, then click Sign In.",
            "Afterwards open Mail → Settings → Accounts → Server Settings, untick Automatically manage connection settings, and set Port {in_port} with Use TLS/SSL ticked for incoming and Port {out_port} with Use TLS/SSL ticked for outgoing.",
        ],
        notes: &["Apple's Use TLS/SSL switch cannot say STARTTLS or implicit TLS: the port decides, so the port must always be set explicitly."],
    },
    Guide {
        client: "outlook-classic",
        steps: &[
            "Choose File → Add Account, enter {address}, open Advanced options, tick Let me set up my account manually, and click Connect.",
            "Choose {in_protocol}.",
            "Incoming mail: Server {in_host}, Port {in_port}, Encryption method {in_security}; leave Require logon using Secure Password Authentication (SPA) unticked.",
            "Outgoing mail: Server {out_host}, Port {out_port}, Encryption method {out_security}; leave Require logon using Secure Password Authentication (SPA) unticked.",
            "Click Next, enter the password, and click Connect.",
        ],
        notes: &["Outlook reads Autodiscover; in it, Encryption TLS means STARTTLS, so implicit TLS ports must say SSL."],
    },
    Guide {
        client: "outlook-mac",
        steps: &[
            "Choose Outlook → Settings → Accounts, click + and Add an account, enter {address} and click Continue.",
            "If asked for the provider, choose IMAP/POP.",
            "Type {in_protocol}; User name {in_username}; Password; Incoming server {in_host}, port {in_port}, tick Use SSL to connect (recommended).",
            "Outgoing server {out_host}, port {out_port}, tick Use SSL to connect (recommended).",
            "Click Add Account.",
        ],
        notes: &["Like Apple Mail, the single SSL box relies on the port: 993/465 mean implicit TLS, 143/587 STARTTLS."],
    },
    Guide {
        client: "evolution",
        steps: &[
            "Choose Edit → Accounts, click Add → Mail Account, then Next.",
            "Identity: Full Name {name}, Email Address {address}; untick Look up mail server details based on the entered e-mail address only if the looked-up values differ from these.",
            "Receiving Email: Server Type {in_protocol}, Server {in_host}, Port {in_port}, Username {in_username}, Encryption method {in_security}, Authentication Password.",
            "Sending Email: Server Type SMTP, Server {out_host}, Port {out_port}, tick Server requires authentication, Encryption method {out_security}, Type PLAIN, Username {out_username}.",
            "Click Next through the remaining pages and Apply.",
        ],
        notes: &[],
    },
    Guide {
        client: "kmail",
        steps: &[
            "Choose Settings → Configure KMail… → Accounts → Receiving, click Add… and choose {in_protocol} Email Account.",
            "General: Incoming mail server {in_host}, Username {in_username}, Password.",
            "Advanced: Encryption {in_security}, Port {in_port}, Authentication Clear text.",
            "Under Accounts → Sending click Add…, choose SMTP, Outgoing mail server {out_host}, tick Server requires authentication, Username {out_username}.",
            "Advanced: Encryption {out_security}, Port {out_port}, Authentication PLAIN. Click OK.",
        ],
        notes: &[],
    },
    Guide {
        client: "geary",
        steps: &[
            "Open the ≡ menu → Accounts, click +, and choose Other email providers.",
            "Enter Name {name}, Email {address}.",
            "Receiving: IMAP server {in_host}:{in_port}, Connection security {in_security}, Login name {in_username}, Password.",
            "Sending: SMTP server {out_host}:{out_port}, Connection security {out_security}, Login Use receiving server login.",
            "Click Create.",
        ],
        notes: &["Geary speaks IMAP only; it has no POP3 support."],
    },
    Guide {
        client: "em-client",
        steps: &[
            "Choose Menu → Accounts → Add Account → Mail → Other, enter {address}, and click Next.",
            "If the automatic set-up finds nothing, choose Manual set-up → {in_protocol}.",
            "Incoming server {in_host}, Port {in_port}, Security policy {in_security}, User name {in_username}.",
            "Outgoing server {out_host}, Port {out_port}, Security policy {out_security}, tick Outgoing server requires authentication, Use same credentials as incoming server.",
            "Click Next and Finish.",
        ],
        notes: &[],
    },
    Guide {
        client: "thunderbird-android",
        steps: &[
            "Open the app; on the first screen (or Settings → Add account) enter Email address {address} and tap Next.",
            "If the app shows found settings, check them; otherwise tap Edit server settings (or Manual setup).",
            "Incoming server: Protocol {in_protocol}, Server {in_host}, Security {in_security}, Port {in_port}, Username {in_username}, Authentication {in_auth}.",
            "Outgoing server: Server {out_host}, Security {out_security}, Port {out_port}, Require sign-in on, Username {out_username}, Authentication {out_auth}.",
            "Tap Next, choose the display options and tap Done.",
        ],
        notes: &["The app rejects an autoconfig file that has a plain server or a server without <username>, and needs the emailProvider id to be a host name."],
    },
    Guide {
        client: "ios-mail",
        steps: &[
            "Easiest: open the .mobileconfig download in Safari, tap Allow, then open Settings → General → VPN & Device Management (or Profile Downloaded), tap the profile and tap Install.",
            "By hand: open Settings → Apps → Mail → Mail Accounts → Add Account → Other → Add Mail Account.",
            "Enter Name {name}, Email {address}, Password, Description, and tap Next.",
            "Choose {in_protocol}; INCOMING MAIL SERVER Host Name {in_host}, User Name {in_username}; OUTGOING MAIL SERVER Host Name {out_host}, User Name {out_username}; tap Next, then Save.",
            "Then open the account → Account → Advanced: set Use SSL on and Server Port {in_port}; under SMTP → Primary Server set Use SSL on and Server Port {out_port}.",
        ],
        notes: &["Without an explicit outgoing port iOS Mail tries port 25 first, which many networks block."],
    },
    Guide {
        client: "samsung-email",
        steps: &[
            "Open Samsung Email → ≡ → Settings (gear) → Add account → Other.",
            "Enter Email address {address} and Password, then tap Manual setup.",
            "Choose {in_protocol} account. Incoming server: Username {in_username}, {in_protocol} server {in_host}, Security type {in_security}, Port {in_port}.",
            "Outgoing server: SMTP server {out_host}, Security type {out_security}, Port {out_port}, Require authentication to send emails on, Username {out_username}.",
            "Tap Sign in.",
        ],
        notes: &["Samsung Email calls STARTTLS \"TLS\" and implicit TLS \"SSL\"."],
    },
    Guide {
        client: "fairemail",
        steps: &[
            "Tap Settings → Main → Manual setup and account options → Accounts, then + → Custom.",
            "Receive: Host name {in_host}, Encryption {in_security}, Port {in_port}, User name {in_username}, Password; tap Check.",
            "Back in Manual setup → Identities, tap +: Your name {name}, Your email address {address}; SMTP server Host name {out_host}, Encryption {out_security}, Port {out_port}, User name {out_username}.",
            "Tap Save.",
        ],
        notes: &[],
    },
    Guide {
        client: "delta-chat",
        steps: &[
            "On the welcome screen choose I Already Have a Profile → Use Other Server (Log into Your E-Mail Account).",
            "Enter E-Mail Address {address} and Password, then tap Advanced.",
            "Inbox: IMAP Login Name {in_username}, IMAP Server {in_host}, IMAP Port {in_port}, IMAP Security {in_security}.",
            "Outbox: SMTP Login Name {out_username}, SMTP Server {out_host}, SMTP Port {out_port}, SMTP Security {out_security}.",
            "Tap the ✓ to log in.",
        ],
        notes: &["Delta Chat uses IMAP only."],
    },
    Guide {
        client: "gmail",
        steps: &[
            "Tap your profile picture → Add another account → Other.",
            "Enter {address} and tap Manual setup, then choose Personal ({in_protocol}).",
            "Enter the password; Incoming server settings: Username {in_username}, Server {in_host}, Port {in_port}, Security type {in_security}.",
            "Outgoing server settings: tick Require sign-in, Username {out_username}, SMTP server {out_host}, Port {out_port}, Security type {out_security}.",
            "Tap Next to finish.",
        ],
        notes: &[],
    },
    Guide {
        client: "outlook-new",
        steps: &[
            "Open Settings → Accounts → Email accounts and click Add account; enter {address} and click Continue.",
            "Choose IMAP (the new Outlook syncs through Microsoft's cloud), then Show more.",
            "IMAP incoming server {in_host}, Port {in_port}, Secure connection type {in_security}, IMAP username {in_username}.",
            "SMTP outgoing server {out_host}, Port {out_port}, Secure connection type {out_security}, SMTP username {out_username}.",
            "Click Continue.",
        ],
        notes: &["The new Outlook connects from Microsoft's servers, not from your computer: the mail server must be reachable from the internet."],
    },
    Guide {
        client: "neomutt",
        steps: &[
            "Save the generated snippet as ~/.config/neomutt/neomuttrc (or source it from there).",
            "Store the password in your password manager under the name the snippet's command uses.",
            "Run neomutt.",
        ],
        notes: &[],
    },
    Guide {
        client: "aerc",
        steps: &[
            "Append the generated snippet to ~/.config/aerc/accounts.conf and run chmod 600 on it.",
            "Store the password in your password manager under the name the snippet's command uses.",
            "Run aerc.",
        ],
        notes: &["aerc reads IMAP (or a local maildir); it has no POP3."],
    },
    Guide {
        client: "msmtp",
        steps: &[
            "Save the generated snippet as ~/.config/msmtp/config (or ~/.msmtprc) and run chmod 600 on it.",
            "Store the password where the passwordeval command finds it.",
            "Test with: printf 'Subject: test\\n\\nhello\\n' | msmtp -a {address} {address}",
        ],
        notes: &["msmtp only sends mail; pair it with mbsync or fetchmail for reading."],
    },
    Guide {
        client: "mbsync",
        steps: &[
            "Save the generated snippet as ~/.mbsyncrc (or ~/.config/isyncrc) and create the local maildir folder it names.",
            "Store the password where the PassCmd command finds it.",
            "Run mbsync -a.",
        ],
        notes: &["mbsync only synchronises IMAP to a local maildir; send with msmtp."],
    },
    Guide {
        client: "fetchmail",
        steps: &[
            "Save the generated snippet as ~/.fetchmailrc and run chmod 600 on it.",
            "Store the password in ~/.netrc (machine {in_host} login {in_username} password …) with chmod 600; fetchmail reads it there, so the rc file holds no password.",
            "Run fetchmail -v once to check, then fetchmail -d 300 to poll.",
        ],
        notes: &["fetchmail only fetches mail and hands it to a local MDA or SMTP listener."],
    },
];
