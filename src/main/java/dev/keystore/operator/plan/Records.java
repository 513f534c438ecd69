package dev.keystore.operator.plan;

import dev.keystore.operator.crypto.Pem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which Secret is a set's record of a role. Candidates are the Secrets labelled for the set and the
 * role, and the records of older releases found by their first name (set label, no role label).
 * Records holding the same keys are one record (the first by preference is used); two holding
 * different keys are a conflict the user must settle: never a silent choice.
 */
public final class Records {
    private Records() {
    }

    /**
     * A Secret that may be the record.
     *
     * @param labelled whether it carries the role label (else it is an old release's record, found by name)
     */
    public record Candidate(String name, boolean labelled, Map<String, byte[]> data) {
    }

    /**
     * The record, if any: the one with the most keys first, labelled before found by name, then the
     * one named {@code preferredName}, then by name.
     */
    public static Optional<Candidate> choose(RecordRole role, String setName, String preferredName, List<Candidate> candidates)
        throws Problem.Raised {
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparing((Candidate c) -> -keys(role, c.data()).size())
            .thenComparing(c -> !c.labelled())
            .thenComparing(c -> !c.name().equals(preferredName))
            .thenComparing(Candidate::name));
        if (sorted.isEmpty()) {
            return Optional.empty();
        }
        Candidate chosen = sorted.get(0);
        List<byte[]> chosenKeys = keys(role, chosen.data());
        for (Candidate other : sorted.subList(1, sorted.size())) {
            List<byte[]> otherKeys = keys(role, other.data());
            if (!otherKeys.isEmpty() && !sameKeys(chosenKeys, otherKeys)) {
                throw new Problem(Problem.SECRET_CONFLICT, "Secrets " + chosen.name() + " and " + other.name()
                    + " are both the " + role.label() + " record of KeystoreSet " + setName + " and hold different keys; "
                    + "keep the right one (back up the other) and delete the other, or remove its label "
                    + "keystore.dev/keystoreset").raise();
            }
        }
        return Optional.of(chosen);
    }

    /** The private keys a record holds, decoded where possible, in a fixed order. */
    static List<byte[]> keys(RecordRole role, Map<String, byte[]> data) {
        List<byte[]> keys = new ArrayList<>();
        RecordKey[] fields = role == RecordRole.INTERNAL ? new RecordKey[] {RecordKey.TLS_KEY, RecordKey.PRIMARY_KEY}
            : new RecordKey[] {RecordKey.TLS_KEY, RecordKey.NEXT_KEY};
        for (RecordKey k : fields) {
            byte[] pem = data.get(k.key());
            if (pem != null) {
                keys.add(decoded(pem));
            }
        }
        return keys;
    }

    /** One record's keys include the other's (a record written by an older release may hold fewer). */
    private static boolean sameKeys(List<byte[]> a, List<byte[]> b) {
        return contains(a, b) || contains(b, a);
    }

    private static boolean contains(List<byte[]> all, List<byte[]> some) {
        return some.stream().allMatch(x -> all.stream().anyMatch(y -> Arrays.equals(x, y)));
    }

    private static byte[] decoded(byte[] pem) {
        try {
            return Pem.privateKey(pem).getEncoded();
        } catch (Pem.PemException | RuntimeException e) {
            return pem;
        }
    }
}
