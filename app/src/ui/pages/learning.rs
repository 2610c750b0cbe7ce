use super::Loaded;
use super::imports::ImportForm;
use super::maps::{FrameworkSelect, framework_choices};
use crate::api::learning::{ChangeLearningRole, CreateAnalysis, LearningList, LearningView, SetLearningScope, get_learning_analysis, list_learning};
use crate::model::catalogue::CatalogueActivity;
use crate::model::learning::{AnalysisLevel, RoleChoice};
use crate::model::programme::{NeedStatus, Priority, StoredNeed};
use crate::model::{AnalysisId, WorkspaceId};
use crate::model::{CareFunction, WorkspaceRole};
use crate::ui::forms::{Field, FormError, FunctionChooser, action_error};
use crate::ui::ids::id_param;
use crate::ui::needs::{NeedForm, activity_title, need_summary, save_in_place};
use crate::ui::transfer::DownloadLink;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The links shared by every learning page.
#[component]
pub(super) fn LearningLinks(workspace_id: WorkspaceId) -> impl IntoView {
    view! {
        <nav class="page-links no-print" aria-label="Learning and development">
            <A href=crate::paths::analyses(&workspace_id)>"Analyses"</A>
            <A href=crate::paths::team_needs(&workspace_id)>"Team grid"</A>
            <A href=crate::paths::programme(&workspace_id)>"Learning programme"</A>
            <A href=crate::paths::catalogue(&workspace_id)>"Activity catalogue"</A>
        </nav>
    }
}

/// The way back from a learning page: the workspace, then its analyses.
#[component]
pub(super) fn LearningBreadcrumb(workspace: crate::model::WorkspaceSummary) -> impl IntoView {
    view! {
        <p class="breadcrumb">
            <A href=crate::paths::workspace(&workspace.id)>{workspace.name.clone()}</A>
            " › "
            <A href=crate::paths::analyses(&workspace.id)>"Learning and development needs"</A>
        </p>
    }
}

/// A workspace's learning and development needs analyses: open one or start one.
#[component]
pub fn LearningListPage() -> impl IntoView {
    let params = use_params_map();
    let create = ServerAction::<CreateAnalysis>::new();
    let list = Resource::new(move || id_param(&params.read(), "id"), list_learning);
    view! {
        <Title text="Learning and development needs"/>
        <Loaded resource=list what="the analyses" failed_heading="Learning and development needs"
            ready=move |list| view! { <AnalysisList list create/> }/>
    }
}

