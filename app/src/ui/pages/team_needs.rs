use super::Loaded;
use super::learning::{LearningBreadcrumb, LearningLinks, urlencoding};
use super::org_map::PrintedOn;
use crate::api::learning::{TeamNeedsView, get_team_needs};
use crate::model::AnalysisId;
use crate::model::programme::{NeedStatus, Priority, StoredNeed};
use crate::model::{CareFunction, WorkspaceRole};
use crate::ui::forms::print_window;
use crate::ui::ids::id_param;
use crate::ui::matrix::{GridMessages, KeyboardGrid, MOVING, Messages};
use crate::ui::needs::{NeedForm, need_summary, save_in_place};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A whole team's learning needs at once: functions down, the team's people across, each cell
/// a person's priority and status for a function. Arrow keys move; Enter opens the need's form.
#[component]
pub fn TeamNeedsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let grid = Resource::new(
        move || (id_param(&params.read(), "id"), query.read().get("team").unwrap_or_default()),
        |(workspace_id, team)| get_team_needs(workspace_id, team),
    );
    view! {
        <Title text="Team learning needs"/>
        <Loaded resource=grid what="the team's needs" failed_heading="Team learning needs" ready=move |view| view! { <TeamGrid view/> }/>
    }
}

/// A cell in words, priority then status: what it shows is also what it is called, so no
/// state is told from another by a mark or a colour alone.
fn cell_text(stored: &StoredNeed) -> (&'static str, &'static str) {
    if stored.version == 0 {
        return ("not assessed", "");
    }
    let priority = stored.need.priority.label();
    let status = match stored.need.status {
        NeedStatus::NotStarted => "",
        NeedStatus::Planned => "planned",
        NeedStatus::InProgress => "in progress",
        NeedStatus::Done => "done",
    };
    (priority, status)
}

