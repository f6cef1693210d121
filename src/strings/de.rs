//! Every user-facing text of the page, in German; the same items as `en.rs`.

use portolan_core::model::{AuthMethod, Source, Trust};

pub const APP_TITLE: &str = "Portolan";
pub const APP_TAGLINE: &str = "Finden Sie die richtigen Einstellungen für Ihre Mail-App.";
pub const ADDRESS_LABEL: &str = "Ihre E-Mail-Adresse oder Domain";
pub const ADDRESS_PLACEHOLDER: &str = "name@example.com";
pub const ADDRESS_HINT: &str = "Zum Beispiel alice@example.com oder nur example.com.";
pub const CONTINUE_BUTTON: &str = "Einstellungen finden";
pub const PRIVACY_LINE: &str = "Ihre Adresse verlässt diesen Browser nie. Abgefragt werden nur Domainnamen, über den DNS-over-HTTPS-Resolver Ihrer Wahl.";
pub const FOOTER_SOURCE: &str = "Portolan läuft vollständig in Ihrem Browser.";
/// The label of the language menu.
pub const LANGUAGE_LABEL: &str = "Sprache";

pub const CLIENT_HEADING: &str = "Welche Mail-App verwenden Sie?";
pub const CLIENT_SEARCH_LABEL: &str = "Mail-Apps durchsuchen";
pub const CLIENT_SEARCH_PLACEHOLDER: &str = "Thunderbird, iPhone, neomutt…";
pub const CLIENT_OTHER_GROUP: &str = "Andere";
pub const CLIENT_OTHER: &str = "Andere / nicht aufgeführt (allgemeine Einstellungen)";
pub const CLIENT_SUGGESTED: &str = "für dieses Gerät vorgeschlagen";
pub const CLIENT_CONTINUE: &str = "Meine Einstellungen anzeigen";
pub const CLIENT_NONE_MATCH: &str =
    "Keine Mail-App passt zu dieser Suche. Wählen Sie „Andere / nicht aufgeführt“ für allgemeine Einstellungen.";
pub const STEPS_LABEL: &str = "Schritte";
pub const BACK_TO_ADDRESS: &str = "Adresse ändern";
pub const BACK_TO_CLIENT: &str = "Mail-App ändern";
pub const RESULT_CLIENT_LABEL: &str = "Einstellungen für";

pub const PROGRESS_LOOKING_UP: &str = "Die Mailserver werden abgefragt…";
pub const PROGRESS_SLOW: &str = "Der DNS-Resolver antwortet langsam. Portolan wartet noch einen Moment. Antwortet er nicht, erhalten Sie die Einstellungen aus Portolans Anbieterliste und aus Vermutungen.";
pub const RESULT_INCOMING: &str = "Posteingang";
pub const RESULT_OUTGOING: &str = "Postausgang (SMTP)";
pub const COL_SERVER: &str = "Server";
pub const COL_PORT: &str = "Port";
pub const COL_SECURITY: &str = "Sicherheit";
pub const COL_USERNAME: &str = "Benutzername";
pub const COL_AUTH: &str = "Authentifizierung";
pub const COL_PROTOCOL: &str = "Protokoll";
pub const COL_SOURCE: &str = "Gefunden in";
pub const COL_GRADE: &str = "Note";
pub const COPY: &str = "Kopieren";
pub const COPIED: &str = "Kopiert";
pub const WHY_HEADING: &str = "Warum diese Einstellungen";
pub const ALTERNATIVES_HEADING: &str = "Alternativen";
pub const REFUSED_HEADING: &str = "Nicht empfohlen";
pub const WARNINGS_HEADING: &str = "Bevor Sie beginnen";
pub const INSTRUCTIONS_HEADING: &str = "Schritt für Schritt";
pub const DOWNLOADS_HEADING: &str = "Dateien und Textbausteine";
pub const NO_SERVER: &str = "Dafür wurde kein nutzbarer Server gefunden. Prüfen Sie die Adresse, oder fragen Sie Ihren Anbieter nach seinen IMAP- und SMTP-Einstellungen.";
pub const OFFLINE_NOTE: &str = "Abfragen sind ausgeschaltet: Diese Einstellungen stammen nur aus Portolans eingebauter Anbieterliste und aus begründeten Vermutungen.";
pub const RESOLVER_FAILED: &str = "Der DNS-Resolver war nicht erreichbar (oder hat nicht rechtzeitig geantwortet). Die Einstellungen unten stammen aus dem, was noch funktioniert: der eingebauten Anbieterliste und Vermutungen. Versuchen Sie in den Einstellungen einen anderen Resolver.";
pub const GUESS_WARNING: &str = "Einige Einstellungen sind Vermutungen anhand üblicher Servernamen und unbestätigt. Lassen Sie sie durch eine Live-Prüfung oder von Ihrem Anbieter bestätigen.";
pub const STARTTLS_WARNING: &str = "Dieser Server bietet nur STARTTLS: Die Verbindung beginnt unverschlüsselt und wird dann umgestellt. Das ist vertretbar, aber implizites TLS ist sicherer, wenn Ihr Anbieter es anbietet.";
pub const CONFIRM_WARNING: &str = "Der Name des Servers liegt außerhalb Ihrer Domain. Bevor Sie ihm vertrauen, lassen Sie sich von Ihrem Anbieter bestätigen, dass er wirklich für Ihre E-Mails zuständig ist (RFC 7817).";
pub const OAUTH_WARNING: &str = "Dieser Anbieter verlangt eine Anmeldung per OAuth2 (beim Hinzufügen des Kontos öffnet sich ein Browserfenster) oder ein App-Passwort. Ihr normales Passwort funktioniert möglicherweise nicht.";
pub const APP_PASSWORD_WARNING: &str = "Dieser Anbieter verlangt ein App-Passwort: Erstellen Sie eines in den Sicherheitseinstellungen Ihres Kontos, und verwenden Sie es statt Ihres normalen Passworts.";

