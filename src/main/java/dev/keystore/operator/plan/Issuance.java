package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.RotationPolicy;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.Fingerprints;
import dev.keystore.operator.crypto.KeyAndChain;
import dev.keystore.operator.crypto.KeyMatch;
import dev.keystore.operator.crypto.KeySource;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.keystore.Passwords;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run for one set: decides per slot whether to keep, renew or rotate, issues what is due, and
 * assembles the Secret data. Pure: the clock and randomness come in through the {@link Signer}.
 */
public final class Issuance {
    static final Notice REENCRYPTED = Notice.keyMaterial("Re-encrypted every store with the new password; keys unchanged");
    /** Notices saying the key that never changes was taken over from another slot. */
    public static final Notice PRIMARY_BECAME_INTERNAL = new Notice(Notice.Kind.KEY_ADOPTED,
        "The existing primary key pair now serves as the internal key; a new primary key pair was generated");
    public static final Notice INTERNAL_TOOK_OVER = new Notice(Notice.Kind.KEY_ADOPTED,
        "The internal slot took over the key pair the primary slot used for internal data");
    /** Notice of a slot found holding a key another slot owns (a migration interrupted before the output was written). */
    public static final String SHARED_KEY_REPLACED = "held the key pair of another slot; a new key pair was generated for it";
    public static final Notice CA_RESTORED =
        Notice.keyMaterial("The CA record was missing: the CA was restored from its copy in the internal key record");

    private final Signer signer;
    private final KeySource keys;

    /** Generates every new key pair on the spot (render, tests). */
    public Issuance(Signer signer) {
        this(signer, KeySource.generating(signer.random()));
    }

    /** Takes new key pairs from {@code keys}, e.g. the operator's warm {@link dev.keystore.operator.crypto.KeyPool}. */
    public Issuance(Signer signer, KeySource keys) {
        this.signer = signer;
        this.keys = keys;
    }

    public Outcome run(SetDefinition def, ExistingState existing) throws Problem.Raised {
        return run(def, existing, null);
    }

