import { homedir } from "node:os";
import { join } from "node:path";

/** TEXTCAT_CACHE_DIR, else $XDG_CACHE_HOME/textcat-lambda, else ~/.cache/textcat-lambda. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.TEXTCAT_CACHE_DIR) return env.TEXTCAT_CACHE_DIR;
  const cacheHome = env.XDG_CACHE_HOME || join(home, ".cache");
  return join(cacheHome, "textcat-lambda");
}
