//! The function matrix: functions down in category bands, columns across, one cell each.
//! One tab stop; the keys of a spreadsheet move. Enter or a click opens the cell's choices, a
//! state's key sets it at once, Delete clears it and Ctrl+Z undoes the last change; the selected
//! cell's note is shown and edited beside the grid. Every change is saved at once, one request
//! at a time, and a change made on a stale view (an undo included) is refused and shown.

use crate::api::AppError;
use crate::model::matrix::{Analysis, Cell, Level, RowStatus, Tone, Weight, analyse};
use crate::model::{CareFunction, Category, Id, WorkspaceId};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use std::collections::VecDeque;

/// A column of the matrix: an organisation (or a role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column<R> {
    pub id: Id<R>,
    pub name: String,
}

/// Saves one cell (column id, function id, version seen, level, note); answers the cell as
/// stored, or why not.
pub type SaveCell<L> = std::sync::Arc<
    dyn Fn(Id<<L as Level>::Column>, String, i64, L, String) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Cell<L>, AppError>>>> + Send + Sync,
>;

/// A map's cells saved through its server function `call` (workspace, map, column, function,
/// version seen, level's code, note).
pub fn cell_saver<L: Level, M: 'static, Call, Answer>(workspace_id: WorkspaceId, map_id: Id<M>, call: Call) -> SaveCell<L>
where
    Call: Fn(WorkspaceId, Id<M>, Id<L::Column>, String, i64, String, String) -> Answer + Send + Sync + 'static,
    Answer: std::future::Future<Output = Result<Cell<L>, AppError>> + 'static,
    Id<M>: Clone + Send + Sync,
{
    std::sync::Arc::new(move |column_id, function_id, version, level, note| {
        Box::pin(call(workspace_id.clone(), map_id.clone(), column_id, function_id, version, level.as_str().to_owned(), note))
    })
}

/// What one kind of matrix says differently.
#[derive(Clone, Copy)]
pub struct MatrixKind {
    /// The words for a function's status in this kind of matrix.
    pub status_label: fn(RowStatus) -> &'static str,
    /// How a status reads at a glance, which decides its colour.
    pub tone: fn(RowStatus) -> Tone,
    /// More full columns than this is flagged.
    pub threshold: u32,
    /// What a covered function is, e.g. "fully provided by at least one organisation".
    pub covered: &'static str,
}

/// The live state of a matrix: a signal per cell, and the gap analysis over them.
pub struct MatrixState<L: Level> {
    pub kind: MatrixKind,
    categories: StoredValue<Vec<Category>>,
    rows: StoredValue<Vec<CareFunction>>,
    columns: StoredValue<Vec<Column<L::Column>>>,
    cells: StoredValue<Vec<Vec<RwSignal<Cell<L>>>>>,
    /// What the server last confirmed for each cell; edits build on these versions.
    confirmed: StoredValue<Vec<Vec<Cell<L>>>>,
    pub analysis: Memo<Analysis>,
}

impl<L: Level> Clone for MatrixState<L> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<L: Level> Copy for MatrixState<L> {}

impl<L: Level> MatrixState<L> {
    /// `cell(function, column)` gives each cell's stored value.
    pub fn new(
        kind: MatrixKind,
        categories: Vec<Category>,
        columns: Vec<Column<L::Column>>,
        cell: impl Fn(&CareFunction, &Column<L::Column>) -> Cell<L>,
    ) -> Self {
        let rows: Vec<CareFunction> = categories.iter().flat_map(|c| c.functions.iter().cloned()).collect();
        let values: Vec<Vec<Cell<L>>> = rows.iter().map(|function| columns.iter().map(|column| cell(function, column)).collect()).collect();
        let cells = values.iter().map(|row| row.iter().map(|value| RwSignal::new(value.clone())).collect()).collect();
        let cells = StoredValue::new(cells);
        let categories = StoredValue::new(categories);
        let column_count = columns.len();
        let row_index: std::collections::HashMap<_, _> = rows.iter().enumerate().map(|(index, function)| (function.id.clone(), index)).collect();
        let analysis = Memo::new(move |_| {
            let indices: Vec<usize> = (0..column_count).collect();
            cells.with_value(|cells: &Vec<Vec<RwSignal<Cell<L>>>>| {
                categories.with_value(|categories| {
                    analyse(categories, &indices, |function, column| cells[row_index[function]][*column].read().level.weight(), kind.threshold)
                })
            })
        });
        MatrixState { kind, categories, rows: StoredValue::new(rows), columns: StoredValue::new(columns), cells, confirmed: StoredValue::new(values), analysis }
    }

    /// How many functions each column does fully and partly; reactive.
    pub fn column_counts(&self) -> Vec<(usize, usize)> {
        self.cells.with_value(|cells| {
            (0..self.columns.with_value(Vec::len))
                .map(|column| {
                    let weights = cells.iter().map(|row| row[column].read().level.weight());
                    weights.fold((0, 0), |(full, partial), weight| match weight {
                        Weight::Full => (full + 1, partial),
                        Weight::Partial => (full, partial + 1),
                        Weight::None => (full, partial),
                    })
                })
                .collect()
        })
    }

