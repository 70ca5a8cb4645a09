package dev.dkssweep.sweep.document;

import static dev.dkssweep.sweep.document.SweepDocumentsTest.MINIMAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.protocol.InvalidSpecException;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per rule: a spec with one mistake, and the field path the violation must name. */
class SweepValidatorTest {

  static Stream<Arguments> mistakes() {
    return Stream.of(
        // objective
        replace("objective: {metric: val_accuracy, goal: maximize}", "", "objective"),
        replace("metric: val_accuracy", "metric: ''", "objective.metric"),
        replace("metric: val_accuracy", "metric: f1", "objective.metric"),
        replace("goal: maximize", "reduce: max", "objective.goal"),
        replace("metric: val_accuracy", "metric: val_loss", "objective.goal"),
        replace("goal: maximize", "goal: minimize", "objective.goal"),
        replace("goal: maximize", "goal: maximize, target: 1e999", "objective.target"),
        replace("goal: maximize", "goal: maximize, reduce: min", "objective.reduce"),
        add("earlyStopping: {rule: median}", "objective.metric", "metric: train_loss"),
        // architecture and baselines
        add("architecture: resnet-bn", "architecture"),
        add("baselines: [resnet-bn, resnet-bn]", "baselines[1]"),
        add("baselines: [densenet]", "baselines[0]"),
        // space
        replace("space:", "spaces:", "space"),
        replace("method: [dks, standard]", "method: []", "space.method"),
        replace("method: [dks, standard]", "method: [dks, dks]", "space.method[1]"),
        replace("method: [dks, standard]", "activation2: x", "space.method"),
        replace("activation: tanh", "activation: [tanh, swish2]", "space.activation[1]"),
        replace("depth: [10, 50]", "depth: [10, 0]", "space.depth[1]"),
        replace("depth: [10, 50]", "depth: [10, 100001]", "space.depth[1]"),
        replace("depth: [10, 50]", "depth: [10, 10]", "space.depth[1]"),
        add("  width: [0]", "space.width[0]"),
        add("  width: []", "space.width"),
        replace("learningRate: [0.01, 0.1]", "learningRate: [0.01, -1]", "space.learningRate[1]"),
        replace("learningRate: [0.01, 0.1]", "learningRate: []", "space.learningRate"),
        replace("  learningRate: [0.01, 0.1]", "", "space.learningRate"),
        replace(
            "learningRate: [0.01, 0.1]",
            "learningRate: {logRange: {min: 0, max: 1, count: 3}}",
            "space.learningRate.logRange.min"),
        replace(
            "learningRate: [0.01, 0.1]",
            "learningRate: {logRange: {min: 1, max: 0.1, count: 3}}",
            "space.learningRate.logRange.max"),
        replace(
            "learningRate: [0.01, 0.1]",
            "learningRate: {logRange: {min: 0.1, max: 1}}",
            "space.learningRate.logRange.count"),
        replace(
            "learningRate: [0.01, 0.1]",
            "learningRate: {logRange: {min: 0.1, max: 1, count: 1}}",
            "space.learningRate.logRange.count"),
        replace(
            "learningRate: [0.01, 0.1]",
            "learningRate: {values: [0.1], logRange: {min: 0.1, max: 1, count: 2}}",
            "space.learningRate"),
        add("  dataset: imagenet", "space.dataset[0]"),
        add("  epochs: 0", "space.epochs"),
        add("  seeds: 0", "space.seeds"),
        add("  exclude: [{}]", "space.exclude[0]"),
        add("  exclude: [{method: lstm}]", "space.exclude[0].method"),
        add("  exclude: [{activation: nope}]", "space.exclude[0].activation"),
        add("  exclude: [{depth: 10}, {depth: 50}]", "space.exclude"),
        // method params
        add("methodParams: {dks: {zeta: 1}}", "methodParams.dks.zeta"),
        add("methodParams: {dks: {localQSlope: 0}}", "methodParams.dks.localQSlope"),
        add("methodParams: {tat: {tau: 0}}", "methodParams.tat.tau"),
        add("methodParams: {tat: {eta: 1.5}}", "methodParams.tat.eta"),
        // strategy, parallelism, budget
        add("strategy: {type: random}", "strategy.samples"),
        add("strategy: {type: random, samples: 0}", "strategy.samples"),
        add("strategy: {samples: 4}", "strategy.samples"),
        add("strategy: {order: fastest}", "strategy.order"),
        add("parallelism: 0", "parallelism"),
        add("budget: {maxTrials: 0}", "budget.maxTrials"),
        add("budget: {maxFailedTrials: -1}", "budget.maxFailedTrials"),
        add("budget: {deadline: soon}", "budget.deadline"),
        add("budget: {deadline: 0m}", "budget.deadline"),
        // early stopping, retry
        add("earlyStopping: {rule: asha, gracePeriod: 5}", "earlyStopping.gracePeriod"),
        add("earlyStopping: {rule: asha, reductionFactor: 1}", "earlyStopping.reductionFactor"),
        add("earlyStopping: {rule: median, minTrials: 0}", "earlyStopping.minTrials"),
        add("retry: {maxRetries: 11}", "retry.maxRetries"),
        // training, trainer
        add("training: {batchSize: 0}", "training.batchSize"),
        add("training: {weightDecay: -0.1}", "training.weightDecay"),
        add("training: {validationFraction: 1}", "training.validationFraction"),
        add("training: {trainLimit: 0}", "training.trainLimit"),
        add("training: {maxSteps: 0}", "training.maxSteps"),
        add("training: {dataUrl: 'ftp://mirror/{dataset}'}", "training.dataUrl"),
        add(
            "training: {dataSha256: {train-images-idx3-ubyte.gz: abc}}",
            "training.dataSha256.train-images-idx3-ubyte.gz"),
        add("training: {dataSha256: {images.bin: abc}}", "training.dataSha256.images.bin"),
        add("training: {reportEverySteps: 0}", "training.reportEverySteps"),
        add("training: {optimizer: lbfgs}", "training.optimizer"),
        add("trainer: {threads: 0}", "trainer.threads"),
        add("trainer: {image: ' '}", "trainer.image"),
        add("trainer: {jvmOptions: [Xmx1g]}", "trainer.jvmOptions[0]"),
        add("trainer: {resources: {gpu: -1}}", "trainer.resources.gpu"),
        add("trainer: {env: [{name: 1X, value: a}]}", "trainer.env[0].name"),
        add("trainer: {env: [{name: X}]}", "trainer.env[0].value"),
        add("trainer: {env: [{value: a}]}", "trainer.env[0].name"),
        add("trainer: {env: [{name: X, value: a}, {name: X, value: b}]}", "trainer.env[1].name"),
        add("trainer: {env: [{name: OMP_NUM_THREADS, value: '8'}]}", "trainer.env[0].name"),
        add("trainer: {env: [{name: DKS_INGEST_TOKEN, value: x}]}", "trainer.env[0].name"),
        add("trainer: {env: [{name: X, valueFrom: {}}]}", "trainer.env[0].valueFrom"),
        add("trainer: {queueName: Team_A}", "trainer.queueName"),
        add("trainer: {priorityClassName: 'high priority'}", "trainer.priorityClassName"),
        add("trainer: {runtimeClassName: nvidia/}", "trainer.runtimeClassName"),
        add("trainer: {imagePullSecrets: [{name: Reg}]}", "trainer.imagePullSecrets[0].name"),
        add("trainer: {imagePullSecrets: [regcred]}", "trainer.imagePullSecrets[0]"),
        add("trainer: {nodeSelector: {'a b': x}}", "trainer.nodeSelector.a b"),
        add("trainer: {nodeSelector: {zone: 'a b'}}", "trainer.nodeSelector.zone"),
        add(
            "trainer: {tolerations: [{key: gpu, operator: In}]}",
            "trainer.tolerations[0].operator"),
        add("trainer: {tolerations: [{operator: Equal}]}", "trainer.tolerations[0].operator"),
        add(
            "trainer: {tolerations: [{key: gpu, operator: Exists, value: x}]}",
            "trainer.tolerations[0].value"),
        add("trainer: {tolerations: [{key: gpu, effect: Never}]}", "trainer.tolerations[0].effect"),
        add(
            "trainer: {tolerations: [{key: gpu, effect: NoSchedule, tolerationSeconds: 5}]}",
            "trainer.tolerations[0].tolerationSeconds"),
        add("trainer: {tolerations: [{key: gpu, colour: red}]}", "trainer.tolerations[0].colour"),
        add("budget: {deadline: 999999999999999999d}", "budget.deadline"),
        // size
        replace(
            "learningRate: [0.01, 0.1]",
            "learningRate: {logRange: {min: 0.0001, max: 1, count: 1000}}\n  seeds: 1000",
            "space"));
  }

