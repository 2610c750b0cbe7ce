use super::Loaded;
use super::org_map::map_route;
use crate::api::AppError;
use crate::api::org_maps::{AddAction, DeleteAction, MapView, UpdateAction, get_org_map};
use crate::model::WorkspaceRole;
use crate::model::org_map::{ActionFields, ActionOrder, ActionStatus, sort_actions, total_cost};
use crate::ui::forms::{Field, FormError, TextArea, action_error, print_window};
use crate::ui::transfer::DownloadLink;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Copy)]
struct PlanActions {
    add: ServerAction<AddAction>,
    update: ServerAction<UpdateAction>,
    delete: ServerAction<DeleteAction>,
}

/// The implementation plan of a map (the guide's stage 2): every action, sortable by date or
/// status, with the total cost.
#[component]
pub fn PlanPage() -> impl IntoView {
    let route = map_route();
    let actions = PlanActions { add: ServerAction::new(), update: ServerAction::new(), delete: ServerAction::new() };
    let query = use_query_map();
    // The order is part of the key so that choosing another one redraws the plan.
    let map = Resource::new(
        move || {
            let versions = (actions.add.version().get(), actions.update.version().get(), actions.delete.version().get());
            (route(), query.read().get("sort"), versions)
        },
        |((workspace_id, map_id), ..)| get_org_map(workspace_id, map_id),
    );
    view! {
        <Loaded resource=map what="the plan" failed_heading="Plan not available" ready=move |view| view! { <PlanView view actions/> }/>
    }
}

#[component]
fn PlanView(view: MapView, actions: PlanActions) -> impl IntoView {
    let MapView { workspace, map, actions: mut plan, today: _ } = view;
    let order = ActionOrder::parse(&use_query_map().read_untracked().get("sort").unwrap_or_default());
    sort_actions(&mut plan, order);
    let can_edit = workspace.role.allows(WorkspaceRole::Editor);
    let analysis = map.analysis();
    // Functions to choose from: gaps first, then those resting on one provider, then the rest,
    // each with its status.
    let mut choices: Vec<(String, String, u8)> = map
        .categories
        .iter()
        .flat_map(|c| &c.functions)
        .map(|function| {
            let status = analysis.row(&function.id).map(|r| r.status);
            let urgency = match status {
                Some(s) if s.is_gap() => 0,
                Some(crate::model::RowStatus::Single) => 1,
                _ => 2,
            };
            (function.id.to_string(), format!("{} {} ({})", function.id, function.label, status.map_or("", |s| s.label())), urgency)
        })
        .collect();
    choices.sort_by_key(|(_, _, urgency)| *urgency);
    let label_of = {
        let map = map.clone();
        move |id: &str| map.categories.iter().flat_map(|c| &c.functions).find(|f| f.id.as_str() == id).map(|f| f.label.clone()).unwrap_or_default()
    };
    let map_path = crate::paths::org_map(&workspace.id, &map.summary.id);
    let title = format!("Implementation plan: {}, {}", map.summary.details.area, map.summary.details.date.long());
    let ids = StoredValue::new((workspace.id.clone(), map.summary.id.clone()));
    let choices = StoredValue::new(choices);
    let add_error = action_error(actions.add);
    let list_error = Signal::derive(move || action_error(actions.update).get().or_else(|| action_error(actions.delete).get()));
    let total = total_cost(&plan);
    let done = plan.iter().filter(|a| a.details.status == ActionStatus::Done).count();
    let plan_path = crate::paths::plan(&workspace.id, &map.summary.id);
    let sort_link = move |value: &'static str, label: &'static str, current: bool| {
        view! { <A href=format!("{plan_path}?sort={value}") attr:aria-current=current.then_some("true")>{label}</A> }
    };
    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb"><A href=map_path>{format!("Organisation map: {}", map.summary.details.area)}</A></p>
        <h1>{title}</h1>
        <p class="summary__overall">
            <strong>{format!("{} actions", plan.len())}</strong>
            {format!(" · {done} done · total cost {total}")}
        </p>
        <p class="page-links no-print">
            "Sort by: " {sort_link("date", "date", order == ActionOrder::Date)} " · " {sort_link("status", "status", order == ActionOrder::Status)}
            " · " <DownloadLink href=crate::paths::plan_file(&workspace.id, &map.summary.id) label="Download as a spreadsheet (.xlsx)"/>
            " · " <button type="button" class="link-button" on:click=|_| print_window()>"Print"</button>
        </p>
        <FormError error=list_error/>
        {if plan.is_empty() {
            view! { <p class="empty">"No actions yet. Add one below for each gap you mean to close."</p> }.into_any()
        } else {
            view! {
                <table class="table table--stack plan">
                    <thead><tr>
                        <th scope="col">"Function"</th><th scope="col">"What"</th><th scope="col">"With whom"</th>
                        <th scope="col">"How; communication; risks and mitigation"</th>
                        <th scope="col">"Cost"</th><th scope="col">"By"</th><th scope="col">"Status"</th>
                    </tr></thead>
                    <tbody>
                        {plan.into_iter().map(|action| {
                            let details = action.details.clone();
                            let label = label_of(details.function_id.as_str());
                            let form_id = format!("action-{}", action.id);
                            let (action_id, delete_id, version) = (action.id.clone(), action.id.clone(), action.version);
                            let (edit_summary, delete_label) = (format!("Edit “{}”", details.what), format!("Delete “{}”", details.what));
                            let fields = details.to_form();
                            view! {
                                <tr>
                                    <td><span class="function__id">{details.function_id.to_string()}</span>" "{label}</td>
                                    <th scope="row">{details.what.clone()}</th>
                                    <td class="pre">{details.with_whom.clone()}</td>
                                    <td class="pre">
                                        {[("How", &details.how), ("Communication", &details.communication), ("Risks", &details.risks)]
                                            .into_iter()
                                            .filter(|(_, text)| !text.is_empty())
                                            .map(|(name, text)| view! { <p><strong>{name}": "</strong>{text.clone()}</p> })
                                            .collect_view()}
                                    </td>
                                    <td>{details.cost.to_string()}</td>
                                    <td>{details.due.map(|d| d.long()).unwrap_or_else(|| "—".into())}</td>
                                    <td>{details.status.label()}</td>
                                </tr>
                                {can_edit.then(|| view! {
                                    <tr class="no-print">
                                        <td colspan="7">
                                            <details class="inline-details">
                                                <summary>{edit_summary}</summary>
                                                <ActionForm action=actions.update attr:class="form form--inline">
                                                    <input type="hidden" name="workspace_id" value=ids.get_value().0/>
                                                    <input type="hidden" name="map_id" value=ids.get_value().1/>
                                                    <input type="hidden" name="action_id" value=action_id/>
                                                    <input type="hidden" name="version" value=version/>
                                                    <ActionFieldset form_id=form_id fields choices=choices.get_value() error=list_error/>
                                                    <button type="submit">"Save the action"</button>
                                                </ActionForm>
                                                <ActionForm action=actions.delete attr:class="form--row">
                                                    <input type="hidden" name="workspace_id" value=ids.get_value().0/>
                                                    <input type="hidden" name="map_id" value=ids.get_value().1/>
                                                    <input type="hidden" name="action_id" value=delete_id/>
                                                    <button type="submit" class="button--danger">{delete_label}</button>
                                                </ActionForm>
                                            </details>
                                        </td>
                                    </tr>
                                })}
                            }
                        }).collect_view()}
                    </tbody>
                    <tfoot><tr><th scope="row" colspan="4">"Total cost"</th><td colspan="3">{total.to_string()}</td></tr></tfoot>
                </table>
            }.into_any()
        }}
        {can_edit.then(|| view! {
            <section class="no-print" aria-labelledby="add-action-heading">
                <h2 id="add-action-heading">"Add an action"</h2>
                <ActionForm action=actions.add attr:class="form form--inline">
                    <FormError error=add_error/>
                    <input type="hidden" name="workspace_id" value=ids.get_value().0/>
                    <input type="hidden" name="map_id" value=ids.get_value().1/>
                    <ActionFieldset form_id="add".into() fields=ActionFields { status: "planned".into(), ..ActionFields::default() } choices=choices.get_value() error=add_error/>
                    <button type="submit" disabled=move || actions.add.pending().get()>"Add the action"</button>
                </ActionForm>
            </section>
        })}
    }
}

