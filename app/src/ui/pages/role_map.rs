use super::Loaded;
use super::imports::ImportForm;
use super::org_map::{MapHeader, MapTab, PrintedOn, map_route};
use crate::api::role_maps::{AddRole, MoveRole, RemoveRole, RestoreRole, RoleMapView, SetRoleMenu, UpdateRole, UpdateRoleMap, get_role_map, set_role_cell};
use crate::model::WorkspaceRole;
use crate::model::matrix::{Level, cell_index};
use crate::model::role_map::{Involvement, OVERLAP_THRESHOLD, Role, RoleDetails, RoleMap, default_menu, status_label, status_tone};
use crate::model::{RoleId, RoleMapId, WorkspaceId};
use crate::ui::forms::{ConfirmRemove, Field, FormError, FunctionChooser, action_error, print_window};
use crate::ui::matrix::{Column, Matrix, MatrixKind, MatrixState, Summary, cell_saver};
use crate::ui::transfer::DownloadLink;
use leptos::prelude::*;
use leptos_router::components::A;

/// Every change a role map page can make besides its cells; the page reloads the map after each.
#[derive(Clone, Copy)]
struct RoleMapActions {
    update: ServerAction<UpdateRoleMap>,
    menu: ServerAction<SetRoleMenu>,
    add: ServerAction<AddRole>,
    edit: ServerAction<UpdateRole>,
    reorder: ServerAction<MoveRole>,
    remove: ServerAction<RemoveRole>,
    restore: ServerAction<RestoreRole>,
}

/// A role map's matrix, under a short summary, and the load of each role.
#[component]
pub fn RoleMapPage() -> impl IntoView {
    role_map_page(MapTab::Matrix)
}

/// A role map's functions needed, roles, details and import.
#[component]
pub fn RoleMapRolesPage() -> impl IntoView {
    role_map_page(MapTab::Columns)
}

fn role_map_page(tab: MapTab) -> impl IntoView {
    let route = map_route();
    let actions = RoleMapActions {
        update: ServerAction::new(),
        menu: ServerAction::new(),
        add: ServerAction::new(),
        edit: ServerAction::new(),
        reorder: ServerAction::new(),
        remove: ServerAction::new(),
        restore: ServerAction::new(),
    };
    let map = Resource::new(
        move || {
            let versions = [
                actions.update.version().get(),
                actions.menu.version().get(),
                actions.add.version().get(),
                actions.edit.version().get(),
                actions.reorder.version().get(),
                actions.remove.version().get(),
                actions.restore.version().get(),
            ];
            (route(), versions)
        },
        |((workspace_id, map_id), _)| get_role_map(workspace_id, map_id),
    );
    view! {
        <Loaded resource=map what="the role map" failed_heading="Role map not available" ready=move |view| view! { <RoleMapEditor view actions tab/> }/>
    }
}

/// A role map's words for the summary and the matrix.
const ROLE_MAP: MatrixKind = MatrixKind { status_label, tone: status_tone, threshold: OVERLAP_THRESHOLD, covered: "led by a role" };

