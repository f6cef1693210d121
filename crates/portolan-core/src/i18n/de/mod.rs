//! The core's German, one table per area of the code that writes English.

mod audit;
mod clients;
mod discovery;
mod knowledge;
mod lint;
mod probe;
mod troubleshoot;

use super::Entries;

/// The live check's findings (`portolan-probe`), on their own for the probe worker.
pub const PROBE: Entries = probe::ENTRIES;

/// Every table, in a stable order.
pub const TABLES: &[Entries] = &[
    crate::clients::GERMAN_NAMES,
    clients::ENTRIES,
    discovery::ENTRIES,
    knowledge::ENTRIES,
    troubleshoot::ENTRIES,
    audit::ENTRIES,
    lint::ENTRIES,
    probe::ENTRIES,
];
