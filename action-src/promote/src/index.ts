import * as core from "@actions/core";
import { IS_POST_STATE } from "./canary-guard.js";
import { run } from "./main.js";
import { post } from "./post.js";

// One bundle for both entries of action.yml (runs.main and runs.post): the post step is told apart by
// the state main saved, which the runner hands it as STATE_isPost.
if (core.getState(IS_POST_STATE) === "true") {
  void post();
} else {
  core.saveState(IS_POST_STATE, "true");
  void run();
}
