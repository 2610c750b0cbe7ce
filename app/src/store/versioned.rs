//! Optimistic writes. Every change made "from the version the editor saw" first takes that
//! version here, in one conditional UPDATE whose row count says whether it was still
//! current. Reading the version and writing later is not enough: at PostgreSQL's READ
//! COMMITTED two instances both read the same version, and both would write. The UPDATE
//! instead waits for any other writer of the row and then re-checks the version, so exactly
//! one of them takes it and the row stays locked to it until its transaction ends.

use super::{StoreError, WriteTx};

/// The kinds of row whose edits are versioned, with where their version lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Versioned {
    OrgMap,
    Organisation,
    OrgCell,
    PlanAction,
    RoleMap,
    Role,
    RoleCell,
    LearningAnalysis,
    Need,
    Workspace,
    Framework,
}

impl Versioned {
    /// The table, and the columns that identify one row of it.
    fn location(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Versioned::OrgMap => ("org_maps", &["id"]),
            Versioned::Organisation => ("org_map_organisations", &["id"]),
            Versioned::OrgCell => ("org_map_cells", &["organisation_id", "function_id"]),
            Versioned::PlanAction => ("org_map_actions", &["id"]),
            Versioned::RoleMap => ("role_maps", &["id"]),
            Versioned::Role => ("role_map_roles", &["id"]),
            Versioned::RoleCell => ("role_map_cells", &["role_id", "function_id"]),
            Versioned::LearningAnalysis => ("learning_analyses", &["id"]),
            Versioned::Need => ("learning_needs", &["analysis_id", "function_id"]),
            Versioned::Workspace => ("workspaces", &["id"]),
            Versioned::Framework => ("frameworks", &["id"]),
        }
    }

    /// The table, and the condition that picks the row `key` out of it, with placeholders
    /// numbered from `first`.
    fn matching(self, key: &[&str], first: usize) -> Result<(&'static str, String), StoreError> {
        let (table, columns) = self.location();
        if key.len() != columns.len() {
            return Err(StoreError::Inconsistent(format!("a {self:?} is identified by {columns:?}")));
        }
        let conditions: Vec<String> = columns.iter().enumerate().map(|(index, column)| format!("{column} = ${}", first + index)).collect();
        Ok((table, conditions.join(" AND ")))
    }
}

/// Whether a claim found the row still at the version expected.
#[must_use = "a lost claim means the change must not be written"]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Claim {
    /// The row was at the version expected and is now at the next, held by this transaction.
    Taken,
    /// The row is at another version, or is not there: nothing was changed.
    Lost,
}

/// Moves one row from version `expected` to the next, if it is still at `expected`. The
/// caller writes its change in the same transaction only when the claim is taken; when it is
/// lost, whatever it reads next is what the other writer committed.
pub(super) async fn claim(tx: &mut WriteTx, row: Versioned, key: &[&str], expected: i64) -> Result<Claim, StoreError> {
    let (table, condition) = row.matching(key, 2)?;
    let sql = format!("UPDATE {table} SET version = version + 1 WHERE version = $1 AND {condition}");
    let mut query = sqlx::query(&sql).bind(expected);
    for value in key {
        query = query.bind(*value);
    }
    let written = query.execute(&mut *tx.tx).await?;
    Ok(if written.rows_affected() == 1 { Claim::Taken } else { Claim::Lost })
}

/// Moves one row to its next version whatever it was: for changes whose own check is not a
/// version (an import applies only the plan it showed), so that editors who saw the row before
/// are told it changed.
pub(super) async fn bump(tx: &mut WriteTx, row: Versioned, key: &[&str]) -> Result<(), StoreError> {
    let (table, condition) = row.matching(key, 1)?;
    let sql = format!("UPDATE {table} SET version = version + 1 WHERE {condition}");
    let mut query = sqlx::query(&sql);
    for value in key {
        query = query.bind(*value);
    }
    query.execute(&mut *tx.tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The store's sources, but for this one: none may change a version itself.
    const OTHER_SOURCES: [(&str, &str); 12] = [
        ("accounts.rs", include_str!("accounts.rs")),
        ("audit.rs", include_str!("audit.rs")),
        ("codecs.rs", include_str!("codecs.rs")),
        ("frameworks.rs", include_str!("frameworks.rs")),
        ("imports.rs", include_str!("imports.rs")),
        ("learning.rs", include_str!("learning.rs")),
        ("matrix.rs", include_str!("matrix.rs")),
        ("migrations.rs", include_str!("migrations.rs")),
        ("mod.rs", include_str!("mod.rs")),
        ("org_maps.rs", include_str!("org_maps.rs")),
        ("role_maps.rs", include_str!("role_maps.rs")),
        ("sample.rs", include_str!("sample.rs")),
    ];

    #[test]
    fn versions_change_only_through_a_claim() {
        let listed: Vec<&str> = OTHER_SOURCES.iter().map(|(name, _)| *name).collect();
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
        for entry in std::fs::read_dir(folder).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".rs") && name != "versioned.rs" {
                assert!(listed.contains(&name.as_str()), "store/{name} is not checked here: add it to OTHER_SOURCES");
            }
        }
        for (name, source) in OTHER_SOURCES {
            let squeezed: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
            for pattern in ["version = version", "SET version", ", version ="] {
                assert!(!squeezed.contains(pattern), "store/{name} changes a version itself (“{pattern}”): use versioned::claim");
            }
        }
    }
}
