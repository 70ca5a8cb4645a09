#!/usr/bin/env bash
# Training throughput, DL4J trainer vs PyTorch, same model (MLP 784-256x50-10, tanh, batch 128,
# FP32, Adam), 1 and 2 threads. Build first: ./mvnw -pl trainer-image -am package -DskipTests
# PyTorch runs where `import torch` works in $PYTHON, python3 or /usr/bin/python3 (Debian:
# apt-get install python3-torch libopenblas0-pthread: with Debian's default reference BLAS PyTorch
# is 13x slower); otherwise the script says so and skips it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/../target/trainer.jar"
steps="${STEPS:-60}"
for threads in 1 2; do
  OMP_NUM_THREADS=$threads java -cp "$jar" dev.dkssweep.trainer.tools.TrainBench --steps "$steps" 2>/dev/null
  OMP_NUM_THREADS=$threads java -cp "$jar" dev.dkssweep.trainer.tools.TrainBench --steps "$steps" --builtin 2>/dev/null
done
for batch in 256 512; do
  OMP_NUM_THREADS=1 java -cp "$jar" dev.dkssweep.trainer.tools.TrainBench --steps "$steps" --batch "$batch" 2>/dev/null
done
py=""
for candidate in "${PYTHON:-}" python3 /usr/bin/python3; do
  if [[ -n "$candidate" ]] && "$candidate" -c "import torch" 2>/dev/null; then
    py="$candidate"
    break
  fi
done
if [[ -n "$py" ]]; then
  for threads in 1 2; do
    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$py" - "$threads" "$steps" <<'PY'
import sys, time, torch
threads, steps = int(sys.argv[1]), int(sys.argv[2])
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
t = time.perf_counter()
for _ in range(steps): step()
sps = steps * 128 / (time.perf_counter() - t)
print(f"pytorch {torch.__version__} tanh depth 50 width 256 batch 128 threads={threads}: {sps:.0f} samples/s")
PY
  done
else
  echo "pytorch: not installed (import torch failed in \$PYTHON, python3 and /usr/bin/python3); install python3-torch to compare"
fi