    /**
     * @param signed issuer.external: the data of the certificateSecretRef Secret, or null when it does not exist
     */
    public Outcome run(SetDefinition def, ExistingState existing, Map<String, byte[]> signed) throws Problem.Raised {
        Instant now = signer.clock().instant();
        ExternalSigning external = def.issuer().kind() == SetDefinition.IssuerDefinition.Kind.EXTERNAL
            ? new ExternalSigning(def, existing.internalRecord(), signed, keys, signer.random(), now) : null;
        List<Notice> notices = new ArrayList<>();
        InternalKeyRecord record = InternalKeyRecord.of(existing.internalRecord());
        String recordName = existing.recordName(RecordRole.INTERNAL, def.secretName());
        Optional<String> recordedPassword = record.recordedPassword();
        String password = existing.referencedPassword() != null ? existing.referencedPassword()
            : Optional.ofNullable(existing.output().get(RecordKey.PASSWORD.key())).map(b -> new String(b, StandardCharsets.UTF_8))
                .filter(p -> !p.isBlank()).or(() -> recordedPassword).orElseGet(() -> Passwords.generate(signer.random()));
        char[] pw = password.toCharArray();
        // the passwords the current stores may still be written with, when they are no longer the one to use: the
        // recorded one, and the one before it while a change was recorded but the stores not yet rewritten (a crash)
        List<String> formerPasswords = new ArrayList<>();
        recordedPassword.filter(p -> !p.equals(password)).ifPresent(formerPasswords::add);
        Optional.ofNullable(record.previousPassword()).filter(p -> !p.isBlank() && !p.equals(password)
            && !formerPasswords.contains(p)).ifPresent(formerPasswords::add);
        String readWithFormer = null;

        Map<String, byte[]> caRecord = null;
        CertificateAuthority ca;
        List<X509Certificate> issuerTrust;
        Instant caStep = null;
        InternalKeyRecord.Entry caCopy = record.ca();
        if (def.issuer().kind() == SetDefinition.IssuerDefinition.Kind.SELF_SIGNED) {
            Map<String, byte[]> caState = existing.caRecord();
            if (!caState.containsKey(RecordKey.TLS_CRT.key()) && caCopy != null) {
                // the -ca record was deleted (or lost): the CA comes back from its copy in the internal record
                caState = Map.of(RecordKey.TLS_CRT.key(), caCopy.chain(), RecordKey.TLS_KEY.key(), caCopy.key());
                notices.add(CA_RESTORED);
            }
            CaRotation.State state = CaRotation.advance(def, caState, existing.output().get(RecordKey.CA_CRT.key()),
                existing.recordName(RecordRole.CA, def.secretName()), signer, keys, notices);
            ca = state.signing();
            issuerTrust = state.trusted();
            caRecord = state.record();
            caStep = state.nextStep();
            caCopy = new InternalKeyRecord.Entry(caRecord.get(RecordKey.TLS_KEY.key()), caRecord.get(RecordKey.TLS_CRT.key()));
        } else if (external != null) {
            ca = null; // the CA signs elsewhere; its chain comes with each signed certificate
            issuerTrust = List.of();
        } else {
            ca = existing.externalCa();
            if (ca == null) {
                throw new Problem(Problem.ISSUER_NOT_READY, "the issuer " + def.issuer().reference() + " is not available")
                    .raise();
            }
            checkUsableCa(ca, issuerWhere(def), now);
            CaRotation.State state = CaRotation.follow(ca, existing.caRecord(), existing.output().get(RecordKey.CA_CRT.key()), now, notices);
            issuerTrust = state.trusted();
            caRecord = state.record();
            caStep = state.nextStep();
        }

        SlotDecision.StableKey stable = stableKey(def, record, recordName);
        KeyAndChain recordedPrimary = primaryKeptInRecord(def) && record.primary() != null
            ? parseRecorded(record.primary(), recordName, "primary key") : null;
        Map<SlotName, Optional<KeyAndChain>> currents = new EnumMap<>(SlotName.class);
        Map<SlotName, Decision> decisions = new EnumMap<>(SlotName.class);
        Map<SlotName, Instant> waiting = new EnumMap<>(SlotName.class);
        for (SlotDefinition slot : def.slots().values()) {
            Optional<KeyAndChain> current = OutputLayout.readSlot(existing.output(), slot, pw);
            for (String former : formerPasswords) {
                if (current.isEmpty()) {
                    current = OutputLayout.readSlot(existing.output(), slot, former.toCharArray());
                    if (current.isPresent()) {
                        readWithFormer = former;
                        if (!notices.contains(REENCRYPTED)) {
                            notices.add(REENCRYPTED);
                        }
                    }
                }
            }
            currents.put(slot.name(), current);
            String token = existing.rotationRequests().get(slot.name());
            KeyAndChain home = slot.name() == stable.slot() ? stable.recorded()
                : slot.name() == SlotName.PRIMARY ? recordedPrimary : null;
            if (external != null) {
                var step = external.slot(slot, current, home, slot.name() == stable.slot(), token).orElseThrow();
                if (step.inUse() != null) {
                    decisions.put(slot.name(), new Decision(step.inUse(), step.action()));
                }
                continue;
            }
            SlotDecision decision = SlotDecision.decide(slot, current, stable, home, ca.chain(), now, token,
                existing.imports().get(slot.name()), def.renewal());
            if (SlotDecision.WAITING_FOR_WINDOW.equals(decision.reason())) {
                def.renewal().nextStart(now).ifPresent(start -> waiting.put(slot.name(), start));
            }
            if (decision.verdict() == SlotDecision.Verdict.REFUSE) {
                throw decision.refusal().raise();
            }
            notices.addAll(decision.notices());
            decisions.put(slot.name(), new Decision(execute(slot, decision, ca), decision.action()));
        }
        if (external != null && !external.complete(def)) {
            // a slot has no certificate yet: nothing to assemble; the pending keys are recorded all the same
            Map<String, byte[]> pendingRecord = new LinkedHashMap<>(new InternalKeyRecord(record.stable(), record.stableRole(),
                record.primary(), record.ca(), password, record.previousPassword()).data());
            pendingRecord.putAll(external.recordData());
            return new Outcome(null, null, pendingRecord, Map.of(), 0, now.plus(Duration.ofHours(10)), notices,
                Map.of(), external.round());
        }
        if (external != null) {
            issuerTrust = external.issuerChain();
        } else {
            distinctKeys(def, stable, currents, decisions, ca, notices);
        }
        Map<SlotName, KeyAndChain> material = new EnumMap<>(SlotName.class);
        Map<SlotName, SlotReport> reports = new EnumMap<>(SlotName.class);
        for (SlotDefinition slot : def.slots().values()) {
            Decision decision = decisions.get(slot.name());
            String token = existing.rotationRequests().get(slot.name());
            if (def.issuer().kind() == SetDefinition.IssuerDefinition.Kind.CA_SECRET && decision.action.madeCertificate()) {
                checkIssuerOutlives(def, slot, ca, now, notices);
            }
            KeyAndChain kc = decision.material;
            material.put(slot.name(), kc);
            X509Certificate cert = kc.certificate();
            reports.put(slot.name(), new SlotReport(slot.name(), slot.alias(),
                cert.getSubjectX500Principal().getName(), cert.getIssuerX500Principal().getName(),
                cert.getSerialNumber().toString(16), cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(),
                Lifetime.renewalTime(cert, slot.renewBefore()), Fingerprints.sha256(cert),
                KeyType.of(cert.getPublicKey()).describe(), decision.action, token));
        }

        List<X509Certificate> extra = new ArrayList<>(existing.extraTrusted());
        existing.imports().values().stream().filter(i -> i.problem() == null).forEach(i -> extra.addAll(i.caCertificates()));
        OutputLayout.Written written = OutputLayout.write(def, existing.output(), material,
            trusted(def, external != null ? external.roots() : issuerTrust, extra),
            issuerTrust, existing.referencedPassword() == null ? password : null, pw);
        Map<String, byte[]> output = written.data();

        // a recorded stable key is never dropped, even when no slot uses it now; the password is the one in use, and
        // the one the stores were written with stays beside it until the stores are rewritten with the new one
        InternalKeyRecord.Entry stableEntry = stable.slot() == null ? record.stable()
            : entry(record.stable(), material.get(stable.slot()));
        String stableRole = stable.slot() == null ? record.stableRole() : stable.slot().key();
        InternalKeyRecord.Entry primaryEntry = primaryKeptInRecord(def)
            ? entry(record.primary(), material.get(SlotName.PRIMARY)) : null;
        String previous = recordedPassword.filter(p -> !p.equals(password)).orElse(readWithFormer);
        Map<String, byte[]> internalRecord = new LinkedHashMap<>(
            new InternalKeyRecord(stableEntry, stableRole, primaryEntry, caCopy, password, previous).data());
        if (external != null) {
            internalRecord.putAll(external.recordData());
        }

        // imported certificates are not ours to renew: a past renewal time must not make us spin
        Instant next = java.util.stream.Stream.concat(reports.values().stream().map(SlotReport::renewalTime)
                .filter(t -> t.isAfter(now)), waiting.values().stream())
            .min(Instant::compareTo).orElse(now.plus(Duration.ofHours(10)));
        if (caStep != null && caStep.isBefore(next)) {
            next = caStep;
        }
        // a password change is two runs: this one records the former password beside the new one and rewrites the
        // stores; the next one finds them opened with the new password and drops the former. That next run is due
        // now: the operator does not reconcile its own writes again, so nothing else would wake it
        if (previous != null) {
            next = now;
        }
        // a waiting renewal wakes at its window; status.nextRenewalWindow moves at each window start and end
        Optional<Instant> windowChange = def.renewal().nextChange(now);
        if (windowChange.isPresent() && windowChange.get().isBefore(next)) {
            next = windowChange.get();
        }
        return new Outcome(output, caRecord, internalRecord, reports, written.trustedCertificates(), next, notices, waiting,
            external == null ? null : external.round());
    }

