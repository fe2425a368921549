/**
 * The researcher's path through the workbench in browser mode, against the real server: generate a
 * dataset, start NGF and HNN with a tiny budget, watch them finish, compare them (loss, energy,
 * reversibility charts hold a series per run), plus the two refusals the UI must show: a corrupt
 * .npz and an invalid hyperparameter. Each view is screenshotted at 1440x900 under test-results/.
 */
import { expect, test, type Page } from '@playwright/test';
import { chartSeries, openView, screenshot } from './helpers';

test.describe.configure({ mode: 'serial' });

/** Selects the dataset whose display name contains `name` (the service prefixes a content hash). */
async function chooseDataset(page: Page, select: 'train-dataset' | 'test-dataset', name: string): Promise<void> {
  const value = await page.locator(`select[name="${select}"] option`, { hasText: name }).first().getAttribute('value');
  await page.locator(`select[name="${select}"]`).selectOption(value!);
}

async function generateSpring(page: Page, name: string, seed: number): Promise<void> {
  const form = page.getByTestId('generate-form');
  await form.locator('select[name="generator"]').selectOption('spring');
  await form.locator('input[name="n"]').fill('24');
  await form.locator('input[name="points"]').fill('16');
  await form.locator('input[name="seed"]').fill(String(seed));
  await form.locator('input[name="dataset-name"]').fill(name);
  await form.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('datasets-table').getByRole('cell', { name, exact: false }).first()).toBeVisible();
}

test('datasets: generate two spring datasets and inspect one', async ({ page }) => {
  await openView(page, 'datasets');
  await generateSpring(page, 'spring-train', 1);
  await generateSpring(page, 'spring-test', 2);

  const inspection = page.getByTestId('dataset-inspection');
  await expect(inspection).toContainText('trajectories');
  await expect(page.getByTestId('value-ranges').locator('tbody tr')).toHaveCount(2);
  const preview = await chartSeries(page, 'dataset-preview');
  expect(preview.length).toBeGreaterThanOrEqual(2);
  expect(preview[0]!.points).toBe(16);
  await screenshot(page, 'datasets');
});

test('datasets: a corrupt .npz shows the loader error naming the file', async ({ page }) => {
  await openView(page, 'datasets');
  await page.getByTestId('dataset-file').setInputFiles({
    name: 'broken.npz',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('PK\u0003\u0004 this is not a zip archive at all'),
  });
  const error = page.getByTestId('dataset-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('broken.npz');
  await screenshot(page, 'datasets-error');
});

test('new experiment: an invalid hyperparameter shows its message and blocks Start', async ({ page }) => {
  await openView(page, 'new');
  const start = page.getByTestId('start');
  await chooseDataset(page, 'train-dataset', 'spring-train');
  await expect(start).toBeEnabled();

  const dimM = page.locator('[data-field="ngf.dimM"]');
  await dimM.locator('input').fill('0');
  await expect(dimM.locator('.message')).toHaveText('must be a whole number from 1 to 32');
  await expect(start).toBeDisabled();
  await expect(page.getByTestId('start-blocker')).toContainText('NGF');

  const lr = page.locator('[data-field="budget.lr"]');
  await lr.locator('input').fill('abc');
  await expect(lr.locator('.message')).toContainText('must be a number from');
  await screenshot(page, 'new-experiment-invalid');

  await dimM.locator('input').fill('2');
  await lr.locator('input').fill('0.001');
  await expect(dimM.locator('.message')).toHaveCount(0);
  await expect(start).toBeEnabled();
});

test('train NGF and HNN as one group, watch them finish, compare them', async ({ page }) => {
  await openView(page, 'new');
  await chooseDataset(page, 'train-dataset', 'spring-train');
  await chooseDataset(page, 'test-dataset', 'spring-test');
  await page.locator('input[name="budget.epochs"]').fill('3');
  await page.locator('input[name="budget.batchSize"]').fill('8');
  await page.locator('input[name="seed"]').fill('7');
  await page.locator('input[name="tags"]').fill('e2e');
  await page.locator('input[name="ngf.encoderHidden"]').fill('16');
  await page.locator('input[name="ngf.encoderHidden"]').blur();
  await page.locator('input[name="ngf.decoderHidden"]').fill('16');
  await page.locator('input[name="ngf.metricHidden"]').fill('16');
  await page.locator('input[name="hnn.hiddenSizes"]').fill('32, 32');
  await page.locator('input[name="hnn.hiddenSizes"]').blur();
  await screenshot(page, 'new-experiment');
  await page.getByTestId('start').click();

  // Training must be in the backend; without it the UI shows the service's refusal and stays put.
  const table = page.getByTestId('runs-table');
  const refusal = page.getByRole('alert').filter({ hasText: 'no training engine' });
  await expect(table.or(refusal)).toBeVisible({ timeout: 30_000 });
  if (await refusal.isVisible()) test.skip(true, `training engine not in the backend yet: ${await refusal.textContent()}`);

  // Runs view: both runs appear and reach done, with live progress on the way.
  const ngf = table.locator('tr[data-model="ngf"]').first();
  const hnn = table.locator('tr[data-model="hnn"]').first();
  await expect(ngf).toBeVisible();
  await expect(hnn).toBeVisible();
  await screenshot(page, 'runs-training');
  await expect(ngf.locator('[data-status]')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(hnn.locator('[data-status]')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(ngf.locator('.tag')).toHaveText('e2e');
  await screenshot(page, 'runs');

  const runIds = [await ngf.getAttribute('data-run-id'), await hnn.getAttribute('data-run-id')] as string[];

  // Run detail of the NGF run: its loss curves.
  await ngf.getByRole('link').click();
  const terms = await chartSeries(page, 'loss');
  expect(terms.map((s) => s.name)).toEqual(expect.arrayContaining(['trainLoss', 'testLoss']));
  await screenshot(page, 'run-detail');

  // Compare: select both in the table.
  await openView(page, 'runs');
  for (const id of runIds) await table.locator(`tr[data-run-id="${id}"] input[type="checkbox"]`).check();
  await page.getByTestId('compare-selected').click();
  const loss = await chartSeries(page, 'compare-loss');
  expect(loss).toHaveLength(4); // train + test per run
  for (const id of runIds) expect(loss.filter((s) => s.name.includes(id.slice(0, 6)))).toHaveLength(2);
  for (const s of loss) expect(s.points).toBe(3);
  await screenshot(page, 'compare');

  // Analysis: energy and reversibility charts hold one entry per run, once the backend can analyse.
  await page.getByRole('button', { name: 'Analyse all finished' }).click();
  const analysed = page.locator('[data-chart="reversibility"] .chart-canvas');
  const failure = page.getByRole('alert');
  await expect(analysed.or(failure).first()).toBeVisible({ timeout: 240_000 });
  const failures = (await failure.allTextContents()).join(' | ');
  if (failures.includes('no analysis engine')) test.skip(true, `analysis engine not in the backend yet: ${failures}`);
  expect(failures, 'analysis failed').toBe('');
  await expect(page.getByTestId('analysis-missing')).toHaveCount(0, { timeout: 240_000 });
  await expect(page.locator('[data-chart="energy"] .chart-canvas')).toBeVisible();
  const energy = await chartSeries(page, 'energy');
  const reversibility = await chartSeries(page, 'reversibility');
  for (const id of runIds) {
    expect(energy.some((s) => s.name.includes(id.slice(0, 6)))).toBe(true);
    expect(reversibility.some((s) => s.name.includes(id.slice(0, 6)))).toBe(true);
  }
  await screenshot(page, 'compare-analysis');
});
