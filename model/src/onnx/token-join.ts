/**
 * Tokenizes a batch in one Tokenizer call. onnxruntime's Tokenizer pads a batch to its longest text
 * (on real posts the pads outnumber the tokens ten to one), and a Loop over rows runs a dozen nodes per
 * row (0.8 of 11 ms per batch of 100 test posts). So the rows are joined into one text, each followed
 * by a separator token that no lower-cased text can hold (it is upper case), and one Tokenizer call
 * reads them all; the separators give each token its row.
 *
 * Token ids: the vocabulary's tokens 0..K-1, anything else K. Separators also become K: an unknown
 * token breaks n-grams, so no n-gram crosses from one row into the next.
 */
import { TOKEN_PATTERN } from "../types.js";
import { DataType, int64Tensor, ML_DOMAIN, node, stringTensor } from "./proto.js";
import type { NodeProto, TensorProto } from "./proto.js";

/** Ends every row. Upper case, so never a token of a lower-cased text; spaced, so always its own. */
export const ROW_SEPARATOR = "ROWEND";
/** Pads the texts of a batch over ROWS_PER_TEXT rows; no token of the pattern, so an unknown one. */
const PAD_TOKEN = "#";
/**
 * The rows are joined pairwise in this many rounds, so up to 2^7 rows become one text. A larger batch
 * becomes one text per 128 rows, which the Tokenizer pads to the longest: still right (a pad is an
 * unknown token), only slower. The service's batch limit is 100 (service/src/limits.ts).
 */
const JOIN_ROUNDS = 7;
const ROWS_PER_TEXT = 2 ** JOIN_ROUNDS;

export interface TokenJoinNames {
  /** [N] lower-cased texts. */
  texts: string;
  /** [T] int64 token ids of all rows, row after row, separators included. */
  ids: string;
  /** [T] int64 row of each id. */
  rows: string;
}

/** Nodes joining [m·2] texts pairwise in order into [m] (`from` is [m·2] or [m·2, 1]). */
function joinRound(from: string, to: string): NodeProto[] {
  return [
    node("Reshape", [from, "join_pairs_shape"], [`${to}_pairs`]),
    node("Split", [`${to}_pairs`, "join_split"], [`${to}_left`, `${to}_right`], { axis: 1 }),
    node("StringConcat", [`${to}_left`, `${to}_right`], [to]),
  ];
}

/**
 * Also reads the graph's shared int64 initializers start_0 [0], flat_shape [-1] and axis_0_scalar 0
 * (sparse-graph.ts).
 */
export function tokenJoinNodes(
  names: TokenJoinNames,
  tokens: readonly string[],
): { nodes: NodeProto[]; initializers: TensorProto[] } {
  const unknown = tokens.length;
  const separator = unknown + 1;
  const rounds = Array.from({ length: JOIN_ROUNDS }, (_, i) =>
    joinRound(i === 0 ? "join_padded" : `join_round_${i}`, `join_round_${i + 1}`),
  ).flat();
  const nodes = [
    node("StringConcat", [names.texts, "join_row_end"], ["join_rows_ended"]),
    // pad with empty texts to a multiple of ROWS_PER_TEXT: ONNX Mod on integers takes the divisor's sign
    node("Shape", ["join_rows_ended"], ["join_row_count"]),
    node("Neg", ["join_row_count"], ["join_minus_rows"]),
    node("Mod", ["join_minus_rows", "join_rows_per_text"], ["join_pad_count"]),
    node("Slice", ["join_empty_texts", "start_0", "join_pad_count"], ["join_pad"]),
    node("Concat", ["join_rows_ended", "join_pad"], ["join_padded"], { axis: 0 }),
    ...rounds,
    node("Reshape", [`join_round_${JOIN_ROUNDS}`, "flat_shape"], ["join_joined"]),
    node(
      "Tokenizer",
      ["join_joined"],
      ["join_tokens"],
      { mark: 0, mincharnum: 1, pad_value: PAD_TOKEN, tokenexp: TOKEN_PATTERN },
      "com.microsoft",
    ),
    node(
      "LabelEncoder",
      ["join_tokens"],
      ["join_token_ids_2d"],
      {
        keys_strings: [...tokens, ROW_SEPARATOR],
        values_int64s: [...tokens.map((_, i) => i), separator],
        default_int64: unknown,
      },
      ML_DOMAIN,
    ),
    node("Reshape", ["join_token_ids_2d", "flat_shape"], ["join_token_ids"]),
    node("Equal", ["join_token_ids", "join_separator"], ["join_is_separator"]),
    node("Cast", ["join_is_separator"], ["join_separator_count"], { to: DataType.INT64 }),
    node("CumSum", ["join_separator_count", "axis_0_scalar"], [names.rows]),
    node("Min", ["join_token_ids", "join_unknown"], [names.ids]),
  ];
  const initializers = [
    stringTensor("join_row_end", [` ${ROW_SEPARATOR} `]),
    stringTensor("join_empty_texts", new Array<string>(ROWS_PER_TEXT - 1).fill("")),
    int64Tensor("join_rows_per_text", [1], [ROWS_PER_TEXT]),
    int64Tensor("join_pairs_shape", [2], [-1, 2]),
    int64Tensor("join_split", [2], [1, 1]),
    int64Tensor("join_separator", [], [separator]),
    int64Tensor("join_unknown", [], [unknown]),
  ];
  return { nodes, initializers };
}
