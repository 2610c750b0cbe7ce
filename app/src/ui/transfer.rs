//! Files moving between the browser and the server with their progress in view: a download is
//! fetched in the page (the server may take seconds to write a large workbook, then the bytes
//! arrive with a percentage) and handed to the browser as a file; an upload shows how much has
//! been sent, then that the server is reading it. Without script, both are ordinary links and
//! forms.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::wasm_bindgen::closure::Closure;
use web_sys::{ProgressEvent, XmlHttpRequest};

/// Where a transfer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Transfer {
    Idle,
    /// Waiting on the server: preparing a file, or reading an upload.
    Waiting(String),
    /// Bytes moving: what, and the share done where it is known.
    Moving(String, Option<u8>),
    Done(String),
    Failed(String),
}

/// The transfer's state as a live status line; inline, so it can sit in a line of links.
#[component]
pub(super) fn TransferStatus(state: RwSignal<Transfer>) -> impl IntoView {
    move || match state.get() {
        Transfer::Idle => ().into_any(),
        Transfer::Waiting(what) => view! { <span class="transfer" role="status"><progress></progress>" " {what}</span> }.into_any(),
        Transfer::Moving(what, Some(percent)) => view! {
            <span class="transfer" role="status"><progress max="100" value=percent></progress>{format!(" {what}: {percent}%")}</span>
        }
        .into_any(),
        Transfer::Moving(what, None) => view! { <span class="transfer" role="status"><progress></progress>" " {what}</span> }.into_any(),
        Transfer::Done(message) => view! { <span class="transfer" role="status">{message}</span> }.into_any(),
        Transfer::Failed(message) => view! { <span class="transfer notice notice--error" role="alert">{message}</span> }.into_any(),
    }
}

/// The share of a progress event's bytes done, if the total is known.
fn percent(event: &ProgressEvent) -> Option<u8> {
    (event.length_computable() && event.total() > 0.0).then(|| (event.loaded() / event.total() * 100.0).floor().min(100.0) as u8)
}

/// Sets a request's handler for `event` for as long as the page lives.
fn on(target: &web_sys::EventTarget, event: &str, handler: impl FnMut(ProgressEvent) + 'static) {
    let closure = Closure::<dyn FnMut(ProgressEvent)>::new(handler);
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    // Requests are few and short-lived; the handler is kept rather than tracked.
    closure.forget();
}

/// Why a request failed, in words: the server's own message where it sent one (`said`).
fn failure(status: u16, said: Option<String>, doing: &str) -> String {
    match (status, said.filter(|text| !text.is_empty() && text.len() < 500 && !text.starts_with('<'))) {
        (0, _) => format!("{doing} failed: check your connection and try again."),
        (401, _) => format!("{doing} failed: you are signed out. Sign in again, then try once more."),
        (_, Some(message)) => message,
        (403 | 404, None) => "This is not available to you: reload the page to see what is.".into(),
        (status, None) => format!("{doing} failed (the server answered {status}): reload the page and try again."),
    }
}

/// A link to a file the server makes, e.g. a workbook. With script, the file is fetched in the
/// page so that its progress shows, then saved under the server's name for it.
#[component]
pub(super) fn DownloadLink(href: String, label: &'static str) -> impl IntoView {
    let state = RwSignal::new(Transfer::Idle);
    let on_click = {
        let href = href.clone();
        move |event: web_sys::MouseEvent| {
            if event.ctrl_key() || event.meta_key() || event.shift_key() || matches!(state.get_untracked(), Transfer::Waiting(_) | Transfer::Moving(..)) {
                return;
            }
            let Ok(request) = XmlHttpRequest::new() else { return };
            if request.open("GET", &href).is_err() {
                return;
            }
            event.prevent_default();
            request.set_response_type(web_sys::XmlHttpRequestResponseType::Blob);
            state.set(Transfer::Waiting("Preparing the file…".into()));
            on(&request, "progress", move |event| state.set(Transfer::Moving("Downloading".into(), percent(&event))));
            let finished = request.clone();
            on(&request, "loadend", move |_| state.set(save(&finished)));
            if request.send().is_err() {
                state.set(Transfer::Failed("The download could not start: reload the page and try again.".into()));
            }
        }
    };
    view! {
        <a href=href download on:click=on_click>{label}</a>
        <TransferStatus state/>
    }
}

