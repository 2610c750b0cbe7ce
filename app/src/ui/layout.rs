//! The frame every page shares: skip link, header with navigation, main, footer.

use crate::api::accounts::{SignOut, session_info};
use crate::ui::forms::focus_element;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// A link to a part of this page that moves focus there. Without the script the browser follows
/// it; once the page is hydrated the router would take the click and leave focus where it was,
/// so the link moves focus itself: to the first element matching `focus` (a CSS selector) when
/// the page has one, else to the target, which needs `tabindex="-1"` unless it is focusable.
#[component]
pub fn SkipLink(
    target: &'static str,
    #[prop(optional)] focus: Option<&'static str>,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let jump = move |event: leptos::ev::MouseEvent| {
        let document = document();
        let inner = focus.and_then(|selector| document.query_selector(selector).ok().flatten());
        if focus_element(inner.or_else(|| document.get_element_by_id(target))) {
            event.prevent_default();
        }
    };
    view! { <a class=class href=format!("#{target}") on:click=jump>{children()}</a> }
}

#[component]
pub fn Page(children: Children) -> impl IntoView {
    view! {
        <SkipLink target="main" class="skip-link">"Skip to main content"</SkipLink>
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
