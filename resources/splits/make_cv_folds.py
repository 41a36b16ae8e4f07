"""Writes busi-cv<K>-fold{1..K}.csv: BUSI's splits.csv with its train+val images dealt into K folds (default 4).

Folds are made of whole near-duplicate groups, dealt round-robin per stratum (a group holding a
malignant image, else a benign one, else a normal group) after a seeded shuffle, so each fold has a
K-th of each class's groups. In fold k's file, fold k is `val`, the others are `train`, and
`test` is splits.csv's test, untouched. Usage: python3 make_cv_folds.py <splits.csv> <out dir> [K]
(K = 4 gives the committed busi-cv4 files, byte for byte; the seed is the same for every K).
"""
import csv, random, sys
from collections import defaultdict

SEED = 20261201

def main(src, out, folds=4):
    rows = list(csv.DictReader(open(src, newline='')))
    groups = defaultdict(list)
    for r in rows:
        if r['split'] != 'test':
            groups[r['group']].append(r)
    strata = defaultdict(list)
    for g, members in groups.items():
        classes = {r['class'] for r in members}
        strata['malignant' if 'malignant' in classes else 'benign' if 'benign' in classes else 'normal'].append(g)
    rng = random.Random(SEED)
    fold_of = {}
    for name in ('benign', 'malignant', 'normal'):
        ids = sorted(strata[name])
        rng.shuffle(ids)
        for i, g in enumerate(ids):
            fold_of[g] = i % folds
    for k in range(folds):
        with open(f'{out}/busi-cv{folds}-fold{k + 1}.csv', 'w', newline='') as f:
            w = csv.DictWriter(f, fieldnames=['file', 'class', 'group', 'split'], lineterminator='\n')
            w.writeheader()
            for r in rows:
                split = 'test' if r['split'] == 'test' else 'val' if fold_of[r['group']] == k else 'train'
                w.writerow({**r, 'split': split})

if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 4)