    // ---- the CA ----

    /**
     * Someone else's CA ending before the leaf asked for: the leaf ends with it (clamped, as any
     * leaf), which is said; when even that leaf would be due for renewal at once, it is refused,
     * for only the CA's owner can fix it.
     */
    private static void checkIssuerOutlives(SetDefinition def, SlotDefinition slot, CertificateAuthority ca, Instant now,
                                            List<Notice> notices) throws Problem.Raised {
        Instant caEnd = ca.certificate().getNotAfter().toInstant();
        if (!caEnd.isBefore(now.plus(slot.duration()))) {
            return;
        }
        String field = "spec." + slot.name().key();
        if (caEnd.isBefore(now.plus(slot.renewBefore()))) {
            throw new Problem(Problem.BAD_INPUT, issuerWhere(def) + " expires at " + caEnd + ", before the "
                + GoDuration.format(slot.duration()) + " that " + field + ".duration asks for and within its renewBefore of "
                + GoDuration.format(slot.renewBefore()) + "; renew that CA").raise();
        }
        notices.add(Notice.keyMaterial("The " + slot.name().key() + " certificate ends with its issuer at " + caEnd
            + ", sooner than " + field + ".duration asks for"));
    }

    private static String issuerWhere(SetDefinition def) {
        return def.issuer().kind() == SetDefinition.IssuerDefinition.Kind.CA_SECRET
            ? "the issuer Secret " + def.issuer().reference() + " key " + RecordKey.TLS_CRT.key() + " (spec.issuer.ca.secretRef)"
            : "the issuer " + def.issuer().reference();
    }

