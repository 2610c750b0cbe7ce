use super::Loaded;
use super::imports::ImportForm;
use super::maps::MapDetailsFields;
use crate::api::org_maps::{
    AddOrganisation, CopyOrgMap, MapView, MoveOrganisation, RemoveOrganisation, RestoreOrganisation, UpdateOrgMap, UpdateOrganisation, get_org_map, set_cell,
};
use crate::model::WorkspaceRole;
use crate::model::matrix::RowStatus;
use crate::model::org_map::{OrgMap, Organisation, Provision, Sector};
use crate::model::{CalendarDate, Id, WorkspaceId, WorkspaceSummary};
use crate::ui::forms::{ConfirmRemove, Field, FormError, action_error, print_window};
use crate::ui::ids::id_param;
use crate::ui::layout::SkipLink;
use crate::ui::matrix::{Column, MATRIX_TAB_STOP, Matrix, MatrixKind, MatrixState, Summary, cell_saver};
use crate::ui::transfer::DownloadLink;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// Every change a map page can make besides its cells; the page reloads the map after each.
#[derive(Clone, Copy)]
struct MapActions {
    update: ServerAction<UpdateOrgMap>,
    copy: ServerAction<CopyOrgMap>,
    add: ServerAction<AddOrganisation>,
    edit: ServerAction<UpdateOrganisation>,
    reorder: ServerAction<MoveOrganisation>,
    remove: ServerAction<RemoveOrganisation>,
    restore: ServerAction<RestoreOrganisation>,
}

/// The route parameters of a map page (of any kind): workspace and map.
pub(super) fn map_route<M>() -> impl Fn() -> (WorkspaceId, Id<M>) + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        let params = params.read();
        (id_param(&params, "id"), id_param(&params, "map"))
    }
}

/// The two parts of a map's pages: the matrix, and its columns with the map's own details.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum MapTab {
    Matrix,
    Columns,
}

/// The top of a map's pages: the way back, the title and the tabs between its two pages.
#[component]
pub(super) fn MapHeader(
    workspace: WorkspaceSummary,
    /// The list of maps of this kind, and its name.
    list: (String, &'static str),
    title: String,
    current: MapTab,
    matrix_href: String,
    columns_href: String,
    /// The columns' tab, e.g. "Organisations (7), details and import".
    columns_label: String,
    /// The columns' page title before the map's, e.g. "Organisations".
    columns_title: &'static str,
) -> impl IntoView {
    let current_if = move |tab: MapTab| (current == tab).then_some("page");
    let page_title = match current {
        MapTab::Matrix => title.clone(),
        MapTab::Columns => format!("{columns_title} · {title}"),
    };
    view! {
        <Title text=page_title/>
        {(current == MapTab::Matrix).then(|| view! {
            <SkipLink target="matrix-heading" focus=MATRIX_TAB_STOP class="skip-link--matrix">"Skip to the matrix"</SkipLink>
        })}
        <p class="breadcrumb">
            <A href=crate::paths::workspace(&workspace.id)>{workspace.name.clone()}</A>
            " › "
            <A href=list.0>{list.1}</A>
        </p>
        <h1>{title}</h1>
        <nav class="tabs no-print" aria-label="Parts of this map">
            <a href=matrix_href aria-current=current_if(MapTab::Matrix)>"Matrix"</a>
            <a href=columns_href aria-current=current_if(MapTab::Columns)>{columns_label}</a>
        </nav>
    }
}

/// When the page was printed, on paper only.
#[component]
pub(super) fn PrintedOn(today: CalendarDate) -> impl IntoView {
    view! { <p class="print-only printed-on">{format!("Printed on {}", today.long())}</p> }
}

/// An organisation map's matrix, under a short summary.
#[component]
pub fn OrgMapPage() -> impl IntoView {
    org_map_page(MapTab::Matrix)
}

/// An organisation map's organisations, details, import and copy.
#[component]
pub fn OrgMapOrganisationsPage() -> impl IntoView {
    org_map_page(MapTab::Columns)
}

fn org_map_page(tab: MapTab) -> impl IntoView {
    let route = map_route();
    let actions = MapActions {
        update: ServerAction::new(),
        copy: ServerAction::new(),
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
                actions.add.version().get(),
                actions.edit.version().get(),
                actions.reorder.version().get(),
                actions.remove.version().get(),
                actions.restore.version().get(),
            ];
            (route(), versions)
        },
        |((workspace_id, map_id), _)| get_org_map(workspace_id, map_id),
    );
    view! {
        <Loaded resource=map what="the map" failed_heading="Map not available" ready=move |view| view! { <MapEditor view actions tab/> }/>
    }
}

