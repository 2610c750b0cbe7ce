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
use leptos_router::{Lazy, SsrMode, path};

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
                    <Route path=path!("") view={Lazy::<lazy::Home>::new()}/>
                    <Route path=path!("/frameworks") view={Lazy::<lazy::Frameworks>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/frameworks/:id") view={Lazy::<lazy::FrameworkDetail>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/setup") view={Lazy::<lazy::Setup>::new()}/>
                    <Route path=path!("/sign-in") view={Lazy::<lazy::SignInPage>::new()}/>
                    <Route path=path!("/workspaces") view={Lazy::<lazy::Workspaces>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id") view={Lazy::<lazy::WorkspacePage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/audit") view={Lazy::<lazy::AuditPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/maps") view={Lazy::<lazy::MapsPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/maps/:map") view={Lazy::<lazy::OrgMapPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/maps/:map/organisations") view={Lazy::<lazy::OrgMapOrganisationsPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/maps/:map/plan") view={Lazy::<lazy::PlanPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/review") view={Lazy::<lazy::ReviewPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/role-maps") view={Lazy::<lazy::RoleMapsPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/role-maps/:map") view={Lazy::<lazy::RoleMapPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/role-maps/:map/roles") view={Lazy::<lazy::RoleMapRolesPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/role-maps/:map/roles/:role") view={Lazy::<lazy::JobDescriptionPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/learning") view={Lazy::<lazy::LearningListPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/learning/:analysis") view={Lazy::<lazy::LearningPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/team-needs") view={Lazy::<lazy::TeamNeedsPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/programme") view={Lazy::<lazy::ProgrammePage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/catalogue") view={Lazy::<lazy::CataloguePage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id/imports/:import") view={Lazy::<lazy::ImportPreviewPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/invitations/:token") view={Lazy::<lazy::InvitationPage>::new()} ssr=SsrMode::Async/>
                </Routes>
            </layout::Page>
        </Router>
    }
}

/// The browser's program comes in parts (`cargo leptos build --split`): a shared core, and a part
/// for each area of the application, fetched when one of its pages is first opened. An area
/// rather than a page: the splitter gives code shared by a set of parts a file of its own, so
/// a part per page meant hundreds of small files, each a request of its own on a slow link.
mod lazy {
    use super::pages;
    use leptos::prelude::*;
    use leptos_router::LazyRoute;

    /// Declares the area `$area`, its pages as `$pages`, and for each page a route of the page's
    /// name that shows it from the area's part of the program.
    macro_rules! lazy_area {
        ($area:ident, $pages:ident: $($page:ident),* $(,)?) => {
            // Each variant is named after the page it stands for.
            #[allow(clippy::enum_variant_names)]
            #[derive(Clone, Copy)]
            pub enum $pages {
                $($page),*
            }

            #[lazy]
            fn $area(page: $pages) -> AnyView {
                match page {
                    $($pages::$page => view! { <pages::$page/> }.into_any()),*
                }
            }

            $(
                pub struct $page;

                impl LazyRoute for $page {
                    fn data() -> Self {
                        $page
                    }

                    async fn view(_page: Self) -> AnyView {
                        $area($pages::$page).await
                    }
                }
            )*
        };
    }

    lazy_area!(start, StartPages: Home, SignInPage, Setup, Workspaces, InvitationPage);
    lazy_area!(frameworks, FrameworkPages: Frameworks, FrameworkDetail);
    lazy_area!(workspace, WorkspacePages: WorkspacePage, AuditPage, ImportPreviewPage);
    lazy_area!(org_maps, OrgMapPages: MapsPage, OrgMapPage, OrgMapOrganisationsPage, PlanPage, ReviewPage);
    lazy_area!(role_maps, RoleMapPages: RoleMapsPage, RoleMapPage, RoleMapRolesPage, JobDescriptionPage);
    lazy_area!(learning, LearningPages: LearningListPage, LearningPage, TeamNeedsPage, ProgrammePage, CataloguePage);
}
