export { loadCorpus, FIXTURE_SPEC, type LoadCorpusOptions } from "./load-corpus.js";
export { DataError, DownloadError } from "./errors.js";
export { fixtureCorpus, writeFixtureFolder } from "./fixture.js";
export { CANONICAL_ARCHIVE, ensureCanonicalArchive, type EnsureArchiveOptions } from "./download.js";
export { defaultCacheDir } from "./cache-dir.js";
export { stratifiedSplit, DEFAULT_TEST_FRACTION } from "./split.js";
export type { TextEncoding } from "./decode.js";
