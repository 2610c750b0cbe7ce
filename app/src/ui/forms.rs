//! Form parts shared by every page: labelled fields with their own error message, and the
//! message for a form as a whole.

use crate::api::AppError;
use leptos::prelude::*;

/// The error of the latest run of a server action, if it failed.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// Text for an element whose children the renderer writes into the server's HTML unescaped
/// (`<title>`, `<textarea>`): escaped there, so stored text cannot close the element and add
/// markup. The browser sets these children as text, so there it stays as it is.
pub fn raw_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    let text = html_escape::encode_text(&text).into_owned();
    text
}

/// A text area holding `value` when the page arrives, without JavaScript too.
#[component]
pub fn TextArea(id: String, name: &'static str, rows: u32, #[prop(optional)] maxlength: Option<u32>, value: String) -> impl IntoView {
    view! { <textarea id=id name=name rows=rows maxlength=maxlength>{raw_text(value)}</textarea> }
}

/// A labelled input. Its error, if any, is announced and tied to the input.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// Blank is allowed.
    #[prop(optional)]
    optional: bool,
    /// Keeps ids unique where one page has several forms with the same fields.
    #[prop(optional, into)]
    form_id: String,
) -> impl IntoView {
    let id = if form_id.is_empty() { format!("field-{name}") } else { format!("field-{form_id}-{name}") };
    let message = move || error.get().and_then(|error| error.for_field(name));
    let described_by = format!("{id}-hint {id}-error");
    view! {
        <div class="field" class:field--error=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            {(!hint.is_empty()).then(|| view! { <p class="hint" id=format!("{id}-hint")>{hint}</p> })}
            <p class="field__error" id=format!("{id}-error") aria-live="polite">{message}</p>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                required=!optional
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby=described_by
            />
        </div>
    }
}

/// The message for a failure that is not about one field.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || error.get().filter(|error| !matches!(error, AppError::Invalid { field, .. } if !field.is_empty()));
    view! {
        <div class="form-error" aria-live="assertive">
            {move || message().map(|error| view! {
                <div class="notice notice--error" role="alert"><p>{error.to_string()}</p></div>
            })}
        </div>
    }
}

/// A select of workspace roles.
#[component]
pub fn RoleSelect(
    name: &'static str,
    id: String,
    #[prop(default = crate::model::WorkspaceRole::Editor)] selected: crate::model::WorkspaceRole,
) -> impl IntoView {
    view! {
        <select name=name id=id>
            // The most powerful role first.
            {crate::model::WorkspaceRole::ALL.into_iter().rev().map(|role| view! {
                <option value=role.as_str() selected=role == selected>{role.label()}</option>
            }).collect_view()}
        </select>
    }
}

/// Opens the browser's print dialogue (the print styles lay the page out on A4 landscape).
pub fn print_window() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().print();
    }
}

/// Moves focus to `element`, if there is one and it can take focus; answers whether it moved.
pub(crate) fn focus_element(element: Option<web_sys::Element>) -> bool {
    use leptos::wasm_bindgen::JsCast;
    element.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()).is_some_and(|element| element.focus().is_ok())
}

/// "Remove…" that asks once more: the form in `children` (which does the removing) shows only
/// after the first click, beside "Keep". Focus follows the question: to the form's button when
/// it is asked, back to "Remove…" when it is kept, never lost to the page.
#[component]
pub fn ConfirmRemove(children: ChildrenFn) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let holder = NodeRef::<leptos::html::Div>::new();
    let answer = move |confirm: bool| {
        confirming.set(confirm);
        request_animation_frame(move || {
            let target = if confirm { "button[type=submit]" } else { "button" };
            focus_element(holder.get_untracked().and_then(|holder| holder.query_selector(target).ok().flatten()));
        });
    };
    view! {
        <div class="confirm-remove" node_ref=holder>
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="button--secondary" on:click=move |_| answer(true)>"Remove…"</button>
                }
            >
                {children()}
                <button type="button" class="button--secondary" on:click=move |_| answer(false)>"Keep"</button>
            </Show>
        </div>
    }
}

/// Checkboxes for choosing functions, by category, each category with "Select all".
#[component]
pub fn FunctionChooser(
    categories: Vec<crate::model::Category>,
    /// The ids chosen.
    chosen: RwSignal<Vec<String>>,
    /// The checkboxes' name.
    name: &'static str,
    /// Keeps the select-all ids unique, as "PREFIX-all-CATEGORY".
    id_prefix: &'static str,
) -> impl IntoView {
    view! {
        <div class="function-chooser">
            {categories.iter().map(|category| {
                let ids: Vec<String> = category.functions.iter().map(|f| f.id.to_string()).collect();
                let all_ids = ids.clone();
                let all_chosen = move || all_ids.iter().all(|id| chosen.read().contains(id));
                let select_all = move |event: leptos::ev::Event| {
                    let on = event_target_checked(&event);
                    chosen.update(|chosen| {
                        chosen.retain(|id| !ids.contains(id));
                        if on {
                            chosen.extend(ids.iter().cloned());
                        }
                    });
                };
                let category_id = category.id.to_string();
                view! {
                    <fieldset class="menu__category">
                        <legend>{category.name.clone()}</legend>
                        <label class="checkbox menu__all">
                            <input type="checkbox" id=format!("{id_prefix}-all-{category_id}") prop:checked=all_chosen on:change=select_all/>
                            {format!(" Select all in {}", category.name)}
                        </label>
                        {category.functions.iter().map(|function| {
                            let id = function.id.to_string();
                            let (checked_id, toggled_id) = (id.clone(), id.clone());
                            view! {
                                <label class="checkbox">
                                    <input type="checkbox" name=name value=id.clone()
                                        prop:checked=move || chosen.read().contains(&checked_id)
                                        on:change=move |event| {
                                            let on = event_target_checked(&event);
                                            let id = toggled_id.clone();
                                            chosen.update(|chosen| {
                                                chosen.retain(|chosen| chosen != &id);
                                                if on {
                                                    chosen.push(id);
                                                }
                                            });
                                        }/>
                                    " "
                                    <span class="function__id">{id}</span>
                                    {format!(" {}", function.label)}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
        </div>
    }
}
