package dev.keystore.operator.inspect;

import dev.keystore.operator.crypto.CertificateChain;
import dev.keystore.operator.crypto.Usage;
import dev.keystore.operator.keystore.StoreType;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The mistakes the seeds warn about, as findings. Every profile gets the rules every Java product
 * shares (expiry, chain, key password, weak keys and signatures, keys in truststores, legacy
 * PKCS12, file type against file name); {@code --profile} adds or sharpens the product's own:
 * WSO2 dataEncipherment and serverAuth (seed 004), Zowe serverAuth + clientAuth and PKCS12 (seeds
 * 000/001), Liberty serverAuth on its server keystore and PKCS12 as its default type (seed 002).
 */
final class Rules {
    static final Duration EXPIRING = Duration.ofDays(30);

    private final Profile profile;
    private final Instant now;

    Rules(Profile profile, Instant now) {
        this.profile = profile;
        this.now = now;
    }

    List<Finding> check(OpenedStore store) {
        Set<Finding> findings = new LinkedHashSet<>();
        Sink sink = new Sink(store.file().source(), findings);
        storeType(store, sink);
        legacyPkcs12(store, sink);
        for (Entry entry : store.entries()) {
            Sink at = sink.at(entry.alias());
            if (entry.kind() == Entry.Kind.TRUSTED_CERTIFICATE) {
                certificate(entry.leaf(), true, at);
                continue;
            }
            if (store.roles().contains(Role.TRUSTSTORE) && entry.hasPrivateKey()) {
                at.add(Severity.ERROR, Check.PRIVATE_KEY_IN_TRUSTSTORE, "a truststore holds a private key: move the key "
                    + "to a keystore; a truststore must hold trusted certificates only");
            }
            if (Boolean.FALSE.equals(entry.keyOpens())) {
                at.add(Severity.ERROR, Check.KEY_PASSWORD, "the key password differs from the store password: "
                    + (profile == Profile.WSO2 ? "WSO2 needs them equal" : "products open the key with the store password")
                    + "; set the key password to the store password (JKS: keytool -keypasswd; PKCS12: export it again"
                    + " with one password)");
            }
            if (entry.kind() == Entry.Kind.PEM_KEY && entry.chain().isEmpty()) {
                weakKey(entry.keyAlgorithm(), entry.keySize(), "the key", at);
                continue;
            }
            chain(entry, at);
            for (X509Certificate certificate : entry.chain()) {
                certificate(certificate, false, at);
            }
            if (entry.leaf() != null && entry.kind() != Entry.Kind.SECRET_KEY) {
                leafForRoles(entry, store, at);
            }
        }
        return new ArrayList<>(findings);
    }

    /** Collects findings for one source and alias. */
    private record Sink(String source, String alias, Set<Finding> findings) {
        Sink(String source, Set<Finding> findings) {
            this(source, null, findings);
        }

        Sink at(String entryAlias) {
            return new Sink(source, entryAlias, findings);
        }

        void add(Severity severity, Check check, String message) {
            findings.add(Finding.of(severity, check, source, alias, message));
        }
    }

    private void storeType(OpenedStore store, Sink sink) {
        if (store.format().equals(Inspection.PEM) || store.format().equals(Inspection.DER)) {
            return;
        }
        StoreType actual = StoreType.valueOf(store.format());
        String name = store.file().name().toLowerCase(Locale.ROOT);
        boolean namedJks = name.endsWith(".jks");
        boolean namedPkcs12 = name.endsWith(".p12") || name.endsWith(".pfx") || name.endsWith(".pkcs12");
        if (namedPkcs12 && actual == StoreType.JKS) {
            sink.add(Severity.ERROR, Check.STORE_TYPE, "named as PKCS12 but holds a JKS keystore: OpenSSL and every "
                + "non-Java tool refuse it; convert it (keytool -importkeystore -deststoretype PKCS12) or rename it .jks");
        } else if (namedJks && actual == StoreType.PKCS12) {
            sink.add(profile == Profile.ZOWE ? Severity.INFO : Severity.WARNING, Check.STORE_TYPE, "named .jks but "
                + "holds a PKCS12 keystore (keytool's default since Java 9): Java reads it as type JKS, tools going by "
                + "the name do not; rename it .p12 and configure type PKCS12");
        } else if (actual == StoreType.JKS && profile == Profile.ZOWE) {
            sink.add(Severity.ERROR, Check.STORE_TYPE, "Zowe expects PKCS12 keystores (KEYSTORE_TYPE=PKCS12): convert "
                + "it (keytool -importkeystore -deststoretype PKCS12)");
        } else if (actual == StoreType.JKS && profile == Profile.LIBERTY) {
            sink.add(Severity.WARNING, Check.STORE_TYPE, "Liberty's default keystore type is PKCS12: set type=\"JKS\" on "
                + "its <keyStore> element, or convert it (keytool -importkeystore -deststoretype PKCS12)");
        }
    }