  static Arguments add(String yaml, String field) {
    return Arguments.of(MINIMAL + yaml + "\n", field);
  }

  static Arguments add(String yaml, String field, String alsoReplace) {
    return Arguments.of(MINIMAL.replace("metric: val_accuracy", alsoReplace) + yaml + "\n", field);
  }

  static Arguments replace(String from, String to, String field) {
    if (!MINIMAL.contains(from)) {
      throw new IllegalArgumentException(from);
    }
    return Arguments.of(MINIMAL.replace(from, to), field);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("mistakes")
  void namesTheFieldOfEveryMistake(String yaml, String field) {
    List<SpecViolation> violations;
    try {
      SweepDocuments.read(yaml, "t");
      violations = List.of();
    } catch (InvalidSpecException e) {
      violations = e.violations();
    }
    assertThat(violations)
        .as("violations of%n%s", yaml)
        .extracting(SpecViolation::field)
        .contains(field);
    assertThat(violations).allSatisfy(v -> assertThat(v.message()).isNotBlank());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validSpecs")
  void acceptsValidSpecs(String yaml) {
    assertThat(SweepValidator.validate(SweepDocuments.read(yaml, "t").spec())).isEmpty();
  }

  static Stream<String> validSpecs() {
    return Stream.of(
        MINIMAL,
        MINIMAL + "baselines: [resnet-bn]\n",
        MINIMAL.replace(
            "learningRate: [0.01, 0.1]",
            "learningRate: {logRange: {min: 0.001, max: 1, count: 4}}"),
        MINIMAL + "strategy: {type: random, samples: 3, seed: 9}\n",
        MINIMAL + "budget: {maxTrials: 3, maxFailedTrials: 0, deadline: 1h30m}\n",
        MINIMAL + "earlyStopping: {rule: asha, gracePeriod: 1, reductionFactor: 2}\n",
        MINIMAL.replace("activation: tanh", "activation: [leaky_relu, relu]"));
  }
}
