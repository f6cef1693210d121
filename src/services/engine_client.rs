//! The page's side of the engine worker: starts it (after the first render, so the first
//! screen never waits for it), holds requests until it says it is ready, and hands every
//! answer to a callback.
//!
//! With the `inline-engine` feature (used by the in-browser component tests, which have no
//! worker file to load) the same requests are answered inside the page instead, still as JSON
//! text, so the messages are exercised either way.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Callback;

use crate::protocol::{decode, encode, Request, Response};

/// Where the worker's loader is, relative to the page (Trunk writes it next to index.html).
pub const ENGINE_SCRIPT: &str = "./portolan-engine_loader.js";

/// The page's handle on the engine.
#[derive(Clone)]
pub struct EngineClient {
    shared: Rc<Shared>,
}

struct Shared {
    link: RefCell<Link>,
    on_response: Callback<Response>,
    /// How requests travel; set once at start.
    transport: RefCell<Option<Transport>>,
}

/// The state of the connection to the worker. (The in-page engine is ready at once.)
#[cfg_attr(feature = "inline-engine", allow(dead_code))]
enum Link {
    /// Not started yet, or still loading; requests wait here until the worker says `Ready`.
    Starting(Vec<String>),
    Ready,
    /// The worker could not be started or failed (the page was told why); requests are
    /// dropped.
    Failed,
}

impl PartialEq for EngineClient {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
    }
}

impl EngineClient {
    /// Sends a request; its answer arrives through the callback given to `new`.
    pub fn send(&self, request: &Request) {
        let text = encode(request);
        let mut link = self.shared.link.borrow_mut();
        match &mut *link {
            Link::Starting(queue) => queue.push(text),
            Link::Ready => {
                drop(link);
                self.post(text);
            }
            Link::Failed => {}
        }
    }

    fn with_link(link: Link, on_response: Callback<Response>) -> EngineClient {
        EngineClient {
            shared: Rc::new(Shared {
                link: RefCell::new(link),
                on_response,
                transport: RefCell::new(None),
            }),
        }
    }
}

#[cfg(not(feature = "inline-engine"))]
use worker::Transport;

#[cfg(feature = "inline-engine")]
use inline::Transport;

#[cfg(not(feature = "inline-engine"))]
mod worker {
    //! The real thing: a dedicated Web Worker.

    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{ErrorEvent, Event, MessageEvent, Worker};

    use super::*;

    /// The worker with its handlers (they must live as long as it does).
    pub(super) struct Transport {
        worker: Worker,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(Event)>,
    }

    impl EngineClient {
        /// A client whose requests wait until [`EngineClient::start`]; answers and failures
        /// will go to `on_response`.
        pub fn new(on_response: Callback<Response>) -> EngineClient {
            EngineClient::with_link(Link::Starting(Vec::new()), on_response)
        }

        /// Starts the worker from [`ENGINE_SCRIPT`] (once; later calls do nothing).
        pub fn start(&self) {
            if self.shared.transport.borrow().is_some()
                || !matches!(*self.shared.link.borrow(), Link::Starting(_))
            {
                return;
            }
            let worker = match Worker::new(ENGINE_SCRIPT) {
                Ok(worker) => worker,
                Err(error) => {
                    self.fail(describe(&error));
                    return;
                }
            };
            let on_message = {
                let client = self.clone();
                Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                    let text = event.data().as_string().unwrap_or_default();
                    let response = decode::<Response>(&text)
                        .unwrap_or_else(|message| Response::Failed { message });
                    if response == Response::Ready {
                        client.ready();
                    }
                    client.shared.on_response.emit(response);
                })
            };
            let on_error = {
                let client = self.clone();
                // A script error in the worker comes as an ErrorEvent with a message; a worker
                // script that cannot be loaded comes as a plain Event.
                Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                    let message = event
                        .dyn_ref::<ErrorEvent>()
                        .map(ErrorEvent::message)
                        .filter(|message| !message.is_empty())
                        .unwrap_or_else(|| format!("could not load {ENGINE_SCRIPT}"));
                    client.fail(message);
                })
            };
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            *self.shared.transport.borrow_mut() = Some(Transport {
                worker,
                _on_message: on_message,
                _on_error: on_error,
            });
        }

        /// The worker is up: send what waited.
        fn ready(&self) {
            let previous = self.shared.link.replace(Link::Ready);
            if let Link::Starting(waiting) = previous {
                for text in waiting {
                    self.post(text);
                }
            }
        }

        fn fail(&self, message: String) {
            self.shared.link.replace(Link::Failed);
            self.shared.on_response.emit(Response::Failed { message });
        }

        pub(super) fn post(&self, text: String) {
            if let Some(transport) = &*self.shared.transport.borrow() {
                // Posting a string to a live worker does not fail.
                let _ = transport.worker.post_message(&JsValue::from_str(&text));
            }
        }
    }

    fn describe(error: &JsValue) -> String {
        error
            .dyn_ref::<js_sys::Error>()
            .map(|error| String::from(error.message()))
            .unwrap_or_else(|| format!("could not start {ENGINE_SCRIPT}"))
    }
}

#[cfg(feature = "inline-engine")]
mod inline {
    //! The engine inside the page, for tests that cannot load a worker file.

    use crate::engine::{answer, Engine};

    use super::*;

    pub(super) struct Transport {
        engine: Rc<RefCell<Engine>>,
    }

    impl EngineClient {
        /// A client of an in-page engine; it is ready at once.
        pub fn new(on_response: Callback<Response>) -> EngineClient {
            let client = EngineClient::with_link(Link::Ready, on_response);
            *client.shared.transport.borrow_mut() = Some(Transport {
                engine: Rc::new(RefCell::new(Engine::default())),
            });
            client
        }

        /// Nothing to start in the page.
        pub fn start(&self) {}

        pub(super) fn post(&self, text: String) {
            let Some(engine) = self
                .shared
                .transport
                .borrow()
                .as_ref()
                .map(|transport| transport.engine.clone())
            else {
                return;
            };
            let on_response = self.shared.on_response.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let response = answer(engine, &text).await;
                // The same trip through JSON as from the worker.
                let response = decode::<Response>(&encode(&response))
                    .unwrap_or_else(|message| Response::Failed { message });
                on_response.emit(response);
            });
        }
    }
}
