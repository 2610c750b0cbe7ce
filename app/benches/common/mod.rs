//! What the benchmarks share: a large workspace's learning needs, made the same every run.

use app::model::programme::{Activity, CatalogueEntry, Learner, Need, NeedStatus, Priority};
use app::model::{CalendarDate, Category, Pence};

pub const PEOPLE: usize = 10_000;
pub const TEAMS: usize = 40;
pub const ACTIVITIES: usize = 12;

/// A small deterministic generator, so every run works on the same needs.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

/// The 46 default functions: the coordinating-care functions and the core ones.
pub fn categories() -> Vec<Category> {
    let wanted = [app::frameworks::COORDINATING_CARE, app::frameworks::CORE_FUNCTIONS];
    app::frameworks::builtin()
        .expect("the built-in frameworks load")
        .into_iter()
        .filter(|f| wanted.contains(&f.id().as_str()))
        .flat_map(|f| f.categories().to_vec())
        .collect()
}

/// `PEOPLE` people, each with a need for every function.
pub fn learners(categories: &[Category]) -> Vec<Learner> {
    let mut random = Lcg(46);
    let functions: Vec<_> = categories.iter().flat_map(|c| &c.functions).map(|f| f.id.clone()).collect();
    (0..PEOPLE)
        .map(|person| Learner {
            id: format!("analysis-{person:05}").into(),
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
                        _ => Some(Activity::Catalogue(format!("activity-{}", random.next(ACTIVITIES)).into())),
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

pub fn catalogue() -> Vec<CatalogueEntry> {
    (0..ACTIVITIES)
        .map(|i| CatalogueEntry { id: format!("activity-{i}").into(), title: format!("Activity {i}"), cost: Pence(5_000 + 1_000 * i as i64) })
        .collect()
}
