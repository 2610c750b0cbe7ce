use super::Loaded;
use crate::api::frameworks::get_framework;
use crate::model::Framework;
use crate::ui::transfer::DownloadLink;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// One framework's categories and functions, with a filter. Without JavaScript the filter is
/// an ordinary form (`?q=`) answered by the server; once hydrated it narrows as you type.
#[component]
pub fn FrameworkDetail() -> impl IntoView {
    let params = use_params_map();
    let framework = Resource::new(move || params.read().get("id").unwrap_or_default(), get_framework);
    view! {
        <Loaded
            resource=framework
            what="the framework"
            failed_heading="Framework not available"
            ready=|framework| view! { <FrameworkFunctions framework/> }
        />
    }
}

#[component]
fn FrameworkFunctions(framework: Framework) -> impl IntoView {
    let initial_query = use_query_map().read_untracked().get("q").unwrap_or_default();
    let query = RwSignal::new(initial_query.clone());
    let total = framework.function_count();
    let framework = StoredValue::new(framework);
    let shown = Memo::new(move |_| framework.with_value(|f| f.filter(&query.read())));
    let shown_count = move || shown.read().iter().map(|c| c.functions.len()).sum::<usize>();
    let name = framework.with_value(|f| f.name().to_owned());

    view! {
        <Title text=name.clone()/>
        <p class="breadcrumb"><a href="/frameworks">"Function frameworks"</a></p>
        <h1>{name}</h1>
        <p class="lead">{framework.with_value(|f| f.description().to_owned())}</p>
        <p class="no-print"><DownloadLink href=framework.with_value(|f| crate::paths::framework_file(f.id().as_str())) label="Download as a spreadsheet (.xlsx)"/></p>
        <form class="filter" role="search" method="get" on:submit=|event| event.prevent_default()>
            <label for="function-filter">"Filter functions"</label>
            <p class="hint" id="function-filter-hint">
                "Type words from a function's wording, its category or its identifier, e.g. “referrals” or “comm-06”."
            </p>
            <div class="filter__row">
                <input
                    id="function-filter"
                    name="q"
                    type="search"
                    autocomplete="off"
                    aria-describedby="function-filter-hint function-count"
                    // The attribute shows the query in the page as served; the binding keeps
                    // it in step once the page is live.
                    value=initial_query
                    bind:value=query
                />
                <noscript><button type="submit">"Filter"</button></noscript>
            </div>
        </form>
        <p id="function-count" class="filter__count" aria-live="polite">
            {move || {
                let shown = shown_count();
                if shown == total {
                    format!("Showing all {total} functions")
                } else {
                    format!("Showing {shown} of {total} functions")
                }
            }}
        </p>
        <Show
            when=move || { shown_count() > 0 }
            fallback=move || view! {
                <p class="empty">
                    "No function matches “" {move || query.get()} "”. "
                    <button type="button" class="link-button" on:click=move |_| query.set(String::new())>
                        "Clear the filter"
                    </button>
                </p>
            }
        >
            {move || shown.get().into_iter().map(|category| view! {
                <section class="category" aria-labelledby=format!("category-{}", category.id)>
                    <h2 id=format!("category-{}", category.id)>
                        {category.name.clone()}
                        <span class="category__count">{format!(" ({})", category.functions.len())}</span>
                    </h2>
                    <ol class="functions">
                        {category.functions.into_iter().map(|function| view! {
                            <li class="function" data-function-id=function.id.to_string()>
                                <p class="function__label">
                                    <span class="function__id">{function.id.to_string()}</span>
                                    " "
                                    {function.label}
                                </p>
                                <p class="function__statement">{function.statement}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            }).collect_view()}
        </Show>
    }
}