    fn cell(&self, row: usize, column: usize) -> Option<RwSignal<Cell<L>>> {
        self.cells.with_value(|cells| cells.get(row).and_then(|r| r.get(column)).copied())
    }

    fn row_status(&self, row: usize) -> Option<RowStatus> {
        self.analysis.with(|analysis| analysis.rows.get(row).map(|r| r.status))
    }

    /// The cells with a note, in reading order: the numbers of the printed footnotes.
    fn noted_cells(&self) -> Vec<(usize, usize)> {
        self.cells.with_value(|cells| {
            let noted = cells.iter().enumerate().flat_map(|(row, cells)| cells.iter().enumerate().map(move |(column, cell)| (row, column, cell)));
            noted.filter(|(_, _, cell)| !cell.read().note.is_empty()).map(|(row, column, _)| (row, column)).collect()
        })
    }

    /// The words for a cell's place, e.g. "Age UK, Build strong relationships".
    fn place(&self, row: usize, column: usize) -> String {
        let column = self.columns.with_value(|c| c.get(column).map(|c| c.name.clone()).unwrap_or_default());
        let function = self.rows.with_value(|r| r.get(row).map(|f| f.label.clone()).unwrap_or_default());
        format!("{column}, {function}")
    }
}

/// One save waiting to go; also what a cell held before a change, kept so it can be undone.
struct Job<L> {
    row: usize,
    column: usize,
    level: L,
    note: String,
}

/// Sends saves one at a time, so each builds on the version the last one left; a newer edit of
/// the same cell replaces one still waiting.
struct Saver<L: Level> {
    queue: StoredValue<VecDeque<Job<L>>>,
    busy: StoredValue<bool>,
}

impl<L: Level> Clone for Saver<L> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<L: Level> Copy for Saver<L> {}

/// What a grid says to the person using it: a polite status and an error, if any.
#[derive(Clone, Copy)]
pub(crate) struct Messages {
    pub(crate) status: RwSignal<String>,
    pub(crate) problem: RwSignal<Option<String>>,
    /// Whether saves are still going.
    pub(crate) saving: RwSignal<bool>,
}

impl Messages {
    pub(crate) fn new() -> Self {
        Messages { status: RwSignal::new(String::new()), problem: RwSignal::new(None), saving: RwSignal::new(false) }
    }
}

/// A grid's messages above it: the status of its saves, with the undo of the last change
/// beside it (`undo_label` names what it takes back, if there is one), and any problem.
#[component]
pub(crate) fn GridMessages(messages: Messages, #[prop(into)] undo_label: Signal<Option<String>>, undo: Callback<()>) -> impl IntoView {
    view! {
        <div class="matrix-status-line">
            <p class="matrix-status" role="status" aria-live="polite" data-saving=move || messages.saving.get().to_string()>
                {move || messages.status.get()}
            </p>
            {move || undo_label.get().map(|label| view! { <button type="button" class="link-button" on:click=move |_| undo.run(())>{label}</button> })}
        </div>
        <div class="form-error" aria-live="assertive">
            {move || messages.problem.get().map(|problem| view! {
                <div class="notice notice--error" role="alert"><p>{problem}</p></div>
            })}
        </div>
    }
}

impl<L: Level> Saver<L> {
    fn push(self, state: MatrixState<L>, save: StoredValue<SaveCell<L>>, messages: Messages, job: Job<L>) {
        if let Some(cell) = state.cell(job.row, job.column) {
            cell.update(|value| {
                value.level = job.level;
                value.note = job.note.clone();
            });
        }
        self.queue.update_value(|queue| {
            queue.retain(|waiting| (waiting.row, waiting.column) != (job.row, job.column));
            queue.push_back(job);
        });
        if self.busy.get_value() {
            return;
        }
        self.busy.set_value(true);
        messages.saving.set(true);
        messages.status.set("Saving…".into());
        leptos::task::spawn_local(async move {
            while let Some(job) = self.queue.try_update_value(VecDeque::pop_front).flatten() {
                let (row, column) = (job.row, job.column);
                let base = state.confirmed.with_value(|c| c[row][column].clone());
                let (column_id, function_id) = (state.columns.with_value(|c| c[column].id.clone()), state.rows.with_value(|r| r[row].id.to_string()));
                let result = save.with_value(|save| save(column_id, function_id, base.version, job.level, job.note)).await;
                let waiting = self.queue.with_value(|q| q.iter().any(|j| (j.row, j.column) == (row, column)));
                let place = state.place(row, column);
                match result {
                    Ok(stored) => {
                        state.confirmed.update_value(|c| c[row][column] = stored.clone());
                        if !waiting && let Some(cell) = state.cell(row, column) {
                            cell.set(stored.clone());
                        }
                        messages.problem.set(None);
                        messages.status.set(format!("Saved: {place}: {}.", stored.describe()));
                    }
                    Err(error) => {
                        let current = match &error {
                            AppError::StaleCell(stale) => stale.cell::<L>(),
                            _ => None,
                        };
                        let current = current.unwrap_or(base);
                        state.confirmed.update_value(|c| c[row][column] = current.clone());
                        self.queue.update_value(|q| q.retain(|j| (j.row, j.column) != (row, column)));
                        if let Some(cell) = state.cell(row, column) {
                            cell.set(current);
                        }
                        messages.status.set(String::new());
                        messages.problem.set(Some(format!("{place}: {error}")));
                    }
                }
            }
            self.busy.set_value(false);
            messages.saving.set(false);
        });
    }
}

