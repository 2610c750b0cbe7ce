use super::Loaded;
use super::imports::ImportForm;
use crate::api::workspaces::{ChangeMemberRole, CreateInvitation, RemoveMember, RenameWorkspace, RevokeInvitation, WorkspaceDetails, workspace_overview};
use crate::model::WorkspaceRole;
use crate::model::{PersonId, WorkspaceId};
use crate::ui::forms::{Field, FormError, RoleSelect, action_error};
use crate::ui::ids::id_param;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// One workspace: its name, members and invitations.
#[component]
pub fn WorkspacePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || id_param(&params.read(), "id");
    let rename = ServerAction::<RenameWorkspace>::new();
    let change_role = ServerAction::<ChangeMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let invite = ServerAction::<CreateInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    // Reloaded after every change, so the page shows what is stored.
    let details = Resource::new(
        move || {
            let versions = [rename.version(), change_role.version(), remove.version(), invite.version(), revoke.version()];
            (id(), versions.map(|version| version.get()))
        },
        |(id, ..)| workspace_overview(id),
    );
    let actions = WorkspaceActions { rename, change_role, remove, invite, revoke };
    view! {
        <Loaded
            resource=details
            what="the workspace"
            failed_heading="Workspace not available"
            ready=move |details| view! { <WorkspaceView details actions/> }
        />
    }
}

#[derive(Clone, Copy)]
struct WorkspaceActions {
    rename: ServerAction<RenameWorkspace>,
    change_role: ServerAction<ChangeMemberRole>,
    remove: ServerAction<RemoveMember>,
    invite: ServerAction<CreateInvitation>,
    revoke: ServerAction<RevokeInvitation>,
}

