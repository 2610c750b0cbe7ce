//! Store tests against real databases: a fresh SQLite file always, and a fresh PostgreSQL
//! schema when `CAREMAP_TEST_POSTGRES_URL` is set.

use app::frameworks::builtin;
use app::model::{Framework, FrameworkId};
use app::model::{Email, PersonName};
use app::store::{Backend, NewAccount, Store};
use caremap_tests::databases;
use sqlx::Connection;

fn find(frameworks: &[Framework], id: &str) -> Framework {
    frameworks.iter().find(|f| f.id().as_str() == id).unwrap().clone()
}

#[tokio::test]
async fn built_in_frameworks_are_stored_once_and_read_back_exactly() {
    let builtin = builtin().unwrap();
    for database in databases("roundtrip").await {
        let store = Store::connect(&database.url).await.unwrap();
        let first = store.sync_builtin_frameworks(&builtin).await.unwrap();
        assert_eq!(first.installed.len(), 3, "{:?}", store.backend());
        let again = store.sync_builtin_frameworks(&builtin).await.unwrap();
        assert!(again.installed.is_empty() && again.upgraded.is_empty());
        assert_eq!(again.unchanged.len(), 3);

        let list = store.list_frameworks().await.unwrap();
        let counts: Vec<(&str, usize, usize)> =
            list.iter().map(|f| (f.id.as_str(), f.category_count, f.function_count)).collect();
        assert_eq!(
            counts,
            [("coordinating-care", 5, 39), ("core-functions", 1, 7), ("cpa-care-coordinator", 2, 22)]
        );
        for framework in &builtin {
            assert_eq!(store.framework(framework.id()).await.unwrap().as_ref(), Some(framework));
        }
        let missing: FrameworkId = "no-such-framework".parse().unwrap();
        assert_eq!(store.framework(&missing).await.unwrap(), None);
        store.close().await;
        database.remove().await;
    }
}

#[tokio::test]
async fn a_newer_built_in_version_replaces_the_stored_one() {
    let builtin = builtin().unwrap();
    let core = find(&builtin, "core-functions");
    let mut categories = core.categories().to_vec();
    categories[0].functions[0].label = "Person-centred care and support".into();
    categories[0].functions.pop();
    let newer = Framework::new(core.id().clone(), core.name().into(), 2, core.description().into(), categories)
        .unwrap();
    for database in databases("upgrade").await {
        let store = Store::connect(&database.url).await.unwrap();
        store.sync_builtin_frameworks(&builtin).await.unwrap();
        let report = store.sync_builtin_frameworks(std::slice::from_ref(&newer)).await.unwrap();
        assert_eq!(report.upgraded, [core.id().clone()]);
        assert_eq!(store.framework(core.id()).await.unwrap(), Some(newer.clone()));
        // An older definition never overwrites a newer stored one.
        let report = store.sync_builtin_frameworks(std::slice::from_ref(&core)).await.unwrap();
        assert_eq!(report.unchanged, [core.id().clone()]);
        assert_eq!(store.framework(core.id()).await.unwrap().unwrap().version(), 2);
        store.close().await;
        database.remove().await;
    }
}

/// Several instances starting at once on one database (a rolling deploy, or the command line
/// next to a running server) must neither fail on a lock nor install anything twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_starts_migrate_and_seed_exactly_once() {
    let builtin = builtin().unwrap();
    for database in databases("concurrent").await {
        let starts = (0..6).map(|_| {
            let url = database.url.clone();
            let builtin = builtin.clone();
            tokio::spawn(async move {
                let store = Store::connect(&url).await?;
                let report = store.sync_builtin_frameworks(&builtin).await?;
                store.close().await;
                Ok::<_, app::store::StoreError>(report.installed.len())
            })
        });
        let mut installed = 0;
        for start in starts.collect::<Vec<_>>() {
            installed += start.await.unwrap().expect("every start succeeds");
        }
        assert_eq!(installed, 3);
        database.remove().await;
    }
}

#[tokio::test]
async fn reopening_keeps_data_and_sqlite_uses_write_ahead_logging() {
    for database in databases("reopen").await {
        let store = Store::connect(&database.url).await.unwrap();
        store.sync_builtin_frameworks(&builtin().unwrap()).await.unwrap();
        let backend = store.backend();
        store.close().await;

        let reopened = Store::connect(&database.url).await.unwrap();
        assert_eq!(reopened.list_frameworks().await.unwrap().len(), 3);
        reopened.ping().await.unwrap();
        reopened.close().await;

        if backend == Backend::Sqlite {
        let mut connection = sqlx::AnyConnection::connect(&database.url).await.unwrap();
            let mode: String =
                sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut connection).await.unwrap();
            assert_eq!(mode, "wal");
        }
        database.remove().await;
    }
}

#[tokio::test]
async fn a_database_from_a_newer_caremap_is_refused_with_a_reason() {
    for database in databases("newer").await {
        Store::connect(&database.url).await.unwrap().close().await;
        let mut connection = sqlx::AnyConnection::connect(&database.url).await.unwrap();
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')")
            .execute(&mut connection)
            .await
            .unwrap();
        connection.close().await.unwrap();
        let error = Store::connect(&database.url).await.err().expect("refused").to_string();
        assert!(error.contains("version 999, newer than this program"), "{error}");
        database.remove().await;
    }
}

#[tokio::test]
async fn an_unknown_kind_of_database_is_refused() {
    let error = Store::connect("mysql://localhost/caremap").await.err().unwrap().to_string();
    assert!(error.contains("sqlite://") && error.contains("postgres://"), "{error}");
}

/// Accounts made at the same moment from several processes: exactly one is the administrator,
/// and first-run setup is refused once any account exists.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn exactly_one_account_is_the_first_administrator() {
    for database in databases("first_admin").await {
        Store::connect(&database.url).await.unwrap().close().await;
        let creations = (0..4).map(|n| {
            let url = database.url.clone();
            tokio::spawn(async move {
                let store = Store::connect(&url).await.unwrap();
                let email = Email::parse(&format!("person{n}@example.org")).unwrap();
                let name = PersonName::parse(&format!("Person {n}")).unwrap();
                let user = store.create_user(&email, &name, "hash", NewAccount::Any).await.unwrap();
                store.close().await;
                user.is_admin
            })
        });
        let mut administrators = 0;
        for creation in creations.collect::<Vec<_>>() {
            administrators += usize::from(creation.await.unwrap());
        }
        assert_eq!(administrators, 1);

        let store = Store::connect(&database.url).await.unwrap();
        let late = Email::parse("late@example.org").unwrap();
        let name = PersonName::parse("Late").unwrap();
        let refused = store.create_user(&late, &name, "hash", NewAccount::FirstOnly).await;
        assert!(refused.unwrap_err().to_string().contains("already set up"));
        assert!(store.user_by_email(&late).await.unwrap().is_none());
        store.close().await;
        database.remove().await;
    }
}