#[component]
fn RoleMapEditor(view: RoleMapView, actions: RoleMapActions, tab: MapTab) -> impl IntoView {
    let RoleMapView { workspace, map, today } = view;
    let can_edit = workspace.role.allows(WorkspaceRole::Editor);
    let (workspace_id, map_id) = (workspace.id.clone(), map.summary.id.clone());
    let title = format!("{}: role map, {}", map.summary.details.organisation, map.summary.details.date.long());
    let roles_href = crate::paths::role_map_roles(&workspace_id, &map_id);
    let header = view! {
        <MapHeader workspace=workspace.clone() list=(crate::paths::role_maps(&workspace_id), "Role maps") title current=tab
            matrix_href=crate::paths::role_map(&workspace_id, &map_id) columns_href=roles_href.clone()
            columns_label=format!("Functions needed ({}), roles ({}) and details", map.summary.needed.len(), map.roles.len()) columns_title="Roles"/>
    };
    if tab == MapTab::Columns {
        return view! {
            {header}
            {can_edit.then(|| view! { <MenuEditor map=map.clone() workspace_id=workspace_id.clone() actions/> })}
            <Roles map=map.clone() workspace_id=workspace_id.clone() actions can_edit/>
            {can_edit.then(|| view! { <MapDetails map=map.clone() workspace_id=workspace_id.clone() actions/> })}
            {can_edit.then(|| view! {
                <ImportForm workspace_id=workspace_id.clone() kind="role-map" target=map_id.to_string() heading="Update this role map from a spreadsheet"/>
            })}
        }
        .into_any();
    }
    let index = cell_index(&map.cells);
    let columns: Vec<Column<_>> = map.roles.iter().map(|r| Column { id: r.id.clone(), name: r.details.title.clone() }).collect();
    let state = MatrixState::new(ROLE_MAP, map.menu(), columns, |function, column| {
        index.get(&(&function.id, &column.id)).map(|cell| (*cell).clone()).unwrap_or_default()
    });
    let save = can_edit.then(|| cell_saver(workspace_id.clone(), map_id.clone(), set_role_cell));
    let analysis = map.analysis();
    let role_name = |id: &RoleId| map.roles.iter().find(|r| &r.id == id).map(|r| r.details.title.clone()).unwrap_or_default();
    let function_label =
        |id: &crate::model::FunctionId| map.categories.iter().flat_map(|c| &c.functions).find(|f| &f.id == id).map(|f| f.label.clone()).unwrap_or_default();
    let not_needed: Vec<String> = analysis
        .not_needed
        .iter()
        .map(|cell| format!("{} {} “{}”", role_name(&cell.role_id), cell.level.label().to_lowercase(), function_label(&cell.function_id)))
        .collect();
    view! {
        {header}
        <PrintedOn today/>
        <p class="card__meta">
            {format!("{} roles · {} functions needed", map.roles.len(), map.summary.needed.len())}
        </p>
        <nav class="page-links no-print" aria-label="This role map">
            <DownloadLink href=crate::paths::role_map_file(&workspace_id, &map_id) label="Download as a spreadsheet (.xlsx)"/>
            <button type="button" class="link-button" on:click=|_| print_window()>"Print"</button>
        </nav>
        <Summary analysis=state.analysis kind=ROLE_MAP/>
        <h2 id="matrix-heading" class="matrix-heading" tabindex="-1">"Matrix: which role does which needed function"</h2>
        <Matrix state save column_noun="role" columns_href=roles_href/>
        <RoleLoads state roles=map.roles.clone() workspace_id=workspace_id.clone() map_id=map_id.clone()/>
        {(!not_needed.is_empty()).then(|| view! {
            <section class="not-needed" aria-labelledby="not-needed-heading">
                <h2 id="not-needed-heading">{format!("Done but not needed by the service ({})", not_needed.len())}</h2>
                <p class="hint">"Work roles do on functions that are not on the menu: add the function to the menu, or stop the work."</p>
                <ul>{not_needed.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
            </section>
        })}
    }
    .into_any()
}

/// How many needed functions each role leads and supports, with its job description.
#[component]
fn RoleLoads(state: MatrixState<Involvement>, roles: Vec<Role>, workspace_id: WorkspaceId, map_id: RoleMapId) -> impl IntoView {
    (!roles.is_empty()).then(|| {
        view! {
            <section aria-labelledby="loads-heading">
                <h2 id="loads-heading">"Functions per role"</h2>
                <table class="table role-loads">
                    <thead><tr><th scope="col">"Role"</th><th scope="col">"Leads"</th><th scope="col">"Supports"</th><th scope="col" class="no-print">"Job description"</th></tr></thead>
                    <tbody>
                        {roles.into_iter().enumerate().map(|(column, role)| {
                            let counts = move || state.column_counts().get(column).copied().unwrap_or_default();
                            view! {
                                <tr>
                                    <th scope="row">{role.details.title.clone()}</th>
                                    <td>{move || counts().0}</td>
                                    <td>{move || counts().1}</td>
                                    <td class="no-print">
                                        <A href=crate::paths::job_description(&workspace_id, &map_id, &role.id)>{format!("Job description: {}", role.details.title)}</A>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }
    })
}

/// The role map's organisation and date.
#[component]
fn MapDetails(map: RoleMap, workspace_id: WorkspaceId, actions: RoleMapActions) -> impl IntoView {
    let error = action_error(actions.update);
    let details = map.summary.details;
    view! {
        <details class="panel no-print">
            <summary>"Role map details"</summary>
            <ActionForm action=actions.update attr:class="form form--inline">
                <FormError error/>
                <input type="hidden" name="workspace_id" value=workspace_id/>
                <input type="hidden" name="map_id" value=map.summary.id/>
                <input type="hidden" name="version" value=map.summary.version/>
                <Field label="Organisation" name="organisation" form_id="details" value=details.organisation error/>
                <Field label="Date" name="date" kind="date" form_id="details" value=details.date.to_string() error/>
                <button type="submit">"Save the details"</button>
            </ActionForm>
        </details>
    }
}

/// Step 1: tick the functions the service needs, with select-all per category.
#[component]
fn MenuEditor(map: RoleMap, workspace_id: WorkspaceId, actions: RoleMapActions) -> impl IntoView {
    let chosen = RwSignal::new(map.summary.needed.iter().map(|id| id.to_string()).collect::<Vec<String>>());
    let error = action_error(actions.menu);
    let (map_id, version) = (map.summary.id.clone(), map.summary.version);
    let save = move |_| {
        let needed = chosen.get_untracked().join(" ");
        actions.menu.dispatch(SetRoleMenu { workspace_id: workspace_id.clone(), map_id: map_id.clone(), version, needed });
    };
    // Open while the map is new: no roles yet, or the menu as it started.
    let open = map.roles.is_empty() || map.summary.needed == default_menu(&map.categories);
    view! {
        <details class="panel no-print menu" open=open>
            <summary>{move || format!("1. Functions the service needs ({} ticked)", chosen.read().len())}</summary>
            <p class="hint">"Tick the functions this service needs. The core functions for all workers are ticked to start with. Only ticked functions appear in the matrix."</p>
            <FormError error/>
            <FunctionChooser categories=map.categories.clone() chosen name="needed" id_prefix="menu"/>
            <button type="button" on:click=save disabled=move || actions.menu.pending().get()>"Save the menu"</button>
        </details>
    }
}

/// Step 2: the roles across the top of the matrix: add, edit, reorder, remove and put back.
#[component]
fn Roles(map: RoleMap, workspace_id: WorkspaceId, actions: RoleMapActions, can_edit: bool) -> impl IntoView {
    let add_error = action_error(actions.add);
    let list_error = Signal::derive(move || {
        action_error(actions.edit)
            .get()
            .or_else(|| action_error(actions.reorder).get())
            .or_else(|| action_error(actions.remove).get())
            .or_else(|| action_error(actions.restore).get())
    });
    let ids = StoredValue::new((workspace_id, map.summary.id.clone()));
    let count = map.roles.len();
    let hidden = move |role_id: RoleId| {
        let (workspace_id, map_id) = ids.get_value();
        view! {
            <input type="hidden" name="workspace_id" value=workspace_id/>
            <input type="hidden" name="map_id" value=map_id/>
            <input type="hidden" name="role_id" value=role_id/>
        }
    };
    view! {
        <section class="no-print" aria-labelledby="roles-heading">
            <h2 id="roles-heading">{format!("2. Roles ({count})")}</h2>
            <FormError error=list_error/>
            {(!map.roles.is_empty()).then(|| view! {
                <table class="table table--stack">
                    <thead><tr><th scope="col">"Title"</th><th scope="col">"Team"</th><th scope="col">"Grade or band"</th><th scope="col">"Hours"</th>{can_edit.then(|| view! { <th scope="col">"Change"</th> })}</tr></thead>
                    <tbody>
                        {map.roles.iter().enumerate().map(|(index, role)| {
                            let Role { id, details, version } = role.clone();
                            let title = details.title.clone();
                            let role_id = StoredValue::new(id.clone());
                            let remove_label = StoredValue::new(format!("Remove {title}"));
                            view! {
                                <tr>
                                    <th scope="row">{details.title.clone()}</th>
                                    <td>{details.team.clone()}</td>
                                    <td>{details.grade.clone()}</td>
                                    <td>{details.hours.clone()}</td>
                                    {can_edit.then(|| view! {
                                    <td class="table__actions">
                                        {[("left", "←", index > 0), ("right", "→", index + 1 < count)].into_iter().filter(|(_, _, possible)| *possible).map(|(direction, arrow, _)| {
                                            let label = format!("Move {title} {direction}");
                                            view! {
                                                <ActionForm action=actions.reorder attr:class="form--row">
                                                    {hidden(role_id.get_value())}
                                                    <input type="hidden" name="direction" value=direction/>
                                                    <button type="submit" class="button--secondary" aria-label=label.clone() title=label>{arrow}</button>
                                                </ActionForm>
                                            }
                                        }).collect_view()}
                                        <details class="inline-details">
                                            <summary>"Edit"</summary>
                                            <ActionForm action=actions.edit attr:class="form">
                                                {hidden(role_id.get_value())}
                                                <input type="hidden" name="version" value=version/>
                                                <RoleFields form_id=format!("edit-{id}") details=Some(details.clone()) error=list_error/>
                                                <button type="submit">"Save"</button>
                                            </ActionForm>
                                        </details>
                                        <ConfirmRemove>
                                            <ActionForm action=actions.remove attr:class="form--row">
                                                {hidden(role_id.get_value())}
                                                <button type="submit" class="button--danger">{remove_label.get_value()}</button>
                                            </ActionForm>
                                        </ConfirmRemove>
                                    </td>
                                    })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {map.roles.is_empty().then(|| view! { <p class="empty">"No roles yet: each one added becomes a column of the matrix."</p> })}
            {can_edit.then(|| view! {
            {(!map.removed.is_empty()).then(|| view! {
                <h3>"Removed roles"</h3>
                <p class="hint">"Put one back to restore its column with every cell it had."</p>
                <ul class="removed-list">
                    {map.removed.clone().into_iter().map(|role| view! {
                        <li>
                            <ActionForm action=actions.restore attr:class="form--row">
                                {hidden(role.id)}
                                <button type="submit" class="button--secondary">{format!("Put back {}", role.details.title)}</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <h3>"Add a role"</h3>
            <ActionForm action=actions.add attr:class="form form--inline">
                <FormError error=add_error/>
                <input type="hidden" name="workspace_id" value=ids.get_value().0/>
                <input type="hidden" name="map_id" value=ids.get_value().1/>
                <RoleFields form_id="add".to_owned() details=None error=add_error/>
                <button type="submit" disabled=move || actions.add.pending().get()>"Add the role"</button>
            </ActionForm>
            })}
        </section>
    }
}

#[component]
fn RoleFields(form_id: String, details: Option<RoleDetails>, #[prop(into)] error: Signal<Option<crate::api::AppError>>) -> impl IntoView {
    let value = |f: fn(&RoleDetails) -> String| details.as_ref().map(f).unwrap_or_default();
    view! {
        <Field label="Job title" name="title" form_id=form_id.clone() value=value(|d| d.title.clone()) error/>
        <Field label="Team (optional)" name="team" optional=true form_id=form_id.clone() value=value(|d| d.team.clone()) error/>
        <Field label="Grade or band (optional)" name="grade" optional=true form_id=form_id.clone() value=value(|d| d.grade.clone()) error/>
        <Field label="Hours (optional)" name="hours" optional=true form_id value=value(|d| d.hours.clone()) error/>
    }
}
