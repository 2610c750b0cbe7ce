//! Accounts, sessions, workspaces, memberships, invitations, sign-in failures, audit log.

use super::audit::record;
use super::codecs::time_from;
use super::versioned::{Claim, Versioned, claim};
use super::{AdvisoryLock, Store, StoreError, WriteTx, new_id, now, timestamp};
use crate::auth::{Attempts, Throttle};
use crate::model::Current;
use crate::model::{
    AuditEntry, AuditFilter, Change, Email, Entity, Invitation, Member, MembershipChange, PendingInvitation, PersonName, Refusal, User, WorkspaceName,
    WorkspaceRole, WorkspaceSummary, check_joining, check_membership_change,
};
use crate::model::{InvitationId, PersonId, WorkspaceId};
use time::{Duration, OffsetDateTime};

/// When a new account may be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewAccount {
    /// Only while no account exists: first-run setup on the web.
    FirstOnly,
    /// At any time: from the command line.
    Any,
}

/// A person's stored password hash, for signing in.
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

type UserRow = (PersonId, String, String, i64);

fn user_from((id, email, name, is_admin): UserRow) -> User {
    User { id, email, name, is_admin: is_admin != 0 }
}

fn role_from(text: &str) -> Result<WorkspaceRole, StoreError> {
    WorkspaceRole::parse(text).map_err(|_| StoreError::Inconsistent(format!("unknown role {text}")))
}

