/**
 * Renders a confusion matrix as a self-contained SVG (no scripts, fonts or external references), so
 * GitHub and browsers show it inline. Cells are shaded by the row share (the recall of that true label),
 * on a square-root scale so that small confusions stay visible next to a dark diagonal.
 */

const CELL = 34;
const FONT_SIZE = 11;
/** Rough width of a character at FONT_SIZE in a sans-serif font, for sizing the margins. */
const CHAR_WIDTH = 6.6;
const PADDING = 12;
const TITLE_HEIGHT = 44;
const AXIS_TITLE = 22;
const COLUMN_LABEL_ANGLE = 60;

const XML_ENTITIES: Record<string, string> = {
  "<": "&lt;",
  ">": "&gt;",
  "&": "&amp;",
  '"': "&quot;",
  "'": "&apos;",
};

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => XML_ENTITIES[c]!);
}

/** White → dark blue; `share` in [0, 1], square-root scaled. */
export function cellColor(share: number): string {
  const from = [247, 251, 255];
  const to = [8, 48, 107];
  const channel = (i: number) =>
    Math.round(from[i]! + (to[i]! - from[i]!) * Math.sqrt(Math.min(1, Math.max(0, share))));
  return `rgb(${channel(0)},${channel(1)},${channel(2)})`;
}

function format(value: number): string {
  return Number(value.toFixed(2)).toString();
}

export function renderConfusionMatrixSvg(
  matrix: readonly (readonly number[])[],
  labels: readonly string[],
  title = "Confusion matrix",
): string {
  const n = labels.length;
  const longest = Math.max(...labels.map((l) => l.length)) * CHAR_WIDTH;
  const left = PADDING + AXIS_TITLE + longest + 8;
  const top = TITLE_HEIGHT + PADDING + longest * Math.sin((COLUMN_LABEL_ANGLE * Math.PI) / 180) + 8;
  const width = left + n * CELL + PADDING + longest * Math.cos((COLUMN_LABEL_ANGLE * Math.PI) / 180);
  const height = top + n * CELL + PADDING + AXIS_TITLE;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${format(width)}" height="${format(height)}" viewBox="0 0 ${format(width)} ${format(height)}" font-family="Helvetica, Arial, sans-serif" font-size="${FONT_SIZE}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${PADDING}" y="${PADDING + 12}" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${PADDING}" y="${PADDING + 28}" fill="#57606a">Rows: true label. Columns: predicted label. Shade: share of the row.</text>`,
  );
  labels.forEach((label, i) => {
    const y = top + i * CELL + CELL / 2 + FONT_SIZE / 3;
    parts.push(`<text x="${format(left - 6)}" y="${format(y)}" text-anchor="end">${escapeXml(label)}</text>`);
    const x = left + i * CELL + CELL / 2;
    parts.push(
      `<text x="${format(x)}" y="${format(top - 6)}" transform="rotate(-${COLUMN_LABEL_ANGLE} ${format(x)} ${format(top - 6)})">${escapeXml(label)}</text>`,
    );
  });
  matrix.forEach((row, t) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    row.forEach((count, p) => {
      const share = rowTotal === 0 ? 0 : count / rowTotal;
      const x = left + p * CELL;
      const y = top + t * CELL;
      const tooltip = `true ${labels[t]} → predicted ${labels[p]}: ${count} (${(share * 100).toFixed(1)}% of row)`;
      parts.push(
        `<rect class="cell" x="${format(x)}" y="${format(y)}" width="${CELL}" height="${CELL}" fill="${cellColor(share)}" stroke="#d0d7de" stroke-width="0.5"><title>${escapeXml(tooltip)}</title></rect>`,
      );
      if (count > 0) {
        const textColor = share > 0.3 ? "#ffffff" : "#1f2328";
        parts.push(
          `<text x="${format(x + CELL / 2)}" y="${format(y + CELL / 2 + FONT_SIZE / 3)}" text-anchor="middle" fill="${textColor}" font-size="${count >= 1000 ? 9 : 10}">${count}</text>`,
        );
      }
    });
  });
  const gridCenterX = left + (n * CELL) / 2;
  const gridCenterY = top + (n * CELL) / 2;
  parts.push(
    `<text x="${format(gridCenterX)}" y="${format(top + n * CELL + AXIS_TITLE)}" text-anchor="middle" font-weight="bold">Predicted label</text>`,
    `<text x="${PADDING + 12}" y="${format(gridCenterY)}" text-anchor="middle" font-weight="bold" transform="rotate(-90 ${PADDING + 12} ${format(gridCenterY)})">True label</text>`,
    `</svg>`,
  );
  return parts.join("\n") + "\n";
}
