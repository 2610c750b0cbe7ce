use super::Loaded;
use super::learning::{LearningBreadcrumb, LearningLinks, urlencoding};
use crate::api::learning::{TeamNeedsView, get_team_needs};
use crate::model::AnalysisId;
use crate::model::programme::{NeedStatus, StoredNeed};
use crate::model::{CareFunction, WorkspaceRole};
use crate::ui::ids::id_param;
use crate::ui::matrix::KeyboardGrid;
use crate::ui::needs::NeedForm;
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
    let TeamNeedsView { workspace, team, teams, people, categories, catalogue } = view;
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
    let status = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
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
    let on_keydown = grid.on_keydown(|_| true, open, |_, _, _| false);
    let on_click = grid.on_click(open);
    let mut row = 0usize;
    view! {
        <LearningBreadcrumb workspace=workspace.clone()/>
        <h1>{if team.is_empty() { "Team learning needs".to_owned() } else { format!("Learning needs: {team}") }}</h1>
        <LearningLinks workspace_id=workspace.id.clone()/>
        {(teams.len() > 1).then(|| view! {
            <p>"Teams: "
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
                <p id="grid-help" class="hint">
                    "Functions down, people across. Each cell gives the need's priority (High, Medium, Low or None) and its status; \
                     “not assessed” has no need recorded yet, and “out of scope” is outside that person's analysis. "
                    format!("{MOVING} Enter or Space opens the cell's need to edit; Escape closes it.")
                </p>
                <p class="matrix-status" role="status" aria-live="polite">{move || status.get()}</p>
                <div class="form-error" aria-live="assertive">
                    {move || problem.get().map(|p| view! { <div class="notice notice--error" role="alert"><p>{p}</p></div> })}
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
                <div class="matrix-scroll">
                    <table class="matrix team-grid" role="grid" aria-label=format!("Learning needs of {team}") aria-describedby="grid-help"
                        on:keydown=on_keydown on:click=on_click>
                        <thead><tr>
                            <th scope="col" class="matrix__corner">"Function"</th>
                            {headers.clone().into_iter().map(|(id, name)| view! {
                                <th scope="col" class="matrix__column">
                                    <span><A href=crate::paths::analysis(&workspace.id, &id)>{name}</A></span>
                                </th>
                            }).collect_view()}
                        </tr></thead>
                        {categories.into_iter().map(|category| {
                            let first_row = row;
                            row += category.functions.len();
                            view! {
                                <tbody>
                                    <tr class="matrix__band"><th scope="rowgroup" colspan=column_count + 1>{category.name.clone()}</th></tr>
                                    {category.functions.into_iter().enumerate().map(|(offset, function)| {
                                        let row = first_row + offset;
                                        view! {
                                            <tr data-function-id=function.id.to_string()>
                                                <th scope="row" class="matrix__function"><span class="function__id">{function.id.to_string()}</span>{format!(" {}", function.label)}</th>
                                                {(0..column_count).map(|column| {
                                                    let cell = cells.with_value(|c| c[row][column]);
                                                    let id = format!("need-{row}-{column}");
                                                    let tabindex = if row == 0 && column == 0 { "0" } else { "-1" };
                                                    match cell {
                                                        None => view! {
                                                            <td role="gridcell" id=id tabindex=tabindex class="need-cell need-cell--outside" aria-disabled="true">
                                                                "out of scope"
                                                            </td>
                                                        }.into_any(),
                                                        Some(stored) => view! {
                                                            <td role="gridcell" id=id tabindex=tabindex
                                                                class=move || format!("need-cell need--{}", stored.read().need.priority.as_str())>
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
            }.into_any()
        }}
    }
}
