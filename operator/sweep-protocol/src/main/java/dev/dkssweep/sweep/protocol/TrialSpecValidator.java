package dev.dkssweep.sweep.protocol;

import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.exception.InvalidArgumentException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks a {@link TrialSpec}; returns every violation with its field path, never throws. */
public final class TrialSpecValidator {

  public static final int MAX_DEPTH = 10_000;
  public static final Set<String> DATASETS =
      Set.of("fashion-mnist", "mnist", "synthetic-teacher", "synthetic-clusters");
  public static final Set<String> WEIGHT_INITS = Set.of("orthogonal", "lecun", "he");

  private TrialSpecValidator() {}

  public static List<SpecViolation> validate(TrialSpec spec) {
    List<SpecViolation> v = new ArrayList<>();
    if (spec.schemaVersion() != TrialSpec.SCHEMA_VERSION) {
      v.add(
          new SpecViolation(
              "schemaVersion",
              "must be " + TrialSpec.SCHEMA_VERSION + ", got " + spec.schemaVersion()));
    }
    if (spec.sweep() == null) {
      v.add(new SpecViolation("sweep", "is required (namespace, name, uid)"));
    } else {
      blank(v, "sweep.namespace", spec.sweep().namespace());
      blank(v, "sweep.name", spec.sweep().name());
      blank(v, "sweep.uid", spec.sweep().uid());
    }
    if (spec.trialIndex() < 0) {
      v.add(new SpecViolation("trialIndex", "must be >= 0, got " + spec.trialIndex()));
    }
    if (spec.attempt() < 1) {
      v.add(new SpecViolation("attempt", "must be >= 1, got " + spec.attempt()));
    }
    model(v, spec.model());
    data(v, spec.data());
    optimisation(v, spec.optimisation());
    reporting(v, spec.reporting());
    return v;
  }

  private static void model(List<SpecViolation> v, TrialSpec.ModelSpec m) {
    if (m == null) {
      v.add(new SpecViolation("model", "is required"));
      return;
    }
    if (m.architecture() == null) {
      v.add(new SpecViolation("model.architecture", "is required: mlp, cnn or resnet-bn"));
    }
    if (m.base() != null && m.architecture() != Architecture.RESNET_BN) {
      v.add(
          new SpecViolation(
              "model.base", "only the resnet-bn baseline has a base architecture; leave it out"));
    } else if (m.base() == Architecture.RESNET_BN) {
      v.add(new SpecViolation("model.base", "must be mlp or cnn, got resnet-bn"));
    }
    if (m.depth() < 1 || m.depth() > MAX_DEPTH) {
      v.add(
          new SpecViolation(
              "model.depth", "must be between 1 and " + MAX_DEPTH + ", got " + m.depth()));
    }
    if (m.width() < 1 || m.width() > 65_536) {
      v.add(new SpecViolation("model.width", "must be between 1 and 65536, got " + m.width()));
    }
    try {
      Activations.byName(m.activation());
    } catch (InvalidArgumentException e) {
      v.add(
          new SpecViolation("model.activation", e.getMessage().replaceFirst("^activation: ", "")));
    }
    if (m.method() == null) {
      v.add(new SpecViolation("model.method", "is required: dks, tat, standard or orthogonal"));
    } else if (m.architecture() == Architecture.RESNET_BN && m.method() != Method.STANDARD) {
      v.add(
          new SpecViolation(
              "model.method",
              "resnet-bn is the batch-norm baseline with standard init; use method standard"));
    } else if (m.method() == Method.TAT && "relu".equals(m.activation())) {
      v.add(
          new SpecViolation(
              "model.method", "tat does not support relu; use leaky_relu (TReLU) or dks"));
    }
    TrialSpec.MethodParams p = m.methodParams();
    if (p != null) {
      if (p.zeta() != null && !(p.zeta() > 1)) {
        v.add(new SpecViolation("model.methodParams.zeta", "must be > 1, got " + p.zeta()));
      }
      if (p.tau() != null && !(p.tau() > 0)) {
        v.add(new SpecViolation("model.methodParams.tau", "must be > 0, got " + p.tau()));
      }
      if (p.eta() != null && !(p.eta() >= 0 && p.eta() <= 1)) {
        v.add(new SpecViolation("model.methodParams.eta", "must be in [0, 1], got " + p.eta()));
      }
      if (p.localQSlope() != null && !Double.isFinite(p.localQSlope())) {
        v.add(new SpecViolation("model.methodParams.localQSlope", "must be finite"));
      }
    }
    if (m.weightInit() != null && !WEIGHT_INITS.contains(m.weightInit())) {
      v.add(
          new SpecViolation(
              "model.weightInit",
              "use one of " + WEIGHT_INITS + " or leave it out, got '" + m.weightInit() + "'"));
    }
  }

