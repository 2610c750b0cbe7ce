//! Components and pages.

mod forms;
mod ids;
mod layout;
mod matrix;
mod needs;
mod pages;
mod transfer;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="caremap"/>
                // Keeps a click made on a grid before the page's script is ready.
                <script src="/early.js" defer></script>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        // Every page's title passes through here; the server writes it raw into <head>.
        <Title formatter=|page: String| forms::raw_text(if page.is_empty() { "caremap".to_owned() } else { format!("{page} · caremap") })/>
        <Router>
            <layout::Page>
                // Pages that list data wait for it on the server, so they are complete
                // without JavaScript.
                <Routes fallback=pages::NotFound>
                    <Route path=path!("") view=pages::Home/>
                    <Route path=path!("/frameworks") view=pages::Frameworks ssr=SsrMode::Async/>
                    <Route path=path!("/frameworks/:id") view=pages::FrameworkDetail ssr=SsrMode::Async/>
                    <Route path=path!("/setup") view=pages::Setup/>
                    <Route path=path!("/sign-in") view=pages::SignInPage/>
                    <Route path=path!("/workspaces") view=pages::Workspaces ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id") view=pages::WorkspacePage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/audit") view=pages::AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/maps") view=pages::MapsPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/maps/:map") view=pages::OrgMapPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/maps/:map/organisations") view=pages::OrgMapOrganisationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/maps/:map/plan") view=pages::PlanPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/review") view=pages::ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/role-maps") view=pages::RoleMapsPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/role-maps/:map") view=pages::RoleMapPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/role-maps/:map/roles") view=pages::RoleMapRolesPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/role-maps/:map/roles/:role") view=pages::JobDescriptionPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/learning") view=pages::LearningListPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/learning/:analysis") view=pages::LearningPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/team-needs") view=pages::TeamNeedsPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/programme") view=pages::ProgrammePage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/catalogue") view=pages::CataloguePage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/imports/:import") view=pages::ImportPreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/invitations/:token") view=pages::InvitationPage ssr=SsrMode::Async/>
                </Routes>
            </layout::Page>
        </Router>
    }
}
