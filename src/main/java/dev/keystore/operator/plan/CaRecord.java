package dev.keystore.operator.plan;

import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.KeyMatch;
import dev.keystore.operator.crypto.Pem;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code -ca} record: a self-signed CA's state ({@code tls.crt}/{@code tls.key} signing,
 * {@code next.*} introduced, {@code previous.*} still trusted), or for an issuer the set follows,
 * {@code issuer.crt} and {@code previous.*}. {@link CaRotation} is its state machine; this type
 * names its keys and tells one record's CA keys from another's.
 */
public record CaRecord(Map<String, byte[]> fields) {
    private static final RecordKey[] KEYS = {RecordKey.TLS_CRT, RecordKey.TLS_KEY, RecordKey.NEXT_CRT, RecordKey.NEXT_KEY,
        RecordKey.NEXT_SINCE, RecordKey.PREVIOUS_CRT, RecordKey.PREVIOUS_SINCE, RecordKey.ISSUER_CRT};

    private static final String CERT = RecordKey.TLS_CRT.key();
    private static final String KEY = RecordKey.TLS_KEY.key();

    public CaRecord {
        fields = Map.copyOf(fields);
    }

    /** The record's known keys from Secret data (anything else in the Secret is not ours and is dropped). */
    public static CaRecord of(Map<String, byte[]> data) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        for (RecordKey k : KEYS) {
            if (data.get(k.key()) != null) {
                fields.put(k.key(), data.get(k.key()));
            }
        }
        return new CaRecord(fields);
    }

    public Map<String, byte[]> data() {
        Map<String, byte[]> data = new LinkedHashMap<>();
        for (RecordKey k : KEYS) {
            if (fields.get(k.key()) != null) {
                data.put(k.key(), fields.get(k.key()));
            }
        }
        return data;
    }

    /** Whether the record holds a CA private key (a self-signed CA of the set's own). */
    public boolean holdsKey() {
        return fields.containsKey(RecordKey.TLS_KEY.key()) || fields.containsKey(RecordKey.NEXT_KEY.key());
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

}
