use super::Loaded;
use crate::api::role_maps::{JobDescriptionView, PlanRoleLearning, SaveJobDescription, get_job_description};
use crate::model::WorkspaceRole;
use crate::model::document::Block;
use crate::model::{RoleId, RoleMapId, WorkspaceId};
use crate::ui::forms::{FormError, action_error, print_window};
use crate::ui::ids::id_param;
use crate::ui::transfer::DownloadLink;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// A role's job description: to read, print, download as Word, and edit.
#[component]
pub fn JobDescriptionPage() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<SaveJobDescription>::new();
    let plan = ServerAction::<PlanRoleLearning>::new();
    let description = Resource::new(
        move || {
            let params = params.read();
            let ids = (id_param(&params, "id"), id_param(&params, "map"), id_param(&params, "role"));
            (ids, save.version().get())
        },
        |((workspace_id, map_id, role_id), _)| get_job_description(workspace_id, map_id, role_id),
    );
    view! {
        <Loaded resource=description what="the job description" failed_heading="Job description not available"
            ready=move |view| view! { <JobDescriptionEditor view save plan/> }/>
    }
}

#[component]
fn JobDescriptionEditor(view: JobDescriptionView, save: ServerAction<SaveJobDescription>, plan: ServerAction<PlanRoleLearning>) -> impl IntoView {
    let JobDescriptionView { workspace, map, role, description, text, edited } = view;
    let can_edit = workspace.role.allows(WorkspaceRole::Editor);
    let (workspace_id, map_id, role_id) = (workspace.id.clone(), map.id.clone(), role.id.clone());
    let map_path = crate::paths::role_map(&workspace_id, &map_id);
    let docx = crate::paths::job_description_file(&workspace_id, &map_id, &role_id);
    let plan_error = action_error(plan);
    let plan_ids = (workspace_id.clone(), map_id.clone(), role_id.clone());
    view! {
        <Title text=format!("Job description: {}", role.details.title)/>
        <p class="breadcrumb no-print">
            <A href=crate::paths::workspace(&workspace_id)>{workspace.name.clone()}</A>
            " › "
            <A href=map_path.clone()>{format!("Role map: {}", map.details.organisation)}</A>
        </p>
        <nav class="page-links no-print" aria-label="This job description">
            <DownloadLink href=docx label="Download as Word (.docx)"/>
            <button type="button" class="link-button" on:click=|_| print_window()>"Print"</button>
        </nav>
        {can_edit.then(|| view! {
            <ActionForm action=plan attr:class="form form--inline no-print">
                <FormError error=plan_error/>
                <input type="hidden" name="workspace_id" value=plan_ids.0/>
                <input type="hidden" name="map_id" value=plan_ids.1/>
                <input type="hidden" name="role_id" value=plan_ids.2/>
                <button type="submit" class="button--secondary" disabled=move || plan.pending().get()>"Plan learning for this role"</button>
                <p class="hint">"Starts a learning and development needs analysis covering exactly this role's functions and the core functions."</p>
            </ActionForm>
        })}
        {(!edited.is_empty()).then(|| view! {
            <p class="hint no-print">{format!("Edited by hand: {}. The rest follows the role map.", edited.join(", "))}</p>
        })}
        <article class="document">
            <DocumentView blocks=description.document()/>
        </article>
        {can_edit.then(|| view! {
            <EditText text description=description.clone() ids=(workspace_id, map_id, role_id, role.version) save/>
        })}
    }
}

