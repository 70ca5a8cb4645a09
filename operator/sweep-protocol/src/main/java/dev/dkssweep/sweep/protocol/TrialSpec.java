package dev.dkssweep.sweep.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Everything a trainer needs to run one attempt of one trial (schema version 1). Written by the
 * planner, read by the trainer as JSON ({@link ProtocolJson}); validated by {@link
 * TrialSpecValidator}, which names the field of every violation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrialSpec(
    int schemaVersion,
    SweepRef sweep,
    int trialIndex,
    int attempt,
    long seed,
    ModelSpec model,
    DataSpec data,
    OptimisationSpec optimisation,
    ReportingSpec reporting) {

  public static final int SCHEMA_VERSION = 1;

  /** The sweep a trial belongs to. */
  public record SweepRef(String namespace, String name, String uid) {}

  /**
   * The network: {@code depth} activation layers of {@code width} units (channels for cnn).
   *
   * @param weightInit override of the method's initialisation: orthogonal, lecun or he
   * @param base for resnet-bn, the plain architecture the baseline mirrors: mlp (dense residual
   *     blocks; the default) or cnn (3x3 convolutional residual blocks, global average pooling)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ModelSpec(
      Architecture architecture,
      int depth,
      int width,
      String activation,
      Method method,
      MethodParams methodParams,
      String weightInit,
      Architecture base) {

    /** The plain architecture of the network's layers: mlp or cnn. */
    public Architecture layers() {
      return architecture == Architecture.RESNET_BN
          ? (base == null ? Architecture.MLP : base)
          : architecture;
    }
  }

  /** DKS zeta and local Q slope, TAT tau (smooth) and eta (Leaky ReLU); null = default. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MethodParams(Double zeta, Double localQSlope, Double tau, Double eta) {
    public static final MethodParams DEFAULTS = new MethodParams(null, null, null, null);
  }

  /**
   * @param dataset fashion-mnist, mnist, synthetic-teacher or synthetic-clusters
   * @param path a directory with the IDX files (optional: standard locations are searched)
   * @param validationFraction share of the training set held out for validation
   * @param trainLimit use at most this many training examples (null = all)
   * @param url where to download the IDX files from when they are nowhere on this machine: the
   *     directory URL holding them (http or https); null = never download
   * @param sha256 expected SHA-256 (hex) per file name, of the file as served or of its
   *     decompressed content; files without one are checked against the known content checksums of
   *     fashion-mnist, and refused when there are none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DataSpec(
      String dataset,
      String path,
      double validationFraction,
      int batchSize,
      boolean pln,
      Integer trainLimit,
      String url,
      java.util.Map<String, String> sha256) {}

  /** Optimiser, learning rate and schedule; stop after {@code epochs} or {@code maxSteps}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OptimisationSpec(
      Optimizer optimizer,
      double learningRate,
      Schedule schedule,
      Integer epochs,
      Long maxSteps,
      double weightDecay) {}

  /**
   * @param endpoint base URL of the ingest API (null: JSON lines on stdout only)
   * @param everySteps report the training loss every this many steps
   * @param terminationLogPath where the final summary goes (default /dev/termination-log)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ReportingSpec(
      String endpoint, String token, int everySteps, String terminationLogPath) {}

  /** Deterministic trial identity on the wire: {@code <sweep uid>-<trial index>}. */
  @JsonIgnore
  public String trialId() {
    return TrialId.format(sweep == null ? null : sweep.uid(), trialIndex);
  }

  /** This attempt's identity. */
  @JsonIgnore
  public TrialKey key() {
    return new TrialKey(sweep.uid(), trialIndex, attempt);
  }
}
