//! The function matrix: functions down in category bands, columns across, one cell each.
//! Arrow keys move between cells, Space or Enter cycles a cell, N opens its note; every change
//! is saved at once, one request at a time, and a change made on a stale view is refused by
//! the server and shown.

use crate::api::AppError;
use crate::model::matrix::{Analysis, Cell, Level, RowStatus, Tone, Weight, analyse};
use crate::model::{CareFunction, Category, Id};
use leptos::prelude::*;
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

    fn row_is_gap(&self, row: usize) -> bool {
        self.analysis.with(|analysis| analysis.rows.get(row).is_some_and(|r| r.status.is_gap()))
    }

    /// The words for a cell's place, e.g. "Age UK, Build strong relationships".
    fn place(&self, row: usize, column: usize) -> String {
        let column = self.columns.with_value(|c| c.get(column).map(|c| c.name.clone()).unwrap_or_default());
        let function = self.rows.with_value(|r| r.get(row).map(|f| f.label.clone()).unwrap_or_default());
        format!("{column}, {function}")
    }
}

/// One save waiting to go.
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

/// What the matrix says to the person using it: a polite status and an error, if any.
#[derive(Clone, Copy)]
struct Messages {
    status: RwSignal<String>,
    problem: RwSignal<Option<String>>,
    /// Whether saves are still going.
    saving: RwSignal<bool>,
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
pub(crate) const MOVING: &str =
    "Arrow keys move between cells; Home and End go to the ends of the row, and with Ctrl to the first and last cells; Page Up and Page Down move ten rows.";

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
    /// The cell holding the tab stop.
    active: StoredValue<(usize, usize)>,
}

impl KeyboardGrid {
    pub(crate) fn new(prefix: &'static str, cell_selector: &'static str, size: (usize, usize)) -> Self {
        KeyboardGrid { prefix, cell_selector, size, active: StoredValue::new((0, 0)) }
    }

    /// The cell holding the tab stop.
    pub(crate) fn active(self) -> (usize, usize) {
        self.active.get_value()
    }

    /// Moves the tab stop to a cell, and focuses it.
    pub(crate) fn focus(self, row: usize, column: usize) {
        let (old_row, old_column) = self.active.get_value();
        if let Some(old) = self.cell(old_row, old_column) {
            let _ = old.set_attribute("tabindex", "-1");
        }
        if let Some(cell) = self.cell(row, column) {
            let _ = cell.set_attribute("tabindex", "0");
            let _ = cell.focus();
        }
        self.active.set_value((row, column));
    }

