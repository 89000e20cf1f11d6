"""scikit-learn's serving figures on the same documents as bench:service, measured in the same run.

Extends ../shared/tools/sklearn_reference.py (the seed's pipeline: TfidfVectorizer(min_df=30, 1-2-grams,
sublinear_tf) + logistic regression) with what the service bench compares: a warm single predict p50, the
test documents in batches of 100, and a cold load (a fresh interpreter importing scikit-learn and loading
the joblib), each with wall and CPU time. The cross-validated C search (~6 min) is replaced by one fit at
the C it chose (166.8), which changes the weights, not the work a prediction does; the fitted pipeline is
cached under --cache (keyed by the archive, the pipeline's parameters and scikit-learn's version), and
every time is measured afresh.

It answers bench:service one measurement at a time, so the bench can alternate slices of its passes with
the same slices here and a change of load during the run weighs on both alike: after loading (and warming)
the pipeline it prints {"ready": true, ...}, then for each line read on stdin prints one JSON line:
  single [i j]  the first 500 documents (or those from i to j) predicted one at a time, after 5 untimed:
                {"ms": [...], "cpuMs": [...]}
  batch [i j]   all documents in batches of 100 (or batches i to j), after the first untimed:
                {"documents", "seconds", "cpuSeconds"}
  cold          one fresh interpreter importing scikit-learn and loading the pipeline: {"ms", "cpuMs"}

Usage: python3 sklearn_serving.py --archive 20news-bydate.tar.gz --docs docs.json --cache DIR
docs.json: {"test": [text, ...]} - the documents bench:service sends, in its order.
"""
import argparse, hashlib, json, os, statistics, subprocess, sys, tarfile, time

REFERENCE_C = 166.8
# Requests run untimed before each slice of single requests (one batch before a slice of batches), as
# bench:service does on its side: the other side just ran, and the caches hold its data.
WARM_UP = 5
# What the cached fit depends on besides the archive (the measuring code may change without a refit).
VECTORIZER = {"min_df": 30, "ngram_range": (1, 2), "sublinear_tf": True}
CLASSIFIER = {"C": REFERENCE_C, "max_iter": 100}


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

    import sklearn

    key = hashlib.sha256()
    with open(archive, "rb") as f:
        key.update(f.read())
    key.update(json.dumps([VECTORIZER, CLASSIFIER, sklearn.__version__]).encode())
    path = os.path.join(cache, f"sklearn-{key.hexdigest()[:16]}.joblib")
    if os.path.exists(path):
        return path, None
    texts, labels = load_train(archive)
    model = make_pipeline(
        TfidfVectorizer(**VECTORIZER),
        LogisticRegression(**CLASSIFIER),
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


def single_pass(model, singles):
    walls, cpus = [], []
    for doc in singles:
        t0, c0 = time.perf_counter(), time.process_time()
        model.predict([doc])
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    return {"ms": walls, "cpuMs": cpus}


def batch_pass(model, batches):
    wall, cpu = 0.0, 0.0
    for batch in batches:
        t0, c0 = time.perf_counter(), time.process_time()
        model.predict(batch)
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
    return {"documents": sum(len(batch) for batch in batches), "seconds": wall, "cpuSeconds": cpu}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--archive", required=True)
    parser.add_argument("--docs", required=True)
    parser.add_argument("--cache", required=True)
    args = parser.parse_args()
    import joblib
    import sklearn

    with open(args.docs, encoding="utf-8") as f:
        docs = json.load(f)["test"]
    path, fit_s = fitted_model(args.archive, args.cache)
    model = joblib.load(path)
    singles = docs[:500]
    batches = [docs[i : i + 100] for i in range(0, len(docs), 100)]
    for doc in singles[:100]:
        model.predict([doc])
    model.predict(batches[0])

    def reply(value):
        sys.stdout.write(json.dumps(value) + "\n")
        sys.stdout.flush()

    reply({
        "ready": True,
        "sklearnVersion": sklearn.__version__,
        "python": sys.version.split()[0],
        "fitSeconds": None if fit_s is None else round(fit_s, 1),
        "modelBytes": os.path.getsize(path),
        "documents": len(docs),
    })
    for line in sys.stdin:
        command, *bounds = line.split()
        part = slice(*map(int, bounds)) if len(bounds) == 2 else slice(None)
        if command == "single":
            for doc in singles[part][:WARM_UP]:
                model.predict([doc])
            reply(single_pass(model, singles[part]))
        elif command == "batch":
            model.predict(batches[part][0])
            reply(batch_pass(model, batches[part]))
        elif command == "cold":
            wall, cpu = cold_loads(path, 1)
            reply({"ms": wall, "cpuMs": cpu})
        else:
            reply({"error": f"unknown command {command!r}"})


if __name__ == "__main__":
    main()
