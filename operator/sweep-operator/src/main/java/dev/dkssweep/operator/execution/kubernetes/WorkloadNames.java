package dev.dkssweep.operator.execution.kubernetes;

import dev.dkssweep.sweep.protocol.TrialKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Deterministic names of a trial attempt's Kubernetes objects, and the labels that find them. A
 * Job's name becomes its pods' {@code job-name} label, so it must be a DNS label: at most 63
 * characters of {@code [a-z0-9-]}. A sweep name that leaves no room is shortened and given a hash
 * of the full name, so two sweeps never share a name.
 */
public final class WorkloadNames {

  public static final int MAX = 63;

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String SWEEP = "dkssweep.dev/sweep";
  public static final String SWEEP_UID = "dkssweep.dev/sweep-uid";
  public static final String TRIAL = "dkssweep.dev/trial";
  public static final String ATTEMPT = "dkssweep.dev/attempt";
  public static final String METHOD = "dkssweep.dev/method";
  public static final String ACTIVATION = "dkssweep.dev/activation";
  public static final String DEPTH = "dkssweep.dev/depth";
  public static final String QUEUE_NAME = "kueue.x-k8s.io/queue-name";

  /** On a failed attempt's Job kept for inspection: its result is recorded, it is not observed. */
  public static final String RETAINED = "dkssweep.dev/retained";

  /** The sweep's full name on pods (a label value may have been shortened). */
  public static final String SWEEP_NAME_ANNOTATION = "dkssweep.dev/sweep-name";

  public static final String APP = "dks-sweep";
  public static final String TRAINER = "trainer";

  /** The component of the Secrets that hold a launch wave's TrialSpecs. */
  public static final String TRIAL_SPECS = "trial-specs";

  public static final String OPERATOR = "dks-sweep-operator";

  /** The selector of every object the operator manages for trials. */
  public static final String SELECTOR =
      MANAGED_BY + "=" + OPERATOR + "," + COMPONENT + "=" + TRAINER;

  private WorkloadNames() {}

  /** The sweep uid an object carries in its labels, as an informer index's keys (none or one). */
  public static List<String> sweepUid(HasMetadata object) {
    Map<String, String> l = object.getMetadata().getLabels();
    String uid = l == null ? null : l.get(SWEEP_UID);
    return uid == null ? List.of() : List.of(uid);
  }

  /**
   * The Secret of a wave of attempts' TrialSpecs: {@code <sweep>-specs-<hash of the attempts>}, the
   * same for the same attempts.
   */
  public static String specs(String sweepName, List<TrialKey> keys) {
    StringBuilder all = new StringBuilder();
    keys.forEach(k -> all.append(job(sweepName, k)).append('\n'));
    return shortened(sweepName, "-specs-" + hash(all.toString(), 6));
  }

  /** The Job of an attempt: {@code <sweep>-t<trial>-a<attempt>}. */
  public static String job(String sweepName, TrialKey key) {
    return shortened(sweepName, "-t" + key.trialIndex() + "-a" + key.attempt());
  }

  /** A label value that stands for the sweep's name (at most 63 characters). */
  public static String label(String sweepName) {
    return shortened(sweepName, "");
  }

  private static String shortened(String sweepName, String suffix) {
    String base = sweepName.toLowerCase().replaceAll("[^a-z0-9-]", "-");
    if (base.length() + suffix.length() <= MAX && base.equals(sweepName)) {
      return base + suffix;
    }
    String hash = hash(sweepName, 4);
    int room = MAX - suffix.length() - hash.length() - 1;
    String head = base.substring(0, Math.min(base.length(), room)).replaceAll("-+$", "");
    return (head.isEmpty() ? "s" : head) + "-" + hash + suffix;
  }

  private static String hash(String text, int bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
