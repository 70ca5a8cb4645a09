package dev.dkssweep.operator.execution.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkssweep.sweep.execution.TrialLaunch;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.ExitCode;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.protocol.TrialSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the Kubernetes objects of one trial attempt (pure: values in, objects out): a {@code
 * batch/v1} Job whose one pod runs the trainer, and the Secret that carries its TrialSpec, ingest
 * token included (anyone who may read Jobs must not be able to write results), shared by the
 * attempts launched together.
 *
 * <p>The Job never retries by itself ({@code backoffLimit: 0}): retries are the planner's recorded
 * attempts. Its pod failure policy leaves a disruption (preemption, eviction, drain) to the Job
 * controller, which starts the pod again without counting a failure, and ends the Job at once on
 * the trainer's own verdicts: diverged (exit 3) and invalid spec (exit 4). The pod runs as the
 * image's non-root user, with a read-only root file system, no privileges, no capabilities, the
 * runtime's seccomp profile and no service-account token; {@code /tmp} is an {@code emptyDir}.
 */
public final class JobFactory {

  public static final String CONTAINER = "trainer";
  public static final String SPEC_DIR = "/etc/dks-trial";
  public static final String SPEC_FILE = "spec.json";
  static final String SPEC_VOLUME = "spec";
  public static final String TERMINATION_LOG = "/dev/termination-log";
  static final long TRAINER_UID = 10001;

  /** Converts a sweep's affinity (JSON objects as maps) into the pod's. */
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TrainerPodSettings settings;

  public JobFactory(TrainerPodSettings settings) {
    this.settings = settings;
  }

  /**
   * The Secret holding the TrialSpecs of a wave of attempts (ingest tokens included), one key per
   * attempt, named by its Job: a round's launches share one Secret, so each attempt costs the API
   * server its Job's create and delete and a wave's Secret two calls in all. Each Job mounts only
   * its own key. Owned by the Sweep (deleted with it at the latest); immutable. {@code launches}
   * belong to one sweep.
   */
  public Secret specs(List<TrialLaunch> launches, OwnerReference sweep) {
    TrialSpec first = launches.get(0).spec();
    Map<String, String> labels = sweepLabels(first, WorkloadNames.TRIAL_SPECS);
    Map<String, String> data = new LinkedHashMap<>();
    for (TrialLaunch l : launches) {
      data.put(WorkloadNames.job(l.spec().sweep().name(), l.key()), ProtocolJson.write(l.spec()));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(specsName(launches))
        .withNamespace(first.sweep().namespace())
        .withLabels(labels)
        .withOwnerReferences(
            new OwnerReferenceBuilder(sweep)
                .withController(false)
                .withBlockOwnerDeletion(false)
                .build())
        .endMetadata()
        .withType("Opaque")
        .withImmutable(true)
        .withStringData(data)
        .build();
  }

  /** The name of the Secret holding {@code launches}' TrialSpecs (see {@link #specs}). */
  public static String specsName(List<TrialLaunch> launches) {
    TrialSpec first = launches.get(0).spec();
    return WorkloadNames.specs(
        first.sweep().name(), launches.stream().map(TrialLaunch::key).toList());
  }

  /** The Secret a Job's pod reads its TrialSpec from (the {@code spec} volume's), if any. */
  public static Optional<String> specsSecret(Job job) {
    if (job.getSpec() == null
        || job.getSpec().getTemplate() == null
        || job.getSpec().getTemplate().getSpec() == null
        || job.getSpec().getTemplate().getSpec().getVolumes() == null) {
      return Optional.empty();
    }
    return job.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> SPEC_VOLUME.equals(v.getName()) && v.getSecret() != null)
        .map(v -> v.getSecret().getSecretName())
        .findFirst();
  }

  /** The attempt's Job, its TrialSpec in a Secret of its own ({@link #specs} of it alone). */
  public Job job(TrialLaunch launch, OwnerReference sweep) {
    return job(launch, sweep, specsName(List.of(launch)));
  }

