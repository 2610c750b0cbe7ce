use super::Loaded;
use crate::api::imports::{ApplyImport, CancelImport, ImportPreview, get_import_preview};
use crate::model::WorkspaceId;
use crate::ui::forms::{FormError, action_error};
use crate::ui::ids::id_param;
use crate::ui::transfer::{Transfer, TransferStatus, send_form};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// Uploads a spreadsheet for a preview of its import: a plain form, so it works without
/// script; with script, it shows how much is sent, then that the file is being read.
#[component]
pub(super) fn ImportForm(
    workspace_id: WorkspaceId,
    /// "org-map", "role-map", "learning" or "framework".
    kind: &'static str,
    /// The matrix to update; none for a new one.
    #[prop(optional)]
    target: Option<String>,
    /// What the form is for, e.g. "Update this map from a spreadsheet".
    heading: &'static str,
) -> impl IntoView {
    let state = RwSignal::new(Transfer::Idle);
    let field = format!("import-file-{kind}");
    let on_submit = {
        let field = field.clone();
        move |event: web_sys::SubmitEvent| {
            if matches!(state.get_untracked(), Transfer::Moving(..) | Transfer::Waiting(_)) {
                event.prevent_default();
                return;
            }
            let name = document()
                .get_element_by_id(&field)
                .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|input| input.value())
                .unwrap_or_default();
            let name = name.rsplit(['/', '\\']).next().unwrap_or_default().to_owned();
            let form = event.target().and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok());
            // Without the request object the form is sent as a plain one.
            if form.is_some_and(|form| send_form(&form, name, state)) {
                event.prevent_default();
            }
        }
    };
    view! {
        <details class="panel no-print import-form">
            <summary>{heading}</summary>
            <form method="post" action=crate::paths::imports(&workspace_id) enctype="multipart/form-data" class="form" on:submit=on_submit>
                <input type="hidden" name="kind" value=kind/>
                <input type="hidden" name="target" value=target.unwrap_or_default()/>
                <div class="field">
                    <label for=field.clone()>"Spreadsheet file"</label>
                    <p class="hint" id=format!("{field}-hint")>
                        "An .xlsx, .xls, .xlsb, .ods or .csv file of up to 25 MB: one caremap exported, or "
                        {if kind == "framework" { "a table of functions headed “Category” and “Function”. " } else { "a matrix filled in by hand in the guide's layout. " }}
                        "You will see what it would change before anything is saved."
                    </p>
                    <input id=field.clone() type="file" name="file" required accept=".xlsx,.xlsm,.xls,.xlsb,.ods,.csv" aria-describedby=format!("{field}-hint")/>
                </div>
                <button type="submit">"Preview the import"</button>
                <TransferStatus state/>
            </form>
        </details>
    }
}

/// What an uploaded spreadsheet would change, and the choice to import it or not.
#[component]
pub fn ImportPreviewPage() -> impl IntoView {
    let params = use_params_map();
    let preview = Resource::new(
        move || {
            let params = params.read();
            (id_param(&params, "id"), id_param(&params, "import"))
        },
        |(workspace_id, import_id)| get_import_preview(workspace_id, import_id),
    );
    view! {
        <Title text="Import preview"/>
        <Loaded resource=preview what="the file" failed_heading="Import preview" ready=move |preview| view! { <Preview preview/> }/>
    }
}