/// The matrix cell that holds the grid's tab stop, for a link that goes to the matrix.
pub(crate) const MATRIX_TAB_STOP: &str = "table.matrix [role=gridcell][tabindex='0']";

/// How many rows PageUp and PageDown move.
const PAGE_ROWS: usize = 10;

/// How the keys move in every grid, for its help line.
pub(crate) const MOVING: &str = "Arrows, Home, End, Page Up and Page Down move (with Ctrl, Home and End go to the corners).";

/// Where a key moves from `at` in a grid of `size` (rows, columns), passing over rows `visible`
/// rejects and staying put at an edge: arrows by one cell, Home and End to the row's ends, with
/// Ctrl to the grid's first and last cells, PageUp and PageDown by `PAGE_ROWS` rows. `None`
/// for any other key.
fn grid_step(key: &str, ctrl: bool, at: (usize, usize), size: (usize, usize), visible: impl Fn(usize) -> bool) -> Option<(usize, usize)> {
    let ((row, column), (rows, columns)) = (at, size);
    let last_column = columns.saturating_sub(1);
    let step = |from: usize, down: bool| -> usize {
        let mut next = from;
        loop {
            next = match if down { next.checked_add(1).filter(|n| *n < rows) } else { next.checked_sub(1) } {
                Some(next) => next,
                None => return from,
            };
            if visible(next) {
                return next;
            }
        }
    };
    let steps = |down: bool, count: usize| (0..count).fold(row, |from, _| step(from, down));
    let first_row = (0..rows).find(|r| visible(*r)).unwrap_or(row);
    let last_row = (0..rows).rev().find(|r| visible(*r)).unwrap_or(row);
    match (key, ctrl) {
        ("ArrowRight", _) => Some((row, (column + 1).min(last_column))),
        ("ArrowLeft", _) => Some((row, column.saturating_sub(1))),
        ("ArrowDown", _) => Some((steps(true, 1), column)),
        ("ArrowUp", _) => Some((steps(false, 1), column)),
        ("PageDown", _) => Some((steps(true, PAGE_ROWS), column)),
        ("PageUp", _) => Some((steps(false, PAGE_ROWS), column)),
        ("Home", false) => Some((row, 0)),
        ("End", false) => Some((row, last_column)),
        ("Home", true) => Some((first_row, 0)),
        ("End", true) => Some((last_row, last_column)),
        _ => None,
    }
}

/// One keyboard grid: a table whose cells have ids "PREFIX-ROW-COLUMN" (which keeps large pages
/// small) and one tab stop. The maps' matrices and the team grid all move, focus and activate
/// their cells through it.
#[derive(Clone, Copy)]
pub(crate) struct KeyboardGrid {
    prefix: &'static str,
    /// What a cell is, for finding the cell an event happened in.
    cell_selector: &'static str,
    /// (rows, columns).
    size: (usize, usize),
    /// The cell holding the tab stop: the selected cell.
    active: RwSignal<(usize, usize)>,
}

/// Parts of a grid's cell that handle their own keys and clicks: its choices.
const OWN_KEYS: &str = ".chooser";

impl KeyboardGrid {
    pub(crate) fn new(prefix: &'static str, cell_selector: &'static str, size: (usize, usize)) -> Self {
        KeyboardGrid { prefix, cell_selector, size, active: RwSignal::new((0, 0)) }
    }

    /// The selected cell, tracked.
    pub(crate) fn selected(self) -> Signal<(usize, usize)> {
        self.active.into()
    }

    /// Moves the tab stop to a cell, focuses it and scrolls it whole into view.
    pub(crate) fn focus(self, row: usize, column: usize) {
        self.select(row, column);
        if let Some(cell) = self.cell(row, column) {
            reveal(&cell);
        }
    }

    /// Moves the tab stop, and so the selection, to a cell.
    fn select(self, row: usize, column: usize) {
        let (old_row, old_column) = self.active.get_untracked();
        if let Some(old) = self.cell(old_row, old_column) {
            let _ = old.set_attribute("tabindex", "-1");
        }
        if let Some(cell) = self.cell(row, column) {
            let _ = cell.set_attribute("tabindex", "0");
        }
        self.active.set((row, column));
    }