#[component]
fn MapEditor(view: MapView, actions: MapActions, tab: MapTab) -> impl IntoView {
    let MapView { workspace, map, actions: plan, today } = view;
    let can_edit = workspace.role.allows(WorkspaceRole::Editor);
    let (workspace_id, map_id) = (workspace.id.clone(), map.summary.id.clone());
    let title = format!("{}: organisation map, {}", map.summary.details.area, map.summary.details.date.long());
    let organisations_href = crate::paths::org_map_organisations(&workspace_id, &map_id);
    let header = view! {
        <MapHeader workspace=workspace.clone() list=(crate::paths::org_maps(&workspace_id), "Organisation maps") title current=tab
            matrix_href=crate::paths::org_map(&workspace_id, &map_id) columns_href=organisations_href.clone()
            columns_label=format!("Organisations ({}), details and import", map.organisations.len()) columns_title="Organisations"/>
    };
    if tab == MapTab::Columns {
        return view! {
            {header}
            <Organisations map=map.clone() workspace_id=workspace_id.clone() actions can_edit/>
            {can_edit.then(|| view! { <MapSettings map=map.clone() workspace_id=workspace_id.clone() actions/> })}
            {can_edit.then(|| view! {
                <ImportForm workspace_id=workspace_id.clone() kind="org-map" target=map_id.to_string() heading="Update this map from a spreadsheet"/>
            })}
        }
        .into_any();
    }
    let state = matrix_state(&map);
    let kind = state.kind;
    let save = can_edit.then(|| cell_saver(workspace_id.clone(), map_id.clone(), set_cell));
    let threshold = map.summary.details.threshold;
    view! {
        {header}
        <PrintedOn today/>
        <p class="card__meta">
            {format!(
                "{} organisations · {} functions · more than {threshold} full providers is flagged as possible duplication",
                map.organisations.len(),
                map.categories.iter().map(|c| c.functions.len()).sum::<usize>(),
            )}
        </p>
        <nav class="page-links no-print" aria-label="This map">
            <A href=crate::paths::plan(&workspace_id, &map_id)>{format!("Implementation plan ({} actions)", plan.len())}</A>
            <A href=crate::paths::org_maps(&workspace_id)>"Compare with another map"</A>
            <DownloadLink href=crate::paths::org_map_file(&workspace_id, &map_id) label="Download as a spreadsheet (.xlsx)"/>
            <button type="button" class="link-button" on:click=|_| print_window()>"Print"</button>
        </nav>
        <Summary analysis=state.analysis kind/>
        <h2 id="matrix-heading" class="matrix-heading" tabindex="-1">"Matrix: which organisation provides which function"</h2>
        <Matrix state save column_noun="organisation" columns_href=organisations_href/>
    }
    .into_any()
}

/// The matrix state of a map: its functions, organisations and cells.
fn matrix_state(map: &OrgMap) -> MatrixState<Provision> {
    let index = map.cell_index();
    let columns: Vec<Column<_>> = map.organisations.iter().map(|o| Column { id: o.id.clone(), name: o.details.name.clone() }).collect();
    let kind = MatrixKind {
        status_label: RowStatus::label,
        tone: RowStatus::tone,
        threshold: map.summary.details.threshold,
        covered: "fully provided by at least one organisation",
    };
    MatrixState::new(kind, map.categories.clone(), columns, |function, column| {
        index.get(&(&function.id, &column.id)).map(|cell| (*cell).clone()).unwrap_or_default()
    })
}

