//! The frame every page shares: skip link, header with navigation, main, footer.

use leptos::prelude::*;
use leptos_router::components::A;

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
                    </ul>
                </nav>
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
