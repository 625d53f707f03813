/** The priced template as a table: plain text for the terminal, Markdown for docs/cost.md. */
import { ARRIVALS, RECEIVER_BILLED_MS } from './assumptions.ts';
import type { CostEstimate } from './model.ts';
import { totalAt } from './model.ts';

/** How a volume is written in a heading: `10,000`. */
export function volumeLabel(deliveries: number): string {
  return deliveries.toLocaleString('en-US');
}

function dollars(value: number): string {
  return `$${value.toFixed(2)}`;
}

/** Header and rows of the table, cells as text; `usage` adds the column of what is counted. */
export function costTable(
  estimate: CostEstimate,
  volumes: readonly number[],
  usage = true,
): string[][] {
  const header = [
    'Service',
    ...(usage ? ['Usage'] : []),
    'Idle a month',
    'Per million',
    ...volumes.map((n) => `${volumeLabel(n)} a month`),
  ];
  const rows = estimate.lines.map((line) => [
    line.service,
    ...(usage ? [line.usage] : []),
    dollars(line.idle),
    line.perMillion ? dollars(line.variable(1e6)) : '—',
    ...volumes.map((n) => dollars(line.idle + line.variable(n))),
  ]);
  const idle = estimate.lines.reduce((sum, line) => sum + line.idle, 0);
  const perMillion = estimate.lines
    .filter((line) => line.perMillion)
    .reduce((sum, line) => sum + line.variable(1e6), 0);
  rows.push([
    'Total',
    ...(usage ? [''] : []),
    dollars(idle),
    dollars(perMillion),
    ...volumes.map((n) => dollars(totalAt(estimate, n))),
  ]);
  return [header, ...rows];
}

/** The log bytes of one delivery, in words. */
export function logBytesLine(estimate: CostEstimate): string {
  const b = estimate.logBytes;
  return `Logged per delivery: ${b.total} B = handler ${b.handler} B + Lambda runtime ${b.platform} B + API access log ${b.accessLog} B + API execution log ${b.executionLog} B.`;
}

/** The table aligned in columns, for a terminal, then what each service counts. */
export function renderText(estimate: CostEstimate, volumes: readonly number[]): string[] {
  const table = costTable(estimate, volumes, false);
  const widths = (table[0] as string[]).map((_, column) =>
    Math.max(...table.map((row) => (row[column] ?? '').length)),
  );
  const numeric = (column: number) => column >= 1;
  const serviceWidth = Math.max(...estimate.lines.map((line) => line.service.length));
  const lines = table.map((row) =>
    row
      .map((cell, column) =>
        numeric(column)
          ? cell.padStart(widths[column] as number)
          : cell.padEnd(widths[column] as number),
      )
      .join('  ')
      .trimEnd(),
  );
  return [
    ...lines,
    '',
    'What is counted:',
    ...estimate.lines.map((line) => `  ${line.service.padEnd(serviceWidth)}  ${line.usage}`),
    '',
    logBytesLine(estimate),
    `Per million: what one million deliveries add (—: metered per time window, it stops growing once every window has traffic; ${RECEIVER_BILLED_MS} ms of Lambda a delivery).`,
    `Deliveries are assumed to arrive ${ARRIVALS}: what is metered per time window costs most then.`,
    ...estimate.notes,
  ];
}

/** The table in Markdown. */
export function renderMarkdown(estimate: CostEstimate, volumes: readonly number[]): string[] {
  const [header, ...rows] = costTable(estimate, volumes) as [string[], ...string[][]];
  const align = header.map((_, column) => (column >= 2 ? '--:' : '---'));
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    row(header),
    row(align),
    ...rows.map((cells) =>
      cells[0] === 'Total'
        ? row(cells.map((cell) => (cell === '' ? '' : `**${cell}**`)))
        : row(cells),
    ),
  ];
}
