package dev.keystore.operator.plan;

import java.time.Instant;

/** What a slot holds after a run; becomes status.keystores.<slot>. No secret in here. */
public record SlotReport(SlotName slot, String alias, String subject, String issuer, String serialNumber,
                         Instant notBefore, Instant notAfter, Instant renewalTime, String sha256Fingerprint,
                         String keyAlgorithm, SlotAction action, String rotationToken) {
}
