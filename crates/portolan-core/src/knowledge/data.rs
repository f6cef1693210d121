//! The provider table: public settings, written from the providers' own published help.
//!
//! Rules for editing: only settings a provider publishes; never a plaintext server; ports follow
//! RFC 8314 (993/995/465 implicit TLS, 143/110/587 STARTTLS) unless a server note explains a
//! documented exception; help links are https pages of the provider itself (its help-centre
//! entry page where a deep link is not known to be stable). The validation test in `tests.rs`
//! enforces all of this.

use super::{
    Access, AppleAccountType, EnableFirst, Folders, OAuth2Endpoints, Origin, Provider, Quirks,
    Server, Username, NO_QUIRKS,
};
use crate::model::AuthMethod::{AppPassword, Oauth2, PasswordCleartext};
use crate::model::{AuthMethod, Protocol, Security};

const fn server(protocol: Protocol, host: &'static str, port: u16, security: Security) -> Server {
    Server {
        protocol,
        host,
        port,
        security,
        username: Username::EmailAddress,
        note: "",
    }
}

/// IMAP with implicit TLS on 993.
const fn imap(host: &'static str) -> Server {
    server(Protocol::Imap, host, 993, Security::Tls)
}

/// POP3 with implicit TLS on 995.
const fn pop3(host: &'static str) -> Server {
    server(Protocol::Pop3, host, 995, Security::Tls)
}

/// Submission with implicit TLS on 465.
const fn smtps(host: &'static str) -> Server {
    server(Protocol::Submission, host, 465, Security::Tls)
}

/// Submission with STARTTLS on 587.
const fn submission(host: &'static str) -> Server {
    server(Protocol::Submission, host, 587, Security::Starttls)
}

impl Server {
    /// The same server, signed in to with the local part instead of the whole address.
    const fn local_part(self) -> Server {
        Server {
            username: Username::LocalPart,
            ..self
        }
    }

    /// The same server with a note.
    const fn noted(self, note: &'static str) -> Server {
        Server { note, ..self }
    }
}

/// The common case: IMAP, POP3 and both submission ports on the same host.
const fn all_on(host: &'static str) -> [Server; 4] {
    [imap(host), pop3(host), smtps(host), submission(host)]
}

const PASSWORD: &[AuthMethod] = &[PasswordCleartext];
const APP_PASSWORD: &[AuthMethod] = &[AppPassword];
const OAUTH_OR_APP: &[AuthMethod] = &[Oauth2, AppPassword];
const OAUTH_ONLY: &[AuthMethod] = &[Oauth2];
const PASSWORD_OR_APP: &[AuthMethod] = &[PasswordCleartext, AppPassword];

const BASE: Provider = Provider {
    id: "",
    name: "",
    domains: &[],
    access: Access::Standard,
    servers: &[],
    auth: PASSWORD,
    notes: &[],
    help: &[],
    mx: &[],
    oauth2: None,
    origin: Origin::Curated,
    quirks: NO_QUIRKS,
    apple_account_type: None,
    app_password_page: None,
};

// Apple's account types, from "Add email accounts in Mail on Mac"
// (https://support.apple.com/guide/mail/mail35803) and "Add an email account to your iPhone or
// iPad" (https://support.apple.com/en-us/102619).
const APPLE_GOOGLE: Option<AppleAccountType> = Some(AppleAccountType {
    macos: "Google",
    ios: "Google",
});
const APPLE_EXCHANGE: Option<AppleAccountType> = Some(AppleAccountType {
    macos: "Microsoft Exchange",
    ios: "Microsoft Exchange",
});

// Gmail and Google Workspace.
// - Sent mail: Gmail's submission server files every message sent through it in Sent Mail
//   itself, and replaces a copy a client appends with the same Message-ID (observed and
//   written up in WildDuck's wiki, "Gmail sending":
//   https://github.com/nodemailer/wildduck/wiki/Gmail-sending). A client that saves its own
//   copy works but does the upload twice; snippets leave saving to the server.
// - Folders: Gmail's system labels over IMAP, "[Gmail]/Sent Mail" and friends (Gmail Help,
//   "IMAP access": https://support.google.com/mail/answer/7126229; accounts opened as Google
//   Mail in Germany and the UK show "[Google Mail]/..."; Gmail announces them with
//   SPECIAL-USE, which clients that read it follow).
// - Connections: "Too many simultaneous connections" (Gmail Help,
//   https://support.google.com/mail/answer/97150): 15 IMAP connections per account today (10
//   in the 2008 text).
const GOOGLE_QUIRKS: Quirks = Quirks {
    server_saves_sent: true,
    folders: Some(Folders {
        sent: "[Gmail]/Sent Mail",
        drafts: "[Gmail]/Drafts",
        trash: "[Gmail]/Trash",
        junk: "[Gmail]/Spam",
    }),
    max_imap_connections: Some(15),
    ..NO_QUIRKS
};

/// POP3/IMAP access off until switched on: GMX and WEB.DE help, "POP3/IMAP einschalten"
/// (the URLs below), and mail.com's help on the same switch.
const fn enable(what: &'static str, url: &'static str) -> Quirks {
    Quirks {
        enable_first: Some(EnableFirst { what, url }),
        ..NO_QUIRKS
    }
}

