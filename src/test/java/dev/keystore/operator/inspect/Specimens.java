package dev.keystore.operator.inspect;

import dev.keystore.operator.crypto.TestKeys;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Deterministic keys and certificates with exactly the defects a test wants (SHA-1, RSA 1024, no
 * SAN, a critical keyUsage without dataEncipherment...), which the product's own Signer refuses to
 * make. Same seed, same key; same inputs, same certificate: fingerprints in golden files are stable.
 * Keys and signatures come from the JDK's own providers, named, so that the bytes do not depend on
 * which providers a test run registered. Every private key made here is remembered, so that a test can prove none reaches any output.
 */
final class Specimens {
    static final Instant T0 = TestKeys.T0;
    /** The inspection time of every test: five months after the fixtures were issued. */
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final String PASSWORD = "Inspect-store-pass-7f3a";
    static final String KEY_PASSWORD = "Inspect-key-pass-91c2";
    static final String SERVER_AUTH = KeyPurposeId.id_kp_serverAuth.getId();
    static final String CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();

    /** Every private key handed out, for the output scan. */
    static final Set<PrivateKey> KEYS = ConcurrentHashMap.newKeySet();
    private static final Map<String, KeyPair> CACHE = new ConcurrentHashMap<>();

    private Specimens() {
    }

    static KeyPair rsa(int bits, long seed) {
        return remembered(CACHE.computeIfAbsent("RSA" + bits + "/" + seed, k -> {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
                g.initialize(bits, TestKeys.seeded(seed));
                return g.generateKeyPair();
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }));
    }

    static KeyPair ec(long seed) {
        return remembered(CACHE.computeIfAbsent("EC/" + seed, k -> {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
                g.initialize(new ECGenParameterSpec("secp256r1"), TestKeys.seeded(seed));
                return g.generateKeyPair();
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }));
    }

    private static KeyPair remembered(KeyPair pair) {
        KEYS.add(pair.getPrivate());
        return pair;
    }

    /** A key pair with its certificate: a CA that signs, or a leaf. */
    record Issued(KeyPair keys, X509Certificate certificate) {
        PrivateKey key() {
            return keys.getPrivate();
        }
    }

    static final Issued ROOT = certificate("CN=Inspect Root CA, O=Example").keys(ec(1)).ca()
        .valid(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(3650))).selfSigned();
    static final Issued INTERMEDIATE = certificate("CN=Inspect Intermediate CA, O=Example").keys(ec(2)).ca()
        .valid(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1825))).issuedBy(ROOT);

    /** A good TLS leaf under the intermediate: RSA 2048, serverAuth + clientAuth, a SAN, a year. */
    static Builder leaf(String commonName) {
        return certificate("CN=" + commonName + ", O=Example").keys(rsa(2048, commonName.hashCode()))
            .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment, true)
            .extendedKeyUsage(SERVER_AUTH, CLIENT_AUTH).dns(commonName)
            .valid(T0, T0.plus(Duration.ofDays(365)));
    }

    static List<X509Certificate> chain(Issued leaf) {
        return List.of(leaf.certificate(), INTERMEDIATE.certificate(), ROOT.certificate());
    }

    static Builder certificate(String subject) {
        return new Builder(subject);
    }

    static final class Builder {
        private final String subject;
        private KeyPair keys;
        private Instant notBefore = T0;
        private Instant notAfter = T0.plus(Duration.ofDays(365));
        private int keyUsage;
        private boolean keyUsageCritical = true;
        private final List<String> extendedKeyUsage = new ArrayList<>();
        private final List<String> dns = new ArrayList<>();
        private boolean ca;
        private String signature;

        private Builder(String subject) {
            this.subject = subject;
        }

        Builder keys(KeyPair value) {
            keys = value;
            return this;
        }

        Builder valid(Instant from, Instant to) {
            notBefore = from;
            notAfter = to;
            return this;
        }

        Builder keyUsage(int bits, boolean critical) {
            keyUsage = bits;
            keyUsageCritical = critical;
            return this;
        }

        Builder extendedKeyUsage(String... oids) {
            extendedKeyUsage.clear();
            extendedKeyUsage.addAll(Arrays.asList(oids));
            return this;
        }

        Builder dns(String... names) {
            dns.clear();
            dns.addAll(Arrays.asList(names));
            return this;
        }

        Builder ca() {
            ca = true;
            keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
            return this;
        }

        Builder signature(String algorithm) {
            signature = algorithm;
            return this;
        }

        Issued selfSigned() {
            return build(name(subject), keys);
        }

        /** The name in the JDK's order, so that it prints as written. */
        private static X500Name name(String dn) {
            return X500Name.getInstance(new javax.security.auth.x500.X500Principal(dn).getEncoded());
        }

        Issued issuedBy(Issued issuer) {
            return build(X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()), issuer.keys());
        }

        private Issued build(X500Name issuer, KeyPair signer) {
            try {
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(issuer), Date.from(notBefore),
                    Date.from(notAfter), name(subject), keys.getPublic());
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
                if (keyUsage != 0) {
                    b.addExtension(Extension.keyUsage, keyUsageCritical, new KeyUsage(keyUsage));
                }
                if (!extendedKeyUsage.isEmpty()) {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsage.stream()
                        .map(o -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(o))).toArray(KeyPurposeId[]::new)));
                }
                if (!dns.isEmpty()) {
                    b.addExtension(Extension.subjectAlternativeName, false, GeneralNames.getInstance(new DERSequence(
                        dns.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new))));
                }
                String algorithm = signature != null ? signature
                    : "EC".equals(signer.getPrivate().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
                // the JDK's providers by name: stable bytes even if a test registers Bouncy Castle first
                var contentSigner = new JcaContentSignerBuilder(algorithm).setProvider(
                    "EC".equals(signer.getPrivate().getAlgorithm()) ? "SunEC" : "SunRsaSign")
                    .setSecureRandom(TestKeys.seeded(subject.hashCode())).build(signer.getPrivate());
                return new Issued(keys, new JcaX509CertificateConverter().getCertificate(b.build(contentSigner)));
            } catch (Exception e) {
                throw new AssertionError("cannot build " + subject, e);
            }
        }

        private BigInteger serial(X500Name issuer) throws java.security.NoSuchAlgorithmException {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((issuer + "|" + subject + "|" + notAfter)
                .getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, Arrays.copyOf(digest, 16));
        }
    }
}
