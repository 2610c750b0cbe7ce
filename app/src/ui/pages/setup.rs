use crate::api::accounts::CreateFirstAdmin;
use crate::ui::forms::{Field, FormError, action_error};
use leptos::prelude::*;
use leptos_meta::Title;

/// First run: creates the first administrator.
#[component]
pub fn Setup() -> impl IntoView {
    let create = ServerAction::<CreateFirstAdmin>::new();
    let error = action_error(create);
    view! {
        <Title text="Set up caremap"/>
        <h1>"Set up caremap"</h1>
        <p class="lead">"Create the first administrator account. After this, people join by invitation."</p>
        <ActionForm action=create attr:class="form">
            <FormError error/>
            <Field label="Email address" name="email" kind="email" autocomplete="email" error/>
            <Field label="Your name" name="name" autocomplete="name" error/>
            <Field
                label="Password"
                name="password"
                kind="password"
                autocomplete="new-password"
                hint="At least 12 characters; a few unrelated words work well."
                error
            />
            <button type="submit" disabled=move || create.pending().get()>"Create the administrator"</button>
        </ActionForm>
    }
}