/// Hands a finished download to the browser as a file.
fn save(request: &XmlHttpRequest) -> Transfer {
    let status = request.status().unwrap_or(0);
    if status != 200 {
        // The body is a blob, so only the status speaks.
        return Transfer::Failed(failure(status, None, "The download"));
    }
    let name = request
        .get_response_header("content-disposition")
        .ok()
        .flatten()
        .and_then(|header| header.split("filename=\"").nth(1).and_then(|rest| rest.split('"').next()).map(str::to_owned))
        .unwrap_or_else(|| "download".into());
    let saved = (|| {
        let blob: web_sys::Blob = request.response().ok()?.dyn_into().ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let link: web_sys::HtmlAnchorElement = document().create_element("a").ok()?.dyn_into().ok()?;
        link.set_href(&url);
        link.set_download(&name);
        link.click();
        let _ = web_sys::Url::revoke_object_url(&url);
        Some(())
    })();
    match saved {
        Some(()) => Transfer::Done(format!("Downloaded “{name}”.")),
        None => Transfer::Failed("The file arrived but could not be saved: try the link again.".into()),
    }
}

/// Says that an uploaded file is being read, or waiting for its turn while others are, until
/// the page changes.
fn watch_reading(file_name: String, state: RwSignal<Transfer>) {
    let reading = format!("Reading and checking “{file_name}”…");
    state.set(Transfer::Waiting(reading.clone()));
    let check = move || {
        // Once the upload has failed there is nothing to watch; the next page ends the timer.
        if !matches!(state.get_untracked(), Transfer::Waiting(_)) {
            return;
        }
        let (file_name, reading) = (file_name.clone(), reading.clone());
        leptos::task::spawn_local(async move {
            let Ok(waiting) = crate::api::imports::files_waiting().await else { return };
            if matches!(state.get_untracked(), Transfer::Waiting(_)) {
                state.set(Transfer::Waiting(match waiting {
                    0 => reading,
                    1 => format!("“{file_name}” is waiting its turn: another file is being read first…"),
                    _ => format!("“{file_name}” is waiting its turn: {waiting} files are waiting to be read…"),
                }));
            }
        });
    };
    let _ = set_interval_with_handle(check, std::time::Duration::from_secs(1));
}

/// Sends `form` (a file upload) with its progress in `state`; the server answers with the
/// address of the page to open next, or why it refused.
pub(super) fn send_form(form: &web_sys::HtmlFormElement, file_name: String, state: RwSignal<Transfer>) -> bool {
    let Ok(data) = web_sys::FormData::new_with_form(form) else { return false };
    let Ok(request) = XmlHttpRequest::new() else { return false };
    if request.open("POST", &form.action()).is_err() || request.set_request_header("Accept", "text/plain").is_err() {
        return false;
    }
    let Ok(upload) = request.upload() else { return false };
    state.set(Transfer::Moving(format!("Uploading “{file_name}”"), Some(0)));
    on(&upload, "progress", {
        let file_name = file_name.clone();
        move |event| state.set(Transfer::Moving(format!("Uploading “{file_name}”"), percent(&event)))
    });
    on(&upload, "load", move |_| watch_reading(file_name.clone(), state));
    let finished = request.clone();
    on(&request, "loadend", move |_| match (finished.status().unwrap_or(0), finished.response_text().ok().flatten()) {
        (200, Some(next)) if next.starts_with('/') => {
            let _ = window().location().assign(&next);
        }
        (status, said) => state.set(Transfer::Failed(failure(status, said, "The upload"))),
    });
    request.send_with_opt_form_data(Some(&data)).is_ok()
}
