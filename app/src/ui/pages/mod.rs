mod framework_detail;
mod frameworks;
mod home;
mod not_found;

pub use framework_detail::FrameworkDetail;
pub use frameworks::Frameworks;
pub use home::Home;
pub use not_found::NotFound;

use crate::api::AppError;
use leptos::prelude::*;

/// Shows an error from the server in words, and on the server sets the matching status.
#[component]
fn ErrorNotice(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        use http::StatusCode;
        response.set_status(match error {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        });
    }
    view! {
        <div class="notice notice--error" role="alert">
            <p>{error.to_string()}</p>
        </div>
    }
}
