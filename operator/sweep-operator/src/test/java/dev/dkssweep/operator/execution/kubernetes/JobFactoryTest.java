package dev.dkssweep.operator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.execution.TrialLaunch;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.Optimizer;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.Schedule;
import dev.dkssweep.sweep.protocol.TrialSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class JobFactoryTest {

  static final String TOKEN = "the-trials-ingest-token";

  static final OwnerReference SWEEP =
      new OwnerReferenceBuilder()
          .withApiVersion("dkssweep.dev/v1alpha1")
          .withKind("Sweep")
          .withName("deep")
          .withUid("uid-1")
          .withController(true)
          .build();

  static TrialLaunch launch(SweepDefinition.Resources resources) {
    return launch(resources, List.of(), SweepDefinition.Placement.NONE);
  }

  static TrialLaunch launch(
      SweepDefinition.Resources resources,
      List<SweepDefinition.EnvVar> env,
      SweepDefinition.Placement placement) {
    return launch(7, 2, resources, env, placement);
  }

  /** Trial {@code trial}'s attempt {@code attempt} of sweep research/deep (uid-1). */
  static TrialLaunch launch(
      int trial,
      int attempt,
      SweepDefinition.Resources resources,
      List<SweepDefinition.EnvVar> env,
      SweepDefinition.Placement placement) {
    TrialSpec spec =
        new TrialSpec(
            TrialSpec.SCHEMA_VERSION,
            new TrialSpec.SweepRef("research", "deep", "uid-1"),
            trial,
            attempt,
            3,
            new TrialSpec.ModelSpec(Architecture.MLP, 50, 64, "tanh", Method.DKS, null, null, null),
            new TrialSpec.DataSpec("synthetic-clusters", null, 0.1, 64, true, 100, null, null),
            new TrialSpec.OptimisationSpec(Optimizer.ADAM, 0.001, Schedule.COSINE, 1, null, 0),
            new TrialSpec.ReportingSpec(
                "http://dks-sweep.dks.svc:8080/api/ingest", TOKEN, 10, null));
    SweepDefinition.Trainer trainer =
        new SweepDefinition.Trainer(
            "ghcr.io/dks-sweep/trainer:0.1.0",
            List.of("--engine=dense"),
            OptionalInt.empty(),
            List.of("-Xmx2g"),
            resources,
            env,
            placement,
            false);
    return new TrialLaunch(spec, 2, trainer);
  }

  static final SweepDefinition.Resources GPU =
      new SweepDefinition.Resources(Optional.of("4"), Optional.of("6Gi"), OptionalInt.of(1));

  @Test
  void aJobPerAttemptWithDeterministicNameLabelsAndOwner() {
    Job job = new JobFactory(TrainerPodSettings.defaults()).job(launch(GPU), SWEEP);
    assertThat(job.getMetadata().getName()).isEqualTo("deep-t7-a2");
    assertThat(job.getMetadata().getNamespace()).isEqualTo("research");
    assertThat(job.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "dks-sweep")
        .containsEntry("app.kubernetes.io/instance", "deep")
        .containsEntry("app.kubernetes.io/component", "trainer")
        .containsEntry("app.kubernetes.io/managed-by", "dks-sweep-operator")
        .containsEntry("dkssweep.dev/sweep", "deep")
        .containsEntry("dkssweep.dev/sweep-uid", "uid-1")
        .containsEntry("dkssweep.dev/trial", "7")
        .containsEntry("dkssweep.dev/attempt", "2")
        .containsEntry("dkssweep.dev/method", "dks")
        .containsEntry("dkssweep.dev/activation", "tanh")
        .containsEntry("dkssweep.dev/depth", "50")
        .doesNotContainKey("kueue.x-k8s.io/queue-name");
    OwnerReference owner = job.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getUid()).isEqualTo("uid-1");
    assertThat(owner.getController()).isTrue();
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .isEqualTo(job.getMetadata().getLabels());
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(WorkloadNames.SWEEP_NAME_ANNOTATION, "deep");
  }

  @Test
  void theJobNeverRetriesByItselfAndMapsDisruptionsAndVerdicts() {
    Job job = new JobFactory(TrainerPodSettings.defaults()).job(launch(GPU), SWEEP);
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getSuspend()).isFalse();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isNull();
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    var rules = job.getSpec().getPodFailurePolicy().getRules();
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).getAction()).isEqualTo("Ignore");
    assertThat(rules.get(0).getOnPodConditions().get(0).getType()).isEqualTo("DisruptionTarget");
    assertThat(rules.get(1).getAction()).isEqualTo("FailJob");
    assertThat(rules.get(1).getOnExitCodes().getContainerName()).isEqualTo("trainer");
    assertThat(rules.get(1).getOnExitCodes().getOperator()).isEqualTo("In");
    assertThat(rules.get(1).getOnExitCodes().getValues()).containsExactly(3, 4);
  }

  @Test
  void thePodIsLockedDown() {
    PodSpec pod =
        new JobFactory(TrainerPodSettings.defaults())
            .job(launch(GPU), SWEEP)
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container c = pod.getContainers().get(0);
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"))
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo(JobFactory.SPEC_DIR);
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(pod.getVolumes())
        .anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull())
        .anySatisfy(
            v -> {
              assertThat(v.getSecret().getSecretName())
                  .isEqualTo(JobFactory.specsName(List.of(launch(GPU))));
              assertThat(v.getSecret().getItems())
                  .as("the pod mounts its own TrialSpec only")
                  .singleElement()
                  .satisfies(
                      i -> {
                        assertThat(i.getKey()).isEqualTo("deep-t7-a2");
                        assertThat(i.getPath()).isEqualTo(JobFactory.SPEC_FILE);
                      });
            });
  }

  @Test
  void theTokenIsInTheSecretAndNowhereInTheJob() {
    JobFactory f = new JobFactory(TrainerPodSettings.defaults());
    Job job = f.job(launch(GPU), SWEEP);
    assertThat(Serialization.asYaml(job)).doesNotContain(TOKEN);
    Secret secret = f.specs(List.of(launch(GPU)), SWEEP);
    assertThat(JobFactory.specsSecret(job)).contains(secret.getMetadata().getName());
    assertThat(secret.getImmutable()).isTrue();
    TrialSpec spec =
        ProtocolJson.readTrialSpec(secret.getStringData().get(job.getMetadata().getName()));
    assertThat(spec.reporting().token()).isEqualTo(TOKEN);
    assertThat(spec.key()).isEqualTo(launch(GPU).key());
    assertThat(secret.getMetadata().getOwnerReferences().get(0).getController())
        .as("the Sweep owns the Secret; the Job is its controller's")
        .isFalse();
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(WorkloadNames.SWEEP_UID, "uid-1")
        .containsEntry(WorkloadNames.COMPONENT, WorkloadNames.TRIAL_SPECS);
  }

  @Test
  void attemptsLaunchedTogetherShareOneSecretEachJobMountingItsOwnKey() {
    JobFactory f = new JobFactory(TrainerPodSettings.defaults());
    TrialLaunch a = launch(7, 2, GPU, List.of(), SweepDefinition.Placement.NONE);
    TrialLaunch b = launch(8, 1, GPU, List.of(), SweepDefinition.Placement.NONE);
    Secret wave = f.specs(List.of(a, b), SWEEP);
    String name = wave.getMetadata().getName();
    assertThat(name)
        .as("deterministic: the same attempts name the same Secret")
        .isEqualTo(JobFactory.specsName(List.of(a, b)))
        .isNotEqualTo(JobFactory.specsName(List.of(a)))
        .isNotEqualTo(JobFactory.specsName(List.of(b, a)))
        .startsWith("deep-specs-")
        .hasSizeLessThanOrEqualTo(WorkloadNames.MAX);
    assertThat(wave.getMetadata().getNamespace()).isEqualTo("research");
    assertThat(wave.getStringData()).containsOnlyKeys("deep-t7-a2", "deep-t8-a1");
    assertThat(ProtocolJson.readTrialSpec(wave.getStringData().get("deep-t8-a1")).key())
        .isEqualTo(b.key());
    Job jb = f.job(b, SWEEP, name);
    assertThat(JobFactory.specsSecret(jb)).contains(name);
    assertThat(jb.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.getSecret().getItems())
                    .singleElement()
                    .satisfies(i -> assertThat(i.getKey()).isEqualTo("deep-t8-a1")));
  }

  @Test
  void theTrainerGetsItsImageArgumentsThreadsAndResources() {
    Container c =
        new JobFactory(TrainerPodSettings.defaults())
            .job(launch(GPU), SWEEP)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(c.getImage()).isEqualTo("ghcr.io/dks-sweep/trainer:0.1.0");
    assertThat(c.getArgs())
        .containsExactly(
            "--spec",
            "/etc/dks-trial/spec.json",
            "--termination-log",
            "/dev/termination-log",
            "--engine=dense");
    assertThat(c.getEnv())
        .anySatisfy(
            e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("OMP_NUM_THREADS=2"))
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("JAVA_OPTS");
              assertThat(e.getValue()).contains("-Xmx2g").contains("-XX:ActiveProcessorCount=2");
            });
    assertThat(c.getResources().getRequests())
        .containsEntry("cpu", new Quantity("4"))
        .containsEntry("memory", new Quantity("6Gi"));
    assertThat(c.getResources().getLimits())
        .containsEntry("memory", new Quantity("6Gi"))
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(c.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
  }

  @Test
  void clusterSettingsApply() {
    TrainerPodSettings s =
        new TrainerPodSettings(
            "amd.com/gpu",
            Optional.of("team-a"),
            Optional.of("trainer"),
            List.of("registry-creds"),
            Map.of("accelerator", "a100"),
            List.of(),
            Optional.empty(),
            Optional.of("batch-low"),
            Optional.of("nvidia"),
            Optional.of(Duration.ofHours(2)),
            Duration.ofMinutes(5));
    Job job = new JobFactory(s).job(launch(GPU), SWEEP);
    assertThat(job.getSpec().getSuspend()).as("Kueue admits it").isTrue();
    assertThat(job.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "team-a");
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(7200L);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("trainer");
    assertThat(pod.getImagePullSecrets().get(0).getName()).isEqualTo("registry-creds");
    assertThat(pod.getNodeSelector()).containsEntry("accelerator", "a100");
    assertThat(pod.getPriorityClassName()).isEqualTo("batch-low");
    assertThat(pod.getRuntimeClassName()).isEqualTo("nvidia");
    assertThat(pod.getContainers().get(0).getResources().getLimits())
        .containsEntry("amd.com/gpu", new Quantity("1"));
  }

  static final TrainerPodSettings CLUSTER =
      new TrainerPodSettings(
          "nvidia.com/gpu",
          Optional.of("default-queue"),
          Optional.empty(),
          List.of("registry-creds"),
          Map.of("accelerator", "a100", "pool", "shared"),
          List.of(
              new io.fabric8.kubernetes.api.model.TolerationBuilder()
                  .withKey("nvidia.com/gpu")
                  .withOperator("Exists")
                  .withEffect("NoSchedule")
                  .build()),
          Optional.of(
              new io.fabric8.kubernetes.api.model.AffinityBuilder()
                  .withNewNodeAffinity()
                  .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                  .addNewNodeSelectorTerm()
                  .addNewMatchExpression()
                  .withKey("node-pool")
                  .withOperator("In")
                  .withValues("gpu")
                  .endMatchExpression()
                  .endNodeSelectorTerm()
                  .endRequiredDuringSchedulingIgnoredDuringExecution()
                  .endNodeAffinity()
                  .build()),
          Optional.of("batch-low"),
          Optional.of("runc"),
          Optional.empty(),
          Duration.ofMinutes(5));

  @Test
  void aSweepsPlacementAndEnvironmentGoIntoItsPods() {
    var placement =
        new SweepDefinition.Placement(
            Optional.of("gpu-team"),
            Map.of("pool", "a100-spot"),
            List.of(
                new SweepDefinition.Toleration(
                    "nvidia.com/gpu", "Exists", null, "NoSchedule", null),
                new SweepDefinition.Toleration("spot", "Equal", "true", "NoExecute", 300L)),
            Map.of(
                "nodeAffinity",
                Map.of(
                    "requiredDuringSchedulingIgnoredDuringExecution",
                    Map.of(
                        "nodeSelectorTerms",
                        List.of(
                            Map.of(
                                "matchExpressions",
                                List.of(
                                    Map.of(
                                        "key",
                                        "zone",
                                        "operator",
                                        "In",
                                        "values",
                                        List.of("a", "b")))))))),
            Optional.of("research-high"),
            Optional.of("nvidia"),
            List.of("team-creds", "registry-creds"));
    Job job =
        new JobFactory(CLUSTER)
            .job(
                launch(
                    GPU, List.of(new SweepDefinition.EnvVar("WANDB_MODE", "offline")), placement),
                SWEEP);
    assertThat(job.getSpec().getSuspend()).isTrue();
    assertThat(job.getMetadata().getLabels())
        .as("the sweep's queue, not the operator's")
        .containsEntry("kueue.x-k8s.io/queue-name", "gpu-team");
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector())
        .as("the operator's labels with the sweep's added; the sweep's win")
        .containsExactlyInAnyOrderEntriesOf(Map.of("accelerator", "a100", "pool", "a100-spot"));
    assertThat(pod.getTolerations())
        .as("the operator's, then the sweep's it lacks (the GPU taint is in both)")
        .hasSize(2);
    assertThat(pod.getTolerations().get(0).getKey()).isEqualTo("nvidia.com/gpu");
    assertThat(pod.getTolerations().get(0).getOperator()).isEqualTo("Exists");
    assertThat(pod.getTolerations().get(0).getValue()).isNull();
    assertThat(pod.getTolerations().get(1).getTolerationSeconds()).isEqualTo(300L);
    var term =
        pod.getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()
            .get(0)
            .getMatchExpressions()
            .get(0);
    assertThat(term.getKey()).as("the sweep's affinity, not the operator's").isEqualTo("zone");
    assertThat(term.getValues()).containsExactly("a", "b");
    assertThat(pod.getPriorityClassName()).isEqualTo("research-high");
    assertThat(pod.getRuntimeClassName()).isEqualTo("nvidia");
    assertThat(pod.getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("registry-creds", "team-creds");
    assertThat(pod.getContainers().get(0).getEnv())
        .extracting(EnvVar::getName)
        .containsExactly("OMP_NUM_THREADS", "JAVA_OPTS", "HOME", "WANDB_MODE");
    assertThat(pod.getContainers().get(0).getEnv().get(3).getValue()).isEqualTo("offline");
  }

  @Test
  void withoutASweepPlacementTheOperatorsDefaultsApply() {
    PodSpec pod = new JobFactory(CLUSTER).job(launch(GPU), SWEEP).getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("pool", "shared");
    assertThat(pod.getTolerations()).extracting(t -> t.getKey()).containsExactly("nvidia.com/gpu");
    assertThat(
            pod.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions()
                .get(0)
                .getKey())
        .isEqualTo("node-pool");
    assertThat(pod.getPriorityClassName()).isEqualTo("batch-low");
    assertThat(pod.getRuntimeClassName()).isEqualTo("runc");
  }

  @Test
  void noResourcesAskedMeansNoneSet() {
    Container c =
        new JobFactory(TrainerPodSettings.defaults())
            .job(launch(SweepDefinition.Resources.NONE), SWEEP)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(c.getResources().getRequests()).isNullOrEmpty();
    assertThat(c.getResources().getLimits()).isNullOrEmpty();
  }

  @Test
  void theChartsTolerationsAndAffinityArriveAsJsonAndBadJsonNamesTheSetting() {
    List<io.fabric8.kubernetes.api.model.Toleration> t =
        TrainerPodSettings.tolerations(
            "dks.trainer.tolerations",
            Optional.of(
                "[{\"key\":\"nvidia.com/gpu\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]"));
    assertThat(t)
        .singleElement()
        .satisfies(x -> assertThat(x.getKey()).isEqualTo("nvidia.com/gpu"));
    assertThat(TrainerPodSettings.tolerations("dks.trainer.tolerations", Optional.of("")))
        .isEmpty();
    var a =
        TrainerPodSettings.affinity(
            "dks.trainer.affinity",
            Optional.of(
                "{\"nodeAffinity\":{\"preferredDuringSchedulingIgnoredDuringExecution\":"
                    + "[{\"weight\":1,\"preference\":{\"matchExpressions\":"
                    + "[{\"key\":\"gpu\",\"operator\":\"Exists\"}]}}]}}"));
    assertThat(
            a.orElseThrow().getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
        .hasSize(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                TrainerPodSettings.tolerations(
                    "dks.trainer.tolerations", Optional.of("{\"key\": \"x\"}")))
        .hasMessageContaining("dks.trainer.tolerations is not a JSON list of tolerations");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                TrainerPodSettings.affinity(
                    "dks.trainer.affinity", Optional.of("{\"nodeAfinity\": {}}")))
        .hasMessage("dks.trainer.affinity has fields Kubernetes does not know: nodeAfinity");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                TrainerPodSettings.tolerations(
                    "dks.trainer.tolerations",
                    Optional.of("[{\"key\": \"a\"}, {\"key\": \"b\", \"efect\": \"NoSchedule\"}]")))
        .hasMessage("dks.trainer.tolerations has fields Kubernetes does not know: [1].efect");
  }
}
