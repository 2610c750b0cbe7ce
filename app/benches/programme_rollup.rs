//! The learning programme roll-up for a large workspace: 10,000 people, each with a need for
//! every one of the 46 default functions, rolled up whole and filtered.
//! Run with `cargo bench -p app --bench programme_rollup` (part of `make bench`).

use app::model::programme::{
    Activity, CatalogueEntry, Learner, Need, NeedStatus, Priority, ProgrammeFilter, roll_up,
};
use app::model::{CalendarDate, Category, Pence};
use std::time::{Duration, Instant};

const PEOPLE: usize = 10_000;
const TEAMS: usize = 40;
const ACTIVITIES: usize = 12;
const RUNS: usize = 15;

/// A small deterministic generator, so every run rolls up the same needs.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

fn categories() -> Vec<Category> {
    let wanted = [app::frameworks::COORDINATING_CARE, app::frameworks::CORE_FUNCTIONS];
    app::frameworks::builtin()
        .expect("the built-in frameworks load")
        .into_iter()
        .filter(|f| wanted.contains(&f.id().as_str()))
        .flat_map(|f| f.categories().to_vec())
        .collect()
}

fn learners(categories: &[Category]) -> Vec<Learner> {
    let mut random = Lcg(46);
    let functions: Vec<_> = categories.iter().flat_map(|c| &c.functions).map(|f| f.id.clone()).collect();
    (0..PEOPLE)
        .map(|person| Learner {
            id: format!("analysis-{person:05}"),
            name: format!("Person {person:05}"),
            team: format!("Team {}", person % TEAMS),
            role: ["Care coordinator", "Support worker", "Team manager"][person % 3].to_owned(),
            needs: functions
                .iter()
                .map(|function| Need {
                    function_id: function.clone(),
                    priority: Priority::ALL[random.next(4)],
                    need: "Needs to build confidence in this function.".to_owned(),
                    activity: match random.next(3) {
                        0 => None,
                        1 => Some(Activity::Described("Shadow an experienced colleague".to_owned())),
                        _ => Some(Activity::Catalogue(format!("activity-{}", random.next(ACTIVITIES)))),
                    },
                    comment: String::new(),
                    target: CalendarDate::new(2027, 1 + random.next(12) as u8, 1 + random.next(28) as u8),
                    status: NeedStatus::ALL[random.next(4)],
                    archived: random.next(20) == 0,
                })
                .collect(),
        })
        .collect()
}

fn time(runs: usize, mut work: impl FnMut()) -> Vec<Duration> {
    work();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn report(what: &str, times: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms, min {:.1} ms, max {:.1} ms over {} runs",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

fn main() {
    let categories = categories();
    let learners = learners(&categories);
    let catalogue: Vec<CatalogueEntry> = (0..ACTIVITIES)
        .map(|i| CatalogueEntry { id: format!("activity-{i}"), title: format!("Activity {i}"), cost: Pence(5_000 + 1_000 * i as i64) })
        .collect();
    let needs: usize = learners.iter().map(|l| l.needs.len()).sum();
    println!("{PEOPLE} people × {} functions = {needs} needs, {ACTIVITIES} catalogue activities", categories.iter().map(|c| c.functions.len()).sum::<usize>());

    let mut summary = String::new();
    let whole = time(RUNS, || {
        let programme = roll_up(&learners, &catalogue, &categories, &ProgrammeFilter::default());
        summary = format!(
            "{} functions and {} activities in demand, {} cohorts, total cost {}",
            programme.functions.len(),
            programme.activities.len(),
            programme.cohorts.len(),
            programme.total_cost
        );
    });
    report("whole workspace", &whole);
    println!("  {summary}");
    let filter = ProgrammeFilter { team: Some("Team 7".to_owned()), priority: Some(Priority::High), ..Default::default() };
    let filtered = time(RUNS, || {
        std::hint::black_box(roll_up(&learners, &catalogue, &categories, &filter));
    });
    report("one team, high priority only", &filtered);
}
