//! The frame every page shares: skip link, header with navigation, main, footer.

use crate::api::accounts::{SignOut, session_info};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

#[component]
pub fn Page(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="site-header__name">"caremap"</A>
                <nav aria-label="Main">
                    <ul class="site-nav">
                        <li><A href="/" exact=true>"Home"</A></li>
                        <li><A href="/frameworks">"Functions"</A></li>
                        <li><A href="/workspaces">"Workspaces"</A></li>
                    </ul>
                </nav>
                <UserMenu/>
            </div>
        </header>
        <main id="main" class="site-main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>
                "caremap " {env!("CARGO_PKG_VERSION")}
                " · Function frameworks from the Skills for Care guide to coordinating care, "
                "the core functions for all workers and the CPA care co-ordinator responsibilities."
            </p>
        </footer>
    }
}

/// Who is signed in, with the way out; or the way in.
#[component]
fn UserMenu() -> impl IntoView {
    let location = use_location();
    let sign_out = ServerAction::<SignOut>::new();
    // Asked again on every navigation, so signing in or out shows at once.
    let session = Resource::new(move || (location.pathname.get(), sign_out.version().get()), |_| session_info());
    view! {
        <div class="user-menu">
            <Suspense>
                {move || Suspend::new(async move {
                    match session.await {
                        Ok(state) => match state.user {
                            Some(user) => view! {
                                <span class="user-menu__name">{user.name}</span>
                                <ActionForm action=sign_out attr:class="form--row">
                                    <button type="submit" class="button--header">"Sign out"</button>
                                </ActionForm>
                            }.into_any(),
                            None if state.needs_setup => view! { <A href="/setup">"Set up caremap"</A> }.into_any(),
                            None => view! { <A href="/sign-in">"Sign in"</A> }.into_any(),
                        },
                        Err(_) => ().into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
