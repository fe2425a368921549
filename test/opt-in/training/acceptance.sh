#!/usr/bin/env bash
# Training acceptance runs (long; not part of npm test). Usage: test/opt-in/training/acceptance.sh OUT_DIR [BACKEND]
# Prints each run's JSON lines into OUT_DIR/*.log; checkpoints go to OUT_DIR/*-ckpt.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=${1:?usage: acceptance.sh OUT_DIR [BACKEND]}
BACKEND=${2:-wasm}
D=../shared/reference/ngf/datasets
mkdir -p "$OUT"
train() { local name=$1; shift; npm run -s ngf -- train --backend "$BACKEND" --seed 0 --json --out "$OUT/$name-ckpt" "$@" > "$OUT/$name.log"; }

# NGF, toy model A's architecture, half-sphere inputs/targets, batch 512 (target: test prediction MSE <= 1e-3).
echo '{"dimM":2,"encoder":"jacobian-split","decoder":"jacobian-split","metric":"cholesky","geodesicSteps":49}' > "$OUT/toyA.json"
train ngf-toyA --model ngf --config "$OUT/toyA.json" --dataset $D/half-sphere_inputs-targets_train.npz \
  --test $D/half-sphere_inputs-targets_test.npz --epochs "${TOY_EPOCHS:-30}" --batch-size 512

# HNN on generated two-body orbits (1000 x 50 points over [0, 20]; last 80 % of each orbit train, first 20 % test),
# derivative matching with the true field, batch 200, 50 epochs = 10 000 steps (target: test derivative MSE <= 1e-5).
npx tsx test/opt-in/training/twoBodyTimeSplit.ts "$OUT"
train hnn-2body --model hnn --dataset "$OUT/two-body-hnn_train.npz" --test "$OUT/two-body-hnn_test.npz" \
  --true-field two-body --epochs 50 --batch-size 200

# Neural ODE and NGF (two-body model A's architecture) on the fixed-energy two-body trajectories, trajectory loss.
train node-2body --model node --dataset $D/two-body-problem_fixed-energy-trajectories_train.npz \
  --test $D/two-body-problem_fixed-energy-trajectories_test.npz --epochs "${TWO_BODY_EPOCHS:-300}" --batch-size 15
echo '{"dimM":2,"encoder":"jacobian-split-chart","decoder":"jacobian-split","metric":"regularized"}' > "$OUT/twoBodyA.json"
train ngf-2body --model ngf --config "$OUT/twoBodyA.json" --dataset $D/two-body-problem_fixed-energy-trajectories_train.npz \
  --test $D/two-body-problem_fixed-energy-trajectories_test.npz --epochs "${TWO_BODY_EPOCHS:-300}" --batch-size 15
