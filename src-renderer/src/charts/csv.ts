/**
 * A chart's data as CSV, in long form (one row per point: series, x, y[, value]), built from the
 * same option object the chart draws, so the file holds exactly what is plotted (before sampling).
 */
interface OptionLike {
  xAxis?: unknown;
  yAxis?: unknown;
  series?: unknown;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A category axis's labels (bar and heatmap charts), or undefined for a value axis. */
function categories(axis: unknown): unknown[] | undefined {
  return ((Array.isArray(axis) ? axis[0] : axis) as { data?: unknown[] } | undefined)?.data;
}

export function chartCsv(chartOption: object): string {
  const option = chartOption as OptionLike;
  const xs = categories(option.xAxis);
  const ys = categories(option.yAxis);
  const series = (Array.isArray(option.series) ? option.series : []) as { name?: string; type?: string; data?: unknown[] }[];
  const heat = series.some((s) => s.type === 'heatmap');
  const rows = [heat ? 'series,x,y,value' : 'series,x,y'];
  for (const s of series) {
    (s.data ?? []).forEach((point, index) => {
      if (!Array.isArray(point)) {
        // Bars are {value, raw}: the CSV holds the value itself, not its drawn height.
        const value = point && typeof point === 'object' ? ((point as { raw?: unknown; value?: unknown }).raw ?? (point as { value?: unknown }).value) : point;
        rows.push([s.name, xs?.[index] ?? index, value].map(cell).join(','));
      } else if (heat) {
        const [i, j, value] = point as [number, number, number];
        rows.push([s.name, xs?.[i] ?? i, ys?.[j] ?? j, value].map(cell).join(','));
      } else {
        rows.push([s.name, point[0], point[1]].map(cell).join(','));
      }
    });
  }
  return rows.join('\n') + '\n';
}

/** Saves text as a file through a temporary link (works in browsers and in Electron's renderer). */
export function downloadText(fileName: string, text: string, type = 'text/csv'): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