// OAuth2 endpoints: facts as Thunderbird's ISP database lists them (`<oAuth2>` in
// ispdb/googlemail.com.xml, office365.com.xml, yahoo.com.xml, yandex.ru.xml, mail.ru.xml and
// aol.com.xml at the commit
// named in data/ispdb/SOURCE.md; MPL-2.0, notice in data/ispdb/LICENSE).
const GOOGLE_OAUTH2: Option<OAuth2Endpoints> = Some(OAuth2Endpoints {
    issuer: "accounts.google.com",
    scope: "https://mail.google.com/",
    auth_url: "https://accounts.google.com/o/oauth2/auth",
    token_url: "https://www.googleapis.com/oauth2/v3/token",
    xoauth2_only: false,
});
const MICROSOFT_OAUTH2: Option<OAuth2Endpoints> = Some(OAuth2Endpoints {
    issuer: "login.microsoftonline.com",
    scope: "https://outlook.office365.com/IMAP.AccessAsUser.All \
            https://outlook.office365.com/POP.AccessAsUser.All \
            https://outlook.office365.com/SMTP.Send offline_access",
    auth_url: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    token_url: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    // Microsoft documents SASL XOAUTH2 only for IMAP, POP and SMTP ("Authenticate an IMAP,
    // POP or SMTP connection using OAuth", learn.microsoft.com/exchange/client-developer/
    // legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth).
    xoauth2_only: true,
});
const YAHOO_OAUTH2: Option<OAuth2Endpoints> = Some(OAuth2Endpoints {
    issuer: "login.yahoo.com",
    scope: "mail-w",
    auth_url: "https://api.login.yahoo.com/oauth2/request_auth",
    token_url: "https://api.login.yahoo.com/oauth2/get_token",
    xoauth2_only: false,
});
const YANDEX_OAUTH2: Option<OAuth2Endpoints> = Some(OAuth2Endpoints {
    issuer: "oauth.yandex.com",
    scope: "mail:imap_full mail:smtp",
    auth_url: "https://oauth.yandex.com/authorize",
    token_url: "https://oauth.yandex.com/token",
    xoauth2_only: false,
});
const MAILRU_OAUTH2: Option<OAuth2Endpoints> = Some(OAuth2Endpoints {
    issuer: "o2.mail.ru",
    scope: "mail.imap",
    auth_url: "https://o2.mail.ru/login",
    token_url: "https://o2.mail.ru/token",
    xoauth2_only: false,
});
const AOL_OAUTH2: Option<OAuth2Endpoints> = Some(OAuth2Endpoints {
    issuer: "login.aol.com",
    scope: "mail-w",
    auth_url: "https://api.login.aol.com/oauth2/request_auth",
    token_url: "https://api.login.aol.com/oauth2/get_token",
    xoauth2_only: false,
});

// Servers shared by more than one entry.
const GOOGLE: &[Server] = &[
    imap("imap.gmail.com"),
    pop3("pop.gmail.com"),
    smtps("smtp.gmail.com"),
    submission("smtp.gmail.com"),
];
const MICROSOFT_365: &[Server] = &[
    imap("outlook.office365.com"),
    pop3("outlook.office365.com"),
    submission("smtp.office365.com"),
];
const ZOHO_COM_PRO: &[Server] = &[
    imap("imappro.zoho.com"),
    pop3("poppro.zoho.com"),
    smtps("smtppro.zoho.com"),
    submission("smtppro.zoho.com"),
];
const ZOHO_NOTES: &[&str] = &[
    "Turn on IMAP access in Zoho Mail's settings first.",
    "With two-factor authentication on, use an app-specific password.",
];
const ZOHO_HELP: &[&str] = &[
    "https://www.zoho.com/mail/help/imap-access.html",
    "https://www.zoho.com/mail/help/zoho-smtp.html",
];
const NETEASE_NOTES: &[&str] = &[
    "Turn on IMAP/SMTP in the mailbox settings; NetEase then issues an authorisation code, \
     which is the password mail programs use.",
];
const CUSTOM_DOMAIN_NOTE: &str =
    "Sign in with your whole email address on your own domain and the mailbox password.";

