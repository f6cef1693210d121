//! The browser entry point: mounts the app into `#app`. Everything else lives in the library.

fn main() {
    portolan_app::start();
}
