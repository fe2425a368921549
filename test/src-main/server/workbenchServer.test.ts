import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { METHOD_NAMES, type ApiEvents, type MethodName } from '../../../src-shared/api';
import { createBrowserTransport } from '../../../src-shared/browserTransport';
import { createClient } from '../../../src-shared/client';
import { startWorkbenchServer, type WorkbenchServer } from '../../../src-main/server/workbenchServer';
import { FakeRunner, makeWorkbench, type Workbench } from '../services/fakes';

/** One malformed payload per method and the field its error message must name. */
const BAD_PAYLOADS: Record<MethodName, { payload: unknown; message: RegExp }> = {
  'datasets.open': { payload: { path: 42 }, message: /^datasets\.open: path: must be a file path/ },
  'datasets.upload': { payload: { name: 'a.npz', bytesBase64: '***' }, message: /bytesBase64: must be base64/ },
  'datasets.list': { payload: { all: true }, message: /^datasets\.list: all: unknown field$/ },
  'datasets.inspect': { payload: { id: 'x', trajectories: 0 }, message: /trajectories: must be a whole number from 1 to 100/ },
  'datasets.generators': { payload: { kind: 'x' }, message: /kind: unknown field/ },
  'datasets.generate': { payload: { kind: 'spring', params: { n: [1] } }, message: /params\.n: must be a finite number, true\/false or a string/ },
  'runs.start': { payload: { models: [{ model: 'ngf', config: { dimM: -1 } }], trainDatasetId: 'd' }, message: /models\[0\]\.config\.dimM: must be a whole number/ },
  'runs.cancel': { payload: {}, message: /^runs\.cancel: runId: is required$/ },
  'runs.list': { payload: { filter: { limit: 0 } }, message: /filter\.limit: must be a whole number from 1 to 10000/ },
  'runs.get': { payload: { runId: '' }, message: /runId: must be a run id/ },
  'runs.compare': { payload: { runIds: [] }, message: /runIds: must name at least one run/ },
  'runs.delete': { payload: { runIds: 'r1' }, message: /runIds: must be a list of run ids/ },
  'runs.setTags': { payload: { runId: 'r', tags: [''] }, message: /tags\[0\]: must be a non-empty tag/ },
  'runs.setNotes': { payload: { runId: 'r', notes: null }, message: /notes: must be a string/ },
  'runs.export': { payload: { runIds: ['r'], path: '' }, message: /path: must be a file path/ },
  'runs.import': { payload: { file: 'x' }, message: /must be \{path\} or \{bytesBase64\}/ },
  'analysis.run': { payload: { runId: 'r', options: { horizon: 0 } }, message: /options\.horizon: must be a number from 0\.1 to 100/ },
  'analysis.get': { payload: { run: 'r' }, message: /runId: is required; run: unknown field/ },
  'models.importReference': { payload: { eqxPath: ['a'] }, message: /eqxPath: must be a file path/ },
  'app.versions': { payload: [], message: /must be an object/ },
  'app.backend': { payload: 42, message: /must be an object/ },
};

let bench: Workbench;
let server: WorkbenchServer;
let base: string;
let runner: FakeRunner;

