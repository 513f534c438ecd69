package dev.keystore.operator.plan;

import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.KeyMatch;
import dev.keystore.operator.crypto.Pem;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code -ca} record, parsed once: a self-signed CA's state ({@code tls.crt}/{@code tls.key}
 * signing, {@code next.*} introduced, {@code previous.*} still trusted), or for an issuer the set
 * follows, {@code issuer.crt} and {@code previous.*}. {@link CaRotation} is its state machine and
 * works on this type; {@link #data()} writes it back, a key whose text still holds the same key
 * byte for byte.
 *
 * @param signing the set's own signing CA; null for a followed issuer (its key is not ours to record)
 * @param next the CA introduced beside {@code signing}; null when none
 * @param previous CA certificates still trusted after a change; empty when none
 * @param issuer the followed issuer's chain last signed with; empty for the set's own CA
 * @param keyText the key text as read ({@code tls.key}, {@code next.key}), so an unchanged key is kept byte for byte
 */
public record CaRecord(CertificateAuthority signing, CertificateAuthority next, Instant nextSince,
                       List<X509Certificate> previous, Instant previousSince, List<X509Certificate> issuer,
                       Map<String, byte[]> keyText) {
    private static final String CERT = RecordKey.TLS_CRT.key();
    private static final String KEY = RecordKey.TLS_KEY.key();
    private static final String NEXT_CERT = RecordKey.NEXT_CRT.key();
    private static final String NEXT_KEY = RecordKey.NEXT_KEY.key();
    private static final String NEXT_SINCE = RecordKey.NEXT_SINCE.key();
    private static final String PREVIOUS_CERT = RecordKey.PREVIOUS_CRT.key();
    private static final String PREVIOUS_SINCE = RecordKey.PREVIOUS_SINCE.key();
    private static final String ISSUER_CERT = RecordKey.ISSUER_CRT.key();

    public CaRecord {
        previous = List.copyOf(previous);
        issuer = List.copyOf(issuer);
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String k : List.of(KEY, NEXT_KEY)) {
            if (keyText.get(k) != null) {
                keys.put(k, keyText.get(k));
            }
        }
        keyText = Map.copyOf(keys);
    }

    /** A record for a CA just made: it alone signs and is trusted. */
    static CaRecord fresh(CertificateAuthority signing, Map<String, byte[]> before) {
        return new CaRecord(signing, null, null, List.of(), null, List.of(), before);
    }

    /** Whether Secret data holds a signing CA of the set's own (tls.crt). */
    static boolean holdsCa(Map<String, byte[]> data) {
        return data.containsKey(CERT);
    }

    /**
     * The set's own CA from its record; a damaged signing or next CA, or previous certificate, is refused
     * naming the key. A missing or unreadable time counts as {@code now}.
     */
    static CaRecord own(Map<String, byte[]> data, String secret, Instant now) throws Problem.Raised {
        CertificateAuthority signing = readCa(data, secret);
        CertificateAuthority next = null;
        if (data.containsKey(NEXT_CERT)) {
            Map<String, byte[]> nextCa = new LinkedHashMap<>(); // next.key may be missing: refused by name, not a crash
            nextCa.put(CERT, data.get(NEXT_CERT));
            nextCa.put(KEY, data.get(NEXT_KEY));
            next = readCa(nextCa, secret + " (next CA)");
        }
        List<X509Certificate> previous = List.of();
        if (data.containsKey(PREVIOUS_CERT)) {
            try {
                previous = List.of(Pem.certificates(data.get(PREVIOUS_CERT)).get(0));
            } catch (Pem.PemException e) {
                throw new Problem(Problem.BAD_INPUT, "Secret " + secret + " key " + PREVIOUS_CERT + " " + e.getMessage())
                    .raise();
            }
        }
        return new CaRecord(signing, next, instant(data.get(NEXT_SINCE), now), previous,
            instant(data.get(PREVIOUS_SINCE), now), List.of(), data);
    }

    /** The record of an issuer the set follows: certificates only, read leniently (damage costs the overlap only). */
    static CaRecord followed(Map<String, byte[]> data, Instant now) {
        return new CaRecord(null, null, null, certificates(data.get(PREVIOUS_CERT)), instant(data.get(PREVIOUS_SINCE), now),
            certificates(data.get(ISSUER_CERT)), Map.of());
    }

    /** The Secret data, in the record's key order. */
    public Map<String, byte[]> data() {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (signing != null) {
            data.put(CERT, pem(signing.chain()));
            data.put(KEY, InternalKeyRecord.Entry.keepPemKey(keyText.get(KEY), signing.key()));
        }
        if (next != null) {
            data.put(NEXT_CERT, pem(next.chain()));
            data.put(NEXT_KEY, InternalKeyRecord.Entry.keepPemKey(keyText.get(NEXT_KEY), next.key()));
            data.put(NEXT_SINCE, nextSince.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (!issuer.isEmpty()) {
            data.put(ISSUER_CERT, pem(issuer));
        }
        if (!previous.isEmpty()) {
            data.put(PREVIOUS_CERT, pem(previous));
            data.put(PREVIOUS_SINCE, previousSince.toString().getBytes(StandardCharsets.UTF_8));
        }
        return data;
    }

    /** Every CA certificate the record trusts: the signing (or followed) chain, then next or previous. */
    List<X509Certificate> trusted() {
        List<X509Certificate> trusted = new ArrayList<>(signing != null ? signing.chain() : issuer);
        if (next != null) {
            trusted.addAll(next.chain());
        }
        trusted.addAll(previous);
        return trusted;
    }

    /** A CA from Secret data with tls.crt (certificate, then its chain) and tls.key. */
    public static CertificateAuthority readCa(Map<String, byte[]> data, String secretName) throws Problem.Raised {
        byte[] crt = data.get(CERT);
        byte[] key = data.get(KEY);
        if (crt == null || key == null) {
            throw new Problem(Problem.MISSING_INPUT, "Secret " + secretName + " has no key "
                + (crt == null ? CERT : KEY)).raise();
        }
        List<X509Certificate> chain;
        PrivateKey privateKey;
        try {
            chain = Pem.certificates(crt);
        } catch (Pem.PemException e) {
            throw new Problem(Problem.BAD_INPUT, "Secret " + secretName + " key " + CERT + " " + e.getMessage()).raise();
        }
        try {
            privateKey = Pem.privateKey(key);
        } catch (Pem.PemException e) {
            throw new Problem(Problem.BAD_INPUT, "Secret " + secretName + " key " + KEY + " " + e.getMessage()).raise();
        }
        if (!KeyMatch.matches(privateKey, chain.get(0).getPublicKey())) {
            throw new Problem(Problem.BAD_INPUT, "Secret " + secretName + ": key " + KEY
                + " does not match the certificate in " + CERT).raise();
        }
        return new CertificateAuthority(privateKey, chain);
    }

    /** Certificates from our own record or output: a damaged one only costs the overlap, never the set. */
    static List<X509Certificate> certificates(byte[] pem) {
        if (pem == null) {
            return List.of();
        }
        try {
            return Pem.certificates(pem);
        } catch (Pem.PemException e) {
            return List.of();
        }
    }

    private static byte[] pem(List<X509Certificate> certificates) {
        return Pem.encode(certificates).getBytes(StandardCharsets.UTF_8);
    }

    private static Instant instant(byte[] text, Instant fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Instant.parse(new String(text, StandardCharsets.UTF_8).strip());
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
