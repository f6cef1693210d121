//! Switching language, once the engine worker sent the new language's texts for the screens
//! after the first: the texts switch at once, the document says the new language, the choice
//! is remembered in this browser, and the state asks the workers for their words again.

use portolan_core::lang::Lang;
use yew::prelude::*;

use crate::page::language::{mark_document, LANG_KEY};
use crate::page::state::{Action, AppState};
use crate::strings;

/// Switches the page to `lang`.
pub fn switch_language(state: &UseReducerHandle<AppState>, lang: Lang) {
    // Before the render the action causes, so every text renders in the new language.
    strings::set_lang(lang);
    mark_document(lang);
    let storage = web_sys::window().and_then(|window| window.local_storage().ok().flatten());
    if let Some(storage) = storage {
        let _ = storage.set_item(LANG_KEY, lang.tag());
    }
    state.dispatch(Action::SetLang(lang));
}