impl Store {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn user_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?)
    }

    /// Creates an account. The first account is the administrator, and which one is first is
    /// decided inside the write transaction, so two creations at once cannot both be it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_user(&self, email: &Email, name: &PersonName, password_hash: &str, rule: NewAccount) -> Result<User, StoreError> {
        let mut tx = self.begin_write().await?;
        self.serialise(&mut tx, AdvisoryLock::Accounts).await?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *tx.tx).await?;
        let first = count == 0;
        if !first && rule == NewAccount::FirstOnly {
            return Err(Refusal::AlreadySetUp.into());
        }
        let user = insert_user(&mut tx, email, name, password_hash, first).await?;
        tx.commit().await?;
        Ok(user)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn credentials(&self, email: &Email) -> Result<Option<Credentials>, StoreError> {
        let row: Option<(PersonId, String, String, i64, String)> =
            sqlx::query_as("SELECT id, email, name, is_admin, password_hash FROM users WHERE email = $1")
                .bind(email.as_str())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(id, email, name, is_admin, password_hash)| Credentials { user: user_from((id, email, name, is_admin)), password_hash }))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn user_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
        Ok(self.credentials(email).await?.map(|credentials| credentials.user))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_session(&self, token_hash: &str, user_id: &PersonId, expires_at: OffsetDateTime) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user_id)
            .bind(now())
            .bind(timestamp(expires_at))
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }

    /// The person a live session belongs to.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn session_user(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = sqlx::query_as(
            "SELECT u.id, u.email, u.name, u.is_admin FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(user_from))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *tx.tx).await?;
        tx.commit().await
    }

    /// Counts one attempt by `subject` (an account or a client address) under `throttle`, or
    /// answers how long it must wait. Attempts made at once are each counted: the count is
    /// written only over the one read, and a writer that finds it changed reads again.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn count_attempt(&self, subject: &str, throttle: &Throttle) -> Result<Result<(), Duration>, StoreError> {
        const TRIES: usize = 8;
        for _ in 0..TRIES {
            let mut tx = self.begin_write().await?;
            let row: Option<(i64, String, String)> =
                sqlx::query_as("SELECT attempts, last_at, next_at FROM sign_in_attempts WHERE subject = $1").bind(subject).fetch_optional(&mut *tx.tx).await?;
            let before = row
                .as_ref()
                .map(|(count, last_at, next_at)| Ok::<_, StoreError>(Attempts { count: *count, last_at: time_from(last_at)?, next_at: time_from(next_at)? }))
                .transpose()?;
            let after = match throttle.attempt(before, OffsetDateTime::now_utc()) {
                Ok(after) => after,
                Err(wait) => return Ok(Err(wait)),
            };
            let sql = match row {
                None => {
                    "INSERT INTO sign_in_attempts (subject, attempts, last_at, next_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (subject) DO NOTHING"
                }
                Some(_) => {
                    "UPDATE sign_in_attempts SET attempts = $2, last_at = $3, next_at = $4
                            WHERE subject = $1 AND attempts = $5 AND last_at = $6"
                }
            };
            let mut query = sqlx::query(sql).bind(subject).bind(after.count).bind(timestamp(after.last_at)).bind(timestamp(after.next_at));
            if let Some((count, last_at, _)) = &row {
                query = query.bind(*count).bind(last_at.as_str());
            }
            let written = query.execute(&mut *tx.tx).await?;
            if written.rows_affected() == 1 {
                tx.commit().await?;
                return Ok(Ok(()));
            }
        }
        // Still contended after several reads: refuse rather than let an attempt through uncounted.
        Ok(Err(Duration::seconds(1)))
    }

    /// Takes back one attempt by `subject`: a sign-in that succeeded counts against nobody.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn forgive_attempt(&self, subject: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE sign_in_attempts SET attempts = attempts - 1 WHERE subject = $1 AND attempts > 0").bind(subject).execute(&mut *tx.tx).await?;
        tx.commit().await
    }

    /// Forgets every attempt by `subject`: the account's own password was given.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn forget_attempts(&self, subject: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sign_in_attempts WHERE subject = $1").bind(subject).execute(&mut *tx.tx).await?;
        tx.commit().await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_workspace(&self, name: &WorkspaceName, owner_id: &PersonId) -> Result<WorkspaceId, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = insert_workspace(&mut tx, name, owner_id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The workspace with this id, or the one workspace with this name, and its first owner,
    /// for work done from the command line in the owner's name.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn workspace_for_command(&self, name_or_id: &str) -> Result<(WorkspaceId, PersonId), StoreError> {
        let rows: Vec<(WorkspaceId, PersonId)> = sqlx::query_as(
            "SELECT w.id, m.user_id FROM workspaces w JOIN memberships m ON m.workspace_id = w.id AND m.role = 'owner'
             WHERE w.id = $1 OR w.name = $1 ORDER BY w.id = $1 DESC, m.joined_at, m.user_id",
        )
        .bind(name_or_id)
        .fetch_all(&self.pool)
        .await?;
        let mut workspaces: Vec<&(WorkspaceId, PersonId)> = Vec::new();
        for row in &rows {
            if !workspaces.iter().any(|(id, _)| id == &row.0) {
                workspaces.push(row);
            }
        }
        match workspaces.as_slice() {
            [] => Err(StoreError::NotFound("The workspace")),
            [(id, owner)] => Ok((id.clone(), owner.clone())),
            [(id, owner), ..] if id.as_str() == name_or_id => Ok((id.clone(), owner.clone())),
            _ => Err(StoreError::AmbiguousWorkspace { count: workspaces.len(), name: name_or_id.to_owned() }),
        }
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn workspaces_of(&self, user_id: &PersonId) -> Result<Vec<WorkspaceSummary>, StoreError> {
        let rows: Vec<(WorkspaceId, String, String)> = sqlx::query_as(
            "SELECT w.id, w.name, m.role FROM workspaces w JOIN memberships m ON m.workspace_id = w.id
             WHERE m.user_id = $1 ORDER BY w.name, w.id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|(id, name, role)| Ok(WorkspaceSummary { id, name, role: role_from(&role)? })).collect()
    }

    /// A workspace's name and the given person's role in it, if they are a member.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn membership(&self, workspace_id: &WorkspaceId, user_id: &PersonId) -> Result<Option<WorkspaceSummary>, StoreError> {
        let row: Option<(WorkspaceId, String, String)> = sqlx::query_as(
            "SELECT w.id, w.name, m.role FROM workspaces w JOIN memberships m ON m.workspace_id = w.id
             WHERE w.id = $1 AND m.user_id = $2",
        )
        .bind(workspace_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(id, name, role)| Ok(WorkspaceSummary { id, name, role: role_from(&role)? })).transpose()
    }

    /// Renames a workspace, unless its name is no longer `expected`: then the current name comes
    /// back in the error, and nothing changes.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn rename_workspace(&self, workspace_id: &WorkspaceId, actor_id: &PersonId, expected: &str, name: &WorkspaceName) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let read_name = async |tx: &mut WriteTx| -> Result<(String, i64), StoreError> {
            Ok(sqlx::query_as("SELECT name, version FROM workspaces WHERE id = $1").bind(workspace_id).fetch_one(&mut *tx.tx).await?)
        };
        let (current, version) = read_name(&mut tx).await?;
        if current != expected {
            return Err(Current::WorkspaceName(current).into());
        }
        if current == name.as_str() {
            return Ok(());
        }
        if claim(&mut tx, Versioned::Workspace, &[workspace_id], version).await? == Claim::Lost {
            return Err(Current::WorkspaceName(read_name(&mut tx).await?.0).into());
        }
        sqlx::query("UPDATE workspaces SET name = $1 WHERE id = $2").bind(name.as_str()).bind(workspace_id).execute(&mut *tx.tx).await?;
        record(&mut tx, workspace_id, actor_id, &[Change::new(Entity::Workspace, workspace_id, "name").from(current).to(name.as_str())]).await?;
        tx.commit().await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn members(&self, workspace_id: &WorkspaceId) -> Result<Vec<Member>, StoreError> {
        members_in(&self.pool, workspace_id).await
    }

    /// Changes a member's role or removes them, keeping at least one owner.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn change_membership(&self, workspace_id: &WorkspaceId, actor_id: &PersonId, change: MembershipChange<'_>) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        // Two owners demoting each other at once on PostgreSQL must take turns, or both could
        // pass the last-owner check. (A SQLite write transaction already excludes the other.)
        if self.backend == super::Backend::Postgres {
            sqlx::query("SELECT id FROM workspaces WHERE id = $1 FOR UPDATE").bind(workspace_id).execute(&mut *tx.tx).await?;
        }
        let members = members_in(&mut *tx.tx, workspace_id).await?;
        check_membership_change(&members, change)?;
        let (user_id, new_role) = match change {
            MembershipChange::ChangeRole { user_id, role } => (user_id, Some(role)),
            MembershipChange::Remove { user_id } => (user_id, None),
        };
        let old_role = members.iter().find(|m| &m.user_id == user_id).map(|m| m.role);
        if old_role == new_role {
            return Ok(());
        }
        match new_role {
            Some(role) => {
                sqlx::query("UPDATE memberships SET role = $1 WHERE workspace_id = $2 AND user_id = $3")
                    .bind(role.as_str())
                    .bind(workspace_id)
                    .bind(user_id)
                    .execute(&mut *tx.tx)
                    .await?;
            }
            None => {
                sqlx::query("DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2").bind(workspace_id).bind(user_id).execute(&mut *tx.tx).await?;
            }
        }
        let mut change = Change::new(Entity::Member, user_id, "role");
        change.old_value = old_role.map(|role| role.as_str().to_owned());
        change.new_value = new_role.map(|role| role.as_str().to_owned());
        record(&mut tx, workspace_id, actor_id, &[change]).await?;
        tx.commit().await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_invitation(
        &self,
        workspace_id: &WorkspaceId,
        actor_id: &PersonId,
        role: WorkspaceRole,
        token_hash: &str,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO invitations (token_hash, workspace_id, role, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(workspace_id)
        .bind(role.as_str())
        .bind(actor_id)
        .bind(now())
        .bind(timestamp(expires_at))
        .execute(&mut *tx.tx)
        .await?;
        record(&mut tx, workspace_id, actor_id, &[Change::new(Entity::Invitation, &token_hash[..12], "role").to(role.as_str())]).await?;
        tx.commit().await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn pending_invitations(&self, workspace_id: &WorkspaceId) -> Result<Vec<PendingInvitation>, StoreError> {
        let rows: Vec<(InvitationId, String, String, String)> = sqlx::query_as(&format!(
            "SELECT i.token_hash, i.role, u.name, i.expires_at FROM invitations i JOIN users u ON u.id = i.created_by
                 WHERE i.workspace_id = $1 AND {OPEN_INVITATION} ORDER BY i.created_at DESC"
        ))
        .bind(workspace_id)
        .bind(now())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(token_hash, role, created_by, expires_at)| Ok(PendingInvitation { id: token_hash, role: role_from(&role)?, created_by, expires_at }))
            .collect()
    }

    /// An invitation that can still be used; nothing at all about one that cannot, so an old
    /// link tells its holder nothing.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn invitation(&self, token_hash: &str) -> Result<Option<Invitation>, StoreError> {
        let row: Option<(WorkspaceId, String, String, String)> = sqlx::query_as(&format!(
            "SELECT i.workspace_id, w.name, i.role, i.expires_at
                 FROM invitations i JOIN workspaces w ON w.id = i.workspace_id
                 WHERE i.token_hash = $1 AND {OPEN_INVITATION}"
        ))
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(workspace_id, workspace_name, role, expires_at)| Ok(Invitation { workspace_id, workspace_name, role: role_from(&role)?, expires_at }))
            .transpose()
    }

    /// Refuses an invitation that can no longer be used.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn open_invitation(&self, token_hash: &str) -> Result<(), StoreError> {
        self.invitation(token_hash).await?.map(|_| ()).ok_or(StoreError::InvitationClosed)
    }

    /// Withdraws an open invitation of the workspace, so its link no longer works.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn revoke_invitation(&self, workspace_id: &WorkspaceId, actor_id: &PersonId, invitation_id: &InvitationId) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let revoked = sqlx::query(
            "UPDATE invitations SET revoked_at = $1
             WHERE token_hash = $2 AND workspace_id = $3 AND used_at IS NULL AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(invitation_id)
        .bind(workspace_id)
        .execute(&mut *tx.tx)
        .await?;
        if revoked.rows_affected() == 0 {
            return Err(StoreError::InvitationClosed);
        }
        let change = Change::new(Entity::Invitation, invitation_id.get(..12).unwrap_or(invitation_id), "withdrawn").to("yes");
        record(&mut tx, workspace_id, actor_id, &[change]).await?;
        tx.commit().await
    }

    /// Makes `user_id` a member as the invitation says and uses the invitation up, in one
    /// transaction; an invitation is good once, before it expires.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn accept_invitation(&self, token_hash: &str, user_id: &PersonId) -> Result<WorkspaceId, StoreError> {
        let mut tx = self.begin_write().await?;
        let workspace_id = accept_in(&mut tx, token_hash, user_id).await?;
        tx.commit().await?;
        Ok(workspace_id)
    }

    /// Creates an account and accepts the invitation with it, in one transaction: either both
    /// happen or neither.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn join_with_new_account(
        &self,
        token_hash: &str,
        email: &Email,
        name: &PersonName,
        password_hash: &str,
    ) -> Result<(User, WorkspaceId), StoreError> {
        let mut tx = self.begin_write().await?;
        let user = insert_user(&mut tx, email, name, password_hash, false).await?;
        let workspace_id = accept_in(&mut tx, token_hash, &user.id).await?;
        tx.commit().await?;
        Ok((user, workspace_id))
    }

    /// A workspace's audit log, newest first, at most `limit` entries.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn audit_log(&self, workspace_id: &WorkspaceId, filter: &AuditFilter, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Entry {
            at: String,
            actor_id: PersonId,
            actor_name: String,
            entity: String,
            entity_id: String,
            field: String,
            old_value: Option<String>,
            new_value: Option<String>,
        }
        let rows: Vec<Entry> = sqlx::query_as(
            "SELECT a.at, a.actor_id, u.name AS actor_name, a.entity, a.entity_id, a.field, a.old_value, a.new_value
                 FROM audit_log a JOIN users u ON u.id = a.actor_id
                 WHERE a.workspace_id = $1
                   AND ($2 = '' OR a.entity = $2)
                   AND ($3 = '' OR a.actor_id = $3)
                 ORDER BY a.at DESC, a.id DESC
                 LIMIT $4",
        )
        .bind(workspace_id)
        .bind(filter.entity.clone().unwrap_or_default())
        .bind(filter.actor_id.as_ref().map_or("", |id| id.as_str()))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|Entry { at, actor_id, actor_name, entity, entity_id, field, old_value, new_value }| AuditEntry {
                at,
                actor_id,
                actor_name,
                entity,
                entity_id,
                field,
                old_value,
                new_value,
            })
            .collect())
    }
}

