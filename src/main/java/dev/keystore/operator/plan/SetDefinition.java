package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.ClientAuthentication;
import dev.keystore.operator.api.v1alpha1.ConfigFormat;
import dev.keystore.operator.api.v1alpha1.IssuerSpec;
import dev.keystore.operator.api.v1alpha1.KeyAlgorithm;
import dev.keystore.operator.api.v1alpha1.KeyUsage;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.KeystoreSetSpec;
import dev.keystore.operator.api.v1alpha1.Pkcs12ProfileName;
import dev.keystore.operator.api.v1alpha1.PrivateKeySpec;
import dev.keystore.operator.api.v1alpha1.RotationPolicy;
import dev.keystore.operator.api.v1alpha1.SecretKeyRef;
import dev.keystore.operator.api.v1alpha1.SlotSpec;
import dev.keystore.operator.api.v1alpha1.StoreFormat;
import dev.keystore.operator.api.v1alpha1.Subject;
import dev.keystore.operator.api.v1alpha1.VerifyCertificates;
import dev.keystore.operator.crypto.AlternativeNames;
import dev.keystore.operator.crypto.CertificateProfile;
import dev.keystore.operator.crypto.IpAddresses;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.SubjectName;
import dev.keystore.operator.crypto.Usage;
import dev.keystore.operator.keystore.Pkcs12Profile;
import dev.keystore.operator.keystore.StoreType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * A KeystoreSet with every default of api.md applied and every rule checked. Built only through
 * {@link #of(KeystoreSet)}, which refuses an invalid spec with the field to fix.
 */
public record SetDefinition(String name, String namespace, String secretName, SecretKeyRef passwordSecretRef,
                            IssuerDefinition issuer, Map<SlotName, SlotDefinition> slots, TruststoreDefinition truststore,
                            Set<ConfigFormat> config, String mountPath, VerifyCertificates verifyCertificates,
                            ClientAuthentication clientAuthentication, RenewalWindows renewal) {

    public static final String DEFAULT_MOUNT_PATH = "/etc/keystores";
    public static final Duration DEFAULT_SLOT_DURATION = Duration.ofHours(8760);
    public static final Duration DEFAULT_CA_DURATION = Duration.ofHours(87600);
    /** Output Secret keys the operator writes besides the slot files. */
    public static final Set<String> RESERVED_KEYS = Set.of("password", "ca.crt", "tls.crt", "tls.key",
        "deployment.toml", "zowe-certificates.env", "server.xml");

    public record IssuerDefinition(Kind kind, X500Name subject, Duration duration, KeyType keyType, String reference) {
        public enum Kind { SELF_SIGNED, CA_SECRET, KEYSTORE_SET, EXTERNAL }
    }

    public record TruststoreDefinition(String fileName, StoreType format, boolean includeIssuer, List<String> trustBundles,
                                       Pkcs12Profile pkcs12Profile) {
    }

    public Optional<SlotDefinition> slot(SlotName name) {
        return Optional.ofNullable(slots.get(name));
    }

    /** The output Secret's name and its records' names and labels, the one place they are derived. */
    public SetSecrets secrets() {
        return new SetSecrets(name, secretName);
    }

    public static SetDefinition of(KeystoreSet set) throws Problem.Raised {
        KeystoreSetSpec spec = set.getSpec();
        String name = set.getMetadata().getName();
        Names.checkSetName(name);
        if (spec == null) {
            throw Problem.invalidSpec("spec", "is required").raise();
        }
        StoreType format = storeType(spec.format, StoreType.PKCS12);
        Map<SlotName, SlotDefinition> slots = new EnumMap<>(SlotName.class);
        for (SlotName slotName : SlotName.values()) {
            SlotSpec slot = slotName.of(spec);
            if (slot != null) {
                slots.put(slotName, slot(name, slotName, slot, format, pkcs12Profile(slot.pkcs12Profile, spec.pkcs12Profile)));
            }
        }
        if (slots.isEmpty()) {
            throw Problem.invalidSpec("spec", "a set needs at least one of primary, tls, internal").raise();
        }
        TruststoreDefinition truststore = truststore(spec, format);
        if (spec.config != null) {
            for (ConfigFormat config : spec.config) {
                SlotName needed = config == ConfigFormat.wso2 ? SlotName.PRIMARY : SlotName.TLS;
                if (!slots.containsKey(needed)) {
                    throw Problem.invalidSpec("spec.config", "the " + config + " snippet needs a " + needed.key() + " slot")
                        .raise();
                }
            }
        }
        checkFileNames(slots, truststore);
        String secretName = SetSecrets.of(set).output();
        if (spec.passwordSecretRef != null && blankToNull(spec.passwordSecretRef.name) == null) {
            throw Problem.invalidSpec("spec.passwordSecretRef.name", "is required").raise();
        }
        SecretKeyRef password = spec.passwordSecretRef == null ? null : new SecretKeyRef(spec.passwordSecretRef.name,
            blankToNull(spec.passwordSecretRef.key) == null ? "password" : spec.passwordSecretRef.key);
        String mountPath = blankToNull(spec.mountPath) == null ? DEFAULT_MOUNT_PATH : spec.mountPath.replaceAll("/+$", "");
        return new SetDefinition(name, set.getMetadata().getNamespace(), secretName, password, issuer(name, spec.issuer),
            slots, truststore, spec.config == null ? Set.of() : Set.copyOf(spec.config), mountPath.isEmpty() ? "/" : mountPath,
            spec.verifyCertificates == null ? VerifyCertificates.Strict : spec.verifyCertificates,
            spec.clientAuthentication == null ? ClientAuthentication.None : spec.clientAuthentication,
            RenewalWindows.of(spec.renewal));
    }

    private static IssuerDefinition issuer(String name, IssuerSpec issuer) throws Problem.Raised {
        int count = issuer == null ? 0
            : (issuer.selfSigned != null ? 1 : 0) + (issuer.ca != null ? 1 : 0) + (issuer.keystoreSetRef != null ? 1 : 0)
            + (issuer.external != null ? 1 : 0);
        if (count > 1) {
            throw Problem.invalidSpec("spec.issuer", "set exactly one of selfSigned, ca, keystoreSetRef, external").raise();
        }
        if (issuer != null && issuer.external != null) {
            if (issuer.external.certificateSecretRef == null || blankToNull(issuer.external.certificateSecretRef.name) == null) {
                throw Problem.invalidSpec("spec.issuer.external.certificateSecretRef.name", "is required").raise();
            }
            return new IssuerDefinition(IssuerDefinition.Kind.EXTERNAL, null, null, null,
                issuer.external.certificateSecretRef.name);
        }
        if (issuer != null && issuer.ca != null) {
            if (issuer.ca.secretRef == null || blankToNull(issuer.ca.secretRef.name) == null) {
                throw Problem.invalidSpec("spec.issuer.ca.secretRef.name", "is required").raise();
            }
            return new IssuerDefinition(IssuerDefinition.Kind.CA_SECRET, null, null, null, issuer.ca.secretRef.name);
        }
        if (issuer != null && issuer.keystoreSetRef != null) {
            if (blankToNull(issuer.keystoreSetRef.name) == null) {
                throw Problem.invalidSpec("spec.issuer.keystoreSetRef.name", "is required").raise();
            }
            if (issuer.keystoreSetRef.name.equals(name)) {
                throw Problem.invalidSpec("spec.issuer.keystoreSetRef.name", "a set cannot be its own issuer").raise();
            }
            return new IssuerDefinition(IssuerDefinition.Kind.KEYSTORE_SET, null, null, null, issuer.keystoreSetRef.name);
        }
        var selfSigned = issuer == null ? null : issuer.selfSigned;
        Subject subject = copy(selfSigned == null ? null : selfSigned.subject);
        if (blankToNull(subject.commonName) == null) {
            subject.commonName = name + " CA";
        }
        Duration duration = duration("spec.issuer.selfSigned.duration", selfSigned == null ? null : selfSigned.duration,
            DEFAULT_CA_DURATION);
        KeyType keyType = keyType("spec.issuer.selfSigned.privateKey", selfSigned == null ? null : selfSigned.privateKey,
            KeyType.rsa(3072), true);
        return new IssuerDefinition(IssuerDefinition.Kind.SELF_SIGNED, x500("spec.issuer.selfSigned.subject", subject),
            duration, keyType, null);
    }

    private static SlotDefinition slot(String setName, SlotName name, SlotSpec spec, StoreType setFormat, Pkcs12Profile pkcs12Profile)
        throws Problem.Raised {
        String field = "spec." + name.key();
        StoreType format = storeType(spec.format, setFormat);
        String alias = blankToNull(spec.alias) == null ? name.key() : spec.alias;
        String fileName = blankToNull(spec.fileName) == null ? name.key() + "." + format.extension() : spec.fileName;
        checkFileName(field + ".fileName", fileName);
        boolean rsaOnly = name != SlotName.TLS;
        KeyType keyType = keyType(field + ".privateKey", spec.privateKey, KeyType.rsa(2048), !rsaOnly);
        if (rsaOnly && !"RSA".equals(keyType.algorithm())) {
            throw Problem.invalidSpec(field + ".privateKey.algorithm",
                name.key() + " keys must be RSA (they encrypt data)").raise();
        }
        RotationPolicy rotation = spec.privateKey != null && spec.privateKey.rotationPolicy != null
            ? spec.privateKey.rotationPolicy
            : (name == SlotName.TLS ? RotationPolicy.Always : RotationPolicy.Never);
        if (name == SlotName.INTERNAL && rotation == RotationPolicy.Always) {
            throw Problem.invalidSpec(field + ".privateKey.rotationPolicy", "the internal key pair never changes").raise();
        }
        Duration duration = duration(field + ".duration", spec.duration, DEFAULT_SLOT_DURATION);
        Duration renewBefore = duration(field + ".renewBefore", spec.renewBefore, duration.dividedBy(3));
        if (renewBefore.compareTo(duration) >= 0) {
            throw Problem.invalidSpec(field + ".renewBefore", "must be shorter than duration").raise();
        }
        List<String> dnsNames = spec.dnsNames == null ? List.of() : spec.dnsNames;
        for (String dns : dnsNames) {
            if (dns == null || !dns.matches("^(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")) {
                throw Problem.invalidSpec(field + ".dnsNames", "'" + dns + "' is not a DNS name").raise();
            }
        }
        Set<String> ips = new LinkedHashSet<>();
        for (String ip : spec.ipAddresses == null ? List.<String>of() : spec.ipAddresses) {
            if (!IpAddresses.isLiteral(ip)) {
                throw Problem.invalidSpec(field + ".ipAddresses", "'" + ip + "' is not an IP address").raise();
            }
            ips.add(IpAddresses.canonical(ip));
        }
        Set<String> uris = alternativeNames(field + ".uris", spec.uris, AlternativeNames::uriProblem);
        Set<String> emails = alternativeNames(field + ".emailAddresses", spec.emailAddresses,
            AlternativeNames::emailProblem);
        Subject subject = copy(spec.subject);
        if (blankToNull(subject.commonName) == null) {
            subject.commonName = name == SlotName.TLS && !dnsNames.isEmpty() ? dnsNames.get(0) : setName;
        }
        List<KeyUsage> usages = spec.usages == null || spec.usages.isEmpty()
            ? defaultUsages(name, keyType) : spec.usages;
        List<Usage> vocabulary = usages(usages);
        CertificateProfile profile = new CertificateProfile(x500(field + ".subject", subject), Set.copyOf(dnsNames), ips,
            Usage.mask(vocabulary), Usage.oids(vocabulary), false, uris, emails);
        if (profile.keyUsage() == 0) {
            throw Problem.invalidSpec(field + ".usages", "needs at least one key usage such as digitalSignature").raise();
        }
        boolean explicitAlgorithm = spec.privateKey != null && spec.privateKey.algorithm != null;
        return new SlotDefinition(name, alias, fileName, format, keyType, rotation, duration, renewBefore, profile,
            spec.importFrom, explicitAlgorithm, explicitAlgorithm || spec.privateKey != null && spec.privateKey.size != null,
            pkcs12Profile);
    }

    /** URI or e-mail SANs, each checked; a problem names the field, the value and why. */
    private static Set<String> alternativeNames(String field, List<String> values,
                                                java.util.function.Function<String, java.util.Optional<String>> check)
        throws Problem.Raised {
        Set<String> names = new LinkedHashSet<>();
        for (String value : values == null ? List.<String>of() : values) {
            var problem = check.apply(value);
            if (problem.isPresent()) {
                throw Problem.invalidSpec(field, AlternativeNames.quoted(value) + " " + problem.get()).raise();
            }
            names.add(value);
        }
        return names;
    }

    static List<KeyUsage> defaultUsages(SlotName name, KeyType keyType) {
        if (name == SlotName.TLS) {
            return List.of(KeyUsage.digitalSignature,
                "RSA".equals(keyType.algorithm()) ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement,
                KeyUsage.serverAuth, KeyUsage.clientAuth);
        }
        return List.of(KeyUsage.digitalSignature, KeyUsage.keyEncipherment, KeyUsage.dataEncipherment);
    }

    /** The spec's usages in the one vocabulary of crypto/ (the API enum spells them alike). */
    static List<Usage> usages(List<KeyUsage> usages) {
        return usages.stream().map(u -> Usage.named(u.name()).orElseThrow()).toList();
    }

    private static TruststoreDefinition truststore(KeystoreSetSpec spec, StoreType setFormat) throws Problem.Raised {
        var t = spec.truststore;
        StoreType format = storeType(t == null ? null : t.format, setFormat);
        String fileName = t == null || blankToNull(t.fileName) == null ? "truststore." + format.extension() : t.fileName;
        checkFileName("spec.truststore.fileName", fileName);
        List<String> bundles = new ArrayList<>();
        if (t != null && t.trustBundleRefs != null) {
            for (var ref : t.trustBundleRefs) {
                if (ref == null || blankToNull(ref.name) == null) {
                    throw Problem.invalidSpec("spec.truststore.trustBundleRefs", "every entry needs a name").raise();
                }
                bundles.add(ref.name);
            }
        }
        return new TruststoreDefinition(fileName, format, t == null || t.includeIssuer == null || t.includeIssuer,
            List.copyOf(bundles), pkcs12Profile(t == null ? null : t.pkcs12Profile, spec.pkcs12Profile));
    }

    private static void checkFileName(String field, String fileName) throws Problem.Raised {
        if (!fileName.matches("^[-._a-zA-Z0-9]+$") || fileName.startsWith(".")) {
            throw Problem.invalidSpec(field, "'" + fileName + "' is not a valid Secret key (letters, digits, '-', '_', '.')").raise();
        }
        if (RESERVED_KEYS.contains(fileName)) {
            throw Problem.invalidSpec(field, "'" + fileName + "' is a key the operator writes itself").raise();
        }
    }

    private static void checkFileNames(Map<SlotName, SlotDefinition> slots, TruststoreDefinition truststore)
        throws Problem.Raised {
        Map<String, String> seen = new HashMap<>();
        for (SlotDefinition slot : slots.values()) {
            String before = seen.putIfAbsent(slot.fileName(), slot.name().key());
            if (before != null) {
                throw Problem.invalidSpec("spec." + slot.name().key() + ".fileName",
                    "'" + slot.fileName() + "' is already the file of " + before).raise();
            }
        }
        String before = seen.get(truststore.fileName());
        if (before != null) {
            throw Problem.invalidSpec("spec.truststore.fileName",
                "'" + truststore.fileName() + "' is already the file of " + before).raise();
        }
    }

    private static KeyType keyType(String field, PrivateKeySpec spec, KeyType fallback, boolean ecAllowed)
        throws Problem.Raised {
        if (spec == null || (spec.algorithm == null && spec.size == null)) {
            return fallback;
        }
        KeyAlgorithm algorithm = spec.algorithm == null ? KeyAlgorithm.RSA : spec.algorithm;
        if (algorithm == KeyAlgorithm.EC && !ecAllowed) {
            throw Problem.invalidSpec(field + ".algorithm", "must be RSA here").raise();
        }
        int size = spec.size != null ? spec.size : (algorithm == KeyAlgorithm.RSA ? 2048 : 256);
        Set<Integer> allowed = algorithm == KeyAlgorithm.RSA ? KeyType.RSA_SIZES : KeyType.EC_SIZES;
        if (!allowed.contains(size)) {
            throw Problem.invalidSpec(field + ".size", algorithm == KeyAlgorithm.RSA
                ? size + " is not an allowed RSA size (2048, 3072, 4096)"
                : size + " is not an allowed EC size (256 for P-256, 384 for P-384)").raise();
        }
        return new KeyType(algorithm.name(), size);
    }

    private static Duration duration(String field, String text, Duration fallback) throws Problem.Raised {
        if (blankToNull(text) == null) {
            return fallback;
        }
        try {
            Duration d = GoDuration.parse(text);
            if (d.isZero() || d.isNegative()) {
                throw Problem.invalidSpec(field, "must be positive").raise();
            }
            return d;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw Problem.invalidSpec(field, "'" + text + "' is not a duration such as 8760h or 90m").raise();
        }
    }

    private static X500Name x500(String field, Subject subject) throws Problem.Raised {
        if (subject.countries != null) {
            for (String c : subject.countries) {
                if (c == null || !c.matches("^[A-Za-z]{2}$")) {
                    throw Problem.invalidSpec(field + ".countries", "'" + c + "' is not a two-letter country code").raise();
                }
            }
        }
        return new SubjectName(subject.countries, subject.provinces, subject.localities, subject.organizations,
            subject.organizationalUnits, subject.commonName).x500();
    }

    private static Subject copy(Subject s) {
        Subject c = new Subject();
        if (s != null) {
            c.commonName = s.commonName;
            c.organizations = s.organizations;
            c.organizationalUnits = s.organizationalUnits;
            c.localities = s.localities;
            c.provinces = s.provinces;
            c.countries = s.countries;
        }
        return c;
    }

    /** The first profile given (a slot's, then the set's), else Modern. */
    public static Pkcs12Profile pkcs12Profile(Pkcs12ProfileName... given) {
        for (Pkcs12ProfileName name : given) {
            if (name != null) {
                return name == Pkcs12ProfileName.Legacy ? Pkcs12Profile.LEGACY : Pkcs12Profile.MODERN;
            }
        }
        return Pkcs12Profile.MODERN;
    }

    private static StoreType storeType(StoreFormat format, StoreType fallback) {
        return format == null ? fallback : StoreType.valueOf(format.name());
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
