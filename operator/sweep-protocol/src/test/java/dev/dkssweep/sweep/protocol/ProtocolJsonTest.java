package dev.dkssweep.sweep.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProtocolJsonTest {

  static final String VALID =
      """
      {"schemaVersion": 1,
       "sweep": {"namespace": "ns", "name": "quick", "uid": "abc"},
       "trialIndex": 4, "attempt": 2, "seed": 42,
       "model": {"architecture": "mlp", "depth": 50, "width": 128, "activation": "tanh",
                 "method": "dks", "methodParams": {"zeta": 1.5}},
       "data": {"dataset": "fashion-mnist", "validationFraction": 0.1, "batchSize": 128, "pln": true},
       "optimisation": {"optimizer": "adam", "learningRate": 1e-4, "schedule": "cosine", "epochs": 2,
                        "weightDecay": 0},
       "reporting": {"endpoint": "http://op:8080/api", "token": "t", "everySteps": 50}}
      """;

  @Test
  void readsAndWritesATrialSpec() {
    TrialSpec spec = ProtocolJson.readTrialSpec(VALID);
    assertThat(spec.trialId()).isEqualTo("abc-4");
    assertThat(spec.model().method()).isEqualTo(Method.DKS);
    assertThat(spec.model().methodParams().zeta()).isEqualTo(1.5);
    assertThat(spec.optimisation().maxSteps()).isNull();
    String json = ProtocolJson.write(spec);
    assertThat(json)
        .contains("\"method\":\"dks\"")
        .doesNotContain("maxSteps")
        .doesNotContain("trialId");
    assertThat(ProtocolJson.readTrialSpec(json)).isEqualTo(spec);
  }

  @Test
  void unknownFieldsAndBadValuesNameTheirField() {
    assertThatThrownBy(() -> ProtocolJson.readTrialSpec(VALID.replace("\"width\"", "\"widht\"")))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e -> {
              assertThat(e.violations().get(0).field()).isEqualTo("model.widht");
              assertThat(e.getMessage()).contains("unknown field").contains("width");
            });
    assertThatThrownBy(() -> ProtocolJson.readTrialSpec(VALID.replace("\"dks\"", "\"kds\"")))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e -> {
              assertThat(e.violations().get(0).field()).isEqualTo("model.method");
              assertThat(e.getMessage()).contains("dks, tat, standard, orthogonal");
            });
    assertThatThrownBy(() -> ProtocolJson.readTrialSpec("{not json"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void validatorReportsEveryViolation() {
    String bad =
        VALID
            .replace("\"depth\": 50", "\"depth\": 0")
            .replace("\"zeta\": 1.5", "\"zeta\": 0.5")
            .replace("\"fashion-mnist\"", "\"cifar\"")
            .replace("\"learningRate\": 1e-4", "\"learningRate\": -1")
            .replace("\"epochs\": 2,", "")
            .replace("\"attempt\": 2", "\"attempt\": 0")
            .replace("http://op:8080/api", "ftp://x");
    assertThatThrownBy(() -> ProtocolJson.readTrialSpec(bad))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e ->
                assertThat(e.violations())
                    .extracting(SpecViolation::field)
                    .containsExactlyInAnyOrder(
                        "attempt",
                        "model.depth",
                        "model.methodParams.zeta",
                        "data.dataset",
                        "optimisation.learningRate",
                        "optimisation.epochs",
                        "reporting.endpoint"));
  }

  @Test
  void tatWithReluIsRejectedUpFront() {
    TrialSpec spec =
        ProtocolJson.read(
            VALID.replace("\"tanh\"", "\"relu\"").replace("\"dks\"", "\"tat\""), TrialSpec.class);
    assertThat(TrialSpecValidator.validate(spec))
        .extracting(SpecViolation::field)
        .containsExactly("model.method");
  }

  @Test
  void aResnetBaselineNamesTheArchitectureItMirrors() {
    String conv =
        VALID
            .replace("\"mlp\"", "\"resnet-bn\", \"base\": \"cnn\"")
            .replace("\"dks\"", "\"standard\"")
            .replace(", \"methodParams\": {\"zeta\": 1.5}", "");
    TrialSpec spec = ProtocolJson.readTrialSpec(conv);
    assertThat(spec.model().layers()).isEqualTo(Architecture.CNN);
    assertThat(ProtocolJson.readTrialSpec(ProtocolJson.write(spec))).isEqualTo(spec);
    // without a base, the baseline is the dense one (specs written before the field existed)
    TrialSpec dense = ProtocolJson.readTrialSpec(conv.replace(", \"base\": \"cnn\"", ""));
    assertThat(dense.model().layers()).isEqualTo(Architecture.MLP);
    assertThat(ProtocolJson.write(dense)).doesNotContain("base");
    assertThat(
            TrialSpecValidator.validate(
                ProtocolJson.read(
                    VALID.replace("\"mlp\"", "\"mlp\", \"base\": \"cnn\""), TrialSpec.class)))
        .extracting(SpecViolation::field)
        .containsExactly("model.base");
  }

  @Test
  void aDownloadSourceIsCheckedUpFront() {
    String withUrl =
        VALID.replace(
            "\"pln\": true",
            "\"pln\": true, \"url\": \"https://mirror.example/fashion\","
                + " \"sha256\": {\"train-images-idx3-ubyte.gz\": \""
                + "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888\"}");
    TrialSpec spec = ProtocolJson.readTrialSpec(withUrl);
    assertThat(spec.data().url()).isEqualTo("https://mirror.example/fashion");
    assertThat(ProtocolJson.readTrialSpec(ProtocolJson.write(spec))).isEqualTo(spec);
    TrialSpec synthetic =
        ProtocolJson.read(
            withUrl.replace("\"fashion-mnist\"", "\"synthetic-teacher\"").replace("c59f", "zz9f"),
            TrialSpec.class);
    assertThat(TrialSpecValidator.validate(synthetic))
        .extracting(SpecViolation::field)
        .containsExactlyInAnyOrder("data.url", "data.sha256.train-images-idx3-ubyte.gz");
  }

  @Test
  void summariesAndBatchesRoundTrip() {
    TrialSummary s =
        new TrialSummary(
            "abc-4",
            1,
            TrialStatus.DIVERGED,
            Map.of("val_loss", 2.3),
            Map.of(),
            17,
            3.5,
            1000,
            new TrialSummary.AppliedTransform("tanh", "dks", 0.1, 0.5, 10, -0.5, null),
            new TrialSummary.InitCheck(
                0.1, List.of(new TrialSummary.LayerKernel(1, 1, 1, 0.1, 0.1)), 0, 0),
            "non-finite",
            0);
    assertThat(ProtocolJson.read(ProtocolJson.write(s), TrialSummary.class)).isEqualTo(s);
    assertThat(ProtocolJson.write(s)).contains("\"status\":\"diverged\"");
    MetricBatch b = new MetricBatch("abc-4", 1, List.of(new MetricPoint(3, 1, "loss", 0.5, 99)));
    assertThat(ProtocolJson.read(ProtocolJson.write(b), MetricBatch.class)).isEqualTo(b);
    assertThat(ExitCode.of(TrialStatus.DIVERGED).code()).isEqualTo(3);
  }

  @Test
  void aNulCharacterIsRefusedWithItsField() {
    String json =
        "{\"trialId\":\"u-0\",\"attempt\":1,\"points\":[{\"step\":1,\"epoch\":0,"
            + "\"name\":\"lo\\u0000ss\",\"value\":1,\"time\":1}]}";
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ProtocolJson.read(json, MetricBatch.class))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.violations())
                    .extracting(SpecViolation::field)
                    .containsExactly("points[0].name"));
  }

  @Test
  void anExplicitNullIsNamedByItsPath() {
    assertThat(ProtocolJson.nullAt("{\"trialId\":\"x-1\",\"attempt\":1}")).isEmpty();
    assertThat(ProtocolJson.nullAt("null")).contains("$");
    assertThat(ProtocolJson.nullAt("{\"trialId\":null}")).contains("trialId");
    assertThat(
            ProtocolJson.nullAt(
                "{\"points\":[{\"step\":1,\"value\":0.5},{\"step\":2,\"value\":null}]}"))
        .contains("points[1].value");
    assertThat(ProtocolJson.nullAt("{\"a\":{\"b\":[1,[2,null]]}}")).contains("a.b[1][1]");
    assertThat(ProtocolJson.nullAt("[{\"x\":[]},null]")).contains("[1]");
    assertThatThrownBy(
            () ->
                ProtocolJson.readStrict(
                    "{\"trialId\":\"s-1\",\"attempt\":1,\"points\":[{\"step\":1,"
                        + "\"epoch\":1,\"name\":\"loss\",\"value\":null,\"time\":0}]}",
                    MetricBatch.class))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e ->
                assertThat(e.violations())
                    .containsExactly(
                        new SpecViolation(
                            "points[0].value", "is null; give a value or leave the field out")));
  }

  @Test
  void decimalValuesAreReadExactlyAsTheJdkReadsThem() {
    // the mapper's fast double parser must give the same correctly rounded value as the JDK's
    SplittableRandom random = new SplittableRandom(14);
    StringBuilder json = new StringBuilder("{\"trialId\":\"s-1\",\"attempt\":1,\"points\":[");
    List<String> written = new java.util.ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      double v =
          switch (i % 4) {
            case 0 -> random.nextDouble();
            case 1 -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL);
            case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(-300, 300));
            default -> 1.0 / (i + 3);
          };
      String text =
          i % 8 == 3 ? String.format(java.util.Locale.ROOT, "%.25e", v) : Double.toString(v);
      written.add(text);
      json.append(i == 0 ? "" : ",")
          .append("{\"step\":")
          .append(i)
          .append(",\"epoch\":1,\"name\":\"m\",\"value\":")
          .append(text)
          .append(",\"time\":0}");
    }
    MetricBatch batch = ProtocolJson.readStrict(json.append("]}").toString(), MetricBatch.class);
    for (int i = 0; i < written.size(); i++) {
      assertThat(Double.doubleToRawLongBits(batch.points().get(i).value()))
          .as(written.get(i))
          .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(written.get(i))));
    }
    assertThat(batch.points()).hasSize(20_000);
  }
}