/// A document's blocks as a page: lists grouped, numbering running on across headings.
#[component]
fn DocumentView(blocks: Vec<Block>) -> impl IntoView {
    let mut parts: Vec<AnyView> = Vec::new();
    let mut number = 0usize;
    let mut index = 0;
    while index < blocks.len() {
        let view = match &blocks[index] {
            Block::Title(text) => view! { <h1>{text.clone()}</h1> }.into_any(),
            Block::Heading(text) => view! { <h2>{text.clone()}</h2> }.into_any(),
            Block::Subheading(text) => view! { <h3>{text.clone()}</h3> }.into_any(),
            Block::Minor(text) => view! { <h4>{text.clone()}</h4> }.into_any(),
            Block::Paragraph(text) => view! { <p>{text.clone()}</p> }.into_any(),
            Block::Bullet(_) | Block::Numbered(_) => {
                let numbered = matches!(blocks[index], Block::Numbered(_));
                let mut items = Vec::new();
                while let Some(Block::Bullet(text) | Block::Numbered(text)) = blocks.get(index) {
                    if matches!(blocks[index], Block::Numbered(_)) != numbered {
                        break;
                    }
                    items.push(text.clone());
                    index += 1;
                }
                index -= 1;
                let start = number + 1;
                if numbered {
                    number += items.len();
                }
                let items = items.into_iter().map(|text| view! { <li>{text}</li> }).collect_view();
                if numbered { view! { <ol start=start>{items}</ol> }.into_any() } else { view! { <ul>{items}</ul> }.into_any() }
            }
        };
        parts.push(view);
        index += 1;
    }
    parts
}

/// The generated text, editable: blank goes back to what caremap writes.
#[component]
fn EditText(
    text: crate::model::job_description::JobDescriptionText,
    description: crate::model::job_description::JobDescription,
    ids: (WorkspaceId, RoleMapId, RoleId, i64),
    save: ServerAction<SaveJobDescription>,
) -> impl IntoView {
    let purpose = RwSignal::new(text.purpose);
    let person_specification = RwSignal::new(text.person_specification);
    let advert = RwSignal::new(text.advert);
    let questions: Vec<(String, String, RwSignal<String>)> =
        description.interview_questions.iter().map(|f| (f.function_id.to_string(), f.label.clone(), RwSignal::new(f.questions.join("\n")))).collect();
    let error = action_error(save);
    let questions_value = StoredValue::new(questions.clone());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (workspace_id, map_id, role_id, version) = ids.clone();
        let questions = questions_value.with_value(|questions| {
            questions
                .iter()
                .flat_map(|(id, _, text)| {
                    text.get_untracked().lines().filter(|l| !l.trim().is_empty()).map(|l| format!("{id}: {}", l.trim())).collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
                .join("\n")
        });
        save.dispatch(SaveJobDescription {
            workspace_id,
            map_id,
            role_id,
            version,
            purpose: purpose.get_untracked(),
            person_specification: person_specification.get_untracked(),
            questions,
            advert: advert.get_untracked(),
        });
    };
    let area = |id: String, label: String, hint: &'static str, value: RwSignal<String>, rows: u32| {
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
                <textarea id=id rows=rows prop:value=move || value.get() on:input=move |event| value.set(event_target_value(&event))></textarea>
            </div>
        }
    };
    view! {
        <section class="panel no-print" aria-labelledby="edit-heading">
            <h2 id="edit-heading">"Edit the job description"</h2>
            <p class="hint">"Responsibilities come from the role map. Change the text below; clear a box to go back to the generated text. Edits to a function's questions are kept while its statement stays the same."</p>
            <form class="form" on:submit=submit>
                <FormError error/>
                {area("jd-purpose".into(), "Purpose of the role".into(), "", purpose, 4)}
                {area("jd-person".into(), "Person specification".into(), "One quality a line.", person_specification, 6)}
                {questions.into_iter().map(|(id, label, value)| {
                    area(format!("jd-questions-{id}"), format!("Interview questions: {label}"), "One question a line.", value, 3)
                }).collect_view()}
                {area("jd-advert".into(), "Job advert".into(), "", advert, 5)}
                <button type="submit" disabled=move || save.pending().get()>"Save the job description"</button>
                <p role="status" aria-live="polite">{move || save.value().get().and_then(|r| r.ok()).map(|_| "Saved.")}</p>
            </form>
        </section>
    }
}