    private static void checkUsableCa(CertificateAuthority ca, String reference, Instant now) throws Problem.Raised {
        X509Certificate cert = ca.certificate();
        if (cert.getBasicConstraints() < 0) {
            throw new Problem(Problem.BAD_INPUT, "the issuer " + reference + " is not a CA certificate (basicConstraints CA:false)")
                .raise();
        }
        if (!now.isBefore(cert.getNotAfter().toInstant())) {
            throw new Problem(Problem.BAD_INPUT, "the issuer " + reference + " expired at " + cert.getNotAfter().toInstant())
                .raise();
        }
    }

    // ---- the key that must never change ----

    private SlotDecision.StableKey stableKey(SetDefinition def, InternalKeyRecord record, String recordName) throws Problem.Raised {
        SlotName slot = def.slot(SlotName.INTERNAL).isPresent() ? SlotName.INTERNAL
            : def.slot(SlotName.PRIMARY).isPresent() ? SlotName.PRIMARY : null;
        if (record.stable() == null) {
            return new SlotDecision.StableKey(slot, null, null); // no key recorded yet (the record may hold only the password)
        }
        return new SlotDecision.StableKey(slot, parseRecorded(record.stable(), recordName, "internal key record"), record.stableRole());
    }

    /** A key from the record; the record is the one copy that must never be lost: refuse rather than replace it. */
    private static KeyAndChain parseRecorded(InternalKeyRecord.Entry entry, String recordName, String what)
        throws Problem.Raised {
        try {
            return new KeyAndChain(Pem.privateKey(entry.key() == null ? new byte[0] : entry.key()),
                Pem.certificates(entry.chain() == null ? new byte[0] : entry.chain()));
        } catch (Pem.PemException e) {
            throw new Problem(Problem.BAD_INPUT, "Secret " + recordName + " (the " + what + ") "
                + e.getMessage() + "; restore it from a backup").raise();
        }
    }

    /**
     * Whether the primary key has a home in the record of its own: it keeps its key (rotationPolicy
     * Never) and does not stand in for internal (then it is the record's main key).
     */
    static boolean primaryKeptInRecord(SetDefinition def) {
        return def.slot(SlotName.INTERNAL).isPresent() && def.slot(SlotName.PRIMARY)
            .filter(p -> p.rotationPolicy() == RotationPolicy.Never && !p.imported()).isPresent();
    }

