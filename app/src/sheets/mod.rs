//! Spreadsheets: matrices written as .xlsx laid out like the guide's appendices, and files
//! read back after checks that keep broken and hostile files harmless. Bytes and grids only:
//! the rules for what a grid means live in `model::sheet`.

pub mod isolate;
pub mod read;
pub mod write;

#[cfg(test)]
mod tests {
    use super::read::{ReadError, read_workbook};
    use super::write::{ExportColumn, MATRIX_SHEET, MatrixExport, matrix_workbook};
    use crate::model::matrix::{Cell, Level, StoredCell, analyse};
    use crate::model::org_map::Provision;
    use crate::model::sheet::{read_level, read_matrix};
    use crate::model::{Category, RowStatus};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn categories() -> Vec<Category> {
        crate::frameworks::builtin().unwrap().into_iter().find(|f| f.id().as_str() == "coordinating-care").unwrap().categories().to_vec()
    }

    /// Writes a map of `names` across with `levels` (function index, column index → level),
    /// reads it back, and answers the names and cells read.
    fn round_trip(names: &[String], levels: &BTreeMap<(usize, usize), Provision>) -> (Vec<String>, BTreeMap<(usize, usize), Provision>) {
        let categories = categories();
        let functions: Vec<_> = categories.iter().flat_map(|c| &c.functions).collect();
        let columns: Vec<ExportColumn<_>> =
            names.iter().enumerate().map(|(i, name)| ExportColumn { id: format!("org-{i}").into(), name: name.clone() }).collect();
        let cells: Vec<StoredCell<Provision>> = levels
            .iter()
            .map(|(&(f, c), &level)| StoredCell {
                column_id: format!("org-{c}").into(),
                function_id: functions[f].id.clone(),
                value: Cell { level, note: String::new(), version: 1 },
            })
            .collect();
        let ids: Vec<_> = columns.iter().map(|c| &c.id).collect();
        let index = crate::model::matrix::cell_index(&cells);
        let analysis =
            analyse(&categories, &ids, |function, column| index.get(&(function, *column)).map_or(crate::model::matrix::Weight::None, |c| c.level.weight()), 3);
        let bytes = matrix_workbook(&MatrixExport {
            kind: "org-map",
            id: "map-1",
            title: "Round trip".into(),
            fields: vec![("Area", "=Northshire".into())],
            categories: &categories,
            columns,
            cells: &cells,
            analysis: &analysis,
            status_label: RowStatus::label,
            threshold: 3,
        })
        .unwrap();
        let grids = read_workbook("map.xlsx", &bytes).unwrap();
        let grid = grids.iter().find(|g| g.name == MATRIX_SHEET).unwrap();
        let read = read_matrix(grid, &categories, read_level::<Provision>, "").unwrap();
        assert!(read.unmatched.is_empty(), "{:?}", read.unmatched);
        let names = read.columns.iter().map(|c| c.name.clone()).collect();
        let cells = read
            .cells
            .iter()
            .filter(|c| c.mark != Provision::NotProvided)
            .map(|c| ((functions.iter().position(|f| f.id == c.function_id).unwrap(), c.column), c.mark))
            .collect();
        (names, cells)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn a_map_written_and_read_back_is_the_same_map(
            names in proptest::collection::btree_set("[=+@-]?[A-Za-z][A-Za-z0-9 '&é-]{0,20}[a-z]", 0..6),
            marks in proptest::collection::btree_map((0usize..39, 0usize..6), 1usize..3, 0..60),
        ) {
            let names: Vec<String> = names.into_iter().filter(|n| !["function", "functions", "status", "gap", "gaps", "notes", "note", "comment", "comments"].contains(&n.to_lowercase().as_str())).collect();
            let levels: BTreeMap<(usize, usize), Provision> = marks
                .into_iter()
                .filter(|((_, column), _)| *column < names.len())
                .map(|(place, level)| (place, Provision::ALL[level]))
                .collect();
            let unique: std::collections::BTreeSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
            prop_assume!(unique.len() == names.len());
            let (read_names, read_levels) = round_trip(&names, &levels);
            prop_assert_eq!(read_names, names);
            prop_assert_eq!(read_levels, levels);
        }
    }

