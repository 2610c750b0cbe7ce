//! Frameworks, their categories and functions.

use super::{AdvisoryLock, Store, StoreError, WriteTx};
use crate::model::{CareFunction, Category, Framework, FrameworkId, FrameworkSummary};

/// What loading the built-in frameworks changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FrameworkSync {
    pub installed: Vec<FrameworkId>,
    pub upgraded: Vec<FrameworkId>,
    pub unchanged: Vec<FrameworkId>,
}

impl Store {
    /// Stores each built-in framework that is missing or older than the given one, in one
    /// transaction. Safe to run from several instances at once: exactly one does the work.
    pub async fn sync_builtin_frameworks(
        &self,
        frameworks: &[Framework],
    ) -> Result<FrameworkSync, StoreError> {
        let mut tx = self.begin_write().await?;
        self.serialise(&mut tx, AdvisoryLock::Frameworks).await?;
        let mut report = FrameworkSync::default();
        for (sort_order, framework) in frameworks.iter().enumerate() {
            let stored: Option<i64> = sqlx::query_scalar("SELECT version FROM frameworks WHERE id = $1")
                .bind(framework.id().as_str())
                .fetch_optional(&mut *tx.tx)
                .await?;
            let id = framework.id().clone();
            match stored {
                Some(version) if version >= i64::from(framework.version()) => {
                    report.unchanged.push(id);
                    continue;
                }
                Some(_) => report.upgraded.push(id),
                None => report.installed.push(id),
            }
            replace_framework(&mut tx, framework, sort_order as i64).await?;
        }
        tx.commit().await?;
        Ok(report)
    }

    /// Every framework, in display order, with its counts.
    pub async fn list_frameworks(&self) -> Result<Vec<FrameworkSummary>, StoreError> {
        let rows: Vec<(String, String, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT f.id, f.name, f.version, f.description,
                    (SELECT COUNT(*) FROM framework_categories c WHERE c.framework_id = f.id),
                    (SELECT COUNT(*) FROM framework_functions x WHERE x.framework_id = f.id)
             FROM frameworks f
             ORDER BY f.sort_order, f.name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, name, version, description, categories, functions)| {
                Ok(FrameworkSummary {
                    id: parse(id)?,
                    name,
                    version: to_u32(version)?,
                    description,
                    category_count: categories as usize,
                    function_count: functions as usize,
                })
            })
            .collect()
    }

    /// One framework with its categories and functions in order, or `None` if there is none
    /// with that id.
    pub async fn framework(&self, id: &FrameworkId) -> Result<Option<Framework>, StoreError> {
        let Some((name, version, description)): Option<(String, i64, String)> =
            sqlx::query_as("SELECT name, version, description FROM frameworks WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?
        else {
            return Ok(None);
        };
        let category_rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, name FROM framework_categories WHERE framework_id = $1 ORDER BY position",
        )
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await?;
        let function_rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT category_id, id, label, statement FROM framework_functions
             WHERE framework_id = $1 ORDER BY position",
        )
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await?;

        let mut categories = Vec::with_capacity(category_rows.len());
        for (category_id, category_name) in category_rows {
            let functions = function_rows
                .iter()
                .filter(|(owner, ..)| *owner == category_id)
                .map(|(_, function_id, label, statement)| {
                    Ok(CareFunction {
                        id: parse(function_id.clone())?,
                        label: label.clone(),
                        statement: statement.clone(),
                    })
                })
                .collect::<Result<_, StoreError>>()?;
            categories.push(Category { id: parse(category_id)?, name: category_name, functions });
        }
        Framework::new(id.clone(), name, to_u32(version)?, description, categories)
            .map(Some)
            .map_err(|error| StoreError::Inconsistent(error.to_string()))
    }
}

async fn replace_framework(
    tx: &mut WriteTx,
    framework: &Framework,
    sort_order: i64,
) -> Result<(), StoreError> {
    let id = framework.id().as_str();
    // Categories and functions go with the framework row (ON DELETE CASCADE).
    sqlx::query("DELETE FROM frameworks WHERE id = $1").bind(id).execute(&mut *tx.tx).await?;
    sqlx::query(
        "INSERT INTO frameworks (id, name, version, description, origin, sort_order)
         VALUES ($1, $2, $3, $4, 'builtin', $5)",
    )
    .bind(id)
    .bind(framework.name())
    .bind(i64::from(framework.version()))
    .bind(framework.description())
    .bind(sort_order)
    .execute(&mut *tx.tx)
    .await?;
    let mut function_position = 0_i64;
    for (category_position, category) in framework.categories().iter().enumerate() {
        sqlx::query(
            "INSERT INTO framework_categories (framework_id, id, position, name) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(category.id.as_str())
        .bind(category_position as i64)
        .bind(&category.name)
        .execute(&mut *tx.tx)
        .await?;
        for function in &category.functions {
            sqlx::query(
                "INSERT INTO framework_functions (framework_id, id, category_id, position, label, statement)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(function.id.as_str())
            .bind(category.id.as_str())
            .bind(function_position)
            .bind(&function.label)
            .bind(&function.statement)
            .execute(&mut *tx.tx)
            .await?;
            function_position += 1;
        }
    }
    Ok(())
}

/// Parses an identifier read back from the database.
pub(super) fn parse<T: TryFrom<String, Error = crate::model::IdError>>(text: String) -> Result<T, StoreError> {
    T::try_from(text).map_err(|error| StoreError::Inconsistent(error.to_string()))
}

pub(super) fn to_u32(number: i64) -> Result<u32, StoreError> {
    u32::try_from(number).map_err(|_| StoreError::Inconsistent(format!("{number} is out of range")))
}