pub(super) static PROVIDERS: &[Provider] = &[
    // Global consumer providers.
    Provider {
        id: "gmail.com",
        name: "Gmail",
        domains: &["gmail.com", "googlemail.com"],
        servers: GOOGLE,
        auth: OAUTH_OR_APP,
        oauth2: GOOGLE_OAUTH2,
        quirks: GOOGLE_QUIRKS,
        apple_account_type: APPLE_GOOGLE,
        notes: &[
            "Gmail accepts OAuth2, or an app password once 2-Step Verification is on; the \
             normal Google password does not work in mail programs.",
        ],
        help: &[
            "https://support.google.com/mail/answer/7126229",
            "https://support.google.com/accounts/answer/185833",
        ],
        app_password_page: Some("https://support.google.com/accounts/answer/185833"),
        ..BASE
    },
    Provider {
        id: "workspace.google.com",
        name: "Google Workspace",
        servers: GOOGLE,
        auth: OAUTH_OR_APP,
        oauth2: GOOGLE_OAUTH2,
        quirks: GOOGLE_QUIRKS,
        apple_account_type: APPLE_GOOGLE,
        notes: &[
            "Google Workspace accepts OAuth2, or an app password once 2-Step Verification is \
             on; the administrator can turn IMAP and POP off for the organisation.",
        ],
        help: &[
            "https://support.google.com/mail/answer/7126229",
            "https://support.google.com/a/answer/105694",
            "https://support.google.com/accounts/answer/185833",
        ],
        mx: &["google.com", "googlemail.com"],
        app_password_page: Some("https://support.google.com/accounts/answer/185833"),
        ..BASE
    },
    Provider {
        id: "outlook.com",
        name: "Outlook.com",
        domains: &[
            "outlook.com",
            "hotmail.com",
            "live.com",
            "msn.com",
            "windowslive.com",
            "outlook.at",
            "outlook.be",
            "outlook.jp",
            "outlook.com.au",
            "outlook.com.br",
            "hotmail.ca",
            "hotmail.nl",
            "hotmail.se",
            "hotmail.co.jp",
            "hotmail.com.au",
            "hotmail.com.br",
            "live.ca",
            "live.com.au",
            "live.jp",
            "outlook.de",
            "outlook.fr",
            "outlook.es",
            "outlook.it",
            "hotmail.co.uk",
            "hotmail.de",
            "hotmail.fr",
            "hotmail.es",
            "hotmail.it",
            "live.co.uk",
            "live.de",
            "live.fr",
            "live.it",
            "live.nl",
        ],
        servers: &[
            imap("outlook.office365.com"),
            pop3("outlook.office365.com"),
            submission("smtp-mail.outlook.com"),
        ],
        auth: OAUTH_ONLY,
        oauth2: MICROSOFT_OAUTH2,
        apple_account_type: Some(AppleAccountType { macos: "Microsoft Exchange", ios: "Outlook.com" }),
        notes: &[
            "Outlook.com accepts only OAuth2 (modern authentication) in mail programs; plain \
             passwords stopped working in September 2024.",
            "Microsoft publishes no implicit-TLS port for sending: use STARTTLS on port 587.",
        ],
        help: &["https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040"],
        ..BASE
    },
    Provider {
        id: "microsoft365.com",
        name: "Microsoft 365",
        servers: MICROSOFT_365,
        auth: OAUTH_ONLY,
        oauth2: MICROSOFT_OAUTH2,
        apple_account_type: APPLE_EXCHANGE,
        notes: &[
            "Microsoft 365 requires OAuth2 for IMAP and POP; basic authentication for sending \
             is being retired, and the administrator must allow authenticated SMTP for the \
             mailbox.",
            "Microsoft publishes no implicit-TLS port for sending: use STARTTLS on port 587.",
        ],
        help: &[
            "https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/pop3-and-imap4/pop3-and-imap4",
            "https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission",
        ],
        mx: &["mail.protection.outlook.com"],
        ..BASE
    },
    Provider {
        id: "yahoo.com",
        name: "Yahoo Mail",
        domains: &[
            "yahoo.com",
            "ymail.com",
            "rocketmail.com",
            "yahoo.co.uk",
            "yahoo.fr",
            "yahoo.de",
            "yahoo.it",
            "yahoo.es",
            "yahoo.ca",
            "yahoo.com.au",
            "yahoo.co.in",
            "yahoo.com.br",
            "yahoo.com.mx",
            "yahoo.com.ar",
            "yahoo.co.nz",
            "yahoo.se",
            "myyahoo.com",
            "cox.net",
        ],
        servers: &[
            imap("imap.mail.yahoo.com"),
            pop3("pop.mail.yahoo.com"),
            smtps("smtp.mail.yahoo.com"),
            submission("smtp.mail.yahoo.com"),
        ],
        auth: OAUTH_OR_APP,
        oauth2: YAHOO_OAUTH2,
        apple_account_type: Some(AppleAccountType { macos: "Yahoo!", ios: "Yahoo!" }),
        notes: &[
            "Yahoo needs an app password (made in the account security settings) unless the \
             mail program signs in with OAuth2.",
            "Cox.net addresses are now hosted by Yahoo Mail and use the same settings.",
        ],
        help: &[
            "https://help.yahoo.com/kb/SLN4075.html",
            "https://help.yahoo.com/kb/SLN15241.html",
        ],
        app_password_page: Some("https://help.yahoo.com/kb/SLN15241.html"),
        ..BASE
    },
    Provider {
        id: "yahoo.co.jp",
        name: "Yahoo! JAPAN Mail",
        domains: &["yahoo.co.jp"],
        servers: &[
            imap("imap.mail.yahoo.co.jp").local_part(),
            pop3("pop.mail.yahoo.co.jp").local_part(),
            smtps("smtp.mail.yahoo.co.jp").local_part(),
        ],
        notes: &[
            "Turn on IMAP, POP and SMTP access in Yahoo! JAPAN Mail's settings first; the user \
             name is your Yahoo! JAPAN ID.",
        ],
        help: &["https://support.yahoo-net.jp/"],
        ..BASE
    },
    Provider {
        id: "aol.com",
        name: "AOL Mail",
        domains: &["aol.com", "aim.com", "aol.co.uk", "verizon.net"],
        servers: &[
            imap("imap.aol.com"),
            pop3("pop.aol.com"),
            smtps("smtp.aol.com"),
            submission("smtp.aol.com"),
        ],
        auth: OAUTH_OR_APP,
        oauth2: AOL_OAUTH2,
        apple_account_type: Some(AppleAccountType { macos: "AOL", ios: "AOL" }),
        notes: &[
            "AOL needs an app password, made in the account security settings, unless the mail \
             program signs in with OAuth2.",
            "Verizon.net addresses are hosted by AOL and use the same settings.",
        ],
        help: &["https://help.aol.com/articles/how-do-i-use-other-email-applications-to-send-and-receive-my-aol-mail"],
        ..BASE
    },
    Provider {
        id: "icloud.com",
        name: "iCloud Mail",
        domains: &["icloud.com", "me.com", "mac.com"],
        servers: &[
            imap("imap.mail.me.com")
                .local_part()
                .noted("The IMAP user name is usually the name part of your iCloud Mail address; if that fails, try the whole address."),
            submission("smtp.mail.me.com"),
        ],
        auth: APP_PASSWORD,
        notes: &[
            "iCloud Mail needs an app-specific password, made at account.apple.com.",
            "With a custom domain on iCloud+, sign in with your iCloud Mail account, not the \
             custom address.",
        ],
        help: &[
            "https://support.apple.com/en-us/102525",
            "https://support.apple.com/en-us/102654",
        ],
        mx: &["mail.icloud.com"],
        apple_account_type: Some(AppleAccountType { macos: "iCloud", ios: "iCloud" }),
        app_password_page: Some("https://support.apple.com/en-us/102654"),
        ..BASE
    },
    // Independent and privacy-focused providers.
    Provider {
        id: "fastmail.com",
        name: "Fastmail",
        domains: &["fastmail.com", "fastmail.fm"],
        servers: &[
            imap("imap.fastmail.com"),
            pop3("pop.fastmail.com"),
            smtps("smtp.fastmail.com"),
            submission("smtp.fastmail.com"),
        ],
        auth: OAUTH_OR_APP,
        notes: &["Fastmail needs an app password for mail programs that do not sign in with OAuth2."],
        help: &[
            "https://www.fastmail.help/hc/en-us/articles/1500000278342-Server-names-and-ports",
            "https://www.fastmail.help/hc/en-us/articles/360058752854-App-passwords",
        ],
        mx: &["messagingengine.com"],
        app_password_page: Some("https://www.fastmail.help/hc/en-us/articles/360058752854-App-passwords"),
        ..BASE
    },
    Provider {
        id: "proton.me",
        name: "Proton Mail",
        domains: &["proton.me", "protonmail.com", "protonmail.ch", "pm.me"],
        access: Access::LocalBridge,
        servers: &[
            server(Protocol::Imap, "127.0.0.1", 1143, Security::Starttls).noted(
                "This is Proton Mail Bridge on your own computer, not a server on the internet: \
                 Bridge listens on 127.0.0.1 port 1143 with STARTTLS and a certificate of its own, \
                 the one case where STARTTLS on localhost is expected.",
            ),
            server(Protocol::Submission, "127.0.0.1", 1025, Security::Starttls).noted(
                "This is Proton Mail Bridge on your own computer, not a server on the internet: \
                 Bridge listens on 127.0.0.1 port 1025 with STARTTLS, the one case where STARTTLS \
                 on localhost is expected.",
            ),
        ],
        auth: APP_PASSWORD,
        notes: &[
            "Proton Mail encrypts mail end to end, so mail programs reach it only through \
             Proton Mail Bridge (paid plans), installed on the same computer.",
            "Use the user name and the password that Bridge shows, not your Proton password.",
        ],
        help: &[
            "https://proton.me/mail/bridge",
            "https://proton.me/support/protonmail-bridge-install",
        ],
        mx: &["protonmail.ch"],
        ..BASE
    },
    Provider {
        id: "tuta.com",
        name: "Tuta (formerly Tutanota)",
        domains: &[
            "tuta.com",
            "tutanota.com",
            "tutanota.de",
            "tutamail.com",
            "tuta.io",
            "keemail.me",
        ],
        access: Access::ProviderAppsOnly,
        notes: &[
            "Tuta offers no IMAP, POP3 or SMTP: its end-to-end encryption works only in Tuta's \
             own apps and web mail, so no mail program can be set up for it.",
        ],
        help: &["https://tuta.com/support"],
        mx: &["mail.tutanota.de"],
        ..BASE
    },
    Provider {
        id: "hey.com",
        name: "HEY",
        domains: &["hey.com"],
        access: Access::ProviderAppsOnly,
        notes: &[
            "HEY offers no IMAP, POP3 or SMTP access: it works only in HEY's own apps and web \
             mail.",
        ],
        help: &["https://help.hey.com/"],
        ..BASE
    },
    Provider {
        id: "skiff.com",
        name: "Skiff Mail",
        domains: &["skiff.com"],
        access: Access::Closed,
        notes: &[
            "Skiff Mail shut down in 2024 after Skiff joined Notion; skiff.com addresses no \
             longer work, and it never offered IMAP or SMTP.",
        ],
        ..BASE
    },
    Provider {
        id: "zoho.com",
        name: "Zoho Mail (personal)",
        domains: &["zohomail.com", "zoho.com"],
        servers: &[
            imap("imap.zoho.com"),
            pop3("pop.zoho.com"),
            smtps("smtp.zoho.com"),
            submission("smtp.zoho.com"),
        ],
        auth: PASSWORD_OR_APP,
        notes: ZOHO_NOTES,
        help: ZOHO_HELP,
        ..BASE
    },
    Provider {
        id: "workplace.zoho.com",
        name: "Zoho Mail for organisations",
        servers: ZOHO_COM_PRO,
        auth: PASSWORD_OR_APP,
        notes: ZOHO_NOTES,
        help: ZOHO_HELP,
        mx: &["zoho.com"],
        ..BASE
    },
    Provider {
        id: "workplace.zoho.eu",
        name: "Zoho Mail for organisations (EU data centre)",
        servers: &[
            imap("imappro.zoho.eu"),
            pop3("poppro.zoho.eu"),
            smtps("smtppro.zoho.eu"),
            submission("smtppro.zoho.eu"),
        ],
        auth: PASSWORD_OR_APP,
        notes: ZOHO_NOTES,
        help: ZOHO_HELP,
        mx: &["zoho.eu"],
        ..BASE
    },
    Provider {
        id: "workplace.zoho.in",
        name: "Zoho Mail for organisations (India data centre)",
        servers: &[
            imap("imappro.zoho.in"),
            pop3("poppro.zoho.in"),
            smtps("smtppro.zoho.in"),
            submission("smtppro.zoho.in"),
        ],
        auth: PASSWORD_OR_APP,
        notes: ZOHO_NOTES,
        help: ZOHO_HELP,
        mx: &["zoho.in"],
        ..BASE
    },
    Provider {
        id: "workplace.zoho.com.au",
        name: "Zoho Mail for organisations (Australia data centre)",
        servers: &[
            imap("imappro.zoho.com.au"),
            pop3("poppro.zoho.com.au"),
            smtps("smtppro.zoho.com.au"),
            submission("smtppro.zoho.com.au"),
        ],
        auth: PASSWORD_OR_APP,
        notes: ZOHO_NOTES,
        help: ZOHO_HELP,
        mx: &["zoho.com.au"],
        ..BASE
    },
    Provider {
        id: "mailbox.org",
        name: "mailbox.org",
        domains: &["mailbox.org"],
        servers: &[
            imap("imap.mailbox.org"),
            smtps("smtp.mailbox.org"),
            submission("smtp.mailbox.org"),
        ],
        auth: PASSWORD_OR_APP,
        notes: &[
            "With two-factor authentication on, mail programs need an application password \
             instead of the mailbox password.",
        ],
        help: &["https://kb.mailbox.org/de/privat/e-mail/e-mail-konfiguration/"],
        mx: &["mailbox.org"],
        ..BASE
    },
    Provider {
        id: "posteo.de",
        name: "Posteo",
        domains: &[
            "posteo.de",
            "posteo.net",
            "posteo.org",
            "posteo.eu",
            "posteo.at",
            "posteo.ch",
            "posteo.be",
            "posteo.com",
            "posteo.us",
            "posteo.uk",
            "posteo.nl",
            "posteo.jp",
        ],
        servers: &all_on("posteo.de"),
        notes: &["Posteo does not host custom domains: only Posteo's own addresses."],
        help: &["https://posteo.de/hilfe/wie-richte-ich-posteo-in-einem-mailprogramm-ein-pop3-imap-und-smtp"],
        ..BASE
    },
    Provider {
        id: "runbox.com",
        name: "Runbox",
        domains: &["runbox.com"],
        servers: &all_on("mail.runbox.com"),
        help: &["https://help.runbox.com/"],
        ..BASE
    },
    Provider {
        id: "migadu.com",
        name: "Migadu",
        servers: &[
            imap("imap.migadu.com"),
            pop3("pop.migadu.com"),
            smtps("smtp.migadu.com"),
            submission("smtp.migadu.com"),
        ],
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://www.migadu.com/guides/imap/"],
        mx: &["migadu.com"],
        ..BASE
    },
    Provider {
        id: "purelymail.com",
        name: "Purelymail",
        servers: &[
            imap("imap.purelymail.com"),
            pop3("pop.purelymail.com"),
            smtps("smtp.purelymail.com"),
            submission("smtp.purelymail.com"),
        ],
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://purelymail.com/docs/"],
        mx: &["purelymail.com"],
        ..BASE
    },
    Provider {
        id: "disroot.org",
        name: "Disroot",
        domains: &["disroot.org"],
        servers: &all_on("disroot.org"),
        help: &["https://howto.disroot.org/"],
        ..BASE
    },
    Provider {
        id: "riseup.net",
        name: "Riseup",
        domains: &["riseup.net"],
        servers: &all_on("mail.riseup.net"),
        help: &["https://riseup.net/en/email/clients"],
        ..BASE
    },
    Provider {
        id: "mailfence.com",
        name: "Mailfence",
        domains: &["mailfence.com"],
        servers: &[
            imap("imap.mailfence.com"),
            pop3("pop.mailfence.com"),
            smtps("smtp.mailfence.com"),
        ],
        notes: &["Mailfence offers IMAP, POP3 and SMTP on paid plans only."],
        help: &["https://kb.mailfence.com/"],
        ..BASE
    },
    Provider {
        id: "startmail.com",
        name: "StartMail",
        domains: &["startmail.com"],
        servers: &[imap("imap.startmail.com"), smtps("smtp.startmail.com")],
        help: &["https://support.startmail.com/"],
        ..BASE
    },
    Provider {
        id: "kolabnow.com",
        name: "Kolab Now",
        domains: &["kolabnow.com", "mykolab.com"],
        servers: &[
            imap("imap.kolabnow.com"),
            smtps("smtp.kolabnow.com"),
            submission("smtp.kolabnow.com"),
        ],
        help: &["https://kb.kolabnow.com/"],
        ..BASE
    },
    Provider {
        id: "infomaniak.com",
        name: "Infomaniak Mail",
        domains: &["ik.me", "ikmail.com", "etik.com"],
        servers: &all_on("mail.infomaniak.com"),
        help: &["https://www.infomaniak.com/en/support"],
        mx: &["infomaniak.ch"],
        ..BASE
    },
    // German-speaking countries.
    Provider {
        id: "gmx.net",
        name: "GMX (Germany, Austria, Switzerland)",
        domains: &["gmx.net", "gmx.de", "gmx.at", "gmx.ch", "gmx.eu", "gmx.org", "gmx.info", "gmx.biz"],
        servers: &[
            imap("imap.gmx.net"),
            pop3("pop.gmx.net"),
            smtps("mail.gmx.net"),
            submission("mail.gmx.net"),
        ],
        quirks: enable(
            "Turn on POP3/IMAP access in GMX's settings before using a mail program.",
            "https://hilfe.gmx.net/pop-imap/einschalten.html",
        ),
        help: &[
            "https://hilfe.gmx.net/pop-imap/imap/imap-serverdaten.html",
            "https://hilfe.gmx.net/pop-imap/einschalten.html",
        ],
        ..BASE
    },
    Provider {
        id: "gmx.com",
        name: "GMX (international)",
        domains: &["gmx.com", "gmx.us", "gmx.co.uk", "gmx.fr", "gmx.es"],
        servers: &[
            imap("imap.gmx.com"),
            pop3("pop.gmx.com"),
            smtps("mail.gmx.com"),
            submission("mail.gmx.com"),
        ],
        quirks: enable(
            "Turn on POP3/IMAP access in GMX's settings before using a mail program.",
            "https://support.gmx.com/",
        ),
        help: &["https://support.gmx.com/"],
        ..BASE
    },
    Provider {
        id: "web.de",
        name: "WEB.DE",
        domains: &["web.de"],
        servers: &[
            imap("imap.web.de").local_part(),
            pop3("pop3.web.de").local_part(),
            smtps("smtp.web.de").local_part(),
            submission("smtp.web.de").local_part(),
        ],
        notes: &["The user name is the part of the address before @web.de."],
        quirks: enable(
            "Turn on POP3/IMAP access in WEB.DE's settings before using a mail program.",
            "https://hilfe.web.de/pop-imap/einschalten.html",
        ),
        help: &[
            "https://hilfe.web.de/pop-imap/imap/imap-serverdaten.html",
            "https://hilfe.web.de/pop-imap/einschalten.html",
        ],
        ..BASE
    },
    Provider {
        id: "mail.com",
        name: "mail.com",
        domains: &[
            "mail.com",
            "email.com",
            "usa.com",
            "post.com",
            "accountant.com",
            "consultant.com",
            "dr.com",
            "engineer.com",
            "europe.com",
            "myself.com",
            "writeme.com",
        ],
        servers: &[
            imap("imap.mail.com"),
            pop3("pop.mail.com"),
            smtps("smtp.mail.com"),
            submission("smtp.mail.com"),
        ],
        quirks: enable(
            "Turn on POP3/IMAP access in mail.com's settings before using a mail program.",
            "https://support.mail.com/",
        ),
        help: &["https://support.mail.com/"],
        ..BASE
    },
    Provider {
        id: "t-online.de",
        name: "Telekom Mail (T-Online)",
        domains: &["t-online.de", "magenta.de"],
        servers: &[
            imap("secureimap.t-online.de"),
            pop3("securepop.t-online.de"),
            smtps("securesmtp.t-online.de"),
            submission("securesmtp.t-online.de"),
        ],
        auth: APP_PASSWORD,
        notes: &[
            "Mail programs need the separate e-mail password (E-Mail-Passwort) set in the \
             Telekom customer centre, not the Telekom login password.",
        ],
        help: &[
            "https://www.telekom.de/hilfe/apps-dienste/e-mail/einstellungen/posteingang-postausgang-server",
            "https://www.telekom.de/hilfe/apps-dienste/e-mail/programme/passwort-verwalten",
        ],
        ..BASE
    },
    Provider {
        id: "freenet.de",
        name: "freenet Mail",
        domains: &["freenet.de"],
        servers: &[
            imap("mx.freenet.de"),
            smtps("mx.freenet.de"),
            submission("mx.freenet.de"),
        ],
        notes: &["Turn on access for mail programs (IMAP/POP3) in freenet Mail's settings first."],
        help: &["https://kundenservice.freenet.de/faq/e-mail-client-mail/einstellungen-serverdaten-fuer-alle-e-mail-programme/"],
        ..BASE
    },
    Provider {
        id: "ionos.de",
        name: "IONOS (Germany)",
        servers: &[
            imap("imap.ionos.de"),
            pop3("pop.ionos.de"),
            smtps("smtp.ionos.de"),
            submission("smtp.ionos.de"),
        ],
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://www.ionos.de/hilfe/"],
        mx: &["ionos.de", "kundenserver.de", "schlund.de"],
        ..BASE
    },
    Provider {
        id: "ionos.com",
        name: "IONOS (United States)",
        servers: &[
            imap("imap.ionos.com"),
            pop3("pop.ionos.com"),
            smtps("smtp.ionos.com"),
            submission("smtp.ionos.com"),
        ],
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://www.ionos.com/help/"],
        mx: &["ionos.com", "1and1.com"],
        ..BASE
    },
    Provider {
        id: "ionos.co.uk",
        name: "IONOS (United Kingdom)",
        servers: &[
            imap("imap.ionos.co.uk"),
            pop3("pop.ionos.co.uk"),
            smtps("smtp.ionos.co.uk"),
            submission("smtp.ionos.co.uk"),
        ],
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://www.ionos.co.uk/help/"],
        mx: &["ionos.co.uk", "1and1.co.uk"],
        ..BASE
    },
    Provider {
        id: "strato.de",
        name: "STRATO",
        servers: &[
            imap("imap.strato.de"),
            pop3("pop3.strato.de"),
            smtps("smtp.strato.de"),
            submission("smtp.strato.de"),
        ],
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://www.strato.de/faq/"],
        mx: &["rzone.de"],
        ..BASE
    },
    Provider {
        id: "hetzner.com",
        name: "Hetzner web hosting (konsoleH)",
        servers: &[imap("mail.your-server.de"), smtps("mail.your-server.de")],
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://docs.hetzner.com/konsoleh/"],
        mx: &["your-server.de"],
        ..BASE
    },
    Provider {
        id: "bluewin.ch",
        name: "Swisscom bluewin",
        domains: &["bluewin.ch", "bluemail.ch"],
        servers: &[
            imap("imaps.bluewin.ch"),
            pop3("pop3s.bluewin.ch"),
            smtps("smtpauths.bluewin.ch"),
        ],
        help: &["https://www.swisscom.ch/en/residential/help.html"],
        ..BASE
    },
    // Hosting companies for custom domains.
    Provider {
        id: "ovhcloud.com",
        name: "OVHcloud (MX Plan)",
        servers: &all_on("ssl0.ovh.net"),
        notes: &[
            CUSTOM_DOMAIN_NOTE,
            "These are the MX Plan settings; OVHcloud Email Pro and Exchange use other servers.",
        ],
        help: &["https://help.ovhcloud.com/"],
        mx: &["mail.ovh.net"],
        ..BASE
    },
    Provider {
        id: "gandi.net",
        name: "Gandi Mail",
        servers: &all_on("mail.gandi.net"),
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://docs.gandi.net/en/gandimail/"],
        mx: &["mail.gandi.net"],
        ..BASE
    },
    Provider {
        id: "hostinger.com",
        name: "Hostinger Email",
        servers: &[
            imap("imap.hostinger.com"),
            pop3("pop.hostinger.com"),
            smtps("smtp.hostinger.com"),
        ],
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://support.hostinger.com/"],
        mx: &["hostinger.com"],
        ..BASE
    },
    Provider {
        id: "privateemail.com",
        name: "Namecheap Private Email",
        servers: &all_on("mail.privateemail.com"),
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://www.namecheap.com/support/knowledgebase/"],
        mx: &["privateemail.com"],
        ..BASE
    },
    Provider {
        id: "secureserver.net",
        name: "GoDaddy Workspace Email",
        servers: &[
            imap("imap.secureserver.net"),
            pop3("pop.secureserver.net"),
            smtps("smtpout.secureserver.net"),
        ],
        notes: &[
            CUSTOM_DOMAIN_NOTE,
            "These are the settings of GoDaddy's older Workspace Email. GoDaddy now sells \
             Microsoft 365 mailboxes; for those the MX points at Microsoft 365 and its \
             settings apply.",
        ],
        help: &["https://www.godaddy.com/help"],
        mx: &["secureserver.net"],
        ..BASE
    },
    Provider {
        id: "emailsrvr.com",
        name: "Rackspace Email",
        servers: &[
            imap("secure.emailsrvr.com"),
            pop3("secure.emailsrvr.com"),
            smtps("secure.emailsrvr.com"),
        ],
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://docs.rackspace.com/"],
        mx: &["emailsrvr.com"],
        ..BASE
    },
    Provider {
        id: "titan.email",
        name: "Titan Email",
        servers: &[imap("imap.titan.email"), smtps("smtp.titan.email")],
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://support.titan.email/"],
        mx: &["titan.email"],
        ..BASE
    },
    Provider {
        id: "aruba.it",
        name: "Aruba",
        servers: &[
            imap("imaps.aruba.it"),
            pop3("pop3s.aruba.it"),
            smtps("smtps.aruba.it"),
        ],
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://guide.hosting.aruba.it/"],
        mx: &["aruba.it"],
        ..BASE
    },
    Provider {
        id: "yandex.com",
        name: "Yandex Mail and Yandex 360",
        domains: &["yandex.ru", "yandex.com", "ya.ru", "yandex.by", "yandex.kz"],
        servers: &[
            imap("imap.yandex.com"),
            pop3("pop.yandex.com"),
            smtps("smtp.yandex.com"),
        ],
        auth: OAUTH_OR_APP,
        oauth2: YANDEX_OAUTH2,
        notes: &[
            "Turn on access by mail programs in Yandex Mail's settings, and use an app password \
             unless the program signs in with OAuth2.",
        ],
        help: &["https://yandex.com/support/mail/"],
        mx: &["yandex.net", "yandex.ru"],
        ..BASE
    },
    // Russia and Ukraine.
    Provider {
        id: "mail.ru",
        name: "Mail.ru",
        domains: &["mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru"],
        servers: &[
            imap("imap.mail.ru"),
            pop3("pop.mail.ru"),
            smtps("smtp.mail.ru"),
            submission("smtp.mail.ru"),
        ],
        auth: OAUTH_OR_APP,
        oauth2: MAILRU_OAUTH2,
        notes: &["Mail.ru needs a password for external applications, made in the account security settings."],
        help: &["https://help.mail.ru/mail/"],
        ..BASE
    },
    Provider {
        id: "rambler.ru",
        name: "Rambler Mail",
        domains: &["rambler.ru", "lenta.ru", "autorambler.ru", "myrambler.ru", "ro.ru"],
        servers: &[
            imap("imap.rambler.ru"),
            pop3("pop.rambler.ru"),
            smtps("smtp.rambler.ru"),
        ],
        notes: &["Turn on access for mail programs in Rambler Mail's settings first."],
        help: &["https://help.rambler.ru/"],
        ..BASE
    },
    Provider {
        id: "ukr.net",
        name: "UKR.NET",
        domains: &["ukr.net"],
        servers: &[imap("imap.ukr.net"), smtps("smtp.ukr.net")],
        auth: APP_PASSWORD,
        notes: &[
            "Turn on IMAP in UKR.NET's settings and use a password made there for external \
             programs.",
        ],
        help: &["https://mail.ukr.net/"],
        ..BASE
    },
    // North America.
    Provider {
        id: "comcast.net",
        name: "Xfinity Connect (Comcast)",
        domains: &["comcast.net"],
        servers: &[
            imap("imap.comcast.net"),
            pop3("mail.comcast.net"),
            smtps("smtp.comcast.net"),
            submission("smtp.comcast.net"),
        ],
        auth: &[Oauth2, PasswordCleartext],
        notes: &["Turn on third-party access to Xfinity email in the Xfinity account settings first."],
        help: &["https://www.xfinity.com/support/articles/third-party-email-access"],
        ..BASE
    },
    Provider {
        id: "att.net",
        name: "AT&T Mail",
        domains: &[
            "att.net",
            "sbcglobal.net",
            "bellsouth.net",
            "pacbell.net",
            "swbell.net",
            "flash.net",
            "prodigy.net",
            "ameritech.net",
            "snet.net",
            "wans.net",
            "nvbell.net",
        ],
        servers: &[
            imap("imap.mail.att.net"),
            pop3("inbound.att.net"),
            smtps("smtp.mail.att.net"),
        ],
        auth: OAUTH_OR_APP,
        notes: &[
            "AT&T needs a secure mail key (an app password) made in the AT&T account settings, \
             unless the mail program signs in with OAuth2.",
        ],
        help: &["https://www.att.com/support/article/email-support/KM1010523/"],
        ..BASE
    },
    Provider {
        id: "earthlink.net",
        name: "EarthLink",
        domains: &["earthlink.net", "mindspring.com", "peoplepc.com"],
        servers: &[
            imap("imap.earthlink.net"),
            pop3("pop.earthlink.net"),
            submission("smtpauth.earthlink.net"),
        ],
        help: &["https://help.earthlink.net/portal/en/kb/articles/email-server-settings"],
        ..BASE
    },
    Provider {
        id: "optimum.net",
        name: "Optimum",
        domains: &["optimum.net", "optonline.net"],
        servers: &[
            imap("mail.optimum.net"),
            pop3("mail.optimum.net"),
            smtps("mail.optimum.net"),
        ],
        help: &["https://www.optimum.net/support/"],
        ..BASE
    },
    // France and Italy.
    Provider {
        id: "orange.fr",
        name: "Orange Mail",
        domains: &["orange.fr", "wanadoo.fr"],
        servers: &[imap("imap.orange.fr"), pop3("pop.orange.fr"), smtps("smtp.orange.fr")],
        help: &["https://assistance.orange.fr/"],
        ..BASE
    },
    Provider {
        id: "free.fr",
        name: "Free",
        domains: &["free.fr"],
        servers: &[
            imap("imap.free.fr").local_part(),
            pop3("pop.free.fr").local_part(),
            smtps("smtp.free.fr").local_part(),
        ],
        notes: &["The user name is your Free login, the part of the address before @free.fr."],
        help: &["https://assistance.free.fr/articles/configurer-de-maniere-avancee-mon-logiciel-de-messagerie-609"],
        ..BASE
    },
    Provider {
        id: "sfr.fr",
        name: "SFR Mail",
        domains: &["sfr.fr", "neuf.fr", "club-internet.fr", "cegetel.net", "9online.fr"],
        servers: &[imap("imap.sfr.fr"), pop3("pop.sfr.fr"), smtps("smtp.sfr.fr")],
        help: &["https://assistance.sfr.fr/"],
        ..BASE
    },
    Provider {
        id: "libero.it",
        name: "Libero Mail",
        domains: &["libero.it", "inwind.it", "iol.it", "blu.it", "giallo.it"],
        servers: &[
            imap("imapmail.libero.it"),
            pop3("popmail.libero.it"),
            smtps("smtp.libero.it"),
        ],
        help: &["https://aiuto.libero.it/"],
        ..BASE
    },
    Provider {
        id: "virgilio.it",
        name: "Virgilio Mail",
        domains: &["virgilio.it"],
        servers: &[imap("in.virgilio.it"), pop3("in.virgilio.it"), smtps("out.virgilio.it")],
        help: &["https://aiuto.virgilio.it/"],
        ..BASE
    },
    // Central Europe.
    Provider {
        id: "seznam.cz",
        name: "Seznam Email",
        domains: &["seznam.cz", "email.cz", "post.cz", "spoluzaci.cz"],
        servers: &[
            imap("imap.seznam.cz"),
            pop3("pop3.seznam.cz"),
            smtps("smtp.seznam.cz"),
        ],
        help: &["https://napoveda.seznam.cz/"],
        ..BASE
    },
    Provider {
        id: "interia.pl",
        name: "Poczta Interia",
        domains: &["interia.pl", "interia.eu", "poczta.fm"],
        servers: &[
            imap("poczta.interia.pl"),
            pop3("poczta.interia.pl"),
            smtps("poczta.interia.pl"),
        ],
        notes: &["Turn on access by mail programs in Poczta Interia's settings first."],
        help: &["https://pomoc.poczta.interia.pl/"],
        ..BASE
    },
    Provider {
        id: "wp.pl",
        name: "Poczta WP",
        domains: &["wp.pl"],
        servers: &[imap("imap.wp.pl"), pop3("pop3.wp.pl"), smtps("smtp.wp.pl")],
        notes: &["Turn on IMAP/POP3 access in Poczta WP's settings first."],
        help: &["https://pomoc.wp.pl/"],
        ..BASE
    },
    Provider {
        id: "onet.pl",
        name: "Poczta Onet",
        domains: &["onet.pl", "op.pl", "vp.pl", "onet.eu", "poczta.onet.pl"],
        servers: &[
            imap("imap.poczta.onet.pl"),
            pop3("pop3.poczta.onet.pl"),
            smtps("smtp.poczta.onet.pl"),
        ],
        help: &["https://pomoc.onet.pl/"],
        ..BASE
    },
    Provider {
        id: "o2.pl",
        name: "Poczta o2",
        domains: &["o2.pl", "tlen.pl", "go2.pl", "prokonto.pl"],
        servers: &[
            imap("poczta.o2.pl").local_part(),
            pop3("poczta.o2.pl").local_part(),
            smtps("poczta.o2.pl").local_part(),
            submission("poczta.o2.pl").local_part(),
        ],
        notes: &[
            "Turn on access for mail programs in Poczta o2's settings first; the user name is \
             the part of the address before the @.",
        ],
        help: &[
            "https://pomoc.o2.pl/jak-skonfigurowac-program-pocztowy",
            "https://pomoc.o2.pl/aktywacja-dostepu-dla-programow-pocztowych",
        ],
        ..BASE
    },
    // United Kingdom and Australia.
    Provider {
        id: "btinternet.com",
        name: "BT Email",
        domains: &["btinternet.com", "btopenworld.com", "talk21.com"],
        servers: &[
            imap("mail.btinternet.com"),
            pop3("mail.btinternet.com"),
            smtps("mail.btinternet.com"),
        ],
        help: &["https://www.bt.com/help"],
        ..BASE
    },
    Provider {
        id: "sky.com",
        name: "Sky Mail",
        domains: &["sky.com"],
        servers: &[imap("imap.tools.sky.com"), smtps("smtp.tools.sky.com")],
        help: &["https://www.sky.com/help"],
        ..BASE
    },
    Provider {
        id: "virginmedia.com",
        name: "Virgin Media Mail",
        domains: &["virginmedia.com", "virgin.net"],
        servers: &[
            imap("imap.virginmedia.com"),
            pop3("pop3.virginmedia.com"),
            smtps("smtp.virginmedia.com"),
        ],
        help: &["https://www.virginmedia.com/help"],
        ..BASE
    },
    Provider {
        id: "ntlworld.com",
        name: "Virgin Media Mail (ntlworld.com)",
        domains: &["ntlworld.com"],
        servers: &[
            imap("imap.ntlworld.com"),
            pop3("pop3.ntlworld.com"),
            smtps("smtp.ntlworld.com"),
        ],
        help: &["https://www.virginmedia.com/help"],
        ..BASE
    },
    Provider {
        id: "blueyonder.co.uk",
        name: "Virgin Media Mail (blueyonder.co.uk)",
        domains: &["blueyonder.co.uk"],
        servers: &[
            imap("imap4.blueyonder.co.uk"),
            pop3("pop3.blueyonder.co.uk"),
            smtps("smtp.blueyonder.co.uk"),
        ],
        help: &["https://www.virginmedia.com/help"],
        ..BASE
    },
    Provider {
        id: "telstra.com",
        name: "Telstra Mail (BigPond)",
        domains: &["bigpond.com", "bigpond.net.au", "bigpond.net", "telstra.com"],
        servers: &[
            imap("imap.telstra.com"),
            pop3("pop.telstra.com"),
            smtps("smtp.telstra.com"),
        ],
        help: &["https://www.telstra.com.au/support/category/email/telstra-mail/recommended-email-settings-for-telstra-mail"],
        ..BASE
    },
    // East Asia.
    Provider {
        id: "qq.com",
        name: "QQ Mail",
        domains: &["qq.com", "vip.qq.com", "foxmail.com"],
        servers: &[
            imap("imap.qq.com"),
            pop3("pop.qq.com"),
            smtps("smtp.qq.com"),
            submission("smtp.qq.com"),
        ],
        auth: APP_PASSWORD,
        notes: &[
            "Turn on IMAP/SMTP in QQ Mail's settings; QQ Mail then issues an authorisation \
             code, which is the password mail programs use.",
        ],
        help: &["https://service.mail.qq.com/"],
        ..BASE
    },
    Provider {
        id: "exmail.qq.com",
        name: "Tencent Exmail (WeCom mail)",
        servers: &[
            imap("imap.exmail.qq.com"),
            pop3("pop.exmail.qq.com"),
            smtps("smtp.exmail.qq.com"),
        ],
        notes: &[CUSTOM_DOMAIN_NOTE],
        help: &["https://exmail.qq.com/"],
        mx: &["mxbiz1.qq.com", "mxbiz2.qq.com"],
        ..BASE
    },
    Provider {
        id: "163.com",
        name: "NetEase 163 Mail",
        domains: &["163.com"],
        servers: &[imap("imap.163.com"), pop3("pop.163.com"), smtps("smtp.163.com")],
        auth: APP_PASSWORD,
        notes: NETEASE_NOTES,
        help: &["https://help.mail.163.com/"],
        ..BASE
    },
    Provider {
        id: "126.com",
        name: "NetEase 126 Mail",
        domains: &["126.com"],
        servers: &[imap("imap.126.com"), pop3("pop.126.com"), smtps("smtp.126.com")],
        auth: APP_PASSWORD,
        notes: NETEASE_NOTES,
        help: &["https://help.mail.163.com/"],
        ..BASE
    },
    Provider {
        id: "yeah.net",
        name: "NetEase yeah.net Mail",
        domains: &["yeah.net"],
        servers: &[imap("imap.yeah.net"), pop3("pop.yeah.net"), smtps("smtp.yeah.net")],
        auth: APP_PASSWORD,
        notes: NETEASE_NOTES,
        help: &["https://help.mail.163.com/"],
        ..BASE
    },
    Provider {
        id: "sina.com",
        name: "Sina Mail",
        domains: &["sina.com"],
        servers: &[imap("imap.sina.com"), pop3("pop.sina.com"), smtps("smtp.sina.com")],
        notes: &["Turn on IMAP/SMTP in Sina Mail's settings first."],
        help: &["https://mail.sina.com.cn/"],
        ..BASE
    },
    Provider {
        id: "naver.com",
        name: "Naver Mail",
        domains: &["naver.com"],
        servers: &[
            imap("imap.naver.com"),
            pop3("pop.naver.com"),
            smtps("smtp.naver.com"),
        ],
        auth: PASSWORD_OR_APP,
        notes: &[
            "Turn on IMAP/SMTP in Naver Mail's settings; accounts with two-step verification \
             need an application-specific password.",
        ],
        help: &["https://help.naver.com/service/30029/contents/21342?osType=PC&lang=ko"],
        ..BASE
    },
    Provider {
        id: "daum.net",
        name: "Daum Mail",
        domains: &["daum.net", "hanmail.net"],
        servers: &[
            imap("imap.daum.net"),
            smtps("smtp.daum.net"),
        ],
        auth: PASSWORD_OR_APP,
        notes: &[
            "Turn on IMAP in Daum Mail's settings; Kakao accounts with two-step verification \
             need an app password.",
        ],
        help: &["https://cs.daum.net/"],
        ..BASE
    },
    Provider {
        id: "kakao.com",
        name: "Kakao Mail",
        domains: &["kakao.com"],
        servers: &[
            imap("imap.kakao.com").local_part(),
            smtps("smtp.kakao.com").local_part(),
        ],
        auth: PASSWORD_OR_APP,
        notes: &[
            "Turn on IMAP/SMTP in Kakao Mail's settings first; the user name is your Kakao Mail \
             ID, the part before @kakao.com, and accounts with two-step verification need an \
             app password.",
        ],
        help: &["https://cs.kakao.com/"],
        ..BASE
    },
];
