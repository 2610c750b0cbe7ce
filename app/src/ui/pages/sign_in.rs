use crate::api::accounts::SignIn;
use crate::ui::forms::{Field, FormError, action_error};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    let error = action_error(sign_in);
    view! {
        <Title text="Sign in"/>
        <h1>"Sign in"</h1>
        <ActionForm action=sign_in attr:class="form">
            <FormError error/>
            <Field label="Email address" name="email" kind="email" autocomplete="username" error/>
            <Field label="Password" name="password" kind="password" autocomplete="current-password" error/>
            <button type="submit" disabled=move || sign_in.pending().get()>"Sign in"</button>
        </ActionForm>
        <p class="hint">"New to caremap? Ask a workspace owner for an invitation link."</p>
    }
}
