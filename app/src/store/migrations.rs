//! Schema migrations, compiled into the program and applied in order on start. Each is one SQL
//! file written in the part of SQL both backends share (TEXT, BIGINT, which SQLite stores as
//! an integer, and standard constraints).

use super::{AdvisoryLock, Store, StoreError, now};
use sqlx::Executor;

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration { version: $version, name: $name, sql: include_str!(concat!("migrations/", $name, ".sql")) }
    };
}

const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_frameworks"),
    migration!(2, "0002_accounts"),
    migration!(3, "0003_org_maps"),
    migration!(4, "0004_role_maps"),
    migration!(5, "0005_learning_catalogue"),
    migration!(6, "0006_learning_needs"),
    migration!(7, "0007_pending_imports"),
    migration!(8, "0008_local_frameworks"),
    migration!(9, "0009_pending_import_refusals"),
    migration!(10, "0010_trust"),
];

pub(super) async fn run(store: &Store) -> Result<(), StoreError> {
    let mut tx = store.begin_write().await?;
    store.serialise(&mut tx, AdvisoryLock::Migrations).await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version BIGINT PRIMARY KEY,
             name TEXT NOT NULL,
             applied_at TEXT NOT NULL
         )",
    )
    .execute(&mut *tx.tx)
    .await?;
    let applied: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetch_one(&mut *tx.tx).await?;
    if let Some(newest) = MIGRATIONS.last().filter(|newest| applied > newest.version) {
        return Err(StoreError::Inconsistent(format!(
            "the database schema is at version {applied}, newer than this program's {}; \
             run a newer caremap",
            newest.version
        )));
    }
    for migration in MIGRATIONS.iter().filter(|m| m.version > applied) {
        // Through `Executor` rather than `RawSql::execute`, whose future rustc cannot prove `Send`.
        (&mut *tx.tx).execute(sqlx::raw_sql(migration.sql)).await?;
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(migration.version)
            .bind(migration.name)
            .bind(now())
            .execute(&mut *tx.tx)
            .await?;
        tracing::info!(version = migration.version, name = migration.name, "applied migration");
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    #[test]
    fn versions_increase_one_by_one() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, index as i64 + 1, "{}", migration.name);
            assert!(migration.name.starts_with(&format!("{:04}_", migration.version)));
        }
    }
}
