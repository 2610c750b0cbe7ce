mod audit;
mod framework_detail;
mod frameworks;
mod home;
mod invitation;
mod not_found;
mod setup;
mod sign_in;
mod workspace;
mod workspaces;

pub use audit::AuditPage;
pub use framework_detail::FrameworkDetail;
pub use frameworks::Frameworks;
pub use home::Home;
pub use invitation::InvitationPage;
pub use not_found::NotFound;
pub use setup::Setup;
pub use sign_in::SignInPage;
pub use workspace::WorkspacePage;
pub use workspaces::Workspaces;

use crate::api::AppError;
use leptos::prelude::*;

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
