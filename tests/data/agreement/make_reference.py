"""Reference agreement values for tests/agreement (run: python3 make_reference.py).

Codings are generated here (seeded; CC0, written for Marginalia's tests) as per-token
labels of two and of three analysts, plus the Fleiss (1971)-style example table from
Wikipedia's "Fleiss' kappa" article (10 subjects, 14 raters, 5 categories) spread over
raters. The expected values come from published implementations:

- Cohen's kappa: NLTK 3 `nltk.metrics.agreement.AnnotationTask.kappa_pairwise`
- Krippendorff's alpha (nominal): NLTK `AnnotationTask.alpha` (binary distance) and the
  `krippendorff` package (`level_of_measurement="nominal"`), which must agree
- Fleiss' kappa: statsmodels `statsmodels.stats.inter_rater.fleiss_kappa`
"""
import json
import random

import krippendorff
import nltk
import numpy as np
from nltk.metrics.agreement import AnnotationTask
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa


def generated(coders, units, categories, agree, seed):
    rng = random.Random(seed)
    truth = [rng.choices(range(categories), weights=[6] + [1] * (categories - 1))[0]
             for _ in range(units)]
    return [[t if rng.random() < agree else rng.randrange(categories) for t in truth]
            for _ in range(coders)]


def wikipedia_fleiss():
    # Subjects x categories: how many of 14 raters put the subject in each category.
    table = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]
    coders = [[] for _ in range(14)]
    for row in table:
        values = [k for k, count in enumerate(row) for _ in range(count)]
        for rater, value in enumerate(values):
            coders[rater].append(value)
    return coders


def reference(values):
    task = AnnotationTask(data=[(str(c), str(u), str(v))
                                for c, coder in enumerate(values)
                                for u, v in enumerate(coder)])
    alpha_nltk = task.alpha()
    alpha_k = krippendorff.alpha(reliability_data=np.array(values),
                                 level_of_measurement="nominal")
    assert abs(alpha_nltk - alpha_k) < 1e-9, (alpha_nltk, alpha_k)
    out = {"values": values, "krippendorff_alpha": alpha_k}
    if len(values) == 2:
        out["cohen_kappa"] = task.kappa_pairwise("0", "1")
    if len(values) >= 3:
        table, _ = aggregate_raters(np.array(values).T)
        out["fleiss_kappa"] = fleiss_kappa(table, method="fleiss")
        out["pairs"] = {f"{i}-{j}": task.kappa_pairwise(str(i), str(j))
                        for i in range(len(values)) for j in range(i + 1, len(values))}
    return out


cases = {
    "two_analysts_400_tokens": reference(generated(2, 400, 5, 0.8, 1)),
    "three_analysts_600_tokens": reference(generated(3, 600, 4, 0.7, 2)),
    "wikipedia_fleiss_example": reference(wikipedia_fleiss()),
}
cases["_versions"] = {"nltk": nltk.__version__, "krippendorff": krippendorff.__version__
                      if hasattr(krippendorff, "__version__") else "unknown"}
with open("reference.json", "w") as f:
    json.dump(cases, f, indent=1)