async fn insert_user(tx: &mut WriteTx, email: &Email, name: &PersonName, password_hash: &str, is_admin: bool) -> Result<User, StoreError> {
    let id = new_id();
    sqlx::query("INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(email.as_str())
        .bind(name.as_str())
        .bind(password_hash)
        .bind(i64::from(is_admin))
        .bind(now())
        .execute(&mut *tx.tx)
        .await
        .map_err(|error| match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Refused(Refusal::AccountExists { email: email.to_string() }),
            _ => error.into(),
        })?;
    Ok(User { id, email: email.to_string(), name: name.as_str().to_owned(), is_admin })
}

/// Creates a workspace with `owner_id` as its owner, and its catalogue's examples, inside `tx`.
pub(super) async fn insert_workspace(tx: &mut WriteTx, name: &WorkspaceName, owner_id: &PersonId) -> Result<WorkspaceId, StoreError> {
    let id = new_id();
    sqlx::query("INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3)").bind(&id).bind(name.as_str()).bind(now()).execute(&mut *tx.tx).await?;
    insert_membership(tx, &id, owner_id, WorkspaceRole::Owner).await?;
    super::learning::insert_example_activities(tx, &id, &[]).await?;
    record(
        tx,
        &id,
        owner_id,
        &[Change::new(Entity::Workspace, &id, "name").to(name.as_str()), Change::new(Entity::Member, owner_id, "role").to(WorkspaceRole::Owner.as_str())],
    )
    .await?;
    Ok(id)
}

