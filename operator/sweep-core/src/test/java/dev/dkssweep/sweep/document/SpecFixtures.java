package dev.dkssweep.sweep.document;

/** Sweep documents for tests (exported with the test jar). */
public final class SpecFixtures {

  private SpecFixtures() {}

  /** A spec that gives every field (a valid one). */
  public static final String FULL =
      """
      objective: {metric: val_loss, goal: minimize, reduce: min, target: 0.2}
      architecture: cnn
      space:
        method: [dks, tat]
        activation: [tanh, softplus]
        depth: [10, 50]
        width: [32, 64]
        learningRate: {logRange: {min: 0.0001, max: 0.01, count: 3}}
        dataset: [mnist]
        epochs: 4
        seeds: 3
        exclude: [{method: tat, depth: 50}, {learningRate: 0.01, width: 64}]
      methodParams: {dks: {zeta: 2.0, localQSlope: 1.1}, tat: {tau: 0.4, eta: 0.8}}
      baselines: [resnet-bn]
      strategy: {type: random, samples: 7, seed: 11, order: predicted-trainability}
      preflight: {skipInfeasible: false}
      parallelism: 3
      budget: {maxTrials: 20, maxFailedTrials: 2, deadline: 90m}
      earlyStopping: {rule: asha, gracePeriod: 1, reductionFactor: 2, minTrials: 2, stopOnNonFinite: false}
      retry: {maxRetries: 2}
      training:
        optimizer: sgd
        schedule: step
        batchSize: 64
        weightDecay: 0.0005
        validationFraction: 0.2
        trainLimit: 1000
        pln: false
        maxSteps: 500
        reportEverySteps: 10
        dataPath: /data
        dataUrl: http://mirror.example/{dataset}
        dataSha256: {train-images-idx3-ubyte.gz: abababababababababababababababababababababababababababababababab}
      trainer:
        image: registry.example/trainer:1
        args: [--engine, dl4j]
        threads: 2
        jvmOptions: [-Xmx2g]
        resources: {cpu: "2", memory: 4Gi, gpu: 1}
        env: [{name: WANDB_MODE, value: offline}, {name: EMPTY, value: ""}]
        queueName: gpu-team
        nodeSelector: {nvidia.com/gpu.product: A100-SXM4-40GB}
        tolerations:
          - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
          - {key: spot, operator: Equal, value: "true", effect: NoExecute, tolerationSeconds: 300}
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
                - matchExpressions: [{key: zone, operator: In, values: [a, b]}]
        priorityClassName: research-low
        runtimeClassName: nvidia
        imagePullSecrets: [{name: regcred}]
        cleanup: {keepFailed: true}
      """;
}
