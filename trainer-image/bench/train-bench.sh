#!/usr/bin/env bash
# Training throughput, the trainer vs PyTorch, same model (MLP 784-256x50-10, tanh, batch 128,
# FP32, Adam), 1 and 2 threads: the trainer's dense engine (its default for MLPs), DL4J's own
# training of the same network, and PyTorch. Each prints the median of REPEAT timed blocks of
# STEPS steps after warm-up, GFLOP/s and the share of the FMA peak (PEAK_GFLOPS per core).
# Build first: ./mvnw -pl trainer-image -am package -DskipTests
# PyTorch runs where `import torch` works in $PYTHON, python3 or /usr/bin/python3 (Debian:
# apt-get install python3-torch libopenblas0-pthread: with Debian's default reference BLAS PyTorch
# is 13x slower); otherwise the script says so and skips it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/../target/trainer.jar"
steps="${STEPS:-60}"
repeat="${REPEAT:-5}"
peak="${PEAK_GFLOPS:-128}"
bench() {
  java -cp "$jar" dev.dkssweep.trainer.tools.TrainBench --steps "$steps" --repeat "$repeat" \
    --peak-gflops "$peak" "$@" 2>/dev/null
}
for threads in 1 2; do
  OMP_NUM_THREADS=$threads bench --engine dense
  OMP_NUM_THREADS=$threads bench --engine dl4j
done
if [[ "${ALL:-0}" == 1 ]]; then
  OMP_NUM_THREADS=1 bench --engine dl4j --builtin
  for batch in 256 512; do
    OMP_NUM_THREADS=1 bench --engine dense --batch "$batch"
  done
fi
py=""
for candidate in "${PYTHON:-}" python3 /usr/bin/python3; do
  if [[ -n "$candidate" ]] && "$candidate" -c "import torch" 2>/dev/null; then
    py="$candidate"
    break
  fi
done
if [[ -n "$py" ]]; then
  for threads in 1 2; do
    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$py" - "$threads" "$steps" "$repeat" "$peak" <<'PY'
import statistics, sys, time, torch
threads, steps, repeat, peak = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
torch.set_num_threads(threads)
layers = [torch.nn.Linear(784, 256), torch.nn.Tanh()]
for _ in range(49):
    layers += [torch.nn.Linear(256, 256), torch.nn.Tanh()]
net = torch.nn.Sequential(*layers, torch.nn.Linear(256, 10))
opt = torch.optim.Adam(net.parameters(), lr=1e-4)
x, y = torch.rand(128, 784), torch.arange(128) % 10
loss = torch.nn.CrossEntropyLoss()
def step():
    opt.zero_grad(); loss(net(x), y).backward(); opt.step()
for _ in range(10): step()
rates = []
for _ in range(repeat):
    t = time.perf_counter()
    for _ in range(steps): step()
    rates.append(steps * 128 / (time.perf_counter() - t))
sps = statistics.median(rates)
flop = 6.0 * (784 * 256 + 49 * 256 * 256 + 256 * 10)
print(f"pytorch {torch.__version__} tanh depth 50 width 256 batch 128 threads={threads}: {sps:.0f} samples/s,"
      f" {sps * flop / 1e9:.1f} GFLOP/s, {100 * sps * flop / 1e9 / (peak * threads):.0f}% of FMA peak"
      f" (median of {repeat} x {steps} steps)")
PY
  done
else
  echo "pytorch: not installed (import torch failed in \$PYTHON, python3 and /usr/bin/python3); install python3-torch to compare"
fi