pub const LOOKUPS_HEADING: &str = "Was abgefragt wurde";
pub const SERVICES_HEADING: &str = "Ihr Konto bietet außerdem";
pub const COL_NAME: &str = "Name";
pub const COL_TYPE: &str = "Typ";
pub const COL_RESULT: &str = "Ergebnis";
pub const COL_TIME: &str = "Zeit";
pub const PUBLISHED_BLOCKED: &str =
    "der Browser konnte es nicht lesen: Der Server erlaubt es nicht (CORS) oder ist nicht erreichbar";
pub const ISPDB_BLOCKED: &str = "der Browser konnte den ISP-Datenbankdienst von Thunderbird \
     nicht lesen: Er erlaubt keine ursprungsübergreifenden Lesezugriffe von anderen Websites \
     (CORS), oder er ist nicht erreichbar; das Kommandozeilenwerkzeug fragt ihn ohne diese \
     Einschränkung ab";
pub const SETTINGS_HEADING: &str = "Einstellungen";
pub const RESOLVER_LEGEND: &str = "DNS-over-HTTPS-Resolver";
pub const RESOLVER_CLOUDFLARE: &str = "Cloudflare";
pub const RESOLVER_GOOGLE: &str = "Google";
pub const RESOLVER_QUAD9: &str = "Quad9";
pub const RESOLVER_COMPARED: &str = "Cloudflare, abgeglichen mit Quad9 (eine zweite Meinung)";
pub const RESOLVER_CUSTOM: &str = "Eigene URL";
pub const RESOLVER_OFF: &str = "Aus (offline: nur eingebaute Liste und Vermutungen)";
pub const RESOLVER_CUSTOM_LABEL: &str = "Resolver-URL";
pub const RESOLVER_URL_PLACEHOLDER: &str = "https://dns.example/dns-query";
pub const RESOLVER_SAVE: &str = "Diesen Resolver verwenden";
pub const RESOLVER_URL_SCHEME: &str =
    "Die Resolver-URL muss mit https:// beginnen (einfaches http nur für einen Resolver auf diesem Computer).";
pub const RESOLVER_URL_SPACES: &str = "Die Resolver-URL darf keine Leerzeichen enthalten.";
pub const RESOLVER_NOTE: &str = "Ihre Wahl wird nur in diesem Browser gespeichert.";

pub const DOMAIN_FOUND: &str = "Domain: {unicode}";

pub const DOMAIN_ASCII_FORM: &str = "(im DNS: {ascii})";

/// When the engine worker could not start or failed: what happened and what to do.
pub fn engine_failed(detail: &str) -> String {
    format!(
        "Portolan konnte seine Abfrage-Engine nicht starten ({detail}). Laden Sie die Seite neu, \
         um es noch einmal zu versuchen; Ihre Eingabe bleibt im Feld erhalten."
    )
}

pub const RESULT_HEADING_IN: &str = "Einstellungen für {who} in {client}";
pub const RESULT_HEADING_FOR: &str = "Einstellungen für {who}";

pub const LOOKUP_TIME: &str = "Gefunden in {milliseconds} ms.";