/// The map's own details, and starting a new dated map from it.
#[component]
fn MapSettings(map: OrgMap, workspace_id: WorkspaceId, actions: MapActions) -> impl IntoView {
    let details = map.summary.details.clone();
    let update_error = action_error(actions.update);
    let copy_error = action_error(actions.copy);
    let next_year = details.date.years_later(1);
    let (copy_workspace_id, map_id, copy_map_id) = (workspace_id.clone(), map.summary.id.clone(), map.summary.id.clone());
    let (area, copy_area) = (details.area.clone(), details.area.clone());
    view! {
        <details class="panel no-print">
            <summary>"Map details, and copy as a new map"</summary>
            <ActionForm action=actions.update attr:class="form form--inline">
                <FormError error=update_error/>
                <input type="hidden" name="workspace_id" value=workspace_id/>
                <input type="hidden" name="map_id" value=map_id/>
                <input type="hidden" name="version" value=map.summary.version/>
                <MapDetailsFields form_id="map" area date=details.date.to_string() threshold=details.threshold.to_string() error=update_error/>
                <button type="submit">"Save the details"</button>
            </ActionForm>
            <h3>"Copy as a new map"</h3>
            <p class="hint">"Starts a new map with these organisations and cells, for a review a year on. The plan stays with this map."</p>
            <ActionForm action=actions.copy attr:class="form form--inline">
                <FormError error=copy_error/>
                <input type="hidden" name="workspace_id" value=copy_workspace_id/>
                <input type="hidden" name="map_id" value=copy_map_id/>
                <MapDetailsFields form_id="copy" area=copy_area date=next_year.to_string() threshold=details.threshold.to_string() error=copy_error/>
                <button type="submit">"Copy as a new map"</button>
            </ActionForm>
        </details>
    }
}