    /// Focus that reaches a cell another way (a screen reader's cursor, a script) selects it too,
    /// so the tab stop and the note beside the grid always follow the focus.
    pub(crate) fn on_focusin(self) -> impl Fn(web_sys::FocusEvent) + Copy + 'static {
        move |event: web_sys::FocusEvent| {
            if let Some((row, column)) = self.position(event.target()).filter(|at| *at != self.active.get_untracked()) {
                self.select(row, column);
            }
        }
    }

    /// The grid's keys: arrows, Home, End, PageUp and PageDown move between cells (to rows
    /// `visible` shows; see `grid_step`); Space and Enter `activate` the cell; `other` may take
    /// further keys first, answering whether it did.
    pub(crate) fn on_keydown(
        self,
        visible: impl Fn(usize) -> bool + Copy + 'static,
        activate: impl Fn(usize, usize) + Copy + 'static,
        other: impl Fn(&web_sys::KeyboardEvent, usize, usize) -> bool + Copy + 'static,
    ) -> impl Fn(web_sys::KeyboardEvent) + Copy + 'static {
        move |event: web_sys::KeyboardEvent| {
            let Some((row, column)) = self.position(event.target()) else { return };
            let key = event.key();
            if other(&event, row, column) {
                event.prevent_default();
                return;
            }
            match key.as_str() {
                " " | "Enter" => activate(row, column),
                key => match grid_step(key, event.ctrl_key(), (row, column), self.size, visible) {
                    Some((row, column)) => self.focus(row, column),
                    None => return,
                },
            }
            event.prevent_default();
        }
    }

    /// A click focuses the cell clicked and activates it.
    pub(crate) fn on_click(self, activate: impl Fn(usize, usize) + Copy + 'static) -> impl Fn(web_sys::MouseEvent) + Copy + 'static {
        move |event: web_sys::MouseEvent| {
            if let Some((row, column)) = self.position(event.target()) {
                self.focus(row, column);
                activate(row, column);
            }
        }
    }

    /// Marks the grid `table` ready once the page's script runs (until then it shows as not yet
    /// active), and activates the cell a click chose while it was not: `public/early.js` keeps
    /// that click on the table, so none is lost.
    pub(crate) fn when_ready(self, table: NodeRef<leptos::html::Table>, activate: impl Fn(usize, usize) + Copy + 'static) {
        Effect::new(move |_| {
            let Some(table) = table.get() else { return };
            let early = table.get_attribute("data-early-click");
            let _ = table.remove_attribute("data-early-click");
            let _ = table.set_attribute("data-ready", "true");
            if let Some((row, column)) = early.and_then(|id| self.place_of(&id)) {
                self.focus(row, column);
                activate(row, column);
            }
        });
    }

    pub(crate) fn cell(self, row: usize, column: usize) -> Option<web_sys::HtmlElement> {
        use leptos::wasm_bindgen::JsCast;
        document().get_element_by_id(&format!("{}-{row}-{column}", self.prefix))?.dyn_into().ok()
    }

    fn place_of(self, id: &str) -> Option<(usize, usize)> {
        let (row, column) = id.strip_prefix(self.prefix)?.strip_prefix('-')?.split_once('-')?;
        Some((row.parse().ok()?, column.parse().ok()?))
    }

    /// The place of the cell an event happened in: the nearest cell around the target, unless
    /// the event happened in a part of the cell with keys of its own.
    fn position(self, target: Option<web_sys::EventTarget>) -> Option<(usize, usize)> {
        use leptos::wasm_bindgen::JsCast;
        let element: web_sys::Element = target?.dyn_into().ok()?;
        if element.closest(OWN_KEYS).ok().flatten().is_some() {
            return None;
        }
        self.place_of(&element.closest(self.cell_selector).ok()??.id())
    }
}

/// Focuses a cell and scrolls it whole into view, clear of the grid's sticky header row and
/// columns (WCAG 2.4.11): the scrolling box's padding is set to what they cover now, which
/// changes with the layout, and scrolling into view keeps out of it.
fn reveal(cell: &web_sys::HtmlElement) {
    use leptos::wasm_bindgen::JsCast;
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = cell.focus_with_options(&options);
    let scroller = cell.closest(".matrix-scroll").ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(scroller) = scroller {
        let covered = |selector: &str, measure: fn(&web_sys::HtmlElement) -> i32| {
            scroller.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()).map_or(0, |e| measure(&e))
        };
        let top = covered("thead", |head| head.offset_height());
        // The last sticky column ends where the first scrolling one starts.
        let left = covered("thead .matrix__column", |first| first.offset_left());
        let style = scroller.style();
        let _ = style.set_property("scroll-padding-top", &format!("{top}px"));
        let _ = style.set_property("scroll-padding-left", &format!("{left}px"));
    }
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
    cell.scroll_into_view_with_scroll_into_view_options(&options);
}

/// The status the grid is narrowed to, from the address (`?show=gap`): a narrowed grid can be
/// linked to, and works before the script has loaded.
fn shown_status() -> Memo<Option<RowStatus>> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("show").and_then(|code| RowStatus::from_code(&code)))
}

