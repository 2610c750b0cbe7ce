//! Store tests against real databases: a fresh SQLite file always, and a fresh PostgreSQL
//! schema when `CAREMAP_TEST_POSTGRES_URL` is set.

use app::frameworks::builtin;
use app::model::{Email, PersonName};
use app::model::{Framework, FrameworkId};
use app::store::{Backend, NewAccount, OrgMaps, Store, Visible};
use caremap_tests::databases;
use sqlx::Connection;

fn find(frameworks: &[Framework], id: &str) -> Framework {
    frameworks.iter().find(|f| f.id().as_str() == id).unwrap().clone()
}

#[tokio::test]
async fn built_in_frameworks_are_stored_once_and_read_back_exactly() {
    let builtin = builtin().unwrap();
    for database in databases("roundtrip").await {
        // Opening a new database stores them; storing them again changes nothing.
        let store = Store::connect(&database.url).await.unwrap();
        let again = store.sync_builtin_frameworks(&builtin).await.unwrap();
        assert!(again.installed.is_empty() && again.upgraded.is_empty(), "{:?}", store.backend());
        assert_eq!(again.unchanged.len(), 3);

        let list = store.list_frameworks(Visible::BuiltInOnly).await.unwrap();
        let counts: Vec<(&str, usize, usize)> = list.iter().map(|f| (f.id.as_str(), f.category_count, f.function_count)).collect();
        assert_eq!(counts, [("coordinating-care", 5, 39), ("core-functions", 1, 7), ("cpa-care-coordinator", 2, 22)]);
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
    let newer = Framework::new(core.id().clone(), core.name().into(), 2, core.description().into(), categories).unwrap();
    for database in databases("upgrade").await {
        let store = Store::connect(&database.url).await.unwrap();
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
                // Opening migrates and stores the built-in frameworks.
                let store = Store::connect(&url).await?;
                let report = store.sync_builtin_frameworks(&builtin).await?;
                store.close().await;
                Ok::<_, app::store::StoreError>(report)
            })
        });
        for start in starts.collect::<Vec<_>>() {
            let report = start.await.unwrap().expect("every start succeeds");
            assert!(report.installed.is_empty() && report.upgraded.is_empty(), "each start finds them stored once opened: {report:?}");
        }
        let store = Store::connect(&database.url).await.unwrap();
        assert_eq!(store.list_frameworks(Visible::BuiltInOnly).await.unwrap().len(), 3);
        store.close().await;
        database.remove().await;
    }
}

