//! Recording one function's learning need: the form shared by an analysis's page and a team's
//! grid, and the words for a need at a glance.

use crate::api::AppError;
use crate::api::learning::{SetNeed, set_need};
use crate::model::CareFunction;
use crate::model::catalogue::CatalogueActivity;
use crate::model::programme::{Activity, NeedStatus, Priority, StoredNeed};
use crate::model::{AnalysisId, WorkspaceId};
use crate::ui::forms::{FormError, TextArea, action_error};
use leptos::prelude::*;

/// A need in a few words, e.g. "High priority, planned".
pub fn need_summary(stored: &StoredNeed) -> String {
    let need = &stored.need;
    if stored.version == 0 {
        return "Not assessed".into();
    }
    match need.priority {
        Priority::None => format!("No need, {}", need.status.label().to_lowercase()),
        priority => format!("{} priority, {}", priority.label(), need.status.label().to_lowercase()),
    }
}

/// Saves a need with a new priority and status and everything else as it was, version-checked
/// like the full form; answers the need as stored.
pub async fn save_in_place(
    workspace_id: WorkspaceId,
    analysis_id: AnalysisId,
    stored: StoredNeed,
    priority: Priority,
    status: NeedStatus,
) -> Result<StoredNeed, AppError> {
    let need = stored.need;
    let (activity, described) = need.activity_fields();
    let target = need.target.map(|date| date.to_string()).unwrap_or_default();
    let (priority, status) = (priority.as_str().to_owned(), status.as_str().to_owned());
    set_need(workspace_id, analysis_id, need.function_id.to_string(), stored.version, priority, need.need, activity, described, need.comment, target, status)
        .await
}

/// The activity meeting a need, in words.
pub fn activity_title(activity: &Option<Activity>, catalogue: &[CatalogueActivity]) -> String {
    match activity {
        None => String::new(),
        Some(Activity::Described(text)) => text.clone(),
        Some(Activity::Catalogue(id)) => {
            catalogue.iter().find(|a| &a.id == id).map_or_else(|| "(an activity no longer in the catalogue)".into(), |a| a.details.title.clone())
        }
    }
}

/// The form for one function's need. Saving sets `stored` to what the server stored and
/// closes; a stale edit or a bad value is shown and nothing changes.
#[component]
pub fn NeedForm(
    workspace_id: WorkspaceId,
    analysis_id: AnalysisId,
    function: CareFunction,
    /// Whose need, e.g. "Asha Patel"; names the form.
    whose: String,
    stored: RwSignal<StoredNeed>,
    catalogue: StoredValue<Vec<CatalogueActivity>>,
    /// Says what was saved, politely.
    status: RwSignal<String>,
    on_close: Callback<()>,
) -> impl IntoView {
    let action = ServerAction::<SetNeed>::new();
    let error = action_error(action);
    let field_error =
        move |name: &'static str| move || error.get().and_then(|e| e.for_field(name)).map(|message| view! { <p class="field__error">{message}</p> });
    let label = function.label.clone();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = action.value().get() {
            status.set(format!("Saved: {label}: {}.", need_summary(&saved)));
            stored.set(saved);
            on_close.run(());
        }
    });
    let current = stored.get_untracked();
    let need = current.need.clone();
    let (chosen, described) = need.activity_fields();
    let (addressing, others): (Vec<CatalogueActivity>, Vec<CatalogueActivity>) =
        catalogue.get_value().into_iter().partition(|a| a.details.functions.contains(&function.id));
    let option = move |activity: CatalogueActivity, chosen: &str| {
        let cost = if activity.details.cost.0 == 0 { String::new() } else { format!(", {} each", activity.details.cost) };
        view! {
            <option value=activity.id.clone() selected=activity.id.as_str() == chosen>
                {format!("{} ({}{cost})", activity.details.title, activity.details.kind.label().to_lowercase())}
            </option>
        }
    };
    let input = NodeRef::<leptos::html::Select>::new();
    Effect::new(move |_| {
        if let Some(element) = input.get() {
            let _ = element.focus();
        }
    });
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        if event.key() == "Escape" {
            event.prevent_default();
            on_close.run(());
        }
    };
    let heading = format!("{} – {}", whose, function.label);
    view! {
        <div class="need-form" role="group" aria-labelledby="need-form-heading" on:keydown=on_keydown>
            <h3 id="need-form-heading">{heading}</h3>
            <p class="hint">{function.statement.clone()}</p>
            <ActionForm action attr:class="form">
                <FormError error/>
                <input type="hidden" name="workspace_id" value=workspace_id/>
                <input type="hidden" name="analysis_id" value=analysis_id/>
                <input type="hidden" name="function_id" value=function.id.to_string()/>
                <input type="hidden" name="version" value=current.version/>
                <div class="form--row">
                    <div class="field">
                        <label for="need-priority">"Priority"</label>
                        {field_error("priority")}
                        <select id="need-priority" name="priority" node_ref=input>
                            {Priority::ALL.into_iter().map(|p| view! { <option value=p.as_str() selected=p == need.priority>{p.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="need-status">"Status"</label>
                        {field_error("status")}
                        <select id="need-status" name="status">
                            {NeedStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=s == need.status>{s.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="need-target">"Target date"</label>
                        {field_error("target")}
                        <input id="need-target" name="target" type="date" value=need.target.map(|t| t.to_string()).unwrap_or_default()/>
                    </div>
                </div>
                <div class="field">
                    <label for="need-text">"Identified learning need"</label>
                    {field_error("need")}
                    <TextArea id="need-text".to_owned() name="need" rows=2 maxlength=1000 value=need.need.clone()/>
                </div>
                <div class="field">
                    <label for="need-activity">"Activity to support learning, from the catalogue"</label>
                    {field_error("activity")}
                    <select id="need-activity" name="activity">
                        <option value="" selected=chosen.is_empty()>"None chosen: describe one below"</option>
                        {(!addressing.is_empty()).then(|| {
                            let chosen = chosen.clone();
                            view! { <optgroup label="Addresses this function">{addressing.into_iter().map(|a| option(a, &chosen)).collect_view()}</optgroup> }
                        })}
                        {(!others.is_empty()).then(|| {
                            let chosen = chosen.clone();
                            view! { <optgroup label="Other activities">{others.into_iter().map(|a| option(a, &chosen)).collect_view()}</optgroup> }
                        })}
                    </select>
                </div>
                <div class="field">
                    <label for="need-described">"Or an activity in your own words"</label>
                    {field_error("described")}
                    <input id="need-described" name="described" type="text" maxlength="200" value=described/>
                </div>
                <div class="field">
                    <label for="need-comment">"Comment"</label>
                    {field_error("comment")}
                    <TextArea id="need-comment".to_owned() name="comment" rows=2 maxlength=1000 value=need.comment.clone()/>
                </div>
                <div class="form--row">
                    <button type="submit" disabled=move || action.pending().get()>"Save the need"</button>
                    <button type="button" class="button--secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                </div>
            </ActionForm>
        </div>
    }
}
