/** Shared steps of the end-to-end tests: open the app, read chart series, take screenshots. */
import { expect, type Page } from '@playwright/test';

export function appUrl(): string {
  const url = process.env.NGF_E2E_URL;
  if (!url) throw new Error('NGF_E2E_URL is not set: run the tests through playwright.config.ts (its global setup starts the server)');
  return url;
}

export async function openView(page: Page, view: 'datasets' | 'new' | 'runs' | 'compare'): Promise<void> {
  if (!page.url().startsWith(new URL(appUrl()).origin)) await page.goto(appUrl());
  await page.locator(`[data-nav="${view}"]`).click();
}

/** The series (name, type, number of points) an ECharts chart holds, read from its instance. */
export async function chartSeries(page: Page, chartId: string): Promise<{ name: string; type: string; points: number }[]> {
  const canvas = page.locator(`[data-chart="${chartId}"] .chart-canvas`);
  await expect(canvas).toBeVisible();
  return canvas.evaluate((el) => window.ngfCharts!.seriesOf(el));
}

/**
 * Screenshots of the current view under test-results/screens/ (not committed): NAME.png at the
 * 1440x900 viewport, and NAME-full.png with the window grown to the content's height (the content
 * scrolls inside its own panel, so a full-page shot alone would stop at 900 px).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400); // let charts finish their first frame
  await page.screenshot({ path: `test-results/screens/${name}.png` });
  const viewport = page.viewportSize()!;
  const height = await page.locator('main.content').evaluate((el) => el.scrollHeight);
  if (height <= viewport.height) return;
  await page.setViewportSize({ width: viewport.width, height: Math.min(height + 20, 8000) });
  await page.waitForTimeout(400);
  await page.screenshot({ path: `test-results/screens/${name}-full.png` });
  await page.setViewportSize(viewport);
}