/// The matrix: its status line and undo, the grid, the selected cell beside it, and the notes
/// as footnotes for print.
#[component]
pub fn Matrix<L: Level>(
    state: MatrixState<L>,
    /// Saves a cell; `None` for people who may only read.
    save: Option<SaveCell<L>>,
    /// Says what a column is, e.g. "organisation".
    column_noun: &'static str,
    /// Where the columns are added, for the empty matrix.
    columns_href: String,
) -> impl IntoView {
    let can_edit = save.is_some();
    let save = StoredValue::new(save.unwrap_or_else(|| std::sync::Arc::new(|_, _, _, _, _| Box::pin(async { Err(AppError::Forbidden) }))));
    let messages = Messages::new();
    let saver = Saver { queue: StoredValue::new(VecDeque::new()), busy: StoredValue::new(false) };
    let shown = shown_status();
    let location = use_location();
    let choosing = RwSignal::new(None::<(usize, usize)>);
    let history = RwSignal::new(Vec::<Job<L>>::new());
    let column_count = state.columns.with_value(Vec::len);
    let row_count = state.rows.with_value(Vec::len);
    let grid = KeyboardGrid::new("cell", "td.cell", (row_count, column_count));
    let table = NodeRef::<leptos::html::Table>::new();
    let note_input = NodeRef::<leptos::html::Textarea>::new();

    let visible = move |row: usize| shown.get_untracked().is_none_or(|status| state.row_status(row) == Some(status));
    let read_only = move || messages.problem.set(Some("You can read this map but not change it: ask an owner to make you an editor.".into()));
    let change = move |row: usize, column: usize, level: L, note: String| {
        let Some(cell) = state.cell(row, column) else { return };
        if !can_edit {
            return read_only();
        }
        let before = cell.get_untracked();
        if before.level == level && before.note == note {
            return;
        }
        history.update(|history| history.push(Job { row, column, level: before.level, note: before.note }));
        saver.push(state, save, messages, Job { row, column, level, note });
    };
    let set_level = move |row: usize, column: usize, level: L| {
        let note = state.cell(row, column).map(|cell| cell.get_untracked().note).unwrap_or_default();
        change(row, column, level, note);
    };
    let undo = move || {
        let Some(last) = history.try_update(Vec::pop).flatten() else { return };
        grid.focus(last.row, last.column);
        saver.push(state, save, messages, last);
    };
    let edit_note = move || {
        choosing.set(None);
        if let Some(input) = note_input.get_untracked() {
            let _ = input.focus();
        }
    };
    let open = move |row: usize, column: usize| {
        if can_edit {
            choosing.set(Some((row, column)));
        } else {
            read_only();
        }
    };
    let on_keydown = grid.on_keydown(visible, open, move |event, row, column| {
        let key = event.key();
        let command = event.ctrl_key() || event.meta_key();
        if command && key.eq_ignore_ascii_case("z") {
            undo();
            return true;
        }
        if command || event.alt_key() {
            return false;
        }
        match key.as_str() {
            "F2" => edit_note(),
            "Delete" | "Backspace" => set_level(row, column, L::default()),
            key => match L::from_key(key) {
                Some(level) => set_level(row, column, level),
                None => return false,
            },
        }
        true
    });
    let on_click = grid.on_click(open);
    grid.when_ready(table, open);
    let close_choices = move |refocus: bool| {
        if let Some((row, column)) = choosing.get_untracked() {
            choosing.set(None);
            if refocus {
                grid.focus(row, column);
            }
        }
    };
    let choose = Callback::new(move |level: L| {
        if let Some((row, column)) = choosing.get_untracked() {
            close_choices(true);
            set_level(row, column, level);
        }
    });
    let noted = Memo::new(move |_| state.noted_cells());

    let keys: Vec<String> = L::ALL.iter().map(|level| format!("{} {}", level.key(), level.label().to_lowercase())).collect();
    let help = if can_edit {
        format!(
            "{MOVING} Enter or a click opens a cell's choices, or type {}. Delete clears, F2 edits the note, Ctrl+Z undoes. Saved at once.",
            keys.join(", "),
        )
    } else {
        format!("{MOVING} You can read this map but not change it.")
    };
    let undo_label = Signal::derive(move || {
        history
            .with(|history| history.last().map(|last| format!("Undo: {} back to “{}”", state.place(last.row, last.column), last.level.label().to_lowercase())))
    });
    let categories = state.categories.get_value();
    let columns = state.columns.get_value();
    let mut row = 0usize;
    view! {
        <p id="matrix-help" class="hint matrix-help">{help}</p>
        {move || shown.get().map(|status| view! {
            <p class="matrix-filter">
                {format!("Showing only the functions whose status is “{}”. ", (state.kind.status_label)(status))}
                <a href=location.pathname.get_untracked()>"Show all functions"</a>
            </p>
        })}
        <GridMessages messages undo_label undo=Callback::new(move |()| undo())/>
        {(column_count == 0).then(|| view! {
            <p class="empty">
                {format!("No {column_noun}s yet, so every function is a gap. ")}
                <a href=columns_href>{format!("Add {column_noun}s")}</a>
                ": each becomes a column."
            </p>
        })}
        <p class="grid-waiting" role="status">"Getting the grid ready: cells can be changed in a moment."</p>
        <div class="matrix-layout">
            // With no columns there is no cell to take focus, so the scrolling box takes it itself:
            // its rows can still be scrolled to from the keyboard.
            <div class="matrix-scroll" tabindex=(column_count == 0).then_some("0")>
                <table class="matrix" role="grid" aria-labelledby="matrix-heading" aria-describedby="matrix-help" node_ref=table data-ready="false"
                    aria-busy=move || messages.saving.get().to_string()
                    on:keydown=on_keydown on:click=on_click on:focusin=grid.on_focusin()>
                    <thead>
                        <tr role="row">
                            <th scope="col" role="columnheader" class="matrix__corner">"Function"</th>
                            <th scope="col" role="columnheader" class="matrix__status-head">"Status"</th>
                            {columns.iter().map(|column| view! {
                                <th scope="col" role="columnheader" class="matrix__column"><span>{column.name.clone()}</span></th>
                            }).collect_view()}
                        </tr>
                    </thead>
                    {categories.into_iter().map(|category| {
                        let first_row = row;
                        row += category.functions.len();
                        view! {
                            <tbody>
                                <tr class="matrix__band" role="row">
                                    <th scope="rowgroup" role="rowheader" colspan=column_count + 2>{category.name.clone()}</th>
                                </tr>
                                {category.functions.into_iter().enumerate().map(|(offset, function)| {
                                    let row = first_row + offset;
                                    view! { <MatrixRow state row function shown choosing choose noted edit_note close_choices/> }
                                }).collect_view()}
                            </tbody>
                        }
                    }).collect_view()}
                </table>
            </div>
            <CellPanel state grid can_edit note_input change/>
        </div>
        <PrintedNotes state noted/>
    }
}

