//! The page's side of a worker, generic over the worker's script and messages: it starts the
//! worker when asked (never before the first render), holds requests until the worker says it
//! is ready, and hands every answer to a callback, as JSON text both ways.
//!
//! Two workers use it: the engine worker (address parsing, lookups, results) and the probe
//! worker (live checks through the relay). With [`WorkerClient::in_page`] the same requests are
//! answered inside the page instead (the in-browser component tests have no worker file to
//! load), still as JSON text, so the messages are exercised either way.
//!
//! Everything but encoding and decoding is in the non-generic [`TextClient`], so the page's
//! wasm carries the worker plumbing once, not once per worker.

use std::cell::RefCell;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, Event, MessageEvent, Worker};
use yew::Callback;

use crate::messages::{decode, encode};

/// What the page needs to know about a worker.
pub trait WorkerKind: 'static {
    type Request: Serialize;
    type Response: DeserializeOwned;
    /// The worker's loader, relative to the page (Trunk writes it next to index.html).
    const SCRIPT: &'static str;
    /// True for the answer that says the worker has started.
    fn is_ready(response: &Self::Response) -> bool;
    /// The answer the page gets when the worker fails (or sends something unreadable).
    fn failed(message: String) -> Self::Response;
}

/// An in-page stand-in for a worker: JSON text in, JSON text out.
pub type InPageAnswer = Rc<dyn Fn(String) -> Pin<Box<dyn Future<Output = String>>>>;

/// The page's handle on one worker.
pub struct WorkerClient<W: WorkerKind> {
    text: TextClient,
    kind: PhantomData<W>,
}

impl<W: WorkerKind> Clone for WorkerClient<W> {
    fn clone(&self) -> Self {
        WorkerClient {
            text: self.text.clone(),
            kind: PhantomData,
        }
    }
}

impl<W: WorkerKind> PartialEq for WorkerClient<W> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<W: WorkerKind> WorkerClient<W> {
    /// A client whose requests wait until [`WorkerClient::start`]; answers and failures go to
    /// `on_response`.
    pub fn new(on_response: Callback<W::Response>) -> Self {
        WorkerClient::with(Link::Starting(Vec::new()), None, on_response)
    }

    /// A client answered inside the page by `answer`; ready at once.
    pub fn in_page(answer: InPageAnswer, on_response: Callback<W::Response>) -> Self {
        WorkerClient::with(Link::Ready, Some(Transport::InPage(answer)), on_response)
    }

    fn with(link: Link, transport: Option<Transport>, on_response: Callback<W::Response>) -> Self {
        let answered = on_response.clone();
        let deliver: Rc<dyn Fn(&str) -> bool> = Rc::new(move |text: &str| {
            let response = decode::<W::Response>(text).unwrap_or_else(W::failed);
            let ready = W::is_ready(&response);
            answered.emit(response);
            ready
        });
        let fail: Rc<dyn Fn(String)> =
            Rc::new(move |message: String| on_response.emit(W::failed(message)));
        WorkerClient {
            text: TextClient {
                shared: Rc::new(Shared {
                    script: W::SCRIPT,
                    link: RefCell::new(link),
                    transport: RefCell::new(transport),
                    deliver,
                    fail,
                }),
            },
            kind: PhantomData,
        }
    }

    /// Sends a request; its answer arrives through the callback.
    pub fn send(&self, request: &W::Request) {
        self.text.send(encode(request));
    }

    /// Starts the worker (once; later calls, and in-page clients, do nothing).
    pub fn start(&self) {
        self.text.start();
    }

    /// True once the worker was started (or is in the page).
    pub fn is_started(&self) -> bool {
        self.text.shared.transport.borrow().is_some()
    }
}

/// The worker's loader as this build named it. `cargo xtask` versions the worker files (so a
/// page never starts another build's worker) and names each loader in index.html, as
/// `<meta name="portolan-worker" data-for="FIXED" content="VERSIONED">`; a build without that
/// step (a plain `trunk serve`) keeps the fixed name.
fn versioned_script(fixed: &str) -> String {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| {
            let selector = format!("meta[name=portolan-worker][data-for=\"{fixed}\"]");
            document.query_selector(&selector).ok().flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_else(|| fixed.to_owned())
}

/// The state of the connection. (An in-page answerer is ready at once.)
enum Link {
    /// Not started yet, or still loading; requests wait here until the worker says it is
    /// ready.
    Starting(Vec<String>),
    Ready,
    /// The worker could not be started or failed (the page was told why); requests are
    /// dropped.
    Failed,
}

/// How requests travel.
enum Transport {
    /// A dedicated Web Worker, with its handlers (they must live as long as it does).
    Worker {
        worker: Worker,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(Event)>,
    },
    InPage(InPageAnswer),
}

/// The worker plumbing over JSON text, the same for every worker.
#[derive(Clone)]
struct TextClient {
    shared: Rc<Shared>,
}

impl PartialEq for TextClient {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
    }
}

struct Shared {
    script: &'static str,
    link: RefCell<Link>,
    transport: RefCell<Option<Transport>>,
    /// Decodes and hands on one answer; true when it was the worker's "ready".
    deliver: Rc<dyn Fn(&str) -> bool>,
    /// Hands on a failure, in words.
    fail: Rc<dyn Fn(String)>,
}

impl TextClient {
    fn send(&self, text: String) {
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

    fn start(&self) {
        if self.shared.transport.borrow().is_some()
            || !matches!(*self.shared.link.borrow(), Link::Starting(_))
        {
            return;
        }
        let script = versioned_script(self.shared.script);
        let worker = match Worker::new(&script) {
            Ok(worker) => worker,
            Err(error) => {
                self.fail(describe(&error, &script));
                return;
            }
        };
        let on_message = {
            let client = self.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let text = event.data().as_string().unwrap_or_default();
                client.receive(&text);
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
                    .unwrap_or_else(|| format!("could not load {script}"));
                client.fail(message);
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *self.shared.transport.borrow_mut() = Some(Transport::Worker {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        });
    }

    /// One answer, as JSON text.
    fn receive(&self, text: &str) {
        if (self.shared.deliver)(text) {
            self.ready();
        }
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
        (self.shared.fail)(message);
    }

    fn post(&self, text: String) {
        match &*self.shared.transport.borrow() {
            Some(Transport::Worker { worker, .. }) => {
                // Posting a string to a live worker does not fail.
                let _ = worker.post_message(&JsValue::from_str(&text));
            }
            Some(Transport::InPage(answer)) => {
                let reply = answer(text);
                let client = self.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let text = reply.await;
                    client.receive(&text);
                });
            }
            None => {}
        }
    }
}

fn describe(error: &JsValue, script: &str) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .unwrap_or_else(|| format!("could not start {script}"))
}
