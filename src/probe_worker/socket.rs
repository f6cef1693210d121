//! The byte pipe a probe runs over in the browser: a WebSocket to the relay's `/v1/tcp`, whose
//! events (open, binary message, close, error) arrive on a channel the driver waits on. The
//! wire contract (URL, close codes) comes from `portolan-relay-wire`.

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use portolan_relay_wire::{tcp_url, CloseCode};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, CloseEvent, Event, MessageEvent, WebSocket};

/// What the WebSocket reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketEvent {
    Open,
    Data(Vec<u8>),
    /// The session ended; `connect_failed` when the relay never reached the server, with why.
    Closed {
        connect_failed: Option<String>,
    },
}

/// An open (or opening) WebSocket with its handlers; closes when dropped.
pub struct RelaySocket {
    socket: WebSocket,
    opened: bool,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl RelaySocket {
    /// Opens a session through `relay` to `host:port`; events come on the returned channel.
    pub fn open(
        relay: &str,
        host: &str,
        port: u16,
    ) -> Result<(RelaySocket, UnboundedReceiver<SocketEvent>), String> {
        let url = tcp_url(relay, host, port).map_err(|error| error.to_string())?;
        let socket = WebSocket::new(&url)
            .map_err(|_| format!("the relay URL {url} was refused by the browser"))?;
        socket.set_binary_type(BinaryType::Arraybuffer);
        let (sender, receiver) = unbounded();
        let on_open = handler(&sender, |_: Event| Some(SocketEvent::Open));
        let on_message = handler(&sender, |event: MessageEvent| {
            let buffer = event.data().dyn_into::<js_sys::ArrayBuffer>().ok()?;
            Some(SocketEvent::Data(js_sys::Uint8Array::new(&buffer).to_vec()))
        });
        let on_close = handler(&sender, |event: CloseEvent| {
            let connect_failed = CloseCode::from_code(event.code())
                .filter(|code| code.is_connect_failure())
                .map(|code| format!("through the relay: {} ({})", code.meaning(), event.reason()));
            Some(SocketEvent::Closed { connect_failed })
        });
        // The browser says nothing about why a WebSocket failed (a refusal at the relay's
        // handshake looks like any other failure); the close event that follows ends it.
        let on_error = handler(&sender, |_: Event| None);
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        socket.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok((
            RelaySocket {
                socket,
                opened: false,
                _on_open: on_open,
                _on_message: on_message,
                _on_close: on_close,
                _on_error: on_error,
            },
            receiver,
        ))
    }

    /// Notes that the session opened.
    pub fn set_open(&mut self) {
        self.opened = true;
    }

    /// True once the relay accepted the session.
    pub fn is_open(&self) -> bool {
        self.opened
    }

    /// Sends bytes as one binary message (the probe's writes are far below the relay's cap).
    pub fn send(&self, bytes: &[u8]) -> Result<(), String> {
        self.socket
            .send_with_u8_array(bytes)
            .map_err(|_| "the relay connection is closed".to_owned())
    }
}

impl Drop for RelaySocket {
    fn drop(&mut self) {
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        self.socket.set_onclose(None);
        self.socket.set_onerror(None);
        let _ = self.socket.close();
    }
}

/// A handler that turns an event into a [`SocketEvent`] on the channel.
fn handler<E: wasm_bindgen::convert::FromWasmAbi + 'static>(
    sender: &UnboundedSender<SocketEvent>,
    read: impl Fn(E) -> Option<SocketEvent> + 'static,
) -> Closure<dyn FnMut(E)> {
    let sender = sender.clone();
    Closure::<dyn FnMut(E)>::new(move |event: E| {
        if let Some(read) = read(event) {
            let _ = sender.unbounded_send(read);
        }
    })
}