pub const SECURITY_TLS: &str = "SSL/TLS (implizites TLS)";
pub const SECURITY_STARTTLS: &str = "STARTTLS";
pub const SECURITY_PLAIN: &str = "Keine (abgelehnt)";

pub const GRADE_BEST: &str = "Beste Wahl";
pub const GRADE_GOOD: &str = "Empfohlen";
pub const GRADE_FALLBACK: &str = "Ausweichlösung";
pub const GRADE_UNUSABLE: &str = "Hier nicht nutzbar";
pub const GRADE_REFUSED: &str = "Abgelehnt";

pub fn source(source: Source) -> &'static str {
    match source {
        Source::Preset => "der Voreinstellung Ihres Anbieters",
        Source::Srv => "den DNS-SRV-Einträgen der Domain",
        Source::Pacc => "dem PACC-Dokument der Domain",
        Source::Autoconfig => "der Autoconfig-Datei der Domain",
        Source::Autodiscover => "der Autodiscover-Antwort der Domain",
        Source::WellKnown => "einer bekannten Standardadresse der Domain",
        Source::KnowledgeBase => "Portolans Anbieterliste",
        Source::Mx => "den MX-Einträgen der Domain und Portolans Anbieterliste",
        Source::Guess => "einer Vermutung (unbestätigt)",
    }
}

pub fn trust(trust: Trust) -> &'static str {
    match trust {
        Trust::DnssecValidated => "DNSSEC-validiert",
        Trust::SameDomain => "innerhalb Ihrer Domain",
        Trust::KnownProvider => "bekannter Anbieter",
        Trust::ThirdPartyTargetNeedsConfirmation => "außerhalb Ihrer Domain: erst bestätigen",
        Trust::Unauthenticated => "nicht authentifizierte Quelle",
        Trust::Unverified => "unbestätigt",
        Trust::ProbeVerified => "durch eine Live-Prüfung bestätigt",
    }
}

pub fn auth(method: AuthMethod) -> &'static str {
    match method {
        AuthMethod::PasswordCleartext => "Normales Passwort",
        AuthMethod::PasswordEncrypted => "Verschlüsseltes Passwort",
        AuthMethod::Oauth2 => "OAuth2",
        AuthMethod::AppPassword => "App-Passwort",
        AuthMethod::ClientCertificate => "TLS-Zertifikat",
        AuthMethod::Gssapi => "Kerberos / GSSAPI",
        AuthMethod::Ntlm => "NTLM",
    }
}

pub const DOWNLOAD_LABEL: &str = "{what} herunterladen";

pub const EXPORT_AUTOCONFIG: &str = "Thunderbird-Autoconfig (config-v1.1.xml)";
pub const EXPORT_AUTODISCOVER: &str = "Outlook-Autodiscover (autodiscover.xml)";
pub const EXPORT_MOBILECONFIG: &str = "Apple-Profil (.mobileconfig)";
pub const EXPORT_DNS_ZONE: &str = "DNS-Einträge für die Domain";
pub const EXPORT_NEOMUTT: &str = "neomutt-Konfiguration";
pub const EXPORT_AERC: &str = "aerc accounts.conf";
pub const EXPORT_MSMTP: &str = "msmtp-Konfiguration";
pub const EXPORT_MBSYNC: &str = "mbsync-Konfiguration";
pub const EXPORT_FETCHMAIL: &str = "fetchmail-Konfiguration";
pub const EXPORT_OFFLINEIMAP: &str = "offlineimap-Konfiguration";
pub const EXPORT_INSTRUCTIONS: &str = "Anleitung als Text";
pub const EXPORT_FILE: &str = "Datei";

// Live checks.
pub const LIVE_HEADING: &str = "Live-Prüfung";
pub const LIVE_INTRO: &str = "Portolan kann sich von Ihrem Browser aus mit diesen Servern verbinden und ihr TLS, ihr Zertifikat und ihre Anmeldeverfahren prüfen. Die Verbindung läuft über ein Relay, das nur verschlüsselte Bytes weiterreicht.";
pub const LIVE_CHECK_BUTTON: &str = "Diese Server prüfen";
pub const LIVE_CHECK_AGAIN: &str = "Erneut prüfen";
pub const LIVE_CANCEL: &str = "Abbrechen";
pub const LIVE_CANCELLED: &str = "abgebrochen";
pub const LIVE_NO_RELAY: &str = "Live-Prüfungen brauchen ein Relay: einen kleinen Server, der die verschlüsselte Verbindung Ihres Browsers an den Mailserver weiterreicht. Vielleicht betreibt Ihr Anbieter eines (fragen Sie nach der Adresse, und tragen Sie sie in den Einstellungen ein). Oder Sie betreiben Ihr eigenes, mit einem einzigen Befehl:";
pub const LIVE_RELAY_COMMAND: &str = "portolan-relay --static dist/";
pub const LIVE_RELAY_UNKNOWN: &str = "Relay wird gesucht…";
pub const LIVE_VIA_OWN: &str = "Die Prüfungen laufen über das Relay dieser Website.";
pub const LIVE_VIA: &str = "Die Prüfungen laufen über das Relay unter";
pub const LIVE_GUESSES_PROBED: &str =
    "Für diese Domain wurde nichts veröffentlicht, deshalb hat Portolan die üblichen Servernamen live ausprobiert:";
