package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.RotationPolicy;
import dev.keystore.operator.crypto.CertificationRequest;
import dev.keystore.operator.crypto.Fingerprints;
import dev.keystore.operator.crypto.KeyAndChain;
import dev.keystore.operator.crypto.KeyMatch;
import dev.keystore.operator.crypto.KeySource;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.PublicKeys;
import dev.keystore.operator.crypto.SignedChain;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * issuer.external: the slots' certificates are signed by a CA the operator cannot reach. Per slot it
 * decides from what is in use, the key waiting for its signature and the reply in the
 * certificateSecretRef Secret whether to keep the certificate in use, accept the reply, or wait
 * (writing a CSR) — and whether a reply is refused.
 *
 * <p>The key waiting for its signature lives in the {@code -internal} record (keys
 * {@code pending-<slot>.key}, {@code .csr}, {@code .since}), never in the output: the record has no
 * owner and outlives restarts, and the CSR Secret, which people carry to the CA, holds no key.
 */
public final class ExternalSigning {
    /** Record keys of a slot's pending request. */
    static String pendingKey(SlotName slot) {
        return "pending-" + slot.key() + ".key";
    }

    static String pendingCsr(SlotName slot) {
        return "pending-" + slot.key() + ".csr";
    }

    static String pendingSince(SlotName slot) {
        return "pending-" + slot.key() + ".since";
    }

    /** The key in the CSR Secret (and the render file name) of a slot's request. */
    public static String csrKey(SlotName slot) {
        return slot.key() + ".csr";
    }

    /** The key in the certificateSecretRef Secret (and under render's {@code signed/}) of a slot's reply. */
    public static String replyKey(SlotName slot) {
        return slot.key() + ".crt";
    }

    /** The Secret the CSRs are written to. */
    public static String csrSecret(String secretName) {
        return secretName + "-csr";
    }

    public enum Verdict {
        /** The certificate in use stays; nothing is requested. */
        KEEP,
        /** The reply matches the requested key and verifies: it is used from now on. */
        ACCEPT,
        /** A CSR waits for its signature (the certificate in use, if any, stays). */
        AWAIT,
        /** A CSR waits, no certificate is in use, and the reply in the Secret is refused. */
        REFUSE
    }

    /**
     * One slot's decision.
     *
     * @param inUse      the key and chain the output holds for the slot from now on, or null
     * @param action     what the slot's report says when {@code inUse} is set
     * @param requestFor the key the CSR is for (AWAIT, REFUSE); null there means a new key pair
     * @param problem    a refused reply (REFUSE; or AWAIT while a valid certificate stays in use), else null
     */
    public record Step(Verdict verdict, KeyAndChain inUse, SlotAction action, PrivateKey requestFor, Problem problem,
                       String reason) {
    }

