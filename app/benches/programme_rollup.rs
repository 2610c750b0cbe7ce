//! The learning programme roll-up for a large workspace: 10,000 people, each with a need for
//! every one of the 46 default functions, rolled up whole and filtered.
//! Run with `cargo bench -p app --bench programme_rollup` (part of `make bench`).

mod common;

use app::model::programme::{Priority, ProgrammeFilter, roll_up};
use common::{ACTIVITIES, PEOPLE};
use std::time::{Duration, Instant};

const RUNS: usize = 15;

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
    let categories = common::categories();
    let learners = common::learners(&categories);
    let catalogue = common::catalogue();
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