pub const LIVE_GUESS_ANSWERED: &str = "hat geantwortet";
pub const LIVE_GUESS_SILENT: &str = "keine brauchbare Antwort";
pub const LIVE_TLS: &str = "TLS";
pub const LIVE_CERTIFICATE: &str = "Zertifikat";
pub const LIVE_NAMES: &str = "Namen";
pub const LIVE_ISSUER: &str = "ausgestellt von";
pub const LIVE_FIX: &str = "Abhilfe:";
pub const LIVE_NOT_REACHABLE: &str = "Nicht erreichbar";
pub const LIVE_WORKER_FAILED: &str = "Die Live-Prüfungen konnten nicht starten";
pub const LOGIN_HEADING: &str = "Anmeldung testen (optional)";
pub const LOGIN_HINT: &str = "Ihr Passwort wird ein einziges Mal verwendet: innerhalb der verschlüsselten Verbindung und erst, nachdem das Zertifikat des Servers die Prüfung bestanden hat. Es wird nicht gespeichert, und das Feld wird nach dem Versuch geleert.";
pub const LOGIN_PASSWORD_LABEL: &str = "Passwort für";
pub const LOGIN_BUTTON: &str = "Anmeldung testen";
pub const LOGIN_SUCCEEDED: &str = "Anmeldung erfolgreich";
pub const LOGIN_FAILED: &str = "Anmeldung fehlgeschlagen";
pub const LOGIN_SKIPPED: &str = "Anmeldung nicht versucht";
pub const RELAY_LEGEND: &str = "Relay für Live-Prüfungen";
pub const RELAY_LABEL: &str = "Relay-URL";
pub const RELAY_PLACEHOLDER: &str = "https://relay.example.org/";
pub const RELAY_SAVE: &str = "Dieses Relay verwenden";
pub const RELAY_CLEAR: &str = "Vergessen";
pub const RELAY_NOTE: &str = "Wird nur in diesem Browser gespeichert. Das Relay sieht, welchen Server Sie prüfen, aber nie, was innerhalb von TLS übertragen wird.";
pub const RELAY_BAD_URL: &str =
    "Geben Sie die vollständige Adresse des Relays an, beginnend mit https:// (oder http:// auf diesem Computer).";

pub const STEP_CONNECTING: &str = "Verbindung wird aufgebaut…";
pub const STEP_GREETING: &str = "Warten auf die Begrüßung…";
pub const STEP_CAPABILITIES: &str = "Fähigkeiten werden gelesen…";
pub const STEP_STARTTLS: &str = "TLS wird gestartet (STARTTLS)…";
pub const STEP_TLS_HANDSHAKE: &str = "TLS-Handshake…";
pub const STEP_CAPABILITIES_AFTER_TLS: &str = "Fähigkeiten nach TLS werden gelesen…";
pub const STEP_LOGIN: &str = "Anmeldung läuft…";
pub const STEP_SCANNING: &str = "Suche läuft…";

/// A certificate's expiry in days, in words.
pub fn expires_in(days: i64) -> String {
    match days {
        days if days < 0 => format!("vor {} Tagen abgelaufen", -days),
        0 => "läuft heute ab".to_owned(),
        1 => "läuft morgen ab".to_owned(),
        days => format!("läuft in {days} Tagen ab"),
    }
}

/// A server's grade, in words, for screen readers and the title.
pub fn check_grade(grade: portolan_core::model::CheckGrade) -> &'static str {
    use portolan_core::model::CheckGrade;
    match grade {
        CheckGrade::A => "A: nichts zu beheben",
        CheckGrade::B => "B: kleinere Punkte",
        CheckGrade::C => "C: eine Schwäche, die behoben werden sollte",
        CheckGrade::F => "F: unbrauchbar oder unsicher",
    }
}