  /**
   * The attempt's Job; {@code sweep} is the owning Sweep (the Job's controller), {@code specs} the
   * Secret holding its TrialSpec under the Job's name.
   */
  public Job job(TrialLaunch launch, OwnerReference sweep, String specs) {
    TrialSpec spec = launch.spec();
    SweepDefinition.Placement p = launch.trainer().placement();
    Optional<String> queue = queue(launch);
    ObjectMeta meta = metadata(spec, sweep, queue);
    String name = meta.getName();
    return new JobBuilder()
        .withMetadata(meta)
        .withNewSpec()
        .withBackoffLimit(0)
        .withSuspend(queue.isPresent())
        .withActiveDeadlineSeconds(settings.activeDeadline().map(d -> d.toSeconds()).orElse(null))
        .withNewPodFailurePolicy()
        .withRules(failurePolicy())
        .endPodFailurePolicy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(meta.getLabels())
        .withAnnotations(Map.of(WorkloadNames.SWEEP_NAME_ANNOTATION, spec.sweep().name()))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withServiceAccountName(settings.serviceAccountName().orElse(null))
        .withImagePullSecrets(
            union(settings.imagePullSecrets(), p.imagePullSecrets()).stream()
                .map(LocalObjectReference::new)
                .toList())
        .withNodeSelector(nodeSelector(p))
        .withTolerations(tolerations(p))
        .withAffinity(
            p.affinity().isEmpty()
                ? settings.affinity().orElse(null)
                : JSON.convertValue(p.affinity(), Affinity.class))
        .withPriorityClassName(p.priorityClassName().or(settings::priorityClassName).orElse(null))
        .withRuntimeClassName(p.runtimeClassName().or(settings::runtimeClassName).orElse(null))
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(TRAINER_UID)
        .withRunAsGroup(TRAINER_UID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(launch))
        .addNewVolume()
        .withName(SPEC_VOLUME)
        .withNewSecret()
        .withSecretName(specs)
        .addNewItem()
        .withKey(name)
        .withPath(SPEC_FILE)
        .endItem()
        .withDefaultMode(0440)
        .endSecret()
        .endVolume()
        .addNewVolume()
        .withName("scratch")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The Kueue LocalQueue of the attempt's Job: the sweep's, else the operator's; none for none. */
  public Optional<String> queue(TrialLaunch launch) {
    return launch.trainer().placement().queueName().or(settings::queueName);
  }

  /** The operator's node selector with the sweep's labels added (the sweep's win). */
  private Map<String, String> nodeSelector(SweepDefinition.Placement p) {
    Map<String, String> all = new LinkedHashMap<>(settings.nodeSelector());
    all.putAll(p.nodeSelector());
    return all.isEmpty() ? null : all;
  }

  /** The operator's tolerations, then the sweep's that are not among them. */
  private List<Toleration> tolerations(SweepDefinition.Placement p) {
    List<Toleration> all = new ArrayList<>(settings.tolerations());
    for (SweepDefinition.Toleration t : p.tolerations()) {
      Toleration k = toleration(t);
      if (!all.contains(k)) {
        all.add(k);
      }
    }
    return all;
  }

  private static List<String> union(List<String> a, List<String> b) {
    return new ArrayList<>(new LinkedHashSet<>(concat(a, b)));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Toleration toleration(SweepDefinition.Toleration t) {
    return new TolerationBuilder()
        .withKey(t.key())
        .withOperator(t.operator())
        .withValue(t.value())
        .withEffect(t.effect())
        .withTolerationSeconds(t.tolerationSeconds())
        .build();
  }

  private Container container(TrialLaunch launch) {
    SweepDefinition.Trainer t = launch.trainer();
    List<String> args = new ArrayList<>(List.of("--spec", SPEC_DIR + "/" + SPEC_FILE));
    args.addAll(List.of("--termination-log", TERMINATION_LOG));
    args.addAll(t.args());
    List<String> jvm = new ArrayList<>(t.jvmOptions());
    jvm.add("-XX:ActiveProcessorCount=" + launch.threads());
    jvm.add("-Djava.io.tmpdir=/tmp");
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(t.image())
        .withArgs(args)
        .withEnv(env(launch, jvm))
        .withResources(resources(t.resources()))
        .withTerminationMessagePath(TERMINATION_LOG)
        .withTerminationMessagePolicy("File")
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withPrivileged(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName(SPEC_VOLUME)
        .withMountPath(SPEC_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("scratch")
        .withMountPath("/tmp")
        .endVolumeMount()
        .build();
  }

  /** The runner's variables, then the sweep's (the validator refuses the runner's names there). */
  private static List<EnvVar> env(TrialLaunch launch, List<String> jvm) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("OMP_NUM_THREADS", Integer.toString(launch.threads()), null));
    env.add(new EnvVar("JAVA_OPTS", String.join(" ", jvm), null));
    env.add(new EnvVar("HOME", "/tmp", null));
    launch.trainer().env().forEach(e -> env.add(new EnvVar(e.name(), e.value(), null)));
    return env;
  }

  private ResourceRequirements resources(SweepDefinition.Resources r) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    r.cpu().ifPresent(c -> requests.put("cpu", new Quantity(c)));
    r.memory()
        .ifPresent(
            m -> {
              requests.put("memory", new Quantity(m));
              limits.put("memory", new Quantity(m));
            });
    r.gpu()
        .ifPresent(
            g -> {
              if (g > 0) {
                limits.put(settings.gpuResource(), new Quantity(Integer.toString(g)));
              }
            });
    return new ResourceRequirementsBuilder()
        .withRequests(requests.isEmpty() ? null : requests)
        .withLimits(limits.isEmpty() ? null : limits)
        .build();
  }

  private static List<PodFailurePolicyRule> failurePolicy() {
    return List.of(
        new PodFailurePolicyRuleBuilder()
            .withAction("Ignore")
            .addNewOnPodCondition()
            .withType("DisruptionTarget")
            .withStatus("True")
            .endOnPodCondition()
            .build(),
        new PodFailurePolicyRuleBuilder()
            .withAction("FailJob")
            .withNewOnExitCodes()
            .withContainerName(CONTAINER)
            .withOperator("In")
            .withValues(ExitCode.DIVERGED.code(), ExitCode.INVALID_SPEC.code())
            .endOnExitCodes()
            .build());
  }

  /** The labels every object of a sweep's trials carries: application, component, sweep. */
  private static Map<String, String> sweepLabels(TrialSpec spec, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(WorkloadNames.NAME, WorkloadNames.APP);
    labels.put(WorkloadNames.INSTANCE, WorkloadNames.label(spec.sweep().name()));
    labels.put(WorkloadNames.COMPONENT, component);
    labels.put(WorkloadNames.MANAGED_BY, WorkloadNames.OPERATOR);
    labels.put(WorkloadNames.SWEEP, WorkloadNames.label(spec.sweep().name()));
    labels.put(WorkloadNames.SWEEP_UID, spec.key().sweepUid());
    return labels;
  }

  private ObjectMeta metadata(TrialSpec spec, OwnerReference sweep, Optional<String> queue) {
    TrialKey key = spec.key();
    Map<String, String> labels = sweepLabels(spec, WorkloadNames.TRAINER);
    labels.put(WorkloadNames.TRIAL, Integer.toString(key.trialIndex()));
    labels.put(WorkloadNames.ATTEMPT, Integer.toString(key.attempt()));
    labels.put(
        WorkloadNames.METHOD,
        spec.model().method() == null
            ? spec.model().architecture().code()
            : spec.model().method().code());
    labels.put(WorkloadNames.ACTIVATION, spec.model().activation());
    labels.put(WorkloadNames.DEPTH, Integer.toString(spec.model().depth()));
    queue.ifPresent(q -> labels.put(WorkloadNames.QUEUE_NAME, q));
    OwnerReference owner =
        new OwnerReferenceBuilder(sweep).withController(true).withBlockOwnerDeletion(true).build();
    return new ObjectMetaBuilder()
        .withName(WorkloadNames.job(spec.sweep().name(), key))
        .withNamespace(spec.sweep().namespace())
        .withLabels(labels)
        .withOwnerReferences(owner)
        .build();
  }
}