#[component]
fn Preview(preview: ImportPreview) -> impl IntoView {
    let apply = ServerAction::<ApplyImport>::new();
    let cancel = ServerAction::<CancelImport>::new();
    let error = Signal::derive(move || action_error(apply).get().or_else(|| action_error(cancel).get()));
    let workspace_id = preview.workspace.id.clone();
    let apply_ids = (workspace_id.clone(), preview.import_id.clone(), preview.fingerprint.clone());
    let kind = preview.kind.clone();
    let framework = preview.kind == "framework";
    let into = match preview.target.clone() {
        Some((href, title)) => view! { "into the " {kind} " " <A href=href>{title}</A> }.into_any(),
        None => format!("as a new {}", preview.kind).into_any(),
    };
    let refused = !preview.errors.is_empty();
    let nothing = !refused && preview.added + preview.changed == 0;
    view! {
        <p class="breadcrumb"><A href=crate::paths::workspace(&workspace_id)>{preview.workspace.name.clone()}</A></p>
        <h1>{format!("Import “{}”", preview.file_name)}</h1>
        {if refused {
            view! {
                <div class="notice notice--error" role="alert">
                    <p>"This file cannot be imported. Nothing was saved."</p>
                    <ul>{preview.errors.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
                </div>
            }.into_any()
        } else {
            view! {
                <p class="lead">"Nothing has been saved yet. This is what importing the file " {into} " would do:"</p>
                <ul class="summary__counts totals" aria-label="What the import does">
                    <li id="import-added">{format!("Added: {}", preview.added)}</li>
                    <li id="import-changed">{format!("Changed: {}", preview.changed)}</li>
                    <li id="import-unchanged">{format!("Left as they are: {}", preview.unchanged)}</li>
                </ul>
            }.into_any()
        }}
        {(!preview.new_columns.is_empty()).then(|| view! {
            <h2>{if framework { "New functions" } else { "New columns" }}</h2>
            <ul class="new-columns">{preview.new_columns.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
        })}
        {(!preview.warnings.is_empty()).then(|| view! {
            <h2>"Worth a look"</h2>
            <ul class="warnings">{preview.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}</ul>
        })}
        {(!preview.unmatched.is_empty()).then(|| view! {
            <h2>{format!("Not understood ({}), and left out", preview.unmatched.len())}</h2>
            <table class="table unmatched">
                <thead><tr><th scope="col">"Sheet"</th><th scope="col">"Row"</th><th scope="col">"Column"</th><th scope="col">"Text"</th><th scope="col">"Why"</th></tr></thead>
                <tbody>
                    {preview.unmatched.iter().map(|u| view! {
                        <tr><td>{u.sheet.clone()}</td><td>{u.row}</td><td>{u.column.clone()}</td><td>{u.text.clone()}</td><td>{u.reason.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {(!preview.fuzzy.is_empty()).then(|| view! {
            <h2>"Labels read by likeness"</h2>
            <p class="hint">"These labels are not the functions' own words; check each was read as the function meant."</p>
            <ul class="fuzzy">{preview.fuzzy.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}</ul>
        })}
        {(!preview.changes.is_empty()).then(|| view! {
            <h2>{format!("{} that change ({})", if framework { "Functions" } else { "Cells" }, preview.changes.len())}</h2>
            <table class="table changes">
                <thead><tr><th scope="col">{if framework { "Category" } else { "Column" }}</th><th scope="col">"Function"</th><th scope="col">"Now"</th><th scope="col">"After"</th></tr></thead>
                <tbody>
                    {preview.changes.iter().map(|c| view! {
                        <tr><td>{c.column.clone()}</td><td>{c.function.clone()}</td><td>{c.from.clone()}</td><td>{c.to.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        <FormError error/>
        <div class="form--row no-print">
            {(!refused && !nothing).then(|| view! {
                <ActionForm action=apply attr:class="form form--inline">
                    <input type="hidden" name="workspace_id" value=apply_ids.0.clone()/>
                    <input type="hidden" name="import_id" value=apply_ids.1.clone()/>
                    <input type="hidden" name="fingerprint" value=apply_ids.2.clone()/>
                    <button type="submit" disabled=move || apply.pending().get()>"Import"</button>
                </ActionForm>
            })}
            <ActionForm action=cancel attr:class="form form--inline">
                <input type="hidden" name="workspace_id" value=workspace_id.clone()/>
                <input type="hidden" name="import_id" value=preview.import_id.clone()/>
                <button type="submit" class="button--secondary">{if refused || nothing { "Done" } else { "Cancel" }}</button>
            </ActionForm>
        </div>
        {move || apply.pending().get().then(|| view! { <p class="transfer" role="status"><progress></progress>" Importing…"</p> })}
        {nothing.then(|| view! { <p class="empty">"The file says what is here already: there is nothing to import."</p> })}
    }
}
