# Annotates projects/impeachment-hearings.ron (made by `marginalia add` from the four pages):
# the claims grouped by hand in tests/data/claims, every mention of the entities below, and
# the direct quotations `marginalia suggest` finds whose speaker is one of them.
# Run from projects/ with the marginalia binary on PATH, on the file `marginalia add
# impeachment-hearings.ron *.html` made; then open and save it once (Ctrl+S) so that it is
# in the form the app writes (tests/sample_project.rs checks that); `marginalia validate`
# checks the spans. Then run grade_impeachment_sample.py (the analyst's grading and clusters).
import json, re, subprocess, sys
project = "impeachment-hearings.ron"
claims_file = "../tests/data/claims/impeachment-claims.json"
keys = {"cbs": "cbs-volker-morrison-hearing.html", "ap": "ap-sondland-testimony-preview.html",
        "dh": "deccan-herald-trump-claims-victory.html", "sn": "snopes-yovanovitch-net-worth.html"}
entities = [  # name, kind, aliases (longest first when matched)
 ("Kurt Volker", "person", ["Volker"]), ("Tim Morrison", "person", ["Timothy Morrison", "Morrison"]),
 ("Alexander Vindman", "person", ["Vindman"]), ("Jennifer Williams", "person", []),
 ("Gordon Sondland", "person", ["Sondland"]), ("Donald Trump", "person", ["Trump"]),
 ("Joe Biden", "person", ["Vice President Biden"]), ("Hunter Biden", "person", []),
 ("Volodymyr Zelensky", "person", ["Zelenskyy", "Zelenskiy", "Zelensky"]),
 ("Rudy Giuliani", "person", ["Giuliani"]), ("Marie Yovanovitch", "person", ["Yovanovitch"]),
 ("Adam Schiff", "person", ["Schiff"]), ("Stephanie Grisham", "person", ["Grisham"]),
 ("John Bolton", "person", []), ("Fiona Hill", "person", []), ("David Holmes", "person", ["Holmes"]),
 ("Ukraine", "location", []), ("Russia", "location", []), ("Burisma", "organization", []),
 ("White House", "organization", []), ("National Security Council", "organization", ["NSC"]),
 ("House Intelligence Committee", "organization", ["Intelligence Committee"]),
 ("Impeachment hearings of November 2019", "event", ["impeachment hearings", "impeachment inquiry"]),
]
text_of = {k: subprocess.run(["marginalia", "text", v], capture_output=True, text=True, check=True).stdout
           for k, v in keys.items()}
src = open(project, encoding="utf-8").read()
doc_id = {k: int(re.search(r'\(id: (\d+), path: "%s"' % re.escape(v), src).group(1)) for k, v in keys.items()}
def ron(s):
    return json.dumps(s, ensure_ascii=False)
lines, next_id = [], 1000
def add(key, start, end, label, extra):
    global next_id
    text = text_of[key]
    prefix, suffix = text[max(0, start - 32):start], text[end:end + 32]
    lines.append((doc_id[key], start, f'        (id: {next_id}, doc: {doc_id[key]}, label: "{label}", span: ({start}, {end}), '
                 f'text: {ron(text[start:end])}, prefix: {ron(prefix)}, suffix: {ron(suffix)}{extra}, '
                 f'author: "Rania", created: "2026-12-07T10:00:00Z")'))
    next_id += 1
for c in json.load(open(claims_file, encoding="utf-8"))["claims"]:
    if c["document"] in keys:
        at = text_of[c["document"]].find(c["text"])
        add(c["document"], at, at + len(c["text"]), "claim", "")
taken = {k: [] for k in keys}
for i, (name, kind, aliases) in enumerate(entities, start=1):
    for key, text in text_of.items():
        for alias in sorted([name] + aliases, key=len, reverse=True):
            for m in re.finditer(r"(?<!\w)%s(?!\w)" % re.escape(alias), text):
                if any(m.start() < e and s < m.end() for s, e in taken[key]):
                    continue
                taken[key].append((m.start(), m.end()))
                add(key, m.start(), m.end(), kind, f", entity: Some({i})")
names = {a.lower(): i for i, (n, _, al) in enumerate(entities, start=1) for a in [n] + al}
out = subprocess.run(["marginalia", "suggest", project], capture_output=True, text=True, check=True).stdout
key_of = {v: k for k, v in keys.items()}
for line in out.splitlines():
    s = json.loads(line)
    if s["kind"] != "quote" or s.get("directness") != "direct" or s["document"] not in key_of:
        continue
    speaker = s.get("speaker", "")
    who = next((i for a, i in names.items() if speaker.lower().endswith(a)), None)
    if who:
        add(key_of[s["document"]], s["start"], s["end"], "quote",
            f", attrs: (source: Some(Entity({who})), directness: Some(Direct))")
lines.sort()
entity_lines = "\n".join(f'        (id: {i}, name: {ron(n)}, kind: "{k}"' + (f", aliases: {ron(a)}" if a else "") + "),"
                         for i, (n, k, a) in enumerate(entities, start=1))
src = src.replace("    entities: [\n    ],", "    entities: [\n" + entity_lines + "\n    ],")
src = src.replace("    annotations: [\n    ],", "    annotations: [\n" + "\n".join(l + "," for _, _, l in lines) + "\n    ],")
open(project, "w", encoding="utf-8").write(src)
print(len(lines), "annotations")
