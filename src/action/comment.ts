/**
 * Pull request comments and drift issues: their hidden markers, and keeping a body under GitHub's limit
 * of 65,536 characters by dropping per-endpoint details (the least important last: the plan lists
 * blocked and replaced changes first) while the summary and the table stay.
 */

/** GitHub refuses comment and issue bodies longer than this. */
export const GITHUB_BODY_LIMIT = 65_536;
/** What the Action aims under, leaving room for GitHub's own counting (it counts code points). */
export const BODY_BUDGET = 65_000;

/** A cluster name as it may appear inside an HTML comment. */
function markerName(cluster: string): string {
  return cluster.replace(/[^A-Za-z0-9_.\-/]/g, '_');
}

export function planMarker(cluster: string): string {
  return `<!-- inferctl:plan cluster=${markerName(cluster)} -->`;
}

export function driftMarker(cluster: string): string {
  return `<!-- inferctl:drift cluster=${markerName(cluster)} -->`;
}

export interface FitOptions {
  /** Said where details were dropped: where the full plan is. */
  readonly notice: (omitted: number) => string;
  readonly budget?: number;
}

/**
 * `head + markdown + foot`, within the budget. The markdown's `<details>` blocks are kept in order as
 * long as they fit; the rest are replaced by the notice. When even the part before the details does not
 * fit (thousands of changes), its table is cut row by row too.
 */
export function fitBody(head: string, markdown: string, foot: string, options: FitOptions): string {
  const budget = options.budget ?? BODY_BUDGET;
  const whole = head + markdown + foot;
  if (whole.length <= budget) return whole;

  const first = markdown.indexOf('<details>');
  const last = markdown.lastIndexOf('</details>');
  const before = first >= 0 ? markdown.slice(0, first) : markdown;
  const after = last >= 0 ? markdown.slice(last + '</details>'.length) : '';
  const blocks = first >= 0 ? splitDetails(markdown.slice(first, last + '</details>'.length)) : [];

  const noticeRoom = options.notice(blocks.length).length + 4;
  let room = budget - head.length - foot.length - after.length - noticeRoom;
  let top = before;
  if (top.length > room) top = cutTable(top, Math.max(0, room - 200));
  room -= top.length;
  const kept: string[] = [];
  for (const block of blocks) {
    if (block.length > room) break;
    kept.push(block);
    room -= block.length;
  }
  const omitted = blocks.length - kept.length;
  const notice = omitted > 0 || top !== before ? `\n> [!NOTE]\n> ${options.notice(omitted)}\n` : '';
  return head + top + kept.join('') + notice + after + foot;
}

/** `<details>…</details>` blocks with what follows each up to the next. */
function splitDetails(text: string): string[] {
  const blocks: string[] = [];
  let start = 0;
  for (;;) {
    const next = text.indexOf('<details>', start + 1);
    if (next < 0) {
      blocks.push(text.slice(start));
      return blocks;
    }
    blocks.push(text.slice(start, next));
    start = next;
  }
}

/** The text up to `room` characters, cut at a table row, saying how many rows were left out. */
function cutTable(text: string, room: number): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let length = 0;
  let dropped = 0;
  for (const line of lines) {
    if (dropped > 0 || length + line.length + 1 > room) {
      if (line.startsWith('|')) dropped++;
      continue;
    }
    out.push(line);
    length += line.length + 1;
  }
  if (dropped) out.push(`| | _… ${dropped} more rows in the job summary_ | | | |`, '');
  return out.join('\n');
}