    private static InternalKeyRecord.Entry entry(InternalKeyRecord.Entry before, KeyAndChain kc) {
        return new InternalKeyRecord.Entry(InternalKeyRecord.Entry.keepPemKey(before == null ? null : before.key(), kc.key()),
            Pem.encode(kc.chain()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * No two slots share a key pair. The key that never changes keeps it, then a recorded primary
     * key; any other slot found holding one of theirs (e.g. primary after a migration whose output
     * was never written) gets a new key pair, which is said. Imported keys are the user's choice.
     */
    private void distinctKeys(SetDefinition def, SlotDecision.StableKey stable, Map<SlotName, Optional<KeyAndChain>> currents,
                              Map<SlotName, Decision> decisions, CertificateAuthority ca, List<Notice> notices) {
        List<SlotName> order = new ArrayList<>();
        if (stable.slot() != null) {
            order.add(stable.slot());
        }
        for (SlotName n : List.of(SlotName.PRIMARY, SlotName.INTERNAL, SlotName.TLS)) {
            if (decisions.containsKey(n) && !order.contains(n)) {
                order.add(n);
            }
        }
        List<PrivateKey> taken = new ArrayList<>();
        for (SlotName n : order) {
            Decision d = decisions.get(n);
            SlotDefinition slot = def.slot(n).orElseThrow();
            byte[] encoded = d.material.key().getEncoded();
            boolean clash = taken.stream().anyMatch(k -> Arrays.equals(k.getEncoded(), encoded));
            if (clash && !slot.imported() && n != stable.slot()) {
                boolean migration = n == SlotName.PRIMARY && stable.slot() == SlotName.INTERNAL && stable.recorded() != null
                    && Arrays.equals(stable.recorded().key().getEncoded(), encoded);
                Notice notice = migration ? PRIMARY_BECAME_INTERNAL : Notice.keyMaterial("The " + n.key() + " slot " + SHARED_KEY_REPLACED);
                if (!notices.contains(notice)) {
                    notices.add(notice);
                }
                d = new Decision(freshlyIssued(slot, ca), SlotAction.ROTATED);
                decisions.put(n, d);
            } else if (n == SlotName.PRIMARY && stable.slot() == SlotName.INTERNAL && stable.recorded() != null
                && currents.get(n).filter(c -> KeyMatch.matches(stable.recorded().key(), c.certificate().getPublicKey()))
                    .isPresent() && !notices.contains(PRIMARY_BECAME_INTERNAL)) {
                // the output still shows the migration's first step: primary already has its new key in the record
                notices.add(PRIMARY_BECAME_INTERNAL);
            }
            taken.add(d.material.key());
        }
    }

    // ---- per slot ----

    private record Decision(KeyAndChain material, SlotAction action) {
    }

    /** Carries a decision out: signs what is to be signed, nothing else. */
    private KeyAndChain execute(SlotDefinition slot, SlotDecision decision, CertificateAuthority ca) {
        return switch (decision.verdict()) {
            case KEEP, ADOPT, IMPORT -> decision.material();
            case RENEW -> issue(slot, ca, decision.publicKey(), decision.material().key());
            case ROTATE -> freshlyIssued(slot, ca);
            case REFUSE -> throw new IllegalStateException("a refusal is raised, not executed");
        };
    }

    private KeyAndChain freshlyIssued(SlotDefinition slot, CertificateAuthority ca) {
        var pair = keys.keyPair(slot.keyType());
        return issue(slot, ca, pair.getPublic(), pair.getPrivate());
    }

    private KeyAndChain issue(SlotDefinition slot, CertificateAuthority ca, java.security.PublicKey publicKey,
                              PrivateKey privateKey) {
        if (privateKey == null) {
            throw new IllegalStateException("issue needs the private key");
        }
        return new KeyAndChain(privateKey, signer.issue(ca, slot.profile(), publicKey, slot.duration()));
    }

    // ---- files ----


    private static List<X509Certificate> trusted(SetDefinition def, List<X509Certificate> issuer,
                                                 List<X509Certificate> extra) {
        List<X509Certificate> all = new ArrayList<>();
        if (def.truststore().includeIssuer()) {
            all.addAll(issuer);
        }
        all.addAll(extra);
        return Fingerprints.distinct(all);
    }


}
