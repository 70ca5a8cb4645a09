package dev.dkssweep.operator.reconcile;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The application as a cluster runs it: the operator started, trainers posting to it. */
public class OperatorProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "%test.dks.operator.enabled", "true",
        "dks.ingest.url", "http://127.0.0.1:8081/api/ingest",
        "dks.resync", "1s",
        "dks.trainer.threads", "1",
        "dks.trainer.start-timeout", "8s",
        "dks.dashboard-url", "http://dks.example",
        "dks.trainer.memory", "1Gi",
        "dks.trainer.tolerations",
            "[{\"key\":\"dkssweep.dev/test-nodes\",\"operator\":\"Exists\"}]");
  }
}
