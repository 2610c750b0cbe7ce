use super::Loaded;
use crate::api::frameworks::list_frameworks;
use crate::model::FrameworkSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Every framework, with what it holds.
#[component]
pub fn Frameworks() -> impl IntoView {
    let frameworks = Resource::new(|| (), |_| list_frameworks());
    view! {
        <Title text="Function frameworks"/>
        <h1>"Function frameworks"</h1>
        <p class="lead">
            "A framework is a list of functions grouped in categories. Every matrix in caremap "
            "is built from one, and a function's identifier links the matrices together."
        </p>
        <Loaded resource=frameworks what="the frameworks" ready=framework_list/>
    }
}

fn framework_list(list: Vec<FrameworkSummary>) -> AnyView {
    if list.is_empty() {
        return view! { <p>"There are no frameworks yet."</p> }.into_any();
    }
    view! {
        <ul class="card-list">
            {list.into_iter().map(|framework| view! {
                <li class="card">
                    <h2>
                        <A href=crate::paths::framework(framework.id.as_str())>{framework.name}</A>
                    </h2>
                    <p>{framework.description}</p>
                    {framework.local.then(|| view! { <p><span class="badge">"Your workspace's own"</span></p> })}
                    <p class="card__meta">
                        {format!(
                            "{} functions in {} {} · version {}",
                            framework.function_count,
                            framework.category_count,
                            if framework.category_count == 1 { "category" } else { "categories" },
                            framework.version,
                        )}
                    </p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
