package dev.keystore.operator.plan;

import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.KeySource;
import dev.keystore.operator.crypto.Signer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A self-signed CA replaced with trust overlap, in Strimzi's order. Explicit states, one step per run:
 * <ol>
 *   <li>STABLE: one CA signs and is trusted.</li>
 *   <li>INTRODUCED (the CA is due): a new CA is made and trusted beside the old one; leaves still
 *       come from the old CA, so clients that only know the old CA keep working.</li>
 *   <li>PROMOTED (after the grace period): the new CA signs, leaves are re-issued from it; the old
 *       CA stays trusted, so clients with the previous truststore keep working.</li>
 *   <li>back to STABLE (after another grace period): the old CA leaves the truststores.</li>
 * </ol>
 * The Secret data of {@code <secretName>-ca} holds the state: tls.crt/tls.key (the signing CA),
 * next.crt/next.key/next.since and previous.crt/previous.since.
 *
 * <p>An issuer the set does not own (a CA Secret, another set's CA) changes when its owner rotates
 * it: {@link #follow} then keeps the CA the leaves came from trusted for the grace period, so peers
 * still presenting leaves from it keep working while every workload picks up the new stores. The
 * record then holds issuer.crt (the issuer chain last signed with) and previous.crt/previous.since.
 */
public final class CaRotation {
    static final Duration MAX_GRACE = Duration.ofHours(24);
    /** The notice of a set's first CA. */
    public static final String NEW_CA = "Generated a new self-signed CA";
    /** A CA is replaced when less than this share of its lifetime is left. */
    private static final int RENEW_DIVISOR = 3;

    /**
     * The outcome for the CA: who signs, which CA certificates are trusted, the new record, and
     * when the next step is due.
     */
    public record State(CertificateAuthority signing, List<X509Certificate> trusted, Map<String, byte[]> record,
                        Instant nextStep) {
    }

    private CaRotation() {
    }

    static Duration grace(Duration caLifetime) {
        Duration twentieth = caLifetime.dividedBy(20);
        return twentieth.compareTo(MAX_GRACE) < 0 ? twentieth : MAX_GRACE;
    }

    static Instant renewalTime(X509Certificate ca) {
        Instant notBefore = Lifetime.issuedAt(ca);
        Instant notAfter = ca.getNotAfter().toInstant();
        return notAfter.minus(Duration.between(notBefore, notAfter).dividedBy(RENEW_DIVISOR));
    }

    public static State advance(SetDefinition def, Map<String, byte[]> record, Signer signer, KeySource keys,
                                List<Notice> notices)
        throws Problem.Raised {
        return advance(def, record, null, def.secrets().record(RecordRole.CA), signer, keys, notices);
    }

    /**
     * One step. {@code published}: the output's ca.crt, i.e. what the workloads were last given to
     * trust (null: unknown, e.g. render without an output). A new CA signs only once it was
     * published as trusted for a whole grace period: when the run that introduced it did not get
     * as far as the output (a crash, a failed write), its grace period starts again.
     */
    public static State advance(SetDefinition def, Map<String, byte[]> record, byte[] published, String secret,
                                Signer signer, KeySource keys, List<Notice> notices)
        throws Problem.Raised {
        Instant now = signer.clock().instant();
        Duration grace = grace(def.issuer().duration());
        if (!CaRecord.holdsCa(record)) {
            // none yet, or the record of an issuer the set followed before it was self-signed
            notices.add(new Notice(Notice.Kind.NEW_CA, NEW_CA));
            return state(CaRecord.fresh(newCa(def, signer, keys), record), grace);
        }
        CaRecord ca = CaRecord.own(record, secret, now);
        CertificateAuthority signing = ca.signing();
        if (ca.next() != null) {
            Instant nextSince = ca.nextSince();
            boolean signingExpired = !now.isBefore(signing.certificate().getNotAfter().toInstant());
            if (!signingExpired && published != null && !CaRecord.certificates(published).contains(ca.next().certificate())) {
                nextSince = now;
            }
            if (signingExpired || !now.isBefore(nextSince.plus(grace))) {
                notices.add(Notice.keyMaterial("Now issuing from the new CA; the previous CA stays trusted for "
                    + GoDuration.format(grace)));
                return state(new CaRecord(ca.next(), null, null, List.of(signing.certificate()), now, List.of(),
                    ca.keyText()), grace);
            }
            return state(new CaRecord(signing, ca.next(), nextSince, List.of(), null, List.of(), ca.keyText()), grace);
        }
        if (!ca.previous().isEmpty() && !now.isBefore(ca.previousSince().plus(grace))) {
            notices.add(Notice.keyMaterial("The previous CA is no longer trusted"));
            ca = CaRecord.fresh(signing, ca.keyText());
        }
        if (ca.previous().isEmpty() && !now.isBefore(renewalTime(signing.certificate()))) {
            notices.add(Notice.keyMaterial("Introduced a new CA, trusted beside the current one; leaves move to it in "
                + GoDuration.format(grace)));
            return state(new CaRecord(signing, newCa(def, signer, keys), now, List.of(), null, List.of(), ca.keyText()),
                grace);
        }
        return state(ca, grace);
    }

    /**
     * The trust for an issuer the set does not own. When its certificate differs from the one the
     * set last signed with ({@code issuer.crt} of the record, else the output's ca.crt), the old
     * chain stays trusted for {@link #MAX_GRACE}, never past its own notAfter.
     */
    public static State follow(CertificateAuthority issuer, Map<String, byte[]> record, byte[] outputCaCrt,
                               Instant now, List<Notice> notices) {
        CaRecord before = CaRecord.followed(record, now);
        List<X509Certificate> last = before.issuer();
        if (last.isEmpty() && !CaRecord.holdsCa(record)) {
            last = CaRecord.certificates(outputCaCrt);
        }
        List<X509Certificate> previous = before.previous();
        Instant previousSince = before.previousSince();
        if (!last.isEmpty() && !last.get(0).equals(issuer.certificate())) {
            notices.add(Notice.keyMaterial("The issuer changed to " + issuer.certificate().getSubjectX500Principal().getName()
                + " (serial " + issuer.certificate().getSerialNumber().toString(16) + "); leaves are re-issued from it and"
                + " the previous issuer stays trusted for " + GoDuration.format(MAX_GRACE)));
            previous = last;
            previousSince = now;
        }
        previous = previous.stream().filter(c -> !issuer.chain().contains(c)).toList();
        Instant graceEnd = previousSince.plus(MAX_GRACE);
        Instant until = previous.stream().map(c -> c.getNotAfter().toInstant()).filter(graceEnd::isAfter)
            .min(Instant::compareTo).orElse(graceEnd);
        if (!previous.isEmpty() && !now.isBefore(until)) {
            notices.add(Notice.keyMaterial("The previous issuer is no longer trusted"));
            previous = List.of();
        }
        CaRecord after = new CaRecord(null, null, null, previous, previousSince, issuer.chain(), Map.of());
        return new State(issuer, after.trusted(), after.data(), previous.isEmpty() ? null : until);
    }

    private static CertificateAuthority newCa(SetDefinition def, Signer signer, KeySource keys) {
        return signer.selfSignedCa(def.issuer().subject(), keys.keyPair(def.issuer().keyType()),
            def.issuer().duration());
    }

    /** The outcome of one step: the record's CA signs (or its next, once promoted), and when the next step is due. */
    private static State state(CaRecord ca, Duration grace) {
        Instant nextStep = ca.next() != null ? ca.nextSince().plus(grace)
            : !ca.previous().isEmpty() ? ca.previousSince().plus(grace)
            : renewalTime(ca.signing().certificate());
        return new State(ca.signing(), ca.trusted(), ca.data(), nextStep);
    }
}
