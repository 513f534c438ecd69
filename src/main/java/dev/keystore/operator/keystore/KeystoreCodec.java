package dev.keystore.operator.keystore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one keystore writer and reader, on the JDK KeyStore. Key password equals store password
 * (WSO2 requires it). PKCS12 keys and certificates are protected with PBES2 (PBKDF2-HMAC-SHA256,
 * AES-256-CBC) and the file has an HMAC-SHA256 MAC, so OpenSSL 3 reads it without -legacy; the
 * {@link Pkcs12Profile#LEGACY} profile is Bouncy Castle's PKCS12 writer with PBE-SHA1-3DES for keys and
 * certificates and a SHA-1 MAC.
 */
public final class KeystoreCodec {
    static final String PKCS12_KEY_PROTECTION = "PBEWithHmacSHA256AndAES_256";
    /** Bouncy Castle's PKCS12 keystore with 3DES for key bags and for the certificate safe, SHA-1 MAC. */
    static final String LEGACY_PKCS12_TYPE = "PKCS12-3DES-3DES";

    private KeystoreCodec() {
    }

    public static byte[] write(StoreType type, StoreContent content, char[] password) {
        return write(type, content, password, Pkcs12Profile.MODERN);
    }

    /** @param profile how a PKCS12 is protected; ignored for JKS */
    public static byte[] write(StoreType type, StoreContent content, char[] password, Pkcs12Profile profile) {
        boolean legacy = type == StoreType.PKCS12 && profile == Pkcs12Profile.LEGACY;
        try {
            KeyStore store = legacy ? KeyStore.getInstance(LEGACY_PKCS12_TYPE, BouncyCastle.provider())
                : KeyStore.getInstance(type.name());
            store.load(null, password);
            for (StoreEntry entry : content.entries()) {
                if (entry instanceof StoreEntry.KeyEntry key) {
                    KeyStore.ProtectionParameter protection = type == StoreType.PKCS12 && !legacy
                        ? new KeyStore.PasswordProtection(password, PKCS12_KEY_PROTECTION, null)
                        : new KeyStore.PasswordProtection(password);
                    store.setEntry(key.alias(), new KeyStore.PrivateKeyEntry(key.key(),
                        key.chain().toArray(Certificate[]::new)), protection);
                } else if (entry instanceof StoreEntry.TrustedEntry trusted) {
                    store.setCertificateEntry(trusted.alias(), trusted.certificate());
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (legacy) {
                // DER, not Bouncy Castle's default BER: old readers are the point of this profile
                store.store(new org.bouncycastle.jcajce.PKCS12StoreParameter(out, password, true));
            } else {
                store.store(out, password);
            }
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write " + type + " keystore: " + e.getClass().getSimpleName());
        }
    }

    /** Larger stores are refused unread: a Kubernetes Secret holds at most 1 MiB. */
    static final int MAX_BYTES = 1 << 20;

    /**
     * Reads every entry. A wrong password or a damaged file is an {@link UnreadableKeystore};
     * its message never contains the password. The bounds of {@link StoreBounds} are checked
     * before any key is derived, and unchanged bytes are answered from {@link DecodedStores}.
     */
    public static StoreContent read(StoreType type, byte[] bytes, char[] password) throws UnreadableKeystore {
        return DecodedStores.SHARED.get("entries", type, bytes, password, () -> decodeAll(type, bytes, password));
    }

    private static StoreContent decodeAll(StoreType type, byte[] bytes, char[] password) throws UnreadableKeystore {
        KeyStore store = open(type, bytes, password, true);
        try {
            List<StoreEntry> entries = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    var key = store.getKey(alias, password);
                    if (!(key instanceof PrivateKey privateKey)) {
                        continue; // secret keys are not ours to manage
                    }
                    entries.add(new StoreEntry.KeyEntry(alias, privateKey, chain(store, alias)));
                } else if (store.isCertificateEntry(alias)) {
                    entries.add(new StoreEntry.TrustedEntry(alias, (X509Certificate) store.getCertificate(alias)));
                }
            }
            return new StoreContent(entries);
        } catch (UnrecoverableKeyException e) {
            throw new UnreadableKeystore("key password is wrong");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new UnreadableKeystore("is not a readable " + type + " keystore");
        }
    }

    /**
     * The private key entry {@code alias} (ignoring case), or with a null alias the only private
     * key entry; no other key is decrypted. Bounded and remembered as {@link #read}.
     */
    public static KeyLookup readKey(StoreType type, byte[] bytes, char[] password, String alias) throws UnreadableKeystore {
        return DecodedStores.SHARED.get("key\0" + (alias == null ? "" : alias.toLowerCase(java.util.Locale.ROOT)), type,
            bytes, password, () -> decodeKey(type, bytes, password, alias));
    }

    private static KeyLookup decodeKey(StoreType type, byte[] bytes, char[] password, String alias) throws UnreadableKeystore {
        KeyStore store = open(type, bytes, password, false);
        try {
            List<String> keys = new ArrayList<>();
            List<String> certificates = new ArrayList<>();
            for (String a : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(a)) {
                    certificates.add(a);
                } else if (store.isKeyEntry(a) && store.entryInstanceOf(a, KeyStore.PrivateKeyEntry.class)) {
                    keys.add(a);
                }
            }
            String target = alias == null ? (keys.size() == 1 ? keys.get(0) : null)
                : keys.stream().filter(a -> a.equalsIgnoreCase(alias)).findFirst().orElse(null);
            java.util.Optional<StoreEntry.KeyEntry> entry = java.util.Optional.empty();
            if (target != null && store.getKey(target, password) instanceof PrivateKey key) {
                entry = java.util.Optional.of(new StoreEntry.KeyEntry(target, key, chain(store, target)));
            }
            return new KeyLookup(entry, keys, certificates);
        } catch (UnrecoverableKeyException e) {
            throw new UnreadableKeystore("key password is wrong");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new UnreadableKeystore("is not a readable " + type + " keystore");
        }
    }

    /** Bounds first: the structure (no password needed), then the parts only the password shows, then the JDK. */
    private static KeyStore open(StoreType type, byte[] bytes, char[] password, boolean allKeys) throws UnreadableKeystore {
        if (bytes.length > MAX_BYTES) {
            throw new UnreadableKeystore("is larger than 1 MiB");
        }
        StoreBounds.Pkcs12Cost cost = StoreBounds.check(bytes, allKeys);
        boolean checked = StoreBounds.checkEncryptedParts(cost, password, allKeys);
        KeyStore store = load(type, bytes, password);
        if (!checked) {
            throw new UnreadableKeystore("has an encrypted part that could not be checked");
        }
        try {
            if (store.size() > StoreBounds.MAX_BAGS) {
                throw new UnreadableKeystore("holds " + store.size() + " entries, more than the " + StoreBounds.MAX_BAGS
                    + " allowed");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new UnreadableKeystore("is not a readable " + type + " keystore");
        }
        return store;
    }

    /**
     * Every entry as {@code keytool -list} shows it, sorted by alias: certificates, never keys.
     * A key that the store password does not open is listed, not refused (WSO2 needs them equal,
     * and saying so is the point of listing).
     */
    public static List<ListedEntry> list(StoreType type, byte[] bytes, char[] password) throws UnreadableKeystore {
        KeyStore store = open(type, bytes, password, true);
        try {
            List<ListedEntry> entries = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias)) {
                    entries.add(new ListedEntry(alias, ListedEntry.Kind.TRUSTED_CERTIFICATE,
                        List.of((X509Certificate) store.getCertificate(alias)), false));
                } else if (store.entryInstanceOf(alias, KeyStore.SecretKeyEntry.class)) {
                    entries.add(new ListedEntry(alias, ListedEntry.Kind.SECRET_KEY, List.of(), opens(store, alias, password)));
                } else if (store.isKeyEntry(alias)) {
                    entries.add(new ListedEntry(alias, ListedEntry.Kind.PRIVATE_KEY, chain(store, alias),
                        opens(store, alias, password)));
                }
            }
            entries.sort(java.util.Comparator.comparing(e -> e.alias().toLowerCase(java.util.Locale.ROOT)));
            return entries;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new UnreadableKeystore("is not a readable " + type + " keystore");
        }
    }

    private static boolean opens(KeyStore store, String alias, char[] password) throws GeneralSecurityException {
        try {
            return store.getKey(alias, password) != null;
        } catch (UnrecoverableKeyException e) {
            return false;
        }
    }

    private static List<X509Certificate> chain(KeyStore store, String alias) throws GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        Certificate[] certificates = store.getCertificateChain(alias);
        for (Certificate c : certificates == null ? new Certificate[0] : certificates) {
            chain.add((X509Certificate) c);
        }
        return chain;
    }

    private static KeyStore load(StoreType type, byte[] bytes, char[] password) throws UnreadableKeystore {
        try {
            KeyStore store = KeyStore.getInstance(type.name());
            store.load(new ByteArrayInputStream(bytes), password);
            return store;
        } catch (IOException e) {
            boolean badPassword = e.getCause() instanceof UnrecoverableKeyException
                || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("password");
            throw new UnreadableKeystore(badPassword ? "password is wrong" : "is not a readable " + type + " keystore");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new UnreadableKeystore("is not a readable " + type + " keystore");
        }
    }

    /**
     * The existing bytes when they already hold exactly this content (PKCS12 salts make every
     * encoding differ, so re-encoding unchanged content would churn), else a new encoding.
     */
    public static byte[] encodeKeeping(byte[] before, StoreType type, StoreContent content, char[] password) {
        return encodeKeeping(before, type, content, password, Pkcs12Profile.MODERN);
    }

    /** As above; a PKCS12 written with another profile is re-encoded. */
    public static byte[] encodeKeeping(byte[] before, StoreType type, StoreContent content, char[] password,
                                       Pkcs12Profile profile) {
        if (before != null && detect(before) == type
            && (type != StoreType.PKCS12 || Pkcs12Profile.of(before).orElse(null) == profile)) {
            try {
                if (read(type, before, password).sameAs(content)) {
                    return before;
                }
            } catch (UnreadableKeystore e) {
                // a new encoding below
            }
        }
        return write(type, content, password, profile);
    }

    /** The type a file's bytes are in, by magic number: JKS starts with 0xFEEDFEED, PKCS12 with a DER SEQUENCE. */
    public static StoreType detect(byte[] bytes) {
        if (bytes.length >= 4 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xed
            && (bytes[2] & 0xff) == 0xfe && (bytes[3] & 0xff) == 0xed) {
            return StoreType.JKS;
        }
        return StoreType.PKCS12;
    }

    public static final class UnreadableKeystore extends Exception {
        public UnreadableKeystore(String message) {
            super(message);
        }
    }
}
