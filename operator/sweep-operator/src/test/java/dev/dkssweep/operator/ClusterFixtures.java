package dev.dkssweep.operator;

import dev.dkssweep.operator.execution.kubernetes.JobFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the cluster tests share: a small Sweep resource, and a trial pod's trainer run locally. */
public final class ClusterFixtures {

  /** The trainer jar (the reactor builds trainer-image first). */
  public static final Path TRAINER =
      Path.of("..", "..", "trainer-image", "target", "trainer.jar").toAbsolutePath().normalize();

  private ClusterFixtures() {}

  /**
   * A Sweep of 4 quick trials (dks and standard, two seeds, parallelism 2) on synthetic data;
   * {@code namespace} may be null (kubectl's -n decides).
   */
  public static String tinySweep(String name, String namespace, String learningRate) {
    return """
        apiVersion: dkssweep.dev/v1alpha1
        kind: Sweep
        metadata:
          name: %s
        %s
        spec:
          objective: {metric: val_accuracy, goal: maximize, reduce: max}
          space:
            method: [dks, standard]
            activation: [tanh]
            depth: [4]
            width: [16]
            %s
            dataset: [synthetic-clusters]
            epochs: 1
            seeds: 2
          parallelism: 2
          training: {optimizer: adam, batchSize: 64, trainLimit: 512, reportEverySteps: 4}
          retry: {maxRetries: 0}
        """
        .formatted(name, namespace == null ? "" : "  namespace: " + namespace, learningRate);
  }

  /** The Sweep CRD the build generates. */
  public static final java.nio.file.Path CRD =
      java.nio.file.Path.of("target", "kubernetes", "sweeps.dkssweep.dev-v1.yml");

  /**
   * Installs the generated Sweep CRD and creates {@code namespace} on a mock API server, as a
   * cluster's administrator would before the operator starts.
   */
  public static void installCrdAndNamespace(KubernetesClient client, String namespace)
      throws java.io.IOException {
    try (var in = java.nio.file.Files.newInputStream(CRD)) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(
              client
                  .getKubernetesSerialization()
                  .unmarshal(
                      in,
                      io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition
                          .class))
          .create();
    }
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .endMetadata()
                .build())
        .create();
  }

  /** Fabric8's mock API server in CRUD mode, not started yet (the benches' server). */
  public static io.fabric8.kubernetes.client.server.mock.KubernetesMockServer crudServer() {
    return crudServer(new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher());
  }

  /** Fabric8's mock API server (plain HTTP) with {@code dispatcher}, not started yet. */
  public static io.fabric8.kubernetes.client.server.mock.KubernetesMockServer crudServer(
      io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher dispatcher) {
    return new io.fabric8.kubernetes.client.server.mock.KubernetesMockServer(
        new io.fabric8.mockwebserver.Context(),
        new io.fabric8.mockwebserver.MockWebServer(),
        new java.util.HashMap<>(),
        dispatcher,
        false);
  }

  /** The trial Jobs in {@code namespace} whose label {@code label} is {@code value}. */
  public static List<Job> trialJobs(
      KubernetesClient client, String namespace, String label, String value) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withLabel(label, value)
        .list()
        .getItems();
  }

  /** A trial pod's trainer started as a local process, and where it writes its summary. */
  public record Trainer(Process process, Path terminationLog) {}

  /**
   * The TrialSpec a pod reads, as a kubelet mounts it: the file {@link JobFactory#SPEC_FILE} of the
   * pod's Secret volume (the item mapped to that path), from the Secret's data or string data.
   */
  public static String specOf(KubernetesClient client, String namespace, PodSpec pod) {
    SecretVolumeSource v =
        pod.getVolumes().stream()
            .filter(x -> x.getSecret() != null)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("the pod has no Secret volume"))
            .getSecret();
    String key =
        v.getItems().stream()
            .filter(i -> i.getPath().equals(JobFactory.SPEC_FILE))
            .map(KeyToPath::getKey)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no item is mounted as the spec file"));
    Secret secret = client.secrets().inNamespace(namespace).withName(v.getSecretName()).get();
    if (secret == null) {
      throw new IllegalStateException("Secret " + v.getSecretName() + " does not exist");
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return secret.getStringData().get(key);
    }
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  /**
   * Runs the trainer of a trial pod's container as a kubelet would, but locally: the container's
   * arguments and JVM options, its TrialSpec written where the pod would mount it, in {@code dir}.
   */
  public static Trainer start(Container c, String specJson, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path spec = dir.resolve(JobFactory.SPEC_FILE);
    Files.writeString(spec, specJson);
    Map<String, String> env = new HashMap<>();
    for (EnvVar v : c.getEnv()) {
      env.put(v.getName(), v.getValue());
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String o : env.getOrDefault("JAVA_OPTS", "").split(" ")) {
      if (!o.isBlank() && !o.startsWith("-Djava.io.tmpdir")) {
        command.add(o);
      }
    }
    command.add("-jar");
    command.add(TRAINER.toString());
    Path termination = dir.resolve("termination-log");
    for (String a : c.getArgs()) {
      command.add(
          a.replace(JobFactory.SPEC_DIR + "/" + JobFactory.SPEC_FILE, spec.toString())
              .replace(JobFactory.TERMINATION_LOG, termination.toString()));
    }
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile());
    pb.environment().put("OMP_NUM_THREADS", env.getOrDefault("OMP_NUM_THREADS", "1"));
    return new Trainer(pb.start(), termination);
  }

  /** What the trainer wrote as its termination message (empty when nothing). */
  public static String terminationMessage(Trainer t) {
    try {
      return Files.exists(t.terminationLog()) ? Files.readString(t.terminationLog()) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