#[component]
fn MatrixRow<L: Level>(
    state: MatrixState<L>,
    row: usize,
    function: CareFunction,
    shown: Memo<Option<RowStatus>>,
    choosing: RwSignal<Option<(usize, usize)>>,
    choose: Callback<L>,
    noted: Memo<Vec<(usize, usize)>>,
    edit_note: impl Fn() + Copy + Send + Sync + 'static,
    close_choices: impl Fn(bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let status = Memo::new(move |_| state.row_status(row));
    let class = move || format!("matrix__row tone--{}", status.get().map_or("", |s| (state.kind.tone)(s).as_str()));
    let hidden = move || shown.get().is_some_and(|shown| status.get() != Some(shown));
    // Which of this row's cells has its choices open: a row's cells follow their row only.
    let choosing_here = Memo::new(move |_| choosing.get().filter(|(at, _)| *at == row).map(|(_, column)| column));
    let column_names = state.columns.get_value();
    view! {
        <tr class=class hidden=hidden role="row" data-function-id=function.id.to_string()>
            <th scope="row" role="rowheader" class="matrix__function">
                <span class="function__id">{function.id.to_string()}</span>
                " "
                {function.label}
            </th>
            <td role="gridcell" class="matrix__status">{move || status.get().map(state.kind.status_label)}</td>
            {column_names.into_iter().enumerate().map(|(column, column_name)| {
                let cell = state.cell(row, column).expect("a cell for every row and column");
                let level = move || cell.read().level;
                view! {
                    <td
                        role="gridcell"
                        id=format!("cell-{row}-{column}")
                        tabindex=if row == 0 && column == 0 { "0" } else { "-1" }
                        class=move || format!("cell cell--{}{}", level().as_str(), if cell.read().note.is_empty() { "" } else { " cell--noted" })
                        aria-haspopup="dialog"
                    >
                        <span class="cell__column" aria-hidden="true">{column_name.name}</span>
                        <span class="cell__state">
                            <span class="cell__symbol" aria-hidden="true">{move || level().symbol()}</span>
                            <span class="cell__label">{move || level().short()}</span>
                        </span>
                        {move || {
                            let note = cell.read().note.clone();
                            (!note.is_empty()).then(|| {
                                let number = noted.with(|noted| noted.iter().position(|at| *at == (row, column))).map(|index| index + 1);
                                view! {
                                    <span class="cell__note" aria-hidden="true">"note"<sup class="print-only">{number}</sup></span>
                                    <span class="visually-hidden">{format!(" Note: {note}")}</span>
                                }
                            })
                        }}
                        {move || (choosing_here.get() == Some(column)).then(|| view! {
                            <Chooser state row column current=level() choose edit_note close_choices/>
                        })}
                    </td>
                }
            }).collect_view()}
        </tr>
    }
}

/// The choices of one cell, at the cell: a button per state with its key, and the note. Arrow
/// keys move between them; a state's key chooses it; Escape, or leaving, closes them.
#[component]
fn Chooser<L: Level>(
    state: MatrixState<L>,
    row: usize,
    column: usize,
    current: L,
    choose: Callback<L>,
    edit_note: impl Fn() + Copy + Send + Sync + 'static,
    close_choices: impl Fn(bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let holder = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let Some(holder) = holder.get() else { return };
        crate::ui::forms::focus_element(holder.query_selector("[aria-pressed='true']").ok().flatten());
        holder.scroll_into_view_with_bool(false);
    });
    let buttons = move || -> Vec<web_sys::HtmlElement> {
        use leptos::wasm_bindgen::JsCast;
        let Some(holder) = holder.get_untracked() else { return Vec::new() };
        let Ok(list) = holder.query_selector_all("button") else { return Vec::new() };
        (0..list.length()).filter_map(|index| list.item(index)?.dyn_into().ok()).collect()
    };
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        let key = event.key();
        let step = match key.as_str() {
            "ArrowDown" | "ArrowRight" => 1,
            "ArrowUp" | "ArrowLeft" => -1,
            "Escape" => {
                event.prevent_default();
                return close_choices(true);
            }
            _ if event.ctrl_key() || event.meta_key() || event.alt_key() => return,
            key => {
                if let Some(level) = L::from_key(key) {
                    event.prevent_default();
                    choose.run(level);
                }
                return;
            }
        };
        event.prevent_default();
        let buttons = buttons();
        let at = buttons.iter().position(|button| document().active_element().as_ref() == Some(button.as_ref())).unwrap_or(0);
        let next = (at as isize + step).rem_euclid(buttons.len().max(1) as isize) as usize;
        if let Some(button) = buttons.get(next) {
            let _ = button.focus();
        }
    };
    let on_focusout = move |event: web_sys::FocusEvent| {
        use leptos::wasm_bindgen::JsCast;
        let inside = event
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .is_some_and(|to| holder.get_untracked().is_some_and(|holder| holder.contains(Some(&to))));
        if !inside {
            close_choices(false);
        }
    };
    view! {
        <div class="chooser" role="dialog" aria-label=format!("Choose for {}", state.place(row, column)) node_ref=holder
            on:keydown=on_keydown on:focusout=on_focusout>
            {L::ALL.into_iter().map(|level| view! {
                <button type="button" class=format!("chooser__choice cell--{}", level.as_str()) aria-pressed=(level == current).to_string()
                    on:click=move |_| choose.run(level)>
                    <kbd aria-hidden="true">{level.key().to_string()}</kbd>
                    {level.label()}
                </button>
            }).collect_view()}
            <button type="button" class="chooser__choice button--secondary" on:click=move |_| edit_note()>
                <kbd aria-hidden="true">"F2"</kbd>
                "Note…"
            </button>
        </div>
    }
}

