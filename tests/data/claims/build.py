# Builds impeachment-claims.json from the hand-grouped claims below, checking that every
# claim is a passage of its article's text (as `marginalia text` extracts it).
import json, sys, subprocess
docs = {
 "cbs": ("7a664e40d2", "CBS News", "2019-11-20"),
 "ap": ("82b6d780c7", "Associated Press", "2019-11-20"),
 "dh": ("c90731f051", "Deccan Herald", "2019-11-20"),
 "nr": ("f5c90a6d52", "National Review", "2019-11-19"),
 "sn": ("8380689f35", "Snopes", "2019-11-18"),
}
# (document, cluster, split, claim text). Clusters: the same proposition (stated, reported,
# denied or contradicted) across or within articles; "-" is a claim that stands alone.
# The split was fixed before any clustering rule or threshold was written: "dev" may be
# looked at while developing, "heldout" is only ever scored in total.
claims = [
 ("cbs","K1","dev","Volker said he had no knowledge of any efforts to urge Ukraine to investigate Joe and Hunter Biden"),
 ("cbs","K1","dev","At no time was I aware of or knowingly took part in an effort to urge Ukraine to investigate former Vice President Biden"),
 ("dh","K3","dev","both Vindman and Williams told lawmakers that Trump’s request to Ukrainian president to investigate Democratic rivals was inappropriate"),
 ("dh","K3","dev","Williams said the phone call was unusual and inappropriate"),
 ("ap","K3","dev","a career Army officer who described Trump’s call with Zelenskiy as “improper.”"),
 ("dh","K3","dev","The Democrats are alleging that Trump's call with his Ukrainian counterpart was irregular and inappropriate and abuse of his office for political gain"),
 ("ap","K5","dev","Sondland did, in fact, discuss investigations with the visiting Ukrainians"),
 ("ap","K5","dev","Ambassador Sondland referred to investigations into the Bidens and Burisma in 2016"),
 ("ap","K5","dev","Sondland told visiting Ukraine officials they would need to “deliver” before the administration would agree to a meeting Zelenskiy wanted with Trump"),
 ("cbs","K7","dev","he did worry there would be \"political consequences\" if more people had access to the call summary"),
 ("cbs","K7","dev","I feared at the time of the call on July 25 how its disclosure would play in Washington's political climate. My fears have been realized."),
 ("ap","K9","dev","Sondland said he had relayed to the Ukrainian that U.S. aid might be freed if the country would announce the investigations"),
 ("dh","K9","dev","an effort by Democrats to establish whether Trump withheld US military aid to Ukraine to pressure the country's President Volodymyr Zelensky into announcing a corruption inquiry into Joe Biden"),
 ("dh","K9","dev","Ambassador Volker confirmed under oath that he had no indication whatsoever of anything that resembled a quid-pro-quo"),
 ("cbs","K12","dev","My role was not some irregular channel, but the official channel"),
 ("cbs","K12","dev","He denied that he, U.S. Ambassador to the European Union Gordon Sondland and Energy Secretary Rick Perry formed an \"irregular\" channel"),
 ("ap","K12","dev","drew alarm from the foreign service and national security apparatus as part of an irregular channel of diplomacy led by the president’s lawyer Rudy Giuliani"),
 ("dh","-","dev","both witnesses testified the July 25 transcript was ‘accurate’"),
 ("ap","-","dev","Sondland has already amended his testimony once"),
 ("cbs","-","dev","Vindman had become frustrated over his exclusion from some important meetings relating to Ukraine policy"),
 ("nr","-","dev","Polls show that Trump is almost back to where he was in popularity when Schiff unleashed his late-September Ukrainian caper"),
 ("ap","-","dev","Trump has recently tried to suggest that he barely knows his hand-picked ambassador"),
 ("cbs","K2","heldout","I think the allegations against Vice President Biden are self-serving and not credible"),
 ("ap","K2","heldout","raised, and I rejected, the conspiracy theory that Vice President Biden would have been influenced in his duties as vice president by money paid to his son"),
 ("dh","K2","heldout","Volker said that he does not think that raising 2016 elections or Vice President Biden or these things that he considers to be conspiracy theories that have been circulated by the Ukrainians"),
 ("cbs","K4","heldout","Vindman did not come to him about concerns regarding the July 25 call but instead went straight to the NSC legal counsel"),
 ("cbs","K4","heldout","Vindman said he was told by former National Security Adviser John Bolton — Morrison's supervisor — to go straight to the NSC legal counsel with his concerns"),
 ("ap","K4","heldout","Vindman told lawmakers it was his “duty” to report his concerns about the call"),
 ("dh","K6","heldout","The White House called the impeachment process a sham"),
 ("dh","K6","heldout","the Democrats’ central allegation in this impeachment sham has again been completely debunked"),
 ("ap","K6","heldout","slammed the ongoing impeachment hearings as a “disgrace.”"),
 ("dh","K6","heldout","We have learned nothing new in today's illegitimate ‘impeachment’ proceedings"),
 ("cbs","K8","heldout","I opposed the hold on U.S. security assistance as soon as I learned about it on July 18"),
 ("cbs","K8","heldout","Volker says there was nothing unusual about hold on aid"),
 ("sn","K10","heldout","the ambassador’s net worth far exceeded her salary"),
 ("sn","K10","heldout","the claim that Yovanovitch has a net worth of $17 million (or $12 million or $6 million or $3 million) is wholly unsubstantiated"),
 ("sn","K10","heldout","Yovanovitch’s net worth far exceeded her salary"),
 ("nr","K13","heldout","Once Trump released the transcript of his July 25th call with Ukrainian president Zelensky"),
 ("dh","K13","heldout","a call the White House long ago released to the public"),
 ("cbs","-","heldout","Morrison testified that he didn't always follow through on suggestions from Sondland"),
 ("nr","-","heldout","Schiff never expected that Trump would release a classified transcript of his own presidential call"),
 ("nr","-","heldout","Adam Schiff’s impeachment inquiry is incoherent"),
 ("ap","-","heldout","Sondland routinely bragged about his proximity to Trump"),
 ("sn","-","heldout","this claim did not originate with a credible financial news outlet, such as Forbes"),
 ("dh","-","heldout","Grisham also accused the Democrats of being blinded by their hatred for President Trump"),
]
texts = {}
for key, (h, _, _) in docs.items():
    texts[key] = open(f"{key}.txt", encoding="utf-8").read()
