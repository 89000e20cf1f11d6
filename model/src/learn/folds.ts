/**
 * scikit-learn's StratifiedKFold(n_splits, shuffle=False): classes are numbered in order of first
 * appearance; each class's samples, in data order, go to the folds in contiguous blocks whose sizes
 * come from dealing the class-sorted labels round-robin over the folds.
 * Returns the test fold of each sample.
 */
export function stratifiedFolds(y: Int32Array, folds: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2)
    throw new RangeError(`folds must be an integer >= 2, got ${folds}`);
  if (folds > y.length) throw new RangeError(`cannot split ${y.length} samples into ${folds} folds`);
  const appearanceOf = new Map<number, number>();
  const encoded = new Int32Array(y.length);
  y.forEach((label, i) => {
    let code = appearanceOf.get(label);
    if (code === undefined) {
      code = appearanceOf.size;
      appearanceOf.set(label, code);
    }
    encoded[i] = code;
  });
  const classes = appearanceOf.size;
  const classCounts = new Int32Array(classes);
  for (const code of encoded) classCounts[code]!++;
  // allocation[f][k]: samples of class k in test fold f, dealing the sorted labels round-robin.
  const allocation = Array.from({ length: folds }, () => new Int32Array(classes));
  let position = 0;
  for (let k = 0; k < classes; k++) {
    for (let n = 0; n < classCounts[k]!; n++, position++) allocation[position % folds]![k]!++;
  }
  const testFold = new Int32Array(y.length);
  const fold = new Int32Array(classes);
  const usedInFold = new Int32Array(classes);
  for (let i = 0; i < y.length; i++) {
    const k = encoded[i]!;
    while (usedInFold[k]! >= allocation[fold[k]!]![k]!) {
      fold[k]!++;
      usedInFold[k] = 0;
    }
    testFold[i] = fold[k]!;
    usedInFold[k]!++;
  }
  return testFold;
}

/** The training and test row indices of fold `fold`. */
export function splitRows(testFold: Int32Array, fold: number): { train: Int32Array; test: Int32Array } {
  let testCount = 0;
  for (const f of testFold) if (f === fold) testCount++;
  const train = new Int32Array(testFold.length - testCount);
  const test = new Int32Array(testCount);
  let t = 0;
  let v = 0;
  testFold.forEach((f, row) => {
    if (f === fold) test[v++] = row;
    else train[t++] = row;
  });
  return { train, test };
}