#[component]
fn AnalysisList(list: LearningList, create: ServerAction<CreateAnalysis>) -> impl IntoView {
    let LearningList { workspace, analyses, roles, frameworks, teams, today } = list;
    let can_edit = workspace.role.allows(WorkspaceRole::Editor);
    let import_workspace = workspace.id.clone();
    let error = action_error(create);
    let workspace_id = workspace.id.clone();
    let table = if analyses.is_empty() {
        view! { <p class="empty">"No analyses yet. Start one below: for a named person, a role, a team or a whole organisation."</p> }.into_any()
    } else {
        view! {
            <table class="table analyses">
                <thead><tr>
                    <th scope="col">"For"</th><th scope="col">"Level"</th><th scope="col">"Team"</th><th scope="col">"Role"</th>
                    <th scope="col">"Organisation"</th><th scope="col">"Date"</th><th scope="col">"Functions"</th><th scope="col">"Needs done"</th>
                </tr></thead>
                <tbody>
                    {analyses.into_iter().map(|item| {
                        let summary = item.summary;
                        view! {
                            <tr>
                                <th scope="row"><A href=crate::paths::analysis(&workspace_id, &summary.id)>{summary.details.name}</A></th>
                                <td>{summary.details.level.label()}</td>
                                <td>{summary.details.team}</td>
                                <td>{item.role}</td>
                                <td>{summary.details.organisation}</td>
                                <td>{summary.details.date.long()}</td>
                                <td>{summary.scope.len()}</td>
                                <td>{format!("{} of {}", item.progress.done, item.progress.total)}</td>
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
        <h1>"Learning and development needs"</h1>
        <p class="lead">
            "For each person, role, team or organisation: the learning need for each function it does, and the activity "
            "that meets it. The needs roll up into the learning programme."
        </p>
        <LearningLinks workspace_id=workspace.id.clone()/>
        {(!teams.is_empty()).then(|| view! {
            <p>"Enter a whole team's needs at once: "
                {teams.into_iter().map(|team| {
                    let href = format!("{}?team={}", crate::paths::team_needs(&workspace.id), urlencoding(&team));
                    view! { <A href=href attr:class="chip">{team}</A>" " }
                }).collect_view()}
            </p>
        })}
        {table}
        <p class="no-print"><DownloadLink href=crate::paths::learning_matrix_file(&workspace.id) label="Download the learning matrix (.xlsx)"/></p>
        {can_edit.then(|| view! {
            <ImportForm workspace_id=import_workspace.clone() kind="learning" heading="Update needs from a spreadsheet"/>
            <h2>"Start an analysis"</h2>
            <ActionForm action=create attr:class="form">
                <FormError error/>
                <input type="hidden" name="workspace_id" value=workspace.id.clone()/>
                <div class="field">
                    <label for="field-level">"For"</label>
                    <select id="field-level" name="level">
                        {AnalysisLevel::ALL.into_iter().map(|level| view! {
                            <option value=level.as_str() selected=level == AnalysisLevel::Person>{level.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field label="Name" name="name" optional=true
                    hint="The person's name, the team's, or the role's title. An organisation's analysis, or a role's, can take its name from the organisation or the role." error/>
                <RoleField roles=roles.clone() field_id="field-role" selected=String::new()/>
                <Field label="Team" name="team" optional=true hint="Blank takes the role's team, if it has one." error/>
                <Field label="Organisation" name="organisation" optional=true hint="Blank takes the role map's organisation." error/>
                <Field label="Date" name="date" kind="date" value=today.to_string() error/>
                <FrameworkSelect choices=framework_choices(&frameworks)/>
                <p class="hint">"Following a role, the analysis covers that role's functions and the core functions, over its role map's frameworks. Otherwise it starts with the core functions of the frameworks chosen, and you add the rest."</p>
                <button type="submit" disabled=move || create.pending().get()>"Start the analysis"</button>
            </ActionForm>
        })}
    }
}

/// A query value, percent-encoded.
pub(super) fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Chooses a role of one of the workspace's role maps, or none.
#[component]
fn RoleField(roles: Vec<RoleChoice>, field_id: &'static str, selected: String) -> impl IntoView {
    view! {
        <div class="field">
            <label for=field_id>"Role it follows"</label>
            <p class="hint">"From the workspace's role maps."</p>
            <select id=field_id name="role">
                <option value="" selected=selected.is_empty()>"No role"</option>
                {roles.into_iter().map(|role| {
                    let key = role.key();
                    view! { <option value=key.clone() selected=key == selected>{role.label()}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// One learning and development needs analysis: the need for each function in scope.
#[component]
pub fn LearningPage() -> impl IntoView {
    let params = use_params_map();
    let scope = ServerAction::<SetLearningScope>::new();
    let role = ServerAction::<ChangeLearningRole>::new();
    let analysis = Resource::new(
        move || {
            let params = params.read();
            let versions = (scope.version().get(), role.version().get());
            (id_param(&params, "id"), id_param(&params, "analysis"), versions)
        },
        |(workspace_id, analysis_id, _)| get_learning_analysis(workspace_id, analysis_id),
    );
    view! {
        <Loaded resource=analysis what="the learning analysis" failed_heading="Learning analysis not available"
            ready=move |view| view! { <AnalysisView view scope role/> }/>
    }
}

#[component]
fn AnalysisView(view: LearningView, scope: ServerAction<SetLearningScope>, role: ServerAction<ChangeLearningRole>) -> impl IntoView {
    let LearningView { workspace, analysis, needs, archived, catalogue, roles } = view;
    let can_edit = workspace.role.allows(WorkspaceRole::Editor);
    let summary = analysis.summary.clone();
    let details = &summary.details;
    let title = format!("Learning needs: {}", details.name);
    let followed = summary.role_id.as_ref().and_then(|id| roles.iter().find(|r| &r.role_id == id)).map(|r| r.title.clone());
    let catalogue = StoredValue::new(catalogue);
    let in_scope = analysis.scope_categories();
    // Where each category's rows start, for its band row.
    let bands: Vec<(usize, String)> = in_scope
        .iter()
        .scan(0, |start, c| {
            let band = (*start, c.name.clone());
            *start += c.functions.len();
            Some(band)
        })
        .collect();
    let functions: Vec<CareFunction> = in_scope.into_iter().flat_map(|c| c.functions).collect();
    let rows: Vec<RwSignal<StoredNeed>> = needs.into_iter().map(RwSignal::new).collect();
    let counted = rows.clone();
    let counts = move || {
        let open: Vec<StoredNeed> = counted.iter().map(|r| r.get()).filter(|s| s.need.priority != Priority::None).collect();
        let done = open.iter().filter(|s| s.need.status == crate::model::programme::NeedStatus::Done).count();
        format!("Learning needs identified: {}. Done: {done}.", open.len())
    };
    let status = RwSignal::new(String::new());
    let scope_changed = Signal::derive(move || scope.value().get().and_then(Result::ok));
    let role_changed = Signal::derive(move || role.value().get().and_then(Result::ok));
    let meta = [
        Some(details.level.label().to_owned()),
        Some(details.organisation.clone()),
        (!details.team.is_empty()).then(|| format!("Team: {}", details.team)),
        followed.clone().map(|title| format!("Role: {title}")),
        Some(details.date.long()),
        Some(format!("{} functions in scope", summary.scope.len())),
    ];
    let meta: Vec<String> = meta.into_iter().flatten().collect();
    let ids = (workspace.id.clone(), summary.id.clone());
    let (role_ids, scope_workspace) = (ids.clone(), ids.0.clone());
    view! {
        <Title text=title.clone()/>
        <LearningBreadcrumb workspace=workspace.clone()/>
        <h1>{title}</h1>
        <p class="card__meta">{meta.join(" · ")}</p>
        <LearningLinks workspace_id=workspace.id.clone()/>
        <p class="need-counts">{counts}</p>
        <p class="matrix-status" role="status" aria-live="polite">
            {move || scope_changed.get().map(|n| format!("Scope saved; {n} needs archived.")).or_else(|| role_changed.get().map(|n| format!("Role changed; {n} needs archived.")))}
            {move || status.get()}
        </p>
        {(can_edit && !roles.is_empty() && matches!(details.level, AnalysisLevel::Person | AnalysisLevel::Role)).then(|| {
            let error = action_error(role);
            view! {
                <details class="panel no-print">
                    <summary>"Change role"</summary>
                    <p class="hint">"When someone's role changes, the analysis takes the new role's functions. Needs for functions the new role does not include are archived: kept, shown below, and no longer counted."</p>
                    <ActionForm action=role attr:class="form form--inline">
                        <FormError error/>
                        <input type="hidden" name="workspace_id" value=role_ids.0.clone()/>
                        <input type="hidden" name="analysis_id" value=role_ids.1.clone()/>
                        <input type="hidden" name="version" value=summary.version/>
                        <RoleField roles=roles.clone() field_id="field-new-role" selected=String::new()/>
                        <button type="submit" disabled=move || role.pending().get()>"Change to this role"</button>
                    </ActionForm>
                </details>
            }
        })}
        {can_edit.then(|| view! { <ScopeEditor view_scope=summary.scope.clone() analysis=analysis.clone() workspace_id=scope_workspace.clone() scope/> })}
        <h2 id="needs-heading">"Needs per function"</h2>
        {if functions.is_empty() {
            view! { <p class="empty">"No functions in scope: add some above."</p> }.into_any()
        } else {
            view! { <NeedTable functions bands rows ids=ids.clone() whose=details.name.clone() catalogue status can_edit/> }.into_any()
        }}
        <ArchivedNeeds archived functions=analysis.categories.into_iter().flat_map(|c| c.functions).collect() catalogue/>
    }
}

/// The functions an analysis covers, chosen by category.
#[component]
fn ScopeEditor(
    view_scope: Vec<crate::model::FunctionId>,
    analysis: crate::model::learning::LearningAnalysis,
    workspace_id: WorkspaceId,
    scope: ServerAction<SetLearningScope>,
) -> impl IntoView {
    let chosen = RwSignal::new(view_scope.iter().map(|id| id.to_string()).collect::<Vec<String>>());
    let error = action_error(scope);
    let (analysis_id, version) = (analysis.summary.id.clone(), analysis.summary.version);
    let save = move |_| {
        scope.dispatch(SetLearningScope {
            workspace_id: workspace_id.clone(),
            analysis_id: analysis_id.clone(),
            version,
            scope: chosen.get_untracked().join(" "),
        });
    };
    view! {
        <details class="panel no-print menu">
            <summary>{move || format!("Functions in scope ({} ticked)", chosen.read().len())}</summary>
            <p class="hint">"Tick the functions this analysis covers. Needs for functions you untick are archived, not deleted, and come back if you tick them again."</p>
            <FormError error/>
            <FunctionChooser categories=analysis.categories.clone() chosen name="scope" id_prefix="scope"/>
            <button type="button" on:click=save disabled=move || scope.pending().get()>"Save the scope"</button>
        </details>
    }
}

/// A need's priority and status, each a list that saves when it changes; the full form is for
/// the words, the activity and the date.
#[component]
fn NeedInPlace(stored: RwSignal<StoredNeed>, ids: (WorkspaceId, AnalysisId), function: String, index: usize, status: RwSignal<String>) -> impl IntoView {
    let ids = StoredValue::new(ids);
    let function = StoredValue::new(function);
    let save = move |priority: Option<Priority>, need_status: Option<NeedStatus>| {
        let before = stored.get_untracked();
        let (priority, need_status) = (priority.unwrap_or(before.need.priority), need_status.unwrap_or(before.need.status));
        let (workspace_id, analysis_id) = ids.get_value();
        status.set("Saving…".into());
        leptos::task::spawn_local(async move {
            let label = function.get_value();
            match save_in_place(workspace_id, analysis_id, before.clone(), priority, need_status).await {
                Ok(saved) => {
                    status.set(format!("Saved: {label}: {}.", need_summary(&saved)));
                    stored.set(saved);
                }
                Err(error) => {
                    status.set(format!("Not saved: {label}: {error}"));
                    // The lists show what is stored again.
                    stored.set(before);
                }
            }
        });
    };
    let (priority_id, status_id) = (format!("priority-{index}"), format!("status-{index}"));
    view! {
        <div class="need-in-place no-print">
            <label class="visually-hidden" for=priority_id.clone()>{format!("Priority: {}", function.get_value())}</label>
            <select id=priority_id prop:value=move || stored.read().need.priority.as_str()
                on:change=move |event| save(Priority::parse(&event_target_value(&event)).ok(), None)>
                {Priority::ALL.into_iter().map(|p| view! { <option value=p.as_str()>{format!("{} priority", p.label())}</option> }).collect_view()}
            </select>
            <label class="visually-hidden" for=status_id.clone()>{format!("Status: {}", function.get_value())}</label>
            <select id=status_id prop:value=move || stored.read().need.status.as_str()
                on:change=move |event| save(None, NeedStatus::parse(&event_target_value(&event)).ok())>
                {NeedStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// A row per function in scope with its need, its priority and status set in place; Edit opens
/// the need's whole form under the row.
#[component]
fn NeedTable(
    functions: Vec<CareFunction>,
    bands: Vec<(usize, String)>,
    rows: Vec<RwSignal<StoredNeed>>,
    ids: (WorkspaceId, AnalysisId),
    whose: String,
    catalogue: StoredValue<Vec<CatalogueActivity>>,
    status: RwSignal<String>,
    can_edit: bool,
) -> impl IntoView {
    let editing = RwSignal::new(None::<usize>);
    view! {
        <table class="table table--stack needs" aria-labelledby="needs-heading">
            <thead><tr>
                <th scope="col">"Function"</th><th scope="col">"Need"</th><th scope="col">"Activity"</th>
                <th scope="col">"Target"</th>{can_edit.then(|| view! { <th scope="col" class="no-print">"Edit"</th> })}
            </tr></thead>
            <tbody>
                {functions.into_iter().zip(rows).enumerate().map(|(index, (function, stored))| {
                    let function_id = function.id.to_string();
                    let (ids, whose) = (ids.clone(), whose.clone());
                    let form_function = function.clone();
                    let close = Callback::new(move |()| {
                        editing.set(None);
                        if let Some(button) = document().get_element_by_id(&format!("edit-need-{index}")) {
                            use leptos::wasm_bindgen::JsCast;
                            if let Ok(button) = button.dyn_into::<web_sys::HtmlElement>() {
                                let _ = button.focus();
                            }
                        }
                    });
                    let band = bands.iter().find(|(start, _)| *start == index).map(|(_, name)| name.clone());
                    view! {
                        {band.map(|name| view! { <tr class="band"><th scope="rowgroup" colspan="5">{name}</th></tr> })}
                        <tr data-function-id=function_id.clone() class=move || format!("need need--{}", stored.read().need.priority.as_str())>
                            <th scope="row"><span class="function__id">{function_id.clone()}</span>{format!(" {}", function.label)}</th>
                            <td>
                                {if can_edit {
                                    view! { <NeedInPlace stored ids=ids.clone() function=function.label.clone() index status/> }.into_any()
                                } else {
                                    ().into_any()
                                }}
                                <strong class=if can_edit { "need__summary print-only" } else { "need__summary" }>{move || need_summary(&stored.get())}</strong>
                                <span class="need__text">{move || stored.read().need.need.clone()}</span>
                            </td>
                            <td class="need__activity">{move || activity_title(&stored.read().need.activity, &catalogue.get_value())}</td>
                            <td>{move || stored.read().need.target.map(|t| t.long()).unwrap_or_default()}</td>
                            {can_edit.then(|| view! {
                                <td class="no-print">
                                    <button type="button" class="button--secondary" id=format!("edit-need-{index}")
                                        aria-label=format!("Edit the need for {}", function.label)
                                        on:click=move |_| editing.set(Some(index))>"Edit"</button>
                                </td>
                            })}
                        </tr>
                        {move || (editing.get() == Some(index)).then(|| {
                            let (ids, whose, function) = (ids.clone(), whose.clone(), form_function.clone());
                            view! {
                                <tr class="need-form-row"><td colspan="5">
                                    <NeedForm workspace_id=ids.0 analysis_id=ids.1 function whose stored catalogue status on_close=close/>
                                </td></tr>
                            }
                        })}
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Needs whose functions left the scope: kept and shown, never counted.
#[component]
fn ArchivedNeeds(archived: Vec<StoredNeed>, functions: Vec<CareFunction>, catalogue: StoredValue<Vec<CatalogueActivity>>) -> impl IntoView {
    (!archived.is_empty()).then(|| {
        let label = |id: &crate::model::FunctionId| functions.iter().find(|f| &f.id == id).map(|f| f.label.clone()).unwrap_or_else(|| id.to_string());
        view! {
            <section class="archived" aria-labelledby="archived-heading">
                <h2 id="archived-heading">{format!("Archived ({})", archived.len())}</h2>
                <p class="hint">"Needs for functions no longer in scope, for example after a change of role. They are kept as they were and not counted in the programme."</p>
                <ul>
                    {archived.iter().map(|stored| view! {
                        <li data-function-id=stored.need.function_id.to_string()>
                            <strong>{label(&stored.need.function_id)}</strong>
                            {format!(": {}", need_summary(stored))}
                            {(!stored.need.need.is_empty()).then(|| format!(". {}", stored.need.need))}
                            {stored.need.activity.as_ref().map(|_| format!(" Activity: {}.", activity_title(&stored.need.activity, &catalogue.get_value())))}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
