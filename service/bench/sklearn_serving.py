"""scikit-learn's serving figures on the same documents as bench:service, measured in the same run.

Extends ../shared/tools/sklearn_reference.py (the seed's pipeline: TfidfVectorizer(min_df=30, 1-2-grams,
sublinear_tf) + logistic regression) with what the service bench compares: a warm single predict p50, the
test documents in batches of 100, and a cold load (a fresh interpreter importing scikit-learn and loading
the joblib), each with wall and CPU time. The cross-validated C search (~6 min) is replaced by one fit at
the C it chose (166.8), which changes the weights, not the work a prediction does; the fitted pipeline is
cached under --cache (keyed by the archive and this file), and every time is measured afresh.

Usage: python3 sklearn_serving.py --archive 20news-bydate.tar.gz --docs docs.json --cache DIR [--loads N]
docs.json: {"test": [text, ...]} - the documents bench:service sends, in its order.
Prints one JSON line.
"""
import argparse, hashlib, json, os, statistics, subprocess, sys, tarfile, time

REFERENCE_C = 166.8


def load_train(path):
    texts, labels = [], []
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            top, label, _ = member.name.split("/", 2)
            if top.endswith("train"):
                texts.append(tar.extractfile(member).read().decode("latin-1"))
                labels.append(label)
    return texts, labels


def fitted_model(archive, cache):
    import joblib
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    key = hashlib.sha256()
    with open(archive, "rb") as f:
        key.update(f.read())
    with open(__file__, "rb") as f:
        key.update(f.read())
    path = os.path.join(cache, f"sklearn-{key.hexdigest()[:16]}.joblib")
    if os.path.exists(path):
        return path, None
    texts, labels = load_train(archive)
    model = make_pipeline(
        TfidfVectorizer(min_df=30, ngram_range=(1, 2), sublinear_tf=True),
        LogisticRegression(C=REFERENCE_C, max_iter=100),
    )
    started = time.perf_counter()
    model.fit(texts, labels)
    fit_s = time.perf_counter() - started
    os.makedirs(cache, exist_ok=True)
    joblib.dump(model, path)
    return path, fit_s


COLD = """
import time
t0, c0 = time.perf_counter(), time.process_time()
import joblib, sklearn.pipeline, sklearn.feature_extraction.text, sklearn.linear_model
model = joblib.load({path!r})
model.predict(["warm"])
print("COLD %f %f" % ((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
"""


def cold_loads(path, runs):
    walls, cpus = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", COLD.format(path=path)], capture_output=True, text=True, check=True)
        line = next(l for l in out.stdout.splitlines() if l.startswith("COLD "))
        _, wall, cpu = line.split()
        walls.append(float(wall))
        cpus.append(float(cpu))
    return statistics.median(walls), statistics.median(cpus)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--archive", required=True)
    parser.add_argument("--docs", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--loads", type=int, default=3)
    args = parser.parse_args()
    import joblib
    import sklearn

    with open(args.docs, encoding="utf-8") as f:
        docs = json.load(f)["test"]
    path, fit_s = fitted_model(args.archive, args.cache)
    model = joblib.load(path)

    singles = docs[:500]
    for doc in singles[:100]:
        model.predict([doc])
    single_ms, single_cpu_ms = [], []
    for _ in range(4):
        for doc in singles:
            t0, c0 = time.perf_counter(), time.process_time()
            model.predict([doc])
            single_ms.append((time.perf_counter() - t0) * 1000)
            single_cpu_ms.append((time.process_time() - c0) * 1000)

    batches = [docs[i : i + 100] for i in range(0, len(docs), 100)]
    model.predict(batches[0])
    batch_s, batch_cpu_s = 0.0, 0.0
    for _ in range(2):
        for batch in batches:
            t0, c0 = time.perf_counter(), time.process_time()
            model.predict(batch)
            batch_s += time.perf_counter() - t0
            batch_cpu_s += time.process_time() - c0
    cold_ms, cold_cpu_ms = cold_loads(path, args.loads)
    print(json.dumps({
        "sklearnVersion": sklearn.__version__,
        "python": sys.version.split()[0],
        "fitSeconds": None if fit_s is None else round(fit_s, 1),
        "modelBytes": os.path.getsize(path),
        "documents": len(docs),
        "singleP50Ms": round(statistics.median(single_ms), 4),
        "singleCpuP50Ms": round(statistics.median(single_cpu_ms), 4),
        "singleRequests": len(single_ms),
        "batchDocsPerSecond": round(2 * len(docs) / batch_s),
        "batchDocsPerCpuSecond": round(2 * len(docs) / batch_cpu_s),
        "coldLoadMs": round(cold_ms, 1),
        "coldLoadCpuMs": round(cold_cpu_ms, 1),
    }))


if __name__ == "__main__":
    main()