  private static void data(List<SpecViolation> v, TrialSpec.DataSpec d) {
    if (d == null) {
      v.add(new SpecViolation("data", "is required"));
      return;
    }
    if (d.dataset() == null || !DATASETS.contains(d.dataset())) {
      v.add(
          new SpecViolation(
              "data.dataset", "use one of " + DATASETS + ", got '" + d.dataset() + "'"));
    }
    if (!(d.validationFraction() >= 0 && d.validationFraction() < 1)) {
      v.add(
          new SpecViolation(
              "data.validationFraction", "must be in [0, 1), got " + d.validationFraction()));
    }
    if (d.batchSize() < 1) {
      v.add(new SpecViolation("data.batchSize", "must be >= 1, got " + d.batchSize()));
    }
    if (d.trainLimit() != null && d.trainLimit() < 1) {
      v.add(new SpecViolation("data.trainLimit", "must be >= 1 when set, got " + d.trainLimit()));
    }
    dataSource(v, d.dataset(), d.url(), d.sha256(), "data.url", "data.sha256");
  }

  /** The IDX files every IDX data set has, as served (gzip) or plain. */
  public static final Set<String> IDX_FILES =
      Set.of(
          "train-images-idx3-ubyte",
          "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte",
          "train-images-idx3-ubyte.gz",
          "train-labels-idx1-ubyte.gz",
          "t10k-images-idx3-ubyte.gz",
          "t10k-labels-idx1-ubyte.gz");

  /**
   * Checks a download source: an http(s) URL, only for IDX data sets, and checksums of 64 hex
   * digits keyed by IDX file names. Shared with the sweep validator (its field names differ).
   */
  public static void dataSource(
      List<SpecViolation> v,
      String dataset,
      String url,
      java.util.Map<String, String> sha256,
      String urlField,
      String shaField) {
    if (url != null) {
      if (!url.startsWith("https://") && !url.startsWith("http://")) {
        v.add(new SpecViolation(urlField, "must be an http:// or https:// URL, got '" + url + "'"));
      }
      if (dataset != null && dataset.startsWith("synthetic-")) {
        v.add(
            new SpecViolation(
                urlField, dataset + " is generated, not downloaded: leave " + urlField + " out"));
      }
    }
    if (sha256 != null) {
      sha256.forEach(
          (file, hex) -> {
            if (!IDX_FILES.contains(file)) {
              v.add(
                  new SpecViolation(
                      shaField + "." + file,
                      "unknown file; use the IDX file names, e.g. train-images-idx3-ubyte.gz"));
            } else if (hex == null || !hex.matches("[0-9a-fA-F]{64}")) {
              v.add(new SpecViolation(shaField + "." + file, "must be 64 hex digits (SHA-256)"));
            }
          });
    }
  }

  private static void optimisation(List<SpecViolation> v, TrialSpec.OptimisationSpec o) {
    if (o == null) {
      v.add(new SpecViolation("optimisation", "is required"));
      return;
    }
    if (o.optimizer() == null) {
      v.add(new SpecViolation("optimisation.optimizer", "is required: sgd, momentum or adam"));
    }
    if (!(o.learningRate() > 0) || Double.isInfinite(o.learningRate())) {
      v.add(
          new SpecViolation(
              "optimisation.learningRate", "must be a finite number > 0, got " + o.learningRate()));
    }
    if (o.epochs() == null && o.maxSteps() == null) {
      v.add(new SpecViolation("optimisation.epochs", "set epochs or maxSteps (or both)"));
    }
    if (o.epochs() != null && o.epochs() < 1) {
      v.add(new SpecViolation("optimisation.epochs", "must be >= 1, got " + o.epochs()));
    }
    if (o.maxSteps() != null && o.maxSteps() < 1) {
      v.add(new SpecViolation("optimisation.maxSteps", "must be >= 1, got " + o.maxSteps()));
    }
    if (!(o.weightDecay() >= 0) || Double.isInfinite(o.weightDecay())) {
      v.add(new SpecViolation("optimisation.weightDecay", "must be >= 0, got " + o.weightDecay()));
    }
  }

  private static void reporting(List<SpecViolation> v, TrialSpec.ReportingSpec r) {
    if (r == null) {
      return;
    }
    if (r.everySteps() < 1) {
      v.add(new SpecViolation("reporting.everySteps", "must be >= 1, got " + r.everySteps()));
    }
    if (r.endpoint() != null) {
      try {
        URI uri = new URI(r.endpoint());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          v.add(
              new SpecViolation(
                  "reporting.endpoint", "must be an http(s) URL, got '" + r.endpoint() + "'"));
        }
      } catch (URISyntaxException e) {
        v.add(new SpecViolation("reporting.endpoint", "not a URL: " + e.getMessage()));
      }
    }
  }

  private static void blank(List<SpecViolation> v, String field, String value) {
    if (value == null || value.isBlank()) {
      v.add(new SpecViolation(field, "is required"));
    }
  }
}
