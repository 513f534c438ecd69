package dev.keystore.operator.bench;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.Signer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.bouncycastle.asn1.x500.X500Name;

/** The set shapes every benchmark measures, read from the YAML the operator and render also read. */
enum Shape {
    TLS_ONLY_EC("tls-only EC", "bench/shapes/tls-only-ec.yaml"),
    WSO2("WSO2 3-slot, own RSA-3072 CA", "examples/wso2-apim.yaml"),
    WSO2_EXISTING_CA("WSO2 3-slot, existing CA", "bench/shapes/wso2-existing-ca.yaml");

    /** The Secret the existing-CA shape signs with (issuer.ca.secretRef). */
    static final String CORP_CA = "corp-ca";

    final String title;
    final String file;

    Shape(String title, String file) {
        this.title = title;
        this.file = file;
    }

    KeystoreSet load(Path project) {
        try {
            return new KubernetesSerialization().unmarshal(Files.readString(project.resolve(file)), KeystoreSet.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This shape as a set of the given name and namespace. */
    KeystoreSet named(Path project, String namespace, String name) {
        KeystoreSet set = load(project);
        set.getMetadata().setNamespace(namespace);
        set.getMetadata().setName(name);
        set.getSpec().secretName = null;
        return set;
    }

    /** An RSA-3072 root CA, as a corporate CA Secret would hold. */
    static CertificateAuthority corporateCa(SecureRandom random) {
        return new Signer(Clock.systemUTC(), random).selfSignedCa(new X500Name("CN=corp CA,O=Example"),
            KeyType.rsa(3072).generate(random), Duration.ofDays(3650));
    }
}
