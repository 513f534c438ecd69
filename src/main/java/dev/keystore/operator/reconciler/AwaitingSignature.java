package dev.keystore.operator.reconciler;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.KeystoreSetStatus;
import dev.keystore.operator.plan.ExternalSigning;
import dev.keystore.operator.plan.Problem;
import dev.keystore.operator.plan.SlotName;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * issuer.external in status and Events: Issuing=True/AwaitingSignature naming the slots whose CSR
 * waits, an Event when that list changes, a Warning when a reply is refused.
 */
final class AwaitingSignature {
    static final String REASON = "AwaitingSignature";

    private AwaitingSignature() {
    }

    /** status.awaitingSignature: slot to when its CSR was written; null when nothing waits. */
    static Map<String, String> status(ExternalSigning.Round round) {
        if (round == null || round.waiting().isEmpty()) {
            return null;
        }
        Map<String, String> waiting = new LinkedHashMap<>();
        round.waiting().forEach((slot, since) -> waiting.put(slot.key(), since.toString()));
        return waiting;
    }

    static String message(ExternalSigning.Round round) {
        String slots = round.waiting().entrySet().stream().map(e -> e.getKey().key() + " (since " + e.getValue() + ")")
            .collect(Collectors.joining(", "));
        StringBuilder m = new StringBuilder("Waiting for the signed certificate of " + slots + ": sign the CSR(s) in Secret "
            + round.csrSecret() + " (" + round.waiting().keySet().stream().map(ExternalSigning::csrKey)
            .collect(Collectors.joining(", ")) + ") and put leaf then chain (PEM) into Secret " + round.replySecret() + " ("
            + round.waiting().keySet().stream().map(ExternalSigning::replyKey).collect(Collectors.joining(", ")) + ")");
        round.refusedWhileInUse().forEach(p -> m.append("; refused: ").append(p.message()));
        return m.toString();
    }

    static Condition issuing(ExternalSigning.Round round, Long generation) {
        return new ConditionBuilder().withType("Issuing").withStatus("True").withReason(REASON).withMessage(message(round))
            .withObservedGeneration(generation).build();
    }

    /** Ready=False while a slot has no certificate yet: the refusal, or the wait itself. */
    static Condition notReady(ExternalSigning.Round round, Long generation) {
        Problem blocking = round.blocking();
        return new ConditionBuilder().withType("Ready").withStatus("False")
            .withReason(blocking != null ? blocking.reason() : REASON)
            .withMessage(blocking != null ? blocking.message() : message(round)).withObservedGeneration(generation).build();
    }

    /** The Events of a round: the waiting slots when they change, each refused reply when new. */
    static void tell(EventRecorder events, KeystoreSet set, KeystoreSetStatus previous, ExternalSigning.Round round) {
        Map<String, String> before = previous.awaitingSignature == null ? Map.of() : previous.awaitingSignature;
        Map<String, String> now = status(round);
        if (now != null && !now.equals(before)) {
            events.normal(set, REASON, message(round));
        }
        String previousIssuing = condition(previous.conditions, "Issuing");
        String previousReady = condition(previous.conditions, "Ready");
        for (Problem p : round.refusedWhileInUse()) {
            if (previousIssuing == null || !previousIssuing.contains(p.message())) {
                events.warning(set, p.reason(), p.message());
            }
        }
        if (round.blocking() != null && !Objects.equals(previousReady, round.blocking().message())) {
            events.warning(set, round.blocking().reason(), round.blocking().message());
        }
    }

    private static String condition(List<Condition> conditions, String type) {
        return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
            .map(Condition::getMessage).orElse(null);
    }

    static List<SlotName> slots(ExternalSigning.Round round) {
        return List.copyOf(round.waiting().keySet());
    }

    static Instant oldest(ExternalSigning.Round round) {
        return round.waiting().values().stream().min(Instant::compareTo).orElse(null);
    }
}