#[component]
fn WorkspaceView(details: WorkspaceDetails, actions: WorkspaceActions) -> impl IntoView {
    let WorkspaceDetails { workspace, my_user_id, members, invitations, frameworks } = details;
    let is_owner = workspace.role == WorkspaceRole::Owner;
    let can_edit = workspace.role.allows(WorkspaceRole::Editor);
    let id = StoredValue::new(workspace.id.clone());
    let name = workspace.name.clone();
    let rename_error = action_error(actions.rename);
    let member_error = Signal::derive(move || action_error(actions.change_role).get().or_else(|| action_error(actions.remove).get()));
    let invite_error = Signal::derive(move || action_error(actions.invite).get().or_else(|| action_error(actions.revoke).get()));
    let invitation_link = move || actions.invite.value().get().and_then(Result::ok);

    view! {
        <Title text=name.clone()/>
        <p class="breadcrumb"><A href="/workspaces">"Your workspaces"</A></p>
        <h1>{name.clone()}</h1>
        <p class="card__meta">
            {format!("Your role here: {}. ", workspace.role.label())}
            <A href=crate::paths::audit(&id.get_value())>"See the audit log"</A>
        </p>
        <p class="page-links">
            <A href=crate::paths::org_maps(&id.get_value())>"Organisation maps"</A>
            <A href=crate::paths::role_maps(&id.get_value())>"Role maps and job descriptions"</A>
            <A href=crate::paths::analyses(&id.get_value())>"Learning and development needs"</A>
            <A href=crate::paths::programme(&id.get_value())>"Learning programme"</A>
        </p>

        {is_owner.then(|| view! {
            <h2>"Name"</h2>
            <ActionForm action=actions.rename attr:class="form form--inline">
                <FormError error=rename_error/>
                <input type="hidden" name="workspace_id" value=id.get_value()/>
                <input type="hidden" name="expected_name" value=name.clone()/>
                <Field label="Workspace name" name="name" value=name.clone() error=rename_error/>
                <button type="submit">"Rename"</button>
            </ActionForm>
        })}

        <h2>"Frameworks of this workspace"</h2>
        <p>
            "Besides the " <A href="/frameworks">"built-in frameworks"</A> ", a workspace can import its own from a spreadsheet: "
            "a table headed “Category” and “Function”, with “Id” and “Statement” columns if you have them. Only this workspace's members see them."
        </p>
        {if frameworks.is_empty() {
            view! { <p class="empty">"This workspace has no frameworks of its own yet."</p> }.into_any()
        } else {
            view! {
                <ul class="local-frameworks">
                    {frameworks.into_iter().map(|f| view! {
                        <li>
                            <A href=crate::paths::framework(f.id.as_str())>{f.name}</A>
                            {format!(" · {} functions · version {}", f.function_count, f.version)}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {can_edit.then(|| view! {
            <ImportForm workspace_id=id.get_value() kind="framework" heading="Import a framework from a spreadsheet"/>
        })}

        <h2 id="members-heading">"Members"</h2>
        <FormError error=member_error/>
        <table class="table" aria-labelledby="members-heading">
            <thead>
                <tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th>
                {is_owner.then(|| view! { <th scope="col">"Change"</th> })}</tr>
            </thead>
            <tbody>
                {members.into_iter().map(|member| {
                    let row_id = format!("role-{}", member.user_id);
                    let is_me = member.user_id == my_user_id;
                    let (user_id, member_name) = (member.user_id.clone(), member.name.clone());
                    let (remove_user_id, remove_name) = (user_id.clone(), member_name.clone());
                    view! {
                        <tr>
                            <th scope="row">{member.name}{is_me.then_some(" (you)")}</th>
                            <td>{member.email.clone()}</td>
                            <td>{member.role.label()}</td>
                            {is_owner.then(|| view! {
                                <td class="table__actions">
                                    <ActionForm action=actions.change_role attr:class="form--row">
                                        <input type="hidden" name="workspace_id" value=id.get_value()/>
                                        <input type="hidden" name="user_id" value=user_id.clone()/>
                                        <label class="visually-hidden" for=row_id.clone()>{format!("Role for {member_name}")}</label>
                                        <RoleSelect name="role" id=row_id selected=member.role/>
                                        <button type="submit">"Change role"</button>
                                    </ActionForm>
                                    <RemoveButton id=id.get_value() user_id=remove_user_id name=remove_name action=actions.remove/>
                                </td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>

        {is_owner.then(|| view! {
            <h2>"Invite someone"</h2>
            <p>"Create a link for one person to join. It works once, within 7 days. Send it to them yourself."</p>
            <ActionForm action=actions.invite attr:class="form form--inline">
                <FormError error=invite_error/>
                <input type="hidden" name="workspace_id" value=id.get_value()/>
                <label for="invite-role">"Their role"</label>
                <RoleSelect name="role" id="invite-role".to_owned()/>
                <button type="submit">"Create an invitation link"</button>
            </ActionForm>
            {move || invitation_link().map(|path| view! { <InvitationLink path/> })}
            {(!invitations.is_empty()).then(|| view! {
                <h3>"Open invitations"</h3>
                <ul class="invitations">
                    {invitations.into_iter().map(|invitation| {
                        let what = format!("{} · made by {} · expires {}", invitation.role.label(), invitation.created_by, invitation.expires_at.get(..10).unwrap_or_default());
                        view! {
                            <li>
                                {what.clone()}
                                <ActionForm action=actions.revoke attr:class="form--row">
                                    <input type="hidden" name="workspace_id" value=id.get_value()/>
                                    <input type="hidden" name="invitation_id" value=invitation.id/>
                                    <button type="submit" class="button--secondary" aria-label=format!("Withdraw the invitation: {what}")>"Withdraw"</button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        })}
    }
}

/// Removing someone asks once more before it happens.
#[component]
fn RemoveButton(id: WorkspaceId, user_id: PersonId, name: String, action: ServerAction<RemoveMember>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let (id, user_id, name) = (StoredValue::new(id), StoredValue::new(user_id), StoredValue::new(name));
    view! {
        <Show
            when=move || confirming.get()
            fallback=move || view! {
                <button type="button" class="button--secondary" on:click=move |_| confirming.set(true)>"Remove…"</button>
            }
        >
            <ActionForm action attr:class="form--row">
                <input type="hidden" name="workspace_id" value=id.get_value()/>
                <input type="hidden" name="user_id" value=user_id.get_value()/>
                <button type="submit" class="button--danger">{format!("Remove {}", name.get_value())}</button>
                <button type="button" class="button--secondary" on:click=move |_| confirming.set(false)>"Keep"</button>
            </ActionForm>
        </Show>
    }
}

/// The full link of a new invitation, ready to copy.
#[component]
fn InvitationLink(path: String) -> impl IntoView {
    let origin = window_origin();
    let link = format!("{origin}{path}");
    view! {
        <div class="notice" role="status">
            <label for="invitation-link">"Invitation link: copy it and send it to the person you invite"</label>
            <input id="invitation-link" class="copy" type="text" readonly=true value=link/>
        </div>
    }
}

fn window_origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        window().location().origin().unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}
