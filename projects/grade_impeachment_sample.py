# Second step after build_impeachment_sample.py: an analyst's work on some of the claims of
# projects/impeachment-hearings.ron, so that a newcomer sees graded claims, confirmed claim
# clusters (one of them contradicting itself: a stance and a "contradicts" relation) and
# the briefing's ClaimReview data. The clusters confirmed are four of those grouped by hand
# in tests/data/claims (K1, K6, K9, K10); the rest are left to the automatic grouping.
# Run from projects/ once; the file stays in the form the app writes.
import hashlib, re

project = "impeachment-hearings.ron"
VOLKER, SONDLAND, GRISHAM, WHITE_HOUSE = 1, 5, 13, 20
posts = 'Unnamed("viral social media posts")'
# claim text (its start) -> (claimant, stance, credibility, confidence, cluster)
graded = {
    "Volker said he had no knowledge of any efforts": (f"Entity({VOLKER})", "Denies", 3, "Moderate", "K1"),
    "At no time was I aware of or knowingly took part": (f"Entity({VOLKER})", "Denies", 3, "Moderate", "K1"),
    "The White House called the impeachment process a sham": (f"Entity({WHITE_HOUSE})", "Asserts", 4, "Moderate", "K6"),
    "We have learned nothing new in today\\'s illegitimate": (f"Entity({GRISHAM})", "Asserts", 4, "Moderate", "K6"),
    "the Democrats’ central allegation in this impeachment sham": (f"Entity({GRISHAM})", "Asserts", 5, "Moderate", "K6"),
    "Sondland said he had relayed to the Ukrainian": (f"Entity({SONDLAND})", "Asserts", 2, "Moderate", "K9"),
    "Ambassador Volker confirmed under oath that he had no indication": (f"Entity({VOLKER})", "Denies", 3, "Low", "K9"),
    "Yovanovitch’s net worth far exceeded her salary": (posts, "Asserts", 5, "High", "K10"),
    "the ambassador’s net worth far exceeded her salary": (posts, "Asserts", 5, "High", "K10"),
    "the claim that Yovanovitch has a net worth of $17 million": ("Publication", "Denies", 2, "High", "K10"),
}
# (from, kind, to) by the claims' starts.
relations = [("Ambassador Volker confirmed under oath", "contradicts", "Sondland said he had relayed")]

src = open(project, encoding="utf-8").read()
line_re = re.compile(r'^        \(id: (\d+), doc: \d+, label: "claim", span: \(\d+, \d+\), text: "(.*?)", prefix:', re.M)
ids = {}
for m in line_re.finditer(src):
    for start in graded:
        if m.group(2).startswith(start):
            ids[start] = int(m.group(1))
missing = [s for s in graded if s not in ids]
assert not missing, missing
members = {}
for start, (_, _, _, _, cluster) in graded.items():
    members.setdefault(cluster, []).append(ids[start])


def cluster_id(ids):
    """ClusterId::of_members: the first 48 bits of the SHA-256 of the sorted ids."""
    digest = hashlib.sha256(b"".join(i.to_bytes(8, "little") for i in sorted(set(ids)))).digest()
    return max(1, int.from_bytes(digest[:6], "little"))


for start, (source, stance, credibility, confidence, cluster) in graded.items():
    id_ = ids[start]
    attrs = (f", attrs: (source: Some({source}), stance: Some({stance}), credibility: Some({credibility}), "
             f"confidence: Some({confidence}), cluster: Some({cluster_id(members[cluster])}))")
    pattern = re.compile(r'^(        \(id: %d, .*?)(, author: )' % id_, re.M)
    src, n = pattern.subn(lambda m: m.group(1) + attrs + m.group(2), src, count=1)
    assert n == 1, start

def id_of(prefix):
    return next(i for s, i in ids.items() if s.startswith(prefix) or prefix.startswith(s[:30]))

lines = "".join(f'        (id: {n}, kind: "{kind}", from: {id_of(a)}, to: {id_of(b)}),\n'
                for n, (a, kind, b) in enumerate(relations, start=1))
assert "    relations: [\n    ]," in src
src = src.replace("    relations: [\n    ],", "    relations: [\n" + lines + "    ],")
open(project, "w", encoding="utf-8").write(src)
print(len(ids), "claims graded,", len(members), "clusters confirmed,", len(relations), "relation(s)")
