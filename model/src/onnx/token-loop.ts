/**
 * Tokenizes one text per Loop iteration. onnxruntime's Tokenizer pads a batch to its longest text, and
 * on real posts the pads outnumber the tokens ten to one; every lookup after it paid for them. One row
 * at a time nothing is padded: the Loop collects each row's token ids (and its row number per id) and
 * hands on one list of ids in row order.
 *
 * Token ids: the vocabulary's tokens 0..K-1, anything else K (kept: an unknown token breaks n-grams).
 */
import { TOKEN_PATTERN } from "../types.js";
import { int64SequenceInfo, ML_DOMAIN, node, type GraphProto, type NodeProto, valueInfo } from "./proto.js";

/** Required by the Tokenizer; a single row is never padded, so it never appears. */
const PAD_TOKEN = "#";

export interface TokenLoopNames {
  /** [N] lower-cased texts. */
  texts: string;
  /** [1] int64 holding N. */
  batchSize: string;
  /** [T] int64 token ids of all rows, row after row. */
  ids: string;
  /** [T] int64 row of each id. */
  rows: string;
}

/** Names of shared initializers the loop reads: [1] int64 0, [1] int64 -1, scalar bool true. */
export const TOKEN_LOOP_CONSTANTS = { axis0: "axis_0", flatShape: "flat_shape", keepGoing: "true" } as const;

function rowBody(texts: string, tokens: readonly string[]): GraphProto {
  const { axis0, flatShape } = TOKEN_LOOP_CONSTANTS;
  return {
    name: "tokenize_row",
    input: [
      valueInfo("row_index", "int64", []),
      valueInfo("row_keep_going_in", "bool", []),
      int64SequenceInfo("row_ids_so_far"),
      int64SequenceInfo("row_rows_so_far"),
    ],
    output: [
      valueInfo("row_keep_going", "bool", []),
      int64SequenceInfo("row_ids_with_this"),
      int64SequenceInfo("row_rows_with_this"),
    ],
    node: [
      node("Identity", ["row_keep_going_in"], ["row_keep_going"]),
      node("Unsqueeze", ["row_index", axis0], ["row_index_1d"]),
      node("Gather", [texts, "row_index_1d"], ["row_text"], { axis: 0 }),
      node(
        "Tokenizer",
        ["row_text"],
        ["row_tokens"],
        { mark: 0, mincharnum: 1, pad_value: PAD_TOKEN, tokenexp: TOKEN_PATTERN },
        "com.microsoft",
      ),
      node(
        "LabelEncoder",
        ["row_tokens"],
        ["row_token_ids"],
        { keys_strings: [...tokens], values_int64s: tokens.map((_, i) => i), default_int64: tokens.length },
        ML_DOMAIN,
      ),
      node("Reshape", ["row_token_ids", flatShape], ["row_ids"]),
      node("Shape", ["row_ids"], ["row_length"]),
      node("Expand", ["row_index", "row_length"], ["row_of_ids"]),
      node("SequenceInsert", ["row_ids_so_far", "row_ids"], ["row_ids_with_this"]),
      node("SequenceInsert", ["row_rows_so_far", "row_of_ids"], ["row_rows_with_this"]),
    ],
  };
}

export function tokenLoopNodes(names: TokenLoopNames, tokens: readonly string[]): NodeProto[] {
  const int64 = 7;
  return [
    node("Squeeze", [names.batchSize, TOKEN_LOOP_CONSTANTS.axis0], ["row_count"]),
    node("SequenceEmpty", [], ["no_ids"], { dtype: int64 }),
    node("SequenceEmpty", [], ["no_rows"], { dtype: int64 }),
    node(
      "Loop",
      ["row_count", TOKEN_LOOP_CONSTANTS.keepGoing, "no_ids", "no_rows"],
      ["ids_by_row", "rows_by_row"],
      {
        body: rowBody(names.texts, tokens),
      },
    ),
    node("ConcatFromSequence", ["ids_by_row"], [names.ids], { axis: 0 }),
    node("ConcatFromSequence", ["rows_by_row"], [names.rows], { axis: 0 }),
  ];
}
