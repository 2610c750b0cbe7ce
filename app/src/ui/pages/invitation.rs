use super::ErrorNotice;
use crate::api::accounts::{AcceptInvitation, JoinWithNewAccount, invitation_info, session_info};
use crate::ui::forms::{Field, FormError, action_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// An invitation link: join as the signed-in person, or create an account and join.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new(token, invitation_info);
    let session = Resource::new(|| (), |_| session_info());
    let accept = ServerAction::<AcceptInvitation>::new();
    let join = ServerAction::<JoinWithNewAccount>::new();
    let accept_error = action_error(accept);
    let join_error = action_error(join);
    view! {
        <Title text="Invitation"/>
        <Suspense fallback=|| view! { <p>"Loading the invitation…"</p> }>
            {move || Suspend::new(async move {
                let (invitation, session) = (invitation.await, session.await);
                let invitation = match invitation {
                    Ok(invitation) => invitation,
                    Err(error) => return view! { <h1>"Invitation"</h1><ErrorNotice error/> }.into_any(),
                };
                let heading = format!("Join “{}”", invitation.workspace_name);
                let role = invitation.role.label().to_lowercase();
                let user = session.ok().and_then(|s| s.user);
                view! {
                    <h1>{heading}</h1>
                    <p class="lead">{format!("You are invited to join as {role}. The link works once, until {}.", invitation.expires_at.get(..10).unwrap_or_default())}</p>
                    {match user {
                        Some(user) => view! {
                            <ActionForm action=accept attr:class="form">
                                <FormError error=accept_error/>
                                <input type="hidden" name="token" value=token()/>
                                <button type="submit">{format!("Join as {}", user.name)}</button>
                            </ActionForm>
                        }.into_any(),
                        None => view! {
                            <p>"Already have an account? " <a href="/sign-in">"Sign in"</a> " and open this link again."</p>
                            <h2>"Create your account"</h2>
                            <ActionForm action=join attr:class="form">
                                <FormError error=join_error/>
                                <input type="hidden" name="token" value=token()/>
                                <Field label="Email address" name="email" kind="email" autocomplete="email" error=join_error/>
                                <Field label="Your name" name="name" autocomplete="name" error=join_error/>
                                <Field label="Password" name="password" kind="password" autocomplete="new-password"
                                    hint="At least 12 characters; a few unrelated words work well." error=join_error/>
                                <button type="submit">"Create my account and join"</button>
                            </ActionForm>
                        }.into_any(),
                    }}
                }.into_any()
            })}
        </Suspense>
    }
}