/// The selected cell beside the grid: where it is, its state, and its note to read and edit.
/// The grid does not move when it changes.
#[component]
fn CellPanel<L: Level>(
    state: MatrixState<L>,
    grid: KeyboardGrid,
    can_edit: bool,
    note_input: NodeRef<leptos::html::Textarea>,
    change: impl Fn(usize, usize, L, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let selected = grid.selected();
    let cell = move || {
        let (row, column) = selected.get();
        state.cell(row, column).map(|cell| cell.get())
    };
    let saved_note = Memo::new(move |_| cell().map(|cell| cell.note).unwrap_or_default());
    let text = RwSignal::new(String::new());
    Effect::new(move |_| text.set(saved_note.get()));
    let back = move || {
        let (row, column) = selected.get_untracked();
        grid.focus(row, column);
    };
    let save_note = move || {
        let (row, column) = selected.get_untracked();
        if let Some(current) = state.cell(row, column).map(|cell| cell.get_untracked()) {
            change(row, column, current.level, text.get_untracked());
        }
        back();
    };
    let on_keydown = move |event: web_sys::KeyboardEvent| match event.key().as_str() {
        "Escape" => {
            event.prevent_default();
            text.set(saved_note.get_untracked());
            back();
        }
        "Enter" if event.ctrl_key() || event.meta_key() => {
            event.prevent_default();
            save_note();
        }
        _ => {}
    };
    let has_columns = state.columns.with_value(|columns| !columns.is_empty());
    has_columns.then(|| view! {
        <aside class="cell-panel" aria-labelledby="cell-panel-heading">
            <h3 id="cell-panel-heading">"Selected cell"</h3>
            <p class="cell-panel__place">{move || { let (row, column) = selected.get(); state.place(row, column) }}</p>
            <p class="cell-panel__state">{move || cell().map(|cell| cell.level.label())}</p>
            {if can_edit {
                view! {
                    <label for="cell-note">"Note (up to 500 characters)"</label>
                    <textarea id="cell-note" node_ref=note_input rows="4" maxlength="500" prop:value=move || text.get()
                        aria-describedby="cell-note-hint"
                        on:input=move |event| text.set(event_target_value(&event)) on:keydown=on_keydown></textarea>
                    <p id="cell-note-hint" class="hint">"Ctrl+Enter saves; Escape goes back to the cell."</p>
                    <button type="button" on:click=move |_| save_note()
                        disabled=move || text.with(|text| *text == saved_note.get())>"Save the note"</button>
                }.into_any()
            } else {
                view! { <p class="cell-panel__note">{move || { let note = saved_note.get(); if note.is_empty() { "No note.".to_owned() } else { note } }}</p> }.into_any()
            }}
        </aside>
    })
}

/// The notes as numbered footnotes, in print only: the numbers are those beside the cells.
#[component]
fn PrintedNotes<L: Level>(state: MatrixState<L>, noted: Memo<Vec<(usize, usize)>>) -> impl IntoView {
    move || {
        let noted = noted.get();
        (!noted.is_empty()).then(|| {
            view! {
                <section class="print-only printed-notes">
                    <h3>"Notes"</h3>
                    <ol>
                        {noted.into_iter().map(|(row, column)| {
                            let note = state.cell(row, column).map(|cell| cell.read().note.clone()).unwrap_or_default();
                            view! { <li><strong>{state.place(row, column)}</strong>{format!(": {note}")}</li> }
                        }).collect_view()}
                    </ol>
                </section>
            }
        })
    }
}

/// The gap analysis in a few words: the coverage, the count of each status (each a link that
/// shows only those functions in the grid) and, folded away, a chart per category.
#[component]
pub fn Summary(analysis: Memo<Analysis>, kind: MatrixKind) -> impl IntoView {
    let statuses = [RowStatus::Gap, RowStatus::PartialOnly, RowStatus::Single, RowStatus::Duplication];
    let shown = shown_status();
    view! {
        <section class="summary" aria-labelledby="summary-heading">
            <h2 id="summary-heading" class="visually-hidden">"Summary"</h2>
            {move || analysis.with(|analysis| {
                let overall = &analysis.overall;
                let counts = [overall.gaps, overall.partial_only, overall.single, overall.duplication];
                view! {
                    <p class="summary__overall">
                        <strong>{format!("{}%", overall.percent())}</strong>
                        {format!(" coverage: {} of {} functions are {}.", overall.covered, overall.functions, kind.covered)}
                    </p>
                    <ul class="summary__counts" aria-label="Show only the functions whose status is">
                        {statuses.into_iter().zip(counts).map(|(status, count)| {
                            let words = format!("{}: {count}", (kind.status_label)(status));
                            let current = (shown.get() == Some(status)).then_some("true");
                            view! {
                                <li class=format!("tone--{}", (kind.tone)(status).as_str())>
                                    {if count == 0 {
                                        words.into_any()
                                    } else {
                                        view! { <a href=format!("?show={}#matrix-heading", status.as_str()) aria-current=current>{words}</a> }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
            })}
            <details class="summary__chart">
                <summary>"Coverage per category"</summary>
                {move || analysis.with(|analysis| view! { <CoverageChart analysis=analysis.clone()/> })}
            </details>
        </section>
    }
}

/// A bar per category: the share of its functions covered.
#[component]
fn CoverageChart(analysis: Analysis) -> impl IntoView {
    const ROW: usize = 30;
    const LABEL: usize = 290;
    const BAR: usize = 300;
    let height = ROW * analysis.categories.len() + 10;
    let description: Vec<String> = analysis.categories.iter().map(|c| format!("{}: {}%", c.name, c.coverage.percent())).collect();
    view! {
        <svg class="chart" viewBox=format!("0 0 {} {height}", LABEL + BAR + 60) role="img" aria-labelledby="chart-title chart-description">
            <title id="chart-title">"Coverage per category"</title>
            <desc id="chart-description">{description.join("; ")}</desc>
            {analysis.categories.iter().enumerate().map(|(index, category)| {
                let y = index * ROW + 5;
                let percent = category.coverage.percent() as usize;
                view! {
                    <g>
                        <text x="0" y=y + 18 class="chart__label">{category.name.clone()}</text>
                        <rect x=LABEL y=y width=BAR height="22" class="chart__track"/>
                        <rect x=LABEL y=y width=BAR * percent / 100 height="22" class="chart__bar"/>
                        <text x=LABEL + BAR + 8 y=y + 18 class="chart__value">{format!("{percent}%")}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::grid_step;

    #[test]
    fn keys_move_within_the_grid_and_over_hidden_rows() {
        let all = |_: usize| true;
        let step = |key, at, size, visible: &dyn Fn(usize) -> bool| grid_step(key, false, at, size, visible);
        assert_eq!(step("ArrowRight", (0, 0), (3, 2), &all), Some((0, 1)));
        assert_eq!(step("ArrowRight", (0, 1), (3, 2), &all), Some((0, 1)), "stays at the edge");
        assert_eq!(step("ArrowUp", (0, 1), (3, 2), &all), Some((0, 1)));
        assert_eq!(step("End", (2, 0), (3, 2), &all), Some((2, 1)));
        assert_eq!(step("Home", (2, 1), (3, 2), &all), Some((2, 0)));
        let odd_hidden = |row: usize| row.is_multiple_of(2);
        assert_eq!(step("ArrowDown", (0, 0), (3, 2), &odd_hidden), Some((2, 0)));
        assert_eq!(step("ArrowDown", (2, 0), (4, 2), &odd_hidden), Some((2, 0)), "no visible row below");
        assert_eq!(step("x", (0, 0), (3, 2), &all), None);
    }

    #[test]
    fn page_keys_move_ten_visible_rows_and_ctrl_goes_to_the_corners() {
        let all = |_: usize| true;
        assert_eq!(grid_step("PageDown", false, (0, 1), (46, 3), all), Some((10, 1)));
        assert_eq!(grid_step("PageDown", false, (40, 1), (46, 3), all), Some((45, 1)), "stops at the last row");
        assert_eq!(grid_step("PageUp", false, (5, 2), (46, 3), all), Some((0, 2)));
        let odd_hidden = |row: usize| row.is_multiple_of(2);
        assert_eq!(grid_step("PageDown", false, (0, 0), (46, 3), odd_hidden), Some((20, 0)), "ten visible rows");
        assert_eq!(grid_step("End", true, (3, 0), (46, 3), all), Some((45, 2)));
        assert_eq!(grid_step("Home", true, (30, 2), (46, 3), all), Some((0, 0)));
        assert_eq!(grid_step("End", true, (0, 0), (46, 3), odd_hidden), Some((44, 2)), "the last row shown");
        let from_third = |row: usize| row >= 2;
        assert_eq!(grid_step("Home", true, (30, 2), (46, 3), from_third), Some((2, 0)), "the first row shown");
    }
}
