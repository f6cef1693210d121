//! Presentational components: data in through props, intentions out through callbacks.

pub mod address_form;
pub mod address_summary;
pub mod audit_screen;
pub mod client_picker;
pub mod client_select;
pub mod copy_button;
pub mod download_link;
pub mod language_switch;
pub mod live_panel;
pub mod result_view;
pub mod server_table;
pub mod settings_panel;
pub mod trouble_panel;
