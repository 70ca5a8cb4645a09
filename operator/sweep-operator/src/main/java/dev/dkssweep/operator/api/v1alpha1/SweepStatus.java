package dev.dkssweep.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * The Sweep resource's status: bounded whatever the number of trials (counts and the best cell,
 * never a list of trials), built fresh by {@code StatusMapper} from a round's status value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepStatus(
    @JsonPropertyDescription("The generation of the spec the operator last acted on.")
        Long observedGeneration,
    @JsonPropertyDescription("Pending, Running, Complete, Failed or Stopped.") String phase,
    @JsonPropertyDescription("Why the sweep is in its phase (CamelCase).") String reason,
    @JsonPropertyDescription(
            "Accepted, Running, Complete, Failed, Suspended and Degraded, with reasons and"
                + " messages.")
        List<Condition> conditions,
    @JsonPropertyDescription("Trials by state.") Counts counts,
    @JsonPropertyDescription("Finished trials / all trials.") String progress,
    @JsonPropertyDescription("The best cell so far, its objective averaged over seeds.") Best best,
    @JsonPropertyDescription("When the first trial was launched (RFC 3339).") String startTime,
    @JsonPropertyDescription("When the sweep ended (RFC 3339).") String completionTime,
    @JsonPropertyDescription("The sweep's page on the dashboard.") String dashboardUrl) {

  /** Trials by state. */
  public record Counts(
      int total,
      int pending,
      @JsonPropertyDescription("Launched and waiting for their pod (or held by a queue).")
          int queued,
      int running,
      int succeeded,
      @JsonPropertyDescription("Failed for good (after their retries).") int failed,
      @JsonPropertyDescription("Stopped by the early-stopping rule or diverged.") int earlyStopped,
      @JsonPropertyDescription("Infeasible cells and trials the budget left out.") int skipped,
      @JsonPropertyDescription("Stopped trials waiting to run again (suspend, preemption).")
          int requeued,
      @JsonPropertyDescription(
              "Attempts started again so far: retries after a failure, resumptions after an"
                  + " interruption, replacements of lost attempts.")
          int relaunched) {}

  /** The best cell over its seeds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Best(
      @JsonPropertyDescription("The cell's label, e.g. dks/tanh/d50/w64/lr0.001.") String cell,
      String method,
      String activation,
      Integer depth,
      Integer width,
      Double learningRate,
      @JsonPropertyDescription("The objective's mean over the cell's finished seeds, as text.")
          String objective,
      Double mean,
      Double std,
      Integer n) {}
}
