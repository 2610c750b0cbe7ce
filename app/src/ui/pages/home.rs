use crate::frameworks::{COORDINATING_CARE, CORE_FUNCTIONS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// What caremap does for each of its three kinds of user, and where each starts.
#[component]
pub fn Home() -> impl IntoView {
    let coordinating = crate::paths::framework(COORDINATING_CARE);
    let core = crate::paths::framework(CORE_FUNCTIONS);
    view! {
        <Title text=""/>
        <div class="intro">
            <h1>"Map who coordinates care, and train people for what they really do"</h1>
            <p class="lead">
                "caremap puts the Skills for Care coordinating-care matrices to work. "
                "One set of functions links three jobs: mapping organisations in a local area, "
                "mapping roles within one organisation, and planning the learning each person needs."
            </p>
        </div>
        <ul class="audiences">
            <li class="audience">
                <h2>"Commissioners"</h2>
                <p>
                    "For local authorities and integrated care boards: see which organisations in "
                    "your area deliver each coordinating-care function, and where there are gaps, "
                    "fragile spots with a single provider, or duplication. Plan actions for the "
                    "gaps and review progress against a dated baseline."
                </p>
                <p class="audience__start">
                    "Start an organisation map in "
                    <A href="/workspaces">"your workspace"</A>
                    ", or try the sample area there, against the "
                    <A href=coordinating.clone()>"39 coordinating-care functions"</A>
                    "."
                </p>
            </li>
            <li class="audience">
                <h2>"Employers"</h2>
                <p>
                    "For providers, NHS trusts and charities: choose the functions your service "
                    "needs, map them onto your roles, and turn each role into a job description, "
                    "an advert and interview questions."
                </p>
                <p class="audience__start">
                    "Start by reading the "
                    <A href=coordinating>"function menu"</A>
                    " and noting the ones your service needs."
                </p>
            </li>
            <li class="audience">
                <h2>"Training leads"</h2>
                <p>
                    "Record, for an organisation, team, role or person, the learning need and the "
                    "activity that meets it for each function they actually do, and roll the needs "
                    "up into learning programmes instead of training everyone the same way."
                </p>
                <p class="audience__start">
                    "Start with the "
                    <A href=core>"core functions for all workers"</A>
                    ", usually met through statutory and mandatory learning."
                </p>
            </li>
        </ul>
    }
}
