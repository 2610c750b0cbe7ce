mod audit;
mod catalogue;
mod framework_detail;
mod frameworks;
mod home;
mod imports;
mod invitation;
mod job_description;
mod learning;
mod maps;
mod not_found;
mod org_map;
mod plan;
mod programme;
mod review;
mod role_map;
mod role_maps;
mod setup;
mod sign_in;
mod team_needs;
mod workspace;
mod workspaces;

pub use audit::AuditPage;
pub use catalogue::CataloguePage;
pub use framework_detail::FrameworkDetail;
pub use frameworks::Frameworks;
pub use home::Home;
pub use imports::ImportPreviewPage;
pub use invitation::InvitationPage;
pub use job_description::JobDescriptionPage;
pub use learning::{LearningListPage, LearningPage};
pub use maps::{MapsPage, SampleButton};
pub use not_found::NotFound;
pub use org_map::{OrgMapOrganisationsPage, OrgMapPage};
pub use plan::PlanPage;
pub use programme::ProgrammePage;
pub use review::ReviewPage;
pub use role_map::{RoleMapPage, RoleMapRolesPage};
pub use role_maps::RoleMapsPage;
pub use setup::Setup;
pub use sign_in::SignInPage;
pub use team_needs::TeamNeedsPage;
pub use workspace::WorkspacePage;
pub use workspaces::Workspaces;

use crate::api::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// Shows an error from the server in words, and on the server sets the matching status. Someone
/// who is not signed in is offered the way to sign in.
#[component]
fn ErrorNotice(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::api::set_response_status(&error);
    let sign_in = matches!(error, AppError::Unauthenticated);
    view! {
        <div class="notice notice--error" role="alert">
            <p>{error.to_string()}</p>
            {sign_in.then(|| view! { <p><a href="/sign-in">"Sign in"</a></p> })}
        </div>
    }
}

/// Waits for a server answer: says what is loading meanwhile, shows the error in words (under
/// `failed_heading`, for pages whose heading comes from the answer) if the answer is one, and
/// otherwise what `ready` makes of the value.
#[component]
fn Loaded<T, V, F>(
    resource: Resource<Result<T, AppError>>,
    what: &'static str,
    ready: F,
    #[prop(optional)] failed_heading: Option<&'static str>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    view! {
        <Suspense fallback=move || view! { <p>{format!("Loading {what}…")}</p> }>
            {move || {
                let ready = ready.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => ready(value).into_any(),
                        Err(error) => view! {
                            {failed_heading.map(|heading| view! { <Title text=heading/><h1>{heading}</h1> })}
                            <ErrorNotice error/>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
