package dev.keystore.operator.reconciler;

import dev.keystore.operator.plan.Problem;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A reconcile that failed in an unexpected way (any throwable but our own problems): the user gets
 * Ready=False, reason InternalError, one line without a stack trace or any material (only the
 * exception's class), and a retry soon, backing off to at most {@link #MAX}; the log gets the rest.
 */
final class InternalErrors {
    static final Duration MIN = Duration.ofSeconds(5);
    static final Duration MAX = Duration.ofMinutes(5);

    private InternalErrors() {
    }

    static Problem problem(Throwable t) {
        return new Problem(Problem.INTERNAL_ERROR, "The reconcile failed with " + t.getClass().getName()
            + " (see the operator log); it is retried with a backoff of at most " + MAX.toMinutes() + " minutes");
    }

    /** Twice the time the resource has been failing so far (since Ready last turned False), within [MIN, MAX]. */
    static Duration backoff(List<Condition> previous, Clock clock) {
        Instant since = previous == null ? null : previous.stream()
            .filter(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus())
                && Problem.INTERNAL_ERROR.equals(c.getReason()) && c.getLastTransitionTime() != null)
            .map(c -> parse(c.getLastTransitionTime())).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (since == null) {
            return MIN;
        }
        Duration doubled = Duration.between(since, clock.instant()).multipliedBy(2);
        return doubled.compareTo(MIN) < 0 ? MIN : doubled.compareTo(MAX) > 0 ? MAX : doubled;
    }

    private static Instant parse(String time) {
        try {
            return Instant.parse(time);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
