#!/bin/bash
S=/work/shared/speech
REFS="$S/$(grep '^librispeech_198__ref' $S/manifest.csv | cut -d, -f1) $S/$(grep '^librispeech_3575__ref' $S/manifest.csv | cut -d, -f1)"
for i in $(seq $1); do
  for side in base full; do
    dir=/tmp/i17speed/$side
    (cd $dir && PYTHONPATH=$dir nice -n 15 /work/main/.venv/bin/python /tmp/i17speed/abfit2.py $side $REFS 2>/dev/null) >> $2
  done
done
