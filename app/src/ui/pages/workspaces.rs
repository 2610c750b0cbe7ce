use super::Loaded;
use crate::api::workspaces::{CreateWorkspace, my_workspaces};
use crate::model::WorkspaceSummary;
use crate::ui::forms::{Field, FormError, action_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The signed-in person's workspaces, and a form to start a new one.
#[component]
pub fn Workspaces() -> impl IntoView {
    let create = ServerAction::<CreateWorkspace>::new();
    let error = action_error(create);
    let workspaces = Resource::new(|| (), |_| my_workspaces());
    view! {
        <Title text="Your workspaces"/>
        <h1>"Your workspaces"</h1>
        <p class="lead">
            "A workspace holds one local area's or one organisation's maps and plans. "
            "Only its members can see it."
        </p>
        <Loaded resource=workspaces what="your workspaces" ready=workspace_list/>
        <super::SampleButton/>
        <h2>"Create a workspace"</h2>
        <ActionForm action=create attr:class="form">
            <FormError error/>
            <Field label="Workspace name" name="name" hint="For example, the local area or organisation: “Northshire adult social care”." error/>
            <button type="submit" disabled=move || create.pending().get()>"Create the workspace"</button>
        </ActionForm>
    }
}

fn workspace_list(list: Vec<WorkspaceSummary>) -> AnyView {
    if list.is_empty() {
        return view! {
            <p class="empty">"You are not in any workspace yet. Create one below, or open an invitation link you were sent."</p>
        }
        .into_any();
    }
    view! {
        <ul class="card-list">
            {list.into_iter().map(|workspace| view! {
                <li class="card">
                    <h2><A href=crate::paths::workspace(&workspace.id)>{workspace.name}</A></h2>
                    <p class="card__meta">{format!("Your role: {}", workspace.role.label())}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