pub const LOGIN_CONFIRM: &str = "{host} liegt außerhalb Ihrer Domain. Ich bestätige, dass dieser Server meine E-Mails betreibt und mein Passwort dorthin gesendet werden darf.";

pub const TROUBLE_HEADING: &str = "Etwas hat nicht geklappt?";
pub const TROUBLE_LABEL: &str =
    "Fügen Sie ein, was Ihre Mail-App gemeldet hat: die Fehlermeldung, einen Code oder eine Protokollzeile.";
pub const TROUBLE_PLACEHOLDER: &str = "535 5.7.8 Authentication failed";
pub const TROUBLE_BUTTON: &str = "Erklären";
pub const TROUBLE_WAITING: &str = "Wird nachgeschlagen…";
pub const TROUBLE_UNKNOWN: &str =
    "Portolan kennt diese Meldung nicht. Prüfen Sie Folgendes, in dieser Reihenfolge:";
pub const TROUBLE_YOURS: &str = "In Ihren Einstellungen:";
pub const TROUBLE_ON_START: &str =
    "Fragen Sie zuerst Ihre Adresse ab. Dann bezieht sich die Erklärung auf Ihre eigenen Einstellungen.";

pub const AUDIT_LINK: &str = "Für Anbieter: die Mail-Einrichtung einer Domain prüfen";
pub const AUDIT_HEADING: &str = "Die Mail-Einrichtung einer Domain prüfen";
pub const AUDIT_INTRO: &str = "Für alle, die Mailserver betreiben: was die Domain für Mail-Apps und für andere Mailserver veröffentlicht, was zu ändern ist und welche Dateien zu veröffentlichen sind.";
pub const AUDIT_DOMAIN_LABEL: &str = "Domain";
pub const AUDIT_SELECTORS_LABEL: &str = "DKIM-Selektoren (optional, durch Kommas getrennt)";
pub const AUDIT_BUTTON: &str = "Prüfung starten";
pub const AUDIT_RUNNING: &str = "Wird geprüft…";
pub const AUDIT_CHECK_PORTS: &str = "Die Ports live prüfen";
pub const AUDIT_PRINT: &str = "Drucken";
pub const AUDIT_CHECKLIST: &str = "Checkliste";
pub const AUDIT_PORTS: &str = "Ports";
pub const AUDIT_RECORDS: &str = "Veröffentlichte Einträge";
pub const AUDIT_FILES: &str = "Zu veröffentlichende Dateien";
pub const AUDIT_CLOSED: &str = "geschlossen";
pub const AUDIT_FAIL: &str = "Fehler";
pub const AUDIT_WARN: &str = "Warnung";
pub const AUDIT_INFO: &str = "Info";
pub const AUDIT_PASS: &str = "Bestanden";
pub const AUDIT_GONE: &str =
    "Diese Prüfung ist auf der Seite nicht mehr vorhanden. Führen Sie sie erneut aus.";

/// The audit's one-line summary.
pub fn audit_summary(score: u8, fail: usize, warn: usize, pass: usize) -> String {
    format!("{score} von 100 Punkten: {fail} fehlgeschlagen, {warn} Warnungen, {pass} bestanden.")
}

/// Said in Settings when the site's preset turned network lookups off.
pub const LOOKUPS_OFF_BY_SITE: &str =
    "Diese Website hat Netzwerkabfragen ausgeschaltet: Portolan nutzt sein eigenes Wissen und die Server, die die Website nennt.";

pub const PRESET_ERROR: &str = "Die Einstellungen dieser Website für Portolan konnten nicht verwendet werden, daher läuft Portolan ohne sie. {error}";

/// Above the ordered steps.
pub const STEPS_TOKENS_HINT: &str = "Geben Sie die hervorgehobenen Werte ein oder wählen Sie sie aus. Ein Klick auf einen Wert kopiert ihn.";
/// The plain-text form of the steps, folded away.
pub const INSTRUCTIONS_AS_TEXT: &str = "Dieselben Schritte als reiner Text";

/// The QR code on the result.
pub const QR_HEADING: &str = "Auf Ihrem Smartphone";
pub const QR_LABEL: &str =
    "QR-Code: Scannen Sie ihn mit der Kamera Ihres Smartphones, um dieses Ergebnis dort zu öffnen";

/// A live-check finding's severity (its id: `info`, `low`, `medium`, `high`), in words.
pub fn finding_severity(id: &str) -> &'static str {
    match id {
        "info" => "Info",
        "low" => "niedrig",
        "medium" => "mittel",
        "high" => "hoch",
        _ => "",
    }
}
