use super::Loaded;
use crate::api::org_maps::{MapReview, compare_org_maps};
use crate::model::review::ChangeKind;
use crate::ui::ids::id_param;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The guide's stage 4: a map compared with its baseline.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let review = Resource::new(
        move || {
            let query = query.read();
            (id_param(&params.read(), "id"), id_param(&query, "baseline"), id_param(&query, "current"))
        },
        |(workspace_id, baseline, current)| compare_org_maps(workspace_id, baseline, current),
    );
    view! {
        <Title text="Review"/>
        <Loaded resource=review what="the comparison" failed_heading="Review" ready=|review| view! { <ReviewView review/> }/>
    }
}

#[component]
fn ReviewView(review: MapReview) -> impl IntoView {
    let MapReview { workspace, baseline, current, review } = review;
    let changed: Vec<_> = review.functions.iter().filter(|f| f.kind != ChangeKind::Unchanged).cloned().collect();
    let status = |side: &Option<(crate::model::RowStatus, crate::model::matrix::RowCounts)>| match side {
        Some((status, counts)) => format!("{} ({} full, {} partly)", status.label(), counts.full, counts.partial),
        None => "Not in this map".to_owned(),
    };
    let points = |n: i64| if n > 0 { format!("+{n}") } else { n.to_string() };
    view! {
        <p class="breadcrumb"><A href=crate::paths::org_maps(&workspace.id)>"Organisation maps"</A></p>
        <h1>{format!("Review: {} compared with {}", current.details.date.long(), baseline.details.date.long())}</h1>
        <p class="lead">{format!("{} ({}) against the baseline {} ({}).", current.details.area, current.details.date.long(), baseline.details.area, baseline.details.date.long())}</p>
        <ul class="summary__counts">
            <li class="tone--healthy">{format!("Functions gained: {}", review.count(ChangeKind::Gained))}</li>
            <li class="tone--gap">{format!("Functions lost: {}", review.count(ChangeKind::Lost))}</li>
            <li>{format!("Changed: {}", review.count(ChangeKind::Changed))}</li>
            <li>{format!("No change: {}", review.count(ChangeKind::Unchanged))}</li>
        </ul>
        <h2>"Coverage per category"</h2>
        <table class="table">
            <thead><tr><th scope="col">"Category"</th><th scope="col">"Baseline"</th><th scope="col">"Now"</th><th scope="col">"Change (points)"</th></tr></thead>
            <tbody>
                {review.categories.iter().chain(std::iter::once(&review.overall)).map(|category| view! {
                    <tr>
                        <th scope="row">{category.name.clone()}</th>
                        <td>{format!("{}%", category.before.percent())}</td>
                        <td>{format!("{}%", category.after.percent())}</td>
                        <td>{points(category.points())}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <h2>"Functions that changed"</h2>
        {if changed.is_empty() {
            view! { <p class="empty">"No function changed between the two maps."</p> }.into_any()
        } else {
            view! {
                <table class="table review">
                    <thead><tr><th scope="col">"Function"</th><th scope="col">"Change"</th><th scope="col">"Baseline"</th><th scope="col">"Now"</th></tr></thead>
                    <tbody>
                        {changed.into_iter().map(|change| view! {
                            <tr class=format!("change--{}", change.kind.label().to_lowercase().replace(' ', "-"))>
                                <th scope="row"><span class="function__id">{change.function_id.to_string()}</span>" "{change.label.clone()}</th>
                                <td>{change.kind.label()}</td>
                                <td>{status(&change.before)}</td>
                                <td>{status(&change.after)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
