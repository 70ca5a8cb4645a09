package dev.dkssweep.sweep.planning;

import java.util.List;
import java.util.Optional;

/** The planner's output, in the order the actions are to be applied. */
public record Plan(List<TrialAction> actions) {

  public Plan {
    actions = List.copyOf(actions);
  }

  public Optional<TrialAction.Finish> finish() {
    return actions.stream()
        .filter(TrialAction.Finish.class::isInstance)
        .map(TrialAction.Finish.class::cast)
        .findFirst();
  }

  public <T extends TrialAction> List<T> all(Class<T> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
