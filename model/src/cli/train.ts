/** Entry point of `npm run train`; see train-main.ts. */
import { main } from "./train-main.js";

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
