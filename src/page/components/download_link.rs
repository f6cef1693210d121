//! A download link for generated text, through a Blob URL with the right media type.

use wasm_bindgen::JsValue;
use web_sys::{Blob, BlobPropertyBag, Url};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DownloadLinkProps {
    pub content: AttrValue,
    pub file_name: AttrValue,
    pub content_type: AttrValue,
    pub label: AttrValue,
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

#[function_component(DownloadLink)]
pub fn download_link(props: &DownloadLinkProps) -> Html {
    let url = use_memo(
        (props.content.clone(), props.content_type.clone()),
        |(content, content_type)| {
            let parts = js_sys::Array::of1(&JsValue::from_str(content));
            let options = BlobPropertyBag::new();
            options.set_type(content_type);
            Blob::new_with_str_sequence_and_options(&parts, &options)
                .ok()
                .and_then(|blob| Url::create_object_url_with_blob(&blob).ok())
        },
    );
    {
        let url = url.clone();
        use_effect_with(url, |url| {
            let url = (**url).clone();
            move || {
                if let Some(url) = url {
                    let _ = Url::revoke_object_url(&url);
                }
            }
        });
    }
    match (*url).clone() {
        Some(href) => html! {
            <a class="download" id={props.id.clone()} {href} download={props.file_name.clone()}
               type={props.content_type.clone()}>{ props.label.clone() }</a>
        },
        None => html! {},
    }
}
