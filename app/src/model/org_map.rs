//! Organisation maps (the guide's Appendix 1): which organisations in an area provide which
//! functions, and the implementation plan that answers the gaps.

use super::choices::choices;
use super::framework::Category;
use super::ids::{ActionId, FrameworkId, FunctionId, OrgMapId, OrganisationId, record};
use super::input::InputError;
use super::matrix::{Analysis, Cell, DEFAULT_THRESHOLD, Level, THRESHOLD_RANGE, Weight, analyse};
use super::values::{CalendarDate, Pence, long_text, optional_text, plain_text};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How far an organisation provides a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Provision {
    #[default]
    NotProvided,
    Partly,
    Fully,
}

impl Level for Provision {
    type Column = record::Organisation;
    const ALL: [Provision; 3] = [Provision::NotProvided, Provision::Partly, Provision::Fully];
    const CHOOSE: &'static str = "Choose not provided, partly or fully.";

    fn as_str(self) -> &'static str {
        match self {
            Provision::NotProvided => "none",
            Provision::Partly => "partly",
            Provision::Fully => "fully",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Provision::NotProvided => "Not provided",
            Provision::Partly => "Partly provided",
            Provision::Fully => "Fully provided",
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Provision::NotProvided => "–",
            Provision::Partly => "◐",
            Provision::Fully => "✓",
        }
    }

    fn short(self) -> &'static str {
        match self {
            Provision::NotProvided => "No",
            Provision::Partly => "Partly",
            Provision::Fully => "Fully",
        }
    }

    fn weight(self) -> Weight {
        match self {
            Provision::NotProvided => Weight::None,
            Provision::Partly => Weight::Partial,
            Provision::Fully => Weight::Full,
        }
    }

    fn key(self) -> char {
        match self {
            Provision::NotProvided => 'N',
            Provision::Partly => 'P',
            Provision::Fully => 'F',
        }
    }
}

choices! {
    /// The sector an organisation belongs to, as the guide names them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Sector in "sector", "Choose statutory, independent, private or voluntary." {
        Statutory = "statutory", "Statutory";
        Independent = "independent", "Independent";
        Private = "private", "Private";
        Voluntary = "voluntary", "Voluntary";
    }
}

impl Sector {}

/// What describes an organisation on a map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationDetails {
    pub name: String,
    pub sector: Sector,
    pub locality: String,
    /// Empty when not known.
    pub website: String,
    /// Empty when not known.
    pub contact: String,
}

impl OrganisationDetails {
    /// What a preview says of the organisations an import adds.
    pub const IMPORTED_WARNING: &'static str = "New organisations are recorded as statutory, with no locality: correct them on the map.";

    /// An organisation an import adds, known only by its name: statutory until someone changes
    /// it, as `IMPORTED_WARNING` tells them.
    pub fn imported(name: &str) -> Self {
        OrganisationDetails { name: name.to_owned(), sector: Sector::Statutory, locality: String::new(), website: String::new(), contact: String::new() }
    }

    pub fn parse(name: &str, sector: &str, locality: &str, website: &str, contact: &str) -> Result<Self, InputError> {
        let website = optional_text("website", "the website", website, 200)?;
        let is_address = website.starts_with("https://") || website.starts_with("http://");
        if !website.is_empty() && !is_address {
            return Err(InputError::new("website", "Enter the website's full address, starting https://."));
        }
        Ok(OrganisationDetails {
            name: plain_text("name", "the organisation's name", name, 120)?,
            sector: Sector::parse(sector)?,
            locality: plain_text("locality", "the locality", locality, 120)?,
            website,
            contact: optional_text("contact", "the contact", contact, 200)?,
        })
    }
}

/// An organisation on a map; maps list them in their chosen order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrganisationId,
    pub details: OrganisationDetails,
    /// The version an edit must present.
    pub version: i64,
}

/// A cell of an organisation map.
pub type CellValue = Cell<Provision>;

/// A cell's note: up to 500 characters, on one or more lines.
pub fn parse_note(text: &str) -> Result<String, InputError> {
    long_text("note", "the note", text, 500)
}

/// A map's own settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapDetails {
    pub area: String,
    pub date: CalendarDate,
    /// More full providers of a function than this may be duplication.
    pub threshold: u32,
}