/// The organisations across the top of the matrix: add, edit, reorder, remove and put back.
#[component]
fn Organisations(map: OrgMap, workspace_id: WorkspaceId, actions: MapActions, can_edit: bool) -> impl IntoView {
    let add_error = action_error(actions.add);
    let list_error = Signal::derive(move || {
        action_error(actions.edit)
            .get()
            .or_else(|| action_error(actions.reorder).get())
            .or_else(|| action_error(actions.remove).get())
            .or_else(|| action_error(actions.restore).get())
    });
    let ids = StoredValue::new((workspace_id.clone(), map.summary.id.clone()));
    let count = map.organisations.len();
    let hidden = move || {
        let (workspace_id, map_id) = ids.get_value();
        view! {
            <input type="hidden" name="workspace_id" value=workspace_id/>
            <input type="hidden" name="map_id" value=map_id/>
        }
    };
    let removed = (!map.removed.is_empty()).then(|| {
        view! {
            <h3>"Removed organisations"</h3>
            <p class="hint">"Put one back to restore its column with every cell it had."</p>
            <ul class="removed-list">
                {map.removed.clone().into_iter().map(|organisation| view! {
                    <li>
                        <ActionForm action=actions.restore attr:class="form--row">
                            {hidden()}
                            <input type="hidden" name="organisation_id" value=organisation.id/>
                            <button type="submit" class="button--secondary">{format!("Put back {}", organisation.details.name)}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <section class="no-print" aria-labelledby="organisations-heading">
            <h2 id="organisations-heading">{format!("Organisations ({count})")}</h2>
            <FormError error=list_error/>
            {(!map.organisations.is_empty()).then(|| view! {
                <table class="table table--stack">
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Sector"</th><th scope="col">"Locality"</th><th scope="col">"Contact"</th>{can_edit.then(|| view! { <th scope="col">"Change"</th> })}</tr></thead>
                    <tbody>
                        {map.organisations.iter().enumerate().map(|(index, organisation)| {
                            let Organisation { id, details, version } = organisation.clone();
                            let contact = [details.website.clone(), details.contact.clone()].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" · ");
                            let name = details.name.clone();
                            let (move_id, edit_id, remove_id) = (id.clone(), id.clone(), StoredValue::new(id.clone()));
                            let remove_label = StoredValue::new(format!("Remove {name}"));
                            view! {
                                <tr>
                                    <th scope="row">{details.name.clone()}</th>
                                    <td>{details.sector.label()}</td>
                                    <td>{details.locality.clone()}</td>
                                    <td>{contact}</td>
                                    {can_edit.then(|| view! {
                                    <td class="table__actions">
                                        {["left", "right"].into_iter().filter(|direction| (*direction == "left" && index > 0) || (*direction == "right" && index + 1 < count)).map(|direction| {
                                            let label = format!("Move {name} {direction}");
                                            let arrow = if direction == "left" { "←" } else { "→" };
                                            let move_id = move_id.clone();
                                            view! {
                                                <ActionForm action=actions.reorder attr:class="form--row">
                                                    {hidden()}
                                                    <input type="hidden" name="organisation_id" value=move_id.clone()/>
                                                    <input type="hidden" name="direction" value=direction/>
                                                    <button type="submit" class="button--secondary" aria-label=label.clone() title=label>{arrow}</button>
                                                </ActionForm>
                                            }
                                        }).collect_view()}
                                        <details class="inline-details">
                                            <summary>"Edit"</summary>
                                            <ActionForm action=actions.edit attr:class="form">
                                                {hidden()}
                                                <input type="hidden" name="organisation_id" value=edit_id.clone()/>
                                                <input type="hidden" name="version" value=version/>
                                                <OrganisationFields form_id=format!("edit-{edit_id}") details=Some(details.clone()) error=list_error/>
                                                <button type="submit">"Save"</button>
                                            </ActionForm>
                                        </details>
                                        <ConfirmRemove>
                                            <ActionForm action=actions.remove attr:class="form--row">
                                                {hidden()}
                                                <input type="hidden" name="organisation_id" value=remove_id.get_value()/>
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
            {map.organisations.is_empty().then(|| view! { <p class="empty">"No organisations yet: each one added becomes a column of the matrix."</p> })}
            {can_edit.then(|| view! {
                {removed}
                <h3>"Add an organisation"</h3>
                <ActionForm action=actions.add attr:class="form form--inline">
                    <FormError error=add_error/>
                    {hidden()}
                    <OrganisationFields form_id="add".to_owned() details=None error=add_error/>
                    <button type="submit" disabled=move || actions.add.pending().get()>"Add the organisation"</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn OrganisationFields(
    form_id: String,
    details: Option<crate::model::org_map::OrganisationDetails>,
    #[prop(into)] error: Signal<Option<crate::api::AppError>>,
) -> impl IntoView {
    let value = |f: fn(&crate::model::org_map::OrganisationDetails) -> String| details.as_ref().map(f).unwrap_or_default();
    let sector = details.as_ref().map(|d| d.sector);
    let sector_id = format!("field-{form_id}-sector");
    view! {
        <Field label="Name" name="name" form_id=form_id.clone() value=value(|d| d.name.clone()) error/>
        <div class="field">
            <label for=sector_id.clone()>"Sector"</label>
            <select id=sector_id name="sector">
                {Sector::ALL.into_iter().map(|option| view! {
                    <option value=option.as_str() selected=Some(option) == sector>{option.label()}</option>
                }).collect_view()}
            </select>
        </div>
        <Field label="Locality" name="locality" form_id=form_id.clone() value=value(|d| d.locality.clone()) error/>
        <Field label="Website (optional)" name="website" kind="url" optional=true form_id=form_id.clone() value=value(|d| d.website.clone()) error/>
        <Field label="Contact (optional)" name="contact" optional=true form_id=form_id value=value(|d| d.contact.clone()) error/>
    }
}