    /** What the signing round gives the caller besides the slots' material. */
    public record Round(Map<String, byte[]> csrs, Map<SlotName, Instant> waiting, List<Problem> refusedWhileInUse,
                        Problem blocking, String csrSecret, String replySecret) {
        public Round {
            csrs = Collections.unmodifiableMap(new LinkedHashMap<>(csrs));
            waiting = waiting.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(waiting));
            refusedWhileInUse = List.copyOf(refusedWhileInUse);
        }
    }

    /**
     * The decision table.
     *
     * @param current   what the output holds for the slot
     * @param fixed     the key the slot must keep (the stable key or primary's recorded key), or null
     * @param isStable  whether the slot's key never changes
     * @param pending   the key recorded as waiting for its signature, or null
     * @param reply     the chain in the reply Secret's {@code <slot>.crt}, or null when there is none
     * @param replyRead a problem reading that key (unreadable PEM, too large), or null
     * @param where     "Secret X key tls.crt", for messages
     * @param csrWhere  "Secret Y key tls.csr", for messages
     */
    public static Step decide(SlotDefinition slot, Optional<KeyAndChain> current, PrivateKey fixed, boolean isStable,
                              PrivateKey pending, List<X509Certificate> reply, Problem replyRead, Instant now, String token,
                              String where, String csrWhere) {
        PrivateKey keep = fixed != null ? fixed
            : (isStable || slot.rotationPolicy() == RotationPolicy.Never) && current.isPresent() ? current.get().key() : null;
        KeyAndChain inUse = current.filter(c -> keep == null || KeyMatch.matches(keep, c.certificate().getPublicKey()))
            .filter(c -> valid(c.certificate(), now)).orElse(null);
        boolean rotate = token != null && !isStable;
        boolean due = inUse != null && !now.isBefore(Lifetime.renewalTime(inUse.certificate(), slot.renewBefore()));
        boolean typeChanged = inUse != null && keep == null && !sameType(inUse.key(), slot);
        boolean pendingOther = pending != null && inUse != null && !KeyMatch.matches(pending, inUse.certificate().getPublicKey());
        Optional<String> profileChanged = inUse == null ? Optional.empty()
            : SignedChain.mismatch(inUse.certificate(), slot.profile());
        if (inUse != null && !due && !typeChanged && !rotate && !pendingOther && profileChanged.isEmpty()) {
            return new Step(Verdict.KEEP, inUse, SlotAction.KEPT, null, null, "still good");
        }
        PrivateKey wanted;
        if (keep != null) {
            wanted = keep;
        } else if (pending != null && sameType(pending, slot)) {
            wanted = pending;
        } else if (inUse != null && !typeChanged && !rotate && !(due && slot.rotationPolicy() == RotationPolicy.Always)) {
            wanted = inUse.key(); // the profile changed: a new certificate for the same key
        } else {
            wanted = null;
        }
        String why = inUse == null ? "no certificate in use" : due ? "due" : rotate ? "rotation requested"
            : typeChanged ? "the key type changed" : pendingOther ? "a new key waits" : "the profile changed";
        if (reply == null && replyRead == null) {
            return new Step(Verdict.AWAIT, inUse, SlotAction.KEPT, wanted, null, why + "; no reply yet");
        }
        Problem problem;
        if (replyRead != null) {
            problem = replyRead;
        } else {
            X509Certificate leaf = reply.get(0);
            if (wanted != null && KeyMatch.matches(wanted, leaf.getPublicKey())) {
                if (inUse != null && leaf.equals(inUse.certificate())) {
                    return new Step(Verdict.AWAIT, inUse, SlotAction.KEPT, wanted, null, why + "; the reply is the certificate in use");
                }
                Optional<String> wrong = SignedChain.problem(reply, now).or(() -> SignedChain.mismatch(leaf, slot.profile()));
                if (wrong.isEmpty()) {
                    SlotAction action = inUse == null ? (current.isPresent() ? SlotAction.ROTATED : SlotAction.ISSUED)
                        : KeyMatch.matches(wanted, inUse.certificate().getPublicKey()) ? SlotAction.RENEWED : SlotAction.ROTATED;
                    return new Step(Verdict.ACCEPT, new KeyAndChain(wanted, reply), action, null, null, "signed");
                }
                problem = new Problem(Problem.BAD_INPUT, where + ": the certificate chain " + wrong.get());
            } else if (inUse != null && KeyMatch.matches(inUse.key(), leaf.getPublicKey())) {
                return new Step(Verdict.AWAIT, inUse, SlotAction.KEPT, wanted, null, why + "; the reply is for the key in use");
            } else {
                problem = new Problem(Problem.BAD_INPUT, where + " holds a certificate for another key than the CSR in "
                    + csrWhere + " (" + leaf.getSubjectX500Principal().getName() + ", serial "
                    + leaf.getSerialNumber().toString(16) + "): sign that CSR");
            }
        }
        return inUse != null ? new Step(Verdict.AWAIT, inUse, SlotAction.KEPT, wanted, problem, why + "; reply refused")
            : new Step(Verdict.REFUSE, null, null, wanted, problem, why + "; reply refused");
    }

    private static boolean valid(X509Certificate cert, Instant now) {
        return !now.isBefore(cert.getNotBefore().toInstant()) && now.isBefore(cert.getNotAfter().toInstant());
    }

    private static boolean sameType(PrivateKey key, SlotDefinition slot) {
        return KeyType.supported(key).filter(slot.keyType()::equals).isPresent();
    }

    // ---- one round over a set's slots ----

    private final Map<String, byte[]> record;
    private final Map<String, byte[]> replies;
    private final String replySecret;
    private final String csrSecret;
    private final KeySource keys;
    private final SecureRandom random;
    private final Instant now;
    private final Map<String, byte[]> recordData = new LinkedHashMap<>();
    private final Map<String, byte[]> csrs = new LinkedHashMap<>();
    private final Map<SlotName, Instant> waiting = new EnumMap<>(SlotName.class);
    private final List<Problem> refusedWhileInUse = new ArrayList<>();
    private final Map<SlotName, KeyAndChain> material = new EnumMap<>(SlotName.class);
    private Problem blocking;

    /**
     * @param record  the -internal record's data as it is
     * @param replies the certificateSecretRef Secret's data, or null when it does not exist
     */
    ExternalSigning(SetDefinition def, Map<String, byte[]> record, Map<String, byte[]> replies, KeySource keys,
                    SecureRandom random, Instant now) {
        this.record = record;
        this.replies = replies;
        this.replySecret = def.issuer().reference();
        this.csrSecret = csrSecret(def.secretName());
        this.keys = keys;
        this.random = random;
        this.now = now;
    }

    /** Decides one slot and records what it needs; returns the key and chain in use, if any. */
    Optional<Step> slot(SlotDefinition slot, Optional<KeyAndChain> current, KeyAndChain fixed, boolean isStable,
                        String token) throws Problem.Raised {
        SlotName name = slot.name();
        PrivateKey pending = null;
        byte[] pendingPem = record.get(pendingKey(name));
        if (pendingPem != null) {
            try {
                pending = Pem.privateKey(pendingPem);
            } catch (Pem.PemException e) {
                pending = null; // never signed, so nothing depends on it: a new request replaces it
            }
        }
        List<X509Certificate> reply = null;
        Problem replyRead = null;
        String where = "Secret " + replySecret + " key " + replyKey(name);
        byte[] replyPem = replies == null ? null : replies.get(replyKey(name));
        if (replyPem != null && replyPem.length > 0) {
            if (replyPem.length > Inputs.MAX_INPUT_BYTES) {
                replyRead = new Problem(Problem.BAD_INPUT, where + " is larger than 1 MiB (spec.issuer.external.certificateSecretRef)");
            } else {
                try {
                    reply = Pem.certificates(replyPem);
                } catch (Pem.PemException e) {
                    replyRead = new Problem(Problem.BAD_INPUT, where + " " + e.getMessage());
                }
            }
        }
        Step step = decide(slot, current, fixed == null ? null : fixed.key(), isStable, pending, reply, replyRead, now, token,
            where, "Secret " + csrSecret + " key " + csrKey(name));
        if (step.verdict() == Verdict.AWAIT || step.verdict() == Verdict.REFUSE) {
            request(slot, step.requestFor(), false);
            if (step.problem() != null) {
                if (step.inUse() != null) {
                    refusedWhileInUse.add(step.problem());
                } else if (blocking == null) {
                    blocking = step.problem();
                }
            }
        }
        if (step.verdict() == Verdict.ACCEPT
            && !now.isBefore(Lifetime.renewalTime(step.inUse().certificate(), slot.renewBefore()))) {
            // the CA signed a certificate already due for renewal: it is used, and its renewal requested at once
            boolean sameKey = fixed != null || isStable || slot.rotationPolicy() == RotationPolicy.Never;
            request(slot, sameKey ? step.inUse().key() : null, true);
        }
        if (step.inUse() != null) {
            material.put(name, step.inUse());
        }
        return Optional.of(step);
    }

    /** Records the pending key and its CSR, keeping the bytes of a request that asks for the same. */
    private void request(SlotDefinition slot, PrivateKey key, boolean fresh) {
        SlotName name = slot.name();
        KeyPair pair = key == null ? keys.keyPair(slot.keyType()) : PublicKeys.pairOf(key);
        byte[] csr = record.get(pendingCsr(name));
        byte[] keyPem = InternalKeyRecord.Entry.keepPemKey(record.get(pendingKey(name)), pair.getPrivate());
        Instant since = since(record.get(pendingSince(name)));
        if (fresh || csr == null || since == null || !CertificationRequest.asksFor(csr, slot.profile(), pair, random)) {
            csr = CertificationRequest.create(slot.profile(), pair, random);
            since = now;
        }
        recordData.put(pendingKey(name), keyPem);
        recordData.put(pendingCsr(name), csr);
        recordData.put(pendingSince(name), since.toString().getBytes(StandardCharsets.UTF_8));
        csrs.put(csrKey(name), csr);
        waiting.put(name, since);
    }

    private static Instant since(byte[] text) {
        try {
            return text == null ? null : Instant.parse(new String(text, StandardCharsets.UTF_8).strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Whether every slot has a certificate in use (then the output can be assembled). */
    boolean complete(SetDefinition def) {
        return def.slots().keySet().stream().allMatch(material::containsKey);
    }

    /** The pending requests' entries for the -internal record. */
    Map<String, byte[]> recordData() {
        return recordData;
    }

    /** The certificates of the slots' chains above the leaves: ca.crt. */
    List<X509Certificate> issuerChain() {
        List<X509Certificate> all = new ArrayList<>();
        material.values().forEach(kc -> all.addAll(kc.chain().subList(1, kc.chain().size())));
        return Fingerprints.distinct(all);
    }

    /** The last certificate of every slot's chain: what the truststore trusts of the issuer. */
    List<X509Certificate> roots() {
        List<X509Certificate> all = new ArrayList<>();
        material.values().forEach(kc -> all.add(kc.chain().get(kc.chain().size() - 1)));
        return Fingerprints.distinct(all);
    }

    Round round() {
        return new Round(csrs, waiting, refusedWhileInUse, blocking, csrSecret, replySecret);
    }
}
