use super::Loaded;
use crate::api::workspaces::{AUDIT_PAGE_SIZE, AuditPage as AuditLog, audit_log};
use crate::model::PersonId;
use crate::model::{AuditEntry, Entity};
use crate::ui::ids::id_param;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Who changed what and when, newest first; filtered by a plain GET form, so it works without
/// JavaScript and a filtered view can be bookmarked.
#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let log = Resource::new(
        move || {
            let query = query.read();
            (id_param(&params.read(), "id"), query.get("entity"), query.get("person").map(PersonId::from))
        },
        |(id, entity, person)| audit_log(id, entity, person),
    );
    view! {
        <Title text="Audit log"/>
        <Loaded resource=log what="the audit log" failed_heading="Audit log" ready=|page| view! { <AuditView page/> }/>
    }
}

/// The filters and the entries of a loaded audit log.
#[component]
fn AuditView(page: AuditLog) -> impl IntoView {
    let query = use_query_map();
    let entity = query.read_untracked().get("entity").unwrap_or_default();
    let person = query.read_untracked().get("person").unwrap_or_default();
    view! {
        <p class="breadcrumb">
            <A href=crate::paths::workspace(&page.workspace.id)>{page.workspace.name.clone()}</A>
        </p>
        <h1>"Audit log"</h1>
        <form class="form form--inline" method="get">
            <div class="field">
                <label for="audit-entity">"What changed"</label>
                <select id="audit-entity" name="entity">
                    <option value="">"Everything"</option>
                    {Entity::ALL.map(|kind| view! {
                        <option value=kind.as_str() selected=entity == kind.as_str()>{kind.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="audit-person">"Who changed it"</label>
                <select id="audit-person" name="person">
                    <option value="">"Anyone"</option>
                    {page.people.iter().map(|member| view! {
                        <option value=member.user_id.clone() selected=person == member.user_id.as_str()>{member.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">"Show"</button>
        </form>
        <AuditTable entries=page.entries/>
    }
}

#[component]
fn AuditTable(entries: Vec<AuditEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty">"No changes match."</p> }.into_any();
    }
    let full = entries.len() as i64 >= AUDIT_PAGE_SIZE;
    view! {
        <table class="table">
            <caption class="visually-hidden">"Changes, newest first"</caption>
            <thead>
                <tr>
                    <th scope="col">"When (UTC)"</th>
                    <th scope="col">"Who"</th>
                    <th scope="col">"What"</th>
                    <th scope="col">"Field"</th>
                    <th scope="col">"Before"</th>
                    <th scope="col">"After"</th>
                </tr>
            </thead>
            <tbody>
                {entries.into_iter().map(|entry| {
                    let entity = entry.entity.clone();
                    view! {
                    <tr class="audit-entry" data-entity=entity>
                        <td>{entry.at.get(..16).unwrap_or(&entry.at).replace('T', " ")}</td>
                        <td>{entry.actor_name}</td>
                        <td>{entry.entity}</td>
                        <td>{entry.field}</td>
                        <td>{entry.old_value.unwrap_or_else(|| "—".into())}</td>
                        <td>{entry.new_value.unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }}).collect_view()}
            </tbody>
        </table>
        {full.then(|| view! { <p class="hint">{format!("Showing the newest {AUDIT_PAGE_SIZE} changes; filter to see older ones.")}</p> })}
    }
    .into_any()
}
