/** `npm run fixture:write -- --out <dir> [--flat]`: writes the fixture corpus as text files under <dir>. */
import { EXIT_USAGE, parseCommandLine } from "@textcat/kit/args";
import { errorMessage } from "@textcat/kit/errors";
import { writeFixtureFolder } from "../data/fixture.js";

const USAGE = "usage: npm run fixture:write -- --out <dir> [--flat]";

async function main(args: string[]): Promise<number> {
  let dir: string;
  let flat: boolean;
  try {
    const values = parseCommandLine(
      args,
      { out: { type: "string" }, flat: { type: "boolean", default: false } },
      USAGE,
    );
    if (!values.out) throw new Error(`--out <dir> is required (${USAGE})`);
    ({ out: dir, flat } = values);
  } catch (error) {
    console.error(`error: ${errorMessage(error)}`);
    return EXIT_USAGE;
  }
  try {
    const count = await writeFixtureFolder(dir, flat ? "flat" : "split");
    console.error(
      `wrote ${count} fixture documents to ${dir} (${flat ? "<label>/" : "fixture-train|test/<label>/"})`,
    );
    return 0;
  } catch (error) {
    console.error(`error: ${errorMessage(error)}`);
    return EXIT_USAGE;
  }
}

process.exitCode = await main(process.argv.slice(2));
