use super::Loaded;
use super::learning::{LearningBreadcrumb, LearningLinks};
use crate::api::learning::{AddCatalogueActivity, AddExampleActivities, CatalogueView, get_catalogue};
use crate::model::WorkspaceRole;
use crate::model::catalogue::{ActivityKind, EXAMPLES};
use crate::ui::forms::{Field, FormError, FunctionChooser, action_error};
use crate::ui::ids::id_param;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The workspace's catalogue of learning activities: what there is, and adding to it.
#[component]
pub fn CataloguePage() -> impl IntoView {
    let params = use_params_map();
    let add = ServerAction::<AddCatalogueActivity>::new();
    let examples = ServerAction::<AddExampleActivities>::new();
    let catalogue = Resource::new(
        move || (id_param(&params.read(), "id"), add.version().get(), examples.version().get()),
        |(workspace_id, ..)| get_catalogue(workspace_id),
    );
    view! {
        <Title text="Learning activity catalogue"/>
        <Loaded resource=catalogue what="the catalogue" failed_heading="Learning activity catalogue"
            ready=move |view| view! { <Catalogue view add examples/> }/>
    }
}

#[component]
fn Catalogue(view: CatalogueView, add: ServerAction<AddCatalogueActivity>, examples: ServerAction<AddExampleActivities>) -> impl IntoView {
    let CatalogueView { workspace, activities, categories } = view;
    let can_edit = workspace.role.allows(WorkspaceRole::Editor);
    let label = |id: &crate::model::FunctionId| {
        categories.iter().flat_map(|c| &c.functions).find(|f| &f.id == id).map(|f| f.label.clone()).unwrap_or_else(|| id.to_string())
    };
    let missing_examples = EXAMPLES.len() > activities.iter().filter(|a| a.example).count();
    let table = if activities.is_empty() {
        view! { <p class="empty">"The catalogue is empty. Add the activities your organisation offers below."</p> }.into_any()
    } else {
        view! {
            <table class="table catalogue">
                <thead><tr>
                    <th scope="col">"Activity"</th><th scope="col">"Type"</th><th scope="col">"Provider"</th>
                    <th scope="col">"Duration"</th><th scope="col">"Cost per person"</th><th scope="col">"Functions it addresses"</th>
                </tr></thead>
                <tbody>
                    {activities.into_iter().map(|activity| {
                        let details = activity.details;
                        let functions: Vec<String> = details.functions.iter().map(|id| format!("{id} {}", label(id))).collect();
                        view! {
                            <tr>
                                <th scope="row">
                                    {details.title}
                                    {activity.example.then(|| view! { " " <span class="badge">"Example"</span> })}
                                </th>
                                <td>{details.kind.label()}</td>
                                <td>{details.provider}</td>
                                <td>{details.duration}</td>
                                <td>{if details.cost.0 == 0 { "None recorded".to_owned() } else { details.cost.to_string() }}</td>
                                <td><ul class="plain">{functions.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let chosen = RwSignal::new(Vec::<String>::new());
    let error = action_error(add);
    let examples_error = action_error(examples);
    let (examples_workspace, add_workspace) = (workspace.id.clone(), workspace.id.clone());
    // A new activity clears the form's chosen functions.
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(_))) {
            chosen.set(Vec::new());
        }
    });
    view! {
        <LearningBreadcrumb workspace=workspace.clone()/>
        <h1>"Learning activity catalogue"</h1>
        <p class="lead">"The courses, e-learning, shadowing and other activities that meet learning needs. A need can pick one of these, and the programme adds up their cost."</p>
        <LearningLinks workspace_id=workspace.id.clone()/>
        {table}
        {(can_edit && missing_examples).then(|| view! {
            <ActionForm action=examples attr:class="form form--inline no-print">
                <FormError error=examples_error/>
                <input type="hidden" name="workspace_id" value=examples_workspace.clone()/>
                <button type="submit" class="button--secondary" disabled=move || examples.pending().get()>"Add the guide's example activities"</button>
                <p class="hint">"Six activities from the guide's training list, such as CPA standards and update, marked as examples."</p>
            </ActionForm>
        })}
        {can_edit.then(|| view! {
            <h2>"Add an activity"</h2>
            <ActionForm action=add attr:class="form">
                <FormError error/>
                <input type="hidden" name="workspace_id" value=add_workspace.clone()/>
                <input type="hidden" name="functions" prop:value=move || chosen.get().join(" ")/>
                <Field label="Title" name="title" error/>
                <div class="field">
                    <label for="field-kind">"Type"</label>
                    <select id="field-kind" name="kind">
                        {ActivityKind::ALL.into_iter().map(|kind| view! { <option value=kind.as_str()>{kind.label()}</option> }).collect_view()}
                    </select>
                </div>
                <Field label="Provider" name="provider" optional=true error/>
                <Field label="Duration" name="duration" optional=true hint="For example “1 day” or “2 hours”." error/>
                <Field label="Cost per person (£)" name="cost" optional=true hint="Blank for none." error/>
                <fieldset class="field">
                    <legend>"Functions it addresses"</legend>
                    <p class="field__error" aria-live="polite">{move || error.get().and_then(|e| e.for_field("functions"))}</p>
                    <FunctionChooser categories=categories.clone() chosen name="" id_prefix="activity"/>
                </fieldset>
                <button type="submit" disabled=move || add.pending().get()>"Add the activity"</button>
            </ActionForm>
        })}
    }
}
