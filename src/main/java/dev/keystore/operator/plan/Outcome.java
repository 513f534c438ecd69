package dev.keystore.operator.plan;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The result of a run: the data of the three Secrets (same bytes as before wherever the content
 * did not change), per-slot reports, and notices worth an Event.
 *
 * @param caRecord       null when the set has no self-signed CA of its own
 * @param internalRecord null when no slot holds a key that must never change
 * @param waitingForWindow the slots whose due renewal waits for a renewal window, and when that window starts
 */
public record Outcome(Map<String, byte[]> output, Map<String, byte[]> caRecord, Map<String, byte[]> internalRecord,
                      Map<SlotName, SlotReport> slots, int trustedCertificates, Instant nextRenewal,
                      List<Notice> notices, Map<SlotName, Instant> waitingForWindow) {
    public Outcome {
        waitingForWindow = Map.copyOf(waitingForWindow);
    }

    public Outcome(Map<String, byte[]> output, Map<String, byte[]> caRecord, Map<String, byte[]> internalRecord,
                   Map<SlotName, SlotReport> slots, int trustedCertificates, Instant nextRenewal, List<Notice> notices) {
        this(output, caRecord, internalRecord, slots, trustedCertificates, nextRenewal, notices, Map.of());
    }

    /** The notices' texts, in order. */
    public List<String> messages() {
        return notices.stream().map(Notice::message).toList();
    }
}