impl MapDetails {
    pub fn parse(area: &str, date: &str, threshold: &str) -> Result<Self, InputError> {
        let threshold =
            match threshold.trim() {
                "" => DEFAULT_THRESHOLD,
                text => text.parse::<u32>().ok().filter(|n| THRESHOLD_RANGE.contains(n)).ok_or_else(|| {
                    InputError::new("threshold", format!("Enter a whole number from {} to {}.", THRESHOLD_RANGE.start(), THRESHOLD_RANGE.end()))
                })?,
            };
        Ok(MapDetails { area: plain_text("area", "the area's name", area, 120)?, date: CalendarDate::parse("date", date)?, threshold })
    }
}

/// The frameworks a new map uses unless told otherwise: the coordinating-care functions and the
/// core functions.
pub fn default_map_frameworks() -> Vec<FrameworkId> {
    [super::COORDINATING_CARE, super::CORE_FUNCTIONS].into_iter().map(|id| id.parse().expect("built-in ids are valid")).collect()
}

/// Parses a space-separated list of framework ids, e.g. "coordinating-care core-functions".
pub fn parse_framework_list(text: &str) -> Result<Vec<FrameworkId>, InputError> {
    let mut ids: Vec<FrameworkId> = Vec::new();
    for word in text.split_whitespace() {
        let id = word.parse().map_err(|_| InputError::new("frameworks", "Choose the functions to map."))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(InputError::new("frameworks", "Choose the functions to map."));
    }
    Ok(ids)
}

/// What a list of maps shows about each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgMapSummary {
    pub id: OrgMapId,
    pub details: MapDetails,
    pub frameworks: Vec<FrameworkId>,
    pub organisation_count: usize,
    /// The map this one was copied from, if any.
    pub copied_from: Option<String>,
    /// The version an edit of the details must present.
    pub version: i64,
}

/// An organisation's cell, with where it sits.
pub type StoredCell = super::matrix::StoredCell<Provision>;

/// A whole map: its functions (categories of its frameworks), organisations and cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgMap {
    pub summary: OrgMapSummary,
    pub categories: Vec<Category>,
    pub organisations: Vec<Organisation>,
    /// Removed organisations, newest first: they can be put back, cells and all.
    pub removed: Vec<Organisation>,
    pub cells: Vec<StoredCell>,
}

impl OrgMap {
    /// The cells, looked up by (function, organisation).
    pub fn cell_index(&self) -> HashMap<(&FunctionId, &OrganisationId), &CellValue> {
        super::matrix::cell_index(&self.cells)
    }

    pub fn analysis(&self) -> Analysis {
        let index = self.cell_index();
        let columns: Vec<&OrganisationId> = self.organisations.iter().map(|o| &o.id).collect();
        analyse(
            &self.categories,
            &columns,
            |function, organisation| index.get(&(function, *organisation)).map_or(Weight::None, |c| c.level.weight()),
            self.summary.details.threshold,
        )
    }
}

choices! {
    /// Where an action stands: the guide's stage 3, "do".
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    pub enum ActionStatus in "status", "Choose planned, in progress or done." {
        Planned = "planned", "Planned";
        InProgress = "in-progress", "In progress";
        Done = "done", "Done";
    }
}

impl ActionStatus {}

/// An action of the implementation plan (the guide's stage 2), as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDetails {
    pub function_id: FunctionId,
    pub what: String,
    pub with_whom: String,
    pub how: String,
    pub cost: Pence,
    pub due: Option<CalendarDate>,
    pub communication: String,
    pub risks: String,
    pub status: ActionStatus,
}

/// The form fields of an action, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionFields {
    pub function_id: String,
    pub what: String,
    pub with_whom: String,
    pub how: String,
    pub cost: String,
    pub due: String,
    pub communication: String,
    pub risks: String,
    pub status: String,
}

impl ActionDetails {
    /// Parses the form; `functions` are those of the map, one of which the action must answer.
    pub fn parse(form: &ActionFields, functions: &[FunctionId]) -> Result<Self, InputError> {
        let function_id = form
            .function_id
            .parse::<FunctionId>()
            .ok()
            .filter(|id| functions.contains(id))
            .ok_or_else(|| InputError::new("function_id", "Choose the function this action is for."))?;
        let due = match form.due.trim() {
            "" => None,
            text => Some(CalendarDate::parse("due", text)?),
        };
        Ok(ActionDetails {
            function_id,
            what: plain_text("what", "what will be done", &form.what, 300)?,
            with_whom: long_text("with_whom", "who it is done with", &form.with_whom, 1000)?,
            how: long_text("how", "how it will be done", &form.how, 2000)?,
            cost: Pence::parse("cost", &form.cost)?,
            due,
            communication: long_text("communication", "how it will be communicated", &form.communication, 2000)?,
            risks: long_text("risks", "the risks and their mitigation", &form.risks, 2000)?,
            status: ActionStatus::parse(&form.status)?,
        })
    }