#[tokio::test]
async fn reopening_keeps_data_and_sqlite_uses_write_ahead_logging() {
    for database in databases("reopen").await {
        let store = Store::connect(&database.url).await.unwrap();
        let backend = store.backend();
        store.close().await;

        let reopened = Store::connect(&database.url).await.unwrap();
        assert_eq!(reopened.list_frameworks(Visible::BuiltInOnly).await.unwrap().len(), 3);
        reopened.ping().await.unwrap();
        reopened.close().await;

        if backend == Backend::Sqlite {
            let mut connection = sqlx::AnyConnection::connect(&database.url).await.unwrap();
            let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut connection).await.unwrap();
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
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").execute(&mut connection).await.unwrap();
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

/// Two people (here, two server instances) edit the same cell from the same view at once:
/// exactly one edit is stored, the other is refused with the cell as it now stands, and
/// nothing is written over silently. Repeated, so the race really is run both ways.
#[tokio::test]
async fn two_edits_of_one_cell_leave_one_winner_and_one_clear_refusal() {
    use app::model::org_map::{CellValue, MapDetails, OrganisationDetails, Provision, default_map_frameworks};
    use app::model::{FunctionId, WorkspaceName};
    use app::store::StoreError;
    for database in databases("cell_race").await {
        let first = Store::connect(&database.url).await.unwrap();
        let second = Store::connect(&database.url).await.unwrap();
        let owner = first.create_user(&Email::parse("o@example.org").unwrap(), &PersonName::parse("O").unwrap(), "hash", NewAccount::Any).await.unwrap();
        let workspace = first.create_workspace(&WorkspaceName::parse("W").unwrap(), &owner.id).await.unwrap();
        let details = MapDetails::parse("Riverside", "2026-04-01", "3").unwrap();
        let map = first.create_org_map(&workspace, &owner.id, &details, &default_map_frameworks()).await.unwrap();
        let organisation = OrganisationDetails::parse("Age UK", "voluntary", "Riverside", "", "").unwrap();
        let organisation = first.add_column::<OrgMaps>(&workspace, &map, &owner.id, &organisation).await.unwrap();
        let function: FunctionId = "comm-01".parse().unwrap();
        let mut seen = CellValue::default();
        for round in 0..12 {
            let (note_a, note_b) = (format!("A{round}"), format!("B{round}"));
            let (a, b) = tokio::join!(
                first.set_matrix_cell::<OrgMaps>(&workspace, &map, &organisation, &function, &owner.id, seen.version, Provision::Fully, &note_a),
                second.set_matrix_cell::<OrgMaps>(&workspace, &map, &organisation, &function, &owner.id, seen.version, Provision::Partly, &note_b),
            );
            let (winner, refusal) = match (a, b) {
                (Ok(winner), Err(refusal)) | (Err(refusal), Ok(winner)) => (winner, refusal),
                (a, b) => panic!("{}: expected one winner and one refusal, got {a:?} and {b:?}", database.backend()),
            };
            match refusal {
                StoreError::StaleCell(current) => {
                    assert_eq!(current.cell::<Provision>(), Some(winner.clone()), "the refusal shows the winning value");
                    assert_eq!(current.description, winner.describe());
                }
                other => panic!("{}: the loser should be told the cell is stale, not {other}", database.backend()),
            }
            assert_eq!(winner.version, seen.version + 1);
            let stored = first.org_map(&workspace, &map).await.unwrap();
            assert_eq!(stored.cells.len(), 1);
            assert_eq!(stored.cells[0].value, winner, "the stored cell is the winner's");
            seen = winner;
        }
        // An edit from a view older than the latest is refused, and changes nothing.
        let stale = first.set_matrix_cell::<OrgMaps>(&workspace, &map, &organisation, &function, &owner.id, 1, Provision::NotProvided, "").await;
        assert!(matches!(stale, Err(StoreError::StaleCell(ref current)) if current.cell::<Provision>() == Some(seen.clone())));
        assert_eq!(first.org_map(&workspace, &map).await.unwrap().cells[0].value, seen);
        first.close().await;
        second.close().await;
        database.remove().await;
    }
}

/// The sample area is stored whole, in one go, with its baseline and plan.
/// A store with the built-in frameworks and one account.
async fn store_with_owner(url: &str) -> (Store, app::model::User) {
    let store = Store::connect(url).await.unwrap();
    let owner = store.create_user(&Email::parse("o@example.org").unwrap(), &PersonName::parse("O").unwrap(), "hash", NewAccount::Any).await.unwrap();
    (store, owner)
}

#[tokio::test]
async fn the_sample_area_is_stored_whole() {
    use app::model::CalendarDate;
    use app::model::sample::sample_area;
    for database in databases("sample").await {
        let (store, owner) = store_with_owner(&database.url).await;
        let today = CalendarDate::parse("date", "2026-11-21").unwrap();
        let workspace = store.create_sample(&owner.id, &sample_area(), today).await.unwrap();
        let maps = store.org_maps(&workspace).await.unwrap();
        let dates: Vec<String> = maps.iter().map(|m| m.details.date.to_string()).collect();
        assert_eq!(dates, ["2026-11-21", "2025-11-21"], "the current map first, then its baseline");
        let current = store.org_map(&workspace, &maps[0].id).await.unwrap();
        assert_eq!(current.organisations.len(), 7);
        assert_eq!(current.categories.iter().map(|c| c.functions.len()).sum::<usize>(), 46);
        let analysis = current.analysis();
        assert!(analysis.overall.gaps > 0 && analysis.overall.duplication > 0 && analysis.overall.single > 0);
        assert!(current.cells.iter().any(|cell| !cell.value.note.is_empty()));
        assert_eq!(store.actions(&workspace, &maps[0].id).await.unwrap().len(), 3);
        let baseline = store.org_map(&workspace, &maps[1].id).await.unwrap();
        assert!(baseline.cells.len() < current.cells.len());
        store.close().await;
        database.remove().await;
    }
}

#[tokio::test]
async fn a_new_workspace_starts_its_catalogue_with_the_examples() {
    use app::model::WorkspaceName;
    use app::model::catalogue::{ActivityDetails, EXAMPLES};
    for database in databases("catalogue").await {
        let (store, owner) = store_with_owner(&database.url).await;
        let workspace = store.create_workspace(&WorkspaceName::parse("Riverside").unwrap(), &owner.id).await.unwrap();
        let catalogue = store.catalogue(&workspace).await.unwrap();
        let titles: Vec<&str> = catalogue.iter().map(|a| a.details.title.as_str()).collect();
        assert_eq!(titles, EXAMPLES.map(|example| example[0]));
        assert!(catalogue.iter().all(|activity| activity.example && activity.version == 1));
        assert_eq!(catalogue[2].details.functions.iter().map(|f| f.as_str()).collect::<Vec<_>>(), ["core-05", "core-06"]);

        let known: Vec<_> = catalogue.iter().flat_map(|a| a.details.functions.clone()).collect();
        let details = ActivityDetails::parse("Motivational interviewing", "course", "", "2 days", "350", "comm-01", &known).unwrap();
        let id = store.add_activity(&workspace, &owner.id, &details).await.unwrap();
        let catalogue = store.catalogue(&workspace).await.unwrap();
        let added = catalogue.last().unwrap();
        assert_eq!((added.id.as_str(), &added.details, added.example), (id.as_str(), &details, false));
        store.close().await;
        database.remove().await;
    }
}

#[tokio::test]
async fn needs_are_kept_per_function_in_scope_and_roll_up_into_the_programme() {
    use app::model::CalendarDate;
    use app::model::learning::AnalysisDetails;
    use app::model::programme::{Need, ProgrammeFilter, roll_up};
    use app::model::sample::sample_area;
    use app::store::StoreError;
    for database in databases("needs").await {
        let (store, owner) = store_with_owner(&database.url).await;
        let today = CalendarDate::parse("date", "2026-11-21").unwrap();
        let workspace = store.create_sample(&owner.id, &sample_area(), today).await.unwrap();
        let map_id = store.role_maps(&workspace).await.unwrap()[0].id.clone();
        let map = store.role_map(&workspace, &map_id).await.unwrap();
        let coordinator = map.roles[0].clone();
        let scope = map.learning_scope(&coordinator.id);
        let details = AnalysisDetails::parse("person", "Northshire", "Asha Patel", "North", "2026-11-21").unwrap();
        let analysis = store.create_analysis(&workspace, &owner.id, &details, &map.summary.frameworks, &scope, Some((&map, &coordinator))).await.unwrap();
        let catalogue: Vec<app::model::ActivityId> = store.catalogue(&workspace).await.unwrap().into_iter().map(|a| a.id).collect();

        let need = |function: &str, priority: &str, activity: &str| {
            Need::parse(function.parse().unwrap(), priority, "", activity, "", "", "2027-03-31", "planned", &catalogue).unwrap()
        };
        assert_eq!(store.set_need(&workspace, &analysis, &owner.id, 0, &need("comm-01", "high", &catalogue[0])).await.unwrap(), 1);
        assert_eq!(store.set_need(&workspace, &analysis, &owner.id, 1, &need("comm-01", "medium", &catalogue[0])).await.unwrap(), 2);
        let stale = store.set_need(&workspace, &analysis, &owner.id, 1, &need("comm-01", "low", "")).await;
        assert!(
            matches!(&stale, Err(StoreError::Stale(current)) if **current == app::model::Current::Need { priority: "medium".into(), status: "planned".into() }),
            "{stale:?}"
        );
        let outside = store.set_need(&workspace, &analysis, &owner.id, 0, &need("bus-01", "high", "")).await;
        assert!(matches!(outside, Err(StoreError::Refused(app::model::Refusal::OutOfScope { .. }))), "bus-01 is not the coordinator's: {outside:?}");
        store.set_need(&workspace, &analysis, &owner.id, 0, &need("core-05", "low", &catalogue[2])).await.unwrap();

        let stored = store.needs(&workspace, &analysis).await.unwrap();
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[0].0, need("comm-01", "medium", &catalogue[0]));
        let learners = store.learners(&workspace).await.unwrap();
        assert_eq!((learners[0].name.as_str(), learners[0].role.as_str()), ("Asha Patel", "Care coordinator"));
        let programme = roll_up(&learners, &[], &map.categories, &ProgrammeFilter::default());
        assert_eq!(programme.functions.iter().map(|f| f.demand.total()).sum::<usize>(), 2);

        // The person moves to the administrator's role, which does not include comm-01.
        let administrator = map.roles[2].clone();
        let to_administrator = map.learning_scope(&administrator.id);
        let stale = store.change_analysis_role(&workspace, &analysis, &owner.id, 0, &map, &administrator, &to_administrator).await;
        assert!(matches!(stale, Err(StoreError::Stale(_))), "{stale:?}");
        let moved = store.change_analysis_role(&workspace, &analysis, &owner.id, 1, &map, &administrator, &to_administrator).await;
        assert_eq!(moved.unwrap(), 1);
        let stored = store.needs(&workspace, &analysis).await.unwrap();
        assert_eq!(
            stored.iter().map(|(need, _)| (need.function_id.as_str(), need.archived)).collect::<Vec<_>>(),
            [("comm-01", true), ("core-05", false)],
            "kept, archived"
        );
        let learners = store.learners(&workspace).await.unwrap();
        assert_eq!(learners[0].role, "Team administrator");
        let programme = roll_up(&learners, &[], &map.categories, &ProgrammeFilter::default());
        assert_eq!(programme.functions.iter().map(|f| f.function_id.as_str()).collect::<Vec<_>>(), ["core-05"], "archived needs are not counted");
        let refused = store.set_need(&workspace, &analysis, &owner.id, 2, &need("comm-01", "high", "")).await;
        assert!(matches!(refused, Err(StoreError::Refused(app::model::Refusal::OutOfScope { .. }))), "an archived need is out of scope: {refused:?}");
        // Back to the coordinator's role: the need returns as it was.
        assert_eq!(store.change_analysis_role(&workspace, &analysis, &owner.id, 2, &map, &coordinator, &scope).await.unwrap(), 0);
        assert_eq!(store.needs(&workspace, &analysis).await.unwrap()[0].0, need("comm-01", "medium", &catalogue[0]));
        // Editing the scope by hand archives in the same way, from the version read.
        let core_only: Vec<_> = scope.iter().filter(|id| id.as_str().starts_with("core-")).cloned().collect();
        let stale = store.set_analysis_scope(&workspace, &analysis, &owner.id, 2, &core_only).await;
        assert!(matches!(stale, Err(StoreError::Stale(_))), "{stale:?}");
        assert_eq!(store.set_analysis_scope(&workspace, &analysis, &owner.id, 3, &core_only).await.unwrap(), 1);
        let summary = store.learning_analysis(&workspace, &analysis).await.unwrap().summary;
        assert_eq!((summary.scope, summary.version, summary.details.team), (core_only, 4, "North".to_owned()));
        assert!(store.needs(&workspace, &analysis).await.unwrap()[0].0.archived);
        store.close().await;
        database.remove().await;
    }
}
