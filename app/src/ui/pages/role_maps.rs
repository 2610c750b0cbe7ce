use super::Loaded;
use super::imports::ImportForm;
use super::maps::{FrameworkSelect, framework_choices};
use crate::api::role_maps::{CreateRoleMap, RoleMapList, list_role_maps};
use crate::model::WorkspaceRole;
use crate::ui::forms::{Field, FormError, action_error};
use crate::ui::ids::id_param;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// A workspace's role maps: open one or start one.
#[component]
pub fn RoleMapsPage() -> impl IntoView {
    let params = use_params_map();
    let create = ServerAction::<CreateRoleMap>::new();
    let maps = Resource::new(move || id_param(&params.read(), "id"), list_role_maps);
    view! {
        <Title text="Role maps"/>
        <Loaded resource=maps what="the role maps" failed_heading="Role maps" ready=move |list| view! { <RoleMapListView list create/> }/>
    }
}

#[component]
fn RoleMapListView(list: RoleMapList, create: ServerAction<CreateRoleMap>) -> impl IntoView {
    let RoleMapList { workspace, maps, frameworks, today } = list;
    let can_edit = workspace.role.allows(WorkspaceRole::Editor);
    let import_workspace = workspace.id.clone();
    let error = action_error(create);
    let workspace_id = workspace.id.clone();
    let table = if maps.is_empty() {
        view! { <p class="empty">"No role maps yet. Start one below for a service or team."</p> }.into_any()
    } else {
        view! {
            <table class="table">
                <thead><tr><th scope="col">"Organisation"</th><th scope="col">"Date"</th><th scope="col">"Functions needed"</th><th scope="col">"Roles"</th></tr></thead>
                <tbody>
                    {maps.into_iter().map(|map| view! {
                        <tr>
                            <th scope="row"><A href=crate::paths::role_map(&workspace_id, &map.id)>{map.details.organisation}</A></th>
                            <td>{map.details.date.long()}</td>
                            <td>{map.needed.len()}</td>
                            <td>{map.role_count}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any()
    };
    view! {
        <p class="breadcrumb"><A href=crate::paths::workspace(&workspace.id)>{workspace.name.clone()}</A></p>
        <h1>"Role maps"</h1>
        <p class="lead">
            "For one service: choose the functions it needs, list its roles, and map which role leads or supports each "
            "function. caremap shows the gaps and overlaps, and writes a job description for each role."
        </p>
        {table}
        {can_edit.then(|| view! {
            <h2>"Start a role map"</h2>
            <ActionForm action=create attr:class="form">
                <FormError error/>
                <input type="hidden" name="workspace_id" value=workspace.id.clone()/>
                <Field label="Organisation" name="organisation" hint="The organisation or service, e.g. “Northshire Community Mental Health Team”." error/>
                <Field label="Date" name="date" kind="date" value=today.to_string() error/>
                <FrameworkSelect choices=framework_choices(&frameworks)/>
                <button type="submit" disabled=move || create.pending().get()>"Create the role map"</button>
            </ActionForm>
            <ImportForm workspace_id=import_workspace.clone() kind="role-map" heading="Or import a role map from a spreadsheet"/>
        })}
    }
}