    private void legacyPkcs12(OpenedStore store, Sink sink) {
        Pkcs12Protection protection = store.protection();
        if (protection == null) {
            return;
        }
        if (!protection.refusedByOpenssl3().isEmpty()) {
            sink.add(profile == Profile.ZOWE ? Severity.ERROR : Severity.WARNING, Check.LEGACY_PKCS12,
                "PKCS12 encrypted with " + String.join(" and ", protection.refusedByOpenssl3()) + ", which OpenSSL 3 "
                + "refuses without -legacy: write it again with PBES2/AES (keytool -importkeystore on Java 17, or "
                + "openssl pkcs12 -legacy to read and openssl pkcs12 -export to write)");
        } else if (protection.legacy()) {
            sink.add(Severity.INFO, Check.LEGACY_PKCS12, "PKCS12 with legacy protection (" + protection.describe()
                + "): OpenSSL 3 still reads it; write it again with PBES2/AES-256 and a SHA-256 MAC");
        }
    }

    private void chain(Entry entry, Sink at) {
        ChainVerdict verdict = entry.verdict();
        if (verdict == null) {
            return;
        }
        switch (verdict.status()) {
            case OUT_OF_ORDER -> at.add(Severity.ERROR, Check.CHAIN_OUT_OF_ORDER, "the chain is out of order ("
                + verdict.detail() + "): store it leaf first, each certificate followed by its issuer");
            case INCOMPLETE -> at.add(Severity.ERROR, Check.CHAIN_INCOMPLETE, "the chain is incomplete ("
                + verdict.detail() + "): import the key with every intermediate CA certificate up to the root");
            case NO_ROOT -> at.add(Severity.WARNING, Check.CHAIN_WITHOUT_ROOT, verdict.detail()
                + ": add the root so that the entry holds the full chain");
            case COMPLETE -> {
            }
        }
    }

    /** Expiry, key size and signature of any certificate; a trusted one that expired only stops trusting. */
    private void certificate(X509Certificate certificate, boolean trusted, Sink at) {
        String subject = ChainVerdict.subject(certificate);
        Instant notAfter = certificate.getNotAfter().toInstant();
        long days = EntryReport.daysLeft(now, notAfter);
        if (notAfter.isBefore(now)) {
            at.add(trusted ? Severity.WARNING : Severity.ERROR, Check.EXPIRED, "certificate " + subject + " expired on "
                + notAfter + " (" + -days + " days ago): " + (trusted ? "it trusts nothing any more; remove it"
                : "renew it"));
        } else if (!notAfter.isAfter(now.plus(EXPIRING))) {
            at.add(trusted ? Severity.INFO : Severity.WARNING, Check.EXPIRING, "certificate " + subject + " expires on "
                + notAfter + " (in " + days + " days): renew it before then");
        }
        weakKey(certificate.getPublicKey().getAlgorithm(), dev.keystore.operator.crypto.KeyType.bits(
            certificate.getPublicKey()), "certificate " + subject, at);
        String signature = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
        if (signature.contains("SHA1") || signature.contains("MD5") || signature.contains("MD2")) {
            boolean selfSigned = CertificateChain.selfSigned(certificate);
            at.add(selfSigned ? Severity.WARNING : Severity.ERROR, Check.WEAK_SIGNATURE, "certificate " + subject
                + " is signed with " + certificate.getSigAlgName() + (selfSigned ? " (self-signed: the signature is "
                + "not checked when it is trusted directly, but tools flag it)" : ", which OpenSSL 3 refuses at its "
                + "default security level and browsers distrust") + ": reissue it signed with SHA-256");
        }
    }

    private static void weakKey(String algorithm, int bits, String what, Sink at) {
        boolean weak = ("RSA".equals(algorithm) || "DSA".equals(algorithm)) ? bits > 0 && bits < 2048
            : "EC".equals(algorithm) && bits > 0 && bits < 256;
        if (weak) {
            at.add(Severity.ERROR, Check.WEAK_KEY, what + " has a weak key (" + algorithm + " " + bits + "): use RSA "
                + "2048 or more, or EC P-256 or more");
        }
    }

