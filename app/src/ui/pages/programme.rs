use super::Loaded;
use super::learning::{LearningBreadcrumb, LearningLinks};
use crate::api::learning::{ProgrammeView, get_programme};
use crate::model::Pence;
use crate::model::programme::{Demand, NeedStatus, Priority, Progress};
use crate::ui::ids::id_param;
use crate::ui::transfer::DownloadLink;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The learning programme: every analysis's needs rolled up, under a filter chosen in the
/// address (team, role, priority, status), so a filtered view can be bookmarked and shared.
#[component]
pub fn ProgrammePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let programme = Resource::new(
        move || {
            let query = query.read();
            let value = |name: &str| query.get(name).unwrap_or_default();
            (id_param(&params.read(), "id"), value("team"), value("role"), value("priority"), value("status"))
        },
        |(workspace_id, team, role, priority, status)| get_programme(workspace_id, team, role, priority, status),
    );
    view! {
        <Title text="Learning programme"/>
        <Loaded resource=programme what="the learning programme" failed_heading="Learning programme"
            ready=move |view| view! { <Programme view/> }/>
    }
}

#[component]
fn Programme(view: ProgrammeView) -> impl IntoView {
    let ProgrammeView { workspace, programme, learner_ids, categories, filter, teams, roles } = view;
    let label = |id: &crate::model::FunctionId| {
        categories.iter().flat_map(|c| &c.functions).find(|f| &f.id == id).map(|f| f.label.clone()).unwrap_or_else(|| id.to_string())
    };
    let names = programme.learners.clone();
    let people = move |demand: &Demand| demand.people.iter().map(|&i| names[i].clone()).collect::<Vec<_>>().join(", ");
    let needs: usize = programme.functions.iter().map(|f| f.demand.total()).sum();
    let done: usize = programme.functions.iter().map(|f| f.demand.done).sum();
    let counted_people = programme.per_person.iter().filter(|p| p.total > 0).count();
    let select = |name: &'static str, label: &'static str, options: Vec<(String, String)>, chosen: String| {
        view! {
            <div class="field">
                <label for=format!("filter-{name}")>{label}</label>
                <select id=format!("filter-{name}") name=name>
                    <option value="" selected=chosen.is_empty()>"All"</option>
                    {options.into_iter().map(|(value, text)| {
                        let selected = value == chosen;
                        view! { <option value=value selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let pairs = |list: Vec<String>| list.into_iter().map(|v| (v.clone(), v)).collect::<Vec<_>>();
    let priorities = Priority::ALL[1..].iter().map(|p| (p.as_str().to_owned(), p.label().to_owned())).collect();
    let statuses = NeedStatus::ALL.iter().map(|s| (s.as_str().to_owned(), s.label().to_owned())).collect();
    view! {
        <LearningBreadcrumb workspace=workspace.clone()/>
        <h1>"Learning programme"</h1>
        <p class="lead">"Every analysis's learning needs added up: who needs what, which activities meet them, what they cost, and how far they are met. Archived needs and needs of no priority are not counted."</p>
        <LearningLinks workspace_id=workspace.id.clone()/>
        <p class="no-print"><DownloadLink href=crate::paths::programme_file(&workspace.id) label="Download the whole programme as a spreadsheet (.xlsx)"/></p>
        <form method="get" class="form form--inline filters no-print" aria-label="Filter the programme">
            {select("team", "Team", pairs(teams), filter.team.clone().unwrap_or_default())}
            {select("role", "Role", pairs(roles), filter.role.clone().unwrap_or_default())}
            {select("priority", "Priority", priorities, filter.priority.map(|p| p.as_str().to_owned()).unwrap_or_default())}
            {select("status", "Status", statuses, filter.status.map(|s| s.as_str().to_owned()).unwrap_or_default())}
            <button type="submit">"Show"</button>
            <A href=crate::paths::programme(&workspace.id)>"Clear the filters"</A>
        </form>
        <ul class="summary__counts totals" aria-label="Totals">
            <li id="total-needs">{format!("Needs: {needs}")}</li>
            <li id="total-done">{format!("Done: {done}")}</li>
            <li id="total-people">{format!("People with needs: {counted_people}")}</li>
            <li id="total-cost">{format!("Total cost: {}", programme.total_cost)}</li>
        </ul>
        {if needs == 0 {
            view! { <p class="empty">"No learning needs to count here yet. Record needs in the analyses, or clear the filters."</p> }.into_any()
        } else {
            view! {
                <NeedsChart categories=programme.per_category.clone()/>
                <h2>"Per function"</h2>
                <table class="table programme-functions">
                    <thead><tr>
                        <th scope="col">"Function"</th><th scope="col">"High"</th><th scope="col">"Medium"</th><th scope="col">"Low"</th>
                        <th scope="col">"Done"</th><th scope="col">"Who"</th><th scope="col">"Earliest target"</th>
                    </tr></thead>
                    <tbody>
                        {programme.functions.iter().map(|f| view! {
                            <tr data-function-id=f.function_id.to_string()>
                                <th scope="row"><span class="function__id">{f.function_id.to_string()}</span>{format!(" {}", label(&f.function_id))}</th>
                                <td>{f.demand.high}</td><td>{f.demand.medium}</td><td>{f.demand.low}</td>
                                <td>{format!("{} of {}", f.demand.done, f.demand.total())}</td>
                                <td>{people(&f.demand)}</td>
                                <td>{f.demand.earliest_target.map(|t| t.long()).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <h2>"Per activity"</h2>
                <table class="table programme-activities">
                    <thead><tr>
                        <th scope="col">"Activity"</th><th scope="col">"Needs"</th><th scope="col">"People"</th>
                        <th scope="col">"Done"</th><th scope="col">"Earliest target"</th><th scope="col">"Total cost"</th>
                    </tr></thead>
                    <tbody>
                        {programme.activities.iter().map(|a| view! {
                            <tr>
                                <th scope="row">{a.title.clone()}</th>
                                <td>{a.demand.total()}</td>
                                <td>{people(&a.demand)}</td>
                                <td>{format!("{} of {}", a.demand.done, a.demand.total())}</td>
                                <td>{a.demand.earliest_target.map(|t| t.long()).unwrap_or_default()}</td>
                                <td>{if a.total_cost == Pence(0) { "–".to_owned() } else { a.total_cost.to_string() }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <h2>"Suggested cohorts"</h2>
                {if programme.cohorts.is_empty() {
                    view! { <p class="empty">"No activity is waiting for two or more people yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="cohorts">
                            {programme.cohorts.iter().map(|c| view! {
                                <li><strong>{c.title.clone()}</strong>{format!(" ({} people): ", c.people.len())}
                                    {c.people.iter().map(|&i| programme.learners[i].clone()).collect::<Vec<_>>().join(", ")}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <h2>"Progress"</h2>
                <div class="progress-tables">
                    <ProgressTable caption="Per person" rows=programme.per_person.clone()
                        links=learner_ids.iter().map(|id| Some(crate::paths::analysis(&workspace.id, id))).collect()/>
                    <ProgressTable caption="Per team" rows=programme.per_team.clone() links=vec![]/>
                    <ProgressTable caption="Per function category" rows=programme.per_category.clone() links=vec![]/>
                </div>
            }.into_any()
        }}
    }
}

/// Done of total for each row with any needs; a row links where `links` gives an address.
#[component]
fn ProgressTable(caption: &'static str, rows: Vec<Progress>, links: Vec<Option<String>>) -> impl IntoView {
    view! {
        <table class="table progress">
            <caption>{caption}</caption>
            <thead><tr><th scope="col">"Name"</th><th scope="col">"Done"</th><th scope="col">"Of"</th></tr></thead>
            <tbody>
                {rows.into_iter().enumerate().filter(|(_, row)| row.total > 0).map(|(index, row)| {
                    let name = if row.name.is_empty() { "(no team)".to_owned() } else { row.name.clone() };
                    let name = match links.get(index).cloned().flatten() {
                        Some(href) => view! { <A href=href>{name}</A> }.into_any(),
                        None => name.into_any(),
                    };
                    view! { <tr><th scope="row">{name}</th><td>{row.done}</td><td>{row.total}</td></tr> }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A bar per function category: its needs, with the part done.
#[component]
fn NeedsChart(categories: Vec<Progress>) -> impl IntoView {
    const ROW: usize = 30;
    const LABEL: usize = 290;
    const BAR: usize = 300;
    let most = categories.iter().map(|c| c.total).max().unwrap_or(0).max(1);
    let height = ROW * categories.len() + 10;
    let description: Vec<String> = categories.iter().map(|c| format!("{}: {} needs, {} done", c.name, c.total, c.done)).collect();
    view! {
        <svg class="chart" viewBox=format!("0 0 {} {height}", LABEL + BAR + 90) role="img" aria-labelledby="needs-chart-title needs-chart-description">
            <title id="needs-chart-title">"Learning needs per category"</title>
            <desc id="needs-chart-description">{description.join("; ")}</desc>
            {categories.iter().enumerate().map(|(index, category)| {
                let y = index * ROW + 5;
                view! {
                    <g data-category=category.name.clone()>
                        <text x="0" y=y + 18 class="chart__label">{category.name.clone()}</text>
                        <rect x=LABEL y=y width=BAR height="22" class="chart__track"/>
                        <rect x=LABEL y=y width=BAR * category.total / most height="22" class="chart__bar chart__bar--needs"/>
                        <rect x=LABEL y=y width=BAR * category.done / most height="22" class="chart__bar chart__bar--done"/>
                        <text x=LABEL + BAR + 8 y=y + 18 class="chart__value">{format!("{} ({} done)", category.total, category.done)}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}
