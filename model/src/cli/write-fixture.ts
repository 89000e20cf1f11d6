/** `npm run fixture:write -- <dir> [--flat]`: writes the fixture corpus as text files under <dir>. */
import { errorMessage } from "../data/errors.js";
import { writeFixtureFolder } from "../data/fixture.js";

const USAGE = "usage: npm run fixture:write -- <dir> [--flat]";

async function main(args: string[]): Promise<number> {
  const flat = args.includes("--flat");
  const positional = args.filter((arg) => arg !== "--flat");
  if (positional.length !== 1 || positional[0]!.startsWith("-")) {
    console.error(USAGE);
    return 2;
  }
  const dir = positional[0]!;
  try {
    const count = await writeFixtureFolder(dir, flat ? "flat" : "split");
    console.error(
      `wrote ${count} fixture documents to ${dir} (${flat ? "<label>/" : "fixture-train|test/<label>/"})`,
    );
    return 0;
  } catch (error) {
    console.error(`error: ${errorMessage(error)}`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
