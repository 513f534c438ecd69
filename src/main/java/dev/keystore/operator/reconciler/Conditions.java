package dev.keystore.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Status conditions: lastTransitionTime moves only when a condition's status flips. */
final class Conditions {
    private Conditions() {
    }

    static List<Condition> merge(List<Condition> previous, Clock clock, Condition... conditions) {
        List<Condition> result = new ArrayList<>();
        for (Condition c : conditions) {
            Condition old = previous == null ? null
                : previous.stream().filter(p -> c.getType().equals(p.getType())).findFirst().orElse(null);
            c.setLastTransitionTime(old != null && Objects.equals(old.getStatus(), c.getStatus())
                && old.getLastTransitionTime() != null ? old.getLastTransitionTime() : clock.instant().toString());
            result.add(c);
        }
        return result;
    }
}
