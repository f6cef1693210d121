//! Presentational components: data in through props, intentions out through callbacks.

pub mod address_form;
pub mod address_summary;
