package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.RotationPolicy;
import dev.keystore.operator.crypto.CertificateProfile;
import dev.keystore.operator.crypto.KeyAndChain;
import dev.keystore.operator.crypto.KeyMatch;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.keystore.StoreEntry;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What to do with one slot, decided from what exists without signing or encoding anything (after
 * Strimzi's renew-versus-replace states). {@link Issuance} executes it: KEEP, ADOPT and IMPORT use
 * {@link #material} as it is, RENEW signs a new certificate for {@link #material}'s key, ROTATE makes
 * a new key pair, REFUSE raises {@link #refusal}.
 *
 * @param verdict  the decision
 * @param reason   why, in words (for tests and debugging; never holds key material)
 * @param material the key and chain to keep, adopt, import or renew; null for ROTATE and REFUSE
 * @param action   what the slot's report says (null for REFUSE)
 * @param refusal  the problem for REFUSE, else null
 * @param notices  what to tell beside the decision (a refused rotation request, a key taken over)
 */
public record SlotDecision(Verdict verdict, String reason, KeyAndChain material, SlotAction action, Problem refusal,
                           List<Notice> notices) {
    public enum Verdict {
        /** Key and certificate stay as the output holds them. */
        KEEP,
        /** Same key pair, a new certificate (due, or the profile or issuer changed). */
        RENEW,
        /** A new key pair and certificate. */
        ROTATE,
        /** The key pair and chain of the slot's import. */
        IMPORT,
        /** Key and certificate taken back from the -internal record (the output does not hold them). */
        ADOPT,
        /** Nothing may be written: a key that never changes would change, or the input is unusable. */
        REFUSE
    }

    public SlotDecision {
        notices = List.copyOf(notices);
    }

    /**
     * The key that must stay stable (internal; primary while it stands in for internal), and the key
     * recorded for it in the -internal Secret, if any.
     */
    record StableKey(SlotName slot, KeyAndChain recorded, String recordedRole) {
    }

    /**
     * The decision for one slot.
     *
     * @param current  what the output holds for the slot
     * @param home     the key recorded for this slot in the -internal record (the stable key, or primary
     *                 kept for rotationPolicy Never), or null
     * @param caChain  the chain of the CA that signs now
     * @param token    a rotation requested by annotation and not yet acted on, or null
     * @param imported the slot's import as read, or null
     */
    static SlotDecision decide(SlotDefinition slot, Optional<KeyAndChain> current, StableKey stable, KeyAndChain home,
                               List<X509Certificate> caChain, Instant now, String token, Imported imported) {
        return decide(slot, current, stable, home, caChain, now, token, imported, RenewalWindows.NONE);
    }

    /** As above, a renewal or rotation that is only due by time waiting for {@code windows} (api.md, spec.renewal). */
    static SlotDecision decide(SlotDefinition slot, Optional<KeyAndChain> current, StableKey stable, KeyAndChain home,
                               List<X509Certificate> caChain, Instant now, String token, Imported imported,
                               RenewalWindows windows) {
        List<Notice> notices = new ArrayList<>();
        boolean isStable = slot.name() == stable.slot();
        if (slot.imported()) {
            return decideImport(slot, current, stable, isStable, imported);
        }
        PrivateKey key;
        boolean fromRecord = false;
        if (isStable && stable.recorded() != null) {
            KeyType recordedType = KeyType.of(stable.recorded().certificate().getPublicKey());
            if (slot.explicitKeyType() && !recordedType.equals(slot.keyType())) {
                return refuse(immutable(slot, recordedType), "the recorded key that never changes is of another type");
            }
            if (slot.name() == SlotName.INTERNAL && SlotName.PRIMARY.key().equals(stable.recordedRole())) {
                notices.add(Issuance.INTERNAL_TOOK_OVER);
            }
            key = stable.recorded().key();
            fromRecord = true;
        } else if (slot.name() == SlotName.PRIMARY && stable.slot() == SlotName.INTERNAL && stable.recorded() != null
            && SlotName.PRIMARY.key().equals(stable.recordedRole())) {
            // the migration of api.md: the old primary key became internal; primary gets a fresh one
            return new SlotDecision(Verdict.ROTATE, "the primary key became the internal key", null, SlotAction.ROTATED,
                null, List.of(Issuance.PRIMARY_BECAME_INTERNAL));
        } else if (home != null && KeyType.of(home.certificate().getPublicKey()).equals(slot.keyType())) {
            // primary kept for rotationPolicy Never: its recorded key wins over whatever the output holds
            key = home.key();
            fromRecord = true;
        } else if (current.isPresent() && KeyType.of(current.get().certificate().getPublicKey()).equals(slot.keyType())) {
            key = current.get().key();
        } else if (current.isPresent() && isStable) {
            return refuse(immutable(slot, KeyType.of(current.get().certificate().getPublicKey())),
                "the key that never changes is of another type than privateKey asks for");
        } else {
            SlotAction action = current.isPresent() ? SlotAction.ROTATED : SlotAction.ISSUED;
            return new SlotDecision(Verdict.ROTATE, current.isPresent() ? "the key type changed" : "no key yet", null,
                action, null, notices);
        }

        if (token != null) {
            if (isStable) {
                notices.add(new Notice(Notice.Kind.REFUSED, "Refused rotate-" + slot.name().key() + " token " + token
                    + ": the " + slot.name().key() + " key " + (slot.name() == SlotName.PRIMARY
                    ? "stands in for the internal key (no internal slot), and must never change" : "must never change")));
            } else {
                notices.add(Notice.keyMaterial("Rotated the " + slot.name().key() + " key pair (token " + token + ")"));
                return new SlotDecision(Verdict.ROTATE, "rotation requested", null, SlotAction.ROTATED, null, notices);
            }
        }

        Optional<KeyAndChain> certSource = current.filter(c -> KeyMatch.matches(key, c.certificate().getPublicKey()));
        boolean certFromRecord = false;
        if (certSource.isEmpty() && home != null && KeyMatch.matches(key, home.certificate().getPublicKey())) {
            certSource = Optional.of(home);
            certFromRecord = true;
        }
        if (certSource.isPresent() && stillGood(slot, certSource.get(), caChain, now)) {
            KeyAndChain kept = new KeyAndChain(key, certSource.get().chain());
            return certFromRecord
                ? new SlotDecision(Verdict.ADOPT, "the output lacks the recorded key", kept, SlotAction.KEPT, null, notices)
                : new SlotDecision(Verdict.KEEP, "still good", kept, SlotAction.KEPT, null, notices);
        }
        boolean due = certSource.isPresent()
            && !now.isBefore(Lifetime.renewalTime(certSource.get().certificate(), slot.renewBefore()));
        if (due && windows.isSet()) {
            RenewalWindows.Gate gate = windows.gate(now, RenewalWindows.safetyPoint(certSource.get().certificate(),
                slot.renewBefore()));
            if (gate instanceof RenewalWindows.Gate.Wait && fitsButForTime(slot, certSource.get(), caChain)) {
                KeyAndChain kept = new KeyAndChain(key, certSource.get().chain());
                return new SlotDecision(certFromRecord ? Verdict.ADOPT : Verdict.KEEP, WAITING_FOR_WINDOW, kept,
                    SlotAction.KEPT, null, notices);
            }
            if (gate instanceof RenewalWindows.Gate.Override override) {
                notices.add(Notice.keyMaterial("Renewing the " + slot.name().key() + " certificate outside the renewal"
                    + " windows: " + override.why()));
            }
        }
        if (due && slot.rotationPolicy() == RotationPolicy.Always && !isStable) {
            return new SlotDecision(Verdict.ROTATE, "due, rotationPolicy Always", null, SlotAction.ROTATED, null, notices);
        }
        X509Certificate carrier = certSource.map(KeyAndChain::certificate).orElseThrow(
            () -> new IllegalStateException("no certificate carries the public key to renew"));
        return new SlotDecision(Verdict.RENEW, due ? "due" : fromRecord ? "the recorded key's certificate changes"
            : "profile or issuer changed", new KeyAndChain(key, List.of(carrier)), SlotAction.RENEWED, null, notices);
    }

    private static SlotDecision decideImport(SlotDefinition slot, Optional<KeyAndChain> current, StableKey stable,
                                             boolean isStable, Imported imported) {
        KeyAndChain held = isStable && stable.recorded() != null ? stable.recorded() : isStable ? current.orElse(null) : null;
        if (held != null) {
            // the key that must never change exists: the import may only name that same key
            if (imported != null && imported.problem() == null
                && !KeyMatch.matches(held.key(), imported.material().certificate().getPublicKey())) {
                return refuse(new Problem(Problem.INTERNAL_KEY_IMMUTABLE, "spec." + slot.name().key() + ".import: the "
                    + slot.name().key() + " key pair already exists and never changes; the imported key differs"),
                    "the import names another key than the one that never changes");
            }
            KeyAndChain kept = current.filter(c -> KeyMatch.matches(held.key(), c.certificate().getPublicKey())).orElse(held);
            KeyAndChain material = new KeyAndChain(held.key(), kept.chain());
            return current.isPresent()
                ? new SlotDecision(Verdict.KEEP, "the import names the key held", material, SlotAction.KEPT, null, List.of())
                : new SlotDecision(Verdict.IMPORT, "the import names the recorded key", material, SlotAction.IMPORTED, null,
                    List.of());
        }
        if (imported == null || imported.problem() != null) {
            return refuse(imported == null ? Problem.invalidSpec("spec." + slot.name().key() + ".import", "could not be read")
                : imported.problem(), "the import cannot be read");
        }
        boolean same = current.isPresent() && sameMaterial(current.get(), imported.material());
        return same ? new SlotDecision(Verdict.KEEP, "the import is what the output holds", imported.material(),
            SlotAction.KEPT, null, List.of())
            : new SlotDecision(Verdict.IMPORT, "imported", imported.material(), SlotAction.IMPORTED, null, List.of());
    }

    private static SlotDecision refuse(Problem problem, String reason) {
        return new SlotDecision(Verdict.REFUSE, reason, null, null, problem, List.of());
    }

    private static Problem immutable(SlotDefinition slot, KeyType held) {
        return new Problem(Problem.INTERNAL_KEY_IMMUTABLE, "spec." + slot.name().key() + ".privateKey: the "
            + slot.name().key() + " key pair is " + held.describe() + " and never changes; remove privateKey or set it back");
    }

    private static boolean sameMaterial(KeyAndChain a, KeyAndChain b) {
        return Arrays.equals(a.key().getEncoded(), b.key().getEncoded()) && StoreEntry.sameCertificates(a.chain(), b.chain());
    }

    /** The reason of a KEEP or ADOPT whose due renewal waits for a renewal window. */
    static final String WAITING_FOR_WINDOW = "due, waiting for a renewal window";

    private static boolean fitsButForTime(SlotDefinition slot, KeyAndChain kc, List<X509Certificate> caChain) {
        return CertificateProfile.of(kc.certificate()).equals(slot.profile())
            && StoreEntry.sameCertificates(kc.chain().subList(1, kc.chain().size()), caChain);
    }

    private static boolean stillGood(SlotDefinition slot, KeyAndChain kc, List<X509Certificate> caChain, Instant now) {
        X509Certificate cert = kc.certificate();
        return now.isBefore(Lifetime.renewalTime(cert, slot.renewBefore()))
            && CertificateProfile.of(cert).equals(slot.profile())
            && StoreEntry.sameCertificates(kc.chain().subList(1, kc.chain().size()), caChain);
    }

    /** The public key a RENEW signs for. */
    PublicKey publicKey() {
        return material.certificate().getPublicKey();
    }
}