#[component]
fn TeamGrid(view: TeamNeedsView) -> impl IntoView {
    let TeamNeedsView { workspace, team, teams, people, categories, catalogue, today } = view;
    let can_edit = workspace.role.allows(WorkspaceRole::Editor);
    let workspace_id = StoredValue::new(workspace.id.clone());
    let functions: Vec<CareFunction> = categories.iter().flat_map(|c| c.functions.iter().cloned()).collect();
    // One cell per function and person; None where the function is outside the person's scope.
    let cells: Vec<Vec<Option<RwSignal<StoredNeed>>>> = functions
        .iter()
        .map(|function| people.iter().map(|person| person.needs.iter().find(|s| s.need.function_id == function.id).cloned().map(RwSignal::new)).collect())
        .collect();
    let cells = StoredValue::new(cells);
    let functions = StoredValue::new(functions);
    let names: Vec<String> = people.iter().map(|p| p.summary.details.name.clone()).collect();
    let headers: Vec<(AnalysisId, String)> = people.iter().map(|p| (p.summary.id.clone(), p.summary.details.name.clone())).collect();
    let analysis_ids: Vec<AnalysisId> = people.iter().map(|p| p.summary.id.clone()).collect();
    let (names, analysis_ids) = (StoredValue::new(names), StoredValue::new(analysis_ids));
    let catalogue = StoredValue::new(catalogue);
    let (row_count, column_count) = (functions.with_value(Vec::len), people.len());
    let grid = KeyboardGrid::new("need", "td.need-cell", (row_count, column_count));
    let editing = RwSignal::new(None::<(usize, usize)>);
    let messages = Messages::new();
    let Messages { status, problem, saving } = messages;
    let open = move |row: usize, column: usize| {
        let in_scope = cells.with_value(|c| c[row][column].is_some());
        let name = names.with_value(|n| n[column].clone());
        let function = functions.with_value(|f| f[row].label.clone());
        if !can_edit {
            problem.set(Some("You can read these needs but not change them: ask an owner to make you an editor.".into()));
        } else if !in_scope {
            problem.set(Some(format!("“{function}” is not in {name}'s analysis: add it to their scope first.")));
        } else {
            problem.set(None);
            editing.set(Some((row, column)));
        }
    };
    // A priority typed on a cell is saved in place, one save at a time; the last is undone by
    // Ctrl+Z or the link beside the status, version-checked like any edit.
    let history = RwSignal::new(Vec::<(usize, usize, Priority)>::new());
    let set_priority = move |row: usize, column: usize, priority: Priority, undoing: bool| {
        let Some(stored) = cells.with_value(|c| c[row][column]) else { return open(row, column) };
        if !can_edit {
            return open(row, column);
        }
        let before = stored.get_untracked();
        if before.need.priority == priority && before.version != 0 {
            return;
        }
        if saving.get_untracked() {
            problem.set(Some("Still saving the last change: try again in a moment.".into()));
            return;
        }
        saving.set(true);
        status.set("Saving…".into());
        let (analysis_id, name, function) =
            (analysis_ids.with_value(|a| a[column].clone()), names.with_value(|n| n[column].clone()), functions.with_value(|f| f[row].label.clone()));
        leptos::task::spawn_local(async move {
            let need_status = before.need.status;
            match save_in_place(workspace_id.get_value(), analysis_id, before.clone(), priority, need_status).await {
                Ok(saved) => {
                    if !undoing {
                        history.update(|h| h.push((row, column, before.need.priority)));
                    }
                    problem.set(None);
                    status.set(format!("Saved: {name}, {function}: {}.", need_summary(&saved)));
                    stored.set(saved);
                }
                Err(error) => {
                    status.set(String::new());
                    problem.set(Some(format!("{name}, {function}: {error}")));
                }
            }
            saving.set(false);
        });
    };
    let undo = move || {
        if let Some((row, column, priority)) = history.try_update(Vec::pop).flatten() {
            grid.focus(row, column);
            set_priority(row, column, priority, true);
        }
    };
    let undo_label = Signal::derive(move || {
        history.with(|history| {
            history.last().map(|(row, column, priority)| {
                let (name, function) = (names.with_value(|n| n[*column].clone()), functions.with_value(|f| f[*row].label.clone()));
                format!("Undo: {name}, {function} back to {}", priority.label().to_lowercase())
            })
        })
    });
    let on_keydown = grid.on_keydown(
        |_| true,
        open,
        move |event, row, column| {
            let command = event.ctrl_key() || event.meta_key();
            if command && event.key().eq_ignore_ascii_case("z") {
                undo();
                return true;
            }
            match Priority::from_key(&event.key()).filter(|_| !command && !event.alt_key()) {
                Some(priority) => {
                    set_priority(row, column, priority, false);
                    true
                }
                None => false,
            }
        },
    );
    let on_click = grid.on_click(open);
    let table = NodeRef::<leptos::html::Table>::new();
    grid.when_ready(table, open);
    let mut row = 0usize;
    view! {
        <LearningBreadcrumb workspace=workspace.clone()/>
        <PrintedOn today/>
        <h1>{if team.is_empty() { "Team learning needs".to_owned() } else { format!("Learning needs: {team}") }}</h1>
        <LearningLinks workspace_id=workspace.id.clone()/>
        {(teams.len() > 1).then(|| view! {
            <p class="no-print">"Teams: "
                {teams.clone().into_iter().map(|t| {
                    let href = format!("{}?team={}", crate::paths::team_needs(&workspace.id), urlencoding(&t));
                    let current = (t == team).then_some("page");
                    view! { <A href=href attr:class="chip" attr:aria-current=current>{t}</A>" " }
                }).collect_view()}
            </p>
        })}
        {if column_count == 0 {
            view! { <p class="empty">"No named people with a team yet. Start an analysis for a named person, give their team, and they appear here with the rest of their team."</p> }.into_any()
        } else {
            view! {
                <p class="page-links no-print">
                    <button type="button" class="link-button" on:click=|_| print_window()>"Print"</button>
                </p>
                <p id="grid-help" class="hint no-print">
                    "Functions down, people across. Each cell gives the need's priority (High, Medium, Low or None) and its status; \
                     “not assessed” has no need recorded yet, and “out of scope” is outside that person's analysis. "
                    {format!("{MOVING} Type a priority to set it: 0 to 3, or N, L, M, H for none, low, medium and high; Ctrl+Z undoes the last. \
                             Enter or Space opens the cell's whole need (status, activity, date and notes); Escape closes it.")}
                </p>
                <GridMessages messages undo_label undo=Callback::new(move |()| undo())/>
                <p class="grid-waiting" role="status">"Getting the grid ready: cells can be changed in a moment."</p>
                <div class="matrix-layout">
                <div class="matrix-scroll">
                    <table class="matrix team-grid" role="grid" aria-label=format!("Learning needs of {team}") aria-describedby="grid-help"
                        node_ref=table data-ready="false" on:keydown=on_keydown on:click=on_click on:focusin=grid.on_focusin()>
                        <thead><tr role="row">
                            <th scope="col" role="columnheader" class="matrix__corner">"Function"</th>
                            {headers.clone().into_iter().map(|(id, name)| view! {
                                <th scope="col" role="columnheader" class="matrix__column">
                                    <span><A href=crate::paths::analysis(&workspace.id, &id)>{name}</A></span>
                                </th>
                            }).collect_view()}
                        </tr></thead>
                        {categories.into_iter().map(|category| {
                            let first_row = row;
                            row += category.functions.len();
                            view! {
                                <tbody>
                                    <tr class="matrix__band" role="row"><th scope="rowgroup" role="rowheader" colspan=column_count + 1>{category.name.clone()}</th></tr>
                                    {category.functions.into_iter().enumerate().map(|(offset, function)| {
                                        let row = first_row + offset;
                                        view! {
                                            <tr role="row" data-function-id=function.id.to_string()>
                                                <th scope="row" role="rowheader" class="matrix__function"><span class="function__id">{function.id.to_string()}</span>{format!(" {}", function.label)}</th>
                                                {(0..column_count).map(|column| {
                                                    let cell = cells.with_value(|c| c[row][column]);
                                                    let id = format!("need-{row}-{column}");
                                                    let tabindex = if row == 0 && column == 0 { "0" } else { "-1" };
                                                    let person = view! { <span class="cell__column" aria-hidden="true">{names.with_value(|n| n[column].clone())}</span> };
                                                    match cell {
                                                        None => view! {
                                                            <td role="gridcell" id=id tabindex=tabindex class="need-cell need-cell--outside" aria-disabled="true">
                                                                {person}
                                                                "out of scope"
                                                            </td>
                                                        }.into_any(),
                                                        Some(stored) => view! {
                                                            <td role="gridcell" id=id tabindex=tabindex
                                                                class=move || format!("need-cell need--{}", stored.read().need.priority.as_str())>
                                                                {person}
                                                                <span class="need-cell__priority">{move || cell_text(&stored.get()).0}</span>
                                                                <span class="need-cell__status">{move || cell_text(&stored.get()).1}</span>
                                                            </td>
                                                        }.into_any(),
                                                    }
                                                }).collect_view()}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            }
                        }).collect_view()}
                    </table>
                </div>
                {move || editing.get().map(|(row, column)| {
                    let stored = cells.with_value(|c| c[row][column]).expect("only cells in scope open");
                    let on_close = Callback::new(move |()| {
                        editing.set(None);
                        grid.focus(row, column);
                    });
                    view! {
                        <NeedForm workspace_id=workspace_id.get_value() analysis_id=analysis_ids.with_value(|a| a[column].clone())
                            function=functions.with_value(|f| f[row].clone()) whose=names.with_value(|n| n[column].clone())
                            stored catalogue status on_close/>
                    }
                })}
                </div>
            }.into_any()
        }}
    }
}