out = []
bad = 0
for doc, cluster, split, text in claims:
    at = texts[doc].find(text)
    if at < 0:
        print("NOT FOUND", doc, text[:60]); bad += 1; continue
    start = len(texts[doc][:at])
    out.append({"document": doc, "cluster": cluster, "split": split, "text": text})
if bad: sys.exit(1)
registry = [
 ["Kurt Volker", "Volker"], ["Tim Morrison", "Morrison", "Timothy Morrison"],
 ["Alexander Vindman", "Vindman", "a career Army officer"], ["Jennifer Williams", "Williams"],
 ["Gordon Sondland", "Sondland"], ["Donald Trump", "Trump", "the president"],
 ["Joe Biden", "Biden", "Vice President Biden", "Bidens"], ["Hunter Biden", "his son"],
 ["Volodymyr Zelensky", "Zelensky", "Zelenskiy"], ["Rudy Giuliani", "Giuliani"],
 ["Marie Yovanovitch", "Yovanovitch", "the ambassador"], ["Adam Schiff", "Schiff"],
 ["Stephanie Grisham", "Grisham"], ["John Bolton", "Bolton"], ["Fiona Hill", "Hill"],
 ["Ukraine", "Ukrainian", "Ukrainians"], ["Burisma"], ["White House"], ["National Security Council", "NSC"],
 ["Democrats", "Democratic"], ["Rick Perry", "Perry"],
]
json.dump({"documents": {k: {"page": v[0], "outlet": v[1], "date": v[2]} for k, v in docs.items()},
           "registry": registry, "claims": out}, open("impeachment-claims.json", "w", encoding="utf-8"),
          ensure_ascii=False, indent=1)
print(len(out), "claims")
