import { formatNumber, useWords } from './i18n';
import { REPORTS } from './messages/reports';

/** One bar: a count or a time, or null when the report suppressed it (a small count is never drawn as 0). */
export interface Bar {
  readonly label: string;
  readonly value: number | null;
}

/** The drawing's own units (it scales to the screen's width): a row is the label above its bar. */
const WIDTH = 320;
const ROW = 40;
const VALUE_ROOM = 70;

/**
 * A horizontal bar chart drawn as plain SVG (no chart library: the first screen stays small), with
 * the same numbers in a table beside it: the table is what screen readers and keyboards use, the
 * chart is hidden from them. A suppressed bar is drawn hatched across, marked "suppressed".
 */
export function BarChart({ id, title, valueHeading, bars }: { id: string; title: string; valueHeading: string; bars: readonly Bar[] }) {
  const words = useWords(REPORTS);
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const text = (value: number | null) => (value === null ? words.suppressed : formatNumber(value));
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      {bars.length === 0 ? (
        <p>{words.noData}</p>
      ) : (
        <div class="chart-pair">
          <svg viewBox={`0 0 ${WIDTH} ${bars.length * ROW}`} width="100%" aria-hidden="true" data-chart={id}>
            {bars.map((bar, i) => {
              const room = WIDTH - VALUE_ROOM;
              const width = bar.value === null ? room : Math.max(1, (bar.value / max) * room);
              return (
                <g key={bar.label} data-label={bar.label} data-value={bar.value === null ? 'suppressed' : String(bar.value)}>
                  <text x={0} y={i * ROW + 13} class="bar-label">
                    {bar.label}
                  </text>
                  <rect x={0} y={i * ROW + 18} width={width} height={16} class={bar.value === null ? 'bar bar-suppressed' : 'bar'} />
                  <text x={width + 4} y={i * ROW + 31} class="bar-value">
                    {bar.value === null ? '' : text(bar.value)}
                  </text>
                  {bar.value === null && (
                    <text x={4} y={i * ROW + 31} class="bar-value">
                      {words.suppressed}
                    </text>
                  )}
                </g>
              );
            })}
          </svg>
          <table>
            <thead>
              <tr>
                <th scope="col">{words.row}</th>
                <th scope="col">{valueHeading}</th>
              </tr>
            </thead>
            <tbody>
              {bars.map((bar) => (
                <tr key={bar.label} data-label={bar.label}>
                  <th scope="row">{bar.label}</th>
                  <td class={bar.value === null ? 'suppressed' : undefined}>{text(bar.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
}