async fn insert_membership(tx: &mut WriteTx, workspace_id: &WorkspaceId, user_id: &PersonId, role: WorkspaceRole) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO memberships (workspace_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)")
        .bind(workspace_id)
        .bind(user_id)
        .bind(role.as_str())
        .bind(now())
        .execute(&mut *tx.tx)
        .await?;
    Ok(())
}

async fn members_in<'e, E>(executor: E, workspace_id: &WorkspaceId) -> Result<Vec<Member>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows: Vec<(PersonId, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.name, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.workspace_id = $1 ORDER BY u.name, u.email",
    )
    .bind(workspace_id)
    .fetch_all(executor)
    .await?;
    rows.into_iter().map(|(user_id, name, email, role)| Ok(Member { user_id, name, email, role: role_from(&role)? })).collect()
}

/// An invitation is open until it is used, withdrawn or out of date: decided in the very
/// statement that reads or uses it (`$2` is now), so that two people cannot both use one.
const OPEN_INVITATION: &str = "i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $2";

async fn accept_in(tx: &mut WriteTx, token_hash: &str, user_id: &PersonId) -> Result<WorkspaceId, StoreError> {
    // Used up in one conditional statement: of several people holding the link at once, only
    // one finds it still open.
    let row: Option<(WorkspaceId, String)> = sqlx::query_as(&format!(
        "UPDATE invitations AS i SET used_at = $2, used_by = $3 WHERE token_hash = $1 AND {OPEN_INVITATION} RETURNING workspace_id, role"
    ))
    .bind(token_hash)
    .bind(now())
    .bind(user_id)
    .fetch_optional(&mut *tx.tx)
    .await?;
    let (workspace_id, role) = row.ok_or(StoreError::InvitationClosed)?;
    let already: Option<String> = sqlx::query_scalar("SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2")
        .bind(&workspace_id)
        .bind(user_id)
        .fetch_optional(&mut *tx.tx)
        .await?;
    check_joining(already.is_some())?;
    let role = role_from(&role)?;
    insert_membership(tx, &workspace_id, user_id, role).await?;
    record(tx, &workspace_id, user_id, &[Change::new(Entity::Member, user_id, "role").to(role.as_str())]).await?;
    Ok(workspace_id)
}