    /** The rules that depend on what the store is for, applied to the entry's own certificate. */
    private void leafForRoles(Entry entry, OpenedStore store, Sink at) {
        X509Certificate leaf = entry.leaf();
        Set<Role> roles = store.roles();
        if (profile == Profile.WSO2 && entry.kind() == Entry.Kind.PRIVATE_KEY
            && (roles.contains(Role.PRIMARY) || roles.contains(Role.INTERNAL))) {
            List<String> usage = EntryReport.keyUsage(leaf);
            boolean critical = leaf.getCriticalExtensionOIDs() != null && leaf.getCriticalExtensionOIDs().contains(Usage.KEY_USAGE_OID);
            if (critical && !usage.contains("dataEncipherment")) {
                at.add(Severity.ERROR, Check.DATA_ENCIPHERMENT, "the certificate's critical keyUsage lacks "
                    + "dataEncipherment: WSO2's cipher tool fails with \"Wrong key usage\"; reissue it with "
                    + "dataEncipherment");
            }
        }
        List<String> eku = EntryReport.extendedKeyUsage(leaf);
        boolean any = eku.isEmpty() || eku.contains("anyExtendedKeyUsage");
        boolean server = any || eku.contains("serverAuth");
        boolean client = any || eku.contains("clientAuth");
        boolean tls = roles.contains(Role.TLS) || (roles.contains(Role.KEYSTORE) && !eku.isEmpty() && (server || client));
        if (!tls || leaf.getBasicConstraints() >= 0) {
            return;
        }
        tlsUsage(store, server, client, at);
        if (profile == Profile.ZOWE) {
            List<String> usage = EntryReport.keyUsage(leaf);
            if (leaf.getKeyUsage() != null && !usage.contains("digitalSignature") && !usage.contains("keyAgreement")) {
                at.add(Severity.ERROR, Check.KEY_USAGE, "the certificate's keyUsage has neither digitalSignature nor "
                    + "keyAgreement, one of which Zowe needs; reissue it with digitalSignature");
            }
        }
        if (server && EntryReport.subjectAlternativeNames(leaf).isEmpty()) {
            at.add(Severity.WARNING, Check.NO_SUBJECT_ALT_NAME, "the certificate has no subjectAltName: clients that "
                + "check host names (Java, OpenSSL, browsers) refuse it; reissue it with the DNS names and IP "
                + "addresses it serves");
        }
    }

    private void tlsUsage(OpenedStore store, boolean server, boolean client, Sink at) {
        if (!server && !client) {
            at.add(Severity.ERROR, Check.EXTENDED_KEY_USAGE, "the certificate's extendedKeyUsage has neither serverAuth "
                + "nor clientAuth: it cannot serve TLS; reissue it with serverAuth and clientAuth");
            return;
        }
        String lacking = server ? "clientAuth" : "serverAuth";
        if (server && client) {
            return;
        }
        String base = store.file().name().toLowerCase(Locale.ROOT).replaceFirst("\\.[^.]*$", "");
        if (profile == Profile.ZOWE) {
            at.add(Severity.ERROR, Check.EXTENDED_KEY_USAGE, "the certificate's extendedKeyUsage lacks " + lacking
                + ": Zowe uses one certificate as server (northbound) and as client (southbound); reissue it with "
                + "serverAuth and clientAuth");
        } else if (!server && profile == Profile.WSO2) {
            at.add(Severity.ERROR, Check.EXTENDED_KEY_USAGE, "the certificate's extendedKeyUsage lacks serverAuth: "
                + "WSO2 serves TLS with it; reissue it with serverAuth");
        } else if (!server && profile == Profile.LIBERTY && base.equals("key")) {
            at.add(Severity.ERROR, Check.EXTENDED_KEY_USAGE, "the certificate's extendedKeyUsage lacks serverAuth: "
                + "Liberty's default keystore serves TLS with it; reissue it with serverAuth");
        } else {
            at.add(Severity.INFO, Check.EXTENDED_KEY_USAGE, "the certificate's extendedKeyUsage lacks " + lacking
                + ": it serves TLS only as a " + (server ? "server" : "client")
                + (profile == Profile.NONE ? " (Zowe needs both)" : ""));
        }
    }
}
