// Until the page's own script has started, a grid is not yet active: a click on one of its
// cells is kept on the grid and said, and the page opens that cell once it is ready
// (KeyboardGrid::when_ready in app/src/ui/matrix.rs). No click is lost in the meantime.
document.addEventListener('click', function (event) {
  var target = event.target;
  if (!target || !target.closest) return;
  var grid = target.closest('table[data-ready="false"]');
  var cell = grid && target.closest('[role="gridcell"]');
  if (!cell) return;
  grid.setAttribute('data-early-click', cell.id);
  var waiting = document.querySelector('.grid-waiting');
  if (waiting) waiting.textContent = 'Getting the grid ready: the cell you chose opens in a moment.';
});
