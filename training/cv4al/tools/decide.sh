#!/bin/bash
# round AL decision (training/cv4al/RULE.md); args: AL-I1 AL-H3 AL-I3 ids (AA1 is fixed)
set -e
cd /work/main
export SONOSEG_HOME=/work/sonoseg-home
S=/work/scratch/s28/al
mkdir -p $S
AA1=mnv2unet-192-20261207-132631-27fc
I1=$1; H3=$2; I3=$3
python3 - $AA1 $I1 $H3 $I3 <<'PY'
import json, sys
t = 0
for m in sys.argv[1:]:
    s = json.load(open(f'/work/sonoseg-home/models/{m}/card.json'))['training']['seconds']; t += s; print(m, s)
print('bar 1: total', t, 's =', round(t / 60, 1), 'min', 'MET' if t <= 14400 else 'MISSED')
PY
# bar 2
node bin/sonoseg.js models ensemble $AA1 $I1 $H3 $I3 --id cv4al-192-f32 > $S/ens.out 2> $S/ens.err; cat $S/ens.out
node bin/sonoseg.js calibrate --data ../shared/datasets/busi --model cv4al-192-f32 --out-of-fold --val-only --max-normal-fp 0.15 --json > $S/cal-al32.json 2> $S/cal-al32.err
python3 /work/scratch/s22/show.py $S/cal-al32.json
# bar 3
node bin/sonoseg.js models ensemble $AA1 $I1 --id pair-aa1-ali1 > $S/ens-pair.out 2> $S/ens-pair.err; cat $S/ens-pair.out
node bin/sonoseg.js calibrate --data ../shared/datasets/busi --model pair-aa1-ali1 --split-file resources/splits/busi-cv4-fold1.csv --val-only --max-normal-fp 0.15 --json > $S/cal-pair.json 2> $S/cal-pair.err
python3 /work/scratch/s22/show.py $S/cal-pair.json
for v in H D E J; do
  node bin/sonoseg.js eval --data /work/scratch/s27/rob/$v --split-file /work/scratch/s27/rob/$v/fold1-val.csv --split val --model pair-aa1-ali1 --json > $S/rob-$v.json 2> $S/rob-$v.err
  python3 -c "
import json; j=json.load(open('$S/rob-$v.json'))
print('pair-aa1-ali1 $v', 'lesion dice %.4f iou %.4f' % (j['dice'], j['iou']), 'normal marked %.0f/%d' % (j['normalFpRate']*j['perClass']['normal']['n'], j['perClass']['normal']['n']))"
done
# bar 4
node bin/sonoseg.js models half cv4al-192-f32 --max-mb 10 --id cv4al-192-f16q8-20261208 > $S/half.out 2> $S/half.err; cat $S/half.out
du -b /work/sonoseg-home/models/cv4al-192-f16q8-20261208/*
node bin/sonoseg.js calibrate --data ../shared/datasets/busi --model cv4al-192-f16q8-20261208 --out-of-fold --val-only --max-normal-fp 0.15 --json > $S/cal-half.json 2> $S/cal-half.err
python3 /work/scratch/s22/show.py $S/cal-half.json
echo done