    #[test]
    fn broken_and_hostile_files_are_refused_with_their_reason() {
        let refused = |name: &str, bytes: &[u8]| read_workbook(name, bytes).unwrap_err();
        assert_eq!(refused("empty.xlsx", b""), ReadError::Empty);
        assert_eq!(refused("big.csv", &vec![b'a'; 25 * 1024 * 1024 + 1]), ReadError::TooLarge { megabytes: 26 });
        assert!(matches!(refused("notes.pdf", b"%PDF-1.7"), ReadError::NotASpreadsheet { .. }));
        assert!(matches!(refused("picture.xlsx", b"\x89PNG\r\n\x1a\n\0\0"), ReadError::Damaged(_)));
        let bytes = matrix_bytes();
        assert!(matches!(refused("map.ods", &bytes), ReadError::WrongExtension { found, .. } if found == "an Excel workbook (.xlsx)"));
        assert!(matches!(refused("map.xlsx", &bytes[..bytes.len() / 2]), ReadError::Damaged(_)), "truncated");
    }

    #[test]
    fn a_learning_matrix_is_written_with_its_needs_and_read_back() {
        use super::write::{LEARNING_SHEET, NEEDS_COLUMNS, NEEDS_SHEET, learning_workbook};
        use crate::model::CalendarDate;
        use crate::model::import::read_priority;
        use crate::model::programme::{Activity, CatalogueEntry, Learner, Need, NeedStatus, Priority};
        use crate::model::sheet::read_matrix;
        let categories = categories();
        let need = |function: &str, priority, archived| Need {
            function_id: function.parse().unwrap(),
            priority,
            need: "=not a formula".into(),
            activity: Some(Activity::Catalogue("cpa".into())),
            comment: String::new(),
            target: CalendarDate::new(2027, 3, 31),
            status: NeedStatus::Planned,
            archived,
        };
        let learners = vec![
            Learner {
                id: "a1".into(),
                name: "Asha Patel".into(),
                team: "North".into(),
                role: String::new(),
                needs: vec![need("comm-01", Priority::High, false), need("comm-02", Priority::None, false), need("comm-03", Priority::Low, true)],
            },
            Learner { id: "a2".into(), name: "+Ben".into(), team: "North".into(), role: String::new(), needs: vec![need("comm-01", Priority::Medium, false)] },
        ];
        let catalogue = [CatalogueEntry { id: "cpa".into(), title: "CPA Standards and Update".into(), cost: crate::model::Pence(0) }];
        let bytes = learning_workbook("North", &learners, &categories, &catalogue).unwrap();
        let grids = read_workbook("learning.xlsx", &bytes).unwrap();
        let matrix = grids.iter().find(|g| g.name == LEARNING_SHEET).unwrap();
        let read = read_matrix(matrix, &categories, read_priority, "").unwrap();
        assert_eq!(read.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Asha Patel", "+Ben"], "formula-like names come back as written");
        let marks: Vec<(usize, &str, Priority)> = read.cells.iter().filter_map(|c| c.mark.map(|p| (c.column, c.function_id.as_str(), p))).collect();
        assert_eq!(marks, [(0, "comm-01", Priority::High), (1, "comm-01", Priority::Medium), (0, "comm-02", Priority::None)], "archived needs are left out");
        let needs = &grids.iter().find(|g| g.name == NEEDS_SHEET).unwrap().rows;
        assert_eq!(needs[0], NEEDS_COLUMNS.map(str::to_owned).to_vec());
        assert_eq!(needs.len(), 1 + 3);
        assert_eq!(
            needs[1][..5],
            ["Asha Patel", "comm-01 Build strong relationships with people who access care and support", "High", "'=not a formula", "CPA Standards and Update"]
        );
        assert_eq!(needs[1][6..], ["2027-03-31", "Planned"]);
    }

    fn matrix_bytes() -> Vec<u8> {
        let categories = categories();
        let analysis = analyse(&categories, &Vec::<String>::new(), |_, _| crate::model::matrix::Weight::None, 3);
        matrix_workbook(&MatrixExport::<Provision> {
            kind: "org-map",
            id: "m",
            title: "T".into(),
            fields: vec![],
            categories: &categories,
            columns: vec![],
            cells: &[],
            analysis: &analysis,
            status_label: RowStatus::label,
            threshold: 3,
        })
        .unwrap()
    }
}
