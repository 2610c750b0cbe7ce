use super::Loaded;
use super::imports::ImportForm;
use crate::api::AppError;
use crate::api::org_maps::{CreateOrgMap, CreateSampleWorkspace, MapList, list_org_maps};
use crate::model::WorkspaceRole;
use crate::model::matrix::DEFAULT_THRESHOLD;
use crate::ui::forms::{Field, FormError, action_error};
use crate::ui::ids::id_param;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// A workspace's organisation maps: open one, start one, or compare two.
#[component]
pub fn MapsPage() -> impl IntoView {
    let params = use_params_map();
    let create = ServerAction::<CreateOrgMap>::new();
    let maps = Resource::new(move || id_param(&params.read(), "id"), list_org_maps);
    view! {
        <Title text="Organisation maps"/>
        <Loaded resource=maps what="the maps" failed_heading="Organisation maps" ready=move |list| view! { <MapListView list create/> }/>
    }
}

#[component]
fn MapListView(list: MapList, create: ServerAction<CreateOrgMap>) -> impl IntoView {
    let MapList { workspace, maps, frameworks, today } = list;
    let can_edit = workspace.role.allows(WorkspaceRole::Editor);
    let import_workspace = workspace.id.clone();
    let error = action_error(create);
    let today = today.to_string();
    let choices = framework_choices(&frameworks);
    let map_choices: Vec<(String, String)> = maps.iter().map(|m| (m.id.to_string(), format!("{}, {}", m.details.area, m.details.date.long()))).collect();
    let workspace_id = workspace.id.clone();
    let map_table = if maps.is_empty() {
        view! { <p class="empty">"No maps yet. Start one below, or try the sample area from “Your workspaces”."</p> }.into_any()
    } else {
        view! {
            <table class="table">
                <thead><tr><th scope="col">"Area"</th><th scope="col">"Date"</th><th scope="col">"Organisations"</th><th scope="col">"Plan"</th></tr></thead>
                <tbody>
                    {maps.clone().into_iter().map(|map| {
                        let path = crate::paths::org_map(&workspace_id, &map.id);
                        view! {
                            <tr>
                                <th scope="row"><A href=path.clone()>{map.details.area}</A></th>
                                <td>{map.details.date.long()}</td>
                                <td>{map.organisation_count}</td>
                                <td><A href=crate::paths::plan(&workspace_id, &map.id)>"Implementation plan"</A></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <p class="breadcrumb"><A href=crate::paths::workspace(&workspace.id)>{workspace.name.clone()}</A></p>
        <h1>"Organisation maps"</h1>
        <p class="lead">
            "Map which organisations in an area provide which coordinating-care functions, "
            "to find the gaps, the functions resting on one provider, and possible duplication."
        </p>
        {map_table}
        {(map_choices.len() >= 2).then(|| {
            let (latest, previous) = (map_choices[0].0.clone(), map_choices[1].0.clone());
            view! {
                <h2>"Review: compare two maps"</h2>
                <form class="form form--inline" method="get" action=crate::paths::review(&workspace_id)>
                    <div class="field">
                        <label for="review-baseline">"Baseline"</label>
                        <MapSelect id="review-baseline" name="baseline" choices=map_choices.clone() selected=previous/>
                    </div>
                    <div class="field">
                        <label for="review-current">"Compared with"</label>
                        <MapSelect id="review-current" name="current" choices=map_choices.clone() selected=latest/>
                    </div>
                    <button type="submit">"Compare"</button>
                </form>
            }
        })}
        {can_edit.then(|| view! {
            <h2>"Start a map"</h2>
            <ActionForm action=create attr:class="form">
                <FormError error/>
                <input type="hidden" name="workspace_id" value=workspace.id.clone()/>
                <FrameworkSelect choices/>
                <MapDetailsFields
                    form_id=""
                    area=String::new()
                    date=today
                    threshold=DEFAULT_THRESHOLD.to_string()
                    error
                    explained=true
                />
                <button type="submit" disabled=move || create.pending().get()>"Create the map"</button>
            </ActionForm>
            <ImportForm workspace_id=import_workspace.clone() kind="org-map" heading="Or import a map from a spreadsheet"/>
        })}
    }
}

/// The frameworks a matrix can cover: the default first (the guide's functions with the core
/// ones), then each framework alone; as (value, label).
pub(super) fn framework_choices(frameworks: &[crate::model::FrameworkSummary]) -> Vec<(String, String)> {
    let find = |id: &str| frameworks.iter().find(|f| f.id.as_str() == id);
    let mut choices: Vec<(String, String)> = Vec::new();
    if let (Some(a), Some(b)) = (find(crate::frameworks::COORDINATING_CARE), find(crate::frameworks::CORE_FUNCTIONS)) {
        choices.push((format!("{} {}", a.id, b.id), format!("{} and {} ({} functions)", a.name, b.name, a.function_count + b.function_count)));
    }
    choices.extend(frameworks.iter().map(|f| (f.id.to_string(), format!("{} ({} functions)", f.name, f.function_count))));
    choices
}

/// Chooses the frameworks of a new matrix.
#[component]
pub(super) fn FrameworkSelect(choices: Vec<(String, String)>) -> impl IntoView {
    view! {
        <div class="field">
            <label for="field-frameworks">"Functions to map"</label>
            <select id="field-frameworks" name="frameworks">
                {choices.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// A map's area, date and duplication threshold, filled with the given values.
#[component]
pub fn MapDetailsFields(
    form_id: &'static str,
    area: String,
    date: String,
    threshold: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// Shows what each field means, for a new map.
    #[prop(optional)]
    explained: bool,
) -> impl IntoView {
    let hint = |text: &'static str| if explained { text } else { "" };
    view! {
        <Field label="Area" name="area" form_id value=area hint=hint("The local area the map covers, e.g. “Northshire”.") error/>
        <Field label="Date" name="date" kind="date" form_id value=date error/>
        <Field
            label="Duplication threshold"
            name="threshold"
            kind="number"
            form_id
            value=threshold
            hint=hint("More organisations than this fully providing one function is flagged as possible duplication.")
            error
        />
    }
}

#[component]
fn MapSelect(id: &'static str, name: &'static str, choices: Vec<(String, String)>, selected: String) -> impl IntoView {
    view! {
        <select id=id name=name>
            {choices.into_iter().map(|(value, label)| {
                let is_selected = value == selected;
                view! { <option value=value selected=is_selected>{label}</option> }
            }).collect_view()}
        </select>
    }
}

/// "Try with sample data": a new workspace with a filled map, in one click.
#[component]
pub fn SampleButton() -> impl IntoView {
    let sample = ServerAction::<CreateSampleWorkspace>::new();
    let error = action_error(sample);
    view! {
        <ActionForm action=sample attr:class="form form--inline">
            <FormError error/>
            <button type="submit" class="button--secondary" disabled=move || sample.pending().get()>
                "Try with sample data"
            </button>
            <p class="hint">"Creates a workspace with a sample area: seven organisations, a filled map with gaps, a baseline a year earlier, a plan, and a mental health team's role map with job descriptions."</p>
        </ActionForm>
    }
}
