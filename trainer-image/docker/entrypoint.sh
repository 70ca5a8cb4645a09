#!/usr/bin/env bash
# Trainer container entry point: sets OMP_NUM_THREADS from the container's CPU limit (ND4J reads
# it when it loads; oversubscribed OpenMP threads collapse throughput), then runs the trainer.
# DKS_CPU_MAX_FILE overrides the cgroup v2 file (tests); DKS_ENTRYPOINT_DRY_RUN=1 prints the
# command instead of running it.
set -euo pipefail

cpu_max_file="${DKS_CPU_MAX_FILE:-/sys/fs/cgroup/cpu.max}"
threads=""
if [[ -z "${OMP_NUM_THREADS:-}" ]]; then
  if [[ -r "$cpu_max_file" ]]; then
    read -r quota period < "$cpu_max_file" || true
    if [[ "${quota:-max}" != "max" && -n "${period:-}" && "$period" -gt 0 ]]; then
      threads=$(( (quota + period - 1) / period ))
    fi
  fi
  if [[ -z "$threads" ]]; then
    threads=$(nproc 2>/dev/null || echo 1)
  fi
  (( threads < 1 )) && threads=1
  export OMP_NUM_THREADS="$threads"
fi

jar="${DKS_TRAINER_JAR:-/opt/dks-trainer/trainer.jar}"
cmd=(java ${JAVA_OPTS:-} -jar "$jar" "$@")
if [[ "${DKS_ENTRYPOINT_DRY_RUN:-0}" == "1" ]]; then
  echo "OMP_NUM_THREADS=$OMP_NUM_THREADS ${cmd[*]}"
  exit 0
fi
exec "${cmd[@]}"
