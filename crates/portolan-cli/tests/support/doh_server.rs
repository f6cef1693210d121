//! The real DNS-over-HTTPS server for these tests (dnsdist + unbound from portolan-testkit,
//! on loopback, killed on drop), serving the zone below.

use portolan_testkit::DohOptions;
pub use portolan_testkit::DohServer;

/// The whole test world, as the root zone. Covered: several SRV priorities and weights,
/// `.` targets, a CNAME chain, targets outside the domain, NXDOMAIN vs NODATA, an IDN domain,
/// an MX at a known provider's host, JMAP/CalDAV/CardDAV records, and a zone the front end
/// marks as DNSSEC-validated.
pub const ROOT_ZONE: &str = r#"$TTL 300
.                               IN SOA ns.test. admin.test. 1 3600 600 86400 300
.                               IN NS  ns.test.
ns.test.                        IN A   127.0.0.1
health.test.                    IN A   127.0.0.1

; sorted.test: priorities and weights, "." targets, a third-party target.
_imaps._tcp.sorted.test.        IN SRV 20 0 993 backup.sorted.test.
_imaps._tcp.sorted.test.        IN SRV 10 10 993 light.sorted.test.
_imaps._tcp.sorted.test.        IN SRV 10 60 993 heavy.sorted.test.
_imap._tcp.sorted.test.         IN SRV 0 0 143 mail.sorted.test.
_submissions._tcp.sorted.test.  IN SRV 0 1 465 smtp.hoster.example.
_submission._tcp.sorted.test.   IN SRV 0 0 587 mail.sorted.test.
_pop3s._tcp.sorted.test.        IN SRV 0 0 0 .
_pop3._tcp.sorted.test.         IN SRV 0 0 0 .
sorted.test.                    IN MX  10 mx.sorted.test.

; cname.test: the SRV name is an alias, two steps away from the record.
_imaps._tcp.cname.test.         IN CNAME alias.target.test.
alias.target.test.              IN CNAME srv.other.test.
srv.other.test.                 IN SRV 0 0 993 imap.cname.test.

; nodata.test: the SRV name exists with another type (NODATA), the rest does not (NXDOMAIN).
_imaps._tcp.nodata.test.        IN TXT "no SRV here"

; hosted.test: a custom domain whose mail Google Workspace receives.
hosted.test.                    IN MX  1 aspmx.l.google.com.
hosted.test.                    IN MX  5 alt1.aspmx.l.google.com.
; mx-ispdb.test: mail received by a provider only the imported ISPDB knows (through MXBASE).
mx-ispdb.test.                  IN MX  10 mx.relay.a1.net.
; mx-unknown.test: mail received by a provider nothing bundled knows (the second round).
mx-unknown.test.                IN MX  10 mx1.mail.hosting-company.net.
mx-unknown.test.                IN MX  20 backup.other-company.net.

; bücher.test, in DNS as xn--bcher-kva.test.
_imaps._tcp.xn--bcher-kva.test. IN SRV 0 0 993 mail.xn--bcher-kva.test.
_submissions._tcp.xn--bcher-kva.test. IN SRV 0 0 465 mail.xn--bcher-kva.test.

; services.test: what the account also offers (RFC 8620 §2.2, RFC 6764): JMAP on 443, CalDAV
; with a context path, CardDAV on another port (its plaintext form marked not offered).
_imaps._tcp.services.test.      IN SRV 0 0 993 mail.services.test.
_jmap._tcp.services.test.       IN SRV 0 1 443 jmap.services.test.
_caldavs._tcp.services.test.    IN SRV 0 1 443 dav.services.test.
_caldavs._tcp.services.test.    IN TXT "path=/dav/calendars/"
_carddavs._tcp.services.test.   IN SRV 0 1 8443 dav.services.test.
_carddav._tcp.services.test.    IN SRV 0 0 0 .

; signed.test: dnsdist sets the AD flag on answers below it, as a validating resolver would.
_imaps._tcp.signed.test.        IN SRV 0 0 993 imap.signed.test.
"#;

/// Starts the DoH server with [`ROOT_ZONE`]; answers below `signed.test.` carry the AD flag.
pub fn start() -> DohServer {
    start_with("")
}

/// The same, with `extra` records added to the zone (records a test computes, like a PACC
/// document's digest).
#[allow(dead_code)]
pub fn start_with(extra: &str) -> DohServer {
    DohServer::start(&DohOptions {
        zone: format!("{ROOT_ZONE}\n{extra}\n"),
        delay: None,
        signed_zones: vec!["signed.test.".to_owned()],
        tls: false,
    })
    .unwrap_or_else(|error| panic!("the test DoH server: {error}"))
}
