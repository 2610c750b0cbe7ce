use super::Loaded;
use crate::api::role_maps::{LearningView, get_learning_analysis};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// A learning and development needs analysis: whom it is for and the functions it covers.
#[component]
pub fn LearningPage() -> impl IntoView {
    let params = use_params_map();
    let analysis = Resource::new(
        move || {
            let params = params.read();
            (params.get("id").unwrap_or_default(), params.get("analysis").unwrap_or_default())
        },
        |(workspace_id, analysis_id)| get_learning_analysis(workspace_id, analysis_id),
    );
    view! {
        <Loaded resource=analysis what="the learning analysis" failed_heading="Learning analysis not available"
            ready=move |view| view! { <AnalysisView view/> }/>
    }
}

#[component]
fn AnalysisView(view: LearningView) -> impl IntoView {
    let LearningView { workspace, analysis } = view;
    let summary = analysis.summary;
    let title = format!("Learning and development needs: {}", summary.name);
    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb"><A href=format!("/workspaces/{}", workspace.id)>{workspace.name.clone()}</A></p>
        <h1>{title}</h1>
        <p class="card__meta">
            {format!("{}: {} · {} · {} · {} functions in scope", summary.level.label(), summary.name, summary.organisation, summary.date.long(), summary.scope.len())}
        </p>
        <h2>"Functions in scope"</h2>
        <p class="hint">"The functions this role leads or supports on its role map, and the core functions for all workers."</p>
        {analysis.categories.into_iter().map(|category| view! {
            <h3>{category.name}</h3>
            <ul class="scope-list">
                {category.functions.into_iter().map(|function| view! {
                    <li data-function-id=function.id.to_string()><span class="function__id">{function.id.to_string()}</span>{format!(" {}", function.label)}</li>
                }).collect_view()}
            </ul>
        }).collect_view()}
    }
}
