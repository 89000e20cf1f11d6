import { describe, expect, it } from "vitest";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { cellColor, renderConfusionMatrixSvg } from "../../src/evaluate/confusion-svg.js";

const LABELS = ["alt.atheism", "comp.graphics", 'sci.<crypt> & "co"'];
const MATRIX = [
  [8, 1, 1],
  [0, 10, 0],
  [0, 0, 0],
];

function parse(svg: string) {
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(svg) as {
    svg: {
      xmlns: string;
      rect: { class?: string; fill: string; title?: string }[];
      text: (string | { "#text": string | number })[];
    };
  };
}

describe("renderConfusionMatrixSvg", () => {
  const svg = renderConfusionMatrixSvg(MATRIX, LABELS);

  it("is well-formed XML in the SVG namespace", () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(parse(svg).svg.xmlns).toBe("http://www.w3.org/2000/svg");
  });

  it("draws one heat-mapped cell per label pair", () => {
    const cells = parse(svg).svg.rect.filter((r) => r.class === "cell");
    expect(cells).toHaveLength(LABELS.length ** 2);
    expect(cells[0]!.fill).toBe(cellColor(0.8));
    expect(cells[4]!.fill).toBe(cellColor(1));
    expect(cells[8]!.fill).toBe(cellColor(0));
  });

  it("writes the non-zero counts, escaped labels on both axes and the axis titles", () => {
    const texts = parse(svg).svg.text.map((t) => String(typeof t === "object" ? t["#text"] : t));
    expect(texts.filter((t) => /^\d+$/.test(t)).sort()).toEqual(["1", "1", "10", "8"]);
    expect(texts.filter((t) => t === 'sci.<crypt> & "co"')).toHaveLength(2);
    expect(texts).toContain("Predicted label");
    expect(texts).toContain("True label");
  });

  it("shades from white for 0 to dark for a whole row", () => {
    expect(cellColor(0)).toBe("rgb(247,251,255)");
    expect(cellColor(1)).toBe("rgb(8,48,107)");
  });
});
