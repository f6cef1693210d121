//! The catalogue's matching rules, on small tables of their own.

use super::*;

const TABLE: Entries = &[
    (
        "Port {port} of {host} is open.",
        "Port {port} von {host} ist offen.",
    ),
    ("Normal password", "Passwort, normal"),
    ("Use {auth} on {host}.", "Verwenden Sie {auth} auf {host}."),
    ("Use {auth} for {what}.", "Verwenden Sie {auth} für {what}."),
    ("the incoming server", "den Posteingangsserver"),
    ("The server answered.", "Der Server hat geantwortet."),
    ("{count} lookups failed.", "{count} Abfragen schlugen fehl."),
    (
        "{count} lookups failed on {host}.",
        "{count} Abfragen schlugen auf {host} fehl.",
    ),
    ("Said: {what}", "Gesagt: {what}"),
    ("From {host} to {host}.", "Von {host} nach {host}."),
];

fn catalogue() -> Catalogue {
    Catalogue::new(&[TABLE]).expect("valid table")
}

#[test]
fn exact_entries_and_templates_translate_whole_texts() {
    let catalogue = catalogue();
    assert_eq!(
        catalogue.german("Normal password").as_deref(),
        Some("Passwort, normal")
    );
    assert_eq!(
        catalogue
            .german("Port 993 of imap.example.com is open.")
            .as_deref(),
        Some("Port 993 von imap.example.com ist offen.")
    );
    assert_eq!(catalogue.german("Port 993 is open."), None);
    assert_eq!(catalogue.german("Something else entirely"), None);
}

#[test]
fn a_hole_that_holds_a_catalogue_text_is_translated_too() {
    let catalogue = catalogue();
    assert_eq!(
        catalogue
            .german("Use Normal password on mail.example.")
            .as_deref(),
        Some("Verwenden Sie Passwort, normal auf mail.example.")
    );
    assert_eq!(
        catalogue
            .german("Use OAuth2 for the incoming server.")
            .as_deref(),
        Some("Verwenden Sie OAuth2 für den Posteingangsserver.")
    );
    // A marked step value keeps its marks around the German.
    let marked = format!("Use {TOKEN_START}Normal password{TOKEN_END} on x.example.");
    assert_eq!(
        catalogue.german(&marked),
        Some(format!(
            "Verwenden Sie {TOKEN_START}Passwort, normal{TOKEN_END} auf x.example."
        ))
    );
}

#[test]
fn the_most_specific_template_wins() {
    let catalogue = catalogue();
    assert_eq!(
        catalogue
            .german("3 lookups failed on dns.example.")
            .as_deref(),
        Some("3 Abfragen schlugen auf dns.example fehl.")
    );
    assert_eq!(
        catalogue.german("3 lookups failed.").as_deref(),
        Some("3 Abfragen schlugen fehl.")
    );
}

#[test]
fn text_no_template_covers_whole_is_translated_sentence_by_sentence() {
    let catalogue = catalogue();
    assert_eq!(
        catalogue
            .german("The server answered. Port 25 of mx.example is open.")
            .as_deref(),
        Some("Der Server hat geantwortet. Port 25 von mx.example ist offen.")
    );
    assert_eq!(
        catalogue.german("Said: The server answered.").as_deref(),
        Some("Gesagt: Der Server hat geantwortet.")
    );
    // One sentence without German: no translation, so the caller shows the English whole.
    assert_eq!(catalogue.german("The server answered. It was late."), None);
    assert_eq!(
        catalogue.render(Lang::De, "The server answered. It was late."),
        "The server answered. It was late."
    );
    assert_eq!(
        catalogue.render(Lang::En, "The server answered."),
        "The server answered."
    );
}

#[test]
fn text_that_is_not_ascii_is_read_safely() {
    let catalogue = catalogue();
    assert_eq!(
        catalogue.german("Università degli Studi. Český hosting – ü. 日本"),
        None
    );
    assert_eq!(
        catalogue
            .german("Use Normal password on Český.example.")
            .as_deref(),
        Some("Verwenden Sie Passwort, normal auf Český.example.")
    );
    assert_eq!(
        catalogue.german("Said: Yahoo! JAPAN").as_deref(),
        Some("Gesagt: Yahoo! JAPAN")
    );
}

#[test]
fn a_hole_named_twice_holds_one_value() {
    let catalogue = catalogue();
    assert_eq!(
        catalogue.german("From a.example to a.example.").as_deref(),
        Some("Von a.example nach a.example.")
    );
    assert_eq!(catalogue.german("From a.example to b.example."), None);
}

#[test]
fn blanks_around_a_text_are_kept() {
    assert_eq!(
        catalogue().german("  Normal password\n").as_deref(),
        Some("  Passwort, normal\n")
    );
}

#[test]
fn a_table_that_cannot_work_is_refused_with_its_entry() {
    type Expected = fn(&CatalogueError) -> bool;
    let cases: [(Entries, Expected); 4] = [
        (&[("A b", "C"), ("A b", "D")], |e| {
            matches!(e, CatalogueError::Duplicate(_))
        }),
        (&[("{a}{b} x", "{a}{b} y")], |e| {
            matches!(e, CatalogueError::TouchingHoles(_))
        }),
        (&[("{a} {b}", "{b} {a}")], |e| {
            matches!(e, CatalogueError::NoLiteralText(_))
        }),
        (&[("Port {port} open", "Port {p} offen")], |e| {
            matches!(e, CatalogueError::HolesDiffer { .. })
        }),
    ];
    for (table, expected) in cases {
        let error = Catalogue::new(&[table]).expect_err("refused");
        assert!(expected(&error), "{error}");
    }
}

#[test]
fn two_tables_may_hold_one_text_when_they_agree() {
    let page: Entries = &[("Login failed", "Anmeldung fehlgeschlagen")];
    let catalogue = Catalogue::new(&[TABLE, page, page]).expect("agreeing twins are fine");
    assert_eq!(
        catalogue.german("Login failed").as_deref(),
        Some("Anmeldung fehlgeschlagen")
    );
}

#[test]
fn the_core_catalogue_is_usable() {
    let catalogue = Catalogue::core_german().expect("the shipped German is consistent");
    assert!(catalogue.len() > 100, "{} entries", catalogue.len());
}
