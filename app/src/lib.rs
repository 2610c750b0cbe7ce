//! caremap: coordinating-care function mapping for English health and social care.
//!
//! `model` and `frameworks` are the pure domain; `api` holds server functions; `ui` the pages;
//! `store` (server only) all SQL; `export` (server only) writes files to download; `sheets`
//! (server only) writes and reads spreadsheets; `imports` (server only) turns a file into
//! changes to a workspace.
#![recursion_limit = "256"]
// The browser's stubs of server functions take one argument per form field, and the
// `#[allow]` on a server function does not reach its stub.
#![cfg_attr(feature = "hydrate", allow(clippy::too_many_arguments))]

pub mod api;
#[cfg(test)]
mod architecture;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod export;
pub mod frameworks;
#[cfg(feature = "ssr")]
pub mod imports;
pub mod model;
pub mod paths;
#[cfg(feature = "ssr")]
pub mod sheets;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

pub use ui::{App, shell};

/// The browser entry point: takes over the server-rendered page. Then the page answers input:
/// it says so with a `hydrated` performance mark, which the benchmarks wait for.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    if let Some(performance) = leptos::prelude::window().performance() {
        let _ = performance.mark("hydrated");
    }
}