/// The fields of an action, filled from `fields`.
#[component]
fn ActionFieldset(form_id: String, fields: ActionFields, choices: Vec<(String, String, u8)>, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let id = |name: &str| format!("field-{form_id}-{name}");
    let area = |name: &'static str, label: &'static str, value: String| {
        let field_id = id(name);
        view! {
            <div class="field field--wide">
                <label for=field_id.clone()>{label}</label>
                <TextArea id=field_id name=name rows=2 value/>
            </div>
        }
    };
    view! {
        <div class="field field--wide">
            <label for=id("function_id")>"Function"</label>
            <p class="field__error" aria-live="polite">{move || error.get().and_then(|e| e.for_field("function_id"))}</p>
            <select id=id("function_id") name="function_id">
                {choices.into_iter().map(|(value, label, _)| {
                    let selected = value == fields.function_id;
                    view! { <option value=value selected=selected>{label}</option> }
                }).collect_view()}
            </select>
        </div>
        <Field label="What will be done" name="what" form_id=form_id.clone() value=fields.what.clone() error/>
        {area("with_whom", "With whom", fields.with_whom.clone())}
        {area("how", "How", fields.how.clone())}
        <Field label="Cost (£)" name="cost" optional=true form_id=form_id.clone() value=fields.cost.clone() error/>
        <Field label="By when" name="due" kind="date" optional=true form_id=form_id.clone() value=fields.due.clone() error/>
        {area("communication", "How it will be communicated", fields.communication.clone())}
        {area("risks", "Risks and mitigation", fields.risks.clone())}
        <div class="field">
            <label for=id("status")>"Status"</label>
            <select id=id("status") name="status">
                {ActionStatus::ALL.into_iter().map(|status| view! {
                    <option value=status.as_str() selected=status.as_str() == fields.status>{status.label()}</option>
                }).collect_view()}
            </select>
        </div>
    }
}