    /// The grid's keys: arrows, Home, End, PageUp and PageDown move between cells (to rows
    /// `visible` shows; see `grid_step`);
    /// Space and Enter `activate` the cell; `other` may take further keys, answering whether it
    /// did.
    pub(crate) fn on_keydown(
        self,
        visible: impl Fn(usize) -> bool + Copy + 'static,
        activate: impl Fn(usize, usize) + Copy + 'static,
        other: impl Fn(&str, usize, usize) -> bool + Copy + 'static,
    ) -> impl Fn(web_sys::KeyboardEvent) + Copy + 'static {
        move |event: web_sys::KeyboardEvent| {
            let Some((row, column)) = self.position(event.target()) else { return };
            let key = event.key();
            match key.as_str() {
                " " | "Enter" => activate(row, column),
                key if other(key, row, column) => {}
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

    fn cell(self, row: usize, column: usize) -> Option<web_sys::HtmlElement> {
        use leptos::wasm_bindgen::JsCast;
        document().get_element_by_id(&format!("{}-{row}-{column}", self.prefix))?.dyn_into().ok()
    }

    /// The place of the cell an event happened in: the nearest cell around the target.
    fn position(self, target: Option<web_sys::EventTarget>) -> Option<(usize, usize)> {
        use leptos::wasm_bindgen::JsCast;
        let element: web_sys::Element = target?.dyn_into().ok()?;
        let cell = element.closest(self.cell_selector).ok()??;
        let id = cell.id();
        let (row, column) = id.strip_prefix(self.prefix)?.strip_prefix('-')?.split_once('-')?;
        Some((row.parse().ok()?, column.parse().ok()?))
    }
}

/// The matrix table, with its toolbar, messages and note editor.
#[component]
pub fn Matrix<L: Level>(
    state: MatrixState<L>,
    /// Saves a cell; `None` for people who may only read.
    save: Option<SaveCell<L>>,
    /// Says what a column is, e.g. "organisation".
    column_noun: &'static str,
) -> impl IntoView {
    let can_edit = save.is_some();
    let save = StoredValue::new(save.unwrap_or_else(|| std::sync::Arc::new(|_, _, _, _, _| Box::pin(async { Err(AppError::Forbidden) }))));
    let messages = Messages { status: RwSignal::new(String::new()), problem: RwSignal::new(None), saving: RwSignal::new(false) };
    let saver = Saver { queue: StoredValue::new(VecDeque::new()), busy: StoredValue::new(false) };
    let only_gaps = RwSignal::new(false);
    let editing = RwSignal::new(None::<(usize, usize)>);
    let column_count = state.columns.with_value(Vec::len);
    let row_count = state.rows.with_value(Vec::len);
    let grid = KeyboardGrid::new("cell", "td.cell", (row_count, column_count));

    let visible = move |row: usize| !only_gaps.get_untracked() || state.row_is_gap(row);
    let cycle = move |row: usize, column: usize| {
        if !can_edit {
            messages.problem.set(Some("You can read this map but not change it: ask an owner to make you an editor.".into()));
            return;
        }
        if let Some(cell) = state.cell(row, column) {
            let value = cell.get_untracked();
            saver.push(state, save, messages, Job { row, column, level: value.level.next(), note: value.note });
        }
    };
    let open_note = move |row: usize, column: usize| {
        if can_edit {
            editing.set(Some((row, column)));
        }
    };
    let on_keydown = grid.on_keydown(visible, cycle, move |key, row, column| {
        let note = matches!(key, "n" | "N");
        if note {
            open_note(row, column);
        }
        note
    });
    let on_click = grid.on_click(cycle);

    let categories = state.categories.get_value();
    let columns = state.columns.get_value();
    let mut row = 0usize;
    view! {
        <div class="matrix-tools">
            <label class="checkbox">
                <input type="checkbox" on:change=move |event| only_gaps.set(event_target_checked(&event))/>
                " Show only gaps"
            </label>
            <p id="matrix-help" class="hint">
                {if can_edit {
                    let levels: Vec<String> = L::ALL.iter().map(|level| level.label().to_lowercase()).collect();
                    format!(
                        "{MOVING} Space or Enter changes a cell: {}. N adds a note. Clicking a cell changes it too. Every change is saved at once.",
                        levels.join(", "),
                    )
                } else {
                    format!("{MOVING} You can read this map but not change it.")
                }}
            </p>
            {can_edit.then(|| view! {
                <button type="button" class="button--secondary" on:click=move |_| {
                    let (row, column) = grid.active();
                    open_note(row, column);
                }>"Note for the selected cell (N)"</button>
            })}
        </div>
        <p class="matrix-status" role="status" aria-live="polite" data-saving=move || messages.saving.get().to_string()>
            {move || messages.status.get()}
        </p>
        <div class="form-error" aria-live="assertive">
            {move || messages.problem.get().map(|problem| view! {
                <div class="notice notice--error" role="alert"><p>{problem}</p></div>
            })}
        </div>
        {move || editing.get().map(|(row, column)| view! {
            <NoteEditor state saver save messages row column editing on_close=move || grid.focus(row, column)/>
        })}
        {(column_count == 0).then(|| view! {
            <p class="empty">{format!("No {column_noun}s yet: add them above, and each becomes a column. Until then every function is a gap.")}</p>
        })}
        // With no columns there is no cell to take focus, so the scrolling box takes it itself:
        // its rows can still be scrolled to from the keyboard.
        <div class="matrix-scroll" tabindex=(column_count == 0).then_some("0")>
            <table class="matrix" role="grid" aria-labelledby="matrix-heading" aria-describedby="matrix-help"
                aria-busy=move || messages.saving.get().to_string()
                on:keydown=on_keydown on:click=on_click>
                <thead>
                    <tr>
                        <th scope="col" class="matrix__corner">"Function"</th>
                        <th scope="col" class="matrix__status-head">"Status"</th>
                        {columns.iter().map(|column| view! {
                            <th scope="col" class="matrix__column"><span>{column.name.clone()}</span></th>
                        }).collect_view()}
                    </tr>
                </thead>
                {categories.into_iter().map(|category| {
                    let first_row = row;
                    row += category.functions.len();
                    view! {
                        <tbody>
                            <tr class="matrix__band">
                                <th scope="rowgroup" colspan=column_count + 2>{category.name.clone()}</th>
                            </tr>
                            {category.functions.into_iter().enumerate().map(|(offset, function)| {
                                let row = first_row + offset;
                                view! { <MatrixRow state row function column_count only_gaps/> }
                            }).collect_view()}
                        </tbody>
                    }
                }).collect_view()}
            </table>
        </div>
    }
}

#[component]
fn MatrixRow<L: Level>(state: MatrixState<L>, row: usize, function: CareFunction, column_count: usize, only_gaps: RwSignal<bool>) -> impl IntoView {
    let status = Memo::new(move |_| state.analysis.with(|a| a.rows.get(row).map(|r| r.status)));
    let class = move || format!("matrix__row tone--{}", status.get().map_or("", |s| (state.kind.tone)(s).as_str()));
    let hidden = move || only_gaps.get() && !status.get().is_some_and(|s| s.is_gap());
    view! {
        <tr class=class hidden=hidden data-function-id=function.id.to_string()>
            <th scope="row" class="matrix__function">
                <span class="function__id">{function.id.to_string()}</span>
                " "
                {function.label}
            </th>
            <td class="matrix__status">{move || status.get().map(state.kind.status_label)}</td>
            {(0..column_count).map(|column| {
                let cell = state.cell(row, column).expect("a cell for every row and column");
                let level = move || cell.read().level;
                let note = move || cell.read().note.clone();
                view! {
                    <td
                        role="gridcell"
                        id=format!("cell-{row}-{column}")
                        tabindex=if row == 0 && column == 0 { "0" } else { "-1" }
                        class=move || format!("cell cell--{}", level().as_str())
                    >
                        <span class="cell__symbol" aria-hidden="true">{move || level().symbol()}</span>
                        <span class="cell__label">{move || level().short()}</span>
                        {move || {
                            let note = note();
                            (!note.is_empty()).then(|| view! {
                                <span class="cell__note" title=note.clone() aria-hidden="true">"✎"</span>
                                <span class="visually-hidden">{format!(" Note: {note}")}</span>
                            })
                        }}
                    </td>
                }
            }).collect_view()}
        </tr>
    }
}

/// Edits the note of one cell; Escape or Cancel leaves it as it was.
#[component]
fn NoteEditor<L: Level>(
    state: MatrixState<L>,
    saver: Saver<L>,
    save: StoredValue<SaveCell<L>>,
    messages: Messages,
    row: usize,
    column: usize,
    editing: RwSignal<Option<(usize, usize)>>,
    on_close: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let Some(cell) = state.cell(row, column) else { return ().into_any() };
    let text = RwSignal::new(cell.get_untracked().note);
    let input = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(element) = input.get() {
            let _ = element.focus();
        }
    });
    let close = {
        let on_close = on_close.clone();
        move || {
            editing.set(None);
            on_close();
        }
    };
    let save_note = {
        let close = close.clone();
        move || {
            let level = cell.get_untracked().level;
            saver.push(state, save, messages, Job { row, column, level, note: text.get_untracked() });
            close();
        }
    };
    let on_keydown = {
        let close = close.clone();
        move |event: web_sys::KeyboardEvent| {
            if event.key() == "Escape" {
                event.prevent_default();
                close();
            }
        }
    };
    let save_click = save_note.clone();
    view! {
        <div class="note-editor" role="group" aria-labelledby="note-editor-heading">
            <h3 id="note-editor-heading">{format!("Note: {}", state.place(row, column))}</h3>
            <label for="cell-note">"Note (up to 500 characters)"</label>
            <textarea id="cell-note" node_ref=input rows="3" maxlength="500" prop:value=move || text.get()
                on:input=move |event| text.set(event_target_value(&event)) on:keydown=on_keydown></textarea>
            <div class="form--row">
                <button type="button" on:click=move |_| save_click()>"Save the note"</button>
                <button type="button" class="button--secondary" on:click=move |_| close()>"Cancel"</button>
            </div>
        </div>
    }
    .into_any()
}

/// The gap analysis in numbers and as a chart of coverage per category.
#[component]
pub fn Summary(analysis: Memo<Analysis>, kind: MatrixKind) -> impl IntoView {
    let statuses = [RowStatus::Gap, RowStatus::PartialOnly, RowStatus::Single, RowStatus::Duplication];
    view! {
        <section class="summary" aria-labelledby="summary-heading">
            <h2 id="summary-heading">"Summary"</h2>
            {move || analysis.with(|analysis| {
                let overall = &analysis.overall;
                let counts = [overall.gaps, overall.partial_only, overall.single, overall.duplication];
                view! {
                    <p class="summary__overall">
                        <strong>{format!("{}%", overall.percent())}</strong>
                        {format!(" coverage: {} of {} functions are {}.", overall.covered, overall.functions, kind.covered)}
                    </p>
                    <ul class="summary__counts">
                        {statuses.into_iter().zip(counts).map(|(status, count)| view! {
                            <li class=format!("tone--{}", (kind.tone)(status).as_str())>{format!("{}: {count}", (kind.status_label)(status))}</li>
                        }).collect_view()}
                    </ul>
                    <CoverageChart analysis=analysis.clone()/>
                }
            })}
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
