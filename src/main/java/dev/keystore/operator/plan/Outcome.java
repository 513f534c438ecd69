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
 * @param output         null when issuer.external waits for a slot's first certificate (nothing to assemble yet)
 * @param waitingForWindow the slots whose due renewal waits for a renewal window, and when that window starts
 * @param signing        issuer.external: the CSRs, the slots waiting, refused replies; else null
 */
public record Outcome(Map<String, byte[]> output, Map<String, byte[]> caRecord, Map<String, byte[]> internalRecord,
                      Map<SlotName, SlotReport> slots, int trustedCertificates, Instant nextRenewal,
                      List<Notice> notices, Map<SlotName, Instant> waitingForWindow, ExternalSigning.Round signing) {
    public Outcome {
        waitingForWindow = Map.copyOf(waitingForWindow);
    }

    /** A run without external signing or renewal windows. */
    public Outcome(Map<String, byte[]> output, Map<String, byte[]> caRecord, Map<String, byte[]> internalRecord,
                   Map<SlotName, SlotReport> slots, int trustedCertificates, Instant nextRenewal, List<Notice> notices) {
        this(output, caRecord, internalRecord, slots, trustedCertificates, nextRenewal, notices, Map.of(), null);
    }

    /** The notices' texts, in order. */
    public List<String> messages() {
        return notices.stream().map(Notice::message).toList();
    }
}