    /// The form as this action fills it, for editing.
    pub fn to_form(&self) -> ActionFields {
        ActionFields {
            function_id: self.function_id.to_string(),
            what: self.what.clone(),
            with_whom: self.with_whom.clone(),
            how: self.how.clone(),
            cost: if self.cost == Pence(0) { String::new() } else { format!("{}.{:02}", self.cost.0 / 100, self.cost.0 % 100) },
            due: self.due.map(|d| d.to_string()).unwrap_or_default(),
            communication: self.communication.clone(),
            risks: self.risks.clone(),
            status: self.status.as_str().to_owned(),
        }
    }
}

/// A stored action: its details, and the version an edit must present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanAction {
    pub id: ActionId,
    pub details: ActionDetails,
    pub version: i64,
}

/// How the implementation plan is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ActionOrder {
    /// Soonest first; actions with no date last.
    #[default]
    Date,
    /// Planned, then in progress, then done; by date within each.
    Status,
}

impl ActionOrder {
    pub fn parse(text: &str) -> Self {
        if text == "status" { ActionOrder::Status } else { ActionOrder::Date }
    }
}

/// Orders a plan's actions. Ties keep their order (creation order).
pub fn sort_actions(actions: &mut [PlanAction], order: ActionOrder) {
    let by_date = |a: &PlanAction| (a.details.due.is_none(), a.details.due);
    match order {
        ActionOrder::Date => actions.sort_by_key(|a| (by_date(a), a.details.status)),
        ActionOrder::Status => actions.sort_by_key(|a| (a.details.status, by_date(a))),
    }
}

