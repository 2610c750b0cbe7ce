// A signed-in workspace with one organisation map of `organisations` organisations × 46
// functions (the coordinating-care and core functions), about half the cells set, made through
// the server's API. Answers the session cookie, the map page's path and the counts.
export async function seedBigMap(server, organisations = 100) {
  let cookie = '';
  async function call(name, form) {
    const response = await fetch(`${server.url}/api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, accept: 'application/json' },
      body: new URLSearchParams(form),
      redirect: 'manual',
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0];
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${name}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  await call('create_first_admin', { email: 'bench@example.org', name: 'Bench', password: 'correct horse battery staple' });
  await call('create_workspace', { name: 'Benchmark' });
  const workspace = (await call('my_workspaces', {}))[0].id;
  await call('create_org_map', { workspace_id: workspace, area: 'Benchmark', date: '2026-04-01', threshold: '3', frameworks: 'coordinating-care core-functions' });
  const map = (await call('list_org_maps', { workspace_id: workspace })).maps[0].id;
  const columns = [];
  for (let i = 0; i < organisations; i++) {
    columns.push(await call('add_organisation', { workspace_id: workspace, map_id: map, name: `Organisation ${i + 1}`, sector: 'voluntary', locality: 'Benchmark', website: '', contact: '' }));
  }
  const functions = (await call('get_org_map', { workspace_id: workspace, map_id: map })).map.categories.flatMap((c) => c.functions.map((f) => f.id));
  const levels = ['none', 'partly', 'fully'];
  const seeding = performance.now();
  let cells = 0;
  for (const [o, organisation] of columns.entries()) {
    for (const [f, fn] of functions.entries()) {
      const level = levels[(o * 7 + f * 3) % 5 === 0 ? 2 : (o + f) % 4 === 0 ? 1 : 0];
      if (level === 'none') continue;
      await call('set_cell', { workspace_id: workspace, map_id: map, organisation_id: organisation, function_id: fn, version: '0', level, note: f % 10 === 0 ? 'Weekdays only' : '' });
      cells++;
    }
  }
  return {
    cookie,
    workspace,
    path: `/workspaces/${workspace}/maps/${map}`,
    functions: functions.length,
    cells,
    seedSeconds: (performance.now() - seeding) / 1000,
  };
}