/** Rows in every table of the database: what a refused request must leave unchanged. */
function rowCounts(): Record<string, number> {
  const db = new Database(bench.store.dbPath, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

async function post(method: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ngf-token': server.token, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } & Record<string, unknown> };
}

beforeAll(async () => {
  runner = new FakeRunner(['ngf', 'hnn'], 5);
  bench = makeWorkbench({ runner });
  const rendererDir = join(bench.dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>ui</title></head><body></body></html>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  server = await startWorkbenchServer({ service: bench.service, rendererDir });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await bench.cleanup();
});

describe('API over HTTP', () => {
  it('every method refuses a malformed payload with 400, names the field, and writes nothing', async () => {
    // Some state to protect: a dataset and a finished run.
    const { id } = (await post('datasets.open', { path: bench.datasetPath })).body as { id: string };
    await post('runs.start', { models: [{ model: 'ngf' }], trainDatasetId: id, budget: { epochs: 2 } });
    await bench.service.idle();
    const before = rowCounts();
    expect(before.runs).toBe(1);
    for (const method of METHOD_NAMES) {
      const { payload, message } = BAD_PAYLOADS[method];
      const { status, body } = await post(method, payload);
      expect(status, method).toBe(400);
      expect(body.error?.code, method).toBe('invalid');
      expect(body.error?.message, method).toMatch(message);
    }
    expect(rowCounts()).toEqual(before);
  });

  it('answers results as JSON and maps errors to statuses', async () => {
    expect((await post('app.versions', {})).body).toMatchObject({ host: 'cli' });
    expect((await post('app.versions', '')).status).toBe(200);
    expect(await post('runs.explode', {})).toEqual({ status: 404, body: { error: { code: 'unknown-method', message: "unknown API method 'runs.explode'" } } });
    expect((await post('runs.get', { runId: 'nope' })).status).toBe(404);
    const notJson = await post('runs.list', '{"filter":');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error?.message).toMatch(/^runs\.list: request body is not valid JSON/);
    const notImplemented = await post('runs.start', { models: [{ model: 'node' }], trainDatasetId: (bench.store.listDatasets()[0]!).id });
    expect(notImplemented.status).toBe(501);
    const get = await fetch(`${base}/api/app.versions?token=${server.token}`);
    expect(get.status).toBe(405);
  });

  it('refuses requests without the token, with a wrong one, from a foreign Origin or Host (403)', async () => {
    const before = rowCounts();
    const noToken = await fetch(`${base}/api/datasets.open`, { method: 'POST', body: JSON.stringify({ path: bench.datasetPath }) });
    expect(noToken.status).toBe(403);
    expect((await post('datasets.list', {}, { 'x-ngf-token': 'guess' })).status).toBe(403);
    const foreign = await post('datasets.list', {}, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error?.message).toMatch(/origin 'http:\/\/evil\.example'/);
    expect((await post('datasets.list', {}, { origin: `http://localhost:${server.port}` })).status).toBe(200);
    expect((await fetch(`${base}/api/datasets.list?token=${server.token}`, { method: 'POST' })).status).toBe(200);
    // A DNS-rebinding page reaches 127.0.0.1 under its own host name (fetch cannot set Host: use node:http).
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: `/api/datasets.list?token=${server.token}`, method: 'POST', headers: { host: `evil.example:${server.port}` } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(rebound).toBe(403);
    expect(rowCounts()).toEqual(before);
  });

  it('the typed client works over the browser transport, events included', async () => {
    const transport = createBrowserTransport({ baseUrl: base, token: server.token, WebSocket: WebSocket as never });
    const client = createClient(transport);
    const progress: ApiEvents['run.progress'][] = [];
    const statuses: string[] = [];
    client.on('run.progress', (p) => progress.push(p));
    client.on('run.status', (s) => statuses.push(s.status));
    await new Promise((r) => setTimeout(r, 200)); // let the socket open
    const [dataset] = await client.datasets.list();
    const { runIds } = await client.runs.start({ models: [{ model: 'hnn' }], trainDatasetId: dataset!.id, budget: { epochs: 3 } });
    await bench.service.idle();
    await new Promise((r) => setTimeout(r, 100));
    transport.close();
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.runId === runIds[0])).toBe(true);
    expect(statuses).toEqual(expect.arrayContaining(['queued', 'running', 'done']));
    await expect(client.runs.get({ runId: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('events WebSocket', () => {
  function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  it('streams a fake run\'s progress events to a ws client', async () => {
    const ws = await connect(`ws://127.0.0.1:${server.port}/events?token=${server.token}`);
    const messages: { event: string; payload: { runId?: string; epoch?: number } }[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    const datasetId = bench.store.listDatasets()[0]!.id;
    const { body } = await post('runs.start', { models: [{ model: 'ngf' }], trainDatasetId: datasetId, budget: { epochs: 4 } });
    const runId = (body.runIds as string[])[0]!;
    await bench.service.idle();
    await new Promise((r) => setTimeout(r, 100));
    ws.close();
    const progress = messages.filter((m) => m.event === 'run.progress' && m.payload.runId === runId);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]!.payload).toMatchObject({ epochs: 4, runId });
    expect(messages.filter((m) => m.event === 'run.metrics' && m.payload.runId === runId).map((m) => m.payload.epoch)).toEqual([1, 2, 3, 4]);
    expect(messages.some((m) => m.event === 'run.status' && (m.payload as { status?: string }).status === 'done')).toBe(true);
  });

  it('refuses a socket without the token or from a foreign Origin', async () => {
    await expect(connect(`ws://127.0.0.1:${server.port}/events`)).rejects.toThrow('HTTP 403');
    await expect(connect(`ws://127.0.0.1:${server.port}/events?token=${server.token}`, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect(`ws://127.0.0.1:${server.port}/elsewhere?token=${server.token}`)).rejects.toThrow('HTTP 404');
  });
});

describe('static renderer', () => {
  it('serves the UI, injects the token only for a tokened request, and stays inside its folder', async () => {
    const page = await (await fetch(`${base}/?token=${server.token}`)).text();
    expect(page).toContain(`<meta name="ngf-token" content="${server.token}">`);
    const bare = await (await fetch(`${base}/runs/42`)).text();
    expect(bare).toContain('<title>ui</title>');
    expect(bare).not.toContain(server.token);
    const asset = await fetch(`${base}/assets/app.js`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(await asset.text()).toBe('console.log(1)');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/%2e%2e/workbench.db`)).status).toBe(404);
    expect((await fetch(`${base}/%E0%A4%A.js`)).status).toBe(400);
  });

  it('without a build, says how to build it', async () => {
    const other = await startWorkbenchServer({ service: bench.service, rendererDir: join(bench.dir, 'no-build') });
    try {
      const text = await (await fetch(`http://127.0.0.1:${other.port}/`)).text();
      expect(text).toContain('npm run build:renderer');
      expect(other.url).toBe(`http://127.0.0.1:${other.port}/?token=${other.token}`);
      expect(other.token).not.toBe(server.token);
    } finally {
      await other.close();
    }
  });
});