/// The plan's total cost.
pub fn total_cost(actions: &[PlanAction]) -> Pence {
    Pence::sum(actions.iter().map(|action| &action.details.cost))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CareFunction, RowStatus};

    #[test]
    fn every_state_reads_without_colour_and_has_its_own_key() {
        let seen: Vec<_> = Provision::ALL.iter().map(|level| (level.symbol(), level.label(), level.key())).collect();
        assert_eq!(seen, [("–", "Not provided", 'N'), ("◐", "Partly provided", 'P'), ("✓", "Fully provided", 'F')]);
        assert_eq!(Provision::from_key("f"), Some(Provision::Fully));
        assert_eq!(Provision::from_key("P"), Some(Provision::Partly));
        assert_eq!(Provision::from_key("x"), None);
        assert_eq!(Provision::from_key("Fn"), None, "a named key is not a letter");
        for level in Provision::ALL {
            assert_eq!(Provision::parse(level.as_str()).unwrap(), level);
        }
        assert_eq!(Provision::Partly.short(), "Partly");
        assert!(Provision::parse("yes").is_err());
    }

    #[test]
    fn organisations_need_a_name_sector_and_locality() {
        let ok = OrganisationDetails::parse(" Age UK ", "voluntary", "Northshire", "", "").unwrap();
        assert_eq!((ok.name.as_str(), ok.sector), ("Age UK", Sector::Voluntary));
        assert_eq!(OrganisationDetails::parse("", "voluntary", "N", "", "").unwrap_err().field, "name");
        assert_eq!(OrganisationDetails::parse("A", "charity", "N", "", "").unwrap_err().field, "sector");
        assert_eq!(OrganisationDetails::parse("A", "private", " ", "", "").unwrap_err().field, "locality");
        assert_eq!(OrganisationDetails::parse("A", "private", "N", "ageuk.org.uk", "").unwrap_err().field, "website");
        assert!(OrganisationDetails::parse("A", "private", "N", "https://www.ageuk.org.uk", "01234 567890").is_ok());
    }

    #[test]
    fn map_details_parse_with_a_default_threshold() {
        let details = MapDetails::parse("Northshire", "2026-04-01", "").unwrap();
        assert_eq!(details.threshold, DEFAULT_THRESHOLD);
        assert_eq!(MapDetails::parse("N", "2026-04-01", "0").unwrap_err().field, "threshold");
        assert_eq!(MapDetails::parse("N", "2026-04-01", "51").unwrap_err().field, "threshold");
        assert_eq!(MapDetails::parse("N", "2026-04-01", "50").unwrap().threshold, 50);
        assert_eq!(MapDetails::parse("N", "1 April", "3").unwrap_err().field, "date");
        assert_eq!(MapDetails::parse("", "2026-04-01", "3").unwrap_err().field, "area");
    }

    #[test]
    fn framework_lists_parse_without_repeats() {
        let ids = parse_framework_list("coordinating-care core-functions coordinating-care").unwrap();
        assert_eq!(ids, default_map_frameworks());
        assert!(parse_framework_list(" ").is_err());
        assert!(parse_framework_list("Bad Id").is_err());
    }

    fn map_with(cells: &[(&str, &str, Provision)], threshold: u32) -> OrgMap {
        let function = |id: &str| CareFunction { id: id.parse().unwrap(), label: id.into(), statement: format!("{id}.") };
        let organisation = |id: &str| Organisation { id: id.into(), details: OrganisationDetails::parse(id, "statutory", "Here", "", "").unwrap(), version: 1 };
        OrgMap {
            summary: OrgMapSummary {
                id: "m".into(),
                details: MapDetails::parse("Here", "2026-04-01", &threshold.to_string()).unwrap(),
                frameworks: default_map_frameworks(),
                organisation_count: 2,
                copied_from: None,
                version: 1,
            },
            categories: vec![Category { id: "c".parse().unwrap(), name: "C".into(), functions: vec![function("f-1"), function("f-2")] }],
            organisations: vec![organisation("o1"), organisation("o2")],
            removed: vec![organisation("gone")],
            cells: cells
                .iter()
                .map(|(f, o, level)| StoredCell {
                    column_id: o.to_string().into(),
                    function_id: f.parse().unwrap(),
                    value: CellValue { level: *level, note: String::new(), version: 1 },
                })
                .collect(),
        }
    }

    #[test]
    fn a_maps_analysis_uses_its_threshold_and_ignores_removed_organisations() {
        use Provision::*;
        let cells = [("f-1", "o1", Fully), ("f-1", "o2", Fully), ("f-2", "o1", Partly), ("f-2", "gone", Fully)];
        let analysis = map_with(&cells, 1).analysis();
        let status: Vec<RowStatus> = analysis.rows.iter().map(|r| r.status).collect();
        assert_eq!(status, [RowStatus::Duplication, RowStatus::PartialOnly]);
        let analysis = map_with(&cells, 2).analysis();
        assert_eq!(analysis.rows[0].status, RowStatus::Covered);
        assert_eq!(analysis.overall.percent(), 50);
    }

    fn form(function: &str, what: &str, cost: &str, due: &str, status: &str) -> ActionFields {
        ActionFields { function_id: function.into(), what: what.into(), cost: cost.into(), due: due.into(), status: status.into(), ..ActionFields::default() }
    }

    #[test]
    fn actions_must_answer_a_function_of_the_map() {
        let functions: Vec<FunctionId> = vec!["f-1".parse().unwrap()];
        let action = ActionDetails::parse(&form("f-1", "Commission a link worker", "£2,500", "2026-09-30", "planned"), &functions).unwrap();
        assert_eq!(action.cost, Pence(250_000));
        assert_eq!(action.to_form().cost, "2500.00");
        assert_eq!(ActionDetails::parse(&action.to_form(), &functions).unwrap(), action);
        let field = |f: ActionFields| ActionDetails::parse(&f, &functions).unwrap_err().field;
        assert_eq!(field(form("f-9", "x", "", "", "planned")), "function_id");
        assert_eq!(field(form("f-1", "", "", "", "planned")), "what");
        assert_eq!(field(form("f-1", "x", "lots", "", "planned")), "cost");
        assert_eq!(field(form("f-1", "x", "", "soon", "planned")), "due");
        assert_eq!(field(form("f-1", "x", "", "", "maybe")), "status");
    }

    #[test]
    fn plans_sort_by_date_or_status_and_total_their_cost() {
        let functions: Vec<FunctionId> = vec!["f-1".parse().unwrap()];
        let action = |id: &str, due: &str, status: &str, cost: &str| PlanAction {
            id: id.into(),
            details: ActionDetails::parse(&form("f-1", id, cost, due, status), &functions).unwrap(),
            version: 1,
        };
        let mut actions =
            vec![action("undated", "", "planned", "10"), action("late", "2027-01-01", "done", "0.50"), action("soon", "2026-06-01", "in-progress", "100")];
        sort_actions(&mut actions, ActionOrder::Date);
        assert_eq!(actions.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["soon", "late", "undated"]);
        sort_actions(&mut actions, ActionOrder::Status);
        assert_eq!(actions.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["undated", "soon", "late"]);
        assert_eq!(total_cost(&actions), Pence(11_050));
    }
}
